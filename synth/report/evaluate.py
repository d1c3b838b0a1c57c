"""Scoring predictions against labels: overall, by sentence length, by chain position.

The unit of accuracy is one labelled variable. Positions are depths along the
chain (root = 1), which is how the LEGO paper reports accuracy (positions
1..12). A record is "whole-sentence correct" when every labelled variable is
right. Records without labels are predicted and counted, never scored.

Everything streams: a `Scorer` keeps only counters per length and position, so
memory stays flat whatever the number of records.
"""

from __future__ import annotations

import csv
import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Callable, Iterable, Iterator, Mapping, Sequence

from dsl.errors import DslRuntimeError, UserError
from dsl.groups import Elem, Group
from tasks.lego.sentence import LegoRecord, Sentence

Prediction = Mapping[str, Elem]
SentencePredictor = Callable[[Sentence], Prediction]


@dataclass(frozen=True)
class Accuracy:
    """`correct` out of `count`; the fraction is None when nothing was scored."""

    correct: int
    count: int

    @property
    def fraction(self) -> float | None:
        return self.correct / self.count if self.count else None

    def to_dict(self) -> dict[str, Any]:
        return {"accuracy": self.fraction, "correct": self.correct, "count": self.count}

    def __str__(self) -> str:
        if not self.count:
            return "-"
        return f"{self.fraction:.4f} ({self.correct}/{self.count})"


SECTIONS = ("overall", "sentence", "length", "position", "sentence_by_length")


@dataclass(frozen=True)
class Report:
    """Accuracy of one predictor on one data set, every figure with its count."""

    overall: Accuracy
    by_length: Mapping[int, Accuracy]
    by_position: Mapping[int, Accuracy]
    sentence_accuracy: Accuracy
    sentence_by_length: Mapping[int, Accuracy]
    records: int = 0  # records seen (scored or not)
    unlabelled: int = 0  # records predicted but not scored (no labels)
    failed: int = 0  # records on which the predictor raised a runtime error
    no_position: int = 0  # labelled records whose chain positions could not be computed

    def rows(self, by: str = "length") -> list[tuple[int, Accuracy]]:
        """(key, accuracy) rows in key order, for `by` in length, position, sentence_by_length."""
        table = {"length": self.by_length, "position": self.by_position, "sentence_by_length": self.sentence_by_length}
        if by not in table:
            raise UserError(f"unknown breakdown {by!r} (choose length or position)")
        return sorted(table[by].items())

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary; keys of the breakdowns are strings (JSON object keys)."""
        return {
            "overall": self.overall.to_dict(),
            "sentence_accuracy": self.sentence_accuracy.to_dict(),
            "by_length": {str(k): a.to_dict() for k, a in sorted(self.by_length.items())},
            "by_position": {str(k): a.to_dict() for k, a in sorted(self.by_position.items())},
            "sentence_accuracy_by_length": {str(k): a.to_dict() for k, a in sorted(self.sentence_by_length.items())},
            "records": self.records,
            "unlabelled": self.unlabelled,
            "failed": self.failed,
            "no_position": self.no_position,
        }

    def csv_rows(self, model: str | None = None) -> list[list[Any]]:
        """Long-format rows: [model,] section, key, accuracy, correct, count."""
        out: list[list[Any]] = [["overall", "", self.overall], ["sentence", "", self.sentence_accuracy]]
        out += [["length", k, a] for k, a in sorted(self.by_length.items())]
        out += [["position", k, a] for k, a in sorted(self.by_position.items())]
        out += [["sentence_by_length", k, a] for k, a in sorted(self.sentence_by_length.items())]
        rows = []
        for section, key, acc in out:
            row = [section, key, "" if acc.fraction is None else f"{acc.fraction:.6f}", acc.correct, acc.count]
            rows.append(([model] if model is not None else []) + row)
        return rows

    def to_csv(self, path: str | Path | IO[str], model: str | None = None) -> None:
        """Write the report as long-format CSV, easy to merge into one's own results."""
        header = (["model"] if model is not None else []) + ["section", "key", "accuracy", "correct", "count"]
        _write_csv(path, header, self.csv_rows(model))

    def format_text(self) -> str:
        """The human-readable report `synth eval` prints."""
        lines = [
            f"records: {self.records:,} ({self.records - self.unlabelled:,} labelled, {self.unlabelled:,} unlabelled)",
        ]
        if self.failed:
            lines.append(f"records where the program failed (scored as wrong): {self.failed:,}")
        if self.no_position:
            lines.append(f"records without chain positions (no root or a cycle): {self.no_position:,}")
        lines.append(f"label accuracy:          {self.overall}")
        lines.append(f"whole-sentence accuracy: {self.sentence_accuracy}")
        for title, rows in (("by sentence length", self.rows("length")), ("by chain position", self.rows("position"))):
            if not rows:
                continue
            lines.append(f"{title}:")
            key = "length" if "length" in title else "position"
            lines.append(f"  {key:>8}  {'accuracy':>8}  {'correct':>10}  {'count':>10}")
            for k, a in rows:
                frac = "-" if a.fraction is None else f"{a.fraction:.4f}"
                lines.append(f"  {k:>8}  {frac:>8}  {a.correct:>10,}  {a.count:>10,}")
        return "\n".join(lines)


def _write_csv(path: str | Path | IO[str], header: list[str], rows: Iterable[list[Any]]) -> None:
    if isinstance(path, (str, Path)):
        try:
            with open(path, "w", newline="", encoding="utf-8") as f:
                _write_csv(f, header, rows)
        except OSError as err:
            raise UserError(f"cannot write {path}: {err.strerror}") from None
        return
    writer = csv.writer(path, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)


def chain_depths(sentence: Sentence) -> dict[str, int] | None:
    """Depth of each variable along the chain (root = 1), or None if the sentence has none.

    Uses the reference solver's `depths`; a sentence with a cycle or a missing
    root has no positions (it is still scored overall and by length).
    """
    from tasks.lego.solve import depths

    try:
        return depths(sentence)
    except (UserError, KeyError, ValueError, RecursionError):
        return None


@dataclass
class Scorer:
    """Accumulates counts, one record at a time; `report()` freezes them."""

    _length: dict[int, list[int]] = field(default_factory=dict)
    _position: dict[int, list[int]] = field(default_factory=dict)
    _sent_length: dict[int, list[int]] = field(default_factory=dict)
    records: int = 0
    unlabelled: int = 0
    failed: int = 0
    no_position: int = 0
    query_only: bool = False  # score only each record's query variable (Kazemnejad et al. score one question)

    def add(
        self, sentence: Sentence, labels: Mapping[str, Elem], prediction: Prediction | None, query: str | None = None
    ) -> None:
        """Score one record; `prediction` None means the predictor failed on it."""
        self.records += 1
        if prediction is None:
            self.failed += 1
            prediction = {}
        if self.query_only and query is not None:
            labels = {query: labels[query]} if query in labels else {}
        if not labels:
            self.unlabelled += 1
            return
        n = len(sentence.clauses)
        depth = chain_depths(sentence)
        if depth is None:
            self.no_position += 1
        right = 0
        by_pos = self._position
        for var, want in labels.items():
            ok = prediction.get(var) == want
            right += ok
            if depth is not None:
                d = depth.get(var)
                if d is not None:
                    cell = by_pos.get(d)
                    if cell is None:
                        cell = by_pos[d] = [0, 0]
                    cell[0] += ok
                    cell[1] += 1
        cell = self._length.get(n)
        if cell is None:
            cell = self._length[n] = [0, 0]
        cell[0] += right
        cell[1] += len(labels)
        cell = self._sent_length.get(n)
        if cell is None:
            cell = self._sent_length[n] = [0, 0]
        cell[0] += right == len(labels)
        cell[1] += 1

    def merge(self, other: "Scorer") -> None:
        """Add another scorer's counts (for work split across processes)."""
        for mine, theirs in ((self._length, other._length), (self._position, other._position), (self._sent_length, other._sent_length)):
            for k, (c, n) in theirs.items():
                cell = mine.setdefault(k, [0, 0])
                cell[0] += c
                cell[1] += n
        self.records += other.records
        self.unlabelled += other.unlabelled
        self.failed += other.failed
        self.no_position += other.no_position

    def report(self) -> Report:
        def freeze(d: dict[int, list[int]]) -> dict[int, Accuracy]:
            return {k: Accuracy(c, n) for k, (c, n) in sorted(d.items())}

        by_length = freeze(self._length)
        sent = freeze(self._sent_length)
        return Report(
            overall=Accuracy(sum(a.correct for a in by_length.values()), sum(a.count for a in by_length.values())),
            by_length=by_length,
            by_position=freeze(self._position),
            sentence_accuracy=Accuracy(sum(a.correct for a in sent.values()), sum(a.count for a in sent.values())),
            sentence_by_length=sent,
            records=self.records,
            unlabelled=self.unlabelled,
            failed=self.failed,
            no_position=self.no_position,
        )


def predict_safely(predictor: SentencePredictor, sentence: Sentence) -> Prediction | None:
    """The predictor's answer, or None if it failed at run time (a cycle, an undefined key)."""
    try:
        return predictor(sentence)
    except DslRuntimeError:
        return None


def evaluate(
    records: Iterable[LegoRecord],
    predictor: SentencePredictor,
    *,
    on_prediction: Callable[[LegoRecord, Prediction | None], None] | None = None,
    progress: "Progress | None" = None,
    query_only: bool = False,
) -> Report:
    """Run `predictor` on each record's sentence and score it; streams `records` once."""
    scorer = Scorer(query_only=query_only)
    for record in records:
        pred = predict_safely(predictor, record.sentence)
        scorer.add(record.sentence, record.labels, pred, record.query)
        if on_prediction is not None:
            on_prediction(record, pred)
        if progress is not None:
            progress.tick()
    return scorer.report()


def score(pairs: Iterable[tuple[LegoRecord, Prediction | None]], query_only: bool = False) -> Report:
    """Score predictions made elsewhere: (record, prediction) pairs, streamed once."""
    scorer = Scorer(query_only=query_only)
    for record, pred in pairs:
        scorer.add(record.sentence, record.labels, pred, record.query)
    return scorer.report()


# --- values in JSON ---------------------------------------------------------


def notation_of(reader: Any) -> str:
    """The value notation of a data file being read: its main sentence syntax, or `kazemnejad`.

    Predictions are read and written in the notation of the data they are
    about: official 0/1, signs +1/-1, readable element names (integers for
    Z<n>), and for Kazemnejad et al. data +1/-1 or their truth values "1"/"0".
    """
    syntaxes = getattr(reader, "syntaxes", None) or {}
    if not syntaxes:
        return "readable"
    return max(syntaxes.items(), key=lambda kv: kv[1])[0]


def value_to_json(value: Elem, notation: str = "readable") -> int | str:
    """A predicted value in the data's notation (Kazemnejad data: +1/-1)."""
    from tasks.lego.syntax import format_value

    if notation == "kazemnejad":
        notation = "signs"
    return format_value(value, notation)


def value_from_json(obj: Any, group: Group, notation: str, where: str) -> Elem:
    """Read one predicted value of `group` written in `notation` (see `notation_of`); "Z2:1" always works."""
    from tasks.lego.syntax import parse_value

    if notation == "kazemnejad":
        if obj in ("0", "1"):
            return group.identity if obj == "1" else group.element("1")
        notation = "signs"
    try:
        return parse_value(obj, group, notation)
    except UserError as err:
        raise UserError(f"{where}: {err.message}") from None


def prediction_json(record: LegoRecord, prediction: Prediction | None, notation: str = "readable") -> str:
    """One JSONL line of predictions: {"id": ..., "labels": {var: value}}, variables in clause order."""
    obj: dict[str, Any] = {}
    if record.id is not None:
        obj["id"] = record.id
    labels = {}
    if prediction is not None:
        for var in record.sentence.variables:
            if var in prediction:
                labels[var] = value_to_json(prediction[var], notation)
    obj["labels"] = labels
    if prediction is None:
        obj["error"] = "the program failed on this sentence"
    return json.dumps(obj, separators=(",", ":"))


# --- programs as predictors ---------------------------------------------------


class ProgramPredictor:
    """A compiled DSL program used as a LEGO predictor.

    The program takes `clauses` and returns either a map from variable to value
    (the LEGO resolver) or a list with one value per clause, in clause order.
    """

    def __init__(self, compiled: Callable[[dict], Any], source: str = "program") -> None:
        self._run = compiled
        self.source = source

    def __call__(self, sentence: Sentence) -> Prediction:
        out = self._run(sentence.to_dsl())
        if isinstance(out, Mapping):
            return out
        if isinstance(out, tuple) and len(out) == len(sentence.clauses):
            return {c.lhs: v for c, v in zip(sentence.clauses, out)}
        raise DslRuntimeError(
            f"{self.source}: the program must return a map from variable to value, or one value per clause"
        )

    def predict(self, sentences: Sequence[Sentence]) -> list[Prediction]:
        return [self(s) for s in sentences]


def load_program(path: str | Path) -> ProgramPredictor:
    """Parse, check and compile a DSL program file for use as a LEGO predictor."""
    from dsl.parse import load_program as parse_file

    program = parse_file(path)
    names = [p.name for p in program.inputs]
    if names != ["clauses"]:
        raise UserError(
            f"a LEGO program must take exactly one input, `clauses`; this one takes {', '.join(names) or 'none'}",
            file=str(path),
        )
    return program_from_ast(program, source=str(path))


def program_from_ast(program: Any, source: str = "program") -> ProgramPredictor:
    """A predictor from an already parsed `dsl.ast.Program` (e.g. a synthesized one).

    Its output must be LEGO values: a Map[Sym, Elem] or a List[Elem]; anything
    else is refused here, naming `source`, rather than failing per sentence.
    """
    from dsl.interp import compile_program
    from dsl.types import ELEM, SYM, ListT, MapT

    try:
        compiled = compile_program(program)
    except UserError as err:
        raise err.located(source) from None
    if compiled.output_type not in (MapT(SYM, ELEM), ListT(ELEM)):
        raise UserError(
            f"a LEGO program must return Map[Sym, Elem] (variable -> value) or List[Elem] "
            f"(one value per clause); this one returns {compiled.output_type}",
            file=source,
        )
    return ProgramPredictor(compiled, source=source)


# --- progress -----------------------------------------------------------------


class Progress:
    """Records done (and rate) on stderr, redrawn at most a few times a second."""

    def __init__(self, enabled: bool | None = None, stream: IO[str] | None = None, label: str = "records") -> None:
        self.stream = stream if stream is not None else sys.stderr
        if enabled is None:
            enabled = bool(getattr(self.stream, "isatty", lambda: False)())
        self.enabled = enabled
        self.label = label
        self.count = 0
        self._start = time.monotonic()
        self._last = 0.0

    def tick(self, n: int = 1) -> None:
        self.count += n
        if self.enabled and (self.count & 1023) == 0:
            now = time.monotonic()
            if now - self._last >= 0.25:
                self._last = now
                self._draw(now)

    def _draw(self, now: float) -> None:
        elapsed = max(now - self._start, 1e-9)
        self.stream.write(f"\r{self.count:>12,} {self.label} done  ({self.count / elapsed:,.0f}/s)")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self._draw(time.monotonic())
            self.stream.write("\n")
            self.stream.flush()


def iter_limit(it: Iterable, limit: int | None) -> Iterator:
    """At most `limit` items of `it` (all if None)."""
    if limit is None:
        yield from it
        return
    for i, x in enumerate(it):
        if i >= limit:
            return
        yield x
