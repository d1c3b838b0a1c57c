"""What a database holds: rows by status, stale rows, failed cells with their message, and a grid's pending cells."""

from __future__ import annotations

from synth.suite.outcome import STATUSES, Outcome
from synth.suite.status import Status, as_text, status
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
    assert "grid: 5 cells, 3 still to run (1 error, 1 stale, 1 not run):" in text


def test_long_lists_are_capped_with_the_rest_counted_in_one_number_format(tmp_path, cell_maker) -> None:
    db = tmp_path / "r.sqlite"
    cells = [cell_maker(i) for i in range(1_203)]
    with Store(db) as store:
        for cell in cells[:25]:
            store.record(cell, Outcome(status="error", error="killed"))
    text = as_text(status(db, cells))
    # was "grid: 1,203 cells, 1203 still to run:" and one line per cell, 1,203 of them
    assert "grid: 1,203 cells, 1,203 still to run (25 error, 1,178 not run):" in text
    assert text.count(": not run") + text.count("): error") == 20  # the pending list, capped
    assert "  ... and 1,183 more cells still to run (`synth suite status --all` lists every one)" in text
    assert text.count(": killed") == 20 and "  ... and 5 more failed cells (`synth suite status --all` lists every one)" in text
    assert len(text.splitlines()) < 50
    full = as_text(status(db, cells), listed=None)
    assert full.count(": not run") == 1_178 and "more" not in full
    one_more = as_text(status(db, cells[:21]))
    assert "  ... and 1 more cell still to run (" in one_more and "  ... and 5 more failed cells" in one_more


def test_every_count_has_thousands_separators() -> None:
    counts = {s: 0 for s in STATUSES} | {"found": 200_001, "error": 1_500}
    found = Status("r.sqlite", counts, 0, (), version="v", other_versions={"0.1.0": 12_345})
    text = as_text(found)
    assert "r.sqlite: 201,501 rows: 200,001 found, 0 exhausted, 0 timeout, 0 memory, 1,500 error" in text
    assert "0.1.0 (12,345)" in text
