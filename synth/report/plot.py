"""Accuracy against sentence length, one line per model (matplotlib: optional extra `plot`)."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from dsl.errors import UserError
from dsl.files import atomic_output

INSTALL_HINT = "pip install 'lego-synth[plot]'"


def _pyplot() -> Any:
    """matplotlib.pyplot with a file-only backend, or a UserError saying how to install it."""
    try:
        matplotlib = importlib.import_module("matplotlib")
        matplotlib.use("Agg")
        return importlib.import_module("matplotlib.pyplot")
    except ImportError:
        raise UserError(f"--plot needs matplotlib, which is not installed; install it with: {INSTALL_HINT}") from None


def plot_comparison(comparison: Any, path: str | Path, by: str = "length") -> None:
    """Write a PNG of accuracy by length (or position): scored models solid, published dashed with their status."""
    plt = _pyplot()
    header, rows = comparison.table(by)
    fig, ax = plt.subplots(figsize=(7, 4.5))
    xs = [r[0] for r in rows]
    n_models = len(comparison.reports)
    for j, name in enumerate(header[2:]):
        col = 2 + j
        pts = [(x, r[col]) for x, r in zip(xs, rows) if r[col] is not None]
        if not pts:
            continue
        style = "-o" if j < n_models else "--s"
        ax.plot([p[0] for p in pts], [p[1] for p in pts], style, label=name, markersize=4)
    ax.set_xlabel("sentence length (variables)" if by == "length" else "chain position")
    ax.set_ylabel("label accuracy")
    ax.set_ylim(0, 1.02)
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=7, loc="lower left")
    if comparison.published:
        ax.set_title("published figures (dashed) come from their own settings; see --published", fontsize=8)
    fmt = Path(path).suffix.lower().lstrip(".")
    try:
        with atomic_output(path, binary=True) as stream:  # a PNG is whole or absent
            fig.savefig(stream, dpi=120, bbox_inches="tight", format=fmt if fmt in fig.canvas.get_supported_filetypes() else "png")
    except OSError as err:
        raise UserError(f"cannot write {path}: {err.strerror}") from None
    finally:
        plt.close(fig)
