"""Running a sweep: skip the cells already stored, run the rest on a backend, store each as it ends.

Rows are written by this process only, one transaction per finished cell,
so stopping at any point (Ctrl-C, SIGTERM from a scheduler, SIGKILL) loses
only the cells in flight, and running the same command again resumes.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from dataclasses import dataclass
from typing import Iterator, Sequence

from synth.suite.backends import Backend
from synth.suite.cell import Cell
from synth.suite.progress import Progress
from synth.suite.store import Store


@dataclass(frozen=True)
class Summary:
    cells: int  # in the grid (or this shard of it)
    skipped: int  # already in the database
    ran: int  # finished and stored by this run
    failed: int  # of those, errors
    interrupted: bool


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
    """The cells to run: all with `redo`, else those without a row."""
    if redo:
        return list(cells)
    done = store.finished()
    return [c for c in cells if c.key not in done]


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
    if progress is not None:
        progress.start(len(todo))
    ran = failed = 0
    interrupted = False
    with terminate_as_interrupt():
        try:
            outcomes = backend.run(todo)
            try:
                for cell, outcome in outcomes:
                    store.record(cell, outcome)
                    ran += 1
                    failed += outcome.status == "error"
                    if progress is not None:
                        progress(cell, outcome)
            finally:
                outcomes.close()  # type: ignore[attr-defined]
                backend.close()
                if progress is not None:
                    progress.close()
        except KeyboardInterrupt:
            interrupted = True
    return Summary(len(cells), len(cells) - len(todo), ran, failed, interrupted)
