"""`--shard i/N`: the i-th of N disjoint slices of a grid, for job-array schedulers.

A cell's slice follows from its hash alone, so every job of an array picks
its cells without talking to the others, the slices cover the grid exactly
once, and a cell stays in its slice when the grid around it changes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from dsl.errors import UserError
from synth.suite.cell import Cell

_SHARD = re.compile(r"([0-9]+)/([0-9]+)")


@dataclass(frozen=True)
class Shard:
    index: int  # 1..count
    count: int

    @classmethod
    def parse(cls, text: str) -> "Shard":
        """`i/N` in ASCII digits, nothing else: int() would also take " 1", "1_0" or other scripts' digits, and a
        job array's label that is not exactly what the scheduler wrote is a slip to report, not to guess."""
        m = _SHARD.fullmatch(text)
        index, count = (int(m.group(1)), int(m.group(2))) if m else (0, 0)
        if count < 1 or not 1 <= index <= count:
            raise UserError(f"--shard expects i/N with 1 <= i <= N (e.g. 1/4 .. 4/4), not {text!r}")
        return cls(index, count)

    def holds(self, cell: Cell) -> bool:
        return int(cell.key[:16], 16) % self.count == self.index - 1

    def select(self, cells: Iterable[Cell]) -> list[Cell]:
        return [c for c in cells if self.holds(c)]

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"
