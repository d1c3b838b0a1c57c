"""What a results database holds: rows by status, the failed cells with their error, stale rows, and what a grid still has to run.

Code versions: the rows of code other than the running code's
(synth.version.code_version) are counted apart; they are kept, never reused,
so a grid's cells count as still to run until the current code has run them.

`synth suite status` prints it, so pending and failed cells are visible
without sqlite3. It reads rows as `report` and a resumed run do (Store.rows):
a damaged row is one message naming the database and the cell, never a row
counted as done here that `report` refuses.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Mapping, Sequence

from dsl.files import counted
from synth.suite.cell import Cell, canonical_json, describe
from synth.suite.compat import code_version
from synth.suite.outcome import STATUSES
from synth.suite.store import Store


@dataclass(frozen=True)
class Failed:
    """A cell whose row is an `error`: its worker crashed or was killed, so a plain run retries it."""

    hash: str
    cell: str  # described: task, training set, seed, profile
    error: str


@dataclass(frozen=True)
class Pending:
    """A cell of the grid still to run, and why: no row yet (perhaps one of other code), an `error` row, or a stale row (a redo not finished)."""

    hash: str
    cell: str
    reason: str


@dataclass(frozen=True)
class Status:
    path: str
    counts: Mapping[str, int]  # rows by status, in STATUSES order
    stale: int
    failed: tuple[Failed, ...]
    grid: int | None = None  # cells of the grid given, None without one
    pending: tuple[Pending, ...] = ()
    missing: bool = False  # no database yet: a preview of the grid, every cell still to run
    version: str = ""  # the running code's version: the grid's cells are its cells
    other_versions: Mapping[str, int] = field(default_factory=dict)  # rows of other code versions: version -> rows
    scope: str = "grid"  # what `grid` counts: the grid, or one shard of it ("shard 1/2 of the grid")


def status(path: str | os.PathLike[str], cells: Sequence[Cell] | None = None) -> Status:
    """The database's rows by status and its failed cells; with `cells`, those of them still to run.

    A database that does not exist yet, given with a grid, is a preview: no
    rows, and every cell of the grid still to run.
    """
    now = code_version()
    if cells is not None and not os.path.lexists(path):
        preview = tuple(Pending(c.key, c.describe(), "not run") for c in cells)
        return Status(os.fspath(path), {s: 0 for s in STATUSES}, 0, (), len(cells), preview, missing=True, version=now)
    with Store(path, readonly=True) as store:
        rows = list(store.rows())
    counts = Counter(r["status"] for r in rows)
    others = Counter(r["version"] for r in rows if r["version"] != now)
    failed = tuple(Failed(r["hash"], describe(r.values), r["error"] or "no message") for r in rows if r["status"] == "error")
    found = Status(os.fspath(path), {s: counts[s] for s in STATUSES}, sum(r["stale"] for r in rows), failed, version=now,
                   other_versions=dict(sorted(others.items())))
    if cells is None:
        return found
    stored = {r["hash"]: r for r in rows}
    elsewhere = {canonical_json(r["settings"]) for r in rows if r["version"] != now}
    pending = []
    for cell in cells:
        row = stored.get(cell.key)
        if row is not None and row.done:
            continue
        if row is None:
            reason = "not run for the current code (a row of other code is kept)" if canonical_json(cell.settings()) in elsewhere else "not run"
        else:
            reason = "stale" if row["stale"] else row["status"]
        pending.append(Pending(cell.key, cell.describe(), reason))
    return replace(found, grid=len(cells), pending=tuple(pending))


# Failed and pending cells listed one a line by default; the rest are counted ("... and K more").
# A spec's grid can hold 200,000 cells: listing them all buries the counts that matter.
LISTED = 20


def as_text(found: Status, listed: int | None = LISTED) -> str:
    """The report `synth suite status` prints; at most `listed` failed and `listed` pending cells one a line (None: all)."""
    total = sum(found.counts.values())
    if found.missing:
        out = [f"{found.path}: no results database yet (`synth suite run` creates it): a preview of {'the ' if found.scope == 'grid' else ''}{found.scope}"]
    else:
        out = [f"{found.path}: {counted(total, 'row')}: " + ", ".join(f"{n:,} {s}" for s, n in found.counts.items())]
    if found.version:
        out.append(f"current code version: {found.version}")
    if found.other_versions:
        versions = ", ".join(f"{v} ({n:,})" for v, n in found.other_versions.items())
        out.append(f"{counted(sum(found.other_versions.values()), 'row')} from other code versions, kept but not reused by `synth suite run`: {versions}")
    if found.stale:
        out.append(f"{counted(found.stale, 'stale row')} (a --redo not finished: `synth suite run` with the same inputs finishes it)")
    if found.failed:
        out.append(f"failed ({counted(len(found.failed), 'error')}; `synth suite run` with the same inputs retries them):")
        for f in found.failed[:listed]:
            first, *rest = f.error.splitlines() or [""]
            out.append(f"  {f.cell} ({f.hash[:12]}): {first}")
            out += [f"    {line}" for line in rest]
        out += more(len(found.failed), listed, "failed cell")
    if found.grid is not None:
        reasons = Counter(p.reason for p in found.pending)  # in the order they first occur
        why = " (" + ", ".join(f"{n:,} {reason}" for reason, n in reasons.items()) + "):" if found.pending else ""
        out.append(f"{found.scope}: {counted(found.grid, 'cell')}, {len(found.pending):,} still to run{why}")
        out += [f"  {p.cell} ({p.hash[:12]}): {p.reason}" for p in found.pending[:listed]]
        out += more(len(found.pending), listed, "cell still to run", "cells still to run")
    return "\n".join(out)


def more(count: int, listed: int | None, one: str, many: str | None = None, command: str = "synth suite status") -> list[str]:
    """The line that counts what a capped list left out (none if nothing was); `command --all` lists every one."""
    if listed is None or count <= listed:
        return []
    left = count - listed
    return [f"  ... and {left:,} more {one if left == 1 else many or one + 's'} (`{command} --all` lists every one)"]
