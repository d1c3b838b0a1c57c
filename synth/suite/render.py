"""The headline table as text, Markdown, LaTeX, CSV or a plot."""

from __future__ import annotations

import csv
import os
from typing import Any, Sequence

from dsl.errors import UserError
from dsl.files import atomic_output
from synth.report import plot as report_plot
from synth.report.reference import NEURAL_MODELS, NEURAL_SOURCE, load
from synth.suite.headline import HEADER, Found, Line


def _shown(lines: Sequence[Line]) -> tuple[list[str], list[list[str]]]:
    """Header and rows as display strings (solved as k/n, percentages to one decimal)."""
    header = [h for h in HEADER if h != "seeds"]
    header[header.index("solved")] = "solved / seeds"
    rows = []
    for line in lines:
        values = line.cells()
        seeds = values.pop(3)
        values[3] = f"{values[3]}/{seeds}"
        values[4] = f"{values[4]}/{seeds}"
        rows.append([_fmt(v, name) for v, name in zip(values, header)])
    return header, rows


def _fmt(value: Any, column: str) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.2f}" if column == "median CPU s" else f"{value:.0f}" if column == "peak MB" else f"{value:.1f}"
    return str(value)


def notes(lines: Sequence[Line]) -> list[str]:
    refs = load()
    used = sorted({p.status for line in lines for p in line.neural.values()})
    out = [
        "solved: a program exact on every test example; exact %: exact-match accuracy averaged over the test lengths "
        "(mean over seeds, and the best seed); a seed without a program scores 0.",
    ]
    if used:
        out.append(
            f"{', '.join(NEURAL_MODELS)}: per-token accuracy (%), test lengths 41..500 after training on 1..40, "
            f"max over 10 seeds; {refs.describe_source(NEURAL_SOURCE)}"
        )
        out += [f"status {s}: {refs.statuses[s]}" for s in used]
    return out


def as_text(lines: Sequence[Line]) -> str:
    header, rows = _shown(lines)
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    out = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in [header, *rows]]
    return "\n".join(out + [""] + notes(lines))


def as_markdown(lines: Sequence[Line]) -> str:
    header, rows = _shown(lines)
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(c.replace("|", "\\|") for c in r) + " |" for r in rows]
    return "\n".join(out + [""] + notes(lines))


PROGRAM_HEADER = ["task", "profile", "training", "program found", "size", "seeds", "median CPU s", "exact % at test lengths"]


def programs_table(found: Sequence[Found], markdown: bool) -> str:
    """The programs the seeds found (the most common per row), with their size: what the prior contributed is visible."""
    rows = [
        [f.task, f.profile, f.training, f"`{f.program}`" if markdown else f.program, str(f.size), f.seeds,
         _fmt(f.median_cpu, "median CPU s"), _fmt(f.exact, "exact")]
        for f in found
    ]
    if markdown:
        out = ["| " + " | ".join(PROGRAM_HEADER) + " |", "|" + "---|" * len(PROGRAM_HEADER)]
        out += ["| " + " | ".join(c.replace("|", "\\|") for c in r) + " |" for r in rows]
        return "\n".join(out)
    widths = [max(len(r[i]) for r in [PROGRAM_HEADER, *rows]) for i in range(len(PROGRAM_HEADER))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in [PROGRAM_HEADER, *rows])


def _latex(text: str) -> str:
    for a, b in (("\\", r"\textbackslash{}"), ("&", r"\&"), ("%", r"\%"), ("_", r"\_"), ("#", r"\#"), ("$", r"\$")):
        text = text.replace(a, b)
    return text


def as_latex(lines: Sequence[Line]) -> str:
    header, rows = _shown(lines)
    out = [r"\begin{tabular}{" + "l" * 3 + "r" * (len(header) - 3) + "}", r"\hline"]
    out.append(" & ".join(_latex(h) for h in header) + r" \\")
    out.append(r"\hline")
    out += [" & ".join(_latex(c) for c in r) + r" \\" for r in rows]
    out += [r"\hline", r"\end{tabular}"]
    return "\n".join(out + ["% " + n for n in notes(lines)])


def write_csv(lines: Sequence[Line], path: str, inputs: Sequence[str]) -> None:
    """Plain values, one row per line of the table, written atomically."""
    with atomic_output(path, inputs=inputs, newline="") as f:
        writer = csv.writer(f)
        writer.writerow(HEADER)
        for line in lines:
            writer.writerow(["" if v is None else v for v in line.cells()])


def plot(lines: Sequence[Line], path: str, inputs: Sequence[str]) -> None:
    """Bars: our exact % (mean over seeds) per table line; the networks' figures as marks (x: not checked against the paper)."""
    plt = report_plot.pyplot()
    fig, ax = plt.subplots(figsize=(max(6.0, 0.9 * len(lines) + 2), 4.5))
    xs = range(len(lines))
    ax.bar(xs, [line.mean_exact or 0.0 for line in lines], width=0.6, label="synthesized: exact % (mean over seeds)")
    for j, model in enumerate(NEURAL_MODELS):
        pts = [(x, line.neural[model]) for x, line in zip(xs, lines) if model in line.neural and line.neural[model].value is not None]
        for unchecked, mark in ((False, "_"), (True, "x")):
            chosen = [(x, p) for x, p in pts if p.unchecked == unchecked]
            if chosen:
                ax.scatter(
                    [x - 0.25 + 0.125 * j for x, _ in chosen],
                    [float(p.value or 0) for _, p in chosen],
                    marker=mark,
                    s=40,
                    color=f"C{j + 1}",
                    label=f"{model} (per-token %, published{', unchecked' if unchecked else ''})",
                )
    ax.set_xticks(list(xs))
    ax.set_xticklabels([f"{line.task}\n{line.profile}, {line.training}" for line in lines], rotation=60, ha="right", fontsize=7)
    ax.set_ylim(0, 102)
    ax.set_ylabel("accuracy at test lengths (%)")
    ax.legend(fontsize=6, loc="lower left")
    ax.set_title("published figures keep their status: see the table's notes", fontsize=8)
    try:
        with atomic_output(path, inputs=inputs, binary=True) as f:
            fig.savefig(f, format=os.path.splitext(path)[1].lstrip(".").lower() or "png", dpi=120, bbox_inches="tight")
    except ValueError as err:  # a format matplotlib does not write
        raise UserError(f"cannot plot to this file: {err}", file=path) from None
    finally:
        plt.close(fig)
