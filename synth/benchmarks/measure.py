"""Running one benchmark: CPU (or wall) time of each run, the median, and the verdict on its target."""

from __future__ import annotations

import os
import statistics
import time
from dataclasses import dataclass

from synth.benchmarks import Benchmark


def cpu_seconds() -> float:
    """User + system CPU seconds of this process and of the children it has waited for
    (`synth eval` benchmarks run the command as a child process)."""
    children = os.times()  # children's times only exist at clock-tick resolution
    return time.process_time() + children.children_user + children.children_system


_CLOCKS = {"cpu": cpu_seconds, "wall": time.perf_counter}


@dataclass(frozen=True)
class Measurement:
    """The figures of one benchmark on this machine."""

    bench: Benchmark
    times: tuple[float, ...]
    work: float | None
    error: str | None = None  # the run failed (no program, a wrong one, ...): the target is missed
    outcome: str | None = None  # what the last run reached, for a benchmark that says (`outcome_from_run`)

    @property
    def median(self) -> float:
        return statistics.median(self.times) if self.times else float("nan")

    @property
    def rate(self) -> float | None:
        if self.work is None:
            return None
        return self.work / self.median if self.median > 0 else float("inf")

    @property
    def has_target(self) -> bool:
        return self.bench.target_seconds is not None or self.bench.target_rate is not None

    @property
    def meets_target(self) -> bool | None:
        """None for a benchmark with no target (a JSON reader counting met targets must not count it); False if the run failed."""
        if not self.has_target:
            return None
        if self.error is not None:
            return False
        b = self.bench
        if b.target_seconds is not None and self.median > b.target_seconds:
            return False
        rate = self.rate
        if b.target_rate is not None and (rate is None or rate < b.target_rate):
            return False
        return True

    @property
    def failed(self) -> bool:
        """What `synth bench --check` counts: a missed target, or a run that failed (with a target or without)."""
        return self.error is not None or self.meets_target is False

    def to_dict(self) -> dict:
        b = self.bench
        row: dict = {
            "name": b.name,
            "claim": b.claim,
            "clock": b.clock,
            "repeat": len(self.times),
            "median_s": self.median,
            "min_s": min(self.times, default=float("nan")),
            "max_s": max(self.times, default=float("nan")),
        }
        if self.error is not None:
            row["error"] = self.error
        if self.outcome is not None:
            row["outcome"] = self.outcome
        if b.target_seconds is not None:
            row["target_s"] = b.target_seconds
        if self.work is not None:
            row.update(work=self.work, rate=self.rate, unit=b.unit)
            if b.target_rate is not None:
                row["target_rate"] = b.target_rate
        row["meets_target"] = self.meets_target
        return row


def measure(bench: Benchmark, repeat: int | None = None) -> Measurement:
    """Set up untimed, then time `repeat` runs (the benchmark's own count by default)."""
    clock = _CLOCKS[bench.clock]
    thunk = bench.setup()
    times = []
    work = bench.work
    outcome = None
    for _ in range(repeat or bench.repeat):
        start = clock()
        try:
            out = thunk()
        except Exception as err:  # noqa: BLE001 - a failed claim is reported, not a crash
            times.append(clock() - start)
            return Measurement(bench, tuple(times), work, f"{type(err).__name__}: {err}")
        times.append(clock() - start)
        if bench.work_from_run:
            work = out  # type: ignore[assignment]
        if bench.outcome_from_run:
            outcome = str(out)
    return Measurement(bench, tuple(times), work, outcome=outcome)
