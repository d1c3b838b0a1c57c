"""The headline table: per task, profile and training set, how the seeds went, beside the networks.

A line holds the cells that differ in nothing but the seed: rows of two code
versions (synth.version.code_version) are never pooled into one line, and
where two lines would share a label the version follows it. A seed is
*solved* when its search found a program that is exact on every test
example; a task without test examples is *untested*, never solved. Accuracy
is exact-match accuracy averaged over the test lengths (the Chomsky paper
averages its score over test lengths 41..500); a seed without a program
scores 0, one that ended in `error` (a crashed or killed search) included,
but only seeds that ran to a result enter the median CPU time. The
networks' figures (Deletang et al. 2023) are per-token accuracy maximised
over 10 seeds, so they are shown beside our best seed as well as our mean;
each keeps its status.
"""

from __future__ import annotations

import os
import re
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from dsl import ast
from dsl.errors import UserError
from dsl.parse import parse_program
from synth.report.reference import NEURAL_MODELS, Published, published_for
from synth.suite.cell import canonical_json, describe
from synth.suite.outcome import STATUSES
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
    training: str  # e.g. "100 x 1..40", or "file parity_check.json"; "... (timeout 8)" where rows would share a label
    seeds: int  # seeds run, errors included
    found: int
    solved: int
    not_found: Mapping[str, int]  # the seeds that found nothing: status -> count (only statuses that occur)
    mean_exact: float | None  # percent; None when untested
    best_exact: float | None
    median_cpu: float | None  # of the seeds that ran to a result (errors left out); None if none did
    peak_mb: float | None  # the largest peak resident memory of its searches
    neural: Mapping[str, Published]
    tested: bool = True  # False: the task has no test examples, so nothing is solved or scored
    stale: int = 0  # rows a `--redo` has not replaced yet
    version: str = ""  # the code version of its rows (one per line: versions are never pooled)

    @property
    def other(self) -> str:
        """The seeds that found nothing, as the table shows them ("1 timeout, 2 error"; "-" for none)."""
        return ", ".join(f"{n} {s}" for s, n in self.not_found.items()) or "-"

    def cells(self) -> list[Any]:
        """Plain values in `HEADER` order (neural figures as numbers, their status in the last column)."""
        figures = [self.neural[m].value if m in self.neural else None for m in NEURAL_MODELS]
        return [
            self.task,
            self.profile,
            self.training,
            self.seeds,
            self.solved if self.tested else None,
            self.tested,
            self.found,
            dict(self.not_found),
            self.mean_exact,
            self.best_exact,
            self.median_cpu,
            self.peak_mb,
            *figures,
            statuses_of(self.neural),
            self.version,
        ]


NOT_FOUND = tuple(s for s in STATUSES if s != "found")  # the statuses of a seed without a program, in the table's order

HEADER = [
    "task",
    "profile",
    "training",
    "seeds",
    "solved",
    "tested",
    "found",
    "not found",
    "exact % mean",
    "exact % best",
    "median CPU s",
    "peak MB",
    *NEURAL_MODELS,
    "neural status",
    "code version",
]


def _training(row: Row) -> str:
    if row["kind"] == "file":
        return f"file {os.path.basename(str(row['path']))}"
    return f"{row['train_size']} x {row['train_lengths']}"


def _tested(row: Row) -> bool | None:
    """Generated cells always have tests; a task file's row says so by its accuracy (None: the file has no test examples).

    A row that did not run to a result (`error`: a crash, a killed worker) has no accuracy either way: None, unknown.
    """
    if row["kind"] != "file" or row["accuracy"] is not None:
        return True
    return None if row.get("error") is not None else False


def _exact(row: Row, tested: bool) -> float | None:
    """Exact % averaged over the test lengths; a seed without a program (an error included) scores 0."""
    acc = row["accuracy"]
    if acc is not None:
        return 100.0 * float(acc["mean_exact"])
    return 0.0 if tested else None


def _solved(row: Row) -> bool:
    acc = row["accuracy"]
    return row["status"] == "found" and acc is not None and float(acc["exact"]) == 1.0


@dataclass(frozen=True)
class Group:
    """The rows of one line: cells that differ in nothing but the seed (so all of one code version)."""

    task: str
    profile: str
    training: str
    rows: tuple[Row, ...]

    @property
    def version(self) -> str:
        return str(self.rows[0]["version"])

    @property
    def tested(self) -> bool:
        """Whether the line's task has tests; if no row ran to a result to say, it counts as tested (run and not solved)."""
        known = [t for t in map(_tested, self.rows) if t is not None]
        return any(known) if known else True


VERSION_SETTING = "code version"  # how a line's label names its code version where labels would clash


def _without_seed(row: Row) -> dict[str, Any]:
    """What a line's rows share: every setting but the seed, and the code version."""
    return {**{k: v for k, v in row["settings"].items() if k != "seed"}, VERSION_SETTING: str(row["version"])}


def _shown_setting(name: str, value: Any) -> str:
    if value is None:
        return f"{name} none"
    if name == "sha256":
        return f"sha256 {str(value)[:12]}"
    if isinstance(value, float):
        return f"{name} {value:g}"
    return f"{name} {value}"


_NUMBER = re.compile(r"(\d+(?:\.\d+)?)")


def _label_order(label: str) -> tuple[tuple[int, float, str], ...]:
    """A label's sort key, its numbers compared as numbers: 5 x 1..6 before 20 x 1..10 before 100 x 1..6, timeout 8 before 10 (as text, 100 came first)."""
    return tuple((0, float(part), "") if i % 2 else (1, 0.0, part) for i, part in enumerate(_NUMBER.split(label)))


def _groups(rows: Sequence[Row]) -> list[Group]:
    """Rows grouped by every setting but the seed, in label order: the rows of both tables.

    Groups that would share a label (task, profile, training set) are told
    apart by the settings in which they differ, added to the training label.
    """
    by_key: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        by_key[canonical_json(_without_seed(row))].append(row)
    by_label: dict[tuple[str, str, str], list[list[Row]]] = defaultdict(list)
    for members in by_key.values():
        first = members[0]
        by_label[(first["task"], first["profile"], _training(first))].append(members)
    out = []
    for (task, profile, training), clash in by_label.items():
        if len(clash) == 1:
            out.append(Group(task, profile, training, tuple(clash[0])))
            continue
        described = [{**_without_seed(m[0]), **({"path": m[0]["path"]} if m[0]["kind"] == "file" else {})} for m in clash]
        names = sorted({k for d in described for k in d})
        differing = [k for k in names if len({canonical_json({"v": d.get(k)}) for d in described}) > 1]
        for members, settings in zip(clash, described):
            suffix = ", ".join(_shown_setting(k, settings.get(k)) for k in differing)
            out.append(Group(task, profile, f"{training} ({suffix})", tuple(members)))
    return sorted(out, key=lambda g: (g.task, g.profile, _label_order(g.training), g.training))


def headline(rows: Sequence[Row]) -> list[Line]:
    lines = []
    for group in _groups(rows):
        members = group.rows
        tested = group.tested
        exact = [x for x in (_exact(r, tested) for r in members) if x is not None]
        others: dict[str, int] = defaultdict(int)
        for r in members:
            if r["status"] != "found":
                others[r["status"]] += 1
        results = [float(r["cpu_seconds"]) for r in members if r["status"] != "error"]
        lines.append(
            Line(
                task=group.task,
                profile=group.profile,
                training=group.training,
                seeds=len(members),
                found=sum(r["status"] == "found" for r in members),
                solved=sum(_solved(r) for r in members),
                not_found={s: others[s] for s in NOT_FOUND if s in others},
                mean_exact=statistics.fmean(exact) if exact else None,
                best_exact=max(exact) if exact else None,
                median_cpu=statistics.median(results) if results else None,
                peak_mb=max((float(r.get("peak_mb")) for r in members if r.get("peak_mb") is not None), default=None),
                neural=published_for(group.task),
                tested=tested,
                stale=sum(bool(r.get("stale")) for r in members),
                version=group.version,
            )
        )
    return lines


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
    version: str = ""  # the code version of the line's rows
    # How the search found it (Stats.found_by, synth.search.solver.FOUND_BY): one way, or each way with
    # its count of seeds, commonest first ("chains+mended 6, chains 4"); "-" for rows stored before
    # searches recorded it.
    found_by: str = "-"


def _parsed(row: Row, text: str) -> ast.Expr:
    """The body of a stored program; one that does not parse (a hand-edited or damaged row) is a UserError naming its cell."""
    try:
        return parse_program(text).body
    except UserError as err:
        raise UserError(
            f"damaged results database: the program of cell {row['hash']} ({describe(row.values)}) does not parse: {err.message}",
            file=row.database or None,
        ) from None


def _found_by(row: Row) -> str:
    """How the row's search found its program (Stats.found_by); "-" where the row does not say (stored before it did)."""
    stats = row.get("stats")
    by = stats.get("found_by") if isinstance(stats, dict) else None
    return by if isinstance(by, str) and by else "-"


def programs(rows: Sequence[Row]) -> list[Found]:
    """Per line of the headline table: the most common program found, its size and cost in time."""
    out = []
    for group in _groups(rows):
        members = group.rows
        texts = Counter(str(r["program"]) for r in members if r["status"] == "found" and r["program"])
        if not texts:
            continue
        # The most seeds, then the smallest, then the text: never the row order, which merging databases (shards) changes.
        most = max(texts.values())
        tied = {t: _parsed(next(r for r in members if str(r["program"]) == t), t) for t, n in texts.items() if n == most}
        text = min(tied, key=lambda t: (ast.size(tied[t]), t))
        count, body = most, tied[text]
        same = [r for r in members if r["status"] == "found" and str(r["program"]) == text]
        exact = [x for x in (_exact(r, group.tested) for r in same) if x is not None]
        ways = sorted(Counter(_found_by(r) for r in same).items(), key=lambda kv: (-kv[1], kv[0]))
        by = ways[0][0] if len(ways) == 1 else ", ".join(f"{way} {n}" for way, n in ways)
        out.append(
            Found(
                task=group.task,
                profile=group.profile,
                training=group.training,
                program=" ".join(line.strip() for line in text.splitlines() if not line.startswith(("input ", "type ", "#"))),
                size=ast.size(body),
                seeds=f"{count}/{len(members)}",
                median_cpu=statistics.median(float(r["cpu_seconds"]) for r in same),
                exact=statistics.fmean(exact) if exact else None,
                version=group.version,
                found_by=by,
            )
        )
    return out
