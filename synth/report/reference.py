"""Published neural results, shipped as data (synth/data/neural_results.json).

Each figure carries its source and a status saying how sure we are of it;
every output that shows a figure shows its status too, so an unverified figure
is never presented as a checked one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Sequence

STATUSES = ("verified", "from-results-file", "in-paper-text", "third-party-copy", "unverified", "qualitative")
# Statuses whose figures have not been checked against the paper itself; they get a mark in tables.
UNCHECKED = frozenset({"third-party-copy", "unverified"})


@dataclass(frozen=True)
class Source:
    key: str
    citation: str
    url: str
    where: str


@dataclass(frozen=True)
class Published:
    """One published result: an overall figure, figures by length, or a qualitative note."""

    id: str
    source: str
    task: str
    model: str
    setting: str
    metric: str
    status: str
    value: float | None = None
    std: float | None = None
    seeds: int | None = None
    by_length: Mapping[int, float] | None = None
    note: str | None = None

    @property
    def unchecked(self) -> bool:
        return self.status in UNCHECKED

    def label(self) -> str:
        """A short column title: source, model and status, e.g. `kazemnejad2023: decoder, NoPE, ordered [from-results-file]`."""
        return f"{self.source}: {self.model} [{self.status}]"

    def format_value(self) -> str:
        """The figure as text, with its spread and a mark when unchecked."""
        if self.value is None:
            return "-"
        text = f"{self.value:g}"
        if self.std is not None:
            text += f" ± {self.std:g}"
        if self.unchecked:
            text += f" ({self.status})"
        return text

    def seed_count(self) -> str:
        """How many seeds the figure is a mean over, as listings show it: "3 seeds".

        A mean (a figure with a spread, or figures by length) whose source
        gives no count says "seeds: not stated"; a single figure (the best
        run, as Deletang et al. report) says nothing.
        """
        if self.seeds:
            return f"{self.seeds} seeds"
        return "seeds: not stated" if self.std is not None or self.by_length is not None else ""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "source": self.source,
            "task": self.task,
            "model": self.model,
            "setting": self.setting,
            "metric": self.metric,
            "status": self.status,
        }
        for name in ("value", "std", "seeds", "note"):
            v = getattr(self, name)
            if v is not None:
                out[name] = v
        if self.by_length is not None:
            out["by_length"] = {str(k): v for k, v in sorted(self.by_length.items())}
        return out


@dataclass(frozen=True)
class References:
    sources: Mapping[str, Source]
    statuses: Mapping[str, str]
    results: tuple[Published, ...]

    def for_task(self, task: str) -> tuple[Published, ...]:
        """The figures of a task named as published ('Parity Check') or as gen and suite name it (parity_check)."""
        key = paper_key(task)
        return tuple(r for r in self.results if normal_name(r.task) == key)

    def for_tasks(self, tasks: Sequence[str]) -> tuple[Published, ...]:
        """The figures of each task in turn, each figure once (two names of one task list it once)."""
        keys = list(dict.fromkeys(paper_key(t) for t in tasks))
        return tuple(r for key in keys for r in self.results if normal_name(r.task) == key)

    def lego_by_length(self) -> tuple[Published, ...]:
        """LEGO figures by chain length (Kazemnejad et al.), for the rows of a by-length table."""
        return tuple(r for r in self.for_task("lego") if r.by_length)

    def lego_notes(self) -> tuple[Published, ...]:
        """LEGO entries that are not figures by length: overall figures and qualitative notes."""
        return tuple(r for r in self.for_task("lego") if not r.by_length)

    def describe_source(self, key: str) -> str:
        s = self.sources[key]
        return f"{key}: {s.citation} {s.url} ({s.where})"


def _parse(doc: Mapping[str, Any]) -> References:
    sources = {k: Source(k, v["citation"], v["url"], v["where"]) for k, v in doc["sources"].items()}
    statuses = dict(doc["statuses"])
    results = []
    for r in doc["results"]:
        if r["status"] not in statuses or r["source"] not in sources:
            raise ValueError(f"neural_results.json: entry {r.get('id')} has an unknown status or source")
        by_length = r.get("by_length")
        results.append(
            Published(
                id=r["id"],
                source=r["source"],
                task=r["task"],
                model=r["model"],
                setting=r["setting"],
                metric=r["metric"],
                status=r["status"],
                value=r.get("value"),
                std=r.get("std"),
                seeds=r.get("seeds"),
                by_length=None if by_length is None else {int(k): float(v) for k, v in by_length.items()},
                note=r.get("note"),
            )
        )
    return References(sources, statuses, tuple(results))


@lru_cache(maxsize=1)
def load() -> References:
    """The shipped published results."""
    text = resources.files("synth").joinpath("data/neural_results.json").read_text(encoding="utf-8")
    return _parse(json.loads(text))


# The Chomsky-hierarchy paper (Deletang et al. 2023) and the networks of its table.
NEURAL_SOURCE = "deletang2023"
NEURAL_MODELS = ("RNN", "Stack-RNN", "Tape-RNN", "Transformer", "LSTM")


def published_for(task: str) -> dict[str, Published]:
    """The Chomsky paper's figures for one of our tasks (reverse_string, or as published), by model; {} for any other task."""
    key = paper_key(task)
    return {
        r.model: r
        for r in load().results
        if r.source == NEURAL_SOURCE and normal_name(r.task) == key and r.model in NEURAL_MODELS
    }


# Our task names (DeepMind's code) that differ from the paper's table once normalised.
PAPER_NAMES = {
    "modular_arithmetic": "modular_arithmetic_simple",
    "missing_duplicate_string": "missing_duplicate",
}


def normal_name(name: str) -> str:
    """A task name, lower case, runs of other characters as one underscore: 'Modular Arithmetic (simple)' -> modular_arithmetic_simple."""
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def paper_key(task: str) -> str:
    """The normal name of a task's row in the published tables, from its published name or our (snake_case) name."""
    key = normal_name(task)
    return PAPER_NAMES.get(key, key)


def format_listing(refs: References, task: str | Sequence[str] | None = None) -> str:
    """Every figure (of one task, of some in their order, or all) as text, each with its source and status."""
    lines = []
    tasks = [task] if isinstance(task, str) else task
    chosen = refs.results if tasks is None else refs.for_tasks(tasks)
    for r in chosen:
        if r.by_length:
            fig = ", ".join(f"{n}: {v:g}" for n, v in sorted(r.by_length.items()))
            fig = f"by length {fig}"
        elif r.value is not None:
            fig = r.format_value()
        else:
            fig = r.note or "-"
        if r.seed_count():
            fig += f" ({r.seed_count()})"
        lines.append(f"{r.task} | {r.model} | {r.metric} | {fig} | source {r.source} | status {r.status}")
    lines.append("")
    used = sorted({r.source for r in chosen})
    lines += ["sources:"] + [f"  {refs.describe_source(k)}" for k in used]
    used_status = sorted({r.status for r in chosen}, key=STATUSES.index)
    lines += ["statuses:"] + [f"  {s}: {refs.statuses[s]}" for s in used_status]
    return "\n".join(lines)
