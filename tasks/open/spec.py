"""The spec of an open task: no generator, only what the file declares."""

from __future__ import annotations

from dataclasses import dataclass

from tasks.core import TaskSpec


@dataclass(frozen=True, kw_only=True)
class OpenSpec(TaskSpec):
    """An open task's spec: its family and the constants its file states (no generator)."""

    family: str = "open"
