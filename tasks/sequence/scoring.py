"""The paper's score: per-token accuracy with the code's masking, averaged over lengths.

How DeepMind's code computes it (experiments/example.py, range_evaluation.py,
tasks/task.py):
- per output token, the argmax prediction is right or wrong; a class output is
  one token;
- tasks with a termination token (stack_manipulation, binary_addition,
  binary_multiplication) mask every position after the first termination token
  of the *target* (the termination token itself counts);
- at one length, the masked right tokens of a batch are pooled and divided by
  the masked tokens of the batch (not an average of per-example accuracies);
- the score is the unweighted mean of those per-length accuracies over the
  test lengths (the paper: 41..500 after training on 1..40), in percent.

A program's output has no fixed length: a position it does not produce is
wrong, tokens beyond the expected length are ignored (the model's output is
cut to the output length), and a failed run gets every token wrong.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from dsl.values import Value
from tasks.core import Task
from tasks.sequence.spec import SequenceTask
from tasks.sequence.tasks import SEQUENCE_TASKS


@dataclass(frozen=True)
class TokenScore:
    """Masked output tokens of some examples, and how many of them were right."""

    correct: int
    total: int

    def __add__(self, other: TokenScore) -> TokenScore:
        return TokenScore(self.correct + other.correct, self.total + other.total)

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 1.0


def scored_positions(task: SequenceTask, expected: Value) -> int:
    """How many output tokens the code's accuracy mask keeps for this target."""
    if task.is_classification:
        return 1
    assert isinstance(expected, tuple)
    if task.termination is not None and task.termination in expected:
        return expected.index(task.termination) + 1
    return len(expected)


def token_accuracy(task: SequenceTask, expected: Value, predicted: Value | None) -> TokenScore:
    """Right tokens among the masked ones of one example (`predicted` None: the run failed)."""
    total = scored_positions(task, expected)
    if predicted is None:
        return TokenScore(0, total)
    if task.is_classification:
        return TokenScore(int(predicted == expected), 1)
    if not isinstance(predicted, tuple) or not isinstance(expected, tuple):
        return TokenScore(0, total)
    return TokenScore(sum(1 for i in range(min(total, len(predicted))) if predicted[i] == expected[i]), total)


def by_length(scored: Iterable[tuple[int, TokenScore]]) -> dict[int, TokenScore]:
    """(input length, score) pairs pooled per length, as the code pools a batch."""
    out: dict[int, TokenScore] = {}
    for length, sc in scored:
        out[length] = out.get(length, TokenScore(0, 0)) + sc
    return dict(sorted(out.items()))


def paper_score(per_length: Mapping[int, TokenScore]) -> float | None:
    """Percent: the unweighted mean over lengths of the pooled per-length accuracy; None when no token is scored.

    A length whose examples have no scored token (an empty output) has no
    accuracy and is left out of the mean, so it can neither raise nor lower it.
    """
    scored = [sc for sc in per_length.values() if sc.total]
    if not scored:
        return None
    return 100.0 * sum(sc.accuracy for sc in scored) / len(scored)


def suite_task_of(task: Task) -> SequenceTask | None:
    """The suite task a loaded task file names, if it is one of the 15 (else None: no paper score)."""
    name = getattr(task.spec, "task", None)  # tasks.sequence.io.SequenceSpec names its built-in task
    if task.family != "sequence" or not isinstance(name, str):
        return None
    return SEQUENCE_TASKS.get(name)
