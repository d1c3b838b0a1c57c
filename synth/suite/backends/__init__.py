"""Where cells run: one small interface, one module per backend, one registry entry each.

A backend takes the cells still to run and yields each one's outcome as it
finishes; the runner records every outcome the moment it arrives. Adding a
backend is a module with a `Backend` and a line in `BACKENDS`.
"""

from __future__ import annotations

from typing import Callable, Iterable, Iterator, Protocol

from synth.suite.cell import Cell
from synth.suite.outcome import Outcome


class Backend(Protocol):
    name: str

    def capacity(self) -> int:
        """How many cells run at once (for the ETA)."""

    def run(self, cells: Iterable[Cell]) -> Iterator[tuple[Cell, Outcome]]:
        """Run the cells, yielding (cell, outcome) in order of completion; closing the iterator stops them all."""

    def close(self) -> None:
        """Release what the backend started (a local Ray instance, say)."""


def _local(jobs: int | None, address: str | None) -> Backend:
    from synth.suite.backends.local import LocalPool

    return LocalPool(jobs)


def _ray(jobs: int | None, address: str | None) -> Backend:
    from synth.suite.backends.ray_tasks import RayTasks

    return RayTasks(jobs, address)


BACKENDS: dict[str, Callable[[int | None, str | None], Backend]] = {
    "local": _local,
    "ray": _ray,
}


def make_backend(name: str, jobs: int | None = None, address: str | None = None) -> Backend:
    return BACKENDS[name](jobs, address)
