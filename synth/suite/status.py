"""What a results database holds: rows by status, the failed cells with their error, stale rows, and what a grid still has to run.

`synth suite status` prints it, so pending and failed cells are visible
without sqlite3. It reads the plain columns only, so a row whose JSON is
damaged is still listed.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass
from typing import Mapping, Sequence

from dsl.files import counted
from synth.suite.cell import Cell, describe
from synth.suite.outcome import STATUSES
from synth.suite.store import Store

_LISTED = "hash, task, profile, kind, train_size, train_lengths, seed, path, status, error"


@dataclass(frozen=True)
class Failed:
    """A cell whose row is an `error`: its worker crashed or was killed, so a plain run retries it."""

    hash: str
    cell: str  # described: task, training set, seed, profile
    error: str


@dataclass(frozen=True)
class Pending:
    """A cell of the grid still to run, and why: no row yet, an `error` row, or a stale row (a redo not finished)."""

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


def status(path: str | os.PathLike[str], cells: Sequence[Cell] | None = None) -> Status:
    """The database's rows by status and its failed cells; with `cells`, those of them still to run.

    A database that does not exist yet, given with a grid, is a preview: no
    rows, and every cell of the grid still to run.
    """
    if cells is not None and not os.path.lexists(path):
        preview = tuple(Pending(c.key, c.describe(), "not run") for c in cells)
        return Status(os.fspath(path), {s: 0 for s in STATUSES}, 0, (), len(cells), preview, missing=True)
    with Store(path, readonly=True) as store:
        rows = [dict(zip(_LISTED.split(", "), raw)) for raw in store.conn.execute(f"SELECT {_LISTED} FROM cells ORDER BY task, profile, seed, hash")]
        stale = store.stale()
        done = store.done()
    counts = Counter(str(r["status"]) for r in rows)
    failed = tuple(Failed(r["hash"], describe(r), str(r["error"] or "no message")) for r in rows if r["status"] == "error")
    if cells is None:
        return Status(os.fspath(path), {s: counts[s] for s in STATUSES}, len(stale), failed)
    stored = {r["hash"]: r for r in rows}
    pending = []
    for cell in cells:
        if cell.key in done:
            continue
        row = stored.get(cell.key)
        reason = "not run" if row is None else "stale" if cell.key in stale else str(row["status"])
        pending.append(Pending(cell.key, cell.describe(), reason))
    return Status(os.fspath(path), {s: counts[s] for s in STATUSES}, len(stale), failed, len(cells), tuple(pending))


def as_text(found: Status) -> str:
    total = sum(found.counts.values())
    if found.missing:
        out = [f"{found.path}: no results database yet (`synth suite run` creates it): a preview of the grid"]
    else:
        out = [f"{found.path}: {counted(total, 'row')}: " + ", ".join(f"{n} {s}" for s, n in found.counts.items())]
    if found.stale:
        out.append(f"{counted(found.stale, 'stale row')} (a --redo not finished: `synth suite run` with the same inputs finishes it)")
    if found.failed:
        out.append(f"failed ({counted(len(found.failed), 'error')}; `synth suite run` with the same inputs retries them):")
        for f in found.failed:
            first, *rest = f.error.splitlines() or [""]
            out.append(f"  {f.cell} ({f.hash[:12]}): {first}")
            out += [f"    {line}" for line in rest]
    if found.grid is not None:
        out.append(f"grid: {counted(found.grid, 'cell')}, {len(found.pending)} still to run" + (":" if found.pending else ""))
        out += [f"  {p.cell} ({p.hash[:12]}): {p.reason}" for p in found.pending]
    return "\n".join(out)
