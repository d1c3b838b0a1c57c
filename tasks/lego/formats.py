"""The LEGO data formats, listed once: every command's choices and help come from here.

Reading detects the format by itself (tasks.lego.io.read_records); these are
the names a user gives to write one (`synth gen lego --format`, `synth
invariance transform --format`).
"""

from __future__ import annotations

# name -> what it is; the order is the order shown in --help.
FORMATS: dict[str, str] = {
    "official": "the paper's token syntax, one sentence a line (TAB, then var=value labels)",
    "signs": "the sign syntax (a = +1; b = -a;), one sentence a line",
    "readable": "the readable syntax for any group, one sentence a line",
    "jsonl": "native JSONL records {sentence, labels}",
    "kazemnejad": "Kazemnejad et al.'s JSONL {clauses, truth_values, query, cat}",
    "task": "a LEGO task file (JSON with train and test lists)",
}
LINE_FORMATS = tuple(k for k in FORMATS if k != "task")  # formats written one record a line
Z2_ONLY = ("official", "signs", "kazemnejad")


def describe(names: tuple[str, ...] | None = None) -> str:
    """`name: description; ...` for --help texts."""
    return "; ".join(f"{k}: {FORMATS[k]}" for k in (names or tuple(FORMATS)))
