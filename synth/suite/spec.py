"""A sweep's spec (TOML) and the grid of cells it stands for.

    description = "optional text"

    [defaults]                 # optional: applies to every entry below
    profile = "core"
    timeout = 60               # CPU seconds of search per cell
    max_memory_mb = 4000       # optional: cap each search's memory (MB)

    [[generated]]              # tasks drawn fresh; every list is swept
    task = ["parity_check", "even_pairs"]
    train_size = [100, 20]
    train_lengths = "1..40"    # each example's length uniform in 1..40
    test_lengths = "41..500"   # test_count examples of every length
    seed = "0..9"              # a range of integers is swept like a list

    [[files]]                  # task files, relative to the spec
    paths = ["examples/open/*.json"]

Each entry's grid is the product of its swept values. Every mistake (TOML
that does not parse, an unknown key, task or profile, a file that is missing
or broken) is one UserError at the spec's line, raised before anything runs.
"""

from __future__ import annotations

import difflib
import glob
import itertools
import math
import os
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any, Callable, Iterable, Mapping, Sequence

from dsl.errors import Pos, UserError
from dsl.files import read_text
from synth.report.reference import published_for
from synth.report.taskeval import task_name
from synth.search.settings import MAX_COST_OPTION
from synth.suite.cell import Cell, Generated, Lengths, SearchSettings, TaskFile, file_sha256
from synth.suite.compat import TOMLDecodeError, known_profiles, parse_toml
from tasks.sequence import SEQUENCE_TASKS, get_sequence_task
from tasks.sequence.scoring import suite_task_of
from tasks.task import load_task

FAMILIES = ("sequence",)
# The most cells one spec may stand for, and so the most values one range may
# sweep: far above any real sweep (the bundled chomsky suite has a few hundred
# cells), low enough that ranges and grids are refused before they are built,
# instead of a MemoryError or minutes of expanding a slip like "0..100000000000".
MAX_CELLS = 1_000_000
# The longest input, and the most test examples, one cell may draw: far above
# the suite's own (lengths up to 500, 460 test examples), low enough that a slip
# like test_lengths = "41..5000000" is refused here, not a cell that runs for hours.
MAX_LENGTH = 100_000
MAX_TEST_EXAMPLES = 100_000
# The most training examples one cell may draw (the suite's own: 100), for the same reason.
MAX_TRAIN_EXAMPLES = 100_000
# The largest integer a spec may give (a seed, a size): the results database stores 64-bit integers.
MAX_INT = 2**63 - 1
# The longest search a cell may be given, in CPU seconds (a year): a number, not infinity.
MAX_TIMEOUT = 365 * 24 * 3600
BUNDLED = {"chomsky": "chomsky_suite.toml", "chomsky-quick": "chomsky_quick.toml", "chomsky-20": "chomsky_twenty.toml"}


# -- where things are in the spec's text --------------------------------------

_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_-]+)\s*\]\]?")
_KEY = re.compile(r"^\s*([A-Za-z0-9_-]+)\s*=")


@dataclass(frozen=True)
class Place:
    """A table of the spec: its name and, for an array of tables, its index."""

    table: str | None  # None for the top level
    index: int = 0


class Locator:
    """Lines of tables, keys and values in the spec's text, for messages (tomllib gives none)."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.keys: dict[tuple[Place, str], tuple[int, int]] = {}  # -> first line, last line (1-based)
        self.tables: dict[Place, int] = {}
        counts: dict[str, int] = {}
        place = Place(None)
        last: tuple[Place, str] | None = None
        for number, line in enumerate(self.lines, start=1):
            header = _HEADER.match(line)
            key = _KEY.match(line)
            if header:
                name = header.group(2)
                index = counts.get(name, 0) if header.group(1) == "[[" else 0
                counts[name] = index + 1
                place = Place(name, index)
                self.tables.setdefault(place, number)
                last = None
            elif key:
                last = (place, key.group(1))
                self.keys.setdefault(last, (number, number))
            elif last is not None and line.strip() and not line.strip().startswith("#"):
                start, _ = self.keys[last]
                self.keys[last] = (start, number)

    def at(self, place: Place, key: str | None = None, value: Any = None) -> Pos:
        if key is not None and (place, key) in self.keys:
            first, final = self.keys[(place, key)]
            if value is not None:
                needle = f'"{value}"' if isinstance(value, str) else str(value)
                for number in range(first, final + 1):
                    column = self.lines[number - 1].find(needle)
                    if column >= 0:
                        return Pos(number, column + 1)
            return Pos(first, 1)
        if key is not None and place.table is None and Place(key) in self.tables:  # a table at the top level
            return Pos(self.tables[Place(key)], 1)
        return Pos(self.tables.get(place, 1), 1)


class Spec:
    """A parsed spec being turned into cells; every error names its line."""

    def __init__(self, text: str, file: str, base: str) -> None:
        self.file = file
        self.base = base
        self.where = Locator(text)
        try:
            self.doc = parse_toml(text)
        except TOMLDecodeError as err:
            raise _toml_error(err, file) from None
        except RecursionError:
            raise UserError("not valid TOML here: arrays or tables nested too deep", file=file) from None

    def error(self, message: str, place: Place, key: str | None = None, value: Any = None) -> UserError:
        return UserError(message, file=self.file, pos=self.where.at(place, key, value))

    def cells(self) -> list[Cell]:
        top = Place(None)
        for key, value in self.doc.items():
            if key == "description":
                if not isinstance(value, str):
                    raise self.error("description must be a string", top, key)
            elif key not in ("defaults", "generated", "files"):
                raise self.error(f"unknown key {key!r} (a spec has description, [defaults], [[generated]] and [[files]])", top, key)
        defaults = self.doc.get("defaults", {})
        if not isinstance(defaults, dict):
            raise self.error("defaults must be a table: [defaults]", top, "defaults")
        self._check_keys(defaults, Place("defaults"), set(SEARCH_KEYS) | set(GENERATED_KEYS))
        out: list[Cell] = []
        for name, build in (("generated", self._generated), ("files", self._files)):
            entries = self.doc.get(name, [])
            if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
                raise self.error(f"{name} must be an array of tables: [[{name}]]", top, name)
            for index, entry in enumerate(entries):
                place = Place(name, index)
                merged = {**{k: (v, Place("defaults")) for k, v in defaults.items()}, **{k: (v, place) for k, v in entry.items()}}
                cells = build(entry, place, merged)
                self._check_size(len(out) + len(cells), "the spec", place)
                out.extend(cells)
        if not out:
            raise self.error("the spec has no cells: add a [[generated]] or [[files]] table", top)
        return out

    def _check_keys(self, table: Mapping[str, Any], place: Place, allowed: Iterable[str]) -> None:
        allowed = set(allowed)
        for key in table:
            if key not in allowed:
                close = difflib.get_close_matches(key, sorted(allowed), n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                raise self.error(f"unknown key {key!r} in [{place.table}] (known: {', '.join(sorted(allowed))}){hint}", place, key)

    def _check_size(self, cells: int, what: str, place: Place) -> None:
        """Refuse a grid of more than MAX_CELLS cells, counted before it is built."""
        if cells > MAX_CELLS:
            raise self.error(f"{what} would have {cells:,} cells, more than a spec may have ({MAX_CELLS:,}): sweep fewer values", place)

    def _values(self, merged: Mapping[str, tuple[Any, Place]], key: str, parse: Callable[..., list[Any]], default: Any = None) -> list[Any]:
        if key not in merged:
            if default is None:
                raise KeyError(key)
            return [default]
        raw, place = merged[key]
        return parse(self, raw, place, key)

    def _search(self, merged: Mapping[str, tuple[Any, Place]], place: Place) -> list[SearchSettings]:
        d = SearchSettings()
        grids = [self._values(merged, k, SEARCH_KEYS[k], getattr(d, k)) for k in ("profile", "timeout", "max_cost", "bucket")]
        caps = self._values(merged, "max_memory_mb", SEARCH_KEYS["max_memory_mb"]) if "max_memory_mb" in merged else [None]
        self._check_size(math.prod(len(g) for g in (*grids, caps)), f"the grid of [[{place.table}]] entry {place.index + 1}", place)
        return [SearchSettings(p, float(t), m, b, c) for p, t, m, b, c in itertools.product(*grids, caps)]

    def _generated(self, entry: Mapping[str, Any], place: Place, merged: Mapping[str, tuple[Any, Place]]) -> list[Cell]:
        self._check_keys(entry, place, set(SEARCH_KEYS) | set(GENERATED_KEYS))
        grids = {}
        for key, (parse, default) in GENERATED_KEYS.items():
            try:
                grids[key] = self._values(merged, key, parse, default)
            except KeyError:
                raise self.error(f"[[generated]] needs {key!r}", place) from None
        for key in ("train_lengths", "test_lengths"):
            for lengths in grids[key]:
                if lengths.hi > MAX_LENGTH:
                    shown = str(lengths) if lengths.lo != lengths.hi else str(lengths.lo)  # as the spec writes it
                    raise self.error(f"{key} {shown}: inputs of length {lengths.hi:,}, longer than a spec may draw "
                                     f"({MAX_LENGTH:,})", merged[key][1], key, shown)
            for task in grids["task"]:
                for lengths in grids[key]:
                    self._check_lengths(task, lengths, merged[key][1], key)
        for lengths in grids["test_lengths"]:
            for count in grids["test_count"]:
                if (lengths.hi - lengths.lo + 1) * count > MAX_TEST_EXAMPLES:
                    shown = str(lengths) if lengths.lo != lengths.hi else str(lengths.lo)
                    raise self.error(f"test_lengths {shown} with test_count {count}: {(lengths.hi - lengths.lo + 1) * count:,} "
                                     f"test examples a cell, more than a spec may draw ({MAX_TEST_EXAMPLES:,})",
                                     merged["test_lengths"][1], "test_lengths", shown)
        search = self._search(merged, place)
        self._check_size(math.prod(len(g) for g in grids.values()) * len(search), f"the grid of [[generated]] entry {place.index + 1}", place)
        sources = [Generated(**dict(zip(grids, combo))) for combo in itertools.product(*grids.values())]
        return [Cell(src, s) for src in sources for s in search]

    def _check_lengths(self, task: str, lengths: Lengths, place: Place, key: str) -> None:
        """Refuse now a length the task cannot draw, instead of an `error` row per cell later."""
        try:
            get_sequence_task(task).examples(lengths.lo, 1, 0)
        except UserError as err:
            raise self.error(f"{key} {lengths}: {err.message}", place, key, str(lengths) if lengths.lo != lengths.hi else str(lengths.lo)) from None

    def _files(self, entry: Mapping[str, Any], place: Place, merged: Mapping[str, tuple[Any, Place]]) -> list[Cell]:
        self._check_keys(entry, place, set(SEARCH_KEYS) | {"paths"})
        if "paths" not in entry:
            raise self.error("[[files]] needs 'paths', a list of task files (glob patterns allowed)", place)
        paths = entry["paths"]
        if isinstance(paths, str):
            paths = [paths]
        if not isinstance(paths, list) or not all(isinstance(p, str) for p in paths):
            raise self.error("paths must be a list of strings", place, "paths")
        sources = []
        for pattern in paths:
            full = os.path.join(self.base, pattern)
            matches = sorted(glob.glob(full)) if glob.has_magic(pattern) else [full]
            if not matches:
                raise self.error(f"no file matches {pattern!r}", place, "paths", pattern)
            for path in matches:
                try:
                    sources.append(task_file(path))
                except UserError as err:
                    raise self.error(str(err), place, "paths", pattern) from None
        search = self._search(merged, place)
        self._check_size(len(sources) * len(search), f"the grid of [[files]] entry {place.index + 1}", place)
        return [Cell(src, s) for src in sources for s in search]


def _toml_error(err: TOMLDecodeError, file: str) -> UserError:
    text = str(err)
    found = re.search(r"\s*\(at line (\d+), column (\d+)\)$", text)
    if found:
        return UserError(f"not valid TOML: {text[: found.start()]}", file=file, pos=Pos(int(found.group(1)), int(found.group(2))))
    return UserError(f"not valid TOML: {text}", file=file)


# -- values ---------------------------------------------------------------------


def _listed(raw: Any) -> list[Any]:
    return raw if isinstance(raw, list) else [raw]


def _names(known: Callable[[], Sequence[str]], what: str) -> Callable[..., list[Any]]:
    def parse(spec: Spec, raw: Any, place: Place, key: str) -> list[Any]:
        values = _listed(raw)
        if not values:
            raise spec.error(f"{key}: the list is empty", place, key)
        names = known()
        for v in values:
            if not isinstance(v, str):
                raise spec.error(f"{key}: expected a name or a list of names, not {v!r}", place, key)
            if v not in names:
                raise spec.error(f"unknown {what} {v!r} (known: {', '.join(names)})", place, key, v)
        return values

    return parse


def _ints(minimum: int, maximum: int = MAX_INT) -> Callable[..., list[Any]]:
    def parse(spec: Spec, raw: Any, place: Place, key: str) -> list[Any]:
        out: list[int] = []
        for v in _listed(raw):
            if isinstance(v, str):
                try:
                    span = Lengths.parse(v)
                except UserError:
                    raise spec.error(f"{key}: expected an integer, a list of them or a range \"a..b\", not {v!r}", place, key, v) from None
                size = span.hi - span.lo + 1
                if len(out) + size > MAX_CELLS:
                    total = f", {len(out) + size:,} in all" if out else ""
                    raise spec.error(f"{key}: the range {v} has {size:,} values{total}, more than a spec may sweep ({MAX_CELLS:,})", place, key, v)
                out.extend(range(span.lo, span.hi + 1))
            elif isinstance(v, int) and not isinstance(v, bool):
                out.append(v)
            else:
                raise spec.error(f"{key}: expected an integer, a list of them or a range \"a..b\", not {v!r}", place, key)
        if not out:
            raise spec.error(f"{key}: the list is empty", place, key)
        bad = next((v for v in out if not minimum <= v <= maximum), None)
        if bad is not None:
            raise spec.error(f"{key}: {bad:,} is out of range: expected integers from {minimum:,} to {maximum:,}", place, key)
        return out

    return parse


def _seconds(spec: Spec, raw: Any, place: Place, key: str) -> list[Any]:
    values = _listed(raw)
    if not values or not all(isinstance(v, (int, float)) and not isinstance(v, bool) and 0 < v <= MAX_TIMEOUT for v in values):
        raise spec.error(f"{key}: expected a positive number of CPU seconds, at most {MAX_TIMEOUT:,} (or a list of them)", place, key)
    return values


def _ranges(spec: Spec, raw: Any, place: Place, key: str) -> list[Any]:
    out = []
    for v in _listed(raw):
        if not isinstance(v, str):
            raise spec.error(f"{key}: expected a length range such as \"1..40\" (or a list of them), not {v!r}", place, key)
        try:
            out.append(Lengths.parse(v))
        except UserError as err:
            raise spec.error(f"{key}: {err.message}", place, key, v) from None
    if not out:
        raise spec.error(f"{key}: the list is empty", place, key)
    return out


def _task_names() -> Sequence[str]:
    return tuple(SEQUENCE_TASKS)


SEARCH_KEYS: dict[str, Callable[..., list[Any]]] = {
    "profile": _names(known_profiles, "profile"),
    "timeout": _seconds,
    "max_cost": _ints(1, MAX_COST_OPTION),
    "bucket": _ints(1),
    "max_memory_mb": _ints(64),  # the search's resident-memory cap in MB (Settings.max_memory_mb); default none
}
# key -> (parser, default; None = required)
GENERATED_KEYS: dict[str, tuple[Callable[..., list[Any]], Any]] = {
    "family": (_names(lambda: FAMILIES, "family"), "sequence"),
    "task": (_names(_task_names, "task"), None),
    "train_size": (_ints(1, MAX_TRAIN_EXAMPLES), None),
    "train_lengths": (_ranges, None),
    "test_lengths": (_ranges, None),
    "seed": (_ints(0), 0),
    "test_count": (_ints(1), 1),
    "test_seed": (_ints(0), 0),
}


# -- entry points ---------------------------------------------------------------


def task_file(path: str) -> TaskFile:
    """A task file as a cell's source: loaded once to check it, identified by its bytes.

    The task is named as `synth compare` names it: a suite task by its own name
    (the file's "name"), any other by its task's name (the file's "name" when it
    has one, else the file's stem), so the published figures are found. A task
    of another family whose name is a published task's (an open task file named
    "reverse_string") says its family after it: the report finds figures by
    name alone, and those are the suite task's, not this one's (`compare` shows
    none for it either).
    """
    task = load_task(path)
    digest = file_sha256(path)
    name = task_name(task)
    if suite_task_of(task) is None and published_for(name):
        name = f"{name} ({task.family} task)"
    return TaskFile(path=path, task=name, sha256=digest)


def load_spec(path: str) -> list[Cell]:
    return Spec(read_text(path), path, os.path.dirname(os.path.abspath(path))).cells()


def bundled_text(name: str) -> str:
    if name not in BUNDLED:
        raise UserError(f"no bundled spec {name!r} (bundled: {', '.join(BUNDLED)})")
    return resources.files("synth").joinpath("data").joinpath(BUNDLED[name]).read_text(encoding="utf-8")


def load_bundled(name: str) -> list[Cell]:
    return Spec(bundled_text(name), f"<bundled {BUNDLED.get(name, name)}>", os.getcwd()).cells()


def plan(arguments: Sequence[str], bundled: Sequence[str] = ()) -> list[Cell]:
    """The cells of specs (*.toml), bundled specs and task files (one cell each, default settings), without repeats."""
    cells: list[Cell] = []
    for name in bundled:
        cells.extend(load_bundled(name))
    for arg in arguments:
        if arg.lower().endswith(".toml"):
            cells.extend(load_spec(arg))
        else:
            cells.append(Cell(task_file(arg), SearchSettings()))
    seen: set[str] = set()
    unique = []
    for cell in cells:
        if cell.key not in seen:
            seen.add(cell.key)
            unique.append(cell)
    return unique
