"""`synth solve` and `synth demo`: synthesize a program from a task file and test it on longer inputs.

A found program is never lost: `-o` is written as soon as the search ends, and
Ctrl-C (or SIGTERM) during the generalization check still prints the programs
and statistics found, then exits 130.
"""

from __future__ import annotations

import json
import math
import os
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Sequence, cast

import click

from dsl.errors import Pos, UserError
from dsl.files import counted, is_standard_output, loads_json, read_text, refuse_clashing_outputs, write_text_atomic
from dsl.printer import show
from synth.bundled import DEMO_TASK, demo_task_path
from synth.commands.params import DATA_FILE, INPUT_FILE
from synth.interrupts import WrapUp
from synth.report.generalize import SHORT, Score, check_sets, fails_short, generalization, is_shortcut, length_span, score_table
from synth.report.sameness import SameAs, Twins, tried_inputs
from synth.search.profiles import PROFILES, Profile, check_weight, get_profile, load_profile, with_weights
from synth.search.settings import DEFAULTS, MAX_COST_OPTION
from synth.search.solver import (
    DEFAULT_MAX_COST,
    DEFAULT_SEARCH_EXAMPLES,
    Result,
    describe_found_by,
    synthesize,
)
from tasks.filekinds import DATABASE, kind_of_bytes
from tasks.jsonpos import value_positions
from tasks.task import Task, has_generator, load_task

DEMO_LENGTHS = (6, 12, 26, 100, 1_000, 10_000)
SHORTCUT_MARK = "  <- SHORTCUT: fits the training examples, fails longer ones"
SHORT_MARK = "  <- WRONG ON SHORT INPUTS: fits the training examples, fails some of length {span}"


def _progress(enabled: bool):
    if not enabled:
        return None

    def report(cost: int, budget) -> None:
        click.echo(f"  cost {cost:>2}: {budget.enumerated:,} candidates, {budget.kept:,} kept", err=True)

    return report


def _stats_line(result: Result, short: bool = False) -> str:
    """The search's counts; `short` (fewer programs found than --all asked for) names what ended it, not "found"."""
    s = result.stats
    why = s.ended_by if short and s.stopped == "found" else s.stopped
    line = (
        f"search (profile {result.profile.name}): {counted(s.enumerated, 'candidate')} enumerated, "
        f"{s.pruned:,} pruned as equivalent, {counted(s.local_checks, 'rule body', 'rule bodies')} checked locally, "
        f"{counted(s.full_checks, 'program')} run; costs 1..{s.max_cost_searched} in {s.seconds:.2f} s ({why})"
    )
    total = len(result.task.train)
    if s.examples_searched < total or s.rounds > 1:
        line += (
            f"\n  searched on {s.examples_searched} of {counted(total, 'training example')} "
            f"in {counted(s.rounds, 'round')}; the rest checked the answer"
        )
    return line


class Seconds(click.FloatRange):
    """A positive number of seconds; NaN is refused here, naming the option (a float range lets it through: NaN compares false)."""

    name = "seconds"

    def __init__(self) -> None:
        super().__init__(min=0, min_open=True)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        seconds = super().convert(value, param, ctx)
        if math.isnan(seconds):
            self.fail(f"{value!r} is not a number of seconds: give a positive number, e.g. 60", param, ctx)
        return seconds


def _looks_like_path(spec: str) -> bool:
    """A --weights argument meant as a file: not an inline object, and named like one."""
    return not spec.lstrip().startswith("{") and (spec.endswith((".json", ".toml")) or "/" in spec or os.sep in spec)


def _weights(spec: str | None, profile: Profile) -> dict | None:
    """The --weights table: a JSON file or an inline JSON object, checked (synth.search.profiles.check_weight) against the profile before any work.

    Every error names the file (or --weights, for an inline object) and, for a
    bad key or weight, its line and column.
    """
    if spec is None:
        return None
    if not spec.strip():  # Path("") is the current folder
        raise UserError("--weights is empty (an unset shell variable?): give a JSON file or an inline object such as '{\"if\": 2}'")
    try:
        is_file, is_folder = Path(spec).is_file(), Path(spec).is_dir()
    except (OSError, ValueError):  # not a possible file name (too long, NUL): inline JSON
        is_file = is_folder = False
    if is_folder or (not is_file and _looks_like_path(spec)):  # a folder, whatever its name: not read as inline JSON
        what = "is a folder, not a file" if is_folder else "no such file"
        raise UserError(f"{what} (--weights takes a JSON file or an inline object such as '{{\"if\": 2}}')", file=spec)
    text = read_text(spec) if is_file else spec
    where = spec if is_file else "--weights"
    try:
        table = loads_json(text, file=where)
    except UserError as err:
        raise UserError(f"{err} (--weights takes a JSON file or an inline object such as '{{\"if\": 2}}')") from None
    if not isinstance(table, dict):
        raise UserError("must be a JSON object mapping primitives or node kinds to weights, e.g. '{\"if\": 2}'", file=where, pos=Pos(1, 1))
    for key, weight in table.items():
        try:
            check_weight(profile.primitives + profile.forms, key, weight)
        except UserError as err:
            raise UserError(err.message, file=where, pos=value_positions(text, depth=1).get((key,))) from None
    return table


@dataclass(frozen=True)
class Checked:
    """A found program with its generalization scores (None: not checked, the check was interrupted).

    `same_as` names the first earlier listed program with the same outputs on
    every input tried (synth.report.sameness), if there is one.
    """

    text: str
    cost: int
    scores: tuple[Score, ...] | None
    same_as: SameAs | None = None
    by: str = "levels"  # how the search found it (synth.search.solver.FOUND_BY)

    @property
    def tested(self) -> bool:
        """Scored on at least one example beyond the training set (an open task file without "test" has none)."""
        return self.scores is not None and any(s.examples for s in self.scores)

    def to_dict(self) -> dict[str, Any]:
        return {
            "program": self.text,
            "cost": self.cost,
            "generalization": None if self.scores is None else [s.to_dict() for s in self.scores],
            "shortcut": is_shortcut(self.scores) if self.scores is not None and self.tested else None,
            "fails_short": fails_short(self.scores) if self.scores is not None and self.tested else None,
            "tested": self.tested,
            "same_as": None if self.same_as is None else self.same_as.to_dict(),
            "found_by": self.by,
        }


def _unchecked(result: Result) -> list[Checked]:
    """Each found program, not checked on longer inputs (yet)."""
    return [Checked(show(f.program), f.cost, None, by=f.by) for f in result.found]


def check_generalization(task: Task, result: Result, count: int, seed: int) -> tuple[list[Checked], bool]:
    """Each found program with its scores on longer inputs, and its twin among the earlier ones; True as well if Ctrl-C cut the check short.

    The programs checked before the interrupt keep their scores, the others
    are listed unchecked: what the search found is never dropped.
    """
    checked = _unchecked(result)
    try:
        sets = check_sets(task, count=count, seed=seed)
    except KeyboardInterrupt:
        return checked, True
    twins = Twins(tried_inputs(task, sets), training=len(task.train))
    for k, found in enumerate(result.found):
        try:
            scores = generalization(found.program, task, count=count, seed=seed, sets=sets)
            checked[k] = replace(checked[k], scores=tuple(scores))  # kept if Ctrl-C comes next
            checked[k] = replace(checked[k], same_as=twins.add(k + 1, found.program))
        except KeyboardInterrupt:
            return checked, True
    return checked, False


def _wrong_mark(scores: Sequence[Score]) -> str:
    """The mark of a program that fails longer inputs (a shortcut), the shortest ones (the short set), or both."""
    span = next((s.span for s in scores if s.name == SHORT), None) or "0..2"
    if not fails_short(scores):
        return SHORTCUT_MARK
    if not is_shortcut(scores):
        return SHORT_MARK.format(span=span)
    return f"{SHORTCUT_MARK} and some of length {span}"


@dataclass(frozen=True)
class Limits:
    """What the search was asked for and allowed, to say why it found fewer programs than asked."""

    all_k: int
    max_cost: int
    timeout: float
    max_memory: int | None = None
    exhaustive_cost: int | None = None

    def reason(self, ended_by: str) -> str:
        """What ended the search, in words."""
        tried = f"every program up to cost {self.max_cost} was tried"
        if self.exhaustive_cost is not None and self.exhaustive_cost < self.max_cost:
            tried = (f"every program up to cost {self.exhaustive_cost} was tried (--exhaustive-cost), and above it "
                     f"root folds built from parts at most that dear, up to cost {self.max_cost}")
        return {
            "timeout": f"the {self.timeout:g} s timeout ran out",
            "memory": "the bank of values reached --max-values",
            "out of memory": f"the process reached --max-memory ({self.max_memory} MB)" if self.max_memory else "the process ran out of memory",
            "max-cost": tried,
            "frozen": (f"the banks froze (Settings.freeze_values): past that, only compositions of the values they held "
                       f"were tried, up to cost {self.max_cost}, so a cheaper program whose parts were never built may exist"),
            "capped": (f"a bank filled (Settings.bank_values): its dearer levels stayed empty, so the programs up to cost "
                       f"{self.max_cost} were tried only over what it held, and a cheaper program may exist"),
            "interrupted": "interrupted",
        }.get(ended_by, ended_by)


def _report(task: Task, result: Result, checked: Sequence[Checked], source: str, as_json: bool, interrupted: bool, limits: Limits,
            err: bool = False) -> None:
    """The search's outcome, as text or one JSON object; `err`: the text on standard error (`-o -` has standard output)."""

    def echo(line: str) -> None:
        click.echo(line, err=err)

    programs = [c.to_dict() for c in checked]
    short = len(programs) < limits.all_k  # fewer programs than --all asked for: say why
    reason = limits.reason(result.stats.ended_by) if short else None
    if as_json:
        out = {
            "task": source,
            "family": task.family,
            "train_examples": len(task.train),
            "profile": result.profile.name,
            "profile_detail": result.profile.to_dict(),
            "found": bool(programs),
            "program": programs[0]["program"] if programs else None,
            "cost": programs[0]["cost"] if programs else None,
            "stats": result.stats.to_dict(),
            "generalization": programs[0]["generalization"] if programs else [],
            "shortcut": programs[0]["shortcut"] if programs else None,
            "fails_short": programs[0]["fails_short"] if programs else None,
            "programs": programs,
            "asked": limits.all_k,
            "found_count": len(programs),
            "stopped_by": result.stats.ended_by if short else None,
            "stopped_reason": reason,
            "fresh_inputs": has_generator(task),
            "interrupted": interrupted or result.stats.stopped == "interrupted",
        }
        click.echo(json.dumps(out, indent=2))
        return
    count = len(task.train)
    echo(f"task: {source} ({task.family}, {count} training example{'' if count == 1 else 's'})")
    echo(f"profile: {result.profile.describe()}")
    if not checked:
        echo("no program found")
    for rank, c in enumerate(checked, 1):
        title = "program" if len(checked) == 1 else f"program #{rank}"
        verdict = ""
        if c.scores is not None and c.tested and (is_shortcut(c.scores) or fails_short(c.scores)):
            verdict = _wrong_mark(c.scores)  # one program or several: a program that gets inputs wrong is always marked
        elif len(checked) > 1 and c.scores is not None:
            # Without a generator, "right on the test examples" is all the evidence says.
            verdict = "  (untested)" if not c.tested else "  (generalizes)" if has_generator(task) else "  (right on the test examples)"
        twin = f"  ({c.same_as.describe()})" if c.same_as is not None else ""
        echo(f"{title} (cost {c.cost}):{verdict}{twin}")
        for line in c.text.splitlines():
            echo("  " + line)
        if c.by != "levels":
            echo(f"found by {describe_found_by(c.by)}: a cheaper consistent program may exist")
        if c.scores is None:
            echo("generalization: not checked (interrupted)")
            continue
        if not c.tested:
            echo(f"generalization: untested ({source} has no test examples, and the {task.family} family has no generator of longer inputs)")
            continue
        echo("generalization:" if has_generator(task) else f"generalization (the file's test examples only: the {task.family} family has no generator of longer inputs):")
        for line in score_table(c.scores, label_columns=task.family == "lego", spans={"test": length_span(task.test)}):
            echo(line)
    if short and limits.all_k > 1:
        echo(f"found {len(programs)} of the {limits.all_k} programs asked for (stopped: {reason})")
    echo(_stats_line(result, short))


@click.command("solve")
@click.argument("task_file", type=DATA_FILE)
@click.option("--timeout", type=Seconds(), default=60.0, show_default=True, help="Stop searching after this many seconds.")
@click.option("--max-cost", type=click.IntRange(1, MAX_COST_OPTION), default=DEFAULT_MAX_COST, show_default=True, help="Largest program cost (size, by default) to search.")
@click.option("--all", "all_k", type=click.IntRange(1, 1000), default=1, show_default=True, help="List the K cheapest consistent programs, each with its accuracy on longer inputs; shortcuts are marked, and so is a program "
              "with the same outputs as an earlier one on every input tried (training, test and the longer inputs). "
              "If --max-cost, --timeout or --max-values stops the search first, the output says how many of the K were found and why.")
@click.option("--weights", default=None, metavar="FILE|JSON", help="Cost per primitive or node kind, as JSON or a JSON file, e.g. '{\"if\": 2, \"mod\": 2}'. Default: every node costs 1.")
@click.option("--profile", "profile_name", type=click.Choice(sorted(PROFILES)), default="core", show_default=True, help="Grammar profile, the search's prior: core (generic primitives) or list (core plus the list library: head, take, sort, reverse, from_bits, ...; and the bisect loop form, a binary search).")
@click.option("--grammar", "grammar_file", type=INPUT_FILE, default=None, help="Your own profile: a TOML or JSON file with base, add, remove and weights (see README). Its base defaults to --profile.")
@click.option("--max-values", type=click.IntRange(min=1000), default=30_000_000, show_default=True, help="Cap on values stored in the search banks (memory).")
@click.option("--max-memory", type=click.IntRange(min=64), default=None, metavar="MB",
              help="Stop the search when this process's resident memory passes MB megabytes, with what it found (checked as the timeout is). Default: no cap; --max-values bounds the banks by count.")
@click.option("--max-examples", type=click.IntRange(min=1), default=DEFAULT_SEARCH_EXAMPLES, show_default=True, help="Search on this many training examples; the others check the answer, and one it gets wrong joins the search for another round.")
@click.option("--loop-depth", type=click.IntRange(0, 4), default=DEFAULTS.loop_depth, show_default=True, help="0: one loop, at the root of the program (fast); 1: loops anywhere in an expression, e.g. two loops joined by +; 2+: loops inside loop bodies too.")
@click.option("--exhaustive-cost", type=click.IntRange(1, MAX_COST_OPTION), default=DEFAULTS.exhaustive_cost, help="Search every program only up to this cost; above it, only root folds built from parts at most this dear (how a 14-node stack body is reached). Default: exhaustive at every cost.")
@click.option("--count", type=click.IntRange(1, 10_000), default=20, show_default=True, help="Fresh examples per length in the generalization check.")
@click.option("--seed", type=click.IntRange(0, None), default=0, show_default=True, help="Seed for the fresh examples.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object: program, cost, stats, generalization, programs.")
@click.option("-o", "--output", type=click.Path(writable=True), default=None,
              help="Also write the program to this file (DSL syntax, runnable by 'synth run'); '-': standard output, the report then on stderr. "
              "An existing file is replaced once the program is written whole; an SQLite database (a sweep's results) is refused.")
@click.option("--progress/--no-progress", default=None, help="Show search progress on stderr (default: when stderr is a terminal).")
def solve_command(task_file, timeout, max_cost, all_k, weights, profile_name, grammar_file, max_values, max_memory, max_examples, loop_depth, exhaustive_cost, count, seed, as_json, output, progress) -> None:
    """Synthesize the cheapest DSL program consistent with a task file's training records.

    Prints the program, its cost and the search statistics, then how it does
    on the task's test records and on fresh inputs 2x, 10x and 100x longer
    than the longest training input (at most 10,000 clauses).

    Exit status: 0 found, 1 no program up to --max-cost or within --timeout,
    --max-values or --max-memory (the message says which), 2 bad input, 130
    interrupted.

    \b
    Example:
      synth solve examples/lego_z2_official.json
      synth solve examples/parity_check.json --all 3 --json
      synth solve examples/reverse_string.json --profile list
    """
    if as_json and is_standard_output(output):  # the program's text, then the JSON object: a stream no JSON reader takes
        raise UserError(f"-o {output} and --json would share standard output: write the program to a file (-o FILE), or drop -o (the JSON object holds the program)")
    profile: Profile = get_profile(profile_name)
    if grammar_file is not None:
        if kind_of_bytes(grammar_file) == DATABASE:  # read as text it would be "not UTF-8", which names no mistake
            raise UserError("a results database (SQLite), not a grammar profile (TOML or JSON): "
                            "`synth suite report FILE` reads a database", file=grammar_file)
        profile = load_profile(grammar_file, base=profile)
    weights_file = weights if weights is not None and os.path.isfile(weights) else None
    refuse_clashing_outputs([output], [task_file, weights_file, grammar_file])
    weight_table = _weights(weights, profile)
    profile = with_weights(profile, weight_table)
    task = load_task(task_file)
    if progress is None:
        progress = sys.stderr.isatty()
    with WrapUp().installed() as guard:  # a second Ctrl-C never loses what the first one left (synth/interrupts.py)
        result = synthesize(
            task,
            timeout=timeout,
            max_cost=max_cost,
            all_k=all_k,
            weights=weight_table,
            max_values=max_values,
            max_memory_mb=max_memory,
            max_examples=max_examples,
            loop_depth=loop_depth,
            exhaustive_cost=exhaustive_cost,
            on_level=_progress(progress),
            profile=profile,
        )
        guard.hold()
        unwritten: UserError | None = None
        if output and result.program is not None:  # written before the generalization check, which an interrupt may cut short
            shown = task_file if task_file.isprintable() else json.dumps(task_file)  # a newline would end the comment
            header = f"# synthesized by lego-synth from {shown} (cost {result.cost})\n"
            try:
                write_text_atomic(output, header + show(result.program) + "\n", inputs=[task_file, weights_file, grammar_file])
            except UserError as err:  # a full disk, a name too long: the report below still shows the program
                unwritten = err
        with guard.passing():  # Ctrl-C cuts the check short; one pressed since the search stopped skips it
            checked, interrupted = (_unchecked(result), True) if guard.held else check_generalization(task, result, count, seed)
        limits = Limits(all_k, max_cost, timeout, max_memory, exhaustive_cost)
        _report(task, result, checked, task_file, as_json, interrupted, limits, err=is_standard_output(output))  # -o -: stdout is the program's
        if unwritten is not None:
            click.echo(f"error: {unwritten} (the program found is in the report above)", err=True)
        if interrupted or result.stats.stopped == "interrupted":
            click.echo("interrupted" + (": generalization check cut short" if interrupted else ""), err=True)
            sys.exit(130)
        if unwritten is not None:
            sys.exit(2)
        if result.program is None:
            searched = result.stats.ended_by == "max-cost"  # every program was tried, not cut short by a limit
            head = "no consistent program found" if searched else "the search stopped before it found a consistent program"
            click.echo(f"{head}: {limits.reason(result.stats.ended_by)}", err=True)
            sys.exit(1)


@click.command("demo")
@click.option("--json", "as_json", is_flag=True, help="Print the result as one JSON object.")
def demo_command(as_json: bool) -> None:
    """Synthesize the LEGO resolver from 3 bundled sentences of 6 clauses, then test it up to 10,000 clauses.

    The bundled task is the paper's Z2 setting in its own token syntax
    (`a = val 1 , b = not a , ...`). The table shows the found program's
    accuracy on fresh shuffled sentences of each length.
    """
    from synth.report.generalize import by_length

    path = demo_task_path()
    task = load_task(str(path))
    result = synthesize(task, timeout=60)
    if result.program is None:
        raise UserError(f"the demo search found no program ({result.stats.stopped})")
    interrupted = False
    try:
        scores = by_length(result.program, task, DEMO_LENGTHS)
    except KeyboardInterrupt:
        scores, interrupted = [], True  # still show the program found
    if as_json:
        out = {"profile": result.profile.name, "profile_detail": result.profile.to_dict(), "program": show(result.program), "cost": result.cost, "stats": result.stats.to_dict(), "by_length": [s.to_dict() for s in scores]}
        click.echo(json.dumps({**out, "interrupted": interrupted}, indent=2))
    else:
        longest = max(len(cast(tuple, ex.inputs["clauses"])) for ex in task.train)
        click.echo(f"LEGO over Z2: {len(task.train)} training sentences of {longest} clauses (bundled: {DEMO_TASK})")
        click.echo(f"found program (cost {result.cost}):")
        for line in show(result.program).splitlines():
            click.echo("  " + line)
        click.echo(_stats_line(result))
        click.echo("accuracy on fresh shuffled sentences, by length:")
        for line in score_table(scores):
            click.echo(line)
    if interrupted:
        click.echo("interrupted: accuracy check cut short", err=True)
        sys.exit(130)


COMMANDS = [solve_command, demo_command]
