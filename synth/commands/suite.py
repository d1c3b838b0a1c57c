"""`synth suite`: sweeps of searches over tasks, seeds and settings (run, report, status, diff, spec)."""

from __future__ import annotations

import dataclasses
import json
import os
import shlex
import sys
from dataclasses import replace

import click

from dsl.errors import UserError
from dsl.files import atomic_output, counted, is_standard_output, refuse_clashing_outputs
from synth.commands.params import DATA_FILE, REPLACES, refuse_folder, refuse_non_utf8, refuse_shared_stdout
from synth.report.plot import plot_format
from synth.suite import diff as suite_diff
from synth.suite import render, versions
from synth.suite import status as suite_status
from synth.suite.backends import make_backend
from synth.suite.headline import headline, programs
from synth.suite.progress import Progress
from synth.suite.runner import Summary, run_sweep
from synth.suite.shard import Shard
from synth.suite.spec import BUNDLED, bundled_text, plan
from synth.suite.store import Store, read_rows


@click.group("suite")
def suite_group() -> None:
    """Sweeps: many searches over tasks, seeds and settings, one SQLite row per search.

    `run` a TOML spec (or task files, one search each), resumably, on a local
    process pool, a shard of a job array or a Ray cluster; `report` the
    headline table beside the published neural results; `status` lists what a
    database holds, its failed cells and what a grid still has to run; `diff`
    the cells whose result changed between two sweeps; `spec` prints a bundled
    spec to start from.
    """


def _resume_command(inputs: tuple[str, ...], bundled: tuple[str, ...], db: str, jobs: int | None, shard: str | None, ray: str | None,
                    quiet: bool) -> str:
    """The command that finishes the run: never --redo (a redo's rows still to run are marked stale, and a plain run runs them).

    An input named like an option (`-s.toml`) goes last, after `--`; `--ray`
    then takes its value after `=` (empty: a local instance), as `--ray` alone
    would take `--` for its address.
    """
    dashed = any(name.startswith("-") for name in inputs)
    parts = ["synth", "suite", "run", *(f"--bundled={b}" for b in bundled), *(() if dashed else inputs), "--db", db]
    if quiet:
        parts.append("--quiet")
    if jobs:
        parts += ["--jobs", str(jobs)]
    if shard:
        parts += ["--shard", shard]
    if ray is not None:
        parts.append(f"--ray={ray}" if ray or dashed else "--ray")
    if dashed:
        parts += ["--", *inputs]
    return shlex.join(parts)


def _shard(text: str | None) -> Shard | None:
    """`--shard i/N`, or None when not given; given empty, it is refused: taken as not given, each job of an array would run the whole grid."""
    if text is None:
        return None
    if not text:
        raise UserError("--shard is empty (an unset shell variable?): give i/N, e.g. 1/4")
    return Shard.parse(text)


def _summary_line(summary: Summary, shard: str | None = None) -> str:
    """The line a run ends with; with --shard, its cells are the shard's, not the whole grid's."""
    scope = f"shard {shard} of the grid" if shard else "the grid"
    text = f"{counted(summary.ran, 'cell')} run ({summary.failed} failed)"
    if summary.retried:
        text += f", of which {summary.retried} retried (an error or stale row before)"
    if summary.skipped:
        text += f", {summary.skipped} already in the database"
    text += f"; {counted(summary.cells, 'cell')} in {scope}"
    if summary.other_code:
        text += (f"; {counted(summary.other_code, 'cell')} of them had rows of another code version, kept beside "
                 f"this code's (`synth suite status DB` lists them, `synth suite report --code-version V` picks one)")
    return text


def _database(db: str, given_as: str = "--db") -> str:
    """`db` as a results database's file name; `given_as` names where it was given (an option, or an argument)."""
    if db == "-" or not db.strip():
        raise UserError(f"{given_as} needs a file name for the results database, not {db!r}")
    refuse_non_utf8(db)
    refuse_folder(db)
    if os.path.exists(db) and not os.path.isfile(db):  # SQLite's own word for it was a disk I/O error, or a rollback failing
        raise UserError("is a pipe or a device, not a regular file: a results database is an SQLite file", file=db)
    return db


@suite_group.command("run")
@click.argument("inputs", nargs=-1, type=DATA_FILE)
@click.option("--db", required=True, metavar="FILE", help="The SQLite results database (created if missing; one row per cell; a file holding other tables is refused).")
@click.option("--bundled", multiple=True, type=click.Choice(sorted(BUNDLED)), help="Run a spec shipped with lego-synth (see `synth suite spec`).")
@click.option("--jobs", type=click.IntRange(1), default=None, help="Cells at once (default: the number of cores, or of the Ray cluster's CPUs).")
@click.option("--shard", default=None, metavar="i/N", help="Run only the i-th of N disjoint slices of the grid (1 <= i <= N), e.g. one per job of an array.")
@click.option("--ray", "ray", is_flag=False, flag_value="", default=None, metavar="[ADDRESS]", help="Run cells as Ray tasks: on the cluster at ADDRESS, or on a local Ray instance (write --ray=ADDRESS or put --ray last).")
@click.option("--redo", is_flag=True, help="Run every cell of the grid again: their rows are marked stale first, and replaced one by one; if interrupted, the same command without --redo finishes the redo.")
@click.option("--quiet", is_flag=True, help="No progress line.")
def run_command(inputs: tuple[str, ...], db: str, bundled: tuple[str, ...], jobs: int | None, shard: str | None, ray: str | None, redo: bool, quiet: bool) -> None:
    """Run the cells of SPEC.toml files and TASK files (each task file: one cell, default settings).

    Finished cells are committed one by one; running the same command again
    skips the cells that have a result (found, exhausted, timeout, memory) and
    runs the rest: new cells, cells whose row is an `error` (a crashed or
    killed worker, not a search result: retried) and rows a `--redo` has not
    replaced yet. Exit 1 if a cell of this run ended in error (the rows keep
    the message: `synth suite status DB`), 130 on Ctrl-C.

    A cell's identity includes the code version (the package version and a
    fingerprint of the code that decides results): after the code changes,
    every cell runs again, and the old code's rows stay in the database.
    """
    if ray and os.path.exists(ray):
        raise UserError(f"--ray took {ray!r} as the cluster's address; write --ray=ADDRESS, or put --ray after the inputs")
    if not inputs and not bundled:
        raise click.UsageError("give a spec (SPEC.toml), task files or --bundled NAME")
    chosen = _shard(shard)
    refuse_clashing_outputs([_database(db)], inputs, replaced=False)  # a database run adds to, in place
    cells = plan(inputs, bundled)
    if chosen is not None:
        cells = chosen.select(cells)
    backend = make_backend("ray" if ray is not None else "local", jobs, ray or None)
    backend.capacity()  # Ray started (or refused) before the database is opened: a bad --ray leaves no file behind
    with Store(db) as store:
        summary = run_sweep(cells, store, backend, redo=redo, progress=Progress(enabled=not quiet))
    shown = str(chosen) if chosen is not None else None  # as parsed: 01/02 is said 1/2
    click.echo(_summary_line(summary, shown), err=True)
    if store.at_rest is False:
        click.echo(
            f"note: {db} stays in WAL mode: another process has it open (a report, a notebook, another shard). "
            f"Its rows are in {db} itself; the -wal and -shm files beside it go when the last writer closes it "
            "(or a later `synth suite run` on it ends)",
            err=True,
        )
    again = _resume_command(inputs, bundled, db, jobs, shown, ray, quiet)
    if summary.interrupted:
        redone = " (it finishes the redo: rows not redone yet are marked stale)" if redo else ""
        click.echo(f"interrupted: finished cells are saved in {db}; resume with{redone}:\n  {again}", err=True)
        sys.exit(130)
    if summary.failed:
        click.echo(
            f"{counted(summary.failed, 'cell')} ended in error; `synth suite status {shlex.quote(db)}` shows the messages, "
            f"and the same command retries them:\n  {again}",
            err=True,
        )
        sys.exit(1)


@suite_group.command("report")
@click.argument("databases", nargs=-1, required=True, type=DATA_FILE)
@click.option("--csv", "csv_path", default=None, metavar="FILE", help="Also write the table as CSV (plain numbers; \"not found\" the count of seeds without a program, then a \"not found: STATUS\" column per status) to this file; - for standard output, the table then going to standard error. " + REPLACES)
@click.option("--json", "json_path", default=None, metavar="FILE", help="Also write the table as JSON (plain values by column, \"not found\" a mapping status -> count, and the notes) to this file; - for standard output, the table then going to standard error. " + REPLACES)
@click.option("--markdown", is_flag=True, help="Print the table as Markdown.")
@click.option("--latex", is_flag=True, help="Print the table (and the programs) as a LaTeX tabular.")
@click.option("--plot", "plot_path", default=None, metavar="FILE", help="Also draw the table (PNG, PDF or SVG by extension; needs matplotlib). " + REPLACES)
@click.option("--programs", "with_programs", is_flag=True, help="Also list the program each line's seeds found most often (a tie: the smallest, then the first by text), with its size (AST nodes) and CPU seconds.")
@click.option("--code-version", "code_version", default=None, metavar="V",
              help=f"Report only the rows of code version V (as `synth suite status` lists them; `{versions.CURRENT}`: the running code's).")
def report_command(databases: tuple[str, ...], csv_path: str | None, json_path: str | None, markdown: bool, latex: bool,
                   plot_path: str | None, with_programs: bool, code_version: str | None) -> None:
    """The headline table of one or more results databases (merged): task x profile x training set.

    A line holds the cells that differ only in their seed. Solved seeds,
    exact accuracy at the test lengths, median CPU seconds, beside the
    published neural scores for the Chomsky tasks with their status.

    Every row carries the code version that produced it (the package version
    and a fingerprint of the code that decides results, e.g. 0.1.0+3f9a2c1d0b7e).
    All versions are reported, but rows of two versions are never pooled into
    one line: where two lines would share a label, the version follows it;
    the table's notes name the version(s), and standard error says when there
    are several, or when none is the running code's. --code-version picks one.
    """
    refuse_shared_stdout(**{"--csv": csv_path, "--json": json_path, "--plot": plot_path})
    if markdown and latex:  # one flag used to win silently
        raise UserError("--markdown and --latex each print the table: give one (run the command twice for both)")
    fmt = "markdown" if markdown else "latex" if latex else None
    for database in databases:
        _database(database, "DATABASES")
    refuse_clashing_outputs([csv_path, json_path, plot_path], databases)
    if plot_path:
        plot_format(plot_path)  # refused before any output is written
    rows = read_rows(databases)
    if not rows:
        raise UserError(f"no results in {', '.join(databases)}")
    if code_version is not None:
        rows = versions.only(rows, code_version)
    lines = headline(rows)
    shown = {"markdown": render.as_markdown, "latex": render.as_latex}.get(fmt or "", render.as_text)
    aside = any(map(is_standard_output, (csv_path, json_path, plot_path)))  # standard output holds the data: the table goes to standard error
    click.echo(shown(lines), err=aside)
    if with_programs:
        listed = programs(rows)
        click.echo("", err=aside)
        none = ("% " if fmt == "latex" else "") + "no programs found (no seed of any line found one)"
        click.echo(render.programs_table(listed, fmt) if listed else none, err=aside)
    for note in versions.notes(rows):
        click.echo(note, err=True)
    stale = sum(line.stale for line in lines)
    if stale:
        click.echo(
            f"note: {counted(stale, 'row')} shown {'is' if stale == 1 else 'are'} stale: from before a `suite run --redo` that did not finish; "
            "running the same command without --redo finishes it",
            err=True,
        )
    if csv_path:
        render.write_csv(lines, csv_path, inputs=databases)
    if json_path:
        render.write_json(lines, json_path, inputs=databases)
    if plot_path:
        render.plot(lines, plot_path, inputs=databases)


@suite_group.command("status")
@click.argument("database", type=DATA_FILE)
@click.argument("inputs", nargs=-1, type=DATA_FILE)
@click.option("--bundled", multiple=True, type=click.Choice(sorted(BUNDLED)), help="The grid of a spec shipped with lego-synth.")
@click.option("--shard", default=None, metavar="i/N", help="Only the i-th of N slices of the grid, as `run --shard`.")
@click.option("--all", "list_all", is_flag=True,
              help=f"List every failed cell and every cell still to run (by default the first {suite_status.LISTED} of each, the rest counted).")
def status_command(database: str, inputs: tuple[str, ...], bundled: tuple[str, ...], shard: str | None, list_all: bool) -> None:
    """What DATABASE holds: rows by status, stale rows, the failed cells with their error text.

    With the grid of a run (SPEC.toml files, task files, --bundled), also
    the cells still to run: not run yet, failed (error) or stale; before the
    first run (no DATABASE yet) that is a preview of the whole grid. An empty
    (zero-byte) file is an empty database, as for `run`.

    Also the running code's version, and how many rows are of other code
    versions: those are kept but never reused, so the grid's cells count as
    still to run until the current code has run them. The failed cells and
    the cells still to run are listed up to a cap and the rest counted
    (a grid may hold 200,000 cells); --all lists every one.
    """
    cells = None
    chosen = _shard(shard)
    if chosen is not None and not (inputs or bundled):
        raise click.UsageError("--shard takes a slice of a grid: give the run's SPEC.toml files, task files or --bundled NAME too")
    if inputs or bundled:
        cells = plan(inputs, bundled)
        if chosen is not None:
            cells = chosen.select(cells)
    found = suite_status.status(_database(database, "DATABASE"), cells)
    if shard and cells is not None:
        found = replace(found, scope=f"shard {shard} of the grid")
    click.echo(suite_status.as_text(found, None if list_all else suite_status.LISTED))


@suite_group.command("diff")
@click.argument("before", type=DATA_FILE)
@click.argument("after", type=DATA_FILE)
@click.option("--before-version", default=None, metavar="V",
              help=f"The code version of BEFORE's rows to compare, where it holds several ({versions.CURRENT!r}: the running code's).")
@click.option("--after-version", default=None, metavar="V",
              help=f"The code version of AFTER's rows to compare, where it holds several ({versions.CURRENT!r}: the running code's).")
@click.option("--counts", is_flag=True,
              help="Exit 1 also when the candidates count of a search run to its end (found, exhausted) differs: the same search, not only the same results.")
@click.option("--all", "list_all", is_flag=True, help=f"List every cell (by default the first {suite_diff.LISTED} of each list, the rest counted).")
@click.option("--json", "json_path", default=None, metavar="FILE",
              help="Also write the comparison as JSON (every cell of every list, never capped) to this file; - for standard output, "
                   "the text then going to standard error. " + REPLACES)
def diff_command(before: str, after: str, before_version: str | None, after_version: str | None, counts: bool,
                 list_all: bool, json_path: str | None) -> None:
    """The cells whose result differs between two sweeps: status, program, accuracy; candidates, CPU seconds.

    Cells are matched by their settings (task, training set, search
    settings), whatever code ran them: a release against the previous one,
    or one grid run twice to check that it is deterministic. Each side is one
    code version of its database's rows; `suite run` keeps the rows of
    earlier code beside the current code's, so BEFORE and AFTER may be one
    file, told apart by --before-version and --after-version (as `synth
    suite status` lists them).

    Exit status 0 when every cell in both has the same status, program and accuracy
    (with --counts, the same candidates count too), 1 when some differ, 2 on
    bad input. CPU seconds are compared in total and as a median ratio: a
    hint only, as a shared machine drifts between sweeps (`synth bench`
    measures speed side by side).
    """
    for database, given_as in ((before, "BEFORE"), (after, "AFTER")):
        _database(database, given_as)
    refuse_clashing_outputs([json_path], [before, after])
    old, old_version = suite_diff.one_version(read_rows([before]), before_version, "--before-version", before)
    new, new_version = suite_diff.one_version(read_rows([after]), after_version, "--after-version", after)
    if os.path.realpath(before) == os.path.realpath(after) and old_version == new_version:
        raise UserError(f"BEFORE and AFTER are the same rows (code version {old_version}): give two databases, "
                        "or two code versions of one with --before-version and --after-version", file=before)
    found = suite_diff.diff(old, new, before, after)
    click.echo(suite_diff.as_text(found, None if list_all else suite_diff.LISTED), err=is_standard_output(json_path))
    if json_path:
        with atomic_output(json_path, inputs=[before, after]) as f:
            json.dump(dataclasses.asdict(found), f, indent=1)
            f.write("\n")
    if found.differs(counts):
        sys.exit(1)


@suite_group.command("spec")
@click.argument("name", type=click.Choice(sorted(BUNDLED)))
@click.option("-o", "--output", default=None, metavar="FILE", help="Write it to this file instead of standard output. " + REPLACES)
def spec_command(name: str, output: str | None) -> None:
    """Print a bundled spec, to run as it is (--bundled NAME) or to edit."""
    refuse_clashing_outputs([output])
    with atomic_output(output) as f:
        f.write(bundled_text(name))


COMMANDS = [suite_group]
