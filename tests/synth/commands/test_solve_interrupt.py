"""Ctrl-C after a successful search: the programs and statistics found are printed, then exit 130."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from synth.cli import main
from synth.commands import solve as solve_cmd

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


@pytest.fixture
def interrupt_second_check(monkeypatch):
    """The generalization check scores the first program, then Ctrl-C arrives."""
    real = solve_cmd.generalization
    calls = []

    def check(program, task, **kw):
        calls.append(program)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(program, task, **kw)

    monkeypatch.setattr(solve_cmd, "generalization", check)
    return calls


def test_text_report_keeps_every_found_program(tmp_path, interrupt_second_check):
    found = tmp_path / "found.dsl"
    r = CliRunner().invoke(main, ["solve", str(EXAMPLES / "parity_check.json"), "--all", "3", "-o", str(found)])
    assert r.exit_code == 130
    assert "program #1" in r.output and "program #3" in r.output
    assert r.output.count("generalization: not checked (interrupted)") == 2
    assert "fresh" in r.output, "the first program's scores are shown"
    assert "candidates enumerated" in r.output
    assert "generalization check cut short" in r.output
    assert found.read_text().startswith("# synthesized by lego-synth")


def test_json_report_marks_unchecked_programs(interrupt_second_check):
    try:
        runner = CliRunner(mix_stderr=False)  # click < 8.2
    except TypeError:
        runner = CliRunner()
    r = runner.invoke(main, ["solve", str(EXAMPLES / "parity_check.json"), "--all", "2", "--json"])
    assert r.exit_code == 130
    obj = json.loads(r.stdout)
    assert obj["interrupted"] is True and obj["found"] is True and obj["stats"]["enumerated"] > 0
    first, second = obj["programs"]
    assert first["generalization"] and first["shortcut"] in (True, False)
    assert second["program"] and second["generalization"] is None and second["shortcut"] is None


def test_interrupt_before_any_check_still_prints_the_program(monkeypatch):
    def check(program, task, **kw):
        raise KeyboardInterrupt

    monkeypatch.setattr(solve_cmd, "generalization", check)
    r = CliRunner().invoke(main, ["solve", str(EXAMPLES / "lego_z2_official.json")])
    assert r.exit_code == 130
    assert "forall c in clauses" in r.output and "candidates enumerated" in r.output


def test_a_completed_check_reports_not_interrupted():
    r = CliRunner().invoke(main, ["solve", str(EXAMPLES / "parity_check.json"), "--json"])
    assert r.exit_code == 0 and json.loads(r.output)["interrupted"] is False


def test_a_double_tap_as_the_search_stops_still_writes_and_shows_the_program(tmp_path, monkeypatch):
    """Audit: Ctrl-C twice, 10 ms apart: the first stopped the search, the second landed in its return and the program
    found was neither printed nor written (exit 130, empty stdout)."""
    import os
    import signal

    real = solve_cmd.synthesize

    def search(task, **kw):
        result = real(task, **kw)
        try:
            os.kill(os.getpid(), signal.SIGINT)  # the first: the search catches it and returns what it found
        except KeyboardInterrupt:
            pass
        os.kill(os.getpid(), signal.SIGINT)  # the second, as the search returns
        return result

    monkeypatch.setattr(solve_cmd, "synthesize", search)
    found = tmp_path / "found.dsl"
    r = CliRunner().invoke(main, ["solve", str(EXAMPLES / "parity_check.json"), "-o", str(found)])
    assert r.exit_code == 130, r.output
    assert "fold (s, x) -> s xor x from 0 over xs" in r.output and "generalization: not checked (interrupted)" in r.output
    assert found.read_text().startswith("# synthesized by lego-synth")
