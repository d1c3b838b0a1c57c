"""The headline table as text, Markdown, LaTeX, CSV or a plot."""

from __future__ import annotations

import csv
import json
from typing import Any, Sequence

from dsl.errors import UserError
from dsl.files import atomic_output
from synth.report import plot as report_plot
from synth.report.reference import NEURAL_MODELS, NEURAL_SOURCE, load
from synth.search.solver import FOUND_BY
from synth.suite.headline import HEADER, NOT_FOUND, Found, Line

VERSION = "code version"
SHOWN = [h if h != "solved" else "solved / seeds" for h in HEADER if h not in ("seeds", "tested", VERSION)]


def _versions(lines: Sequence[Line]) -> list[str]:
    return sorted({line.version for line in lines})


def _shown(lines: Sequence[Line]) -> tuple[list[str], list[list[str]]]:
    """Header and rows as display strings (solved and found as k/n, "untested" without tests, percentages to one decimal).

    Lines of several code versions get a column naming each line's; of one, the notes name it.
    """
    shown = SHOWN + ([VERSION] if len(_versions(lines)) > 1 else [])
    rows = []
    for line in lines:
        values = dict(zip(HEADER, line.cells()))
        values["solved / seeds"] = f"{line.solved}/{line.seeds}" if line.tested else "untested"
        values["found"] = f"{line.found}/{line.seeds}"
        values["not found"] = line.other
        rows.append([_fmt(values[name], name) for name in shown])
    return shown, rows


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
        "A line holds the cells that differ in nothing but the seed; where two would share a label, the settings in which "
        "they differ follow the training set.",
        "solved / seeds: seeds whose program is exact on every test example, of the seeds run; a seed that ended in error "
        "(a crashed or killed search, not a search result; `synth suite run` retries it) counts as run and not solved; "
        "untested: the task has no test examples, so a program found is not checked.",
        "exact %: exact-match accuracy averaged over the test lengths (mean over seeds, and the best seed); a seed without "
        "a program scores 0, errors included. median CPU s: over the seeds that ran to a result (errors left out).",
    ]
    found = _versions(lines)
    if len(found) == 1:
        what = ("the package version + a fingerprint of the code that decides results" if "+" in found[0]
                else "a package version alone: rows made before code versions carried a fingerprint")
        out.append(f"code version: {found[0]} ({what}).")
    elif found:
        out.append(f"code versions: {', '.join(found)}; a line holds rows of one only (its code version column).")
    if used:
        out.append(
            f"{', '.join(NEURAL_MODELS)}: per-token accuracy (%), test lengths 41..500 after training on 1..40, "
            f"max over 10 seeds; {refs.describe_source(NEURAL_SOURCE)}"
        )
        out += [f"status {s}: {refs.statuses[s]}" for s in used]
    return out


def as_text(lines: Sequence[Line]) -> str:
    return "\n".join(_text_rows(*_shown(lines)) + [""] + notes(lines))


def as_markdown(lines: Sequence[Line]) -> str:
    return "\n".join(_markdown_rows(*_shown(lines)) + [""] + notes(lines))


# The "found by" column's words, from the search's own table (synth.search.solver.FOUND_BY).
FOUND_BY_LEGEND = "; ".join(f"{way} = {words.replace(';', ',')}" for way, words in FOUND_BY.items()) + (
    "; a number after a way: the seeds that found the program that way, where the line's seeds differ. "
    "Only levels is the cost order itself: every other way may return a program dearer than the cheapest "
    "consistent one (README, \"How the search works\")"
)
PROGRAM_HEADER = ["task", "profile", "training", "program found", "found by", "size", "seeds", "median CPU s", "exact % at test lengths"]


def programs_table(found: Sequence[Found], fmt: str | None = None) -> str:
    """The programs the seeds found (the most common per row), with their size: what the prior contributed is visible.

    `fmt` is "markdown", "latex" or None (plain text), as for the headline table.
    """
    several = len({f.version for f in found}) > 1  # then a column names each line's code version, as in the headline
    header = PROGRAM_HEADER + ([VERSION] if several else [])
    rows = [
        [f.task, f.profile, f.training, f"`{f.program}`" if fmt == "markdown" else f.program, f.found_by, str(f.size), f.seeds,
         _fmt(f.median_cpu, "median CPU s"), _fmt(f.exact, "exact")] + ([f.version] if several else [])
        for f in found
    ]
    legend = f"found by: {FOUND_BY_LEGEND}"
    if fmt == "markdown":
        return "\n".join(_markdown_rows(header, rows) + ["", legend])
    if fmt == "latex":
        return "\n".join(_latex_rows(header, rows, left=5) + ["% " + legend])
    return "\n".join(_text_rows(header, rows) + [legend])


def _text_rows(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    return ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in [header, *rows]]


def _markdown_rows(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return out + ["| " + " | ".join(c.replace("|", "\\|") for c in r) + " |" for r in rows]


def _latex_rows(header: Sequence[str], rows: Sequence[Sequence[str]], left: int) -> list[str]:
    """A tabular: the first `left` columns left-aligned, the others right-aligned."""
    out = [r"\begin{tabular}{" + "l" * left + "r" * (len(header) - left) + "}", r"\hline"]
    out.append(" & ".join(_latex(h) for h in header) + r" \\")
    out.append(r"\hline")
    out += [" & ".join(_latex(c) for c in r) + r" \\" for r in rows]
    return out + [r"\hline", r"\end{tabular}"]


_LATEX = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "_": r"\_", "#": r"\#", "$": r"\$", "{": r"\{", "}": r"\}",
          "~": r"\textasciitilde{}", "^": r"\textasciicircum{}", "<": r"\textless{}", ">": r"\textgreater{}"}


def _latex(text: str) -> str:
    """Text as LaTeX source, every special character escaped (in one pass, so no escape is escaped again)."""
    return "".join(_LATEX.get(c, c) for c in text)


def as_latex(lines: Sequence[Line]) -> str:
    header, rows = _shown(lines)
    return "\n".join(_latex_rows(header, rows, left=3) + ["% " + n for n in notes(lines)])


DECIMALS = {"median CPU s": 4, "exact % mean": 4, "exact % best": 4, "peak MB": 1}  # plain values: no float noise


def plain(line: Line) -> dict[str, Any]:
    """A line as plain values by column name, floats rounded (None where there is no value); "not found" maps status -> count."""
    out = {}
    for name, value in zip(HEADER, line.cells()):
        out[name] = round(value, DECIMALS[name]) if isinstance(value, float) and name in DECIMALS else value
    return out


CSV_HEADER = [c for h in HEADER for c in ([h] if h != "not found" else ["not found", *(f"not found: {s}" for s in NOT_FOUND)])]


def csv_row(line: Line) -> list[Any]:
    """A line as CSV cells: "not found" the count of seeds without a program, then one column per status."""
    out: list[Any] = []
    for name, value in plain(line).items():
        if name == "not found":
            out += [sum(value.values()), *(value.get(s, 0) for s in NOT_FOUND)]
        else:
            out.append("" if value is None else value)
    return out


def write_csv(lines: Sequence[Line], path: str, inputs: Sequence[str]) -> None:
    """Plain values, one row per line of the table, written atomically (solved empty and tested False for an untested task)."""
    with atomic_output(path, inputs=inputs, newline="") as f:
        writer = csv.writer(f)
        writer.writerow(CSV_HEADER)
        for line in lines:
            writer.writerow(csv_row(line))


def write_json(lines: Sequence[Line], path: str, inputs: Sequence[str]) -> None:
    """The table as JSON: {"rows": [plain values by column], "notes": [...]}, written atomically."""
    with atomic_output(path, inputs=inputs) as f:
        json.dump({"rows": [plain(line) for line in lines], "notes": notes(lines)}, f, indent=1)
        f.write("\n")


def plot(lines: Sequence[Line], path: str, inputs: Sequence[str]) -> None:
    """Bars: our exact % (mean over seeds) per table line; the networks' figures as marks (x: not checked against the paper)."""
    report_plot.plot_format(path)  # a file name of no figure format is refused before anything is drawn
    plt = report_plot.pyplot()
    fig, ax = plt.subplots(figsize=(max(6.0, 0.9 * len(lines) + 2), 4.5))
    xs = range(len(lines))
    ax.bar(xs, [line.mean_exact or 0.0 for line in lines], width=0.6, label="synthesized: exact % (mean over seeds)")
    for x, line in zip(xs, lines):
        if not line.tested:  # no bar: nothing was checked
            ax.text(x, 2, "untested", rotation=90, ha="center", va="bottom", fontsize=7)
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
    ax.set_xticklabels([report_plot.literal(f"{line.task}\n{line.profile}, {line.training}") for line in lines], rotation=60, ha="right", fontsize=7)
    ax.set_ylim(0, 102)
    ax.set_ylabel("accuracy at test lengths (%)")
    ax.legend(fontsize=6, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0)  # beside the axes: it covers no bar
    ax.set_title("published figures keep their status: see the table's notes", fontsize=8)
    try:
        with atomic_output(path, inputs=inputs, binary=True) as f:
            fig.savefig(f, format=report_plot.plot_format(path), dpi=120, bbox_inches="tight")
    except ValueError as err:  # matplotlib's refusal of the figure itself (one too large for its renderer)
        raise UserError(f"cannot draw this figure: {err}", file=path) from None
    finally:
        plt.close(fig)
