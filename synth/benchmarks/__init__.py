"""Benchmarks behind `synth bench`: each claim of speed the project makes.

A benchmark prepares its input untimed (`setup`), then the returned thunk is
timed `repeat` times; we report the median (machines are shared and noisy)
and, where a benchmark counts work, the rate work / median.
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
    unit: str = ""  # e.g. "clauses/s"
    target_rate: float | None = None  # pass if work / median >= target
    repeat: int = 5
    clock: str = "wall"  # "cpu": user + system seconds of this process and the children it waited for


def all_benchmarks() -> list[Benchmark]:
    from synth.benchmarks import dsl_bench, eval_bench, search_bench, suite_bench, tasks_bench

    out: list[Benchmark] = []
    for module in (dsl_bench, tasks_bench, search_bench, eval_bench, suite_bench):
        out.extend(module.BENCHMARKS)
    return out
