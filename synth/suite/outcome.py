"""What running one cell produced: the fields of its row besides its settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

STATUSES = ("found", "exhausted", "timeout", "memory", "error")


@dataclass(frozen=True)
class Outcome:
    status: str  # one of STATUSES
    program: str | None = None
    cost: int | None = None
    candidates: int = 0  # expressions enumerated
    cpu_seconds: float = 0.0  # of the search, in the process that ran it
    wall_seconds: float = 0.0
    peak_mb: float | None = None  # peak resident memory of that process
    accuracy: Mapping[str, Any] | None = None  # on the cell's tests, by length bucket
    training: Mapping[str, Any] = field(default_factory=dict)  # how the training set was drawn
    stats: Mapping[str, Any] = field(default_factory=dict)  # the search's own statistics
    error: str | None = None
    code: str | None = None  # the code version of the process that ran it (None: unknown, e.g. a worker that died)

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"unknown cell status {self.status!r}")


def failed(message: str, status: str = "error", **measured: Any) -> Outcome:
    """The outcome of a cell that did not run to the end: a crash, a dead worker, no memory."""
    return Outcome(status=status, error=message, **measured)
