"""A cell of a sweep: one search, described completely by its settings.

A cell's hash is the sha256 of the canonical JSON of its settings and the
code version (synth.version.code_version: the package version and a
fingerprint of the code that decides a cell's result), so the same cell run
twice (in one database or in the shards of several) is recognised as the
same row, and edited or updated code counts as new cells: they run again,
and the old code's rows stay as they were.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any, Mapping, Union

from dsl.errors import UserError
from synth.search.settings import DEFAULTS
from synth.suite.compat import code_version

DEFAULT_PROFILE = "core"
DEFAULT_TIMEOUT = 60.0  # CPU seconds of search per cell
DEFAULT_MAX_COST = DEFAULTS.max_cost  # the search's own default, named once in its Settings
DEFAULT_TEST_COUNT = 1  # test examples per test length
DEFAULT_BUCKET = 50  # width of a test-length bucket in the stored accuracy
DEFAULT_TEST_SEED = 0


@dataclass(frozen=True, order=True)
class Lengths:
    """An inclusive range of input lengths, written `lo..hi`."""

    lo: int
    hi: int

    def __post_init__(self) -> None:
        if not 0 <= self.lo <= self.hi:
            raise UserError(f"a length range needs 0 <= lo <= hi, not {self.lo}..{self.hi}")

    def __str__(self) -> str:
        return f"{self.lo}..{self.hi}"

    @classmethod
    def parse(cls, text: str) -> "Lengths":
        lo, sep, hi = text.partition("..")
        try:
            if not sep:
                return cls(int(text), int(text))
            return cls(int(lo), int(hi))
        except ValueError:
            raise UserError(f"expected a length range such as \"1..40\", not {text!r}") from None


@dataclass(frozen=True)
class Generated:
    """A task drawn fresh: training lengths uniform in `train_lengths`, one test set per length."""

    family: str
    task: str
    train_size: int
    train_lengths: Lengths
    test_lengths: Lengths
    seed: int
    test_count: int = DEFAULT_TEST_COUNT
    test_seed: int = DEFAULT_TEST_SEED

    def settings(self) -> dict[str, Any]:
        return {
            "kind": "generated",
            "family": self.family,
            "task": self.task,
            "train_size": self.train_size,
            "train_lengths": str(self.train_lengths),
            "test_lengths": str(self.test_lengths),
            "test_count": self.test_count,
            "test_seed": self.test_seed,
            "seed": self.seed,
        }


@dataclass(frozen=True)
class TaskFile:
    """A task file; its content digest, not its path, identifies it."""

    path: str
    task: str  # the task's name, for the report
    sha256: str

    def settings(self) -> dict[str, Any]:
        return {"kind": "file", "task": self.task, "sha256": self.sha256}


Source = Union[Generated, TaskFile]


def file_sha256(path: str) -> str:
    """The sha256 of a file's bytes (hex): a task file's identity in a cell."""
    try:
        with open(path, "rb") as f:
            return hashlib.sha256(f.read()).hexdigest()
    except OSError as err:
        raise UserError(f"cannot read: {err.strerror}", file=path) from None


@dataclass(frozen=True)
class SearchSettings:
    profile: str = DEFAULT_PROFILE
    timeout: float = DEFAULT_TIMEOUT  # CPU seconds
    max_cost: int = DEFAULT_MAX_COST
    bucket: int = DEFAULT_BUCKET
    max_memory_mb: int | None = None  # the search's resident-memory cap in MB (Settings.max_memory_mb); None: none

    def settings(self) -> dict[str, Any]:
        out: dict[str, Any] = {"profile": self.profile, "timeout": self.timeout, "max_cost": self.max_cost, "bucket": self.bucket}
        if self.max_memory_mb is not None:  # only when set: cells of specs without it keep their hashes
            out["max_memory_mb"] = self.max_memory_mb
        return out


@dataclass(frozen=True)
class Cell:
    source: Source
    search: SearchSettings

    @property
    def task(self) -> str:
        return self.source.task

    def settings(self) -> dict[str, Any]:
        """Everything that determines the result, as plain JSON values (the version aside)."""
        return {**self.source.settings(), **self.search.settings()}

    @property
    def key(self) -> str:
        """The cell's hash: sha256 of its canonical settings and the code version."""
        return cell_hash(self.settings(), code_version())

    def describe(self) -> str:
        return describe({**self.settings(), "path": getattr(self.source, "path", None)})


def describe(values: Mapping[str, Any]) -> str:
    """A cell in a few words, from its settings (plus its `path`) or from a stored row's columns."""
    if values["kind"] == "file":
        return f"{values['path']} [{values['profile']}]"
    return f"{values['task']} n={values['train_size']} len {values['train_lengths']} seed {values['seed']} [{values['profile']}]"


def canonical_json(obj: Mapping[str, Any]) -> str:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def cell_hash(settings: Mapping[str, Any], version: str) -> str:
    return hashlib.sha256(canonical_json({"settings": settings, "version": version}).encode()).hexdigest()
