"""The header `synth solve` prints: the task, its family and how many training examples, in good English."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from synth.cli import main


@pytest.mark.parametrize("count,words", [(1, "1 training example)"), (2, "2 training examples)")])
def test_the_training_examples_are_counted_in_words(tmp_path, count, words):
    path = tmp_path / "task.json"
    path.write_text(json.dumps({"train": [{"input": {"x": k}, "output": k} for k in range(1, count + 1)]}))
    r = CliRunner().invoke(main, ["solve", str(path), "--no-progress"])
    assert r.exit_code == 0, r.output
    assert r.output.splitlines()[0] == f"task: {path} (open, {words}"


def test_the_search_line_says_1_program_and_1_round() -> None:
    """Before: `1 programs run` and `in 1 round(s)`."""
    from types import SimpleNamespace

    from synth.commands.solve import _stats_line

    stats = SimpleNamespace(enumerated=1, pruned=0, local_checks=1, full_checks=1, max_cost_searched=3, seconds=0.1,
                            stopped="found", examples_searched=1, rounds=1)
    one = _stats_line(SimpleNamespace(stats=stats, profile=SimpleNamespace(name="core"), task=SimpleNamespace(train=[0, 1])))
    assert "1 candidate enumerated" in one and "1 rule body checked" in one and "1 program run" in one
    assert "searched on 1 of 2 training examples in 1 round;" in one and "(s)" not in one
    stats.full_checks, stats.rounds, stats.examples_searched = 2, 2, 2
    two = _stats_line(SimpleNamespace(stats=stats, profile=SimpleNamespace(name="core"), task=SimpleNamespace(train=[0, 1])))
    assert "2 programs run" in two and "in 2 rounds;" in two


def test_solve_prints_1_program_run(tmp_path) -> None:
    r = CliRunner().invoke(main, ["solve", str(Path(__file__).resolve().parents[3] / "examples" / "parity_check.json")])
    assert r.exit_code == 0 and "1 program run;" in r.output and "programs run" not in r.output


def test_demo_json_names_its_profile() -> None:
    """Before: `synth demo --json` had no "profile" key (every report names the profile it used)."""
    r = CliRunner().invoke(main, ["demo", "--json"])
    assert r.exit_code == 0, r.output
    obj = json.loads(r.stdout)
    assert obj["profile"] == "core" and obj["profile_detail"]["name"] == "core"
