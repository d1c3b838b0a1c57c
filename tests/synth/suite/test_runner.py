"""Running a sweep: skip finished cells, --redo, interruption keeps what finished."""

from __future__ import annotations

import io
from typing import Iterable, Iterator

from synth.suite.backends.local import LocalPool
from synth.suite.cell import Cell
from synth.suite.outcome import Outcome
from synth.suite.progress import Progress
from synth.suite.runner import pending, run_sweep
from synth.suite.store import Store


class Interrupting:
    """A backend that finishes `after` cells, then behaves as if Ctrl-C were pressed."""

    name = "test"

    def __init__(self, after: int) -> None:
        self.after = after
        self.closed = False
        self.started: list[Cell] = []

    def capacity(self) -> int:
        return 1

    def run(self, cells: Iterable[Cell]) -> Iterator[tuple[Cell, Outcome]]:
        for i, cell in enumerate(cells):
            if i == self.after:
                raise KeyboardInterrupt
            self.started.append(cell)
            yield cell, Outcome(status="exhausted")

    def close(self) -> None:
        self.closed = True


def test_resume_skips_finished_cells_and_redo_runs_them_again(tmp_path, cell_maker) -> None:
    cells = [cell_maker(i) for i in range(5)]
    with Store(tmp_path / "r.sqlite") as store:
        first = run_sweep(cells[:3], store, LocalPool(2))
        assert (first.ran, first.skipped, first.interrupted) == (3, 0, False)
        second = run_sweep(cells, store, LocalPool(2))
        assert (second.ran, second.skipped) == (2, 3)
        assert pending(cells, store) == []
        again = run_sweep(cells, store, LocalPool(2), redo=True)
        assert again.ran == 5
        assert len(list(store.rows())) == 5


def test_an_interrupted_sweep_keeps_its_finished_cells_and_stops_the_backend(tmp_path, cell_maker) -> None:
    cells = [cell_maker(i) for i in range(6)]
    backend = Interrupting(after=4)
    with Store(tmp_path / "r.sqlite") as store:
        summary = run_sweep(cells, store, backend)
        assert summary.interrupted and summary.ran == 4 and backend.closed
        assert store.finished() == {c.key for c in cells[:4]}
        rest = Interrupting(after=99)
        assert run_sweep(cells, store, rest).ran == 2 and rest.started == cells[4:]


def test_progress_counts_failures_and_names_them_at_once(cell_maker) -> None:
    import io

    from synth.suite.progress import Progress

    stream = io.StringIO()
    progress = Progress(stream)
    progress.start(10)
    for i in range(10):
        progress(cell_maker(i), Outcome(status="error", error="boom\ndetail") if i == 3 else Outcome(status="found"))
    text = stream.getvalue()
    assert "error in parity_check n=10 len 1..6 seed 3 [core]: boom\n" in text and "detail" not in text
    assert "cells 10/10 done, 1 failed" in text and text.count("\n") == 11  # a line per tenth, one per failure


def test_error_rows_are_retried_by_a_plain_run_and_results_are_not(tmp_path, cell_maker) -> None:
    # audit #10: "0 cells run (0 failed), 8 already in the database" though 4 rows were errors
    cells = [cell_maker(i) for i in range(4)]
    with Store(tmp_path / "r.sqlite") as store:
        store.record(cells[0], Outcome(status="error", error="worker killed"))
        store.record(cells[1], Outcome(status="timeout"))
        store.record(cells[2], Outcome(status="exhausted"))
        assert pending(cells, store) == [cells[0], cells[3]]
        summary = run_sweep(cells, store, Interrupting(after=99))
        assert (summary.ran, summary.skipped, summary.retried) == (2, 2, 1)
        assert {r["seed"]: r["status"] for r in store.rows()} == {0: "exhausted", 1: "timeout", 2: "exhausted", 3: "exhausted"}


def test_an_interrupted_redo_is_finished_by_a_plain_run_without_redoing_what_it_redid(tmp_path, cell_maker) -> None:
    # audit #9: the printed resume command (no --redo) kept the pre-redo rows of the cells not redone yet
    cells = [cell_maker(i) for i in range(6)]
    with Store(tmp_path / "r.sqlite") as store:
        for cell in cells:
            store.record(cell, Outcome(status="timeout"))
        first = Interrupting(after=2)
        assert run_sweep(cells, store, first, redo=True).interrupted
        assert first.started == cells[:2]
        rest = Interrupting(after=99)
        summary = run_sweep(cells, store, rest)  # the resume command: no --redo
        assert rest.started == cells[2:] and (summary.ran, summary.skipped, summary.retried) == (4, 2, 4)
        assert {r["status"] for r in store.rows()} == {"exhausted"} and store.stale() == set()
        assert run_sweep(cells, store, Interrupting(after=99)).ran == 0


def test_progress_says_eta_unknown_until_a_round_of_cells_finished_and_never_0s_while_cells_remain(cell_maker) -> None:
    import io

    from synth.suite.progress import Progress

    progress = Progress(io.StringIO())
    progress.start(5, parallel=2)
    assert "ETA ?" in progress.line()
    progress(cell_maker(0), Outcome(status="found"))
    assert "ETA ?" in progress.line()  # one of the first two: the quick one
    progress(cell_maker(1), Outcome(status="found"))
    line = progress.line()
    assert "ETA" in line and "ETA ?" not in line and "ETA 0s" not in line
    for i in range(2, 5):
        progress(cell_maker(i), Outcome(status="found"))
    assert "ETA" not in progress.line()


def test_retried_counts_only_cells_run(tmp_path, cell_maker) -> None:
    """Before: a --redo stopped before any cell finished said `0 cells run (0 failed), of which 2 retried`."""
    cells = [cell_maker(i) for i in range(3)]
    with Store(tmp_path / "r.sqlite") as store:
        for cell in cells[:2]:
            store.record(cell, Outcome(status="timeout"))
        summary = run_sweep(cells, store, Interrupting(after=0), redo=True)
        assert summary.interrupted and (summary.ran, summary.retried) == (0, 0)
        summary = run_sweep(cells, store, Interrupting(after=1))
        assert summary.interrupted and (summary.ran, summary.retried) == (1, 1)
        summary = run_sweep(cells, store, Interrupting(after=99))
        assert (summary.ran, summary.retried) == (2, 1) and summary.retried <= summary.ran


class DyingWhileAnotherRunStores:
    """A backend whose every worker dies (an `error` each), while another run on the file stores `meanwhile`'s result first."""

    name = "test"

    def __init__(self, other: Store, meanwhile: Cell) -> None:
        self.other = other
        self.meanwhile = meanwhile

    def capacity(self) -> int:
        return 1

    def run(self, cells: Iterable[Cell]) -> Iterator[tuple[Cell, Outcome]]:
        self.other.record(self.meanwhile, Outcome(status="timeout"))
        for cell in cells:
            yield cell, Outcome(status="error", error="the worker process killed by SIGKILL")

    def close(self) -> None:
        pass


def test_a_worker_dying_after_another_run_stored_the_cell_keeps_that_result_and_is_no_failure(tmp_path, cell_maker) -> None:
    # two runs of one grid on one file: the second's killed worker replaced the first's timeout with `error`, exit 1
    cells = [cell_maker(0), cell_maker(1)]
    db = tmp_path / "r.sqlite"
    stream = io.StringIO()
    progress = Progress(stream)
    with Store(db) as first, Store(db) as second:
        summary = run_sweep(cells, second, DyingWhileAnotherRunStores(first, cells[0]), progress=progress)
        assert (summary.ran, summary.failed) == (2, 1)  # cell 1's error is this run's; cell 0 has a result
        assert {r["seed"]: r["status"] for r in second.rows()} == {0: "timeout", 1: "error"}
    # The progress line counts as the summary does, and says why the first error was not stored.
    text = stream.getvalue()
    assert "seed 0 [core]: " in text and "(not stored: another run's result for this cell is kept)" in text
    assert "cells 2/2 done, 1 failed" in text
