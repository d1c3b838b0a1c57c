"""Checking data files and summarising them on one screen (`synth validate`).

Researchers run this on their own datasets before training, so it reads any
format tasks.lego.io reads, streams, and reports
either a short summary or every error with file, line and clause. Other
families' task files reach their own family through tasks.families.validate_file.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable

from dsl.errors import UserError
from dsl.files import counted
from tasks.lego.errors import LegoDataError
from tasks.lego.io import no_labels, read_records


@dataclass
class Summary:
    """What one file holds."""

    path: str
    family: str = "lego"
    format: str = ""
    records: int = 0
    skipped: int = 0
    lengths: Counter = field(default_factory=Counter)
    groups: Counter = field(default_factory=Counter)
    syntaxes: Counter = field(default_factory=Counter)
    labelled: int = 0
    variables: int = 0
    splits: Counter = field(default_factory=Counter)
    errors: list = field(default_factory=list)

    def lines(self) -> list[str]:
        """The human summary, a handful of lines."""
        out = [f"{self.path}: {counted(self.records, 'record' if self.family == 'lego' else 'example')} ({self.family}, {self.format or 'unknown format'})"]
        if self.splits:
            out.append("  splits:   " + ", ".join(f"{k} {v:,}" for k, v in sorted(self.splits.items())))
        if self.lengths:
            ls = sorted(self.lengths.elements()) if sum(self.lengths.values()) < 200_000 else None
            lo, hi = min(self.lengths), max(self.lengths)
            med = ls[len(ls) // 2] if ls else None
            common = ", ".join(f"{n} x{c:,}" for n, c in self.lengths.most_common(5))
            out.append(f"  lengths:  {lo}..{hi}" + (f" (median {med})" if med is not None else "") + f"; most common: {common}")
        if self.groups:
            out.append(("  group:    " if self.family == "lego" else "  task:     ") + ", ".join(f"{g} ({c:,})" for g, c in self.groups.most_common()))
        if self.syntaxes:
            out.append("  syntax:   " + ", ".join(f"{s} ({c:,})" for s, c in self.syntaxes.most_common()))
        if self.variables:
            out.append(f"  labelled: {self.labelled:,} of {self.variables:,} variables ({100.0 * self.labelled / self.variables:.1f}%)")
        if self.skipped:
            out.append(f"  skipped:  {counted(self.skipped, 'bad record')}")
        return out


def validate_file(path: str, *, skip_bad: bool = False, on_error: Callable[[UserError], None] | None = None, max_errors: int = 20) -> Summary:
    """Read every record of `path`; collect errors (all of them with skip_bad, else the first)."""
    summary = Summary(path)

    def skipped(err: LegoDataError) -> None:
        if len(summary.errors) < max_errors:
            summary.errors.append(err)
        if on_error is not None:
            on_error(err)

    reader = read_records(path, skip_bad=skip_bad, on_skip=skipped, require=True)
    train_labelled = 0
    try:
        for rec in reader:
            summary.records += 1
            n = len(rec.sentence)
            summary.lengths[n] += 1
            summary.groups[rec.sentence.group.name] += 1
            summary.labelled += len(rec.labels)
            summary.variables += n
            if reader.split:
                summary.splits[reader.split] += 1
                if reader.split == "train":
                    train_labelled += len(rec.labels)
        if reader.format == "task" and summary.splits["train"] and not train_labelled:
            raise no_labels(reader)  # what `synth solve` refuses (tasks.lego.io.read_task_file)
    except UserError as err:
        summary.errors.append(err)
    summary.format = reader.format or ""
    summary.syntaxes.update(reader.syntaxes)
    summary.skipped = len(reader.skipped)
    return summary


def summary_json(summary: Summary) -> str:
    return json.dumps({
        "path": summary.path, "family": summary.family, "format": summary.format,
        "records": summary.records, "skipped": summary.skipped,
        "lengths": {str(k): v for k, v in sorted(summary.lengths.items())},
        "groups": dict(summary.groups), "syntaxes": dict(summary.syntaxes),
        "labelled": summary.labelled, "variables": summary.variables,
        "errors": [str(e) for e in summary.errors],
    })
