"""The results database: one row per cell, WAL while written and one file at rest, transactions, merging several files."""

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
    assert _journal(db) == "rollback"  # at rest: see test_a_database_at_rest_is_one_file_in_rollback_journal_mode


def _journal(db) -> str:
    """The journal mode the file's header records (bytes 18 and 19: 1 rollback, 2 WAL), read without opening it in SQLite."""
    return {1: "rollback", 2: "wal"}[db.read_bytes()[18]]


def test_a_database_at_rest_is_one_file_in_rollback_journal_mode(tmp_path, cell_maker) -> None:
    """Was WAL at rest: every read-only open (report, status) then left empty -wal and -shm files beside it."""
    folder = tmp_path / "results"
    folder.mkdir()
    db = folder / "r.sqlite"
    with Store(db) as store:
        store.record(cell_maker(0), _outcome())
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"  # while written: WAL, for shards and reports alongside
    assert _journal(db) == "rollback" and sorted(p.name for p in folder.iterdir()) == ["r.sqlite"]
    before = db.read_bytes()
    assert len(read_rows([db])) == 1
    with Store(db, readonly=True) as reader:
        assert reader.done() == {cell_maker(0).key}
    assert sorted(p.name for p in folder.iterdir()) == ["r.sqlite"] and db.read_bytes() == before


def test_a_writer_leaves_wal_only_when_no_one_else_has_the_file_open(tmp_path, cell_maker) -> None:
    """A shard finishing while another shard or a report still reads keeps WAL (they need it); the last writer to finish switches."""
    db = tmp_path / "r.sqlite"
    first, second = Store(db), Store(db)
    first.record(cell_maker(0), _outcome())
    first.close()  # the second shard still has the file open: SQLite keeps WAL
    assert _journal(db) == "wal"
    second.record(cell_maker(1), _outcome())
    reader = Store(db, readonly=True)
    assert len(list(reader.rows())) == 2
    second.close()  # a report still reads
    assert _journal(db) == "wal"
    third = Store(db)
    third.record(cell_maker(2), _outcome())
    assert reader.done() == {cell_maker(i).key for i in range(3)}  # the reader still reads the live file
    reader.close()
    third.close()
    assert _journal(db) == "rollback" and sorted(p.name for p in tmp_path.iterdir()) == ["r.sqlite"]
    assert len(read_rows([db])) == 3


def test_a_writer_left_in_wal_by_a_reader_has_put_every_row_in_the_file_itself(tmp_path, cell_maker) -> None:
    """Audit 6 E1: a reader open when the run ended kept WAL, and every commit lived only in -wal (a copy of the file lost them)."""
    db = tmp_path / "r.sqlite"
    writer = Store(db)
    reader = Store(db, readonly=True)  # idle, as a notebook's connection is
    writer.record(cell_maker(0), _outcome())
    writer.record(cell_maker(1), _outcome())
    writer.close()
    assert writer.at_rest is False and _journal(db) == "wal"
    copy = tmp_path / "copy"
    copy.mkdir()
    (copy / "r.sqlite").write_bytes(db.read_bytes())  # the file alone, without -wal and -shm
    assert {r["hash"] for r in read_rows([copy / "r.sqlite"])} == {cell_maker(0).key, cell_maker(1).key}
    reader.close()
    with Store(db) as again:
        pass
    assert again.at_rest is True and _journal(db) == "rollback"


def test_a_name_sqlite_would_read_as_a_uri_is_a_plain_file_name(tmp_path, cell_maker, monkeypatch) -> None:
    """Audit 6 E3: `--db file:rel.sqlite` wrote rel.sqlite (SQLite's own URI), then report found no `file:rel.sqlite`."""
    monkeypatch.chdir(tmp_path)
    with Store("file:rel.sqlite") as store:
        store.record(cell_maker(0), _outcome())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file:rel.sqlite"]
    assert len(read_rows(["file:rel.sqlite"])) == 1


def test_a_wal_database_in_a_folder_we_may_not_write_says_so(tmp_path, cell_maker, monkeypatch) -> None:
    """Audit 6 E6: SQLite's "unable to open database file" read as "not a results database" (it needs to create -shm)."""
    import synth.suite.store as store_module

    db = tmp_path / "r.sqlite"
    with Store(db) as store:
        store.record(cell_maker(0), _outcome())

    def cannot_open(*args, **kwargs):
        raise sqlite3.OperationalError("unable to open database file")

    monkeypatch.setattr(store_module.sqlite3, "connect", cannot_open)
    monkeypatch.setattr(store_module.os, "access", lambda path, mode: False)  # (root may write anywhere: the folder is read-only here)
    with pytest.raises(UserError, match=r"WAL mode .* a folder this process may not write to: SQLite must create r.sqlite-shm"):
        Store(db, readonly=True)
    monkeypatch.setattr(store_module.os, "access", lambda path, mode: True)
    with pytest.raises(UserError, match="not a results database: unable to open"):
        Store(db, readonly=True)


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


def _finished_at(db, when: str) -> None:
    """Stamp every row of `db` as finished at `when` (another machine's clock, later or earlier)."""
    conn = sqlite3.connect(db)
    conn.execute("UPDATE cells SET finished = ?", (when,))
    conn.commit()
    conn.close()


def test_a_merge_keeps_a_search_result_over_a_later_error_of_the_same_cell(tmp_path, cell_maker) -> None:
    # A worker killed later on another machine is no search result: it must not hide the result found here.
    found, killed, timeout = tmp_path / "found.sqlite", tmp_path / "killed.sqlite", tmp_path / "timeout.sqlite"
    with Store(found) as store:
        store.record(cell_maker(0), _outcome("found"))
    with Store(killed) as store:
        store.record(cell_maker(0), Outcome(status="error", error="killed by signal 9"))
    with Store(timeout) as store:
        store.record(cell_maker(0), _outcome("timeout"))
    _finished_at(found, "2026-01-01T00:00:00+00:00")
    _finished_at(killed, "2099-01-01T00:00:00+00:00")
    _finished_at(timeout, "2027-01-01T00:00:00+00:00")
    for order in ([found, killed], [killed, found]):
        (row,) = read_rows(order)
        assert row["status"] == "found" and row.database == str(found)
    # Among results the newest is kept, whatever the order the files are given in; an error only when nothing else is there.
    for order in ([found, killed, timeout], [timeout, killed, found]):
        (row,) = read_rows(order)
        assert row["status"] == "timeout"
    (row,) = read_rows([killed])
    assert row["status"] == "error"


def test_a_merge_of_two_rows_finished_in_one_second_keeps_the_same_one_whatever_the_order(tmp_path, cell_maker) -> None:
    # `suite report a b` and `report b a` gave two median CPU seconds (2.0605, 2.0575) for one cell run on two machines at once
    a, b = tmp_path / "a.sqlite", tmp_path / "b.sqlite"
    with Store(a) as store:
        store.record(cell_maker(0), _outcome("timeout", cpu=2.06))
    with Store(b) as store:
        store.record(cell_maker(0), _outcome("timeout", cpu=2.05))
    for db in (a, b):
        _finished_at(db, "2026-01-01T00:00:00+00:00")
    (first,) = read_rows([a, b])
    (second,) = read_rows([b, a])
    assert first.values == second.values


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


def test_a_foreign_sqlite_file_is_refused_for_writing_and_left_untouched(tmp_path) -> None:
    # audit #20: `suite run --db other.sqlite` added its tables to someone else's database
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(UserError, match="not a results database"):
        Store(path)
    assert path.read_bytes() == before
    assert [n for (n,) in sqlite3.connect(path).execute("SELECT name FROM sqlite_master")] == ["t"]


def test_a_database_of_another_schema_version_is_refused_for_writing_and_left_untouched(tmp_path) -> None:
    path = tmp_path / "v2.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    conn.execute("INSERT INTO meta VALUES ('schema', '2')")
    conn.execute("CREATE TABLE cells (hash TEXT PRIMARY KEY)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    for readonly in (False, True):
        with pytest.raises(UserError, match=r"another schema \(2; this is 1\)"):
            Store(path, readonly=readonly)
    assert path.read_bytes() == before  # no table of ours added, not switched to WAL
    assert sorted(p.name for p in tmp_path.iterdir()) == ["v2.sqlite"]


def test_a_database_locked_past_the_busy_timeout_is_called_busy_not_damaged(tmp_path, cell_maker, monkeypatch) -> None:
    from synth.suite import store as store_module

    path = tmp_path / "r.sqlite"
    with Store(path) as store:
        store.record(cell_maker(0), _outcome())
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_MS", 200)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        for readonly in (False, True):
            with pytest.raises(UserError, match="the results database is busy: another process held a lock") as info:
                Store(path, readonly=readonly)
            assert "not a results database" not in str(info.value) and "r.sqlite" in str(info.value)
    finally:
        holder.execute("ROLLBACK")
        holder.close()


@pytest.mark.parametrize("complaint, words", [
    ("database or disk is full", "the disk is full"),
    ("disk I/O error", "a disk I/O error"),
    ("database is locked", "is busy"),
])
def test_trouble_around_the_file_is_named_as_such_when_writing_a_row(tmp_path, cell_maker, monkeypatch, complaint, words) -> None:
    path = tmp_path / "r.sqlite"
    with Store(path) as store:
        store.record(cell_maker(0), _outcome())

        class Failing:
            def __getattr__(self, name):
                return getattr(store_conn, name)

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                return False

            def execute(self, *args):
                raise sqlite3.OperationalError(complaint)

        store_conn = store.conn
        monkeypatch.setattr(store, "conn", Failing())
        with pytest.raises(UserError, match=words) as info:
            store.record(cell_maker(1), _outcome())
        assert "damaged" not in str(info.value)
        monkeypatch.setattr(store, "conn", store_conn)
    assert len(read_rows([path])) == 1  # the row written before is kept


def test_an_empty_sqlite_file_becomes_a_results_database(tmp_path, cell_maker) -> None:
    path = tmp_path / "empty.sqlite"
    sqlite3.connect(path).close()
    with Store(path) as store:
        store.record(cell_maker(0), _outcome())
    assert len(read_rows([path])) == 1


@pytest.mark.parametrize("column, value", [("accuracy", "{bad json"), ("settings", "[1, 2]"), ("stats", "")])
def test_a_damaged_json_value_is_a_user_error_naming_the_database_and_the_cell(tmp_path, cell_maker, column, value) -> None:
    # audit #14: a JSONDecodeError traceback
    path = tmp_path / "r.sqlite"
    with Store(path) as store:
        store.record(cell_maker(3), _outcome())
    conn = sqlite3.connect(path)
    conn.execute(f"UPDATE cells SET {column} = ?", (value,))
    conn.commit()
    conn.close()
    with pytest.raises(UserError) as info:
        read_rows([path])
    message = str(info.value)
    assert str(path) in message and cell_maker(3).key in message and column in message and "seed 3" in message


def test_redo_marks_rows_stale_and_a_new_row_takes_its_cell_off(tmp_path, cell_maker) -> None:
    with Store(tmp_path / "r.sqlite") as store:
        for i in range(3):
            store.record(cell_maker(i), _outcome())
        store.record(cell_maker(3), _outcome("error"))
        assert store.done() == {cell_maker(i).key for i in range(3)}  # an error row is not a result
        assert store.mark_stale([cell_maker(i).key for i in range(5)]) == 4  # rows only; cell 4 has none
        assert store.done() == set() and store.stale() == {cell_maker(i).key for i in range(4)}
        store.record(cell_maker(1), _outcome())
        assert store.done() == {cell_maker(1).key}
        assert {r["seed"]: r["stale"] for r in store.rows()} == {0: True, 1: False, 2: True, 3: True}


def test_a_database_made_before_stale_rows_reads_and_resumes(tmp_path, cell_maker) -> None:
    path = tmp_path / "old.sqlite"
    with Store(path) as store:
        store.record(cell_maker(0), _outcome())
        store.conn.execute("DROP TABLE stale")
    (row,) = read_rows([path])
    assert row["stale"] is False
    with Store(path) as store:
        assert store.done() == {cell_maker(0).key}


def test_an_error_never_replaces_a_result_another_run_stored_meanwhile(tmp_path, cell_maker) -> None:
    """Two `suite run`s of one grid on one file: a worker of the second killed after the first stored the cell's timeout replaced it with `error`."""
    db = tmp_path / "r.sqlite"
    with Store(db) as first, Store(db) as second:
        assert first.record(cell_maker(0), _outcome("timeout"))
        assert not second.record(cell_maker(0), _outcome("error"))  # its worker died: the result stays
        assert second.record(cell_maker(1), _outcome("error"))  # no row yet: the error is stored, to be retried
        assert second.record(cell_maker(1), _outcome("error", cpu=0.25))  # an error replaces an error (the newer message)
        assert first.record(cell_maker(1), _outcome("found"))  # and a result replaces an error
    assert {r["seed"]: r["status"] for r in read_rows([db])} == {0: "timeout", 1: "found"}
