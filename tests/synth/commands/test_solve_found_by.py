"""`synth solve` says how a program was found when that is not the cost order itself (a cheaper one may exist)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from dsl.parse import parse_expr
from synth.cli import main

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"

_FRAGILE = "fold (s, x) -> if x == 2 then tail(s) else cons(x, s) from range(0) over xs"
_TASK = {  # final stacks (top first) of command lists that never pop an empty stack: tail(s) fits, and fails on a suffix
    "name": "stack",
    "train": [{"input": {"xs": list(xs)}, "output": out} for xs, out in [
        ((1, 0, 2), [1]), ((0, 1, 1, 2, 2), [0]), ((1, 3, 2, 0), [0, 1]), ((0, 0, 0, 2, 1), [1, 0, 0]), ((3, 1, 2), [3])]],
}


def _solve(monkeypatch, tmp_path, *args: str):
    from synth.commands import solve as solve_command
    from synth.search import solver

    monkeypatch.setattr(solver, "_chained", lambda *a: iter([(parse_expr(_FRAGILE), 17)]))
    real = solve_command.synthesize
    monkeypatch.setattr(solve_command, "synthesize", lambda task, *a, **k: real(task, *a, **{**k, "chain_cost": 1}))
    path = tmp_path / "stack.json"
    path.write_text(json.dumps(_TASK))
    result = CliRunner().invoke(main, ["solve", str(path), "--profile", "list", "--timeout", "60", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_the_text_names_the_phase_and_the_mend(monkeypatch, tmp_path) -> None:
    out = _solve(monkeypatch, tmp_path)
    assert "drop(s, 1)" in out
    assert ("found by the chains' phase (goals.Chain), mended where its fold failed (sturdy.py): "
            "a cheaper consistent program may exist") in out


def test_the_json_has_found_by_for_each_program_and_in_the_stats(monkeypatch, tmp_path) -> None:
    out = json.loads(_solve(monkeypatch, tmp_path, "--json"))
    assert out["programs"][0]["found_by"] == out["stats"]["found_by"] == "chains+mended"


def test_a_program_of_the_levels_says_nothing_more() -> None:
    run = CliRunner().invoke(main, ["solve", str(EXAMPLES / "parity_check.json")])
    assert run.exit_code == 0 and "program (cost 6):" in run.output, run.output
    assert "found by" not in run.output
