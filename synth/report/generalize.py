"""Does a program that fits short examples hold on long ones?

Scores a program on the task's test examples and on fresh, fully labelled
examples several times longer than the longest training example. A program
that fails there fits the training lengths only: a shortcut.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from dsl import ast
from dsl.errors import UserError
from dsl.interp import compile_program
from dsl.values import MapValue, Value
from synth.report.counts import Count
from tasks.task import Example, Task, agrees, fresh_examples

FACTORS = (2, 10, 100)
MAX_LENGTH = 10_000
RUN_FUEL = 100_000_000


@dataclass(frozen=True)
class Score:
    """Accuracy on one set of examples: whole examples right, and labels right."""

    name: str
    length: int | None
    examples: int
    correct: int
    labels: int
    labels_correct: int

    @property
    def whole(self) -> Count:
        return Count(self.correct, self.examples)

    @property
    def per_label(self) -> Count:
        return Count(self.labels_correct, self.labels)

    @property
    def accuracy(self) -> float | None:
        """Whole examples right; None when there were none (as every Count)."""
        return self.whole.accuracy

    @property
    def label_accuracy(self) -> float | None:
        return self.per_label.accuracy

    def to_dict(self) -> dict:
        return {
            "set": self.name,
            "length": self.length,
            "examples": self.examples,
            "accuracy": self.accuracy,
            "labels": self.labels,
            "label_accuracy": self.label_accuracy,
        }


def example_length(ex: Example) -> int:
    """The length that generalization is measured in: the longest list input."""
    return max((len(v) for v in ex.inputs.values() if isinstance(v, tuple)), default=0)


def target_lengths(task: Task, factors: Sequence[int] = FACTORS, cap: int = MAX_LENGTH) -> list[int]:
    longest = max((example_length(ex) for ex in task.train), default=1) or 1
    lengths = sorted({min(longest * f, cap) for f in factors})
    return lengths


def score(program: ast.Program, examples: Sequence[Example], name: str, length: int | None = None) -> Score:
    run = compile_program(program)
    return score_with(lambda inputs: run(inputs, fuel=RUN_FUEL), examples, name, length)


def score_with(predict: Callable[[Mapping[str, Value]], Value], examples: Sequence[Example], name: str, length: int | None = None) -> Score:
    correct = labels = labels_correct = 0
    for ex in examples:
        try:
            out = predict(ex.inputs)
        except UserError:
            out = None
        if out is not None and agrees(ex.output, out):
            correct += 1
        if isinstance(ex.output, MapValue):
            labels += len(ex.output)
            if isinstance(out, MapValue):
                labels_correct += sum(1 for k, v in ex.output.items() if k in out and out[k] == v)
        else:
            labels += 1
            labels_correct += int(out is not None and agrees(ex.output, out))
    return Score(name, length, len(examples), correct, labels, labels_correct)


def generalization(
    program: ast.Program,
    task: Task,
    *,
    count: int = 20,
    seed: int = 0,
    factors: Sequence[int] = FACTORS,
    cap: int = MAX_LENGTH,
) -> list[Score]:
    """Scores on the task's test set (if any) and on fresh examples of 2x, 10x, 100x the training length."""
    scores = []
    if task.test:
        scores.append(score(program, task.test, "test"))
    for length in target_lengths(task, factors, cap):
        n = max(1, min(count, 200_000 // max(length, 1)))
        scores.append(score(program, fresh_examples(task, length, n, seed), "fresh", length))
    return scores


def by_length(program: ast.Program, task: Task, lengths: Sequence[int], *, budget: int = 100_000, most: int = 50) -> list[Score]:
    """Scores on fresh examples of each length (seed = the length's place in `lengths`), about `budget` elements per length."""
    return [
        score(program, fresh_examples(task, n, max(1, min(most, budget // max(n, 1))), seed), "fresh", n)
        for seed, n in enumerate(lengths)
    ]


def is_shortcut(scores: Sequence[Score]) -> bool:
    """Fits the training examples but not every longer one."""
    return any(s.accuracy is not None and s.accuracy < 1.0 for s in scores)
