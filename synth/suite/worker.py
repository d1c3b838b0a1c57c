"""Running one cell in the current process: draw its data, search on a CPU budget, score.

The time limit is CPU time, not wall time: sweeps run on shared machines and
clusters where a wall clock measures the neighbours as much as the search. A
profiling timer (ITIMER_PROF, CPU time of this process) interrupts the search
the way Ctrl-C does, which makes `synthesize` return what it searched so far;
the search's own wall-clock timeout stays as a generous backstop.
"""

from __future__ import annotations

import signal
import threading
import time
from collections import defaultdict
from dataclasses import replace
from typing import Any, Callable

from dsl.errors import UserError
from dsl.interp import compile_program
from synth.memory import peak_mb
from synth.report.generalize import RUN_FUEL, example_length
from synth.search import Result, synthesize
from synth.suite.cell import Cell, SearchSettings
from synth.suite.compat import code_version
from synth.suite.draw import draw
from synth.suite.outcome import Outcome, failed
from tasks.core import Task
from tasks.sequence.scoring import TokenScore, paper_score, suite_task_of, token_accuracy
from tasks.task import agrees

WALL_BACKSTOP = 10.0  # the search's wall-clock timeout, as a multiple of the CPU budget
WALL_SLACK = 10.0  # seconds added to it
REPEAT_CPU = 0.5  # after the limit, interrupt again this often, in case an interrupt was swallowed
# A search that ended without a program: its `stopped` -> the cell's status.
_STATUS = {"exhausted": "exhausted", "timeout": "timeout", "memory": "memory", "out of memory": "memory"}


class CpuLimit:
    """Interrupt the block (KeyboardInterrupt) after `seconds` of this process's CPU time.

    An exception raised where Python cannot pass it on (a garbage-collector
    callback, a `__del__`) is swallowed, so past the limit the interrupt
    repeats every REPEAT_CPU seconds until the block ends. Signals reach only
    the main thread; elsewhere the limit is not armed and the search's
    wall-clock backstop is the only limit.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.fired = False
        self.armed = False
        self._old: Any = None

    def _on_signal(self, signum: int, frame: Any) -> None:
        self.fired = True
        raise KeyboardInterrupt

    def __enter__(self) -> "CpuLimit":
        if self.seconds > 0 and threading.current_thread() is threading.main_thread():
            self._old = signal.signal(signal.SIGPROF, self._on_signal)
            signal.setitimer(signal.ITIMER_PROF, self.seconds, REPEAT_CPU)
            self.armed = True
        return self

    def __exit__(self, *exc: object) -> None:
        if self.armed:
            signal.setitimer(signal.ITIMER_PROF, 0)
            signal.signal(signal.SIGPROF, self._old)
            self.armed = False


def run_cell(cell: Cell) -> Outcome:
    """The cell's outcome, stamped with this process's code version; any failure becomes an `error` (or `memory`) outcome, never an exception.

    The stamp lets the sweep refuse the result of a worker that runs other
    code than its own (a Ray node with another install, files edited since).
    KeyboardInterrupt from the user (not from the CPU limit) still propagates.
    """
    try:
        outcome = _run(cell)
    except MemoryError:
        outcome = failed("out of memory", status="memory", peak_mb=peak_mb())
    except UserError as err:
        outcome = failed(str(err), peak_mb=peak_mb())
    except Exception as err:  # a crash in one cell must not stop the sweep
        outcome = failed(f"{type(err).__name__}: {err}", peak_mb=peak_mb())
    return replace(outcome, code=code_version())


def _run(cell: Cell) -> Outcome:
    drawn = draw(cell)
    settings = cell.search
    limit = CpuLimit(settings.timeout)
    cpu0, wall0 = time.process_time(), time.perf_counter()
    result: Result | None = None
    try:
        with limit:
            result = synthesize(
                drawn.task,
                timeout=settings.timeout * WALL_BACKSTOP + WALL_SLACK,
                max_cost=settings.max_cost,
                profile=settings.profile,
                max_memory_mb=settings.max_memory_mb,
            )
    except KeyboardInterrupt:
        if not limit.fired:
            raise
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    stats: dict[str, Any] = result.stats.to_dict() if result is not None else {}
    if result is None or result.stats.stopped == "interrupted":
        if not limit.fired:
            raise KeyboardInterrupt
        status = "timeout"
        stats["limit"] = "cpu"
    elif result.program is not None:
        status = "found"
    else:
        status = _STATUS.get(result.stats.stopped, "error")
        if status == "timeout":
            stats["limit"] = "wall backstop"
    program = result.program if result is not None and status == "found" else None
    eval_cpu0 = time.process_time()
    accuracy = _score(program, drawn.task, settings) if drawn.task.test else None
    stats["eval_cpu_seconds"] = time.process_time() - eval_cpu0
    return Outcome(
        status=status,
        program=result.text if program is not None and result is not None else None,
        cost=result.cost if program is not None and result is not None else None,
        candidates=int(stats.get("enumerated", 0)),
        cpu_seconds=cpu,
        wall_seconds=wall,
        peak_mb=peak_mb(),
        accuracy=accuracy,
        training=drawn.training,
        stats=stats,
        error=None if status != "error" else f"search stopped: {stats.get('stopped')}",
    )


def _score(program: Any, task: Task, settings: SearchSettings) -> dict[str, Any]:
    """Accuracy on the tests, within the cell's CPU budget again: a program too slow to finish them scores 0."""
    limit = CpuLimit(settings.timeout)
    try:
        with limit:
            return score_by_length(program, task, settings.bucket)
    except KeyboardInterrupt:
        if not limit.fired:
            raise
    stopped = score_by_length(None, task, settings.bucket)
    stopped["stopped"] = f"the tests took over {settings.timeout:g} CPU seconds"
    return stopped


def score_by_length(program: Any, task: Task, bucket: int) -> dict[str, Any]:
    """Exact (and, for a Chomsky-suite task, per-token) accuracy per length, then per bucket.

    `mean_exact` averages the accuracy of each test length, and `mean_token`
    is the paper's score (tasks.sequence.scoring: masked tokens pooled per
    length, then the unweighted mean over lengths, as a fraction); no program
    scores 0.
    """
    examples = task.test
    run: Callable[..., Any] | None = compile_program(program) if program is not None else None
    suite = suite_task_of(task)
    exact: dict[int, list[int]] = defaultdict(list)
    tokens: dict[int, TokenScore] = defaultdict(lambda: TokenScore(0, 0))
    for ex in examples:
        try:
            out = run(ex.inputs, fuel=RUN_FUEL) if run is not None else None
        except (UserError, ArithmeticError, IndexError, TypeError, ValueError, RecursionError):
            out = None
        right = out is not None and agrees(ex.output, out)
        n = example_length(ex)
        exact[n].append(int(right))
        if suite is not None:
            tokens[n] += token_accuracy(suite, ex.output, out)
    lengths = sorted(exact)
    lo = lengths[0]
    grouped: dict[int, list[int]] = defaultdict(list)
    for n in lengths:
        grouped[lo + (n - lo) // bucket * bucket].append(n)
    buckets = []
    for start, members in sorted(grouped.items()):
        entry: dict[str, Any] = {
            "lengths": f"{start}..{min(start + bucket - 1, lengths[-1])}",  # the last bucket stops at the longest test
            "examples": sum(len(exact[n]) for n in members),
            "exact": _mean([x for n in members for x in exact[n]]),
        }
        if suite is not None:
            pooled = sum((tokens[n] for n in members), TokenScore(0, 0))
            entry["token"] = pooled.accuracy
        buckets.append(entry)
    acc: dict[str, Any] = {
        "examples": len(examples),
        "lengths": f"{lo}..{lengths[-1]}",
        "exact": _mean([x for n in lengths for x in exact[n]]),
        "mean_exact": _mean([_mean(exact[n]) for n in lengths]),
        "buckets": buckets,
    }
    if suite is not None:
        mean = paper_score(tokens)
        acc["mean_token"] = None if mean is None else mean / 100
    return acc


def _mean(xs: list[Any]) -> float:
    return sum(xs) / len(xs) if xs else 0.0
