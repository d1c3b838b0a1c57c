"""The process's memory as the search reads it (resident now, and the peak), and the collector spaced while it runs."""

from __future__ import annotations

import gc
import sys
import threading

import pytest

from synth.memory import at_address_limit, collections_spaced, peak_mb, resident_mb


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


@pytest.fixture
def thresholds():
    """Python's collector thresholds, set to odd values for the test (so a restore is told from a default) and put back."""
    before = gc.get_threshold()
    gc.set_threshold(701, 11, 12)
    yield (701, 11, 12)
    gc.set_threshold(*before)


def test_collections_are_spaced_inside_the_block_only(thresholds) -> None:
    with collections_spaced(5_000):
        assert gc.get_threshold() == (5_000, 11, 12)  # only the young generation's
        with collections_spaced(9_000):  # a nested search keeps the outer setting
            assert gc.get_threshold() == (5_000, 11, 12)
        assert gc.get_threshold() == (5_000, 11, 12)
    assert gc.get_threshold() == thresholds
    with collections_spaced(None):
        assert gc.get_threshold() == thresholds
    with pytest.raises(KeyError), collections_spaced(5_000):
        raise KeyError("a search that fails")
    assert gc.get_threshold() == thresholds


@pytest.mark.parametrize("young", [0, 50_000])
def test_a_threshold_set_off_or_larger_is_left_as_it_is(young: int) -> None:
    """0 turns automatic collection off: spacing must not turn it back on; a larger spacing is the caller's to keep."""
    before = gc.get_threshold()
    gc.set_threshold(young, 11, 12)
    try:
        with collections_spaced(5_000):
            assert gc.get_threshold() == (young, 11, 12)
        assert gc.get_threshold() == (young, 11, 12)
    finally:
        gc.set_threshold(*before)


def test_searches_in_threads_share_the_setting_and_the_last_puts_it_back(thresholds) -> None:
    entered, leave = threading.Event(), threading.Event()

    def search() -> None:
        with collections_spaced(5_000):
            entered.set()
            leave.wait(10)

    other = threading.Thread(target=search)
    other.start()
    entered.wait(10)
    with collections_spaced(5_000):
        pass
    assert gc.get_threshold() == (5_000, 11, 12)  # the other search still runs
    leave.set()
    other.join(10)
    assert gc.get_threshold() == thresholds


def test_a_search_runs_with_its_setting_and_leaves_the_collector_as_it_was(thresholds) -> None:
    from synth.search.solver import synthesize
    from tasks.families import load_task

    seen = []
    task = load_task("examples/parity_check.json")
    result = synthesize(task, on_level=lambda cost, budget: seen.append(gc.get_threshold()), collect_every=3_000)
    assert result.program is not None and seen and set(seen) == {(3_000, 11, 12)}
    assert gc.get_threshold() == thresholds
    seen.clear()
    synthesize(task, on_level=lambda cost, budget: seen.append(gc.get_threshold()), collect_every=None)
    assert set(seen) == {thresholds}
