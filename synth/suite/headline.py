"""The headline table: per task, profile and training set, how the seeds went, beside the networks.

A seed is *solved* when its search found a program that is exact on every
test example. Accuracy is exact-match accuracy averaged over the test
lengths (the Chomsky paper averages its score over test lengths 41..500);
a seed without a program scores 0. The networks' figures (Deletang et al.
2023) are per-token accuracy maximised over 10 seeds, so they are shown
beside our best seed as well as our mean; each keeps its status.
"""

from __future__ import annotations

import os
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from dsl import ast
from dsl.parse import parse_program
from synth.report.reference import NEURAL_MODELS, Published, published_for
from synth.suite.store import Row


def statuses_of(figures: Mapping[str, Published]) -> str:
    """The figures' status: one word if they share it, else the exceptions and "others" (e.g. `Transformer in-paper-text, others unverified`)."""
    counts = Counter(p.status for p in figures.values())
    if len(counts) <= 1:
        return next(iter(counts), "")
    common = counts.most_common(1)[0][0]
    odd = [f"{m} {figures[m].status}" for m in NEURAL_MODELS if m in figures and figures[m].status != common]
    return ", ".join(odd) + f", others {common}"


@dataclass(frozen=True)
class Line:
    """One row of the headline table."""

    task: str
    profile: str
    training: str  # e.g. "100 x 1..40", or "file parity_check.json"
    seeds: int
    found: int
    solved: int
    other: str  # the seeds that found nothing, by status
    mean_exact: float | None  # percent
    best_exact: float | None
    median_cpu: float
    peak_mb: float | None  # the largest peak resident memory of its searches
    neural: Mapping[str, Published]

    def cells(self) -> list[Any]:
        """Plain values in `HEADER` order (neural figures as numbers, their status in the last column)."""
        figures = [self.neural[m].value if m in self.neural else None for m in NEURAL_MODELS]
        return [
            self.task,
            self.profile,
            self.training,
            self.seeds,
            self.solved,
            self.found,
            self.other,
            self.mean_exact,
            self.best_exact,
            self.median_cpu,
            self.peak_mb,
            *figures,
            statuses_of(self.neural),
        ]


HEADER = [
    "task",
    "profile",
    "training",
    "seeds",
    "solved",
    "found",
    "not found",
    "exact % mean",
    "exact % best",
    "median CPU s",
    "peak MB",
    *NEURAL_MODELS,
    "neural status",
]


def _training(row: Row) -> str:
    if row["kind"] == "file":
        return f"file {os.path.basename(str(row['path']))}"
    return f"{row['train_size']} x {row['train_lengths']}"


def _exact(row: Row) -> float | None:
    acc = row["accuracy"]
    return None if acc is None else 100.0 * float(acc["mean_exact"])


def _solved(row: Row) -> bool:
    acc = row["accuracy"]
    return row["status"] == "found" and (acc is None or float(acc["exact"]) == 1.0)


def _groups(rows: Sequence[Row]) -> list[tuple[tuple[str, str, str], list[Row]]]:
    """Rows by (task, profile, training set), in that order: the rows of both tables."""
    groups: dict[tuple[str, str, str], list[Row]] = defaultdict(list)
    for row in rows:
        groups[(row["task"], row["profile"], _training(row))].append(row)
    return sorted(groups.items())


def headline(rows: Sequence[Row]) -> list[Line]:
    lines = []
    for (task, profile, training), members in _groups(rows):
        exact = [x for x in (_exact(r) for r in members) if x is not None]
        others: dict[str, int] = defaultdict(int)
        for r in members:
            if r["status"] != "found":
                others[r["status"]] += 1
        lines.append(
            Line(
                task=task,
                profile=profile,
                training=training,
                seeds=len(members),
                found=sum(r["status"] == "found" for r in members),
                solved=sum(_solved(r) for r in members),
                other=", ".join(f"{n} {s}" for s, n in sorted(others.items())) or "-",
                mean_exact=statistics.fmean(exact) if exact else None,
                best_exact=max(exact) if exact else None,
                median_cpu=statistics.median(float(r["cpu_seconds"]) for r in members),
                peak_mb=max((float(r.get("peak_mb")) for r in members if r.get("peak_mb") is not None), default=None),
                neural=published_for(task),
            )
        )
    return lines


def versions(rows: Sequence[Row]) -> list[str]:
    return sorted({str(r["version"]) for r in rows})


@dataclass(frozen=True)
class Found:
    """The program a task's seeds found most often, for one profile and training set."""

    task: str
    profile: str
    training: str
    program: str  # its body, on one line
    size: int  # AST nodes of the body
    seeds: str  # "k/n": seeds that found this program, of those run
    median_cpu: float  # CPU seconds of the searches that found it
    exact: float | None  # exact-match % at the test lengths (mean over those seeds)


def programs(rows: Sequence[Row]) -> list[Found]:
    """Per task, profile and training set: the most common program found, its size and cost in time."""
    out = []
    for (task, profile, training), members in _groups(rows):
        texts = Counter(str(r["program"]) for r in members if r["status"] == "found" and r["program"])
        if not texts:
            continue
        text, count = texts.most_common(1)[0]
        same = [r for r in members if r["status"] == "found" and str(r["program"]) == text]
        body = parse_program(text).body
        exact = [x for x in (_exact(r) for r in same) if x is not None]
        out.append(
            Found(
                task=task,
                profile=profile,
                training=training,
                program=" ".join(line.strip() for line in text.splitlines() if not line.startswith(("input ", "type ", "#"))),
                size=ast.size(body),
                seeds=f"{count}/{len(members)}",
                median_cpu=statistics.median(float(r["cpu_seconds"]) for r in same),
                exact=statistics.fmean(exact) if exact else None,
            )
        )
    return out
