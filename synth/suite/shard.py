"""`--shard i/N`: the i-th of N disjoint slices of a grid, for job-array schedulers.

A cell's slice follows from its hash alone, so every job of an array picks
its cells without talking to the others, the slices cover the grid exactly
once, and a cell stays in its slice when the grid around it changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from dsl.errors import UserError
from synth.suite.cell import Cell


@dataclass(frozen=True)
class Shard:
    index: int  # 1..count
    count: int

    @classmethod
    def parse(cls, text: str) -> "Shard":
        i, sep, n = text.partition("/")
        try:
            index, count = int(i), int(n)
        except ValueError:
            index = count = 0
        if not sep or count < 1 or not 1 <= index <= count:
            raise UserError(f"--shard expects i/N with 1 <= i <= N (e.g. 1/4 .. 4/4), not {text!r}")
        return cls(index, count)

    def holds(self, cell: Cell) -> bool:
        return int(cell.key[:16], 16) % self.count == self.index - 1

    def select(self, cells: Iterable[Cell]) -> list[Cell]:
        return [c for c in cells if self.holds(c)]

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"
