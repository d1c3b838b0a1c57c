"""Small grids for the suite's tests: searches that take milliseconds."""

from __future__ import annotations

from pathlib import Path

import pytest

from synth.suite.cell import Cell, Generated, Lengths, SearchSettings

ROOT = Path(__file__).resolve().parents[3]


def tiny_cell(seed: int = 0, task: str = "parity_check", timeout: float = 5.0, size: int = 10, **search) -> Cell:
    """Parity (the default) is found in milliseconds from 10 examples; reverse_string from 20 is not found quickly."""
    if task == "reverse_string":
        size = 20
    return Cell(
        Generated("sequence", task, size, Lengths(1, 6 if task == "parity_check" else 12), Lengths(13, 20), seed),
        SearchSettings(timeout=timeout, bucket=4, **search),
    )


TINY_SPEC = """\
[defaults]
timeout = 5
bucket = 4
[[generated]]
task = "parity_check"
train_size = 10
train_lengths = "1..6"
test_lengths = "13..20"
seed = "0..3"
"""  # a sweep spec of the cells tiny_cell(0..3) (parity_check, seeds 0..3)


@pytest.fixture
def cell_maker():
    return tiny_cell


@pytest.fixture
def tiny_spec() -> str:
    """The text of a spec file whose grid is tiny_cell(0..3)."""
    return TINY_SPEC


@pytest.fixture
def root() -> Path:
    return ROOT


@pytest.fixture
def code_at(monkeypatch):
    """`code_at("aaaa")`: make this process's code version end in that fingerprint, as if the code had been edited.

    The fingerprint function is replaced, never a file of the tree; the cached
    code version is dropped on each change and at the end.
    """
    from synth import version

    def at(fingerprint: str) -> str:
        monkeypatch.setattr(version, "fingerprint", lambda *args: fingerprint)
        version.code_version.cache_clear()
        return version.code_version()

    yield at
    version.code_version.cache_clear()
