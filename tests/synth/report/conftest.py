"""Figures counted from the bundled reverse_string task file itself, for the tests that score programs and models on it."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

REVERSE = Path(__file__).resolve().parents[3] / "examples" / "reverse_string.json"

Counts = dict[int, tuple[int, int, int, int]]


def count_identity(split: str) -> Counts:
    """Per input length of the split, what the identity scores: examples, palindromes, tokens, tokens equal to their mirror."""
    out: dict[int, list[int]] = {}
    for ex in json.loads(REVERSE.read_text())[split]:
        xs = ex["input"]["xs"]
        cell = out.setdefault(len(xs), [0, 0, 0, 0])
        cell[0] += 1
        cell[1] += xs == xs[::-1]
        cell[2] += len(xs)
        cell[3] += sum(a == b for a, b in zip(xs, reversed(xs)))
    return {n: (a, b, c, d) for n, (a, b, c, d) in sorted(out.items())}


@pytest.fixture
def identity_counts() -> Callable[[str], Counts]:
    """`count_identity`: the identity's figures on reverse_string, counted by hand."""
    return count_identity
