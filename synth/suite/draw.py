"""The task a cell searches on, and a record of how its data was drawn.

A generated cell's training set is drawn as the networks' data is: each
example's length uniform in lo..hi from a seeded numpy Generator, then that
many examples of each length from the task's own generator with a seed the
Generator also drew. The test set has `test_count` examples of every test
length, from seeds that depend on `test_seed` only, so every training seed of
a task is tested on the same examples.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any, Mapping

# numpy.random imported here, not on first use, so forked workers start warm
from numpy.random import default_rng

from dsl.errors import UserError
from synth.suite.cell import Cell, Generated, Lengths, file_sha256
from tasks.core import Example, Task
from tasks.sequence import get_sequence_task
from tasks.sequence.io import sequence_spec
from tasks.task import load_task

SEED_BOUND = 2**63


@dataclass(frozen=True)
class Drawn:
    task: Task
    training: Mapping[str, Any]  # how the training set was drawn, stored in the row


def draw(cell: Cell) -> Drawn:
    src = cell.source
    if isinstance(src, Generated):
        return _generated(src)
    task = load_task(src.path)
    now = file_sha256(src.path)  # after loading: a file rewritten before or while it was read does not match
    if now != src.sha256:  # the cell is its planned bytes: a file edited during a sweep, or a Ray node's other copy, is another cell
        raise UserError(f"the task file has changed since the sweep was planned (sha256 {src.sha256[:12]}, now {now[:12]}): "
                        "run the sweep again to run the new content as a cell of its own", file=src.path)
    return Drawn(task, {"method": "file", "path": src.path, "sha256": src.sha256, "examples": len(task.train)})


def _generated(src: Generated) -> Drawn:
    seq = get_sequence_task(src.task)
    rng = default_rng(src.seed)
    lengths = [int(n) for n in rng.integers(src.train_lengths.lo, src.train_lengths.hi + 1, size=src.train_size)]
    counts = Counter(lengths)
    seeds = {n: int(rng.integers(SEED_BOUND)) for n in sorted(counts)}
    pools = {n: list(seq.examples(n, counts[n], seeds[n])) for n in sorted(counts)}
    train = [pools[n].pop(0) for n in lengths]  # in the order the lengths were drawn
    task = Task(
        name=src.task,
        family=src.family,
        input_types=seq.input_types,
        output_type=seq.output_type,
        train=tuple(train),
        test=tuple(drawn_tests(src)),
        spec=sequence_spec(seq),
    )
    training = {
        "method": "lengths uniform in lo..hi per example (numpy default_rng(seed).integers); "
        "then task.examples(length, count, seed drawn by the same generator) per length",
        "seed": src.seed,
        "lo": src.train_lengths.lo,
        "hi": src.train_lengths.hi,
        "lengths": lengths,
        "seeds_by_length": {str(n): s for n, s in seeds.items()},
    }
    return Drawn(task, training)


def _test_seeds(lengths: Lengths, test_seed: int) -> dict[int, int]:
    rng = default_rng(test_seed)
    return {n: int(rng.integers(SEED_BOUND)) for n in range(lengths.lo, lengths.hi + 1)}


def drawn_tests(src: Generated) -> list[Example]:
    seq = get_sequence_task(src.task)
    out: list[Example] = []
    for n, seed in _test_seeds(src.test_lengths, src.test_seed).items():
        out.extend(seq.examples(n, src.test_count, seed))
    return out
