"""The process memory cap: it stops an allocation past it, gives the old limit back, and refuses a cap already passed."""

from __future__ import annotations

import resource
import sys

import pytest

from dsl.errors import UserError
from synth.memory import MemoryLimit, data_mb, peak_mb

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_DATA is enforced on Linux only")


def _headroom(mb: int) -> int:
    held = data_mb()
    assert held is not None
    return int(held) + mb


def test_an_allocation_past_the_cap_raises_memory_error_and_the_old_limit_comes_back() -> None:
    before = resource.getrlimit(resource.RLIMIT_DATA)
    with pytest.raises(MemoryError), MemoryLimit(_headroom(50)):
        bytearray(200 * 1024 * 1024)
    assert resource.getrlimit(resource.RLIMIT_DATA) == before
    assert len(bytearray(200 * 1024 * 1024)) == 200 * 1024 * 1024  # no cap once the block is left


def test_below_the_cap_nothing_changes() -> None:
    with MemoryLimit(_headroom(300)):
        assert len(bytearray(20 * 1024 * 1024)) == 20 * 1024 * 1024
    before = resource.getrlimit(resource.RLIMIT_DATA)
    with MemoryLimit(None):  # no cap: the process's limit is left as it was
        assert resource.getrlimit(resource.RLIMIT_DATA) == before


def test_a_cap_below_what_the_process_holds_is_refused() -> None:
    with pytest.raises(UserError, match="below what this process already holds"), MemoryLimit(1):
        pass


def test_peak_memory_is_positive() -> None:
    assert peak_mb() > 1
