"""A cell's hash is a pure function of its settings and the package version."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dsl.errors import UserError
from synth.suite.cell import Cell, Generated, Lengths, SearchSettings, TaskFile, cell_hash


def test_hash_is_stable_and_covers_every_setting(cell_maker) -> None:
    cell = cell_maker()
    assert cell.key == cell_maker().key and len(cell.key) == 64
    changed = [
        dataclasses.replace(cell, source=dataclasses.replace(cell.source, **{name: value}))
        for name, value in [("seed", 1), ("train_size", 4), ("train_lengths", Lengths(1, 5)), ("test_lengths", Lengths(5, 13)), ("test_count", 2), ("test_seed", 1), ("task", "even_pairs")]
    ]
    changed += [dataclasses.replace(cell, search=dataclasses.replace(cell.search, **{n: v})) for n, v in [("profile", "x"), ("timeout", 6.0), ("max_cost", 3), ("bucket", 5), ("max_memory_mb", 2000)]]
    keys = {c.key for c in changed} | {cell.key}
    assert len(keys) == len(changed) + 1


def test_a_cell_without_a_memory_cap_hashes_as_before_the_cap_existed() -> None:
    # The settings of a cell made before `max_memory_mb` existed: a database of them resumes, not reruns.
    cell = Cell(Generated("sequence", "parity_check", 10, Lengths(1, 6), Lengths(13, 20), 0), SearchSettings())
    assert "max_memory_mb" not in cell.settings()
    assert cell.search.settings() == {"profile": "core", "timeout": 60.0, "max_cost": 32, "bucket": 50}


def test_hash_includes_the_version() -> None:
    settings = {"a": 1}
    assert cell_hash(settings, "0.1.0") != cell_hash(settings, "0.2.0")
    assert cell_hash({"a": 1, "b": 2}, "v") == cell_hash({"b": 2, "a": 1}, "v")  # canonical: key order does not count


def test_a_task_file_is_identified_by_its_content_not_its_path() -> None:
    a = Cell(TaskFile("x/a.json", "t", "ab" * 32), SearchSettings())
    b = Cell(TaskFile("elsewhere/a.json", "t", "ab" * 32), SearchSettings())
    c = Cell(TaskFile("x/a.json", "t", "cd" * 32), SearchSettings())
    assert a.key == b.key != c.key


@given(st.integers(0, 10_000), st.integers(0, 10_000))
def test_lengths_parse_round_trips(a: int, b: int) -> None:
    lo, hi = min(a, b), max(a, b)
    assert Lengths.parse(str(Lengths(lo, hi))) == Lengths(lo, hi)


@pytest.mark.parametrize("text", ["1..", "a..b", "5..2", "-1..3", ""])
def test_bad_length_ranges_are_user_errors(text: str) -> None:
    with pytest.raises(UserError):
        Lengths.parse(text)


def test_generated_settings_are_json_values() -> None:
    src = Generated("sequence", "parity_check", 10, Lengths(1, 40), Lengths(41, 500), 3)
    assert src.settings()["train_lengths"] == "1..40" and src.settings()["seed"] == 3
