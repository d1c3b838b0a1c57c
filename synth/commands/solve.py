"""`synth solve` and `synth demo`: synthesize a program from a task file and test it on longer inputs."""

from __future__ import annotations

import json
import sys
from importlib import resources
from pathlib import Path

import click

from dsl.errors import UserError
from dsl.files import loads_json, read_text
from dsl.printer import show
from synth.report.generalize import Score, generalization, is_shortcut
from synth.search.solver import DEFAULT_MAX_COST, DEFAULT_SEARCH_EXAMPLES, Result, synthesize
from tasks.task import Task, load_task

DEMO_TASK = "demo_lego.json"
DEMO_LENGTHS = (6, 12, 26, 100, 1_000, 10_000)


def _progress(enabled: bool):
    if not enabled:
        return None

    def report(cost: int, budget) -> None:
        click.echo(f"  cost {cost:>2}: {budget.enumerated:,} candidates, {budget.kept:,} kept", err=True)

    return report


def _stats_line(result: Result) -> str:
    s = result.stats
    line = (
        f"search: {s.enumerated:,} candidates enumerated, {s.pruned:,} pruned as equivalent, "
        f"{s.local_checks:,} rule bodies checked locally, {s.full_checks:,} programs run; "
        f"costs 1..{s.max_cost_searched} in {s.seconds:.2f} s ({s.stopped})"
    )
    total = len(result.task.train)
    if s.examples_searched < total or s.rounds > 1:
        line += (
            f"\n  searched on {s.examples_searched} of {total} training examples "
            f"in {s.rounds} round(s); the rest checked the answer"
        )
    return line


def _score_table(scores: list[Score]) -> list[str]:
    lines = [f"  {'set':<6} {'length':>7} {'examples':>9} {'accuracy':>9} {'labels':>8} {'label acc':>10}"]
    for sc in scores:
        length = "-" if sc.length is None else str(sc.length)
        lines.append(
            f"  {sc.name:<6} {length:>7} {sc.examples:>9} {sc.accuracy:>9.1%} {sc.labels:>8} {sc.label_accuracy:>10.1%}"
        )
    return lines


def _weights(spec: str | None) -> dict | None:
    if spec is None:
        return None
    try:
        is_file = Path(spec).is_file()
    except (OSError, ValueError):  # not a possible file name (too long, NUL): inline JSON
        is_file = False
    text = read_text(spec) if is_file else spec
    try:
        table = loads_json(text, file=spec if is_file else "--weights")
    except UserError as err:
        raise UserError(f"{err} (--weights takes a JSON file or an inline object such as '{{\"if\": 2}}')") from None
    if not isinstance(table, dict):
        raise UserError("--weights must be a JSON object mapping primitives or node kinds to weights")
    return table


def _report(task: Task, result: Result, source: str, as_json: bool, count: int, seed: int) -> dict:
    entries = []
    for found in result.found:
        scores = generalization(found.program, task, count=count, seed=seed)
        entries.append(
            {
                "program": show(found.program),
                "cost": found.cost,
                "generalization": [s.to_dict() for s in scores],
                "shortcut": is_shortcut(scores),
                "_scores": scores,
            }
        )
    out = {
        "task": source,
        "family": task.family,
        "train_examples": len(task.train),
        "found": bool(entries),
        "program": entries[0]["program"] if entries else None,
        "cost": entries[0]["cost"] if entries else None,
        "stats": result.stats.to_dict(),
        "generalization": entries[0]["generalization"] if entries else [],
        "programs": [{k: v for k, v in e.items() if k != "_scores"} for e in entries],
    }
    if as_json:
        click.echo(json.dumps(out, indent=2))
        return out
    click.echo(f"task: {source} ({task.family}, {len(task.train)} training examples)")
    if not entries:
        click.echo("no program found")
    for rank, e in enumerate(entries, 1):
        title = "program" if len(entries) == 1 else f"program #{rank}"
        verdict = ""
        if len(entries) > 1:
            verdict = "  <- SHORTCUT: fits the training examples, fails longer ones" if e["shortcut"] else "  (generalizes)"
        click.echo(f"{title} (cost {e['cost']}):{verdict}")
        for line in e["program"].splitlines():
            click.echo("  " + line)
        click.echo("generalization:")
        for line in _score_table(e["_scores"]):
            click.echo(line)
    click.echo(_stats_line(result))
    return out


@click.command("solve")
@click.argument("task_file", type=click.Path(dir_okay=False))
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=60.0, show_default=True, help="Stop searching after this many seconds.")
@click.option("--max-cost", type=click.IntRange(1, 200), default=DEFAULT_MAX_COST, show_default=True, help="Largest program cost (size, by default) to search.")
@click.option("--all", "all_k", type=click.IntRange(1, 1000), default=1, show_default=True, help="List the K cheapest consistent programs, each with its accuracy on longer inputs; shortcuts are marked.")
@click.option("--weights", default=None, help="Cost per primitive or node kind, as JSON or a JSON file, e.g. '{\"if\": 2, \"mod\": 2}'. Default: every node costs 1.")
@click.option("--max-values", type=click.IntRange(min=1000), default=30_000_000, show_default=True, help="Cap on values stored in the search banks (memory).")
@click.option("--max-examples", type=click.IntRange(min=1), default=DEFAULT_SEARCH_EXAMPLES, show_default=True, help="Search on this many training examples; the others check the answer, and one it gets wrong joins the search for another round.")
@click.option("--count", type=click.IntRange(1, 10_000), default=20, show_default=True, help="Fresh examples per length in the generalization check.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed for the fresh examples.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object: program, cost, stats, generalization, programs.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None, help="Also write the program to this file (DSL syntax, runnable by 'synth run').")
@click.option("--progress/--no-progress", default=None, help="Show search progress on stderr (default: when stderr is a terminal).")
def solve_command(task_file, timeout, max_cost, all_k, weights, max_values, max_examples, count, seed, as_json, output, progress) -> None:
    """Synthesize the cheapest DSL program consistent with a task file's training records.

    Prints the program, its cost and the search statistics, then how it does
    on the task's test records and on fresh inputs 2x, 10x and 100x longer
    than the longest training input (at most 10,000 clauses).

    Exit status: 0 found, 1 no program up to --max-cost or within --timeout,
    2 bad input, 130 interrupted.

    \b
    Example:
      synth solve examples/lego_z2_official.json
      synth solve examples/parity_check.json --all 3 --json
    """
    task = load_task(task_file)
    if progress is None:
        progress = sys.stderr.isatty()
    result = synthesize(
        task,
        timeout=timeout,
        max_cost=max_cost,
        all_k=all_k,
        weights=_weights(weights),
        max_values=max_values,
        max_examples=max_examples,
        on_level=_progress(progress),
    )
    if output and result.program is not None:
        Path(output).write_text(f"# synthesized by lego-synth from {task_file} (cost {result.cost})\n" + show(result.program) + "\n")
    _report(task, result, task_file, as_json, count, seed)
    if result.stats.stopped == "interrupted":
        sys.exit(130)
    if result.program is None:
        reason = {
            "timeout": f"the {timeout:g} s timeout ran out",
            "memory": "the bank of values reached --max-values",
            "exhausted": f"every program up to cost {max_cost} was tried",
        }.get(result.stats.stopped, result.stats.stopped)
        click.echo(f"no consistent program found: {reason}", err=True)
        sys.exit(1)


def demo_task_path() -> Path:
    return Path(str(resources.files("synth") / "data" / DEMO_TASK))


@click.command("demo")
@click.option("--json", "as_json", is_flag=True, help="Print the result as one JSON object.")
def demo_command(as_json: bool) -> None:
    """Synthesize the LEGO resolver from 3 bundled sentences of 6 clauses, then test it up to 10,000 clauses.

    The bundled task is the paper's Z2 setting in its own token syntax
    (`a = val 1 , b = not a , ...`). The table shows the found program's
    accuracy on fresh shuffled sentences of each length.
    """
    from synth.report.generalize import score
    from tasks.task import fresh_examples

    path = demo_task_path()
    task = load_task(str(path))
    result = synthesize(task, timeout=60)
    if result.program is None:
        raise UserError(f"the demo search found no program ({result.stats.stopped})")
    scores = [score(result.program, fresh_examples(task, n, max(1, min(50, 100_000 // n)), seed), "fresh", n) for seed, n in enumerate(DEMO_LENGTHS)]
    if as_json:
        click.echo(json.dumps({"program": show(result.program), "cost": result.cost, "stats": result.stats.to_dict(), "by_length": [s.to_dict() for s in scores]}, indent=2))
        return
    click.echo(f"LEGO over Z2: {len(task.train)} training sentences of {max(len(ex.inputs['clauses']) for ex in task.train)} clauses (bundled: {DEMO_TASK})")
    click.echo(f"found program (cost {result.cost}):")
    for line in show(result.program).splitlines():
        click.echo("  " + line)
    click.echo(_stats_line(result))
    click.echo("accuracy on fresh shuffled sentences, by length:")
    for line in _score_table(scores):
        click.echo(line)


COMMANDS = [solve_command, demo_command]
