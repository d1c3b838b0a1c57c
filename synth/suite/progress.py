"""A one-line progress report on stderr: cells done, failures, ETA; and a line for each failure.

On a terminal the line is redrawn in place (at most a few times a second);
into a file or a pipe a line is written at every tenth of the sweep, so logs
of cluster jobs stay short. The ETA is `?` until as many cells have
finished as run at once (the first to finish are the quick ones, so an
earlier guess says 0s while long cells run), and it never says 0s while
cells remain.
"""

from __future__ import annotations

import math
import sys
import time
from typing import IO

from synth.suite.cell import Cell
from synth.suite.outcome import Outcome

REDRAW_SECONDS = 0.2


def _duration(seconds: float, at_least: int = 0) -> str:
    s = max(round(seconds), at_least)
    if s >= 3600:
        return f"{s // 3600}h{s % 3600 // 60:02d}m"
    if s >= 60:
        return f"{s // 60}m{s % 60:02d}s"
    return f"{s}s"


class Progress:
    def __init__(self, stream: IO[str] | None = None, enabled: bool = True) -> None:
        self.total = 0
        self.parallel = 1
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.tty = self.stream.isatty()
        self.done = self.failed = 0
        self.start_time = time.monotonic()
        self._drawn = 0.0
        self._tenth = 0

    def start(self, total: int, parallel: int = 1) -> None:
        """`total` cells are about to run, `parallel` at a time."""
        self.total = total
        self.parallel = max(1, parallel)
        self.start_time = time.monotonic()

    def line(self) -> str:
        elapsed = time.monotonic() - self.start_time
        text = f"cells {self.done}/{self.total} done, {self.failed} failed"
        if self.done < self.total:
            if self.done < min(self.parallel, self.total):
                text += ", ETA ?"
            else:
                estimate = elapsed / self.done * (self.total - self.done)
                text += f", ETA {_duration(math.ceil(estimate), at_least=1)}"
        return text + f" ({_duration(elapsed)} elapsed)"

    def __call__(self, cell: Cell, outcome: Outcome, stored: bool = True) -> None:
        """One cell done; `stored` False: its error was not stored over the result another run stored meanwhile."""
        self.done += 1
        self.failed += outcome.status == "error" and stored
        if not self.enabled:
            return
        if outcome.status == "error":  # said at once; the row keeps the whole message
            first = (outcome.error or "").splitlines()[0] if outcome.error else "no message"
            kept = "" if stored else " (not stored: another run's result for this cell is kept)"
            self.stream.write(("\r\x1b[K" if self.tty else "") + f"error in {cell.describe()}: {first}{kept}\n")
        now = time.monotonic()
        if self.tty:
            if now - self._drawn >= REDRAW_SECONDS or self.done == self.total:
                self.stream.write("\r" + self.line() + "\x1b[K")
                self.stream.flush()
                self._drawn = now
        elif self.done * 10 // self.total > self._tenth:
            self._tenth = self.done * 10 // self.total
            self.stream.write(self.line() + "\n")
            self.stream.flush()

    def close(self) -> None:
        if self.enabled and self.tty and self.done:
            self.stream.write("\n")
            self.stream.flush()
