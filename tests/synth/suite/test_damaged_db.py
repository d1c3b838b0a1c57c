"""Damaged results databases (found by tests/fuzz/test_fuzz_results_db.py): one clear refusal naming the file and the cell.

Each case is a hand edit or damage that once ended in a traceback, a message
that did not name the database, a file changed by a command that should
only read it, or a row report refuses that status and a resumed run counted
as done.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from dsl.errors import UserError
from synth.cli import main
from synth.suite.outcome import Outcome, failed
from synth.suite.status import status
from synth.suite.store import Store, read_rows

PROGRAM = "input xs: List[Int]\nfold (s, x) -> s xor x from 0 over xs\n"


def _made(path: Path, cell_maker, edits: tuple[str, ...] = ()) -> tuple[Path, str]:
    """A database of two found cells and one error, then `edits` (SQL) applied; the first cell's hash."""
    found = Outcome("found", program=PROGRAM, cost=6, candidates=9, cpu_seconds=0.5, wall_seconds=0.6, peak_mb=30.0,
                    accuracy={"exact": 1.0, "mean_exact": 1.0, "buckets": []}, training={"seed": 0}, stats={"stopped": "found"})
    with Store(path) as store:
        store.record(cell_maker(0), found)
        store.record(cell_maker(1), found)
        store.record(cell_maker(2), failed("killed"))
    conn = sqlite3.connect(path, isolation_level=None)
    for edit in edits:
        conn.execute(edit.replace("FIRST", f"'{cell_maker(0).key}'"))
    conn.close()
    return path, cell_maker(0).key


def _loose(column_edit: str) -> tuple[str, ...]:
    """Rebuild `cells` without its constraints (as another tool might), then edit it."""
    return ("CREATE TABLE loose AS SELECT * FROM cells", "DROP TABLE cells", "ALTER TABLE loose RENAME TO cells", column_edit)


def _spoil(db: Path, name: str) -> None:
    """Garbage over the first page of table or index `name`."""
    conn = sqlite3.connect(db)
    (page,) = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (name,)).fetchone()
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    raw = bytearray(db.read_bytes())
    raw[(page - 1) * size:page * size] = b"\xff" * size
    db.write_bytes(bytes(raw))


def _refused(*args: str) -> str:
    res = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert res.exit_code == 2 and "Traceback" not in res.output, res.output
    return res.output


@pytest.mark.parametrize("edit, column", [
    ("UPDATE cells SET accuracy = '{\"exact\": 1.0}' WHERE hash = FIRST", "accuracy"),  # was a KeyError in the headline
    ("UPDATE cells SET accuracy = '{\"exact\": NaN, \"mean_exact\": 1}' WHERE hash = FIRST", "accuracy"),
    ("UPDATE cells SET cpu_seconds = -3 WHERE hash = FIRST", "cpu_seconds"),
    ("UPDATE cells SET cost = 'six' WHERE hash = FIRST", "cost"),
    ("UPDATE cells SET version = x'01' WHERE hash = FIRST", "version"),  # a BLOB in a TEXT column stays a BLOB
])
def test_a_plain_or_json_cell_of_the_wrong_type_is_refused_naming_the_cell(tmp_path, cell_maker, edit, column) -> None:
    db, first = _made(tmp_path / "r.db", cell_maker, (edit,))
    with pytest.raises(UserError, match=f"the {column} of cell {first}") as err:
        read_rows([db])
    assert err.value.file == str(db)


def test_null_where_the_schema_says_not_null_is_refused_naming_the_cell(tmp_path, cell_maker) -> None:
    """A table rebuilt without constraints: a NULL `finished` was a TypeError when merging."""
    db, first = _made(tmp_path / "r.db", cell_maker, _loose("UPDATE cells SET finished = NULL WHERE hash = FIRST"))
    out = _refused("suite", "report", str(db))
    assert str(db) in out and f"finished of cell {first}" in out


def test_a_program_that_does_not_parse_is_refused_naming_the_database_and_the_cell(tmp_path, cell_maker) -> None:
    db, first = _made(tmp_path / "r.db", cell_maker, ("UPDATE cells SET program = 'fold (' WHERE hash = FIRST",))
    out = _refused("suite", "report", str(db), "--programs")
    assert str(db) in out and first in out and "does not parse" in out


@pytest.mark.parametrize("edit", ["DROP TABLE cells", "ALTER TABLE cells RENAME TO cells_old"])
def test_a_lost_cells_table_is_refused_by_every_command_and_the_file_is_left_as_it_was(tmp_path, cell_maker, edit) -> None:
    """Was an sqlite3.OperationalError (report, status); a resumed run made a new empty table and ran everything again."""
    db, _ = _made(tmp_path / "r.db", cell_maker, (edit,))
    before = db.read_bytes()
    for args in (["report", str(db)], ["status", str(db)]):
        assert "no `cells` table" in _refused("suite", *args)
    with pytest.raises(UserError, match="no `cells` table"):
        Store(db)
    assert db.read_bytes() == before


def test_cells_without_their_meta_table_are_called_damaged(tmp_path, cell_maker) -> None:
    db, _ = _made(tmp_path / "r.db", cell_maker, ("DROP TABLE meta",))
    assert "damaged results database" in _refused("suite", "status", str(db))


def test_an_empty_schema_version_is_not_called_a_missing_cells_table(tmp_path, cell_maker) -> None:
    # meta's schema value '' (a hand edit) matched the sentinel for a lost `cells` table: "it has no `cells` table (renamed or dropped?)"
    db, _ = _made(tmp_path / "r.db", cell_maker, ("UPDATE meta SET value = '' WHERE key = 'schema'",))
    before = db.read_bytes()
    for args in (["report", str(db)], ["status", str(db)]):
        message = _refused("suite", *args)
        assert "no schema version" in message and "no `cells` table" not in message
    with pytest.raises(UserError, match="has a `cells` table but no schema version"):
        Store(db)
    assert db.read_bytes() == before


def test_a_damaged_page_is_refused_naming_the_database(tmp_path, cell_maker) -> None:
    """Garbage over the page of the cells table: SQLite's 'malformed' came out as a traceback while reading rows."""
    db, _ = _made(tmp_path / "r.db", cell_maker)
    _spoil(db, "cells")
    for args in (["report", str(db)], ["status", str(db)]):
        assert str(db) in _refused("suite", *args)


@pytest.mark.parametrize("edits", [
    ("UPDATE cells SET stats = 'oops' WHERE hash = FIRST",),
    ("UPDATE cells SET accuracy = '{\"exact\": 1.0}' WHERE hash = FIRST",),
    ("UPDATE cells SET settings = '{}' WHERE hash = FIRST",),
    _loose("UPDATE cells SET status = 'FOUND' WHERE hash = FIRST"),
])
def test_status_and_a_resumed_run_refuse_a_row_report_refuses_naming_the_database_and_the_cell(tmp_path, cell_maker, tiny_spec, edits) -> None:
    """Status read the plain columns only and counted the row as done; a resumed run skipped it for good; report refused it.

    A resumed run neither skips the damaged row nor replaces it (its cell's
    hash is the key): nothing runs, nothing is marked stale, the row stays.
    """
    db, first = _made(tmp_path / "r.db", cell_maker, edits)
    grid = tmp_path / "grid.toml"
    grid.write_text(tiny_spec, encoding="utf-8")  # the cells of cell_maker(0..3): the three rows and one not run
    conn = sqlite3.connect(db)
    damaged = conn.execute("SELECT * FROM cells WHERE hash = ?", (first,)).fetchall()
    conn.close()
    for args in (["report", str(db)], ["status", str(db)], ["status", str(db), str(grid)],
                 ["run", str(grid), "--db", str(db), "--quiet"], ["run", str(grid), "--db", str(db), "--quiet", "--redo"]):
        out = _refused("suite", *args)
        assert f"{db}: damaged results database" in out and f"of cell {first}" in out, (args, out)
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT * FROM cells WHERE hash = ?", (first,)).fetchall() == damaged
    assert conn.execute("SELECT count(*) FROM cells").fetchone() == (3,) and conn.execute("SELECT count(*) FROM stale").fetchone() == (0,)
    conn.close()
    with pytest.raises(UserError, match=f"the [a-z]+ of cell {first}"):
        status(db)


def test_a_write_into_a_damaged_index_is_refused_naming_the_database(tmp_path, cell_maker) -> None:
    """A resumed run reads its done cells (no index needed) and then writes: the damaged index was an sqlite3 traceback."""
    db, _ = _made(tmp_path / "r.db", cell_maker)
    _spoil(db, "sqlite_autoindex_cells_1")
    with Store(db) as store:
        assert store.done()
        with pytest.raises(UserError, match="damaged results database") as err:
            store.record(cell_maker(5), failed("again"))
    assert err.value.file == str(db)


@pytest.mark.parametrize("target", [b"CREATE TABLE cells", PROGRAM.encode()[:20]])
def test_a_byte_that_is_not_utf8_in_the_schema_or_a_cell_is_refused_naming_the_database(tmp_path, cell_maker, target) -> None:
    """Found by the long fuzz: one byte 0x80 over the schema's text was a UnicodeDecodeError traceback, not SQLite's error."""
    db, _ = _made(tmp_path / "r.sqlite", cell_maker)
    raw = bytearray(db.read_bytes())
    at = raw.find(target)
    assert at >= 0
    raw[at + 3] = 0x80
    db.write_bytes(bytes(raw))
    before = db.read_bytes()
    assert str(db) in _refused("suite", "report", str(db))  # not reported as if whole
    assert str(db) in _refused("suite", "status", str(db))  # status reads rows as report does
    assert db.read_bytes() == before
