"""One benchmark timed in two lego-synth trees, side by side: this code against a baseline (`synth bench --baseline DIR`).

On a shared machine CPU seconds move by 10-50% between identical runs, often
more than a change, so a speed-up is only a speed-up measured side by side:
the two trees in alternating rounds, each round a fresh process per tree
(`synth bench --only NAME --json`, the benchmark's own set-up untimed and
its timed runs), the tree that goes first swapped each round so a drift of
the machine weighs on both. Each side's figure is the median of its rounds'
medians. The baseline is any tree of the project (a checkout, a `git
worktree add ../old v0.1`): only its benchmark of the same name is run, with
the Python and packages of this process.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from dsl.errors import UserError

THIS_TREE = Path(__file__).resolve().parents[2]  # the folder holding this code's synth/, dsl/ and tasks/
ROUNDS = 3  # rounds per benchmark by default: each side's figure is the median of as many medians


@dataclass(frozen=True)
class Side:
    """One tree's runs of a benchmark: each round's row (as `synth bench --json` prints it), or why there is none."""

    rows: tuple[dict, ...]
    missing: str | None = None  # the benchmark did not run there (not in that tree, a failed process): why

    @property
    def median_s(self) -> float:
        return statistics.median(r["median_s"] for r in self.rows)

    @property
    def rate(self) -> float | None:
        rates = [r["rate"] for r in self.rows if r.get("rate") is not None]
        return statistics.median(rates) if len(rates) == len(self.rows) and rates else None

    @property
    def meets_target(self) -> bool | None:
        """The target (the rows' own) judged on the median of the rounds; None without one, False if a run failed."""
        if not self.rows or self.missing:
            return False
        first = self.rows[0]
        if first.get("target_s") is None and first.get("target_rate") is None:
            return None
        if self.error is not None:
            return False
        rate = self.rate
        return (first.get("target_s") is None or self.median_s <= first["target_s"]) and (
            first.get("target_rate") is None or (rate is not None and rate >= first["target_rate"]))

    @property
    def error(self) -> str | None:
        """The first failed run's error (no program, a wrong one, ...), if any round's run failed."""
        return next((r["error"] for r in self.rows if "error" in r), None)


@dataclass(frozen=True)
class SideBySide:
    name: str
    this: Side
    baseline: Side
    unit: str  # the rate's unit ("" for a benchmark without one)

    @property
    def speedup(self) -> float | None:
        """How many times faster this code is: rates compared where both count work (the work may differ), else seconds.

        None when a side did not run, failed, or the benchmark's figure is itself a ratio ("x").
        """
        if self.this.missing or self.baseline.missing or self.this.error or self.baseline.error or self.unit == "x":
            return None
        if self.this.rate is not None and self.baseline.rate is not None:
            return self.this.rate / self.baseline.rate if self.baseline.rate else None
        return self.baseline.median_s / self.this.median_s if self.this.median_s > 0 else None

    def to_dict(self) -> dict:
        return {"name": self.name, "this": list(self.this.rows), "baseline": list(self.baseline.rows),
                "baseline_missing": self.baseline.missing, "this_missing": self.this.missing, "speedup": self.speedup}


def baseline_tree(path: str) -> Path:
    """The baseline's folder, checked to hold a lego-synth tree (UserError if not)."""
    if not path.strip():
        raise UserError("--baseline is empty (an unset shell variable?): give the folder of a lego-synth checkout or git worktree")
    tree = Path(path)
    if not tree.is_dir():
        what = "a file, not a folder" if tree.exists() else "no such folder"
        raise UserError(f"{what} (the baseline is a lego-synth tree: a checkout or a git worktree)", file=path)
    missing = [name for name in ("synth/__init__.py", "synth/__main__.py", "dsl/__init__.py", "tasks/__init__.py")
               if not (tree / name).is_file()]
    if missing:
        raise UserError(f"not a lego-synth tree: no {', '.join(missing)}", file=path)
    return tree.resolve()


def side_by_side(name: str, baseline: Path, rounds: int, repeat: int | None) -> SideBySide:
    """Time benchmark `name` in this tree and in `baseline`, `rounds` rounds each, alternating which goes first."""
    this_rows: list[dict] = []
    base_rows: list[dict] = []
    missing = {THIS_TREE: None, baseline: None}  # type: dict[Path, str | None]
    for k in range(rounds):
        order = [(THIS_TREE, this_rows), (baseline, base_rows)]
        for tree, rows in order if k % 2 == 0 else order[::-1]:
            if missing[tree] is not None:
                continue
            row, why = _run(tree, name, repeat)
            if row is None:
                missing[tree] = why
            else:
                rows.append(row)
    unit = next((r.get("unit", "") for r in this_rows + base_rows), "")
    return SideBySide(name, Side(tuple(this_rows), missing[THIS_TREE]), Side(tuple(base_rows), missing[baseline]), unit)


def _run(tree: Path, name: str, repeat: int | None) -> tuple[dict | None, str | None]:
    """One fresh process of `synth bench --only NAME --json` on `tree`'s code: its row, or why there is none."""
    command = [sys.executable, "-m", "synth", "bench", "--only", name, "--json"]
    if repeat is not None:
        command += ["--repeat", str(repeat)]
    env = dict(os.environ, PYTHONPATH=str(tree))
    proc = subprocess.run(command, capture_output=True, text=True, cwd=str(tree), env=env)
    for line in proc.stdout.splitlines():
        if line.startswith("{"):
            row = json.loads(line)
            if row.get("name") == name:
                return row, None
    said = (proc.stderr.strip().splitlines() or [f"exit status {proc.returncode}"])[-1]
    return None, "no benchmark of that name there" if "no benchmark matches" in said else said
