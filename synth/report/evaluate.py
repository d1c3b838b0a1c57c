"""Scoring predictions against labels: overall, by length, by chain position, and both.

The unit of label accuracy is one labelled variable. Positions are depths
along the chain (root = 1), which is how the LEGO paper reports accuracy
(positions 1..12). A record is "whole-sentence correct" when every labelled
variable is answered and right; with `partial` (--allow-partial), a record
with an unanswered label and no wrong answer is undecided: left out of the
whole-sentence figure, as its unanswered labels are left out of label
accuracy, and counted apart (`unanswered_sentences`); one wrong answer makes
it wrong, answered or not the rest. So answering one variable of 24 never
makes a whole sentence right, and leaving answers out never raises the
figure. Records without labels are predicted and counted, never
scored. With `query_only`, only each record's query variable is scored (the
metric of Kazemnejad et al.), and the report says so in its `metric`; a
record without a query has nothing to score then, and is counted apart
(`no_query`), never scored on all its labels under the name of a query.

Everything streams: a `Scorer` keeps only counters per (length, position), so
memory stays flat whatever the number of records.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import IO, Any

from dsl.errors import DslRuntimeError, UserError
from dsl.files import counted, shorten
from dsl.groups import Elem, Group, is_group_name, parse_elem
from dsl.values import MapValue
from synth.interrupts import signals_taken
from synth.report.counts import EMPTY, Count, total
from synth.report.tables import format_report, parse_by
from synth.report.tidy import LABEL, QUERY, SENTENCE, TidyRow, write_csv
from synth.report.userio import to_element, to_user
from tasks.lego.sentence import LegoRecord, Sentence
from tasks.lego.solve import chain_positions

Prediction = Mapping[str, Elem]
SentencePredictor = Callable[[Sentence], Prediction]
ERROR_CHARS = 200  # a run-time error is shortened to this in a message or a predictions line

@dataclass(frozen=True)
class Report:
    """Accuracy of one predictor on one data set, every figure with its count."""

    overall: Count
    by_length: Mapping[int, Count]
    by_position: Mapping[int, Count]
    by_length_position: Mapping[tuple[int, int], Count]
    sentence_accuracy: Count
    sentence_by_length: Mapping[int, Count]
    records: int = 0  # records seen (scored or not)
    unlabelled: int = 0  # records predicted but not scored (no labels)
    failed: int = 0  # records on which the predictor raised a runtime error
    no_position: int = 0  # labelled records whose chain positions could not be computed
    unanswered: int = 0  # labels the predictions did not answer (left out of the counts only when partial)
    partial: bool = False  # unanswered labels were left out (--allow-partial) rather than counted wrong
    unanswered_sentences: int = 0  # records with an unanswered label and no wrong one, left out of whole-sentence accuracy (partial only)
    metric: str = LABEL  # label_accuracy, or query_accuracy with query_only
    no_query: int = 0  # records left out by query_only because they have no query

    def rows(self, by: str = "length") -> list[tuple[int, Count]]:
        """(key, count) rows in key order, for `by` in length, position, sentence_by_length."""
        table = {"length": self.by_length, "position": self.by_position, "sentence_by_length": self.sentence_by_length}
        if by not in table:
            raise UserError(f"unknown breakdown {by!r} (choose length or position)")
        return sorted(table[by].items())

    @property
    def lengths(self) -> list[int]:
        return sorted(self.by_length)

    @property
    def positions(self) -> list[int]:
        return sorted(self.by_position)

    def cell(self, length: int, position: int) -> Count:
        return self.by_length_position.get((length, position), EMPTY)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary; keys of the breakdowns are strings (JSON object keys)."""
        cross: dict[str, dict[str, Any]] = {}
        for (n, d), c in sorted(self.by_length_position.items()):
            cross.setdefault(str(n), {})[str(d)] = c.to_dict()
        sentences = self.metric == LABEL  # with query_only, a "sentence" is its query: no whole-sentence figure
        return {
            "metric": self.metric,
            "overall": self.overall.to_dict(),
            "sentence_accuracy": self.sentence_accuracy.to_dict() if sentences else None,
            "by_length": {str(k): a.to_dict() for k, a in sorted(self.by_length.items())},
            "by_position": {str(k): a.to_dict() for k, a in sorted(self.by_position.items())},
            "by_length_position": cross,
            "sentence_accuracy_by_length": {str(k): a.to_dict() for k, a in sorted(self.sentence_by_length.items())} if sentences else {},
            "records": self.records,
            "unlabelled": self.unlabelled,
            "failed": self.failed,
            "no_position": self.no_position,
            "unanswered": self.unanswered,
            "partial": self.partial,
            "unanswered_sentences": self.unanswered_sentences,
            "no_query": self.no_query,
        }

    def tidy_rows(self, model: str = "model", *, by: str = "length,position", seed: int | None = None, source: str = "") -> list[TidyRow]:
        """Rows of the one CSV schema (synth.report.tidy): overall, then the breakdowns `by` asks for.

        length: by-length rows; position: pooled by-position rows and the
        position rows of each length; length,position: all of these.
        Whole-sentence accuracy follows, overall and by length.
        """
        by = parse_by(by)

        def row(metric: str, count: Count, length: int | None = None, position: int | None = None) -> TidyRow:
            return TidyRow(model, metric, count, length=length, position=position, seed=seed, source=source)

        out = [row(self.metric, self.overall)]
        if by in ("length", "length,position"):
            out += [row(self.metric, c, length=n) for n, c in sorted(self.by_length.items())]
        if by in ("position", "length,position"):
            out += [row(self.metric, c, position=d) for d, c in sorted(self.by_position.items())]
            out += [row(self.metric, c, length=n, position=d) for (n, d), c in sorted(self.by_length_position.items())]
        if self.metric == LABEL:
            out.append(row(SENTENCE, self.sentence_accuracy))
            if by != "position":
                out += [row(SENTENCE, c, length=n) for n, c in sorted(self.sentence_by_length.items())]
        return out

    def to_csv(
        self,
        path: str | os.PathLike | IO[str],
        model: str = "synth",
        *,
        by: str = "length,position",
        seed: int | None = None,
        source: str = "",
        inputs: Iterable[str | os.PathLike] = (),
    ) -> None:
        """Write the report in the tidy CSV schema (synth.report.tidy), ready to concatenate with other runs."""
        write_csv(path, self.tidy_rows(model, by=by, seed=seed, source=source), inputs=inputs)

    def format_text(self, by: str = "length,position", supervised: int | None = None) -> str:
        """The human-readable report `synth eval` prints (see synth.report.tables)."""
        return format_report(self, by, supervised)


def chain_depths(sentence: Sentence) -> dict[str, int] | None:
    """Depth of each variable along the chain (root = 1), or None if the sentence has none.

    A chain's depths come from tasks.lego.solve's walk (memoized: the
    reader's check has usually just made it), other shapes (trees) from
    `_tree_depths`. A variable defined twice, an undefined operand or a cycle
    gives None: such a sentence is still scored overall and by length, not by
    position. A fresh dict (the scorer reads the walk's own, uncopied).
    """
    depth = chain_positions(sentence)
    return dict(depth) if depth is not None else _tree_depths(sentence)


def _tree_depths(sentence: Sentence) -> dict[str, int] | None:
    """Depths by climbing from each variable to the root (memoized); None for a variable defined twice,
    an undefined operand or a cycle. Agrees with the reference solver's walk on every well-formed sentence (tested)."""
    parent: dict[str, str | None] = {}
    for c in sentence.clauses:
        if c.lhs in parent:
            return None
        parent[c.lhs] = c.rhs
    depth: dict[str, int] = {}
    limit = len(parent)
    for x in parent:
        if x in depth:
            continue
        path: list[str] = []
        y: str | None = x
        while True:
            if y is None:
                d = 0
                break
            if y in depth:
                d = depth[y]
                break
            if y not in parent or len(path) > limit:
                return None
            path.append(y)
            y = parent[y]
        for v in reversed(path):
            d += 1
            depth[v] = d
    return depth


@dataclass
class Scorer:
    """Accumulates counts, one record at a time; `report()` freezes them.

    The only counters are labels counted and labels wrong per (length,
    position) cell, and whole sentences per length; every other figure is a
    sum of those, so the breakdowns always add up. Counting "wrong" rather
    than "right" makes the usual label (answered, right) one increment.
    """

    query_only: bool = False  # score only each record's query variable (Kazemnejad et al. score one question)
    partial: bool = False  # leave unanswered labels out of the counts instead of counting them wrong
    _counted: dict[int, dict[int, int]] = field(default_factory=dict)  # length -> position -> labels scored (position 0: none)
    _wrong: dict[int, dict[int, int]] = field(default_factory=dict)  # length -> position -> labels scored wrong
    _sentences: dict[int, list[int]] = field(default_factory=dict)  # length -> [whole sentences right, scored]
    records: int = 0
    unlabelled: int = 0
    failed: int = 0
    no_position: int = 0
    unanswered: int = 0
    unanswered_sentences: int = 0  # records with an unanswered label and no wrong one, left out of whole sentences (partial only)
    no_query: int = 0  # records query_only could not score: they have no query

    def add(
        self, sentence: Sentence, labels: Mapping[str, Elem], prediction: Prediction | None, query: str | None = None
    ) -> None:
        """Score one record; `prediction` None means the predictor failed on it.

        A failed record's labels are wrong, never unanswered: `partial` leaves
        out labels an answer lacks, not the labels of a record the predictor failed on.
        With `query_only`, a record without a query is counted in `no_query`
        and not scored: its labels are not its query's.
        """
        self.records += 1
        failed = prediction is None
        if prediction is None:
            self.failed += 1
            prediction = {}
        labelled = bool(labels)
        if not labelled:  # before the query filter, so that "N labelled" counts records with a label, query or not
            self.unlabelled += 1
        if self.query_only:
            if query is None:
                self.no_query += 1
                return
            labels = {query: labels[query]} if query in labels else {}
        if not labels:
            if labelled:  # labels, but none on its query: unlabelled for the query's metric
                self.unlabelled += 1
            return
        n = len(sentence.clauses)
        depth = chain_positions(sentence)  # `chain_depths`, not copied
        if depth is None:
            depth = _tree_depths(sentence)
            if depth is None:
                self.no_position += 1
                depth = {}
        counted = self._counted.get(n)
        if counted is None:
            counted = self._counted[n] = {}
        get = prediction.get
        where = depth.get
        wrong = skipped = 0
        for var, want in labels.items():
            got = get(var)
            d = where(var, 0)
            if got is not want and not got == want:  # got == want: an equal element that is not the shared one
                if got is None and not failed:
                    self.unanswered += 1
                    if self.partial:
                        skipped += 1
                        continue
                wrong += 1
                row = self._wrong.get(n)
                if row is None:
                    row = self._wrong[n] = {}
                row[d] = row.get(d, 0) + 1
            counted[d] = counted.get(d, 0) + 1
        if skipped and not wrong:  # every answer right but not every label answered: undecided, left out
            self.unanswered_sentences += 1
        else:
            cell = self._sentences.get(n)
            if cell is None:
                cell = self._sentences[n] = [0, 0]
            cell[0] += not wrong
            cell[1] += 1

    def add_cells(self, length: int, per_position: Sequence[Count], sentences: Count) -> None:
        """Add counts made elsewhere (e.g. vectorized over arrays): per chain position 1.., and whole sentences."""
        counted = self._counted.setdefault(length, {})
        wrong = self._wrong.setdefault(length, {})
        for d, c in enumerate(per_position, 1):
            counted[d] = counted.get(d, 0) + c.total
            wrong[d] = wrong.get(d, 0) + c.total - c.correct
        cell = self._sentences.setdefault(length, [0, 0])
        cell[0] += sentences.correct
        cell[1] += sentences.total
        self.records += sentences.total

    def add_no_query(self, records: int) -> None:
        """Count `records` that have no query, as `add` does one by one with `query_only` (the paper's arrays have none)."""
        self.records += records
        self.no_query += records

    def merge(self, other: Scorer) -> None:
        """Add another scorer's counts (for work split across processes)."""
        for mine, theirs in ((self._counted, other._counted), (self._wrong, other._wrong)):
            for n, row in theirs.items():
                into = mine.setdefault(n, {})
                for d, k in row.items():
                    into[d] = into.get(d, 0) + k
        for n, (c, t) in other._sentences.items():
            cell = self._sentences.setdefault(n, [0, 0])
            cell[0] += c
            cell[1] += t
        self.records += other.records
        self.unlabelled += other.unlabelled
        self.failed += other.failed
        self.no_position += other.no_position
        self.unanswered += other.unanswered
        self.unanswered_sentences += other.unanswered_sentences
        self.no_query += other.no_query

    def report(self) -> Report:
        by_length: dict[int, Count] = {}
        by_position: dict[int, Count] = {}
        cross: dict[tuple[int, int], Count] = {}
        for n, row in sorted(self._counted.items()):
            wrong = self._wrong.get(n, {})
            for d, t in sorted(row.items()):
                count = Count(t - wrong.get(d, 0), t)
                by_length[n] = by_length.get(n, EMPTY) + count
                if d:
                    by_position[d] = by_position.get(d, EMPTY) + count
                    cross[(n, d)] = count
        sent = {n: Count(c, t) for n, (c, t) in sorted(self._sentences.items())}
        return Report(
            overall=total(by_length.values()),
            by_length=by_length,
            by_position=dict(sorted(by_position.items())),
            by_length_position=cross,
            sentence_accuracy=total(sent.values()),
            sentence_by_length=sent,
            records=self.records,
            unlabelled=self.unlabelled,
            failed=self.failed,
            no_position=self.no_position,
            unanswered=self.unanswered,
            partial=self.partial,
            unanswered_sentences=self.unanswered_sentences,
            metric=QUERY if self.query_only else LABEL,
            no_query=self.no_query,
        )


UNSPLIT = "records"  # the split name of records from files that have no splits (record files, arrays)


@dataclass(frozen=True)
class Failed:
    """One record the program raised on: where it is (FILE:LINE; FILE record K where lines are unknown) and the error."""

    where: str
    error: str


@dataclass(frozen=True)
class RunFailures:
    """The records a program raised on, out of all it ran on: `synth eval` says so in one line and exits 1.

    A wrong answer is a score; a run that raised is the program's failure,
    scored as wrong and reported apart, as `synth invariance` does.
    """

    failed: int
    records: int
    first: Failed
    noun: str = "record"  # what `records` counts: LEGO records, or a task file's examples

    def message(self) -> str:
        error = " ".join(self.first.error.split())
        return (
            f"the program failed (a run-time error) on {self.failed:,} of {counted(self.records, self.noun)}, scored as wrong; "
            f"the first at {self.first.where}: {shorten(error, ERROR_CHARS)}"
        )


@dataclass(frozen=True)
class SplitReport:
    """The report of one split of the data: "train" or "test" of a LEGO task file, or UNSPLIT for record files."""

    split: str
    report: Report


@dataclass(frozen=True)
class SplitReports:
    """`synth eval`'s result: one report per split, in order of first appearance.

    A LEGO task file's train and test are scored apart: a synthesized
    program fits its training records by construction, so pooling them with
    the test records would inflate the score. Data without splits gives one
    report, shown exactly as before (no split named).
    """

    parts: tuple[SplitReport, ...]
    first_failure: Failed | None = None  # the first record the program raised on, if any

    def run_failures(self) -> RunFailures | None:
        """The records the program raised on (None if it ran on every one)."""
        failed = sum(p.report.failed for p in self.parts)
        if not failed or self.first_failure is None:
            return None
        return RunFailures(failed, sum(p.report.records for p in self.parts), self.first_failure)

    @property
    def split(self) -> bool:
        """Whether any split is named (the data had a task file)."""
        return any(p.split != UNSPLIT for p in self.parts)

    def to_dict(self) -> dict[str, Any]:
        if not self.split:
            return self.parts[0].report.to_dict()
        return {"splits": {p.split: p.report.to_dict() for p in self.parts}}

    def format_text(self, by: str = "length,position", supervised: int | None = None) -> str:
        if not self.split:
            return self.parts[0].report.format_text(by, supervised)
        blocks = [f"split {p.split}:\n" + "\n".join("  " + x for x in p.report.format_text(by, supervised).splitlines()) for p in self.parts]
        return "\n".join(blocks)

    def to_csv(
        self, path: str | os.PathLike | IO[str], model: str = "synth", *, by: str = "length,position",
        inputs: Iterable[str | os.PathLike] = (), data: str = "",
    ) -> None:
        """Tidy CSV rows of every split, `source` naming it as task files of other families do: DATA#train
        (`data` the one data file; just the split when several were pooled; "" for data without splits)."""
        def source(split: str) -> str:
            return "" if split == UNSPLIT else f"{data}#{split}" if data else split

        rows = [r for p in self.parts for r in p.report.tidy_rows(model, by=by, source=source(p.split))]
        write_csv(path, rows, inputs=inputs)


@dataclass
class SplitScorers:
    """One `Scorer` per split (see `SplitReports`); records of files without splits go to UNSPLIT."""

    query_only: bool = False
    scorers: dict[str, Scorer] = field(default_factory=dict)
    first_failure: Failed | None = None  # set by `evaluate_readers`

    def of(self, split: str | None) -> Scorer:
        name = split or UNSPLIT
        scorer = self.scorers.get(name)
        if scorer is None:
            scorer = self.scorers[name] = Scorer(query_only=self.query_only)
        return scorer

    @property
    def records(self) -> int:
        return sum(s.records for s in self.scorers.values())

    def report(self) -> SplitReports:
        if not self.scorers:
            self.of(None)
        return SplitReports(tuple(SplitReport(name, s.report()) for name, s in self.scorers.items()), self.first_failure)


def attempt_prediction(predictor: SentencePredictor, sentence: Sentence) -> Prediction | DslRuntimeError:
    """The predictor's answer, or the run-time error it raised (a cycle, an undefined key), for the caller to report."""
    try:
        return predictor(sentence)
    except DslRuntimeError as err:
        return err


def predict_safely(predictor: SentencePredictor, sentence: Sentence) -> Prediction | None:
    """The predictor's answer, or None if it failed at run time (a cycle, an undefined key)."""
    answer = attempt_prediction(predictor, sentence)
    return None if isinstance(answer, DslRuntimeError) else answer


def evaluate(
    records: Iterable[LegoRecord],
    predictor: SentencePredictor,
    *,
    on_prediction: Callable[[LegoRecord, Prediction | None], None] | None = None,
    progress: Progress | None = None,
    query_only: bool = False,
    scorer: Scorer | None = None,
) -> Report:
    """Run `predictor` on each record's sentence and score it; streams `records` once.

    Pass your own `scorer` to keep the counts of the records read before an
    error or an interrupt (its `report()` is the partial result).
    """
    scorer = scorer if scorer is not None else Scorer(query_only=query_only)
    add = scorer.add
    for record in records:
        pred = predict_safely(predictor, record.sentence)
        add(record.sentence, record.labels, pred, record.query)
        if on_prediction is not None:
            on_prediction(record, pred)
        if progress is not None:
            progress.tick()
    return scorer.report()


def open_data(path: str, *, skip_bad: bool = False, on_skip: Callable[[Any], None] | None = None, supervised: int | None = None) -> Any:
    """The records of a data file: the paper's arrays for `.npz` (synth.report.paper), else any format tasks.lego.io reads.

    A file without a single record is an error once read ("no records in
    FILE"): scoring nothing would pass for a perfect score.
    """
    if path.endswith(".npz"):
        from synth.report.paper import read_paper_npz
        from tasks.filekinds import refuse_npz_of_other_kind

        refuse_npz_of_other_kind(path, "data")
        data = read_paper_npz(path, supervised=supervised)
        if len(data) == 0:  # as for every other format (and as `synth validate` says of it)
            raise UserError(f"no records in {path} (the arrays have no rows)")
        return data
    from tasks.lego.io import read_records

    return read_records(path, skip_bad=skip_bad, on_skip=on_skip, require=True)


class _HeldSignals:
    """Ctrl-C and SIGTERM held while a record is scored and its prediction written, delivered right after.

    An interrupt landing between the two (or inside either) would leave a
    record scored but not written, or half counted: the partial report and
    the kept predictions would then be over different records. Only signals
    whose handler is a Python function (Ctrl-C's KeyboardInterrupt, the CLI's
    SIGTERM) are held, and only in the main thread; elsewhere nothing changes.
    Holding is a flag set per record, not a system call.
    """

    def __init__(self) -> None:
        self.holding = False
        self.pending: list[tuple[Callable[[int, FrameType | None], Any], int]] = []
        self.previous: dict[int, Any] = {}

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        handler = self.previous[signum]
        if self.holding:
            self.pending.append((handler, signum))
        else:
            handler(signum, frame)

    def drop(self) -> None:
        """Leave the held section without delivering: an error is already on its way out."""
        self.holding = False
        self.pending.clear()

    def release(self) -> None:
        """Leave the held section; deliver what arrived in it (the first handler's exception goes on)."""
        self.holding = False
        if self.pending:
            handler, signum = self.pending[0]
            self.pending.clear()
            handler(signum, None)

    @contextlib.contextmanager
    def installed(self) -> Iterator[_HeldSignals]:
        try:
            with signals_taken(self._handle) as self.previous:
                yield self
        finally:
            self.previous = {}


def evaluate_readers(
    readers: Iterable[Iterable[LegoRecord]],
    predictor: SentencePredictor,
    scorer: SplitScorers,
    *,
    write: Callable[[str], Any] | None = None,
    progress: Progress | None = None,
) -> SplitReports:
    """`synth eval`'s loop: run the predictor on every record of every reader, score by split, and optionally write predictions.

    `write` receives one JSONL line (with its newline) per record, values in
    the notation of the record's own file, and the record's split if its file
    has splits. The counts live in `scorer`, so after an error or Ctrl-C the
    caller still has the partial result; so does the first record the
    predictor raised on (`scorer.first_failure`).
    """
    with _HeldSignals().installed() as held:
        _evaluate_readers(readers, predictor, scorer, write, progress, held)
    return scorer.report()


def _evaluate_readers(
    readers: Iterable[Iterable[LegoRecord]],
    predictor: SentencePredictor,
    scorer: SplitScorers,
    write: Callable[[str], Any] | None,
    progress: Progress | None,
    held: _HeldSignals,
) -> None:
    # The split's scorer looked up when the split changes, not per record: this loop runs once per record of files of millions.
    tick = progress.tick if progress is not None else None
    for reader in readers:
        split: str | None = None
        add = None  # the scorer of `split`'s add, looked up at the first record and when the split changes
        for number, record in enumerate(reader, 1):
            sentence = record.sentence
            answer = attempt_prediction(predictor, sentence)
            pred = None if isinstance(answer, DslRuntimeError) else answer
            here = getattr(reader, "split", None)  # a task file's reader moves from train to test
            if add is None or here != split:
                split = here
                add = scorer.of(here).add
            line = None
            if write is not None:
                line = prediction_json(record, pred, notation_of(reader), split, None if pred is not None else str(answer)) + "\n"
            held.holding = True  # scored and written together, and never half counted: an interrupt waits for both
            try:
                if pred is None and scorer.first_failure is None:
                    scorer.first_failure = Failed(_where(reader, number), str(answer))
                add(sentence, record.labels, pred, record.query)
                if line is not None and write is not None:
                    write(line)
            except BaseException:
                held.drop()  # this error stops the run already
                raise
            held.release()
            if tick is not None:
                tick()


def _where(reader: Any, number: int) -> str:
    """FILE:LINE of the record `reader` yielded last (its `number`-th), or `FILE record K` for readers without lines (arrays)."""
    where = getattr(reader, "where", None)
    if where is not None:
        return str(where())
    return f"{getattr(reader, 'source', None) or getattr(reader, 'name', None) or 'data'} record {number}"


def score(pairs: Iterable[tuple[LegoRecord, Prediction | None]], query_only: bool = False, partial: bool = False) -> Report:
    """Score predictions made elsewhere: (record, prediction) pairs, streamed once."""
    scorer = Scorer(query_only=query_only, partial=partial)
    for record, pred in pairs:
        scorer.add(record.sentence, record.labels, pred, record.query)
    return scorer.report()


# --- values in JSON ---------------------------------------------------------


def notation_of(reader: Any) -> str:
    """The value notation of the record a data file's reader last read: its sentence's syntax, or `kazemnejad`.

    Predictions are read and written in the notation of the data they are
    about, record by record, as its labels are: official 0/1, signs +1/-1,
    readable element names (integers for Z<n>), and for Kazemnejad et al.
    data +1/-1 or their truth values "1"/"0". (A file mixing syntaxes mixes
    notations; each record's own is the one its labels were read in.)
    """
    fixed = getattr(reader, "notation", None)
    if isinstance(fixed, str):
        return fixed
    syntax = getattr(reader, "syntax", None)
    return syntax if isinstance(syntax, str) else "readable"


def value_to_json(value: Elem, notation: str = "readable", group: Group | None = None) -> int | str:
    """A predicted value in the data's notation (Kazemnejad data: +1/-1), another `group`'s element with its group; see synth.report.userio.to_user."""
    return to_user(value, notation, group)


def value_from_json(obj: Any, group: Group, notation: str, where: str) -> Elem:
    """Read one predicted value of `group` written in `notation` (see `notation_of`); "Z2:1" always works.

    "G:name" of another group is that group's element: an answer, wrong for
    every label of `group` (as eval scores a program that answers it), not a malformed file.
    """
    if isinstance(obj, str) and ":" in obj:
        gname = obj.strip().partition(":")[0]
        if gname != group.name and is_group_name(gname):
            try:
                return parse_elem(obj.strip())
            except UserError as err:
                raise UserError(f"{where}: {err.message}") from None
    return to_element(obj, group, notation, where)


def prediction_json(
    record: LegoRecord, prediction: Prediction | None, notation: str = "readable", split: str | None = None, error: str | None = None
) -> str:
    """One JSONL line of predictions: {"id": ..., "split": ..., "labels": {var: value}}, variables in clause order.

    `split` ("train"/"test", for a record of a task file) lets a reader keep
    the lines of the split it scores (synth.report.compare). A failed
    prediction (None) is `{"labels": {}, "error": ...}`, with `error` (the
    run-time error) on one line and shortened, so the file says why.
    """
    obj: dict[str, Any] = {}
    if record.id is not None:
        obj["id"] = record.id
    if split is not None:
        obj["split"] = split
    labels = {}
    if prediction is not None:
        for var in record.sentence.variables:
            if var in prediction:
                labels[var] = value_to_json(prediction[var], notation, record.sentence.group)
    obj["labels"] = labels
    if prediction is None:
        obj["error"] = shorten(" ".join(error.split()), ERROR_CHARS) if error else "the program failed on this sentence"
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
        # Clause.dsl_record is made once per clause, and the readers share clauses: no conversion per record.
        out = self._run({"clauses": tuple([c.dsl_record for c in sentence.clauses])})
        if out.__class__ is MapValue:
            return out.items_  # its plain dict: lookups at C speed (the scorer makes one per label)
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
