"""Text tables of a report: by length, by position for each length, and the length x position grid.

The position breakdown is shown per length because pooling positions over
lengths hides the main effect of a length-generalization run (position 1 is
easy at the training length and not at twice it). Supervised positions (the
ones training had labels for, e.g. the paper's first 6 of 12) carry a `*`.
A `report` here is a synth.report.evaluate.Report (typed Any: evaluate
imports this module, not the other way round).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dsl.errors import UserError
from synth.report.counts import Count
from synth.report.paper import check_supervised

SUPERVISED_MARK = "*"

BREAKDOWNS = ("length", "position", "length,position")


def parse_by(text: Any, name: str = "by") -> str:
    """The breakdown `text` asks for, one of BREAKDOWNS ("position,length" is "length,position").

    `name` is the parameter as the caller knows it, for the message: `by`
    in the API (`by='bogus'`), the flag `--by` on the command line.
    """
    shown = f"{name} {text!r}" if name.startswith("-") else f"{name}={text!r}"
    if not isinstance(text, str):
        raise UserError(f"{shown}: choose length, position or length,position (a string)")
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if sorted(parts) == ["length", "position"]:
        return "length,position"
    if len(parts) == 1 and parts[0] in ("length", "position"):
        return parts[0]
    raise UserError(f"{shown}: choose length, position or length,position")


def grid(cells: Sequence[Sequence[Any]]) -> list[str]:
    """Right-aligned columns, two spaces apart."""
    text = [[_cell(x) for x in row] for row in cells]
    widths = [max(len(r[i]) for r in text) for i in range(len(text[0]))]
    return ["  ".join(c.rjust(w) for c, w in zip(r, widths)).rstrip() for r in text]


def _cell(x: Any) -> str:
    if x is None:
        return "-"
    if isinstance(x, float):
        return f"{x:.4f}"
    if isinstance(x, Count):
        return "-" if x.accuracy is None else f"{x.accuracy:.4f}"
    if isinstance(x, int):
        return f"{x:,}"
    return str(x)


def position_label(d: int, supervised: int | None) -> str:
    return f"{d}{SUPERVISED_MARK}" if supervised is not None and d <= supervised else str(d)


def ci_text(c: Count) -> str:
    ci = c.wilson()
    return "-" if ci is None else f"[{ci[0]:.3f}, {ci[1]:.3f}]"


def by_length_lines(report: Any) -> list[str]:
    rows: list[list[Any]] = [["length", "accuracy", "95% CI", "correct", "total"]]
    rows += [[n, c, ci_text(c), c.correct, c.total] for n, c in report.rows("length")]
    return grid(rows)


def by_position_lines(report: Any, supervised: int | None) -> list[str]:
    """Positions as rows, one accuracy column per length, then all lengths pooled."""
    lengths = report.lengths
    rows: list[list[Any]] = [["position"] + [f"n={n}" for n in lengths] + (["all"] if len(lengths) > 1 else []) + ["total"]]
    for d, pooled in report.rows("position"):
        row: list[Any] = [position_label(d, supervised)]
        row += [report.by_length_position.get((n, d)) for n in lengths]
        if len(lengths) > 1:
            row.append(pooled)
        rows.append(row + [pooled.total])
    return grid(rows)


def cross_lines(report: Any, supervised: int | None) -> list[str]:
    """Lengths as rows, positions as columns (the paper's per-position curves, one per length)."""
    positions = report.positions
    rows: list[list[Any]] = [["length"] + [position_label(d, supervised) for d in positions] + ["all"]]
    for n, c in report.rows("length"):
        rows.append([n] + [report.by_length_position.get((n, d)) for d in positions] + [c])
    return grid(rows)


def format_report(report: Any, by: str = "length,position", supervised: int | None = None) -> str:
    """Counts first, then the tables `by` asks for (see synth.report.evaluate.parse_by).

    `supervised` (positions 1..K marked `*`) is checked as paper_data checks it: a string would fail deep in the table.
    """
    by, supervised = parse_by(by), check_supervised(supervised)
    labelled = report.records - report.unlabelled
    lines = [f"records: {report.records:,} ({labelled:,} labelled, {report.unlabelled:,} unlabelled)"]
    if report.failed:
        lines.append(f"records where the predictor failed (scored as wrong): {report.failed:,}")
    if report.no_position:
        lines.append(f"records without chain positions (no root or a cycle): {report.no_position:,}")
    if report.no_query:
        lines.append(f"records without a query, not scored (query accuracy scores each record's query only): {report.no_query:,}")
    if report.unanswered:
        how = "left out of every figure (--allow-partial)" if report.partial else "counted as wrong"
        lines.append(f"labels without a prediction: {report.unanswered:,}, {how}")
    if report.unanswered_sentences:
        lines.append(f"sentences with an unanswered label and no wrong one, left out of whole-sentence accuracy (--allow-partial): {report.unanswered_sentences:,}")
    name = "query accuracy" if report.metric == "query_accuracy" else "label accuracy"
    lines.append(f"{name + ':':<25}{report.overall}  95% CI {ci_text(report.overall)}")
    if report.metric != "query_accuracy":
        lines.append(f"whole-sentence accuracy: {report.sentence_accuracy}")
    if by in ("length", "length,position") and report.by_length:
        lines += ["by sentence length:"] + ["  " + x for x in by_length_lines(report)]
    if by == "position" and report.by_position:
        lines += ["by chain position (root = 1), for each length:"] + ["  " + x for x in by_position_lines(report, supervised)]
    if by == "length,position" and report.by_position:
        lines += ["by length (rows) and chain position (columns, root = 1):"] + ["  " + x for x in cross_lines(report, supervised)]
    if supervised is not None and by != "length":
        lines.append(f"{SUPERVISED_MARK} supervised in training (positions 1..{supervised})")
    return "\n".join(lines)
