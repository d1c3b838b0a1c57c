"""Ctrl-C (and the CLI's SIGTERM) once a long search has a result: stop the work, never what is written or shown.

`synth solve` stops its search at the first Ctrl-C and keeps what it found,
then writes `-o`, checks the programs on longer inputs and prints the report.
A second Ctrl-C a moment later (a double tap) landed in the search's return
or in the writing, and the program found went nowhere. With `WrapUp`:

- while the search runs, the first interrupt is delivered (it stops the
  search); later ones are held;
- after `hold()` (writing an output, printing the report) every interrupt is held;
- within `passing()` (the generalization check) interrupts are delivered
  again; `held` says whether one came before, so the caller may skip the work;
- as `installed()` ends, a held interrupt is delivered: the command ends as
  interrupted (exit 130), after its results are out.

Only signals with a Python handler are taken over, and only in the main
thread (`signals_taken`, which eval's per-record holding uses too).
"""

from __future__ import annotations

import contextlib
import signal
from types import FrameType
from typing import Any, Callable, Iterator

SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM") if hasattr(signal, name))
Handler = Callable[[int, FrameType | None], Any]


@contextlib.contextmanager
def signals_taken(handle: Handler) -> Iterator[dict[int, Handler]]:
    """SIGINT and SIGTERM go to `handle` within the block; yields their previous handlers (for `handle` to call), restored after.

    Only signals whose handler is a Python function (Ctrl-C's KeyboardInterrupt,
    the CLI's SIGTERM) are taken, and only in the main thread; elsewhere
    nothing changes.
    """
    previous: dict[int, Handler] = {}
    try:
        for signum in SIGNALS:
            old = signal.getsignal(signum)
            if callable(old):
                previous[signum] = old
                signal.signal(signum, handle)
    except ValueError:  # not the main thread: signals go where they went
        pass
    try:
        yield previous
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)


class WrapUp:
    """See the module docstring: which interrupts are delivered when, around a search and its outputs."""

    def __init__(self) -> None:
        self.previous: dict[int, Handler] = {}
        self.seen = 0  # interrupts that arrived
        self._held: tuple[int, Handler] | None = None
        self._mode = "search"  # "search", "hold" or "passing"

    @property
    def held(self) -> bool:
        """Whether an interrupt is waiting to be delivered."""
        return self._held is not None

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        self.seen += 1
        handler = self.previous[signum]
        if self._mode == "passing" or (self._mode == "search" and self.seen == 1):
            handler(signum, frame)
        elif self._held is None:
            self._held = (signum, handler)

    @contextlib.contextmanager
    def installed(self) -> Iterator[WrapUp]:
        """Take the signals over for the block; a held one is delivered as it ends (unless an exception is already on its way)."""
        with signals_taken(self._handle) as self.previous:
            yield self
        if self._held is not None:
            signum, handler = self._held
            self._held = None
            handler(signum, None)

    def hold(self) -> None:
        """From here on, every interrupt waits (the search is over: what follows writes and shows its result)."""
        self._mode = "hold"

    @contextlib.contextmanager
    def passing(self) -> Iterator[None]:
        """Interrupts delivered within the block (work that may be cut short); held again after it."""
        self._mode = "passing"
        try:
            yield
        finally:
            self._mode = "hold"
