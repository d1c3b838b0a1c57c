"""Benchmarks: the sequence tasks from the networks' own kind of data (issue 9).

Each task gets 100 random training examples of lengths 1..40 and 100 test
examples of lengths 41..500 (seeded numpy draws, the task's own sampler and
reference). The timed run is the search; whether the program found is exact
on every test example is printed on stderr, and a run that finds no program,
or an inexact one, fails the benchmark.
"""

from __future__ import annotations

import sys
from typing import Callable

import numpy as np

from synth.benchmarks import Benchmark

TRAIN, TEST = 100, 100
TRAIN_LENGTHS = (1, 40)
TEST_LENGTHS = (41, 500)


def _task_names() -> tuple[str, ...]:
    """Every task of the sequence registry (the Chomsky suite once it is all there)."""
    from tasks.sequence.tasks import SEQUENCE_TASKS

    return tuple(SEQUENCE_TASKS)


def random_task(name: str, seed: int = 0, train: int = TRAIN, test: int = TEST):
    """A Task of `train` random examples of lengths 1..40 and `test` of lengths 41..500."""
    from tasks.core import Task
    from tasks.sequence.io import sequence_spec
    from tasks.sequence.tasks import get_sequence_task

    seq = get_sequence_task(name)
    rng = np.random.default_rng(seed)

    def draw(count: int, lengths: tuple[int, int]) -> tuple:
        sizes = rng.integers(lengths[0], lengths[1] + 1, size=count)
        seeds = rng.integers(0, 2**32, size=count)
        return tuple(ex for n, k in zip(sizes, seeds) for ex in seq.examples(int(n), 1, int(k)))

    return Task(name, "sequence", seq.input_types, seq.output_type, draw(train, TRAIN_LENGTHS),
                draw(test, TEST_LENGTHS), sequence_spec(seq))


def _solve_random(name: str) -> Callable[[], Callable[[], object]]:
    def setup() -> Callable[[], object]:
        from dsl.interp import compile_program
        from synth.search.solver import synthesize

        task = random_task(name)

        def run() -> None:
            result = synthesize(task, timeout=120)
            if result.program is None:
                raise RuntimeError(f"{name}: no program ({result.stats.stopped})")
            program = compile_program(result.program)
            exact = sum(program(ex.inputs) == ex.output for ex in task.test)
            print(f"  {name}: {result.text!r} (cost {result.cost}, {result.stats.rounds} rounds), "
                  f"exact on {exact}/{len(task.test)} tests of lengths 41..500", file=sys.stderr)
            if exact != len(task.test):
                raise RuntimeError(f"{name}: the program found is not exact at lengths 41..500")

        return run

    return setup


BENCHMARKS: list[Benchmark] = [
    Benchmark(f"search.random100.{name}",
              f"{name} from 100 random examples of lengths 1..40, exact on 100 of lengths 41..500, in at most 60 CPU-s",
              _solve_random(name), target_seconds=60.0, repeat=1)
    for name in _task_names()
]
