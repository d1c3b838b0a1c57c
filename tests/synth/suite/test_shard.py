"""Shards: disjoint slices that cover the grid, chosen by each cell's hash alone."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dsl.errors import UserError
from synth.suite.cell import Cell, Generated, Lengths, SearchSettings
from synth.suite.shard import Shard

CELLS = [Cell(Generated("sequence", "parity_check", 5, Lengths(1, 4), Lengths(5, 9), seed), SearchSettings()) for seed in range(60)]


@given(st.integers(1, 7))
def test_shards_are_disjoint_and_cover_the_grid(count: int) -> None:
    slices = [Shard(i, count).select(CELLS) for i in range(1, count + 1)]
    keys = [c.key for part in slices for c in part]
    assert sorted(keys) == sorted(c.key for c in CELLS)  # each cell in exactly one slice
    assert Shard(1, count).select(CELLS) == Shard(1, count).select(list(reversed(CELLS)))[::-1]  # order of the grid does not matter


def test_a_cell_keeps_its_slice_when_the_grid_changes() -> None:
    shard = Shard(2, 3)
    assert [c for c in shard.select(CELLS) if c in CELLS[:30]] == shard.select(CELLS[:30])


def test_parse() -> None:
    assert Shard.parse("2/4") == Shard(2, 4) and str(Shard(2, 4)) == "2/4"
    assert str(Shard.parse("01/02")) == "1/2"  # what the summary and the resume command say


# Audit H: int() took the spaces, the sign, the underscore ("1_0/20" ran shard 10/20) and other scripts' digits.
@pytest.mark.parametrize("text", ["0/4", "5/4", "1/0", "a/b", "3", "1/2/3", "", " 1/2", "1 / 2", "+1/2", "1_0/20", "\u0661/\u0662"])
def test_bad_shards_are_user_errors(text: str) -> None:
    with pytest.raises(UserError, match="i/N"):
        Shard.parse(text)
