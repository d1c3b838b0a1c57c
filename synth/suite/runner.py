"""Running a sweep: skip the cells already stored, run the rest on a backend, store each as it ends.

Rows are written by this process only, one transaction per finished cell,
so stopping at any point (Ctrl-C, SIGTERM from a scheduler, SIGKILL) loses
only the cells in flight, and running the same command again resumes.
A cell is still to run when it has no row, an `error` row (its worker
crashed or was killed: no search result; timeouts and exhausted searches are
results) or a stale one (`redo` marks the grid's rows stale before it starts,
so a plain run finishes an interrupted redo without redoing what it redid).
An outcome from a worker that ran other code than this process (a Ray node
with another install) is stored as an `error`, never under this code's version.

A damaged row (one `report` refuses: see Store.rows) stops the run before
anything runs or is marked stale, with report's message naming the database
and the cell. Counting it as done would skip its cell for good while report
refuses the file; running its cell again would replace it, since a cell's
hash is the table's key, and the damaged row is all that is left of that
search. Refusing loses nothing: the user repairs or deletes the row, and the
same command then runs what is missing.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from dataclasses import dataclass
from typing import Iterator, Sequence

from synth.suite.backends import Backend
from synth.suite.cell import Cell, canonical_json
from synth.suite.compat import code_version
from synth.suite.outcome import Outcome, failed
from synth.suite.progress import Progress
from synth.suite.store import Store


@dataclass(frozen=True)
class Summary:
    cells: int  # in the grid (or this shard of it)
    skipped: int  # already in the database with a result
    ran: int  # finished and stored by this run
    failed: int  # of those, errors
    interrupted: bool
    retried: int = 0  # of the cells run (`ran`), those whose earlier row was an error or stale
    other_code: int = 0  # of the cells to run, those with a row of another code version (kept, not reused)


@contextlib.contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """Treat SIGTERM (a scheduler cancelling the job) like Ctrl-C while the sweep runs."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    old = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, old)


def pending(cells: Sequence[Cell], store: Store, redo: bool = False) -> list[Cell]:
    """The cells to run: those without a result (no row, an `error` row, a stale row); with `redo`, first mark every row stale.

    Every row is read whole first (Store.done): a damaged one is a UserError before a redo marks anything.
    """
    done = store.done()
    if redo:
        keys = [c.key for c in cells]
        store.mark_stale(keys)
        done -= set(keys)  # the grid's rows are stale now; the others are as read (no second pass over every row)
    return [c for c in cells if c.key not in done]


def same_code(outcome: Outcome) -> Outcome:
    """The outcome, or an `error` if the worker that produced it ran other code than this process (its rows' version)."""
    if outcome.code is None or outcome.code == code_version():
        return outcome
    return failed(
        f"the worker ran code version {outcome.code}, not this sweep's {code_version()}: "
        "install the same lego-synth everywhere (and do not edit it during a sweep), then run again",
        peak_mb=outcome.peak_mb,
        code=outcome.code,
    )


def run_sweep(
    cells: Sequence[Cell],
    store: Store,
    backend: Backend,
    *,
    redo: bool = False,
    progress: Progress | None = None,
) -> Summary:
    """Run what is pending and store each outcome; Ctrl-C or SIGTERM ends it with `interrupted`."""
    todo = pending(cells, store, redo)
    stored = store.finished()
    elsewhere = store.settings_of_other_code(code_version())
    other_code = sum(canonical_json(c.settings()) in elsewhere for c in todo)
    had_row = {c.key for c in todo if c.key in stored}
    if progress is not None:
        progress.start(len(todo), backend.capacity() if todo else 1)
    ran = failed = retried = 0
    interrupted = False
    with terminate_as_interrupt():
        try:
            outcomes = backend.run(todo)
            try:
                for cell, outcome in outcomes:
                    outcome = same_code(outcome)
                    written = store.record(cell, outcome)  # an error is not written over another run's result
                    ran += 1
                    retried += cell.key in had_row
                    failed += written and outcome.status == "error"
                    if progress is not None:
                        progress(cell, outcome, written)
            finally:
                outcomes.close()  # type: ignore[attr-defined]
                backend.close()
                if progress is not None:
                    progress.close()
        except KeyboardInterrupt:
            interrupted = True
    return Summary(len(cells), len(cells) - len(todo), ran, failed, interrupted, retried, other_code)
