"""Scoring other models' predictions on the same data, side by side with the program.

A predictions file is either
- JSONL, one object per data record: `{"labels": {variable: value}}` in the
  data's order, or each with the `"id"` of its record (then in any order),
  values in the data's notation (see synth.report.evaluate.notation_of); or
- `.npz` arrays in the LEGO paper's layout (synth.report.paper): `pred` per
  clause as written, or `ordered_pred` in chain order, one row per record.

A JSONL line may say which split of a task file it is for, `"split": "train"`
or `"test"` (`synth eval -o` writes it for a task file): then only the lines
of the split scored are kept, and must line up with that split's records. A
file either gives every line its split or none (lines without it are read as
before, against the records scored).

Alignment is checked, never assumed: a prediction naming a variable its
sentence does not define is an error naming the line (a file shifted by one
line is caught this way, since neighbouring sentences have other variables);
a record or a labelled variable without a prediction is an error unless
`partial`, which scores what is there and counts the unanswered labels. A
line carrying "error" (as `synth eval -o` writes where the program failed)
is a failed prediction: every label of its record is wrong, as eval scored
it, with or without `partial`. A value "G:name" of another group than the
record's is an answer, and wrong. A bad JSON line, an extra prediction and a
duplicate id are errors too.

Several files given for one model name are its seeds: the table shows their
mean and standard deviation, the CSV one row per seed. Files given without
a name are never taken for seeds of one model: `default_names` gives each
distinct path its own name.
"""

from __future__ import annotations

import os
import statistics
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from dsl.errors import Pos, UserError, json_repr
from dsl.files import counted, iter_lines, loads_json, same_file
from dsl.groups import Elem
from synth.report.counts import Count
from synth.report.evaluate import (
    Progress,
    Report,
    Scorer,
    SentencePredictor,
    notation_of,
    predict_safely,
    value_from_json,
)
from synth.report.reference import Published, References
from synth.report.tables import cross_lines, grid, parse_by, position_label
from synth.report.taskeval import SPLITS
from synth.report.tidy import TidyRow, write_csv
from tasks.filekinds import ARRAYS, NAMES, kind_of_file, refuse_npz_of_other_kind
from tasks.jsonpos import unknown_key
from tasks.lego.sentence import LegoRecord

PROGRAM_NAME = "program"


@dataclass(frozen=True)
class PredictionLine:
    """One line of a predictions file, parsed but not yet decoded (values need the record's group)."""

    line: int
    id: str | None
    labels: Mapping[str, Any]
    error: str | None = None  # why the model gave no answer (`eval --predict` writes the program's error here)
    split: str | None = None  # the task file's split the line is for ("train"/"test"), if it says


def read_prediction_lines(path: str | os.PathLike) -> Iterator[PredictionLine]:
    """The non-blank lines of a JSONL predictions file, checked for shape; errors name file:line."""
    name = os.fspath(path)
    for lineno, raw in iter_lines(name):
        if not raw.strip():
            continue
        obj = loads_json(raw, file=name, line=lineno)
        if not isinstance(obj, dict) or not isinstance(obj.get("labels"), dict):
            raise UserError('each line must be an object with "labels": {variable: value, ...}', file=name, pos=Pos(lineno, 1))
        rid = obj.get("id")
        if rid is not None and not isinstance(rid, (str, int)):
            raise UserError('"id" must be a string or an integer', file=name, pos=Pos(lineno, 1))
        split = obj.get("split")
        if "split" in obj and split not in SPLITS:
            raise UserError(
                f'unknown split {json_repr(split)}: a line\'s "split" is one of a task file\'s, {" or ".join(json_repr(s) for s in SPLITS)}',
                file=name, pos=Pos(lineno, 1),
            )
        extra = next((k for k in obj if k not in PREDICTION_KEYS), None)
        if extra == "sentence":  # the data itself, given as predictions: its labels would score 1.0
            raise UserError('a data record (it has "sentence"), not a prediction: give the data as DATA and a model\'s '
                            'predictions ({"labels": ...} per line) to --predictions', file=name, pos=Pos(lineno, 1))
        if extra is not None:  # a misspelt "error" would count a failed line as answered
            raise UserError(unknown_key(extra, PREDICTION_KEYS, "a predictions line"), file=name, pos=Pos(lineno, 1))
        error = obj.get("error")
        if "error" in obj and not (isinstance(error, str) and error):
            raise UserError('"error" must be a non-empty string: why the model gave no answer', file=name, pos=Pos(lineno, 1))
        yield PredictionLine(lineno, None if rid is None else str(rid), obj["labels"], error, split)


PREDICTION_KEYS = ("labels", "id", "split", "error")  # what `synth eval -o` writes


class SplitLines:
    """The lines of one split, from a predictions file whose lines say their split (or every line, from one whose lines do not).

    Lines are read lazily; a file mixing lines with and without "split" is
    refused at the first line that differs from line 1, and lines with a
    split are refused against data without splits (`split` None), where
    they could only be out of step. `dropped` counts the lines of other splits.
    """

    def __init__(self, lines: Iterable[PredictionLine], path: str, split: str | None) -> None:
        self.path = path
        self.split = split
        self.tagged: bool | None = None  # decided by the file's first line
        self.dropped: dict[str, int] = {}
        self.dropped_lines: dict[str, list[tuple[str, int]]] = {}  # id -> (split, line) of each line of another split with that id
        self.kept = 0  # lines of `split` (or untagged) yielded so far
        self.mixed: UserError | None = None  # the error of a line that breaks the file's rule, once read
        self._first_line = 0
        self._it = self._kept(lines)

    def __iter__(self) -> Iterator[PredictionLine]:
        return self._it

    def _kept(self, lines: Iterable[PredictionLine]) -> Iterator[PredictionLine]:
        for pl in lines:
            split = pl.split
            tagged = split is not None
            if self.tagged is None:
                self.tagged, self._first_line = tagged, pl.line
            elif tagged != self.tagged:
                said = f'has "split": {json_repr(split)}, but line {self._first_line} has none' if tagged else f'has no "split", but line {self._first_line} has one'
                self.mixed = UserError(
                    f"this line {said}: a predictions file gives every line its split (as `synth eval -o` writes for a task file) or none",
                    file=self.path, pos=Pos(pl.line, 1),
                )
                raise self.mixed
            if split is None:
                self.kept += 1
                yield pl
            elif self.split is None:
                raise UserError(
                    f"this line is for the {split} split of a task file, but the data it is scored against has no splits: "
                    "score it against the task file it was written for",
                    file=self.path, pos=Pos(pl.line, 1),
                )
            elif split == self.split:
                self.kept += 1
                yield pl
            else:
                self.dropped[split] = self.dropped.get(split, 0) + 1
                if pl.id is not None:
                    self.dropped_lines.setdefault(pl.id, []).append((split, pl.line))

    def explain(self, err: UserError) -> UserError:
        """`err` (lines that do not line up), or the line further down that names a split in a file whose
        first lines do not: that mix is why they did not line up (read on only when something is already wrong)."""
        if self.tagged is False:
            try:
                for _ in self._it:
                    pass
            except UserError as later:
                if later is self.mixed:
                    return later
        return err

    def hint(self, rid: str | None = None) -> str:
        """For a file short of predictions (for the record with id `rid`): the lines of other splits it has.

        The lines with the missing id that name another split are pointed at
        (the splits of a task file may share ids: two such lines of one split
        show which was moved); the option that scores another split is
        suggested only when no line at all is of the split scored (then the
        whole file is another split's).
        """
        if rid is not None and rid in self.dropped_lines:
            found = self.dropped_lines[rid]
            lines = " and ".join(str(line) for _, line in found)
            splits = " and ".join(dict.fromkeys(json_repr(s) for s, _ in found))
            return f' (id {json_repr(rid)} is on line{"s" if len(found) > 1 else ""} {lines}, of "split": {splits})'
        return "".join(
            f" ({counted(n, 'line')} of the {s} split, not scored" + (f": --split {s}?)" if not self.kept else ")") for s, n in self.dropped.items()
        )

    def what(self) -> str:
        """What a record is called in messages: of the split when the lines name one."""
        return f"{self.split} record" if self.tagged and self.split else "data record"

    def records(self, count: int) -> str:
        """`count` records, of the split when the lines name one."""
        return counted(count, f"{self.split} record" if self.tagged and self.split else "record")


class SplitSizes:
    """The records of each split of the one task file scored, counted as read: an error about lines that
    do not line up can then say that an untagged file holds both splits (an older `synth eval -o` wrote them so)."""

    def __init__(self) -> None:
        self.reader: Any = None  # the task file's reader; None once a second file has splits (no hint then)
        self.counts: dict[str, int] = {}
        self.files = 0

    def saw(self, reader: Any) -> None:
        if reader is not self.reader:
            self.files += 1
            self.reader = reader
        self.counts[reader.split] = self.counts.get(reader.split, 0) + 1

    def explain(self, err: UserError, streams: Sequence[ChainedPredictions]) -> UserError:
        """`err`, with a hint when its file is untagged and has exactly one line per record of both splits."""
        stream = next((s for s in streams if err.file in s.paths), None)
        if self.files != 1 or stream is None or len(stream.paths) != 1 or stream.tagged is not False:
            return err
        try:
            for _ in self.reader:  # the rest of the task file, to know the size of each split
                self.counts[self.reader.split] = self.counts.get(self.reader.split, 0) + 1
            lines = sum(1 for _ in read_prediction_lines(stream.paths[0]))
        except UserError:
            return err
        train, test = (self.counts.get(s, 0) for s in SPLITS)
        if not (train and test and lines == train + test):
            return err
        said = f"{err.message} This" if err.message.endswith("?") else f"{err.message}; this"
        return UserError(
            f"{said} file seems to hold both splits: its {lines} lines are as many as the task's {train} train and "
            f"{test} test records, and no line says its split (as an older `synth eval -o` wrote them): keep its last {test} lines "
            f"to score the test split (its first {train} for --split train), or write it again with `synth eval -o`, which names each line's split",
            file=err.file, pos=err.pos, detail=err.detail,
        )


def _listed(items: Sequence[str], most: int) -> str:
    """The first `most` items, comma-separated, with "..." when there are more."""
    return ", ".join(items[:most]) + (" ..." if len(items) > most else "")


def decode(
    line: PredictionLine,
    record: LegoRecord,
    number: int,
    notation: str,
    file: str,
    partial: bool,
    query_only: bool = False,
    any_labels: bool = False,
    what: str = "data record",
) -> dict[str, Elem] | None:
    """The prediction's values as group elements, after checking it is about this record's sentence.

    None for a line carrying "error": the model failed on this record, so
    every label of it is wrong (as `synth eval`, which writes such lines,
    scores them), whether or not the scoring is partial.
    `any_labels`: a line may answer any of the variables, or none (consistency
    scoring, where an empty answer is the model's failure, not a misaligned file).
    `what` the record is called in messages, with its `number` ("test record" for lines that name their split).
    """
    variables = record.sentence.variables
    known = set(variables)
    foreign = [str(v) for v in line.labels if str(v) not in known]
    if foreign:
        raise UserError(
            f"the prediction names {_listed([json_repr(v) for v in foreign], 5)}, which {what} {number} does not define "
            f"(its variables: {_listed(variables, 12)}); "
            "are the predictions out of step with the data (a line missing or extra)?",
            file=file,
            pos=Pos(line.line, 1),
        )
    if line.error is not None:
        return None
    if not partial and not any_labels:
        if query_only:  # only the query is scored; a record without one is not (synth.report.evaluate.Scorer)
            wanted = [record.query] if record.query is not None and record.query in record.labels else []
        else:
            wanted = list(record.labels)
        missing = [v for v in wanted if v not in line.labels]
        if missing:
            raise UserError(
                f"no prediction for {counted(len(missing), 'labelled variable')} of {what} {number} ({_listed(missing, 5)}); "
                "--allow-partial scores what is there and counts the rest as unanswered",
                file=file,
                pos=Pos(line.line, 1),
            )
    group = record.sentence.group
    out = {}
    for var, raw in line.labels.items():
        try:
            out[str(var)] = value_from_json(raw, group, notation, f"variable {json_repr(var)}")
        except UserError as err:
            raise UserError(err.message, file=file, pos=Pos(line.line, 1)) from None
    return out


def refuse_other_kind_of_predictions(path: str, shape: str = 'JSONL, one {"labels": ...} a line, or .npz',
                                     allowed: Collection[str] = (ARRAYS,)) -> None:
    """A program, a spec, a database or an input file given as predictions is named as such, not as broken JSON on line 1.

    `shape` is what a predictions file is here and `allowed` the kinds it may be (LEGO data takes the paper's arrays;
    a task file of another family, JSONL only).
    """
    kind = kind_of_file(path)
    if kind is not None and kind not in allowed:
        raise UserError(f"not a predictions file ({shape}): {NAMES[kind]}", file=path)


class JsonlPredictions:
    """Matches one JSONL predictions file to data records, in order or by id.

    The mode is decided by the first line kept: with an "id" the file is
    keyed by id (every line must have one), otherwise positional. Lines that
    name their split are kept only for `split`, the split scored (see `SplitLines`).
    """

    def __init__(
        self, path: str | os.PathLike, partial: bool = False, query_only: bool = False, any_labels: bool = False, split: str | None = None
    ) -> None:
        self.path = os.fspath(path)
        refuse_other_kind_of_predictions(self.path)
        self.partial = partial
        self.query_only = query_only
        self.any_labels = any_labels
        self.splits = SplitLines(read_prediction_lines(path), self.path, split)
        self._lines: Iterator[PredictionLine] = iter(self.splits)
        self._first = next(self._lines, None)
        self.keyed = self._first is not None and self._first.id is not None
        self._index: dict[str, PredictionLine] | None = None
        self._count = 0
        self._last_line = 0
        self.missing = 0  # records without a prediction (partial only)
        self.error: str | None = None  # the "error" of the line last taken, if it has one
        if self.keyed:
            self._build_index()

    def _build_index(self) -> None:
        index: dict[str, PredictionLine] = {}
        assert self._first is not None
        for pl in _chain1(self._first, self._lines):
            if pl.id is None:
                raise UserError(
                    'this file keys predictions by "id" (its first line has one), but this line has none',
                    file=self.path,
                    pos=Pos(pl.line, 1),
                )
            if pl.id in index:
                raise UserError(
                    f"duplicate prediction for id {json_repr(pl.id)} (first on line {index[pl.id].line})", file=self.path, pos=Pos(pl.line, 1)
                )
            index[pl.id] = pl
        self._index = index

    def _missing(self, message: str, pos: Pos | None = None, rid: str | None = None) -> None:
        if not self.partial:
            hint = "" if self.any_labels else "; --allow-partial scores what is there"  # consistency scoring has no such option
            raise UserError(message + self.splits.hint(rid) + hint, file=self.path, pos=pos)
        self.missing += 1

    def take(self, record: LegoRecord, number: int, notation: str) -> dict[str, Elem] | None:
        """The prediction for the `number`-th (1-based) data record; {} when missing and partial."""
        try:
            return self._take(record, number, notation)
        except UserError as err:
            raise self.splits.explain(err) from None

    def _take(self, record: LegoRecord, number: int, notation: str) -> dict[str, Elem] | None:
        self._count += 1
        if self._index is not None:
            if record.id is None:
                raise UserError(
                    f"{self.path} keys predictions by id, but data record {number} has no id; write predictions in the data's order instead"
                )
            keyed = self._index.pop(record.id, None)
            if keyed is None:
                self._missing(f"no prediction for {self.splits.what()} {number} (id {json_repr(record.id)})", rid=record.id)
                return {}
            self.error = keyed.error
            return decode(keyed, record, number, notation, self.path, self.partial, self.query_only, self.any_labels, self.splits.what())
        pl = self._first if self._count == 1 else next(self._lines, None)
        if pl is None:
            self._missing(
                f"missing prediction: the file ends after {counted(self._count - 1, 'prediction')}, "
                f"but the data has more: no prediction for {self.splits.what()} {number}" + (f" (id {json_repr(record.id)})" if record.id else ""),
                Pos(self._last_line + 1, 1),
            )
            return {}
        self._last_line = pl.line
        self.error = pl.error
        if pl.id is not None and record.id is not None and pl.id != record.id:
            raise UserError(
                f"prediction is for id {json_repr(pl.id)}, but {self.splits.what()} {number} has id {json_repr(record.id)}", file=self.path, pos=Pos(pl.line, 1)
            )
        return decode(pl, record, number, notation, self.path, self.partial, self.query_only, self.any_labels, self.splits.what())

    def exhausted(self) -> bool:
        """True when every prediction has been taken (peeks one line ahead in a positional file)."""
        if self._index is not None:
            return not self._index
        if self._count == 0:
            return self._first is None
        nxt = next(self._lines, None)
        if nxt is None:
            return True
        self._lines = _chain1(nxt, self._lines)
        return False

    def finish(self, records: int) -> None:
        """Raise if predictions are left over once the data is exhausted."""
        try:
            self._finish(records)
        except UserError as err:
            raise self.splits.explain(err) from None

    def _finish(self, records: int) -> None:
        if self._index is not None:
            if self._index:
                first = min(self._index.values(), key=lambda p: p.line)
                raise UserError(
                    f"extra prediction: id {json_repr(first.id)} matches no data record ({counted(len(self._index), 'such line')})",
                    file=self.path,
                    pos=Pos(first.line, 1),
                )
            return
        pl = self._first if records == 0 and self._first is not None else next(self._lines, None)
        if pl is not None:
            raise UserError(f"extra prediction: the data has only {self.splits.records(records)}", file=self.path, pos=Pos(pl.line, 1))


class ArrayPredictions:
    """Predictions from an .npz in the paper's layout, one row per data record (synth.report.paper)."""

    def __init__(self, path: str | os.PathLike, partial: bool = False, logits: bool = False) -> None:
        from synth.report.paper import read_prediction_arrays

        self.path = os.fspath(path)
        refuse_npz_of_other_kind(self.path, "predictions")
        self.partial = partial
        arrays = read_prediction_arrays(path, logits=logits)
        self.values, self.order = arrays[0]
        self.other = arrays[1][0] if len(arrays) > 1 else None  # ordered_pred beside pred: must say the same
        self._row = 0
        self.missing = 0

    def take(self, record: LegoRecord, number: int, notation: str) -> dict[str, Elem] | None:
        from tasks.lego.solve import chain_order

        b = self._row
        self._row += 1
        if b >= self.values.shape[0]:
            if not self.partial:
                raise UserError(f"{self.path}: {self.values.shape[0]} rows of predictions, but the data has more: none for data record {number}")
            self.missing += 1
            return {}
        s = record.sentence
        if s.group.name != "Z2":
            raise UserError(f"{self.path}: array predictions are 0/1 values, for Z2 data; data record {number} is over {s.group.name}")
        if self.values.shape[1] != len(s):
            raise UserError(
                f"{self.path}: row {b + 1} has {self.values.shape[1]} predictions, but data record {number} has {len(s)} clauses "
                "(one .npz per sentence length; give several files separated by commas)"
            )
        names = s.variables if self.order == "clause" else chain_order(s)
        elems = s.group.elements
        answer = {v: elems[int(x)] for v, x in zip(names, self.values[b].tolist())}
        if self.other is not None:
            chain = dict(zip(chain_order(s), self.other[b].tolist()))
            if any(chain.get(v) != int(x) for v, x in zip(names, self.values[b].tolist())):
                raise UserError(f"{self.path}: both pred and ordered_pred, and they differ at row {b + 1} (data record {number}): give one")
        return answer

    def exhausted(self) -> bool:
        return self._row >= self.values.shape[0]

    def finish(self, records: int) -> None:
        if self._row < self.values.shape[0]:
            raise UserError(f"{self.path}: {self.values.shape[0]} rows of predictions for {counted(records, 'data record')}")


class ChainedPredictions:
    """Several prediction files read one after the other, as one (e.g. one file per data file)."""

    def __init__(
        self,
        paths: Sequence[str],
        partial: bool = False,
        logits: bool = False,
        query_only: bool = False,
        any_labels: bool = False,
        split: str | None = None,
    ) -> None:
        self.paths = list(paths)
        self.partial = partial
        self.query_only = query_only
        self.any_labels = any_labels
        self.logits = logits
        self.split = split
        self._k = 0
        self._current = self._open(0)
        self._taken = 0

    def _open(self, k: int) -> JsonlPredictions | ArrayPredictions:
        path = self.paths[k]
        if path.endswith(".npz"):
            return ArrayPredictions(path, self.partial, self.logits)
        return JsonlPredictions(path, self.partial, self.query_only, self.any_labels, self.split)

    @property
    def missing(self) -> int:
        return self._current.missing

    @property
    def tagged(self) -> bool | None:
        """Whether the lines of the file read now name their split (None: not JSONL, or no line read)."""
        splits = getattr(self._current, "splits", None)
        return None if splits is None else splits.tagged

    @property
    def error(self) -> str | None:
        """The "error" of the prediction last taken (JSONL only)."""
        return getattr(self._current, "error", None)

    def take(self, record: LegoRecord, number: int, notation: str) -> dict[str, Elem] | None:
        if self._k + 1 < len(self.paths) and self._current.exhausted():
            self._current.finish(self._taken)
            self._k += 1
            self._current = self._open(self._k)
            self._taken = 0
        self._taken += 1
        return self._current.take(record, number, notation)


    def finish(self, records: int) -> None:
        self._current.finish(self._taken)
        if self._k + 1 < len(self.paths):
            raise UserError(f"{self.paths[self._k + 1]}: extra predictions file: the data ended before it")


def open_predictions(
    spec: str, partial: bool = False, logits: bool = False, query_only: bool = False, any_labels: bool = False, split: str | None = None
) -> ChainedPredictions:
    """Predictions from `spec`: one file, or several separated by commas, read in turn (`any_labels`: see `decode`).

    `split`: the split of a task file scored, whose lines alone are kept from
    files whose lines name their split; None refuses such lines (data without splits).
    """
    paths = [p for p in spec.split(",") if p]
    if not paths:
        raise UserError(f"empty predictions file list {spec!r}")
    return ChainedPredictions(paths, partial, logits, query_only, any_labels, split)


def _chain1(first: PredictionLine, rest: Iterable[PredictionLine]) -> Iterator[PredictionLine]:
    yield first
    yield from rest


def mean_std(values: Sequence[float | None]) -> tuple[float | None, float | None]:
    """Mean and sample standard deviation over seeds (std None for fewer than two figures)."""
    xs = [v for v in values if v is not None]
    if not xs:
        return None, None
    return statistics.fmean(xs), (statistics.stdev(xs) if len(xs) > 1 else None)


def published_metric(p: Published) -> str:
    """A published figure's metric as a tidy key, so it never shares an axis or a column with another metric."""
    text = p.metric.lower()
    if "one query" in text or "sequence accuracy" in text:
        return "query_accuracy"
    if "per-token" in text:
        return "per_token_accuracy_percent" if "%" in text else "per_token_accuracy"
    if "position" in text:
        return "label_accuracy"
    return text.split("(")[0].strip().replace(" ", "_") or "value"


def source_lines(refs: References, published: Sequence[Published]) -> list[str]:
    """The sources and the statuses of published figures, each explained, for the text under a table."""
    out = ["sources:"] + [f"  {refs.describe_source(key)}" for key in sorted({p.source for p in published})]
    return out + ["statuses:"] + [f"  {st}: {refs.statuses[st]}" for st in sorted({p.status for p in published})]


def published_dict(published: Sequence[Published], refs: References | None) -> dict[str, Any]:
    """The JSON of published figures (each with its tidy metric key) and of their sources."""
    return {
        "published": [dict(p.to_dict(), metric_key=published_metric(p)) for p in published],
        "sources": {}
        if refs is None
        else {k: {"citation": s.citation, "url": s.url, "where": s.where} for k, s in refs.sources.items() if any(p.source == k for p in published)},
    }


def published_rows(published: Sequence[Published]) -> list[TidyRow]:
    """Published figures in the tidy schema, each with its own metric, spread, source and status."""
    rows: list[TidyRow] = []
    for p in published:
        model = f"{p.source}: {p.model}"
        metric = published_metric(p)
        if p.by_length:
            rows += [TidyRow(model, metric, value=v, length=n, std=None, source=p.source, status=p.status) for n, v in sorted(p.by_length.items())]
        elif p.value is not None:
            rows.append(TidyRow(model, metric, value=p.value, std=p.std, source=p.source, status=p.status))
    return rows


Key = tuple[Any, ...]  # (length,) or (length, position); length ALL_LENGTHS pools every length
ALL_LENGTHS = "all"


@dataclass(frozen=True)
class Comparison:
    """Reports of several predictors (each over one or more seeds) on the same data, plus published figures."""

    models: Mapping[str, tuple[Report, ...]]  # column name -> one report per seed, in column order
    published: tuple[Published, ...] = ()
    references: References | None = None
    sources: Mapping[str, tuple[str, ...]] | None = None  # column name -> the files of each seed
    chance: float | None = None  # 1 / group size, when every record is over one group
    split: str | None = None  # the split of a LEGO task file scored (--split), None for record files

    length_axis: ClassVar[str] = "sentence length (variables)"

    def curves(self) -> dict[str, list[tuple[str, list[Report]]]]:
        """Each metric's models with a report per seed (synth.report.plot draws one panel per metric)."""
        series: dict[str, list[tuple[str, list[Report]]]] = {}
        for name, reps in self.models.items():
            series.setdefault(reps[0].metric, []).append((name, list(reps)))
        return series

    @property
    def reports(self) -> dict[str, Report]:
        """The first seed's report of each model (all of them when each model has one seed)."""
        return {name: reps[0] for name, reps in self.models.items()}

    def keys(self, by: str) -> list[Key]:
        """Row keys: (length,) for `length`; (length, position) otherwise, and for `position` over several
        lengths (ALL_LENGTHS, position) rows after them: each position pooled over all lengths (as eval's `all` column)."""
        keys: set[Key] = set()
        for reps in self.models.values():
            for rep in reps:
                if by == "length":
                    keys.update((n,) for n in rep.by_length)
                else:
                    keys.update(rep.by_length_position)
        if by == "length":
            for p in self.published:
                if p.by_length:
                    keys.update((n,) for n in p.by_length)
        ordered: list[Key] = sorted(keys)
        if by == "position" and len({k[0] for k in ordered}) > 1:
            ordered += [(ALL_LENGTHS, d) for d in sorted({k[1] for k in ordered})]
        return ordered

    @staticmethod
    def _count(rep: Report, key: Key) -> Count | None:
        if len(key) == 1:
            return rep.by_length.get(key[0])
        if key[0] == ALL_LENGTHS:
            return rep.by_position.get(key[1])
        return rep.by_length_position.get((key[0], key[1]))

    def cell(self, name: str, key: Key) -> tuple[float | None, float | None]:
        """(mean, std over seeds) of one model at one row key."""
        return mean_std([(c.accuracy if c is not None else None) for c in (self._count(r, key) for r in self.models[name])])

    def table(self, by: str = "length") -> tuple[list[str], list[list[Any]]]:
        """Header and rows: one row per length (or per length and position), one mean-accuracy column per model.

        Published by-length figures follow the models (only `by` length: no
        per-position figure is published as a number); a cell with no figure
        is None. `labels` counts the scored labels of the first model.
        """
        by = parse_by(by)
        pubs = [p for p in self.published if p.by_length] if by == "length" else []
        keys = self.keys(by)
        header = (["length"] if by == "length" else ["length", "position"]) + ["labels"]
        header += list(self.models) + [p.label() for p in pubs]
        rows = []
        for key in keys:
            counts = [self._count(reps[0], key) for reps in self.models.values()]
            labels = next((c.total for c in counts if c is not None), 0)
            row: list[Any] = list(key) + [labels]
            row += [self.cell(name, key)[0] for name in self.models]
            row += [(p.by_length or {}).get(key[0]) for p in pubs]
            rows.append(row)
        return header, rows

    def format_text(self, by: str = "length", supervised: int | None = None) -> str:
        by = parse_by(by)
        lines: list[str] = [] if self.split is None else [f"split: {self.split} (of the task file; --split chooses)"]
        if by == "length,position":
            for name, reps in self.models.items():
                seeds = f" (first of {len(reps)} seeds)" if len(reps) > 1 else ""
                lines += [f"{name}{seeds}: by length (rows) and chain position (columns)"]
                lines += ["  " + x for x in cross_lines(reps[0], supervised)]
        else:
            header, rows = self.table(by)
            n_fixed = (1 if by == "length" else 2) + 1 + len(self.models)
            legend = [f"  pub{i + 1} = {h}" for i, h in enumerate(header[n_fixed:])]
            header = header[:n_fixed] + [f"pub{i + 1}" for i in range(len(header) - n_fixed)]
            cells: list[list[Any]] = [header]
            for row in rows:
                if by == "position":
                    row = [row[0], position_label(row[1], supervised)] + row[2:]
                cells.append(row)
            lines += grid(cells)
            if legend:
                lines += ["published columns (figures by length from their own data and metric, not rerun here):"] + legend
        if supervised is not None and by != "length":
            lines.append(f"* supervised in training (positions 1..{supervised})")
        lines.append("")
        for name, reps in self.models.items():
            mean, std = mean_std([r.overall.accuracy for r in reps])
            what = "query accuracy" if reps[0].metric == "query_accuracy" else "label accuracy"
            if len(reps) > 1:
                spread = "" if std is None else f" ± {std:.4f}"
                fig = "-" if mean is None else f"{mean:.4f}{spread}"
                lines.append(f"{name}: {what} {fig} over {len(reps)} seeds")
            else:
                rep = reps[0]
                whole = "" if rep.metric == "query_accuracy" else f", whole-sentence accuracy {rep.sentence_accuracy}"  # as eval: a query is no sentence
                lines.append(f"{name}: {what} {rep.overall}{whole}")
            failed = sum(r.failed for r in reps)
            if failed:
                lines.append(f"  {counted(failed, 'record')} failed (lines with \"error\"), every label of them counted as wrong")
            unanswered = sum(r.unanswered for r in reps)
            if unanswered:
                how = "left out (--allow-partial)" if reps[0].partial else "counted as wrong"
                lines.append(f"  {unanswered:,} labels had no prediction, {how}")
            left_out = sum(r.unanswered_sentences for r in reps)
            if left_out:
                lines.append(f"  {counted(left_out, 'sentence')} with an unanswered label and no wrong one, left out of whole-sentence accuracy (--allow-partial)")
        no_query = max((r.no_query for reps in self.models.values() for r in reps), default=0)
        if no_query:
            lines.append(
                f"{counted(no_query, 'record')} without a query, not scored by any model (query accuracy scores each record's query only)"
            )
        lines += self._published_notes(by)
        return "\n".join(lines)

    def _published_notes(self, by: str) -> list[str]:
        if not self.published:
            return []
        refs = self.references
        out = ["", "published results (not rerun; each with its source and status):"]
        for p in self.published:
            if p.by_length and by == "length":
                what = "by-length column above"
            elif p.by_length:
                what = "by length only: " + ", ".join(f"{n}: {v:g}" for n, v in sorted(p.by_length.items())) + (f" ({p.seed_count()})" if p.seed_count() else "")
            elif p.value is not None:
                what = f"overall {p.format_value()}" + (f" ({p.seed_count()})" if p.seed_count() else "")
            else:
                what = p.note or "-"
            out.append(f"  {p.source}: {p.model}: {what} [metric: {published_metric(p)}; status: {p.status}]")
        if refs is not None:
            out += source_lines(refs, self.published)
            if by != "length":
                out.append("  (no per-position figures are published as numbers; the LEGO paper shows them in figures only)")
            out.append("  note: published figures come from other settings (see each source); they are not scores on this data.")
        return out

    def to_dict(self, by: str = "length") -> dict[str, Any]:
        header, rows = self.table(by)
        models: dict[str, Any] = {}
        for name, reps in self.models.items():
            mean, std = mean_std([r.overall.accuracy for r in reps])
            models[name] = {
                "seeds": [r.to_dict() for r in reps],
                "files": list((self.sources or {}).get(name, ())),
                "mean": mean,
                "std": std,
            }
        return {
            "by": by,
            **({} if self.split is None else {"split": self.split}),
            "models": models,
            "table": {"header": header, "rows": rows},
            **published_dict(self.published, self.references),
        }

    def tidy_rows(self, by: str = "length") -> list[TidyRow]:
        """Every figure in the tidy schema: each seed of each model, then published figures with their own metric and std.

        A model scored on one split of a task file names it (`preds.jsonl#train`, as eval's `FILE#train`):
        tables of the two splits must not look alike.
        """
        rows: list[TidyRow] = []
        for name, reps in self.models.items():
            files = (self.sources or {}).get(name, ())
            for s, rep in enumerate(reps):
                source = files[s] if s < len(files) else ""
                if source and self.split is not None:
                    source += f"#{self.split}"
                rows += rep.tidy_rows(name, by=by, seed=s if len(reps) > 1 else None, source=source)
        return rows + published_rows(self.published)

    def to_csv(self, path: Any, by: str = "length", inputs: Iterable[Any] = ()) -> None:
        """The tidy CSV (synth.report.tidy): scored rows have status scored-here, published rows their own."""
        write_csv(path, self.tidy_rows(by), inputs=inputs)


def default_names(specs: Sequence[str]) -> list[str]:
    """A model name for each --predictions spec given without --name, the same only for the same files.

    The name is the first file's stem (`preds`); where two different specs
    would share it, the shortest trailing part of the path that tells them
    apart (`preds.jsonl`, then `a/preds.jsonl` and `b/preds.jsonl`), and the
    whole spec if nothing shorter does. Paths are compared as written,
    normalized (`./a/preds.jsonl` is `a/preds.jsonl`), and one file however
    spelt (`p.jsonl`, `/tmp/p.jsonl`, a link) gets one name, so that
    `compare` sees it as one model given one file twice.
    """
    keys: dict[str, tuple[str, ...]] = {}
    for spec in specs:
        key = tuple(os.path.normpath(p) for p in spec.split(","))
        keys[spec] = next((k for k in keys.values() if len(k) == len(key) and all(map(same_file, k, key))), key)
    distinct = list(dict.fromkeys(keys.values()))
    level = dict.fromkeys(distinct, 0)

    def name(key: tuple[str, ...]) -> str:
        parts = key[0].replace(os.sep, "/").split("/")
        k = level[key]
        if k == 0:
            return os.path.splitext(parts[-1])[0]
        return "/".join(parts[-k:]) if k <= len(parts) else ",".join(key)

    while True:
        named: dict[str, list[tuple[str, ...]]] = {}
        for key in distinct:
            named.setdefault(name(key), []).append(key)
        clashes = [key for group in named.values() if len(group) > 1 for key in group]
        if not clashes:
            return [name(keys[spec]) for spec in specs]
        for key in clashes:
            level[key] += 1


def column_names(predictions: Sequence[tuple[str, str]], program_name: str | None) -> list[str]:
    """The table's columns: each model once, in order of first mention, then the program's (if any), which must not be a model's."""
    _refuse_one_file_as_two_seeds(predictions)
    names = list(dict.fromkeys(n for n, _ in predictions))
    if program_name is not None:
        if program_name in names:
            raise UserError(f"the program's column and a --predictions model are both called {program_name!r}: "
                            f"give the two different names (--program-name for the program's, --name for the model's)")
        names.append(program_name)
    return names


def _same_files(a: Sequence[str], b: Sequence[str]) -> bool:
    """Two lists of paths naming the same files in the same order (another spelling or a symbolic link included)."""
    return len(a) == len(b) and all(x != "-" and y != "-" and same_file(x, y) for x, y in zip(a, b))


def refuse_repeated_data(paths: Sequence[str]) -> None:
    """One data file given twice would have its records scored twice, as if there were twice as many."""
    for i, path in enumerate(paths):
        for other in paths[:i]:
            if _same_files([path], [other]):
                raise UserError(f"{other} and {path} are the same data file, whose records would be counted twice: give it once")


def _refuse_one_file_as_two_seeds(predictions: Sequence[tuple[str, str]]) -> None:
    """One predictions file (or comma list) given twice under one model name would be pooled as two seeds of one run."""
    for i, (name, spec) in enumerate(predictions):
        files = spec.split(",")
        for other_name, other in predictions[:i]:
            if name == other_name and _same_files(files, other.split(",")):
                raise UserError(
                    f"--predictions {other} and {spec} are the same predictions file, which would count as two seeds of model {json_repr(name)}: "
                    "give it once, or name the two apart with --name"
                )


def compare(
    readers: Sequence[Iterable[LegoRecord]],
    predictions: Sequence[tuple[str, str]],
    *,
    program: SentencePredictor | None = None,
    program_name: str = PROGRAM_NAME,
    published: Sequence[Published] = (),
    references: References | None = None,
    progress: Progress | None = None,
    query_only: bool = False,
    partial: bool = False,
    logits: bool = False,
    split: str | None = None,
    program_source: str = "",
) -> Comparison:
    """Score every predictions file (and the program, if given) on the records of `readers`, in one pass.

    `predictions` are (model name, file spec) pairs; a name given several
    times is one model with several seeds; a spec is one file or several
    separated by commas (read in turn, e.g. one per data file). Each reader's
    notation (synth.report.evaluate.notation_of) says how JSONL values are written.
    With `split`, only that split of a LEGO task file is scored (and
    predicted): records of files without splits are all kept, and so are
    the lines of predictions files that do not name their split; of those
    that do, only the lines of `split`. `program_source` names the data the
    program ran on in the tidy rows (its CSV `source`, as a model's names its
    predictions file), e.g. the data files joined by commas.
    """
    names = column_names(predictions, program_name if program is not None else None)
    streams = [
        (name, open_predictions(spec, partial, logits, query_only, split=split), Scorer(query_only=query_only, partial=partial))
        for name, spec in predictions
    ]
    program_scorer = Scorer(query_only=query_only) if program is not None else None
    count = 0
    sizes: set[int] = set()
    split_seen = False
    sized = SplitSizes()
    try:
        for reader in readers:
            first = True
            for record in reader:
                if split is not None and getattr(reader, "split", None) is not None:
                    split_seen = True
                    sized.saw(reader)
                    if reader.split != split:  # type: ignore[attr-defined]
                        continue
                count += 1
                if first:
                    first = False
                    sizes.add(len(record.sentence.group))
                notation = notation_of(reader)  # the record's own: its labels were read in it
                for _, stream, scorer in streams:
                    scorer.add(record.sentence, record.labels, stream.take(record, count, notation), record.query)
                if program_scorer is not None and program is not None:
                    program_scorer.add(record.sentence, record.labels, predict_safely(program, record.sentence), record.query)
                if progress is not None:
                    progress.tick()
        for _, stream, _ in streams:
            stream.finish(count)
    except UserError as err:
        raise sized.explain(err, [stream for _, stream, _ in streams]) from None
    models: dict[str, list[Report]] = {n: [] for n in names}
    sources: dict[str, list[str]] = {n: [] for n in names}
    for name, stream, scorer in streams:
        models[name].append(scorer.report())
        sources[name].append(",".join(stream.paths))
    if program_scorer is not None:
        models[program_name].append(program_scorer.report())
        sources[program_name].append(program_source)
    return Comparison(
        {n: tuple(r) for n, r in models.items()},
        tuple(published),
        references,
        {n: tuple(s) for n, s in sources.items()},
        1 / sizes.pop() if len(sizes) == 1 else None,
        split if split_seen else None,
    )
