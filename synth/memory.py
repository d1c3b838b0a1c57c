"""Memory of the running process: how much it holds now, and the peak it reached.

The search's own cap (`Settings.max_values`) counts values, which is
deterministic but only loosely memory: a list value counts one whatever its
length, and the suite's list-heavy searches held 21M values in 5 GB. So a
search may also be given a cap on the process's resident memory
(`Settings.max_memory_mb`), which it reads as it checks its timeout (every
1,024 candidates): past the cap it stops with what it found, as at the
timeout. Like the timeout, where it strikes depends on the machine; below it
nothing changes. (An OS limit such as RLIMIT_DATA was tried first: numpy
can crash, not raise MemoryError, when an allocation fails under it.)
"""

from __future__ import annotations

import gc
import resource
import sys
import threading
from contextlib import contextmanager
from typing import Iterator

MB = 1024 * 1024
_PAGE_MB = resource.getpagesize() / MB


def peak_mb() -> float:
    """Peak resident memory of this process so far, in MB (ru_maxrss: KiB on Linux, bytes on macOS)."""
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / MB if sys.platform == "darwin" else rss / 1024


def resident_mb() -> float:
    """Resident memory of this process now, in MB: /proc/self/statm on Linux; elsewhere the peak (never less)."""
    try:
        with open("/proc/self/statm", "rb") as f:
            return int(f.read().split()[1]) * _PAGE_MB
    except (OSError, ValueError, IndexError):
        return peak_mb()


def at_address_limit(share: float = 0.8) -> bool:
    """Whether this process's address space has reached `share` of its own cap (RLIMIT_AS, `ulimit -v`).

    Under such a cap a C extension whose allocation fails may raise
    SystemError ("error return without exception set") instead of
    MemoryError. Only a process that came that near its cap (its peak
    virtual size, VmPeak in /proc/self/status: the memory is freed by the
    time the error is caught) counts as out of memory; elsewhere, or with
    no cap, a SystemError stays what it is, possibly a bug.
    """
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    if soft == resource.RLIM_INFINITY or soft <= 0:
        return False
    try:
        with open("/proc/self/status", "rb") as f:
            peak = next(int(line.split()[1]) * 1024 for line in f if line.startswith(b"VmPeak:"))
    except (OSError, ValueError, IndexError, StopIteration):
        return False
    return peak >= share * soft


_SPACING = threading.Lock()
_spaced: list = [0, None]  # searches running with spaced collections, and the thresholds they found


@contextmanager
def collections_spaced(every: int | None) -> Iterator[None]:
    """While the block runs, Python's cycle collector looks at new objects once per `every` allocations (None: as it was).

    A search allocates millions of objects that live as long as it does
    (entries, value vectors, compiled bodies); at Python's default (700) the
    collector's passes over them took a fifth to a quarter of the search's
    CPU time, to free almost nothing (the search makes few reference cycles,
    and reference counting frees the rest at once). Cycles are still
    collected, less often. Searches running at once (threads) or nested
    share one setting: the first to start saves the thresholds, the last to
    end puts them back. A threshold already larger, or 0 (automatic
    collection off), is left as the caller set it.
    """
    if every is None:
        yield
        return
    with _SPACING:
        if _spaced[0] == 0:
            _spaced[1] = gc.get_threshold()
            if 0 < _spaced[1][0] < every:
                gc.set_threshold(every, *_spaced[1][1:])
        _spaced[0] += 1
    try:
        yield
    finally:
        with _SPACING:
            _spaced[0] -= 1
            if _spaced[0] == 0:
                gc.set_threshold(*_spaced[1])
