"""`synth bench`: measure the project's speed claims on this machine."""

from __future__ import annotations

import fnmatch
import json
import os
import statistics
import time

import click

from synth.benchmarks import Benchmark, all_benchmarks


def _cpu_seconds() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def _measure(bench: Benchmark, repeat: int) -> dict:
    thunk = bench.setup()
    times = []
    work = bench.work
    clock = _cpu_seconds if bench.clock == "cpu" else time.perf_counter
    for _ in range(repeat):
        start = clock()
        out = thunk()
        times.append(clock() - start)
        if bench.work_from_run:
            work = out
    median = statistics.median(times)
    row: dict = {
        "name": bench.name,
        "claim": bench.claim,
        "repeat": repeat,
        "clock": bench.clock,
        "median_s": median,
        "min_s": min(times),
        "max_s": max(times),
    }
    ok = True
    if bench.target_seconds is not None:
        row["target_s"] = bench.target_seconds
        ok = ok and median <= bench.target_seconds
    if work is not None:
        row["work"] = work
        row["rate"] = work / median if median > 0 else float("inf")
        row["unit"] = bench.unit
        if bench.target_rate is not None:
            row["target_rate"] = bench.target_rate
            ok = ok and row["rate"] >= bench.target_rate
    row["meets_target"] = ok
    return row


def _describe(row: dict) -> str:
    unit = "CPU-s" if row.get("clock") == "cpu" else "s"
    text = f"{row['name']:<28} median {row['median_s']:.4f} {unit} (min {row['min_s']:.4f}, n={row['repeat']})"
    if "rate" in row:
        text += f"  {row['rate']:,.0f} {row['unit']}"
    targets = []
    if "target_s" in row:
        targets.append(f"<= {row['target_s']} {unit}")
    if "target_rate" in row:
        targets.append(f">= {row['target_rate']:,.0f} {row['unit']}")
    if targets:
        text += f"  target {' and '.join(targets)}: {'ok' if row['meets_target'] else 'MISSED'}"
    return text


@click.command("bench")
@click.option("--only", "pattern", default="*", show_default=True, help="Run only benchmarks whose name matches this glob, e.g. 'dsl.*'.")
@click.option("--repeat", type=click.IntRange(1, 1000), default=None, help="Timed runs per benchmark (default: each benchmark's own, usually 5).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per benchmark instead of a table.")
@click.option("--list", "list_only", is_flag=True, help="List the benchmarks and their claims, run nothing.")
def bench_command(pattern: str, repeat: int | None, as_json: bool, list_only: bool) -> None:
    """Time the project's speed claims on this machine.

    Each benchmark prepares its input untimed, then times its work several
    times and reports the median (and a rate where it counts work), with the
    target from the project's claims and whether this machine meets it.
    """
    chosen = [b for b in all_benchmarks() if fnmatch.fnmatch(b.name, pattern)]
    if not chosen:
        raise click.UsageError(f"no benchmark matches {pattern!r}; see synth bench --list")
    for bench in chosen:
        if list_only:
            click.echo(f"{bench.name:<28} {bench.claim}")
            continue
        click.echo(f"running {bench.name} ...", err=True)
        row = _measure(bench, repeat or bench.repeat)
        click.echo(json.dumps(row) if as_json else _describe(row))


COMMANDS = [bench_command]
