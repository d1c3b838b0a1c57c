"""The results database: one row per cell, WAL, transactions, merging several files."""

from __future__ import annotations

import multiprocessing
import sqlite3

import pytest

from dsl.errors import UserError
from synth.suite.outcome import Outcome
from synth.suite.store import Store, read_rows


def _outcome(status: str = "found", cpu: float = 0.5) -> Outcome:
    return Outcome(status=status, program="input xs: List[Int]\n0", cost=1, candidates=7, cpu_seconds=cpu, wall_seconds=1.0,
                   peak_mb=30.0, accuracy={"exact": 1.0, "mean_exact": 1.0, "buckets": []}, training={"seed": 0}, stats={"stopped": status})


def test_rows_round_trip_and_a_cell_has_one_row(tmp_path, cell_maker) -> None:
    db = tmp_path / "r.sqlite"
    with Store(db) as store:
        store.record(cell_maker(0), _outcome())
        store.record(cell_maker(0), _outcome("timeout"))  # the same cell again replaces its row
        store.record(cell_maker(1), _outcome())
        assert store.finished() == {cell_maker(0).key, cell_maker(1).key}
        rows = {r["hash"]: r for r in store.rows()}
    assert len(rows) == 2
    row = rows[cell_maker(0).key]
    assert row["status"] == "timeout" and row["settings"] == cell_maker(0).settings() and row["training"] == {"seed": 0}
    assert row["task"] == "parity_check" and row["seed"] == 0 and row["accuracy"]["exact"] == 1.0 and row["version"]
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_an_unknown_status_is_refused_by_the_schema(tmp_path, cell_maker) -> None:
    with Store(tmp_path / "r.sqlite") as store, pytest.raises(sqlite3.IntegrityError):
        store.conn.execute("INSERT INTO cells (hash, task, profile, kind, settings, training, status, candidates, cpu_seconds, wall_seconds, stats, version, host, finished) "
                           "VALUES ('h', 't', 'p', 'k', '{}', '{}', 'maybe', 0, 0, 0, '{}', 'v', 'h', 'f')")


def test_databases_merge_and_a_repeated_cell_counts_once(tmp_path, cell_maker) -> None:
    a, b = tmp_path / "a.sqlite", tmp_path / "b.sqlite"
    with Store(a) as store:
        store.record(cell_maker(0), _outcome())
        store.record(cell_maker(1), _outcome())
    with Store(b) as store:
        store.record(cell_maker(1), _outcome())
        store.record(cell_maker(2), _outcome())
    rows = read_rows([a, b])
    assert sorted(r["seed"] for r in rows) == [0, 1, 2]


@pytest.mark.parametrize("content", [b"not a database at all" * 100, b""])
def test_a_file_that_is_not_a_results_database_is_a_user_error(tmp_path, content: bytes) -> None:
    path = tmp_path / "x.sqlite"
    path.write_bytes(content)
    if content:
        with pytest.raises(UserError, match="not a results database"):
            Store(path)
    with pytest.raises(UserError):
        read_rows([tmp_path / "missing.sqlite"])


def test_another_sqlite_database_is_refused(tmp_path) -> None:
    path = tmp_path / "other.sqlite"
    sqlite3.connect(path).execute("CREATE TABLE t (x)")
    with pytest.raises(UserError, match="not a results database"):
        read_rows([path])


def _open_and_list(path: str) -> str | None:
    try:
        with Store(path) as store:
            store.finished()
    except Exception as err:  # reported to the parent, which asserts there is none
        return repr(err)
    return None


def test_processes_creating_one_database_at_once_all_open_it(tmp_path) -> None:
    """Shards started together on a new file: SQLite may answer "locked" without waiting; none may fail."""
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        for trial in range(16):
            path = str(tmp_path / f"r{trial}.sqlite")
            assert pool.map(_open_and_list, [path] * 8) == [None] * 8
