"""One counting class for every accuracy the reports show.

Label accuracy, whole-sentence accuracy, the generalization experiment's
scores and the tidy CSV all count with `Count`, so they agree on the one case
that used to differ: nothing counted has no accuracy (None, an empty CSV
cell), never 0 and never 1.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

Z95 = 1.959963984540054  # two-sided 95% normal quantile


@dataclass(frozen=True)
class Count:
    """`correct` out of `total`."""

    correct: int
    total: int

    def __post_init__(self) -> None:
        if not 0 <= self.correct <= self.total:
            raise ValueError(f"a count needs 0 <= correct <= total, not {self.correct}/{self.total}")

    @property
    def accuracy(self) -> float | None:
        """correct / total; None when nothing was counted."""
        return self.correct / self.total if self.total else None

    def wilson(self, z: float = Z95) -> tuple[float, float] | None:
        """The Wilson score interval (95% by default); None when nothing was counted.

        Wilson rather than the normal interval because accuracies here sit at
        or near 1.0, where the normal interval collapses to a point.
        """
        n = self.total
        if not n:
            return None
        p = self.correct / n
        z2 = z * z
        centre = (p + z2 / (2 * n)) / (1 + z2 / n)
        half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
        low = 0.0 if self.correct == 0 else min(p, max(0.0, centre - half))
        high = 1.0 if self.correct == n else max(p, min(1.0, centre + half))
        return low, high

    def __add__(self, other: Count) -> Count:
        return Count(self.correct + other.correct, self.total + other.total)

    def to_dict(self) -> dict[str, Any]:
        ci = self.wilson()
        return {
            "accuracy": self.accuracy,
            "correct": self.correct,
            "total": self.total,
            "ci_low": None if ci is None else ci[0],
            "ci_high": None if ci is None else ci[1],
        }

    def __str__(self) -> str:
        if not self.total:
            return "-"
        return f"{self.accuracy:.4f} ({self.correct}/{self.total})"


EMPTY = Count(0, 0)


def total(counts: Any) -> Count:
    """The sum of an iterable of counts."""
    out = EMPTY
    for c in counts:
        out = out + c
    return out
