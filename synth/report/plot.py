"""Figures for a paper (matplotlib: the optional extra `plot`).

Two kinds, both from a Comparison (one model per line, several seeds each):

- `length`: accuracy against sentence length (a task file's comparison,
  synth.report.taskcompare: against input length). One panel per metric, so
  Kazemnejad et al.'s one-query accuracy never shares an axis with label
  accuracy; each model's mean over seeds with its min-max spread shaded (or
  its 95% Wilson interval when there is one seed); training lengths shaded;
  the chance line dashed; published figures by length as open markers.
- `position`: accuracy against chain position, one panel per model, one line
  per length (darker = longer); supervised positions shaded.

Integer ticks, the legend outside the axes, size in inches and the format
from the file's suffix (pdf, svg, png) or `fmt`.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from dsl.errors import UserError
from dsl.files import atomic_output

INSTALL_HINT = "pip install 'lego-synth[plot]'"
FORMATS = ("pdf", "svg", "png")
KINDS = ("length", "position")
DEFAULT_SIZE = (6.0, 3.6)
METRIC_TITLES = {
    "label_accuracy": "label accuracy",
    "query_accuracy": "query accuracy",
    "sentence_accuracy": "sentence accuracy",
    "exact_match": "exact match",
    "per_token_accuracy": "per-token accuracy",
}
METRIC_NOTES = {
    "label_accuracy": "one unit per labelled variable",
    "query_accuracy": "one query variable per sentence (Kazemnejad et al.)",
    "sentence_accuracy": "every label of the sentence right",
    "exact_match": "the whole output right",
    "per_token_accuracy": "the output tokens the Chomsky paper's mask keeps",
}


def literal(text: str) -> str:
    """Text drawn as written: matplotlib reads `$...$` as math and fails on some (a model or task named `$x_$`)."""
    return text.replace("$", r"\$")


def pyplot() -> Any:
    """matplotlib.pyplot with a file-only backend, or a UserError saying how to install it."""
    try:
        matplotlib = importlib.import_module("matplotlib")
        matplotlib.use("Agg")
        return importlib.import_module("matplotlib.pyplot")
    except ImportError:
        raise UserError(f"plots need matplotlib, which is not installed; install it with: {INSTALL_HINT}") from None


# Suffixes that name a figure format (matplotlib's), each with the format it names: a name ending in one says what the file holds.
FIGURE_SUFFIXES = {
    "pdf": "pdf", "svg": "svg", "svgz": "svgz", "png": "png", "eps": "eps", "ps": "ps", "jpg": "jpeg", "jpeg": "jpeg",
    "tif": "tiff", "tiff": "tiff", "webp": "webp", "pgf": "pgf", "raw": "raw", "rgba": "rgba",
}  # fmt: skip


def plot_format(path: str | os.PathLike, fmt: str | None = None, format_option: str | None = None) -> str:
    """The figure format: `fmt`, else the file's suffix; one of FORMATS.

    A suffix naming another figure format than `fmt` is refused: PNG bytes in
    `f.pdf` make a file no PDF viewer opens. `format_option` is the command's
    option that gives a format (`--plot-format`), offered in the message only
    where the command has one (`suite report` has not).
    """
    suffix = os.path.splitext(os.fspath(path))[1].lstrip(".").lower()
    if fmt is not None and suffix in FIGURE_SUFFIXES and FIGURE_SUFFIXES[suffix] != fmt.lower():
        raise UserError(f"the name says {suffix}, but --plot-format says {fmt}: name the file .{fmt.lower()}, or drop --plot-format", file=os.fspath(path))
    chosen = (fmt or suffix).lower()
    if chosen not in FORMATS:
        alternative = f" (or give {format_option})" if format_option else ""
        raise UserError(f"cannot write a {chosen or 'suffix-less'} figure: name the file .pdf, .svg or .png{alternative}", file=os.fspath(path))
    return chosen


def _integer_axis(ax: Any) -> None:
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))


def _style(ax: Any, chance: float | None, ylabel: str) -> None:
    if chance is not None:
        ax.axhline(chance, color="0.4", linestyle="--", linewidth=0.9, label=f"chance ({chance:g})")
    ax.set_ylim(-0.02 if chance is None else min(chance, 0.0) - 0.02, 1.02)
    ax.set_ylabel(ylabel)
    ax.grid(True, alpha=0.25, linewidth=0.6)
    _integer_axis(ax)


def _spread(values: Sequence[float]) -> tuple[float, float, float]:
    return sum(values) / len(values), min(values), max(values)


# Per format, the metadata that would stamp the time of drawing (matplotlib warns of a key a format does not know).
_UNDATED = {"svg": {"Date": None}, "svgz": {"Date": None}, "pdf": {"CreationDate": None}, "ps": {"CreationDate": None}, "eps": {"CreationDate": None}}


@dataclass(frozen=True)
class Figure:
    """What both kinds of figure share: where, in what format and size, the chance level, and the inputs not to overwrite."""

    path: str | os.PathLike
    chance: float | None = None
    size: tuple[float, float] | None = None
    fmt: str | None = None
    dpi: int = 200
    inputs: Sequence[Any] = ()

    def panels(self, plt: Any, count: int) -> tuple[Any, Any]:
        w, h = self.size or DEFAULT_SIZE
        return plt.subplots(count, 1, figsize=(w, h * count), sharex=True, squeeze=False)

    def save(self, fig: Any, plt: Any) -> None:
        fmt = plot_format(self.path, self.fmt)
        try:
            # No date, and fixed SVG ids: the same data give the same bytes (a figure under version control, or compared).
            with atomic_output(self.path, inputs=self.inputs, binary=True) as f, plt.rc_context({"svg.hashsalt": "lego-synth"}):
                fig.savefig(f, format=fmt, dpi=self.dpi, bbox_inches="tight", metadata=_UNDATED.get(fmt))
        except ValueError as err:  # matplotlib's refusal of the figure itself (one too large for its renderer)
            raise UserError(f"cannot draw this figure: {err}", file=os.fspath(self.path)) from None
        finally:
            plt.close(fig)


def plot_by_length(comparison: Any, figure: Figure, train_lengths: Sequence[int] = ()) -> None:
    """Accuracy against sentence length, one panel per metric (see the module docstring)."""
    from synth.report.compare import published_metric

    plot_format(figure.path, figure.fmt)
    plt = pyplot()
    chance = figure.chance
    series: dict[str, list[tuple[str, list[Any]]]] = comparison.curves()
    pubs: dict[str, list[Any]] = {}
    for p in comparison.published:
        if p.by_length:
            pubs.setdefault(published_metric(p), []).append(p)
    metrics = [m for m in METRIC_TITLES if m in series or m in pubs] + sorted((set(series) | set(pubs)) - set(METRIC_TITLES))
    if not metrics:
        raise UserError("nothing to plot: no model scored and no published figure by length")
    fig, axes = figure.panels(plt, len(metrics))
    for ax, metric in zip(axes[:, 0], metrics):
        if train_lengths and metric in series:  # our training lengths; published figures had their own
            lo, hi = min(train_lengths), max(train_lengths)
            ax.axvspan(lo - 0.5, hi + 0.5, color="tab:blue", alpha=0.08, label="training lengths")
        for name, reps in series.get(metric, []):
            lengths = sorted({n for r in reps for n in r.by_length})
            xs, mean, low, high = [], [], [], []
            for n in lengths:
                vals = [r.by_length[n].accuracy for r in reps if n in r.by_length and r.by_length[n].accuracy is not None]
                if not vals:
                    continue
                m, lo_, hi_ = _spread(vals)
                if len(reps) == 1:
                    ci = reps[0].by_length[n].wilson()
                    lo_, hi_ = ci if ci is not None else (m, m)
                xs.append(n)
                mean.append(m)
                low.append(lo_)
                high.append(hi_)
            seeds = f" (mean of {len(reps)} seeds)" if len(reps) > 1 else ""
            (line,) = ax.plot(xs, mean, "-o", markersize=3.5, linewidth=1.4, label=literal(f"{name}{seeds}"))
            ax.fill_between(xs, low, high, color=line.get_color(), alpha=0.18, linewidth=0)
        for p in pubs.get(metric, []):
            pts = sorted((p.by_length or {}).items())
            ax.plot([a for a, _ in pts], [b for _, b in pts], ":s", markersize=3.5, markerfacecolor="none", linewidth=1.0, label=literal(f"{p.label()} (published)"))
        _style(ax, chance, METRIC_TITLES.get(metric, metric.replace("_", " ")))
        if metric in METRIC_NOTES:
            ax.set_title(METRIC_NOTES[metric], fontsize=8, loc="left")
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7, frameon=False)
    axes[-1, 0].set_xlabel(literal(comparison.length_axis))
    figure.save(fig, plt)


def plot_by_position(comparison: Any, figure: Figure, supervised: int | None = None) -> None:
    """Accuracy against chain position, one panel per model, one line per length (mean over seeds)."""
    plot_format(figure.path, figure.fmt)
    plt = pyplot()
    chance = figure.chance
    names = list(comparison.models)
    if not names:
        raise UserError("nothing to plot by position: no model was scored here (published figures have no positions)")
    fig, axes = figure.panels(plt, len(names))
    cmap = plt.get_cmap("viridis")
    for ax, name in zip(axes[:, 0], names):
        reps = comparison.models[name]
        lengths = sorted({n for r in reps for n in r.by_length})
        if supervised is not None:
            ax.axvspan(0.5, supervised + 0.5, color="tab:orange", alpha=0.1, label=f"supervised (1..{supervised})")
        for k, n in enumerate(lengths):
            positions = sorted({d for r in reps for (m, d) in r.by_length_position if m == n})
            xs, ys = [], []
            for d in positions:
                vals = [c.accuracy for c in (r.by_length_position.get((n, d)) for r in reps) if c is not None and c.accuracy is not None]
                if vals:
                    xs.append(d)
                    ys.append(sum(vals) / len(vals))
            colour = cmap(0.15 + 0.7 * k / max(1, len(lengths) - 1))
            ax.plot(xs, ys, "-o", markersize=2.5, linewidth=1.2, color=colour, label=f"n = {n}")
        metric = reps[0].metric
        _style(ax, chance, METRIC_TITLES.get(metric, metric))
        seeds = f", mean of {len(reps)} seeds" if len(reps) > 1 else ""
        ax.set_title(literal(f"{name}{seeds}"), fontsize=9, loc="left")
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7, frameon=False)
    top = max((d for reps in comparison.models.values() for r in reps for d in r.by_position), default=1)
    axes[-1, 0].set_xlim(0.5, top + 0.5)
    axes[-1, 0].set_xlabel("chain position (root = 1)")
    figure.save(fig, plt)


def plot(
    comparison: Any,
    path: str | os.PathLike,
    kind: str = "length",
    *,
    train_lengths: Sequence[int] = (),
    supervised: int | None = None,
    **figure: Any,
) -> None:
    """`plot_by_length` or `plot_by_position`; `figure` holds the Figure options (chance, size, fmt, dpi, inputs)."""
    if kind == "length":
        plot_by_length(comparison, Figure(path, **figure), train_lengths)
    elif kind == "position":
        plot_by_position(comparison, Figure(path, **figure), supervised)
    else:
        raise UserError(f"unknown plot kind {kind!r} (choose {', '.join(KINDS)})")


def parse_size(text: str | None) -> tuple[float, float] | None:
    """`--plot-size 6x4` (inches, width x height of one panel); not given is None, given empty is refused, not the default."""
    if text is None:
        return None
    if not text:
        raise UserError("--plot-size is empty (an unset shell variable?): give WIDTHxHEIGHT in inches, e.g. 6x3.5")
    parts = text.lower().replace(",", "x").split("x")
    try:
        w, h = (float(p) for p in parts)
    except ValueError:
        raise UserError(f"--plot-size {text!r}: give WIDTHxHEIGHT in inches, e.g. 6x3.5") from None
    if not (0 < w <= 50 and 0 < h <= 50):
        raise UserError(f"--plot-size {text!r}: each side between 0 and 50 inches")
    return w, h


def parse_lengths(specs: Sequence[str]) -> list[int]:
    """`--train-length 12` (repeatable) or a range `4-16`: the lengths named, a range by its two ends, sorted.

    The figure shades from the least to the greatest, so a range's inner
    lengths are not listed (1-1000000000 once filled 24 GB).
    """
    out: set[int] = set()
    for spec in specs:
        for part in spec.split(","):
            lo, dash, hi = part.strip().partition("-")
            try:
                a, b = int(lo), int(hi) if dash else int(lo)
            except ValueError:
                raise UserError(f"--train-length {spec!r}: give a length (12) or a range (4-16)") from None
            if a < 1 or b < a:
                raise UserError(f"--train-length {spec!r}: lengths are positive and ranges increase")
            out.update((a, b))
    return sorted(out)
