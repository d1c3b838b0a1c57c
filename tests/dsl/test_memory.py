"""Runs are bounded in memory as well as in steps (issue 11: 3.57 GB within fuel)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from dsl.errors import FuelExhausted, MemoryExhausted
from dsl.interp import DEFAULT_MEMORY, compile_program
from dsl.parse import parse_program
from synth.cli import main


def run(body: str, fuel: int | None = None, memory: int | None = None, inputs: dict | None = None):
    p = parse_program("input n: Int\n" + body)
    return compile_program(p)(inputs or {"n": 3}, fuel, memory)


def test_the_issue_case_stops_on_memory_within_fuel() -> None:
    with pytest.raises(MemoryExhausted, match=f"more than {DEFAULT_MEMORY:,} list/record elements$"):
        run("len([range(9999999) for i in range(9)])")


@pytest.mark.parametrize(
    "body,cells",
    [
        ("range(n)", 3),                                 # range: its length
        ("[i for i in range(n)]", 6),                    # a comprehension: its source's length
        ("[i for i in range(n) if i > 0]", 6),           # ... an upper bound when filtered
        ("range(n) + range(n)", 12),                     # + : both operands' lengths, plus the operands
        ("[n, n, n, n]", 4),                             # list literal
        ("{a: n, b: n}", 2),                             # record
        ("scan (s, x) -> s + x from 0 over range(n)", 6),  # scan outputs
    ],
)
def test_every_allocation_is_counted(body: str, cells: int) -> None:
    run(body, memory=cells)
    with pytest.raises(MemoryExhausted):
        run(body, memory=cells - 1)


def test_allocations_cost_fuel_too() -> None:
    run("[n, n, n, n]", fuel=4)
    with pytest.raises(FuelExhausted):
        run("[n, n, n, n]", fuel=3)
    with pytest.raises(FuelExhausted):
        run("[{a: i} for i in range(n)]", fuel=3 + 3 + 2)  # range 3, comprehension 3, records 3


def test_memory_counts_allocations_inside_loops() -> None:
    body = "fold (s, i) -> s + len([i, i]) from 0 over range(n)"
    assert run(body, inputs={"n": 100}, memory=300) == 200
    with pytest.raises(MemoryExhausted):
        run(body, inputs={"n": 100}, memory=299)


def test_cli_memory_option(tmp_path: Path) -> None:
    prog = tmp_path / "p.dsl"
    prog.write_text("input n: Int\nlen(range(n))\n")
    ok = CliRunner().invoke(main, ["run", str(prog), "--input", '{"n": 5}', "--memory", "5"], catch_exceptions=False)
    assert ok.exit_code == 0 and ok.output.strip() == "5"
    res = CliRunner().invoke(main, ["run", str(prog), "--input", '{"n": 5}', "--memory", "4"], catch_exceptions=False)
    assert res.exit_code == 2 and "out of memory" in res.output and "--memory" in res.output
    big = tmp_path / "big.dsl"
    big.write_text("input n: Int\nlen([range(9999999) for i in range(9)])\n")
    res = CliRunner().invoke(main, ["run", str(big), "--input", '{"n": 5}'], catch_exceptions=False)
    assert res.exit_code == 2 and "out of memory" in res.output
