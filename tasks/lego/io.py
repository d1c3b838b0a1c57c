"""LEGO records on disk: native JSONL, Kazemnejad et al. JSONL, text lines, task files.

Formats (all auto-detected by `read_records`):

native JSONL (``jsonl``)
    one object a line: ``{"sentence": "...", "labels": {"a": 1, "b": 0}}``,
    optional ``"id"`` and ``"query"``. Sentences in any syntax of
    tasks.lego.syntax; label values in the sentence's own notation (official
    0/1, signs +1/-1, readable: element names or, for Z<n>, integers). A
    variable missing from ``labels`` is unsupervised.

Kazemnejad et al. JSONL (``kazemnejad``)
    ``{"clauses": ["x = - d", "n = +1", ...], "truth_values": [["n", "1"],
    ["d", "0"], ...], "query": "u", "cat": [8, 4]}``, the shape read by the
    ``s2s_lego`` instance processor of McGill-NLP/length-generalization
    (``lego_instance_processor.py``), which maps truth value "1" to +1 and "0"
    to -1 and lists truth values in chain order. We read ``cat`` but do not
    rely on it; we write ``cat = [n, depth of query]`` (an assumption: its
    exact meaning is not documented there).

text lines (``official``, ``signs``, ``readable``)
    one sentence a line, in that syntax, optionally followed by a TAB and the
    labels as ``var=value`` tokens in chain order, e.g.
    ``a = val 1 ,  b = not a , <TAB>a=1 b=0``. A line without a TAB is an
    unlabelled sentence.

task file (``task``, JSON, read whole)
    ``{"family": "lego", "group": "Z2", "structure": "chain", "train":
    [records], "test": [records]}``; records native or Kazemnejad objects.
    With "structure": "chain" every record must be a chain (no variable the
    operand of two clauses); "tree" takes chains too, and without the key the
    records decide (tasks.lego.family).

Reading streams line by line: a 1 GB JSONL file is never held in memory.
Lines come through dsl.files (UTF-8, a byte-order mark skipped, JSON depth
and digit limits, a key twice with different values refused), so hostile
input is an error like any other. Every error is a LegoDataError naming the
file, the line and, where it is about a sentence, the clause. Labels are
strict: one value per variable, in the notation of the sentence (see
tasks.lego.syntax.parse_value).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from functools import partial
from itertools import chain
from typing import IO, Any, Callable, Iterable, Iterator, Mapping

from dsl.errors import Pos, UserError
from dsl.files import BOM, iter_lines, loads_json
from dsl.groups import Elem, Group, get_group
from tasks.args import flag
from tasks.filekinds import SPEC, TASK_SHAPE, kind_of_line, refuse_other_kind
from tasks.jsonpos import Path, unknown_key, value_positions
from tasks.lego.errors import LegoDataError, quoted
from tasks.lego.generate import STRUCTURES
from tasks.lego.sentence import LegoRecord, Sentence, first_fork, structure_of
from tasks.lego.solve import chain_order, check_chain_labels, depths, solve_indices
from tasks.lego.syntax import (
    SYNTAXES,
    default_syntax,
    format_sentence,
    format_sign_clause,
    format_value,
    parse_labels,
    parse_sentence,
    parse_sign_clause,
    parse_value,
)

FORMATS = ("official", "signs", "readable", "jsonl", "kazemnejad", "task")
TASK_KEYS = ("family", "name", "description", "group", "structure", "train", "test")
RECORD_KEYS = ("sentence", "labels", "id", "query")  # a native record
_RECORD_KEYS = frozenset(RECORD_KEYS)
KAZEMNEJAD_KEYS = ("clauses", "truth_values", "query", "cat", "id")  # what their generator writes (make_lego_dataset.py), and ours adds "id"
_KAZEMNEJAD_KEYS = frozenset(KAZEMNEJAD_KEYS)
NO_LABELS = "no labelled variable in the training records"
NOTATIONS = (*SYNTAXES, "kazemnejad")  # what a label may be written in: a sentence syntax, or Kazemnejad truth values

Z2 = get_group("Z2")


# ------------------------------------------------------------ one record

def shown_value(value: Elem, syntax: str | None) -> str:
    """A value as a message shows it: in the notation the user wrote (`syntax`), not as the group's element name.

    In Z2 the element named "1" is the flip: in signs it is -1 and in a
    Kazemnejad file the truth value "0", so naming it would contradict what
    the user wrote. `syntax` None (unknown) shows the element's name.
    """
    if syntax == "kazemnejad":
        return '"1" (+1)' if value.index == 0 else '"0" (-1)'
    if syntax == "signs":
        return "+1" if value.index == 0 else "-1"
    if syntax in SYNTAXES:
        return str(format_value(value, syntax))
    return value.name


def check_record(record: LegoRecord, syntax: str | None = None) -> dict[str, Elem]:
    """Check the sentence's structure and that its labels agree with it; returns the solution.

    A contradicting label is reported in `syntax`, the notation the record
    was written in (one of tasks.lego.syntax.SYNTAXES or "kazemnejad"); by
    default the record's own `notation` if it keeps one (synth's records
    do), else the group's default notation.
    """
    s = record.sentence
    if syntax is None:
        syntax = getattr(record, "notation", None) or default_syntax(s.group)
    elif syntax not in NOTATIONS:
        raise UserError(f"syntax must be one of {', '.join(NOTATIONS)} (or None: the record's own), not {syntax!r}")
    try:
        values = solve_indices(s)
    except LegoDataError as err:
        raise err.about("sentence") from None
    position = {c.lhs: i for i, c in enumerate(s.clauses)}
    elems = s.group.elements
    for var, value in record.labels.items():
        i = position.get(var)
        if i is None:
            raise LegoDataError(f"label for {quoted(var)}, which the sentence does not define", kind="label", key=("labels", var))
        if value.index != values[i]:
            raise LegoDataError(
                f"label {var} = {shown_value(value, syntax)} contradicts the sentence, which gives {var} = {shown_value(elems[values[i]], syntax)}",
                clause=i + 1, kind="contradiction", key=("labels", var),
            )
    if record.query is not None and record.query not in position:
        raise LegoDataError(f"query {quoted(record.query)} is not a variable of the sentence", kind="label", key="query")
    return {c.lhs: elems[v] for c, v in zip(s.clauses, values)}


def _check_fast(record: LegoRecord, syntax: str | None = None) -> None:
    """`check_record` without its result, fast on a well-formed chain; anything else gets the full check and its errors."""
    if not check_chain_labels(record.sentence, record.labels, record.query):
        check_record(record, syntax)


def _labels(raw: Any, sentence: Sentence, syntax: str) -> dict[str, Elem]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise LegoDataError(f"\"labels\" must be an object mapping variables to values, not {_json_kind(raw)}", kind="json", key="labels")
    return _labels_of(raw, sentence.group, syntax)


def _labels_of(raw: dict, group: Group, syntax: str) -> dict[str, Elem]:
    """`parse_labels`, its error about the offending label ("labels", var) for the reader to locate."""
    try:
        return parse_labels(raw, group, syntax)
    except LegoDataError as err:
        raise err.about("labels", _bad_label(raw, group, syntax)) from None


def _bad_label(raw: dict, group: Group, syntax: str) -> str:
    """The variable of the first label value `parse_value` refuses (called on an error only)."""
    for var, value in raw.items():
        try:
            parse_value(value, group, syntax)
        except LegoDataError:
            return str(var)
    return ""


def add_label(labels: dict[str, Elem], var: str, value: Elem, syntax: str | None = None) -> None:
    """Record one label; the same variable twice is fine only with the same value (a conflict shown in `syntax`, see `shown_value`)."""
    old = labels.setdefault(var, value)
    if old != value:
        raise LegoDataError(
            f"conflicting labels for {quoted(var)}: {shown_value(old, syntax)} and {shown_value(value, syntax)}", kind="label"
        )


def _query(obj: dict) -> str | None:
    """A record's optional "query": the name of one of its variables."""
    query = obj.get("query")
    if query is not None and not isinstance(query, str):
        raise LegoDataError(f"\"query\" must be a variable name (a string), not {_json_kind(query)}", kind="json", key="query")
    return query


def _json_kind(obj: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(obj), "a number"
    )


def record_from_json(obj: Any, *, group: Group | None = None) -> tuple[LegoRecord, str]:
    """A native or Kazemnejad record object; returns it with its sentence syntax."""
    if not isinstance(obj, dict):
        raise LegoDataError(f"a record must be a JSON object, not {_json_kind(obj)}", kind="json")
    if "sentence" in obj:
        if not _RECORD_KEYS.issuperset(obj):
            key = next(k for k in obj if k not in _RECORD_KEYS)
            raise LegoDataError(unknown_key(key, RECORD_KEYS, "a record"), kind="json", key=key)
        text = obj["sentence"]
        if not isinstance(text, str):
            raise LegoDataError(f"\"sentence\" must be a string, not {_json_kind(text)}", kind="json", key="sentence")
        try:
            sentence, syntax = parse_sentence(text, group=group)
        except LegoDataError as err:
            raise err.about("sentence") from None
        if group is not None and sentence.group.name != group.name:
            raise LegoDataError(f"sentence is over {sentence.group.name}, but the task is over {group.name}", kind="element", key="sentence")
        raw = obj.get("labels")
        labels = _labels_of(raw, sentence.group, syntax) if raw.__class__ is dict else _labels(raw, sentence, syntax)
        rid = obj.get("id")
        if rid is not None and rid.__class__ is not str and rid.__class__ is not int:
            _check_id(rid)
        query = obj.get("query")
        if query is not None and query.__class__ is not str:
            query = _query(obj)  # its error
        return LegoRecord(sentence, labels, None if rid is None else str(rid), query), syntax
    if "clauses" in obj and "truth_values" in obj:
        return _kazemnejad_from_json(obj), "kazemnejad"
    raise LegoDataError(
        "unrecognised record: expected {\"sentence\": ..., \"labels\": ...} or "
        "{\"clauses\": [...], \"truth_values\": [...]}", kind="json",
    )


def _kazemnejad_from_json(obj: dict) -> LegoRecord:
    """A Kazemnejad et al. record; only their keys, as for a native record: a misspelt "query" would leave it silently unscored."""
    if not _KAZEMNEJAD_KEYS.issuperset(obj):
        key = next(k for k in obj if k not in _KAZEMNEJAD_KEYS)
        raise LegoDataError(unknown_key(key, KAZEMNEJAD_KEYS, "a Kazemnejad record"), kind="json", key=key)
    clauses = obj["clauses"]
    if not isinstance(clauses, list):
        raise LegoDataError(f"\"clauses\" must be a list of strings, not {_json_kind(clauses)}", kind="json", key="clauses")
    bad = next((i for i, c in enumerate(clauses) if not isinstance(c, str)), None)
    if bad is not None:
        raise LegoDataError(f"\"clauses\" must be a list of strings, not of {_json_kind(clauses[bad])}", kind="json", key=("clauses", bad))
    try:
        sentence = Sentence(Z2, tuple(parse_sign_clause(c, i + 1) for i, c in enumerate(clauses)))
    except LegoDataError as err:
        raise err.about("clauses") from None  # the reader finds the clause by its number
    labels: dict[str, Elem] = {}
    tv = obj["truth_values"]
    if not isinstance(tv, list):
        raise LegoDataError(
            f"\"truth_values\" must be a list of [variable, \"0\"|\"1\"] pairs, not {_json_kind(tv)}", kind="json", key="truth_values"
        )
    for k, pair in enumerate(tv):
        if not (isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], str) and pair[1] in ("0", "1")):
            raise LegoDataError(
                f"bad truth value {json_excerpt(pair)} (expected [variable, \"0\"|\"1\"]: \"1\" is +1, \"0\" is -1)",
                kind="element", key=("truth_values", k),
            )
        try:
            add_label(labels, pair[0], Z2.identity if pair[1] == "1" else Z2.element("1"), "kazemnejad")
        except LegoDataError as err:
            raise err.about("truth_values", k) from None
    rid = obj.get("id")
    if rid is not None:
        _check_id(rid)
    query = _query(obj)
    if "cat" in obj:
        _check_cat(obj["cat"], sentence, query)
    return LegoRecord(sentence, labels, None if rid is None else str(rid), query)


def _check_cat(cat: Any, sentence: Sentence, query: str | None) -> None:
    """Kazemnejad's "cat" is [clauses, the query's chain position from 0]; one that disagrees with its own record is refused.

    Either may be the mistake, and the query metric would score what the
    sentence says: a record whose "cat" says otherwise was not made by their
    generator, or was edited by hand.
    """
    if not (isinstance(cat, list) and len(cat) == 2 and all(v.__class__ is int for v in cat)):
        raise LegoDataError(f"\"cat\" must be [number of clauses, the query's chain position from 0], not {json_excerpt(cat)}",
                            kind="json", key="cat")
    if query is None:
        raise LegoDataError("\"cat\" is given without a \"query\": it says where the query is in the chain", kind="json", key="cat")
    try:
        depth = depths(sentence).get(query)
    except LegoDataError:
        return  # a sentence that is no chain: its own check names it
    if depth is None:
        return  # a query that is no variable of the sentence: its own check names it
    if cat != [len(sentence), depth - 1]:
        raise LegoDataError(f"\"cat\" is {cat} but the record has {len(sentence)} clauses and its query {quoted(query)} "
                            f"is at chain position {depth - 1} (from 0): [{len(sentence)}, {depth - 1}]", kind="json", key="cat")


class _SeenIds:
    """The ids of the records read so far, each with where it was first: ids align predictions with records, so none may
    repeat. One look-up a record, no second pass over the file; whether an id was written as a number is kept so that a
    message can say when two differ in type alone (5 and "5" are both read as "5")."""

    __slots__ = ("_seen",)

    def __init__(self) -> None:
        self._seen: dict[str, tuple[int, bool]] = {}  # id -> (where it was first, written as a number there)

    def first(self, rid: str, raw: object, at: int) -> tuple[int, bool] | None:
        """Where `rid` (written as `raw`) was first, and whether as a number; None (and `at` kept) if it is new."""
        hit = self._seen.get(rid)
        if hit is None:
            self._seen[rid] = (at, raw.__class__ is not str)
        return hit


def _repeated_id(raw: object, first_line: int, first_was_number: bool) -> LegoDataError:
    """The error of an id seen before (on `first_line`): said when the two differ in type alone, since they look like two ids."""
    rid = str(raw)
    also = ""
    if first_was_number != (raw.__class__ is not str):
        as_written = f"the number {rid}" if first_was_number else f"the string {quoted(rid)}"
        also = f" as {as_written}; ids are read as strings, so the two differ only in type"
    return LegoDataError(
        f"id {quoted(raw)} again (first on line {first_line}{also}): record ids align predictions with records, so they must be unique",
        kind="duplicate",
    )


def _check_id(rid: object) -> None:
    """A record's "id" is a string or a number (as any JSON-lines tool writes it), not a list, object or boolean."""
    if isinstance(rid, bool) or not isinstance(rid, (str, int, float)):
        raise LegoDataError(f"\"id\" must be a string or a number, not {_json_kind(rid)}", kind="json", key="id")


def json_excerpt(obj: Any, limit: int = 60) -> str:
    """A JSON value as shown in a message, cut if long."""
    text = json.dumps(obj)
    return text if len(text) <= limit else text[:limit] + "..."


def record_to_json(record: LegoRecord, syntax: str | None = None) -> dict:
    """The native JSON object of a record (labels in the sentence's notation)."""
    syntax = syntax or default_syntax(record.sentence.group)
    out: dict = {"sentence": format_sentence(record.sentence, syntax),
                 "labels": {k: format_value(v, syntax) for k, v in record.labels.items()}}
    if record.id is not None:
        out["id"] = record.id
    if record.query is not None:
        out["query"] = record.query
    return out


def kazemnejad_queries(record: LegoRecord, rng: Any = None) -> Iterator[LegoRecord]:
    """One record per query, as their generator writes a sentence (make_lego_dataset.py, generate_data).

    For n variables it asks about each chain index from ceil(n/2) to n-1
    (0-based, root = 0); with `rng` (a numpy Generator) each copy gets its
    own clause order, as their `permute_clauses` does.
    """
    order = chain_order(record.sentence)
    n = len(order)
    base = record.id
    for k in range((n + 1) // 2, n):
        s = record.sentence
        if rng is not None:
            s = Sentence(s.group, tuple(s.clauses[int(i)] for i in rng.permutation(n)))
        yield LegoRecord(s, record.labels, None if base is None else f"{base}.{k}", order[k])


def record_to_kazemnejad(record: LegoRecord) -> dict:
    """The Kazemnejad et al. shape; truth values in chain order, "1" for +1; `cat` = [n, 0-based chain index of the query].

    A record without a query is written without "query" and "cat" (the reader
    takes both as optional): inventing one would change the data, and give it
    a query accuracy it did not have.
    """
    s = record.sentence
    if s.group.name != "Z2":
        raise LegoDataError(f"the Kazemnejad format is for Z2 only, not {s.group.name}", kind="syntax")
    d = depths(s)
    order = sorted(record.labels, key=lambda v: d[v])
    out: dict = {
        "clauses": [format_sign_clause(c, space=True) for c in s.clauses],
        "truth_values": [[v, "1" if record.labels[v].index == 0 else "0"] for v in order],
    }
    if record.query is not None:
        out["query"] = record.query
        out["cat"] = [len(s), d[record.query] - 1]
    if record.id is not None:
        out["id"] = record.id
    return out


def record_to_text(record: LegoRecord, syntax: str) -> str:
    """One text line (no newline): sentence, then TAB and labels if any."""
    text = format_sentence(record.sentence, syntax)
    if not record.labels:
        return text
    d = depths(record.sentence)
    order = sorted(record.labels, key=lambda v: d[v])
    return text + "\t" + " ".join(f"{v}={_text_value(record.labels[v], syntax)}" for v in order)


def _text_value(value: Elem, syntax: str) -> str:
    v = format_value(value, syntax)
    return "+1" if syntax == "signs" and v == 1 else str(v)


def record_from_text(line: str, group: Group | None = None) -> tuple[LegoRecord, str]:
    text, tab, labels_text = line.partition("\t")
    sentence, syntax = parse_sentence(text, group=group)
    labels: dict[str, Elem] = {}
    if tab:
        for token in labels_text.split():
            var, eq, value = token.partition("=")
            if not eq or not var:
                raise LegoDataError(f"bad label {quoted(token)} (expected var=value)", kind="label")
            add_label(labels, var, parse_value(value, sentence.group, syntax), syntax)
    return LegoRecord(sentence, labels), syntax


# ------------------------------------------------------------ streams

@dataclass
class RecordReader(Iterator[LegoRecord]):
    """Iterates over the records of one file; keeps what `synth validate` summarises.

    `format` is known after the first record; `syntaxes` counts sentence
    syntaxes; `skipped` lists the errors of skipped records (with skip_bad).
    """

    source: str | os.PathLike | IO[str]
    skip_bad: bool = False
    on_skip: Callable[[LegoDataError], None] | None = None
    check: bool = True
    group: Group | None = None
    format: str | None = None
    name: str = ""
    meta: dict = field(default_factory=dict)  # a task file's family/group/structure
    syntaxes: dict = field(default_factory=dict)
    skipped: list = field(default_factory=list)
    split: str | None = None  # "train"/"test" for records of a task file
    require: bool = False  # a file without a single record is an error ("no records in FILE")
    count: int = 0  # records yielded so far
    line: int | None = None  # line of the record last yielded (a task file's: see `where`)
    syntax: str | None = None  # the sentence syntax of the record last yielded: its labels' notation
    _it: Iterator[LegoRecord] | None = None
    _spot: Callable[..., tuple[int, int]] | None = None  # a task file's `position`
    _item: tuple[str, int] | None = None  # a task file's record last yielded: (split, index)

    def __post_init__(self) -> None:
        for name in ("skip_bad", "check", "require"):
            setattr(self, name, flag(name, getattr(self, name)))
        if isinstance(self.source, (str, os.PathLike)):
            self.name = os.fspath(self.source)
        else:
            self.name = str(getattr(self.source, "name", None) or "<stream>")
        self._it = self._counted()

    def _counted(self) -> Iterator[LegoRecord]:
        for record in self._records():
            self.count += 1
            yield record
        if self.require and self.count == 0:
            raise self.no_records()

    def no_records(self) -> LegoDataError:
        """The error of a file that yielded no record: empty, or every record skipped."""
        if self.skipped:
            return LegoDataError(f"no good records in {self.name} (all {len(self.skipped):,} skipped)", kind="empty")
        return LegoDataError(f"no records in {self.name}", kind="empty")

    def __iter__(self) -> "RecordReader":
        return self

    def __next__(self) -> LegoRecord:
        assert self._it is not None
        return next(self._it)

    def position(self, *path: str | int) -> tuple[int, int] | None:
        """(line, column) of the value at `path` in a task file once read (None for other files): ("train",) is its training list."""
        return None if self._spot is None else self._spot(*path)

    def where(self) -> str:
        """FILE:LINE of the record last yielded, for a message about it (FILE alone if the line is unknown)."""
        line = self._last_line()
        return self.name if line is None else f"{self.name}:{line}"

    def locate(self, err: LegoDataError) -> LegoDataError:
        """`err`, about the record last yielded (one a writer cannot write), given its file, line and task-file record where it has none."""
        if self._item is not None and err.where is None:
            err.where = f"{self._item[0]} record {self._item[1] + 1}"
        return err.at(file=self.name, line=self._last_line())

    def _last_line(self) -> int | None:
        """The line of the record last yielded: a task file's is found in its text (on demand: only messages need it)."""
        if self._item is not None and self._spot is not None:
            return self._spot(*self._item)[0]
        return self.line

    def _fail(self, err: UserError, line: int | None, column: int | None = None) -> None:
        if not isinstance(err, LegoDataError):
            err = LegoDataError(err.message, kind="invalid")
        err.at(file=self.name, line=line, column=column)
        if not self.skip_bad:
            raise err
        self.skipped.append(err)
        if self.on_skip is not None:
            self.on_skip(err)

    def _one(
        self, make: Callable[[], tuple[LegoRecord, str]], line: int | None, where: str = "", locate: Callable[[LegoDataError], tuple[int, int]] | None = None
    ) -> LegoRecord | None:
        try:
            record, syntax = make()
            if self.check:
                _check_fast(record, syntax)
        except UserError as err:
            bad = err if isinstance(err, LegoDataError) else LegoDataError(err.message, kind="invalid")
            column = None
            if where:
                bad.where = where
            if locate is not None:
                line, column = locate(bad)
            self._fail(bad, line, column)
            return None
        self.syntaxes[syntax] = self.syntaxes.get(syntax, 0) + 1
        self.syntax = syntax
        return record

    def _lines(self) -> Iterator[tuple[int, str]]:
        """(line number, text without line end): UTF-8 with the BOM skipped, via dsl.files."""
        if isinstance(self.source, (str, os.PathLike)):
            try:
                yield from iter_lines(self.source)
            except UserError as err:
                raise LegoDataError(err.message, file=self.name, line=err.pos.line if err.pos else None, kind="io") from None
            return
        try:
            for number, raw in enumerate(self.source, 1):
                if number == 1 and raw.startswith(BOM):
                    raw = raw[1:]
                yield number, raw.rstrip("\r\n")
        except UnicodeDecodeError as err:
            raise LegoDataError(f"not UTF-8 text ({err.reason})", file=self.name, kind="io") from None

    def _records(self) -> Iterator[LegoRecord]:
        if isinstance(self.source, (str, os.PathLike)):
            refuse_other_kind(self.source)
        lines = self._lines()
        first: str | None = None
        lineno = 0
        for number, raw in lines:
            if raw.strip():
                first, lineno = raw, number
                break
        if first is None:
            self.format = self.format or "empty"
            return
        head = first.lstrip()
        if kind_of_line(head) == SPEC:
            refuse_other_kind(self.name, SPEC)
        if not (head.startswith("{") or head.startswith("[")):
            # 5, null, "text", true: JSON, never a sentence (a sentence has "="); a .txt file is sentences, whatever its first line
            scalar = None if self.name.lower().endswith(".txt") else _json_scalar(first)
            if scalar is None:
                yield from self._text(chain([(lineno, first)], lines))
                return
            following = next(((n, line) for n, line in lines if line.strip()), None)
            if following is None:  # the whole file: say what it is, as for a top-level list
                self._fail(LegoDataError(f"{scalar}, not a task file or records: {TASK_SHAPE}", kind="json"), lineno)
                return
            lines = chain([following], lines)  # JSONL of scalars: each line says it is no record object
        incomplete = False  # the first line is the start of a JSON document spread over lines
        try:
            obj = loads_json(first, file=self.name, line=lineno)
        except UserError as err:
            obj, incomplete = None, err.message.startswith("broken JSON") and not first.rstrip().endswith("}")
        if _is_task(obj):
            yield from self._task(obj, text=first, first_line=lineno)
            return
        if isinstance(obj, list):  # one JSON list: the whole file (a task written as a list), or JSONL of lists
            following = next(((n, line) for n, line in lines if line.strip()), None)
            if following is None:
                self._fail(LegoDataError(f"a JSON list, not a task file or records: {TASK_SHAPE}", kind="json"), lineno)
                return
            lines = chain([following], lines)
        if incomplete:
            # A JSON document spread over lines: a task file (read whole; they are small).
            whole_text = "\n".join([first] + [line for _, line in lines])
            try:
                whole = loads_json(whole_text, file=self.name, line=lineno)
            except UserError as err:
                self._fail(LegoDataError(_json_message(err, "broken JSON: "), kind="json"), err.pos.line if err.pos else lineno)
                return
            if _is_task(whole):
                yield from self._task(whole, text=whole_text, first_line=lineno)
                return
            what = "a JSON list, not a task file or records" if isinstance(whole, list) else 'a JSON document that is not a task file (no "train" list)'
            self._fail(LegoDataError(f"{what}: {TASK_SHAPE}", kind="json"), lineno)
            return
        yield from self._jsonl(chain([(lineno, first)], lines))

    def _jsonl(self, lines: Iterable[tuple[int, str]]) -> Iterator[LegoRecord]:
        syntaxes, group, check = self.syntaxes, self.group, self.check
        ids = _SeenIds()
        for lineno, line in lines:
            raw = line.strip()
            if not raw:
                continue
            try:
                obj = loads_json(raw, file=self.name, line=lineno)
            except UserError as err:
                self._fail(LegoDataError(_json_message(err, "broken JSON line: "), kind="json"), lineno)
                continue
            if self.format is None and isinstance(obj, dict):
                self.format = "kazemnejad" if "truth_values" in obj else "jsonl"
            try:  # `_one` and `_check_fast`, inline: this loop runs once per line of files of millions
                record, syntax = record_from_json(obj, group=group)
                if check and not check_chain_labels(record.sentence, record.labels, record.query):
                    check_record(record, syntax)
                if record.id is not None:  # taken only from a good record: a skipped one is not the first
                    earlier = ids.first(record.id, obj["id"], lineno)
                    if earlier is not None:
                        raise _repeated_id(obj["id"], *earlier)
            except UserError as err:
                column = None
                if isinstance(err, LegoDataError):
                    path = _record_path(obj, err)
                    column = _json_spot(line, 1, path)[1] if path else None
                self._fail(err, lineno, column)
                continue
            syntaxes[syntax] = syntaxes.get(syntax, 0) + 1
            self.line, self.syntax = lineno, syntax
            yield record

    def _text(self, lines: Iterable[tuple[int, str]]) -> Iterator[LegoRecord]:
        self.format = "text"
        first = True
        for lineno, line in lines:
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            if first:  # a program's `input xs: ...` or a spec's `key = "..."`: say what the file is, not why it is no sentence
                first = False
                refuse_other_kind(self.name, kind_of_line(line))
            rec = self._one(partial(record_from_text, line, self.group), lineno)
            if rec is not None:
                self.line = lineno
                yield rec

    def _task(self, obj: dict, *, text: str = "", first_line: int = 1) -> Iterator[LegoRecord]:
        self.format = "task"

        scanned: dict[Path, Pos] = {}

        def spot(*path: str | int) -> tuple[int, int]:
            if text and not scanned:  # once, on the first error
                scanned.update(value_positions(text, depth=4))
            return _json_spot(text, first_line, path, scanned)

        self._spot = spot

        def fail(message: str, *path: str | int) -> None:
            self._fail(LegoDataError(message, kind="json"), *spot(*path))

        family = obj.get("family", "lego")
        if family != "lego":
            fail(f"a task file of family {quoted(family)}, not LEGO records", "family")
            return
        for key in obj:
            if key not in TASK_KEYS:
                fail(unknown_key(key, TASK_KEYS, "a LEGO task file"), key)
                return
        for key in ("name", "description"):
            if key in obj and not isinstance(obj[key], str):
                fail(f"\"{key}\" must be a string, not {_json_kind(obj[key])}", key)
                return
        if "name" in obj and not obj["name"].isprintable():  # a newline or tab would break every table naming the task
            fail(f"\"name\" must be one line of printable text, not {quoted(obj['name'])}", "name")
            return
        if "group" in obj:
            if not isinstance(obj["group"], str):
                fail(f"\"group\" must be a string such as \"Z2\" or \"S3\", not {_json_kind(obj['group'])}", "group")
                return
            try:
                self.group = get_group(obj["group"])
            except UserError as err:
                self._fail(LegoDataError(err.message, kind="json"), *spot("group"))
                return
        structure = obj.get("structure", "chain")
        if structure not in STRUCTURES:
            fail(f"unknown structure {quoted(structure)} (known: {', '.join(STRUCTURES)})", "structure")
            return
        if not obj.get("train"):
            fail("the task has no training records" + ("" if "train" in obj else ' (no "train" list)'), *(("train",) if "train" in obj else ()))
            return
        self.meta = {k: v for k, v in obj.items() if k not in ("train", "test")}
        first: list[tuple[str, str]] = []  # without "group": the first record's group, and which record it is
        says_chain = obj.get("structure") == "chain"  # a chain is a tree, so "tree" takes both; no "structure": the records say

        def read(item: Any, where: str) -> tuple[LegoRecord, str]:
            record, syntax = record_from_json(item, group=self.group)
            name = record.sentence.group.name
            if self.group is not None and name != self.group.name:  # a Kazemnejad record (Z2) in a task over another group
                raise LegoDataError(f"sentence is over {name}, but the task is over {self.group.name}", kind="element", key="sentence")
            if not first:
                first.append((name, where))
            elif name != first[0][0]:
                raise LegoDataError(
                    f"sentence is over {name}, but {first[0][1]} is over {first[0][0]} (a task's records are over one group)",
                    kind="element", key="sentence",
                )
            if says_chain:
                _refuse_fork(record, syntax)
            return record, syntax

        for split in ("train", "test"):
            items = obj.get(split, [])
            if not isinstance(items, list):
                fail(f"\"{split}\" must be a list of records, not {_json_kind(items)}", split)
                continue
            self.split = split
            ids = _SeenIds()  # per split: predictions are scored one split at a time, so train and test may share ids
            for k, item in enumerate(items):
                where = f"{split} record {k + 1}"
                rec = self._one(partial(read, item, where), None, where, partial(_locate, spot, split, k, item))
                if rec is not None and rec.id is not None:
                    earlier = ids.first(rec.id, item["id"], k)
                    if earlier is not None:
                        repeat = _repeated_id(item["id"], spot(split, earlier[0])[0], earlier[1])
                        repeat.where = where
                        self._fail(repeat, *spot(split, k))
                        rec = None
                if rec is not None:
                    self._item = (split, k)
                    yield rec
        self.split = None
        self._item = None


def _refuse_fork(record: LegoRecord, syntax: str | None = None) -> None:
    """A record of a task that says "structure": "chain" must be one: a tree would be read, then generalized to as chains."""
    fork = first_fork(record.sentence)
    if fork is not None:
        check_record(record, syntax)  # a malformed sentence gets its own error first
        raise LegoDataError(
            f'the task says "structure": "chain", but {fork.operand} is the operand of clauses {fork.first + 1} and {fork.second + 1} (a tree: say "structure": "tree")',
            clause=fork.second + 1, kind="structure", key="sentence",
        )


def _json_scalar(line: str) -> str | None:
    """What a line holding one JSON scalar is ("a JSON number", "JSON null"), or None for any other line."""
    if not line.strip() or line.lstrip()[0] not in '"-0123456789tfnNI':
        return None
    if line.strip() in ("NaN", "Infinity", "-Infinity"):  # Python's json writes these; JSON itself has none
        return f"a JSON number ({line.strip()}, which JSON itself does not allow)"
    try:
        obj = loads_json(line)
    except UserError:
        return None
    if isinstance(obj, (dict, list)):
        return None
    kind = _json_kind(obj)
    return "JSON null" if obj is None else f"a JSON {kind.split(' ', 1)[1]}"


def _is_task(obj: Any) -> bool:
    """A JSON document that is a LEGO task file: it has "train" or "family", or task-file keys and none of a record's."""
    if not isinstance(obj, dict):
        return False
    if "train" in obj or "family" in obj:
        return True
    return not any(k in obj for k in ("sentence", "clauses", "truth_values")) and any(k in obj for k in TASK_KEYS)


def _json_spot(text: str, first_line: int, path: Path, positions: dict[Path, Pos] | None = None) -> tuple[int, int]:
    """(line, column) in the file of the value at `path` (or its nearest located parent) of a JSON document `text` that starts on `first_line`.

    Only called on an error (it scans the text), so reading pays nothing for it;
    `positions`, if given, are those of `text` already scanned.
    """
    if not text:
        return first_line, 1
    if positions is None:
        positions = value_positions(text, depth=len(path))
    found = next((positions[path[:k]] for k in range(len(path), -1, -1) if path[:k] in positions), Pos(1, 1))
    return first_line + found.line - 1, found.column


def _locate(spot: Callable[..., tuple[int, int]], split: str, index: int, item: Any, err: LegoDataError) -> tuple[int, int]:
    """(line, column) of what a task file's record error is about: the record, or the value within it."""
    return spot(split, index, *_record_path(item, err))


def _record_path(item: Any, err: LegoDataError) -> tuple[str | int, ...]:
    """The path within a record's JSON of the value an error is about (() for the record itself).

    Checks of the sentence and its labels speak of "sentence" and ("labels",
    var); in a Kazemnejad record those are its clauses (the clause the error
    numbers) and truth values.
    """
    key = err.key or ()
    if isinstance(item, dict) and "sentence" not in item and "clauses" in item:
        if key in (("sentence",), ("clauses",)):
            return ("clauses", err.clause - 1) if err.clause else ("clauses",)
        if len(key) == 2 and key[0] == "labels":
            pairs = item.get("truth_values")
            found = next((i for i, p in enumerate(pairs) if isinstance(p, list) and p[:1] == [key[1]]), None) if isinstance(pairs, list) else None
            return ("truth_values",) if found is None else ("truth_values", found)
    return key


def _json_message(err: UserError, prefix: str) -> str:
    """A dsl.files JSON error as a LEGO data message (file and line are added by the reader)."""
    message = err.message.removeprefix("broken JSON: ")
    column = f" at column {err.pos.column}" if err.pos and err.pos.column > 1 else ""
    return f"{prefix}{message}{column}"


def no_labels(reader: RecordReader) -> LegoDataError:
    """The error of training records that label no variable: at a task file's "train" list, else about the whole file."""
    line, column = reader.position("train") or (None, None)
    return LegoDataError(NO_LABELS, file=reader.name, line=line, column=column, kind="label")


def read_records(
    source: str | bytes | os.PathLike | IO[str],
    *,
    skip_bad: bool = False,
    on_skip: Callable[[LegoDataError], None] | None = None,
    check: bool = True,
    group: Group | None = None,
    require: bool = False,
) -> RecordReader:
    """Stream the LEGO records of a file (path or open text stream), any format.

    With `check`, each record's structure and labels are verified against the
    reference solver. With `skip_bad`, bad records are skipped (and passed to
    `on_skip`, and kept in the reader's `.skipped`) instead of raising. With
    `require`, a file that yields no record at all is an error once read
    ("no records in FILE"): an empty file is a mistake, not an empty data set.
    """
    if isinstance(source, bytes):
        source = os.fsdecode(source)  # a path as bytes, as os functions take it
    return RecordReader(source, skip_bad=skip_bad, on_skip=on_skip, check=check, group=group, require=require)


def write_records(records: Iterable[LegoRecord], fmt: str, stream: IO[str], *, syntax: str | None = None) -> int:
    """Write records one a line; returns how many. `fmt` is a text syntax, jsonl or kazemnejad.

    For ``jsonl`` the sentence syntax is `syntax` (default: official for Z2,
    readable otherwise). Use `write_task_file` for task files.
    """
    count = 0
    write = stream.write
    if fmt in SYNTAXES:
        for r in records:
            write(record_to_text(r, fmt) + "\n")
            count += 1
    elif fmt == "jsonl":
        for r in records:
            write(json.dumps(record_to_json(r, syntax)) + "\n")
            count += 1
    elif fmt == "kazemnejad":
        for r in records:
            write(json.dumps(record_to_kazemnejad(r)) + "\n")
            count += 1
    else:
        raise UserError(f"unknown record format {fmt!r} (known: {', '.join(FORMATS)})")
    return count


def task_file_object(
    train: Iterable[LegoRecord],
    test: Iterable[LegoRecord] = (),
    *,
    group: str = "Z2",
    structure: str | None = None,
    syntax: str | None = None,
    extra: Mapping[str, Any] | None = None,
) -> dict:
    """The JSON object of a LEGO task file; its "structure" is what the records are unless given (a tree is refused as a "chain")."""
    train, test = list(train), list(test)
    found = structure_of(train + test)
    if structure == "chain" and found == "tree":
        raise UserError('records whose clauses branch (a tree) cannot be written as "structure": "chain"')
    obj: dict = {"family": "lego", "group": group, "structure": structure or found}
    if extra:
        obj.update(extra)
    obj["train"] = [record_to_json(r, syntax) for r in train]
    obj["test"] = [record_to_json(r, syntax) for r in test]
    return obj


def write_task_file(train: Iterable[LegoRecord], test: Iterable[LegoRecord], stream: IO[str], **kwargs: Any) -> None:
    """Write a task file: one record a line inside the lists, so diffs stay readable."""
    obj = task_file_object(train, test, **kwargs)
    stream.write(dump_task_json(obj))


def dump_task_json(obj: dict) -> str:
    """Task-file JSON with one record per line (deterministic bytes)."""
    head = {k: v for k, v in obj.items() if k not in ("train", "test")}
    lines = ["{"]
    for k, v in head.items():
        lines.append(f"  {json.dumps(k)}: {json.dumps(v)},")
    for split in ("train", "test"):
        items = obj.get(split, [])
        lines.append(f"  {json.dumps(split)}: [")
        for i, item in enumerate(items):
            lines.append("    " + json.dumps(item) + ("," if i + 1 < len(items) else ""))
        lines.append("  ]" + ("," if split == "train" else ""))
    lines.append("}")
    return "\n".join(lines) + "\n"


def read_task_file(path: str | os.PathLike, *, check: bool = True) -> tuple[dict, list[LegoRecord], list[LegoRecord]]:
    """A LEGO task file (or any record file, all of it as training records): meta, train, test.

    A file without records is an error, and so is one whose training records
    label no variable (nothing to learn from).
    """
    reader = read_records(path, check=check, require=True)
    train: list[LegoRecord] = []
    test: list[LegoRecord] = []
    for rec in reader:
        (test if reader.split == "test" else train).append(rec)
    if train and not any(r.labels for r in train):
        raise no_labels(reader)
    return dict(reader.meta), train, test
