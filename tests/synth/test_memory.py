"""The process's memory as the search reads it: resident now, and the peak."""

from __future__ import annotations

import sys

import pytest

from synth.memory import peak_mb, resident_mb


def test_resident_memory_grows_with_what_the_process_holds_and_never_passes_the_peak() -> None:
    before = resident_mb()
    held = bytearray(64 * 1024 * 1024)
    held[:: 4096] = b"x" * len(held[:: 4096])  # touch every page, so it is resident
    assert resident_mb() >= before + 50
    assert 1 < resident_mb() <= peak_mb() + 1


@pytest.mark.skipif(sys.platform == "linux", reason="off Linux the peak stands in for the resident memory")
def test_off_linux_resident_is_the_peak() -> None:
    assert resident_mb() == peak_mb()
