"""Scoring other models' predictions on the same data, side by side with the program.

A predictions file is JSONL, one object per data record: `{"labels": {...}}`
either in the data's order, or each with the `"id"` of its record (then in
any order). Values are in the data's notation (see synth.report.evaluate.notation_of).
Every mismatch is a UserError naming the file and line: a bad JSON line, a
record without a prediction, an extra prediction, a duplicate id.

Scoring is the same Scorer as `synth eval`, so columns are comparable.
Positional predictions stream alongside the data; id-keyed ones are indexed
first (one small dict entry per line).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Iterable, Iterator, Mapping, Sequence

from dsl.errors import Pos, UserError
from dsl.files import iter_lines, loads_json
from dsl.groups import Elem
from synth.report.evaluate import (
    Progress,
    Report,
    Scorer,
    SentencePredictor,
    _write_csv,
    notation_of,
    predict_safely,
    value_from_json,
)
from synth.report.reference import Published, References
from tasks.lego.sentence import LegoRecord

PROGRAM_NAME = "program"


@dataclass(frozen=True)
class PredictionLine:
    """One line of a predictions file, parsed but not yet decoded (values need the record's group)."""

    line: int
    id: str | None
    labels: Mapping[str, Any]


def read_prediction_lines(path: str | os.PathLike, stream: IO[str] | None = None) -> Iterator[PredictionLine]:
    """The non-blank lines of a predictions file, checked for shape; errors name file:line."""
    name = os.fspath(path)
    lines = iter_lines(path) if stream is None else enumerate(stream, 1)
    try:
        for lineno, raw in lines:
            if not raw.strip():
                continue
            try:
                obj = loads_json(raw, file=name, line=lineno)
            except UserError as err:
                raise UserError(f"bad JSON line: {err.message}", file=name, pos=err.pos) from None
            if not isinstance(obj, dict) or not isinstance(obj.get("labels"), dict):
                raise UserError(
                    'each line must be an object with "labels": {variable: value, ...}', file=name, pos=Pos(lineno, 1)
                )
            rid = obj.get("id")
            if rid is not None and not isinstance(rid, (str, int)):
                raise UserError('"id" must be a string or an integer', file=name, pos=Pos(lineno, 1))
            yield PredictionLine(lineno, None if rid is None else str(rid), obj["labels"])
    finally:
        close = getattr(lines, "close", None)
        if stream is None and close is not None:
            close()


def decode(line: PredictionLine, record: LegoRecord, notation: str, file: str) -> dict[str, Elem]:
    """The prediction's values as group elements of the record's sentence."""
    group = record.sentence.group
    out = {}
    for var, raw in line.labels.items():
        try:
            out[str(var)] = value_from_json(raw, group, notation, f"variable {var!r}")
        except UserError as err:
            raise UserError(err.message, file=file, pos=Pos(line.line, 1)) from None
    return out


class Aligner:
    """Matches one predictions file to the data records, in order or by id.

    The mode is decided by the first line: with an "id" the file is keyed by
    id (every line must have one), otherwise positional (none may have one...
    or all do and they agree with the order, which is also fine).
    """

    def __init__(self, path: str | os.PathLike, name: str) -> None:
        self.path = os.fspath(path)
        self.name = name
        self._lines = read_prediction_lines(path)
        self._first = next(self._lines, None)
        self.keyed = self._first is not None and self._first.id is not None
        self._index: dict[str, PredictionLine] | None = None
        self._count = 0
        self._last_line = 0
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
                    f"duplicate prediction for id {pl.id!r} (first on line {index[pl.id].line})",
                    file=self.path,
                    pos=Pos(pl.line, 1),
                )
            index[pl.id] = pl
        self._index = index

    def take(self, record: LegoRecord, number: int, notation: str) -> dict[str, Elem]:
        """The prediction for the `number`-th (1-based) data record."""
        self._count += 1
        if self._index is not None:
            if record.id is None:
                raise UserError(
                    f"{self.path} keys predictions by id, but data record {number} has no id; "
                    "write predictions in the data's order instead"
                )
            pl = self._index.pop(record.id, None)
            if pl is None:
                raise UserError(f"{self.path}: no prediction for data record {number} (id {record.id!r})")
            return decode(pl, record, notation, self.path)
        pl = self._first if self._count == 1 else next(self._lines, None)
        if pl is None:
            have = self._count - 1
            raise UserError(
                f"missing prediction: the file ends after {have} prediction(s) (line {self._last_line}), "
                f"but the data has more: no prediction for data record {number}"
                + (f" (id {record.id!r})" if record.id else ""),
                file=self.path,
                pos=Pos(self._last_line + 1, 1),
            )
        self._last_line = pl.line
        if pl.id is not None and record.id is not None and pl.id != record.id:
            raise UserError(
                f"prediction is for id {pl.id!r}, but data record {number} has id {record.id!r}",
                file=self.path,
                pos=Pos(pl.line, 1),
            )
        return decode(pl, record, notation, self.path)

    def finish(self, records: int) -> None:
        """Raise if predictions are left over once the data is exhausted."""
        if self._index is not None:
            if self._index:
                pl = min(self._index.values(), key=lambda p: p.line)
                raise UserError(
                    f"extra prediction: id {pl.id!r} matches no data record ({len(self._index)} such line(s))",
                    file=self.path,
                    pos=Pos(pl.line, 1),
                )
            return
        if records == 0 and self._first is not None:
            pl = self._first
        else:
            pl = next(self._lines, None)
        if pl is not None:
            raise UserError(
                f"extra prediction: the data has only {records} record(s)", file=self.path, pos=Pos(pl.line, 1)
            )


def _chain1(first: PredictionLine, rest: Iterable[PredictionLine]) -> Iterator[PredictionLine]:
    yield first
    yield from rest


@dataclass(frozen=True)
class Comparison:
    """Reports of several predictors on the same data, plus published figures."""

    reports: Mapping[str, Report]  # column name -> report, in column order
    published: tuple[Published, ...] = ()
    references: References | None = None

    def table(self, by: str = "length") -> tuple[list[str], list[list[Any]]]:
        """Header and rows: one row per length or position, one accuracy column per model.

        Published columns (figures by length) follow the models; a cell with
        no figure is None. The `labels` column counts the scored labels.
        """
        keys: set[int] = set()
        for rep in self.reports.values():
            keys.update(k for k, _ in rep.rows(by))
        pubs = [p for p in self.published if p.by_length] if by == "length" else []
        for p in pubs:
            keys.update(p.by_length or {})
        header = [by, "labels"] + list(self.reports) + [p.label() for p in pubs]
        rows = []
        for k in sorted(keys):
            counts = [dict(rep.rows(by)).get(k) for rep in self.reports.values()]
            count = next((a.count for a in counts if a is not None), 0)
            row: list[Any] = [k, count]
            row += [None if a is None else a.fraction for a in counts]
            row += [(p.by_length or {}).get(k) for p in pubs]
            rows.append(row)
        return header, rows

    def summary_rows(self) -> list[list[Any]]:
        """Overall and whole-sentence accuracy per model."""
        return [[name, rep.overall, rep.sentence_accuracy] for name, rep in self.reports.items()]

    def format_text(self, by: str = "length") -> str:
        header, rows = self.table(by)
        n_fixed = 2 + len(self.reports)
        legend = [f"  pub{i + 1} = {h}" for i, h in enumerate(header[n_fixed:])]
        header = header[:n_fixed] + [f"pub{i + 1}" for i in range(len(header) - n_fixed)]
        cells = [header] + [[_cell(x) for x in row] for row in rows]
        widths = [max(len(str(r[i])) for r in cells) for i in range(len(header))]
        lines = ["  ".join(str(c).rjust(w) for c, w in zip(r, widths)) for r in cells]
        if legend:
            lines += ["published columns (figures by length from their own data and metric, not rerun here):"] + legend
        lines.append("")
        for name, overall, sent in self.summary_rows():
            lines.append(f"{name}: label accuracy {overall}, whole-sentence accuracy {sent}")
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
                what = "by length only: " + ", ".join(f"{n}: {v:g}" for n, v in sorted(p.by_length.items()))
            elif p.value is not None:
                what = f"overall {p.format_value()}" + (f" ({p.seeds} seeds)" if p.seeds else "")
            else:
                what = p.note or "-"
            out.append(f"  {p.source}: {p.model}: {what} [status: {p.status}]")
        if refs is not None:
            out.append("sources:")
            for key in sorted({p.source for p in self.published}):
                out.append(f"  {refs.describe_source(key)}")
            out.append("statuses:")
            for st in sorted({p.status for p in self.published}):
                out.append(f"  {st}: {refs.statuses[st]}")
            if by == "position":
                out.append("  (no per-position figures are published as numbers; the LEGO paper shows them in figures only)")
            out.append("  note: published figures come from other settings (see each source); they are not scores on this data.")
        return out

    def to_dict(self, by: str = "length") -> dict[str, Any]:
        header, rows = self.table(by)
        return {
            "by": by,
            "models": {name: rep.to_dict() for name, rep in self.reports.items()},
            "table": {"header": header, "rows": rows},
            "published": [p.to_dict() for p in self.published],
            "sources": {}
            if self.references is None
            else {
                k: {"citation": s.citation, "url": s.url, "where": s.where}
                for k, s in self.references.sources.items()
                if any(p.source == k for p in self.published)
            },
        }

    def to_csv(self, path: str | Path | IO[str], by: str = "length") -> None:
        """Long format: model, section, key, accuracy, correct, count, source, status.

        Models scored here have empty source and status "scored-here";
        published rows keep their source and status.
        """
        header = ["model", "section", "key", "accuracy", "correct", "count", "source", "status"]
        rows: list[list[Any]] = []
        for name, rep in self.reports.items():
            rows += [r + ["", "scored-here"] for r in rep.csv_rows(name)]
        for p in self.published:
            model = f"{p.source}: {p.model}"
            if p.by_length:
                rows += [[model, "length", n, v, "", "", p.source, p.status] for n, v in sorted(p.by_length.items())]
            elif p.value is not None:
                rows.append([model, "overall", "", p.value, "", "", p.source, p.status])
            else:
                rows.append([model, "note", "", "", "", "", p.source, p.status])
        _write_csv(path, header, rows)


def _cell(x: Any) -> str:
    if x is None:
        return "-"
    if isinstance(x, float):
        return f"{x:.4f}"
    return str(x)


def compare(
    records: Iterable[LegoRecord],
    predictions: Sequence[tuple[str, str | os.PathLike]],
    *,
    program: SentencePredictor | None = None,
    program_name: str = PROGRAM_NAME,
    published: Sequence[Published] = (),
    references: References | None = None,
    notation: str | None = None,
    reader: Any = None,
    progress: Progress | None = None,
    query_only: bool = False,
) -> Comparison:
    """Score every predictions file (and the program, if given) on `records`, in one pass.

    `notation` (or `reader`, to take it from the data file) says how
    prediction values are written; see synth.report.evaluate.notation_of.
    """
    names = [n for n, _ in predictions] + ([program_name] if program is not None else [])
    dup = {n for n in names if names.count(n) > 1}
    if dup:
        raise UserError(f"two columns are called {sorted(dup)[0]!r}; give each --predictions its own --name")
    aligners = [Aligner(path, name) for name, path in predictions]
    scorers = {n: Scorer(query_only=query_only) for n in names}
    count = 0
    fixed = notation
    for record in records:
        count += 1
        if fixed is None:
            fixed = notation_of(reader) if reader is not None else "readable"
        for al in aligners:
            scorers[al.name].add(record.sentence, record.labels, al.take(record, count, fixed), record.query)
        if program is not None:
            scorers[program_name].add(
                record.sentence, record.labels, predict_safely(program, record.sentence), record.query
            )
        if progress is not None:
            progress.tick()
    for al in aligners:
        al.finish(count)
    return Comparison({n: s.report() for n, s in scorers.items()}, tuple(published), references)
