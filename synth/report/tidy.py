"""The one CSV schema of every report: tidy rows, one per (model, seed, metric, length, position).

`synth eval --csv`, `synth compare --csv` and `Report.to_csv` all write these
columns, so files from different commands concatenate into one table:

model, seed, metric, length, position, correct, total, accuracy, ci_low, ci_high, std, source, status

- `length` and `position` are integers, empty when the row pools over them
  (an overall row has both empty; a by-length row has an empty position).
- `metric` says what is counted: `label_accuracy` (one unit per labelled
  variable), `sentence_accuracy` (one per sentence, right when every label
  is answered and right; with --allow-partial a sentence with an unanswered
  label is left out of its total, as the label is of `label_accuracy`), `query_accuracy` (one per sentence, its query variable only, as
  Kazemnejad et al. score), `exact_match` (one per example of a task file,
  right when the whole output is), `per_token_accuracy` (one per output
  token the paper's mask keeps, a Chomsky-suite task), or a published
  figure's own metric.
- `ci_low`/`ci_high` are the 95% Wilson interval of correct/total.
- `std` is the spread over seeds of a published figure (empty for counts).
- `source` is where a row comes from (a data file, `FILE#train` or
  `FILE#test` for one split of a task file, or a paper's key);
  `status` is `scored-here` for rows counted by lego-synth, else the
  published figure's status (verified, unverified, ...).
"""

from __future__ import annotations

import csv
import numbers
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from dsl.errors import UserError
from dsl.files import atomic_output
from synth.report.counts import Count

COLUMNS = (
    "model", "seed", "metric", "length", "position", "correct", "total",
    "accuracy", "ci_low", "ci_high", "std", "source", "status",
)  # fmt: skip
SCORED_HERE = "scored-here"
LABEL = "label_accuracy"
SENTENCE = "sentence_accuracy"
QUERY = "query_accuracy"
EXACT = "exact_match"
TOKEN = "per_token_accuracy"


@dataclass(frozen=True)
class TidyRow:
    """One figure: a count scored here, or a published value (count None)."""

    model: str
    metric: str
    count: Count | None = None
    value: float | None = None  # a published figure (when count is None)
    length: int | None = None
    position: int | None = None
    seed: int | None = None
    std: float | None = None
    source: str = ""
    status: str = SCORED_HERE

    def __post_init__(self) -> None:
        """Cells checked as the row is made, so a bad `seed=` of `Report.to_csv` is one UserError naming it
        (it was a ValueError from int() as the file was written, and a seed of 1.5 was written as 1)."""
        for name in ("seed", "length", "position"):
            object.__setattr__(self, name, whole_or_none(getattr(self, name), name))
        for name in ("model", "metric", "source", "status"):
            value = getattr(self, name)
            if not isinstance(value, str):
                raise UserError(f"{name} must be a string, not {type(value).__name__} {value!r}")

    @property
    def accuracy(self) -> float | None:
        return self.count.accuracy if self.count is not None else self.value

    def cells(self) -> list[str]:
        """The row as CSV cells; None is an empty cell, floats keep 6 decimals."""
        ci = self.count.wilson() if self.count is not None else None
        return [
            self.model,
            _int(self.seed),
            self.metric,
            _int(self.length),
            _int(self.position),
            "" if self.count is None else str(self.count.correct),
            "" if self.count is None else str(self.count.total),
            _float(self.accuracy),
            "" if ci is None else _float(ci[0]),
            "" if ci is None else _float(ci[1]),
            _float(self.std),
            self.source,
            self.status,
        ]


def whole_or_none(value: Any, name: str) -> int | None:
    """`value` as an int: a whole number (numpy's too; not a bool) or None, else a UserError naming the parameter."""
    if value is None:
        return None
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return int(value)
    raise UserError(f"{name} must be a whole number or None, not {type(value).__name__} {value!r}")


def _int(x: int | None) -> str:
    return "" if x is None else str(int(x))


def _float(x: float | None) -> str:
    return "" if x is None else f"{x:.6f}"


def write_rows(stream: IO[str], rows: Iterable[TidyRow]) -> int:
    """Header and rows to an open text stream; returns the number of rows."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(COLUMNS)
    n = 0
    for row in rows:
        writer.writerow(row.cells())
        n += 1
    return n


def write_csv(path: str | os.PathLike | IO[str], rows: Iterable[TidyRow], *, inputs: Iterable[str | os.PathLike] = ()) -> int:
    """Write tidy rows to a path (atomically; refused if it is one of `inputs`) or to an open stream."""
    if isinstance(path, (str, bytes, os.PathLike)):
        with atomic_output(os.fsdecode(path), inputs=inputs, newline="") as f:
            return write_rows(f, rows)
    if not callable(getattr(path, "write", None)):
        raise UserError(f"to_csv takes a path (a str or a pathlib.Path) or an open text file, not {type(path).__name__}")
    return write_rows(path, rows)


def read_csv(path: str | os.PathLike) -> Iterator[dict[str, object]]:
    """Rows of a tidy CSV with typed cells: ints for seed/length/position/correct/total, floats, None for empty."""
    ints = {"seed", "length", "position", "correct", "total"}
    floats = {"accuracy", "ci_low", "ci_high", "std"}
    with open(path, newline="", encoding="utf-8") as f:
        for raw in csv.DictReader(f):
            row: dict[str, object] = {}
            for k, v in raw.items():
                if v == "" and (k in ints or k in floats):
                    row[k] = None
                elif k in ints:
                    row[k] = int(v)
                elif k in floats:
                    row[k] = float(v)
                else:
                    row[k] = v
            yield row
