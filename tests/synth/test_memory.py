"""The process's memory as the search reads it: resident now, and the peak."""

from __future__ import annotations

import sys

import pytest

from synth.memory import at_address_limit, peak_mb, resident_mb


def test_resident_memory_grows_with_what_the_process_holds_and_never_passes_the_peak() -> None:
    before = resident_mb()
    held = bytearray(64 * 1024 * 1024)
    held[:: 4096] = b"x" * len(held[:: 4096])  # touch every page, so it is resident
    assert resident_mb() >= before + 50
    assert 1 < resident_mb() <= peak_mb() + 1


@pytest.mark.skipif(sys.platform == "linux", reason="off Linux the peak stands in for the resident memory")
def test_off_linux_resident_is_the_peak() -> None:
    assert resident_mb() == peak_mb()


@pytest.mark.skipif(sys.platform != "linux", reason="the peak virtual size is read from /proc/self/status")
def test_the_address_space_cap_is_reached_only_near_it(monkeypatch) -> None:
    """A process's VmPeak is far above 1 MB and far below 1 TB; no cap is never reached."""
    import resource

    for cap, reached in ((1 << 20, True), (1 << 40, False), (resource.RLIM_INFINITY, False)):
        monkeypatch.setattr(resource, "getrlimit", lambda which, cap=cap: (cap, cap))
        assert at_address_limit() is reached, cap
