"""`synth bench`: measure the project's speed claims on this machine."""

from __future__ import annotations

import fnmatch
import json
import sys

import click

from dsl.errors import UserError
from dsl.files import counted
from synth.benchmarks import all_benchmarks
from synth.benchmarks.measure import measure
from synth.benchmarks.sidebyside import ROUNDS, Side, SideBySide, baseline_tree, side_by_side


def _number(x: float) -> str:
    """Rates as counts (455,954 clauses/s) or ratios (1.8 x), never a ratio rounded to a whole number."""
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:.3g}"


def _target(row: dict) -> str | None:
    """A benchmark's target in words ("<= 2.0 CPU-s and >= 300,000 clauses/s"), None if it has none."""
    unit = "CPU-s" if row["clock"] == "cpu" else "s"
    targets = []
    if row.get("target_s") is not None:
        targets.append(f"<= {row['target_s']} {unit}")
    if row.get("target_rate") is not None:
        targets.append(f">= {_number(row['target_rate'])} {row['unit']}")
    return " and ".join(targets) or None


def _describe(row: dict, width: int = 28) -> str:
    unit = "CPU-s" if row["clock"] == "cpu" else "s"
    text = f"{row['name']:<{width}} median {row['median_s']:.4f} {unit} (min {row['min_s']:.4f}, n={row['repeat']})"
    if "rate" in row:
        text += f"  {_number(row['rate'])} {row['unit']}"
    target = _target(row)
    text += f"  target {target}: {'ok' if row['meets_target'] else 'MISSED'}" if target else "  no target"
    if "error" in row:
        text += f"  FAILED: {row['error']}"
    elif "outcome" in row:
        text += f"  {row['outcome']}"
    return text


def _pair(found: SideBySide, width: int) -> str:
    """One line for a benchmark timed in both trees: each side's median (and rate), then the speed-up."""
    def side(name: str, runs: Side) -> str:
        if runs.missing:
            return f"{name}: not run ({runs.missing})"
        first = runs.rows[0]
        unit = "CPU-s" if first["clock"] == "cpu" else "s"
        text = f"{name} {runs.median_s:.4f} {unit}"
        if runs.rate is not None:
            text += f" ({_number(runs.rate)} {found.unit})"
        return text + (f" FAILED: {runs.error}" if runs.error else "")

    speedup = found.speedup
    verdict = "" if speedup is None else f"  speed-up {speedup:.2f}x"
    target = _target(found.this.rows[0]) if found.this.rows else None
    verdict += f"  target {target}: {'ok' if found.this.meets_target else 'MISSED'}" if target else ""
    rounds = max(len(found.this.rows), len(found.baseline.rows))
    return f"{found.name:<{width}} {side('this', found.this)}; {side('baseline', found.baseline)}{verdict}  [{counted(rounds, 'round')}]"


@click.command("bench")
@click.option("--only", "patterns", multiple=True, metavar="GLOB",
              help="Run only benchmarks whose name matches this glob, e.g. 'dsl.*'; give it again for more (any may match). "
                   "Default: all.")
@click.option("--repeat", type=click.IntRange(1, 1000), default=None, help="Timed runs per benchmark (default: each benchmark's own, usually 5).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per benchmark instead of a table.")
@click.option("--list", "list_only", is_flag=True, help="List the benchmarks and their claims, run nothing.")
@click.option("--check", is_flag=True, help="Exit with status 1 when any benchmark misses its target (with --baseline: this code's).")
@click.option("--baseline", default=None, metavar="DIR",
              help="Time each benchmark in the lego-synth tree at DIR too (a checkout or git worktree of another version), "
                   "side by side: alternating rounds of fresh processes; prints both medians and this code's speed-up.")
@click.option("--rounds", type=click.IntRange(1, 100), default=None,
              help="With --baseline: rounds per benchmark (default 3), each one process per tree, the first tree swapped each round.")
def bench_command(patterns: tuple[str, ...], repeat: int | None, as_json: bool, list_only: bool, check: bool, baseline: str | None,
                  rounds: int | None) -> None:
    """Time the project's speed claims on this machine, in CPU seconds.

    Each benchmark prepares its input untimed, then times its work several
    times (CPU time of this process, as the machine may be shared; a claim
    about wall time says so) and reports the median (and a rate where it
    counts work), with the target from the project's claims and whether this
    machine meets it. With --check the exit status is 1 if any target is missed.

    With --baseline DIR, each benchmark is timed in this code and in the
    lego-synth tree at DIR (e.g. `git worktree add ../prev v0.1`), in
    --rounds alternating rounds of a fresh process per tree, the tree that
    goes first swapped each round: on a shared machine, only figures measured
    side by side compare. Each side's figure is the median of its rounds'
    medians; the speed-up compares rates where the benchmark counts work,
    else CPU seconds. Pin the process to a core (`taskset -c 1 synth bench
    ...`) to keep the two from sharing the other core with the machine's
    other work.
    """
    if rounds is not None and baseline is None:
        raise UserError("--rounds counts the rounds of a side-by-side run: give --baseline DIR too")
    if list_only:  # --list runs nothing: a run's option would be silently ignored
        given = [name for name, on in (("--check", check), ("--repeat", repeat is not None), ("--json", as_json),
                                       ("--baseline", baseline is not None)) if on]
        if given:
            raise UserError(f"--list runs nothing, so {' and '.join(given)} would do nothing: drop {'them' if len(given) > 1 else 'it'}, or drop --list to run")
    every = all_benchmarks()
    for pattern in patterns:  # a glob that matches nothing is a typo, even beside one that does
        if not any(fnmatch.fnmatch(b.name, pattern) for b in every):
            raise click.UsageError(f"no benchmark matches {pattern!r}; see synth bench --list")
    chosen = [b for b in every if not patterns or any(fnmatch.fnmatch(b.name, p) for p in patterns)]
    missed: list[str] = []
    width = max(len(b.name) for b in chosen)  # names line up (search.random100.list.missing_duplicate_string is 47)
    tree = baseline_tree(baseline) if baseline is not None else None  # (--list with --baseline is refused above)
    for bench in chosen:
        if tree is not None:
            click.echo(f"running {bench.name} in both trees ...", err=True)
            found = side_by_side(bench.name, tree, rounds or ROUNDS, repeat)
            click.echo(json.dumps(found.to_dict()) if as_json else _pair(found, width))
            if found.this.missing or found.this.error or found.this.meets_target is False:
                missed.append(bench.name)
            continue
        if list_only:
            target = _target({"clock": bench.clock, "target_s": bench.target_seconds, "target_rate": bench.target_rate, "unit": bench.unit})
            said = target or "no target" in bench.claim  # most claims without a target say so, with the reason
            click.echo(f"{bench.name:<{width}} {bench.claim}" + (f"  [target {target}]" if target else "" if said else "  [no target]"))
            continue
        click.echo(f"running {bench.name} ...", err=True)
        m = measure(bench, repeat)
        row = m.to_dict()
        click.echo(json.dumps(row) if as_json else _describe(row, width))
        if m.failed:
            missed.append(bench.name)
    if check and missed:
        click.echo(f"missed target{'s' if len(missed) > 1 else ''}: {', '.join(missed)}", err=True)
        sys.exit(1)


COMMANDS = [bench_command]
