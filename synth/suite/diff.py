"""Two sweeps side by side: the cells whose result changed between them.

A release says what its sweeps changed ("the same programs as the previous
release"), and a determinism check runs one grid twice (two machines, two
days) and expects nothing to differ. Both are this comparison. Cells are
matched by their settings (the task, how its training set is drawn, the
search's settings), whatever code version ran them; each side is the rows of
one code version (`suite run` keeps the rows of earlier code beside the
current code's, so one database may hold both sides).

A cell *changed* when its status, program or accuracy differs (the same
program scored otherwise means its tests or the scoring changed). Its candidates count is
compared apart, for searches that ran to their end on both sides (found,
exhausted): the same program after other work is a change of the search,
not of the result, and a search cut by its time limit stops wherever the
machine's speed put it. CPU seconds are compared in total and as the median
ratio over the cells that ran to their end and took at least a second on
both sides. Two sweeps run at different times on a shared machine differ by
about a tenth for identical work, so that ratio is a hint; `synth bench` is
the measure.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import Sequence

from dsl.errors import UserError
from dsl.files import counted
from synth.suite import versions
from synth.suite.cell import canonical_json, describe
from synth.suite.status import more
from synth.suite.store import Row

# The statuses of a search that ran to its end: its candidates count is the search's own. A search cut
# by a limit (timeout, memory) stops where the machine's speed or memory put it, so its count is not compared.
RAN_TO_THE_END = ("found", "exhausted")
# Cells listed one a line by default; the rest are counted (`--all` lists every one).
LISTED = 20
# The cells whose CPU seconds enter the ratio take at least this long on both sides:
# below it the process's start and the clock's grain weigh more than the search.
RATIO_FLOOR = 1.0
_COMMAND = "synth suite diff"


@dataclass(frozen=True)
class Side:
    """One side of a diff: where its rows were read and the code version they are of."""

    source: str  # the database(s), as given
    version: str
    cells: int


@dataclass(frozen=True)
class Change:
    """A cell whose status, program or accuracy differs: each side's result in one line."""

    cell: str
    before: str
    after: str


@dataclass(frozen=True)
class Recount:
    """A cell with the same result from another number of candidates."""

    cell: str
    before: int
    after: int


@dataclass(frozen=True)
class SweepDiff:
    before: Side
    after: Side
    both: int  # cells in both sweeps with a result on each side (compared)
    changed: tuple[Change, ...]
    recounted: tuple[Recount, ...]
    only_before: tuple[str, ...]
    only_after: tuple[str, ...]
    not_done: tuple[str, ...]  # in both, but an error or a stale row on a side: not compared
    cpu_before: float  # over the compared cells
    cpu_after: float
    ratio: float | None  # median after / before CPU seconds, cells run to their end taking RATIO_FLOOR or more on both sides
    ratio_cells: int

    def differs(self, counts: bool = False) -> bool:
        """Whether a result changed (with `counts`, or a candidates count)."""
        return bool(self.changed or (counts and self.recounted))


def one_version(rows: Sequence[Row], wanted: str | None, option: str, source: str) -> tuple[list[Row], str]:
    """The rows of one code version: `wanted` (a version, or "current"), else the only one the rows hold."""
    if not rows:
        raise UserError("no results to compare", file=source)
    if wanted is not None:
        kept = versions.only(rows, wanted, option)
        return kept, str(kept[0]["version"])
    found = versions.versions(rows)
    if len(found) > 1:
        raise UserError(f"rows of {len(found)} code versions: {', '.join(str(v) for v in found)}; "
                        f"pick one with {option} V (or {option} {versions.CURRENT})", file=source)
    return list(rows), found[0].version


def diff(before: Sequence[Row], after: Sequence[Row], before_from: str, after_from: str) -> SweepDiff:
    """Compare two sweeps' rows, each of one code version (`one_version`), cell by cell."""
    old, new = _by_cell(before), _by_cell(after)
    changed, recounted, not_done = [], [], []
    cpu_old = cpu_new = 0.0
    ratios = []
    for key in [k for k in old if k in new]:
        a, b = old[key], new[key]
        cell = describe(b.values)
        if not (a.done and b.done):
            not_done.append(cell)
            continue
        same = (a["status"], a["program"]) == (b["status"], b["program"])
        if not same:
            changed.append(Change(cell, _result(a), _result(b)))
        elif a["accuracy"] != b["accuracy"]:  # the same program scored otherwise: the tests or the scoring changed
            same = False
            changed.append(Change(cell, _result(a, scored=True), _result(b, scored=True)))
        cpu_old += a["cpu_seconds"]
        cpu_new += b["cpu_seconds"]
        if a["status"] not in RAN_TO_THE_END or b["status"] not in RAN_TO_THE_END:
            continue  # cut by a limit: its count and CPU seconds are where the machine's speed stopped it
        if same and a["candidates"] != b["candidates"]:
            recounted.append(Recount(cell, int(a["candidates"]), int(b["candidates"])))
        if min(a["cpu_seconds"], b["cpu_seconds"]) >= RATIO_FLOOR:
            ratios.append(b["cpu_seconds"] / a["cpu_seconds"])
    both = sum(1 for k in old if k in new) - len(not_done)
    if not both and not not_done:
        raise UserError(f"{before_from} and {after_from} have no cell in common (no task, training set and search "
                        "settings alike): nothing to compare")
    return SweepDiff(
        Side(before_from, str(before[0]["version"]), len(old)), Side(after_from, str(after[0]["version"]), len(new)),
        both, tuple(changed), tuple(recounted),
        tuple(describe(r.values) for k, r in old.items() if k not in new),
        tuple(describe(r.values) for k, r in new.items() if k not in old),
        tuple(not_done), cpu_old, cpu_new, statistics.median(ratios) if ratios else None, len(ratios),
    )


def _by_cell(rows: Sequence[Row]) -> dict[str, Row]:
    """Rows keyed by their cell's settings, in the store's order (task, profile, kind, size, seed)."""
    return {canonical_json(r["settings"]): r for r in rows}


def _result(row: Row, scored: bool = False) -> str:
    """A cell's result in one line: its status, then its program's body (the lines after its `input` header).

    `scored`: with the exact-match accuracy on its tests, where only that differs.
    """
    program = row["program"]
    text = str(row["status"])
    if program:
        body = " ".join(line.strip() for line in str(program).splitlines() if line.strip() and not line.startswith("input "))
        text += f": {body}"
    if scored:
        exact = (row["accuracy"] or {}).get("exact")
        text += f" (exact on {exact:.1%} of its tests)" if isinstance(exact, (int, float)) else " (not scored)"
    return text


def as_text(d: SweepDiff, listed: int | None = LISTED) -> str:
    """What `synth suite diff` prints; each list capped at `listed` lines (None: all)."""
    out = [
        f"before: {d.before.source}, code version {d.before.version}: {counted(d.before.cells, 'cell')}",
        f"after:  {d.after.source}, code version {d.after.version}: {counted(d.after.cells, 'cell')}",
        f"{counted(d.both, 'cell')} in both compared: {d.both - len(d.changed):,} with the same result (status, program, accuracy), "
        f"{len(d.changed):,} changed; of the same run to their end (found, exhausted), {len(d.recounted):,} "
        "from another number of candidates",
    ]
    if d.changed:
        out.append("changed:")
        for c in d.changed[:listed]:
            out += [f"  {c.cell}", f"    before: {c.before}", f"    after:  {c.after}"]
        out += more(len(d.changed), listed, "changed cell", command=_COMMAND)
    if d.recounted:
        out.append("the same result from another number of candidates (before -> after):")
        out += [f"  {r.cell}: {r.before:,} -> {r.after:,} ({_percent(r.before, r.after)})" for r in d.recounted[:listed]]
        out += more(len(d.recounted), listed, "cell", command=_COMMAND)
    for cells, what in ((d.not_done, "in both but not compared (an error or a stale row on a side: `synth suite run` retries it)"),
                        (d.only_before, "only before"), (d.only_after, "only after")):
        if cells:
            out.append(f"{counted(len(cells), 'cell')} {what}:")
            out += [f"  {c}" for c in cells[:listed]]
            out += more(len(cells), listed, "cell", command=_COMMAND)
    if d.both:
        ratio = "no cell ran to its end in a second or more on both sides" if d.ratio is None else (
            f"after / before, the median over the {counted(d.ratio_cells, 'cell')} run to their end in at least "
            f"{RATIO_FLOOR:g} CPU-s on both sides: {d.ratio:.2f}")
        out.append(f"CPU seconds of the compared cells: {d.cpu_before:,.1f} before, {d.cpu_after:,.1f} after; {ratio}")
    return "\n".join(out)


def _percent(before: int, after: int) -> str:
    return "new" if before == 0 else f"{(after - before) / before:+.1%}"
