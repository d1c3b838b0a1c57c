"""Benchmarks behind `synth bench`: each claim of speed the project makes.

A benchmark prepares its input untimed (`setup`), then the returned thunk is
timed `repeat` times in CPU seconds of this process (`time.process_time`:
the machine is shared, and wall time under load tripled some figures); we
report the median and, where a benchmark counts work, the rate work / median.
A benchmark whose claim is about wall time (a timeout) says so in `clock`.
Every target a benchmark declares is checked by `synth bench --check`.
Each area of the project lists its benchmarks in its own module here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class Benchmark:
    name: str
    claim: str
    setup: Callable[[], Callable[[], object]]
    target_seconds: float | None = None  # pass if median <= target
    work: float | None = None  # units of work per run, for a rate
    work_from_run: bool = False  # the timed thunk returns its own units of work
    outcome_from_run: bool = False  # the timed thunk returns what it reached, in words (reported, not judged)
    unit: str = ""  # e.g. "clauses/s"
    target_rate: float | None = None  # pass if work / median >= target
    repeat: int = 5
    clock: str = "cpu"  # "cpu": user + system seconds of this process and the children it waited for; "wall"


def all_benchmarks() -> list[Benchmark]:
    from synth.benchmarks import dsl_bench, eval_bench, search_bench, sequence_bench, suite_bench, tasks_bench

    out: list[Benchmark] = []
    for module in (dsl_bench, tasks_bench, search_bench, sequence_bench, eval_bench, suite_bench):
        out.extend(module.BENCHMARKS)
    return out
