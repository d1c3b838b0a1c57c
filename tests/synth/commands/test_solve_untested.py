"""`synth solve` claims only what it measured: no test and no generator is "untested"; an open task's table shows examples only."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from synth.cli import main
from synth.report.generalize import length_span
from tasks.task import load_task

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
HEADER = "  set     length  examples  accuracy"


@pytest.fixture
def notest(tmp_path) -> Path:
    task = json.loads((EXAMPLES / "open" / "running_max.json").read_text())
    del task["test"]
    path = tmp_path / "notest.json"
    path.write_text(json.dumps(task))
    return path


def solve(*args: object) -> str:
    result = CliRunner().invoke(main, ["solve", *map(str, args), "--timeout", "60"])
    assert result.exit_code == 0, result.output
    return result.output


def test_programs_with_nothing_to_test_them_on_are_untested_not_generalizing(notest) -> None:
    out = solve(notest, "--all", "3")
    assert "generalizes" not in out and "SHORTCUT" not in out
    assert out.count("  (untested)") == 3
    assert "same outputs" not in out  # only the training inputs, which every listed program fits: no claim
    assert out.count(f"generalization: untested ({notest} has no test examples, and the open family has no generator of longer inputs)") == 3
    assert HEADER not in out  # no empty tables


def test_one_program_with_nothing_to_test_it_on_says_so(notest) -> None:
    out = solve(notest)
    assert "generalization: untested" in out and HEADER not in out


def test_json_marks_an_untested_program_as_neither_shortcut_nor_not(notest) -> None:
    out = json.loads(solve(notest, "--all", "2", "--json"))
    assert [(p["tested"], p["shortcut"], p["generalization"]) for p in out["programs"]] == [(False, None, [])] * 2
    tested = json.loads(solve(EXAMPLES / "open" / "running_max.json", "--json"))
    assert tested["programs"][0]["tested"] is True and tested["programs"][0]["shortcut"] is False


def test_an_open_task_table_shows_examples_and_the_test_lengths() -> None:
    out = solve(EXAMPLES / "open" / "running_max.json")
    assert f"{HEADER}\n  test        20         1    100.0%\n" in out
    assert "label acc" not in out and "labels" not in out


def test_suite_and_lego_tables_keep_their_unit_columns_and_show_the_test_lengths() -> None:
    out = solve(EXAMPLES / "parity_check.json")
    span = length_span(load_task(EXAMPLES / "parity_check.json").test)
    assert span == "10..29"
    assert f"{HEADER}   tokens  token acc  paper score\n  test    {span:>6} " in out
    out = solve(EXAMPLES / "lego_z2_paper.json")
    assert f"{HEADER}   labels  label acc\n  test        12 " in out


def test_length_span() -> None:
    task = load_task(EXAMPLES / "open" / "running_max.json")
    assert length_span(task.train) == "0..6" and length_span(task.test) == "20" and length_span(()) == "-"
