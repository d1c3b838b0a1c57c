"""The default backend: a pool of processes on this machine, a fresh one per cell.

Each cell runs in a process of its own (forked on Linux, so nothing is
imported again): a cell that crashes the interpreter, exhausts
memory or is killed costs that cell only, recorded as an error with the way
its process ended, and every cell's peak memory is its own. The parent waits
on the result pipes; a pipe that closes without a result is a dead worker.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import multiprocessing
import os
import signal
import sys
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Any, Iterable, Iterator, cast

from synth.suite.cell import Cell
from synth.suite.outcome import Outcome, failed
from synth.suite.worker import run_cell

PR_SET_PDEATHSIG = 1
STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}
JOIN_SECONDS = 5.0


def default_jobs() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _context() -> Any:
    """Fork on Linux (cheap, nothing imported again); elsewhere the platform's default, as fork is unsafe on macOS."""
    return multiprocessing.get_context("fork" if sys.platform.startswith("linux") else None)


def _die_with_parent(parent: int) -> None:
    """Ask Linux to kill this process when the sweep's process dies (even by SIGKILL)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)  # the process's own symbols include libc's
    except (OSError, AttributeError, TypeError):
        return
    if os.getppid() != parent:  # the parent died before we asked
        os._exit(1)


@contextlib.contextmanager
def _interrupts_deferred() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM while forking: raised inside the interpreter's at-fork hooks, they would be lost."""
    old = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _child(cell: Cell, conn: Connection, parent: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)  # blocked by the parent around the fork
    _die_with_parent(parent)
    conn.send(run_cell(cell))
    conn.close()


def _ended(proc: BaseProcess) -> str:
    proc.join(JOIN_SECONDS)
    code = proc.exitcode
    if code is None:
        return "did not exit"
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        hint = " (out of memory?)" if -code == signal.SIGKILL else ""
        return f"killed by {name}{hint}"
    return f"exited with status {code}"


@dataclass(frozen=True)
class _Running:
    cell: Cell
    proc: BaseProcess


class LocalPool:
    name = "local"

    def __init__(self, jobs: int | None = None) -> None:
        self.jobs = jobs or default_jobs()

    def capacity(self) -> int:
        return self.jobs

    def close(self) -> None:
        pass  # every process has been joined by the end of `run`

    def run(self, cells: Iterable[Cell]) -> Iterator[tuple[Cell, Outcome]]:
        ctx = _context()
        gc.freeze()  # objects made so far stay out of the collector, so children do not copy their pages
        todo = iter(cells)
        running: dict[Connection, _Running] = {}
        try:
            while True:
                while len(running) < self.jobs:
                    cell = next(todo, None)
                    if cell is None:
                        break
                    receiver, sender = ctx.Pipe(duplex=False)
                    proc = ctx.Process(target=_child, args=(cell, sender, os.getpid()), daemon=True)
                    with _interrupts_deferred():
                        proc.start()
                        running[receiver] = _Running(cell, proc)
                        sender.close()  # only the child holds the sending end: its death closes the pipe
                if not running:
                    return
                for ready in wait(list(running)):
                    conn = cast(Connection, ready)  # wait returns the connections it was given
                    job = running.pop(conn)
                    yield job.cell, _receive(conn, job.proc)
        finally:
            for conn, job in running.items():
                job.proc.kill()
                job.proc.join()
                conn.close()
            gc.unfreeze()


def _receive(conn: Connection, proc: BaseProcess) -> Outcome:
    try:
        outcome: Outcome = conn.recv()
    except (EOFError, OSError):
        return failed(f"the worker process {_ended(proc)}")
    finally:
        conn.close()
    proc.join(JOIN_SECONDS)
    if proc.exitcode is None:
        proc.kill()
        proc.join()
    return outcome
