"""The results database: SQLite, one row per cell, one transaction per row; WAL while written, one file at rest.

A row is written only when its cell has finished, in a transaction of its
own, so a sweep killed at any moment leaves every finished cell and nothing
half-written; WAL lets several shards write to one file and a report read it
meanwhile. `synchronous=NORMAL` keeps each commit cheap: a killed process
loses nothing committed (only a power cut could lose the last commits). A
writer closing with no one else on the file switches it back to a rollback
journal, so a database at rest is a single file that report and status read
without creating any (see _leave_wal).

`--redo` does not delete: it lists the grid's rows in the `stale` table (one
transaction), and writing a cell's new row takes it off. A stale row, like an
`error` row (a crashed or killed worker, not a search result), is still to
run, so an interrupted redo is finished by a plain run, and the old result
stays readable until its replacement is committed.

Every row is stamped with the code version that produced it (a cell's hash
includes it too): after the code changes, its cells are new cells, and the
old rows stay, untouched, readable as another version's.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import math
import os
import random
import socket
import sqlite3
import time
import urllib.parse
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator, Mapping, TypeVar

from dsl.errors import UserError
from synth.suite.cell import Cell, TaskFile, canonical_json, describe
from synth.suite.compat import code_version
from synth.suite.outcome import STATUSES, Outcome

T = TypeVar("T")
SCHEMA_VERSION = "1"
BUSY_TIMEOUT_MS = 60_000  # shards writing to one file wait for each other this long
REST_WAIT_SECONDS = 0.5  # a finished writer tries this long to leave the file in rollback-journal mode

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS stale (hash TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS cells (
    hash TEXT PRIMARY KEY,
    task TEXT NOT NULL,
    profile TEXT NOT NULL,
    kind TEXT NOT NULL,
    train_size INTEGER,
    train_lengths TEXT,
    seed INTEGER,
    path TEXT,
    settings TEXT NOT NULL,
    training TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ({", ".join(repr(s) for s in STATUSES)})),
    program TEXT,
    cost INTEGER,
    candidates INTEGER NOT NULL,
    cpu_seconds REAL NOT NULL,
    wall_seconds REAL NOT NULL,
    peak_mb REAL,
    accuracy TEXT,
    stats TEXT NOT NULL,
    error TEXT,
    version TEXT NOT NULL,
    host TEXT NOT NULL,
    finished TEXT NOT NULL
);
"""

_COLUMNS = (
    "hash task profile kind train_size train_lengths seed path settings training status program cost "
    "candidates cpu_seconds wall_seconds peak_mb accuracy stats error version host finished"
).split()
_NO_CELLS = ("",)  # what Store._open finds in a file of ours whose `cells` table is gone
JSON_COLUMNS = frozenset({"settings", "training", "accuracy", "stats"})
_PLAIN_TYPES: Mapping[str, type] = {
    **dict.fromkeys(("hash", "task", "profile", "kind", "train_lengths", "path", "status", "program", "error", "version", "host", "finished"), str),
    **dict.fromkeys(("train_size", "seed", "cost", "candidates"), int),
    **dict.fromkeys(("cpu_seconds", "wall_seconds", "peak_mb"), float),
}
_NULLABLE = frozenset({"train_size", "train_lengths", "seed", "path", "program", "cost", "peak_mb", "error"})


@dataclass(frozen=True)
class Row:
    """One stored cell, its JSON columns decoded."""

    values: Mapping[str, Any]
    database: str = ""  # the file it was read from, for a message about a damaged value found later

    def __getitem__(self, name: str) -> Any:
        return self.values[name]

    def get(self, name: str, default: Any = None) -> Any:
        return self.values.get(name, default)

    @property
    def done(self) -> bool:
        """A search's result: not `error` (a crashed or killed worker), not stale (a `--redo` not finished). Other rows are still to run."""
        return bool(self["status"] != "error" and not self["stale"])


# What reading a damaged file raises: SQLite's own errors, and a UnicodeDecodeError where
# a damaged byte sits in text SQLite hands back (the schema, an error message quoting it, a cell).
DAMAGED = (sqlite3.DatabaseError, UnicodeDecodeError)


def _connect(path: str, *, readonly: bool) -> sqlite3.Connection:
    try:
        if readonly:
            if not os.path.isfile(path):
                raise UserError("no such results database", file=path)
            conn = sqlite3.connect(sqlite_uri(path, "ro"), uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        else:  # a URI too, quoted: SQLite would read a name such as `file:x.db` as a URI of its own
            conn = sqlite3.connect(sqlite_uri(path, "rwc"), uri=True, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    except DAMAGED as err:
        raise _not_read(err, path, readonly) from None
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        _retry_locked(lambda: conn.execute("SELECT count(*) FROM sqlite_master").fetchone())
    except DAMAGED as err:
        conn.close()
        raise _not_read(err, path, readonly) from None
    return conn


def _not_read(err: Exception, path: str, readonly: bool) -> UserError:
    """The message for a database SQLite could not open or read: damaged, or in WAL mode in a folder we may not write to."""
    if readonly and "unable to open" in str(err) and not os.access(os.path.dirname(os.path.abspath(path)), os.W_OK):
        return UserError(
            "a database in WAL mode (written by an earlier version, or left so by a run while another process "
            "had it open) cannot be read in a folder this process may not write to: SQLite must create "
            f"{os.path.basename(path)}-shm beside it; copy it, with its -wal file if there is one, to a writable folder",
            file=path,
        )
    return UserError(_trouble(err) or f"not a results database: {err}", file=path)


def _trouble(err: Exception) -> str | None:
    """What went wrong when it is the file's surroundings, not its contents: a lock held too long, a full or failing disk."""
    text = str(err)
    if "locked" in text or "busy" in text:
        return (f"the results database is busy: another process held a lock on it for {BUSY_TIMEOUT_MS // 1000} s "
                f"(SQLite: {text}); run again when that process is done")
    if "disk is full" in text:
        return f"cannot write the results database: the disk is full (SQLite: {text}); every row written before is kept"
    if "disk I/O error" in text:
        return f"cannot read or write the results database: a disk I/O error (a full or failing disk?) (SQLite: {text})"
    if "readonly" in text:
        return f"the results database cannot be written here (SQLite: {text})"
    return None


def sqlite_uri(path: str, mode: str) -> str:
    """An SQLite URI opening `path` in `mode` (ro, rw): quoted, as a `?`, `#` or `%` in a file name would end or change it."""
    return f"file:{urllib.parse.quote(os.path.abspath(path))}?mode={mode}"


def _retry_locked(step: Callable[[], T]) -> T:
    """Run `step`, again while SQLite reports the file busy, for up to BUSY_TIMEOUT_MS.

    The busy timeout does not cover everything: switching a file to WAL (a new
    one, or one at rest), or two processes creating one schema at once, can
    fail at once with "database is locked" (SQLite returns SQLITE_BUSY without
    waiting when waiting could deadlock), which is what shards starting
    together do.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            return step()
        except sqlite3.OperationalError as err:
            if ("locked" not in str(err) and "busy" not in str(err)) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


class Store:
    """A results database open for a sweep (or, with `readonly`, for a report)."""

    def __init__(self, path: str | os.PathLike[str], *, readonly: bool = False) -> None:
        self.path = os.fspath(path)
        # A zero-byte file is an empty database (as `suite run` takes it): read as one, from memory, leaving the file untouched.
        empty = readonly and os.path.isfile(self.path) and os.path.getsize(self.path) == 0
        self.conn = sqlite3.connect(":memory:", isolation_level=None) if empty else _connect(self.path, readonly=readonly)
        try:
            found = _retry_locked(lambda: self._open(readonly and not empty))
            tables = _tables(self.conn)
        except DAMAGED as err:
            self.conn.close()
            raise UserError(_trouble(err) or f"not a results database of synth suite: {err}", file=self.path) from None
        if found is None:
            self.conn.close()
            if "cells" in tables:
                raise UserError("damaged results database: it has a `cells` table but no schema version (its `meta` table is missing or empty)", file=self.path)
            raise UserError("not a results database of synth suite (an SQLite file without our tables); give a new file or one `synth suite run` made", file=self.path)
        if found == _NO_CELLS:
            self.conn.close()
            raise UserError("damaged results database: it has no `cells` table (renamed or dropped?)", file=self.path)
        if found[0] != SCHEMA_VERSION:
            self.conn.close()
            raise UserError(f"results database of another schema ({found[0]}; this is {SCHEMA_VERSION})", file=self.path)
        self.writable = not readonly
        self.at_rest: bool | None = None  # after a writer's close: whether the file was left in rollback-journal mode
        self._has_stale = "stale" in _tables(self.conn)  # databases made before `--redo` marked rows stale have no such table

    def _open(self, readonly: bool) -> tuple[str] | None:
        """Create the schema if missing (in one IMMEDIATE transaction) and read its version.

        A file that already holds tables but not ours is refused untouched:
        the schema is added to a new, empty database only. One of ours that
        has lost its `cells` table (renamed, dropped) gives _NO_CELLS, and one
        of another schema version its version, also untouched.
        """
        if not readonly and _tables(self.conn):  # checked before WAL and the schema: a refused file is left as it was
            version = _schema_version(self.conn)
            if version is None:
                return None
            if "cells" not in _tables(self.conn):
                return _NO_CELLS
            if version != SCHEMA_VERSION:
                return (version,)
        if not readonly:
            self.conn.execute("PRAGMA journal_mode = WAL")
            self.conn.execute("PRAGMA synchronous = NORMAL")
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                if _tables(self.conn) and _schema_version(self.conn) is None:
                    self.conn.execute("ROLLBACK")
                    return None
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        self.conn.execute(statement)
                self.conn.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
                self.conn.execute("COMMIT")
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
        version = _schema_version(self.conn)
        if version is not None and "cells" not in _tables(self.conn):
            return _NO_CELLS
        return None if version is None else (version,)

    def close(self) -> None:
        """Close; a writer then returns the file to a rollback journal if no one else has it open (_leave_wal).

        Whatever ended the writing (the sweep done, Ctrl-C, a damaged row
        refused): every commit is whole, and SQLite refuses the switch inside
        a transaction or on a file it cannot read. Only a killed process
        leaves WAL, its `-wal` holding commits the next open recovers.

        Before closing, a writer copies its commits into the database file
        (a passive checkpoint, which an idle reader does not block): if the
        file must stay in WAL because another process has it open, the file
        itself still holds every row, and `at_rest` is False for the caller
        to say so.
        """
        if self.writable:
            try:
                self.conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
            except DAMAGED:
                pass  # a damaged or busy file: the WAL keeps the commits, the next open recovers them
        self.conn.close()
        if self.writable:
            self.at_rest = _leave_wal(self.path)

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def _damage_named(self) -> Iterator[None]:
        """SQLite's complaint as a UserError naming the file: damage (a bad page, a file cut short), or trouble around it (busy, disk full)."""
        try:
            yield
        except DAMAGED as err:
            raise UserError(_trouble(err) or f"damaged results database: {err}", file=self.path) from None

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        """All rows of a read."""
        with self._damage_named():
            return self.conn.execute(sql).fetchall()

    def finished(self) -> set[str]:
        """Hashes of the cells that have a row (whatever its status, stale or not)."""
        return {h for (h,) in self.query("SELECT hash FROM cells")}

    def settings_of_other_code(self, version: str) -> set[str]:
        """The settings (canonical JSON) of rows of code versions other than `version`: cells the current code runs anew."""
        with self._damage_named():
            return {str(v) for (v,) in self.conn.execute("SELECT settings FROM cells WHERE version != ?", (version,))}

    def done(self) -> set[str]:
        """Hashes of the cells whose row is a search's result (Row.done); the others are still to run.

        Read through rows(), so a damaged row is the UserError naming its cell
        that `report` gives: never counted as done (a resumed run would skip
        it for good), and never as still to run either (its new row would
        replace it: a cell's hash is the table's key).
        """
        return {row["hash"] for row in self.rows() if row.done}

    def stale(self) -> set[str]:
        """Hashes of the rows a `--redo` has not replaced yet."""
        if not self._has_stale:
            return set()
        return {h for (h,) in self.query("SELECT hash FROM stale")}

    def mark_stale(self, hashes: Iterable[str]) -> int:
        """Mark the rows of these cells stale, in one transaction; how many rows were marked."""
        with self._damage_named(), self.conn:
            self.conn.execute("BEGIN IMMEDIATE")
            before = self.conn.total_changes
            self.conn.executemany("INSERT OR IGNORE INTO stale (hash) SELECT hash FROM cells WHERE hash = ?", ((h,) for h in hashes))
            return self.conn.total_changes - before

    def record(self, cell: Cell, outcome: Outcome) -> bool:
        """Write one finished cell, in a transaction of its own (replacing an earlier row of it); whether it was written.

        An `error` (a dead worker, not a search result) never replaces a
        result that is not stale: within one run such a cell is never run
        again, so that result was stored meanwhile by another run on the file
        (two runs of one grid at once), and is kept.
        """
        src = cell.source
        settings = cell.settings()
        values: dict[str, Any] = {
            "hash": cell.key,
            "task": cell.task,
            "profile": cell.search.profile,
            "kind": settings["kind"],
            "train_size": settings.get("train_size"),
            "train_lengths": settings.get("train_lengths"),
            "seed": settings.get("seed"),
            "path": src.path if isinstance(src, TaskFile) else None,
            "settings": canonical_json(settings),
            "training": canonical_json(outcome.training),
            "status": outcome.status,
            "program": outcome.program,
            "cost": outcome.cost,
            "candidates": outcome.candidates,
            "cpu_seconds": outcome.cpu_seconds,
            "wall_seconds": outcome.wall_seconds,
            "peak_mb": outcome.peak_mb,
            "accuracy": None if outcome.accuracy is None else canonical_json(outcome.accuracy),
            "stats": canonical_json(outcome.stats),
            "error": outcome.error,
            "version": code_version(),
            "host": socket.gethostname(),
            "finished": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        }
        marks = ", ".join("?" for _ in _COLUMNS)
        with self._damage_named(), self.conn:  # BEGIN ... COMMIT
            self.conn.execute("BEGIN IMMEDIATE")
            if outcome.status == "error" and self.conn.execute(
                "SELECT 1 FROM cells WHERE hash = ? AND status != 'error' AND hash NOT IN (SELECT hash FROM stale)", (values["hash"],)
            ).fetchone():
                return False
            self.conn.execute(f"INSERT OR REPLACE INTO cells ({', '.join(_COLUMNS)}) VALUES ({marks})", [values[c] for c in _COLUMNS])
            self.conn.execute("DELETE FROM stale WHERE hash = ?", (values["hash"],))
        return True

    def rows(self) -> Iterator[Row]:
        """Every row, its JSON columns decoded and `stale` added; a damaged value is a UserError naming the cell.

        The one place that decides whether a row is whole: report, status and
        a resumed run (through done()) read every row through it.
        """
        stale = self.stale()
        for raw in self.query(f"SELECT {', '.join(_COLUMNS)} FROM cells ORDER BY task, profile, kind, train_size, seed, hash"):
            values = dict(zip(_COLUMNS, raw))
            self._check_plain(values)
            for name in JSON_COLUMNS:
                if values[name] is not None:
                    values[name] = self._decoded(values, name)
            self._check_settings(values)
            self._check_accuracy(values)
            values["stale"] = values["hash"] in stale
            yield Row(values, self.path)

    def _damaged(self, values: Mapping[str, Any], name: str, problem: str) -> UserError:
        return UserError(
            f"damaged results database: the {name} of cell {values['hash']} ({describe(values)}) {problem}: {str(values[name])[:60]!r}",
            file=self.path,
        )

    def _check_plain(self, values: Mapping[str, Any]) -> None:
        """Every plain column of the type the schema means (SQLite stores whatever a hand edit puts there)."""
        for name in _COLUMNS:
            value, wanted = values[name], _PLAIN_TYPES.get(name)
            if wanted is None or (value is None and name in _NULLABLE):
                continue
            if wanted is float:
                ok = isinstance(value, (int, float)) and math.isfinite(value) and value >= 0
                if not ok:
                    raise self._damaged(values, name, "is not a finite number of at least 0")
            elif not isinstance(value, wanted) or isinstance(value, bool):
                raise self._damaged(values, name, f"is not {'an integer' if wanted is int else 'text'}")
        if values["status"] not in STATUSES:
            raise self._damaged(values, "status", f"is not one of {', '.join(STATUSES)}")

    def _check_accuracy(self, values: Mapping[str, Any]) -> None:
        """The accuracy a report reads: exact and mean_exact, fractions in 0..1."""
        acc = values["accuracy"]
        if acc is None:
            return
        for key in ("exact", "mean_exact"):
            value = acc.get(key)
            if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0 <= value <= 1:
                raise UserError(
                    f"damaged results database: the accuracy of cell {values['hash']} ({describe(values)}) has no fraction "
                    f"{key} in 0..1: {str(canonical_json(acc))[:60]!r}",
                    file=self.path,
                )

    def _check_settings(self, values: Mapping[str, Any]) -> None:
        """A row's settings must agree with the plain columns they were copied to: else lines would merge or split wrongly."""
        settings = values["settings"]
        mirrored = ("kind", "task", "profile") + (("train_size", "train_lengths", "seed") if values["kind"] != "file" else ())
        wrong = [name for name in mirrored if settings is None or settings.get(name) != values[name]]
        if wrong:
            raise UserError(
                f"damaged results database: the settings of cell {values['hash']} ({describe(values)}) "
                f"do not agree with its columns ({', '.join(wrong)}): {str(canonical_json(settings or {}))[:60]!r}",
                file=self.path,
            )

    def _decoded(self, values: Mapping[str, Any], name: str) -> Any:
        try:
            decoded = json.loads(values[name])
        except (TypeError, ValueError, RecursionError):
            decoded = None
        if not isinstance(decoded, dict):  # every JSON column holds an object
            raise self._damaged(values, name, "is not a JSON object")
        return decoded


def _leave_wal(path: str) -> bool:
    """Switch a database no one else has open from WAL to a rollback journal, so at rest it is one file; whether it did.

    WAL is for the sweep: shards writing while a report reads. At rest, a WAL
    file makes every read-only open (report, status) create `-wal` and `-shm`
    files it may not delete (a writer may have started meanwhile); in
    rollback-journal mode a reader creates nothing, and the next writer
    switches to WAL again. SQLite leaves WAL only under an exclusive lock:
    while another shard or a report has the file open it answers "locked"
    (asked without waiting) and the file stays in WAL, as they need. Tried
    from a new connection for up to REST_WAIT_SECONDS, so of two shards
    finishing together the second switches once the first has closed.
    """
    uri = sqlite_uri(path, "rw")  # never creates a file that has gone
    deadline = time.monotonic() + REST_WAIT_SECONDS
    while True:
        try:
            conn = sqlite3.connect(uri, uri=True, timeout=0, isolation_level=None)
            try:
                mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()
                return bool(mode) and str(mode[0]).lower() == "delete"
            finally:
                conn.close()
        except sqlite3.OperationalError as err:  # in use: try again shortly; anything else: leave it as it is, in WAL
            if ("locked" not in str(err) and "busy" not in str(err)) or time.monotonic() > deadline:
                return False
        except sqlite3.DatabaseError:
            return False
        time.sleep(random.uniform(0.01, 0.05))  # not in step with another shard doing the same


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def _schema_version(conn: sqlite3.Connection) -> str | None:
    """Our schema's version, or None when the file has no `meta` table of ours or it names none (an empty value: else read as _NO_CELLS)."""
    if "meta" not in _tables(conn):
        return None
    try:
        found = conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
    except sqlite3.OperationalError:  # a table named meta of another shape
        return None
    return str(found[0]) if found is not None and str(found[0]) else None


def _rank(row: Row) -> tuple[bool, str]:
    """Which of a cell's rows a merge keeps: a search result before an `error`, then the newest."""
    return (row["status"] != "error", row["finished"])


def _preferred(row: Row, old: Row) -> bool:
    """Whether a merge keeps `row` over `old` (_rank); two finished in one second (machines running a cell at once) by their values, not the order of the files."""
    if _rank(row) != _rank(old):
        return _rank(row) > _rank(old)
    return canonical_json(row.values) > canonical_json(old.values)


def read_rows(paths: Iterable[str | os.PathLike[str]]) -> list[Row]:
    """Rows of several databases merged: a cell (same settings, same code version) in several keeps one row.

    That row is the newest search result (`found`, `exhausted`, `timeout`,
    `memory`); an `error` row (a crashed or killed worker, not a search
    result) only if the cell has no result anywhere. This is `suite run`'s
    rule, which keeps results and retries errors: a worker killed later on
    another machine must not hide the result this one found.
    Rows of different code versions are different cells, all kept: which of
    them to show is the report's choice, never an accident of merge order.
    """
    kept: dict[str, Row] = {}
    for path in paths:
        with Store(path, readonly=True) as store:
            for row in store.rows():
                key = canonical_json({"settings": row["settings"], "version": row["version"]})
                old = kept.get(key)
                if old is None or _preferred(row, old):
                    kept[key] = row
    return list(kept.values())
