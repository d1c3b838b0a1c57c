"""Benchmarks: the sequence tasks from the networks' own kind of data (issue 9), one per (task, profile).

Each task gets 100 random training examples of lengths 1..40 and 100 test
examples of lengths 41..500 (seeded numpy draws, the task's own sampler and
reference), and is searched once with each grammar profile the search
offers, with a timeout of 60 s of wall time (the claim is in CPU seconds).
The timed run is the search plus the check of its program on the tests,
whose outcome (the profile, the program, how many tests it gets exactly
right, or why the search stopped) is printed on stderr and kept as the
benchmark's outcome.

Only the pairs of `SOLVED_FROM_RANDOM100` carry the target (solved, exact on
every test, in at most 60 CPU-s): there a run that finds no program, or an
inexact one, misses it. The other pairs are measured and report what they
reach, with no target, so they never fail `synth bench --check`.
"""

from __future__ import annotations

import sys
from typing import Callable

import numpy as np

from synth.benchmarks import Benchmark
from synth.search.profiles import PROFILES

TRAIN, TEST = 100, 100
TRAIN_LENGTHS = (1, 40)
TEST_LENGTHS = (41, 500)
TIMEOUT_S = 60.0  # wall time given to each search
TARGET_CPU_S = 60.0

# The (task, profile) pairs solved from this kind of data, by profile: exactly
# the rows of the README's suite table ("From the networks' own training data",
# `synth suite run --bundled chomsky-quick`) solved in both seeds. Change this
# table when that one changes; a pair left out is benchmarked without a target.
SOLVED_FROM_RANDOM100: dict[str, frozenset[str]] = {
    "core": frozenset({
        "cycle_navigation", "duplicate_string", "even_pairs", "missing_duplicate_string",
        "odds_first", "parity_check", "reverse_string",
    }),
    "list": frozenset({
        "binary_addition", "binary_multiplication", "bucket_sort", "cycle_navigation",
        "duplicate_string", "even_pairs", "missing_duplicate_string", "odds_first",
        "parity_check", "reverse_string", "stack_manipulation",
    }),
}


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


def is_claimed(name: str, profile: str) -> bool:
    """Whether the suite table reports `name` solved with `profile` (so the benchmark has a target)."""
    return name in SOLVED_FROM_RANDOM100.get(profile, frozenset())


def _solve_random(name: str, profile: str, timeout: float = TIMEOUT_S) -> Callable[[], Callable[[], str]]:
    claimed = is_claimed(name, profile)

    def setup() -> Callable[[], str]:
        from dsl.interp import compile_program
        from synth.search.solver import synthesize

        task = random_task(name)

        def run() -> str:
            result = synthesize(task, timeout=timeout, profile=profile)
            if result.program is None:
                outcome = f"profile {result.profile.name}: no program ({result.stats.stopped})"
            else:
                program = compile_program(result.program)
                exact = sum(program(ex.inputs) == ex.output for ex in task.test)
                text = "; ".join(line for line in (result.text or "").splitlines() if not line.startswith("input "))
                outcome = (f"profile {result.profile.name}: {text!r} (cost {result.cost}, "
                           f"{result.stats.rounds} rounds), exact on {exact}/{len(task.test)} tests of lengths 41..500")
                if exact == len(task.test):
                    outcome = f"solved with {outcome}"
            print(f"  {profile}/{name}: {outcome}", file=sys.stderr)
            if claimed and not outcome.startswith("solved"):
                raise RuntimeError(f"{name} with profile {profile}: not solved ({outcome})")
            return outcome

        return run

    return setup


def _claim(name: str, profile: str) -> str:
    text = (f"{name} with profile {profile} from 100 random examples of lengths 1..40 "
            f"(search timeout {TIMEOUT_S:.0f} s wall)")
    if is_claimed(name, profile):
        return f"{text}: solved, exact on 100 of lengths 41..500, in at most {TARGET_CPU_S:.0f} CPU-s"
    return f"{text} (no target: not solved from this data)"


BENCHMARKS: list[Benchmark] = [
    Benchmark(f"search.random100.{profile}.{name}", _claim(name, profile), _solve_random(name, profile),
              target_seconds=TARGET_CPU_S if is_claimed(name, profile) else None, repeat=1,
              outcome_from_run=True)
    for profile in PROFILES
    for name in _task_names()
]
