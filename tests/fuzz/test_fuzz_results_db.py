"""Fuzzing the suite's results databases: damaged copies of a real one, read by report, status and a resumed run.

A real tiny sweep runs once per module (two generated parity cells and a task
file, found in milliseconds) and an `error` row is added through the store's
own API. Each example damages a copy the ways real files get damaged: a JSON
cell (settings, training, accuracy, stats) replaced by text, another JSON type,
huge numbers or NaN; a plain cell of the wrong type, NULL where the schema says
NOT NULL (in a rebuilt table), negative CPU seconds; rows deleted or duplicated,
two such databases merged in one report; `meta` missing or its schema version
changed; a table renamed or dropped; the file cut at a byte; random bytes over
a page. Then `suite report` (text, markdown, latex, --programs, --csv, --json,
--plot), `suite status` (with and without the grid) and a resumed `suite run`
of the same grid must: exit 0, 1 or 2, never with a traceback; on exit 2, name
the database, and the damaged cell when the damage is in one row; leave the
file byte for byte as it was (report and status); and, for one damaged cell,
agree: status and the resumed run refuse exactly when a plain report does. An undamaged copy is drawn too:
it must be read in full (exit 0), so the checks refuse damage, not data.
"""

from __future__ import annotations

import itertools
import json
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import event, given, settings
from hypothesis import strategies as st

from dsl.strategies import HOSTILE_JSON, json_text, mutated_json
from synth.cli import main
from synth.suite.cell import Cell, Generated, Lengths, SearchSettings
from synth.suite.outcome import failed
from synth.suite.store import JSON_COLUMNS, Store

ROOT = Path(__file__).resolve().parents[2]
WORK = Path(tempfile.mkdtemp(prefix="lego-fuzz-db-"))
SPEC = f"""
[defaults]
timeout = 2
[[generated]]
family = "sequence"
task = "parity_check"
train_size = 10
train_lengths = "1..6"
test_lengths = "13..16"
test_count = 2
seed = "0..1"
[[files]]
paths = ["{ROOT / 'examples' / 'even_pairs.json'}"]
"""
_COPIES = itertools.count()
PLAIN_COLUMNS = ("task", "profile", "kind", "train_size", "train_lengths", "seed", "path", "status", "program", "cost",
                 "candidates", "cpu_seconds", "wall_seconds", "peak_mb", "error", "version", "host", "finished")


def invoke(*args: Any) -> Result:
    """Run a command; report and status either read (0) or refuse (2); a resumed run may also end with a failed cell (1)."""
    res = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    assert res.exit_code in ((0, 1, 2) if args[1] == "run" else (0, 2)), (args, res.exit_code, res.output[-2000:])
    assert "Traceback" not in res.output, res.output[-2000:]
    event(f"{args[0]} {args[1]} exit {res.exit_code}")
    return res


@dataclass(frozen=True)
class Base:
    """The valid database every example starts from, the spec of its grid, and its rows' hashes."""

    db: Path
    spec: Path
    hashes: tuple[str, ...]
    json_cells: tuple[tuple[str, str, str], ...]  # (hash, column, JSON text) of every non-null JSON cell


@pytest.fixture(scope="module")
def base() -> Base:
    spec = WORK / "grid.toml"
    spec.write_text(SPEC, encoding="utf-8")
    db = WORK / "base.db"
    res = CliRunner().invoke(main, ["suite", "run", str(spec), "--db", str(db), "--jobs", "2", "--quiet"], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    extra = Cell(Generated("sequence", "parity_check", 10, Lengths(1, 6), Lengths(13, 16), 7), SearchSettings(timeout=2))
    with Store(db) as store:
        store.record(extra, failed("worker killed by signal 9\nsecond line"))
    conn = sqlite3.connect(db)
    hashes = tuple(h for (h,) in conn.execute("SELECT hash FROM cells ORDER BY hash"))
    cells = tuple((h, c, v) for c in sorted(JSON_COLUMNS) for h, v in conn.execute(f"SELECT hash, {c} FROM cells WHERE {c} IS NOT NULL"))
    conn.close()
    assert len(hashes) == 4
    return Base(db, spec, hashes, cells)


# --- damage ------------------------------------------------------------------------

def _rebuilt(conn: sqlite3.Connection) -> None:
    """Rebuild `cells` without its constraints (NOT NULL, CHECK, PRIMARY KEY), as a hand edit with another tool might."""
    conn.execute("CREATE TABLE loose AS SELECT * FROM cells")
    conn.execute("DROP TABLE cells")
    conn.execute("ALTER TABLE loose RENAME TO cells")


def _update(conn: sqlite3.Connection, column: str, value: Any, row: str) -> None:
    try:
        conn.execute(f"UPDATE cells SET {column} = ? WHERE hash = ?", (value, row))
    except sqlite3.IntegrityError:
        _rebuilt(conn)
        conn.execute(f"UPDATE cells SET {column} = ? WHERE hash = ?", (value, row))


@dataclass(frozen=True)
class Damage:
    """One way a results file gets damaged; `row` is the cell damaged when the damage is in one row."""

    kind: str
    row: str | None = None
    column: str = ""
    value: Any = None
    rows: tuple[str, ...] = ()
    at: int = 0
    data: bytes = b""

    def apply(self, path: Path) -> None:
        if self.kind == "none":
            return
        if self.kind in ("truncate", "overwrite"):
            raw = path.read_bytes()
            if self.kind == "truncate":
                path.write_bytes(raw[: self.at % (len(raw) + 1)])
            else:
                at = self.at % len(raw)
                path.write_bytes(raw[:at] + self.data + raw[at + len(self.data):])
            return
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("BEGIN")
        if self.kind == "cell":
            _update(conn, self.column, self.value, str(self.row))
        elif self.kind == "delete":
            conn.executemany("DELETE FROM cells WHERE hash = ?", [(h,) for h in self.rows])
        elif self.kind == "duplicate":  # the same cell twice in one table, the copy newer and changed
            _rebuilt(conn)
            conn.executemany(
                "INSERT INTO cells SELECT * FROM cells WHERE hash = ? LIMIT 1", [(h,) for h in self.rows])
            conn.execute(f"UPDATE cells SET {self.column} = ? WHERE rowid = (SELECT max(rowid) FROM cells)", (self.value,))
        elif self.kind == "stale":
            conn.executemany("INSERT OR IGNORE INTO stale VALUES (?)", [(h,) for h in self.rows])
        elif self.kind == "schema":
            if self.value is None:  # NOT NULL in the schema: a hand-made table without it
                conn.execute("ALTER TABLE meta RENAME TO strict_meta")
                conn.execute("CREATE TABLE meta AS SELECT * FROM strict_meta")
                conn.execute("DROP TABLE strict_meta")
            conn.execute("UPDATE meta SET value = ? WHERE key = 'schema'", (self.value,))
        elif self.kind == "no schema row":
            conn.execute("DELETE FROM meta")
        elif self.kind == "drop":
            conn.execute(f"DROP TABLE {self.column}")
        elif self.kind == "rename":
            conn.execute(f'ALTER TABLE {self.column} RENAME TO "{self.value}"')
        conn.execute("COMMIT")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()


_huge_numbers = st.sampled_from(["1e999", "-1e999", "NaN", "Infinity", "-Infinity", "9" * 400, '{"exact": NaN}', '{"exact": 1e999}',
                                 '{"buckets": [{"exact": NaN, "lengths": "1..2"}]}', '{"kind": 1e999}'])
_sql_values = st.one_of(
    st.none(), st.text(max_size=30), st.integers(-(2**63), 2**63 - 1), st.floats(allow_nan=True, allow_infinity=True),
    st.floats(-1e6, -1e-9), st.binary(max_size=12), st.sampled_from(["", "NaN", "-1", "found ", "FOUND", "1..", "a..b", "0..0"]),
)


@st.composite
def json_damage(draw: Any, base: Base) -> Damage:
    row, column, text = draw(st.sampled_from(base.json_cells))
    how = draw(st.sampled_from(["mutated", "text", "type", "huge", "sql"]))
    if how == "mutated":
        value: Any = json_text(draw(mutated_json(json.loads(text))))
    elif how == "text":
        value = draw(st.text(max_size=40))
    elif how == "type":
        value = json.dumps(draw(st.sampled_from(HOSTILE_JSON)))
    elif how == "huge":
        value = draw(_huge_numbers)
    else:
        value = draw(_sql_values)
    return Damage("cell", row=row, column=column, value=value)


@st.composite
def damages(draw: Any, base: Base) -> Damage:
    kind = draw(st.sampled_from(["none", "json", "plain", "delete", "duplicate", "stale", "schema", "no schema row", "drop", "rename",
                                 "truncate", "overwrite"]))
    some_rows = st.lists(st.sampled_from(base.hashes), min_size=1, max_size=4, unique=True).map(tuple)
    if kind == "none":
        return Damage(kind)
    if kind == "json":
        return draw(json_damage(base))
    if kind == "plain":
        return Damage("cell", row=draw(st.sampled_from(base.hashes)), column=draw(st.sampled_from(PLAIN_COLUMNS)), value=draw(_sql_values))
    if kind in ("delete", "stale"):
        return Damage(kind, rows=draw(some_rows))
    if kind == "duplicate":
        return Damage(kind, rows=draw(some_rows), column=draw(st.sampled_from(("finished", "status", "cpu_seconds", "program", "version"))),
                      value=draw(st.one_of(_sql_values, st.just("9999-12-31T00:00:00+00:00"))))
    if kind == "schema":
        return Damage(kind, value=draw(st.one_of(st.sampled_from(["0", "2", " 1", "1.0", ""]), _sql_values)))
    if kind in ("drop", "rename"):
        table = draw(st.sampled_from(["meta", "stale", "cells"]))
        name = draw(st.sampled_from(["cells_old", "meta2", "results"]))
        return Damage(kind, column=table, value=name)
    size = base.db.stat().st_size
    if kind == "truncate":
        return Damage(kind, at=draw(st.integers(0, size)))
    page = draw(st.integers(0, size // 4096 - 1))
    at = page * 4096 + draw(st.integers(0, 4095))
    return Damage(kind, at=at, data=draw(st.binary(min_size=1, max_size=64)))


# --- the contract ------------------------------------------------------------------

def refusal_names(res: Result, db: Path, damage: Damage) -> None:
    """On exit 2: one message naming the database, and the damaged cell when the damage is in a row."""
    if res.exit_code != 2:
        return
    assert str(db) in res.output, res.output[-2000:]
    if damage.row is not None and damage.column != "hash" and "no rows of code version" not in res.output:  # not a refusal of the data
        assert damage.row[:12] in res.output, (damage, res.output[-2000:])


def fresh_copy(src: Path, name: str) -> Path:
    """A copy of a database under a name not used before: no journal or open connection of an earlier example applies to it."""
    dst = WORK / f"{name}{next(_COPIES)}.db"
    shutil.copyfile(src, dst)
    return dst


def read_only(db: Path, *args: Any) -> Result:
    before = db.read_bytes()
    res = invoke(*args)
    assert db.read_bytes() == before, f"{args[:2]} changed {db}"
    return res


@st.composite
def report_options(draw: Any, n: int) -> list[str]:
    options = [draw(st.sampled_from(["", "--markdown", "--latex"]))]
    if draw(st.booleans()):
        options.append("--programs")
    if draw(st.integers(0, 4)) == 0:
        options += ["--code-version", draw(st.sampled_from(["current", "0.1.0"]))]
    for flag, suffix in (("--csv", "csv"), ("--json", "json")):
        if draw(st.booleans()):
            options += [flag, str(WORK / f"out{n}.{suffix}")]
    if draw(st.integers(0, 5)) == 0:
        options += ["--plot", str(WORK / f"out{n}.{draw(st.sampled_from(['png', 'svg']))}")]
    return [o for o in options if o]


def test_damaged_database(fuzz: settings, base: Base) -> None:
    @settings(parent=fuzz, max_examples=max(1, fuzz.max_examples // 2))
    @given(damages(base), report_options(0), st.booleans())
    def check(damage, options, resume):
        db = fresh_copy(base.db, "damaged")
        damage.apply(db)
        report = read_only(db, "suite", "report", db, *options)
        refusal_names(report, db, damage)
        shown = read_only(db, "suite", "status", db)
        refusal_names(shown, db, damage)
        if damage.kind == "none":  # the valid database: read in full (only a version no row has is refused)
            assert report.exit_code == 0 or "no rows of code version" in report.output, report.output
        # One cell damaged: status (and a resumed run) refuse a row exactly when a plain report does.
        agree = damage.kind == "cell" and not {"--programs", "--code-version"} & set(options)
        if agree:
            assert shown.exit_code == report.exit_code, (damage, report.output[-2000:], shown.output[-2000:])
        refusal_names(read_only(db, "suite", "status", db, base.spec), db, damage)
        if resume:  # the resumed run may write: on its own copy
            again = fresh_copy(db, "resumed")
            res = invoke("suite", "run", base.spec, "--db", again, "--jobs", "1", "--quiet")
            refusal_names(res, again, damage)
            if agree:
                assert (res.exit_code == 2) == (report.exit_code == 2), (damage, report.output[-2000:], res.output[-2000:])

    check()


def test_merged_databases(fuzz: settings, base: Base) -> None:
    """Two copies, each with rows deleted, duplicated or damaged, merged in one report."""
    @settings(parent=fuzz, max_examples=max(1, fuzz.max_examples // 4))
    @given(damages(base), damages(base), report_options(1))
    def check(first, second, options):
        dbs = [fresh_copy(base.db, "first"), fresh_copy(base.db, "second")]
        for db, damage in zip(dbs, (first, second)):
            damage.apply(db)
        before = [db.read_bytes() for db in dbs]
        res = invoke("suite", "report", *dbs, *options)
        assert [db.read_bytes() for db in dbs] == before
        if res.exit_code == 2:
            assert any(str(db) in res.output for db in dbs), res.output[-2000:]

    check()

