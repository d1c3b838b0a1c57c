"""What a database holds: rows by status, stale rows, failed cells with their message, and a grid's pending cells."""

from __future__ import annotations

from synth.suite.outcome import STATUSES, Outcome
from synth.suite.status import as_text, status
from synth.suite.store import Store


def test_status_counts_rows_lists_failures_and_the_cells_still_to_run(tmp_path, cell_maker) -> None:
    db = tmp_path / "r.sqlite"
    cells = [cell_maker(i) for i in range(5)]
    with Store(db) as store:
        store.record(cells[0], Outcome(status="found"))
        store.record(cells[1], Outcome(status="timeout"))
        store.record(cells[2], Outcome(status="error", error="worker killed by signal 9\nmore"))
        store.record(cells[3], Outcome(status="found"))
        store.mark_stale([cells[3].key])
    alone = status(db)
    assert list(alone.counts) == list(STATUSES) and alone.counts["found"] == 2 and alone.counts["error"] == 1 and alone.stale == 1
    (failed,) = alone.failed
    assert failed.hash == cells[2].key and failed.cell == cells[2].describe() and failed.error.startswith("worker killed")
    assert alone.grid is None and alone.pending == ()
    with_grid = status(db, cells)
    assert with_grid.grid == 5
    assert [(p.hash, p.reason) for p in with_grid.pending] == [(cells[2].key, "error"), (cells[3].key, "stale"), (cells[4].key, "not run")]
    text = as_text(with_grid)
    assert "4 rows: 2 found, 0 exhausted, 1 timeout, 0 memory, 1 error" in text and "1 stale row" in text
    assert "seed 2 [core]" in text and "worker killed by signal 9" in text and "    more" in text
    assert "grid: 5 cells, 3 still to run:" in text
