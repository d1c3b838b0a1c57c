"""Task files for the suite drawn as the paper draws its data: lengths uniform in a range, seeded.

The paper trains on lengths 1..40 (the code's UniformCurriculum draws one
length per batch) and tests on 41..500. Here every example draws its own
length uniformly from its split's range, then its input from the task's
generator at that length. The file says how it was drawn (`Drawing.to_json`),
so a data set is named by its command line and the same seed gives the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dsl.errors import UserError
from tasks.core import Example
from tasks.sequence.spec import SequenceTask


@dataclass(frozen=True)
class Split:
    """`count` examples, each of a length drawn uniformly from low..high (inclusive)."""

    count: int
    low: int
    high: int

    def to_json(self) -> dict:
        return {"count": self.count, "lengths": [self.low, self.high], "length_draw": "uniform per example"}


PAPER_TRAIN = Split(20, 1, 40)
PAPER_TEST = Split(100, 41, 500)


@dataclass(frozen=True)
class Drawing:
    """How a task file was drawn: one seed for both splits (spawned into two streams).

    The seed is written at the file's top level (as earlier files have it); `to_json` is the rest.
    """

    seed: int
    train: Split = PAPER_TRAIN
    test: Split = PAPER_TEST

    def to_json(self) -> dict:
        return {
            "train": self.train.to_json(),
            "test": self.test.to_json(),
            "generator": "tasks.sequence, following DeepMind's neural_networks_chomsky_hierarchy code",
        }


def draw_split(task: SequenceTask, split: Split, rng: np.random.Generator) -> list[Example]:
    """The split's examples: a length per example, then an input of that length."""
    if split.low > split.high:
        raise UserError(f"length range {split.low}..{split.high} is empty")
    if split.low < task.min_length:
        raise UserError(f"{task.name} has no inputs of length {split.low}; its shortest length is {task.min_length}")
    lengths = rng.integers(split.low, split.high + 1, size=split.count).tolist()
    return [Example({"xs": d.xs}, d.output) for length in lengths for d in task.draw(rng, length, 1)]


def draw_task(task: SequenceTask, drawing: Drawing) -> tuple[list[Example], list[Example]]:
    """Training and test examples of `drawing`, from independent streams of its seed."""
    train_seq, test_seq = np.random.SeedSequence(drawing.seed).spawn(2)
    return (draw_split(task, drawing.train, np.random.default_rng(train_seq)),
            draw_split(task, drawing.test, np.random.default_rng(test_seq)))

