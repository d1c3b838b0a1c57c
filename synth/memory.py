"""Memory of the running process: a cap for one search, and the peak it reached.

The search's own cap (`Settings.max_values`) counts values, which is
deterministic but only loosely memory: a list value counts one whatever its
length, and the suite's list-heavy searches held 21M values in 5 GB. A
`MemoryLimit` is the hard bound a shared machine or a cluster job needs: the
process's data segment (RLIMIT_DATA: heap and private mappings, what Python
and numpy allocate; at least the resident heap, about 100 MB before any
search) may not grow past the cap while the block runs, so an
allocation past it raises MemoryError, which `synthesize` turns into a
result with `stopped = "out of memory"` (keeping what it found). Like the
timeout, where it strikes depends on the machine; below it nothing changes.
"""

from __future__ import annotations

import resource
import sys

from dsl.errors import UserError

MB = 1024 * 1024


class MemoryLimit:
    """Cap this process's data segment at `mb` megabytes inside the block (None: no cap); the old limit comes back after.

    Linux enforces RLIMIT_DATA on every private allocation since 4.7; macOS
    does not for mmap, so there the cap may not hold.
    """

    def __init__(self, mb: int | None) -> None:
        self.mb = mb
        self._old: tuple[int, int] | None = None

    def __enter__(self) -> "MemoryLimit":
        if self.mb is not None:
            soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
            cap = self.mb * MB
            if hard != resource.RLIM_INFINITY and cap > hard:
                raise UserError(f"a memory cap of {self.mb} MB is above this process's hard limit ({hard // MB} MB)")
            held = data_mb()
            if held is not None and held >= self.mb:
                raise UserError(f"a memory cap of {self.mb} MB is below what this process already holds ({held:.0f} MB of data)")
            self._old = (soft, hard)
            resource.setrlimit(resource.RLIMIT_DATA, (cap, hard))
        return self

    def __exit__(self, *exc: object) -> None:
        if self._old is not None:
            resource.setrlimit(resource.RLIMIT_DATA, self._old)
            self._old = None


def peak_mb() -> float:
    """Peak resident memory of this process so far, in MB (ru_maxrss: KiB on Linux, bytes on macOS)."""
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / MB if sys.platform == "darwin" else rss / 1024


def data_mb() -> float | None:
    """This process's data segment now (what RLIMIT_DATA bounds; with numpy loaded about 100 MB), in MB; None off Linux."""
    try:
        with open("/proc/self/statm") as f:
            pages = int(f.read().split()[5])
    except (OSError, ValueError, IndexError):
        return None
    return pages * resource.getpagesize() / MB
