"""Does a program that fits short examples hold on long ones?

Scores a program on the task's test examples, on fresh inputs of the
shortest lengths (0, 1 and 2, where the task has them: a start value that the
training examples never expose shows there) and on fresh, fully labelled
examples several times longer than the longest training example. A program
that fails the long ones fits the training lengths only: a shortcut.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from dsl import ast
from dsl.errors import UserError
from dsl.interp import compile_program
from dsl.values import MapValue, Value
from synth.report.counts import Count
from tasks.args import whole_number
from tasks.sequence import scoring
from tasks.sequence.scoring import TokenScore, paper_score, suite_task_of, token_accuracy
from tasks.sequence.spec import SequenceTask
from tasks.task import Example, Task, agrees, fresh_examples, has_generator

FACTORS = (2, 10, 100)
SHORT_LENGTHS = (0, 1, 2)
SHORT = "short"  # the name of the set of fresh inputs of SHORT_LENGTHS
MAX_LENGTH = 10_000
RUN_FUEL = 100_000_000


@dataclass(frozen=True)
class Score:
    """Accuracy on one set of examples: whole examples right, and labels right."""

    name: str
    length: int | None
    examples: int
    correct: int
    labels: int  # for a suite task: output tokens kept by the paper's mask
    labels_correct: int
    token_score: float | None = None  # suite tasks: the paper's per-token score, percent (tasks.sequence.scoring)
    span: str | None = None  # a set of several lengths: the lengths as a table shows them, e.g. "0..2" (length_span)

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
            "token_score": self.token_score,
        }


def example_length(ex: Example) -> int:
    """The length that generalization is measured in: the longest list input."""
    return max((len(v) for v in ex.inputs.values() if isinstance(v, tuple)), default=0)


def target_lengths(task: Task, factors: Sequence[int] = FACTORS, cap: int = MAX_LENGTH) -> list[int]:
    longest = max((example_length(ex) for ex in task.train), default=1) or 1
    lengths = sorted({min(longest * f, cap) for f in factors})
    return lengths


def score(program: ast.Program, examples: Sequence[Example], name: str, length: int | None = None,
          suite: SequenceTask | None = None) -> Score:
    run = compile_program(program)
    return score_with(lambda inputs: run(inputs, fuel=RUN_FUEL), examples, name, length, suite)


def score_with(predict: Callable[[Mapping[str, Value]], Value], examples: Sequence[Example], name: str, length: int | None = None,
               suite: SequenceTask | None = None, on_error: Callable[[int, UserError], None] | None = None) -> Score:
    """Exact matches; labels right (LEGO), or for a suite task the paper's masked tokens right.

    A run that fails (out of fuel or memory, an index out of range, ...)
    scores as wrong; `on_error` is told its place in `examples` and the error.
    """
    correct = labels = labels_correct = 0
    tokens: list[tuple[int, TokenScore]] = []
    for i, ex in enumerate(examples):
        try:
            out = predict(ex.inputs)
        except UserError as err:
            out = None
            if on_error is not None:
                on_error(i, err)
        if out is not None and agrees(ex.output, out):
            correct += 1
        if suite is not None:
            tokens.append((example_length(ex), token_accuracy(suite, ex.output, out)))
        elif isinstance(ex.output, MapValue):
            labels += len(ex.output)
            if isinstance(out, MapValue):
                labels_correct += sum(1 for k, v in ex.output.items() if k in out and out[k] == v)
        else:
            labels += 1
            labels_correct += int(out is not None and agrees(ex.output, out))
    if suite is not None:
        pooled = sum((sc for _, sc in tokens), TokenScore(0, 0))
        return Score(name, length, len(examples), correct, pooled.total, pooled.correct, paper_score(scoring.by_length(tokens)))
    return Score(name, length, len(examples), correct, labels, labels_correct)


@dataclass(frozen=True)
class CheckSet:
    """One set of examples the generalization check scores on: the task's test set, or fresh examples of one length."""

    name: str
    length: int | None
    examples: tuple[Example, ...]


def check_sets(
    task: Task,
    *,
    count: int = 20,
    seed: int = 0,
    factors: Sequence[int] = FACTORS,
    cap: int = MAX_LENGTH,
) -> tuple[CheckSet, ...]:
    """The task's test set (if any), the short set (`short_examples`), then fresh examples of 2x, 10x, 100x the training length.

    A task without a generator (an open task file) has its test set only.
    """
    sets = [CheckSet("test", None, tuple(task.test))] if task.test else []
    if has_generator(task):
        short = short_examples(task, count, seed)
        if short:
            sets.append(CheckSet(SHORT, None, short))
        for length in target_lengths(task, factors, cap):
            n = max(1, min(count, 200_000 // max(length, 1)))
            sets.append(CheckSet("fresh", length, tuple(fresh_examples(task, length, n, seed))))
    return tuple(sets)


def short_examples(task: Task, count: int = 20, seed: int = 0, lengths: Sequence[int] = SHORT_LENGTHS) -> tuple[Example, ...]:
    """Fresh examples of each of `lengths` the task allows (its generator refuses the others), each input once, in drawn order.

    The generator draws them as it draws the long ones, so they are valid
    inputs with reference outputs; at these lengths `count` draws usually
    cover every input there is.
    """
    count, seed = whole_number("count", count), whole_number("seed", seed)  # not taken below for a length too short
    seen: set[tuple] = set()
    out: list[Example] = []
    for length in lengths:
        try:
            drawn = fresh_examples(task, length, count, seed)
        except UserError:  # shorter than the task's shortest input (a LEGO sentence of no clause)
            continue
        for ex in drawn:
            key = tuple(sorted(ex.inputs.items()))
            if key not in seen:
                seen.add(key)
                out.append(ex)
    return tuple(out)


def generalization(
    program: ast.Program,
    task: Task,
    *,
    count: int = 20,
    seed: int = 0,
    factors: Sequence[int] = FACTORS,
    cap: int = MAX_LENGTH,
    sets: Sequence[CheckSet] | None = None,
) -> list[Score]:
    """Scores on the task's test set (if any) and on fresh examples of 2x, 10x, 100x the training length.

    A task without a generator (an open task file) is scored on its test set
    only. `sets` (from `check_sets`, with the same options) saves drawing the
    fresh examples again for each of several programs.
    """
    suite = suite_task_of(task)
    if sets is None:
        sets = check_sets(task, count=count, seed=seed, factors=factors, cap=cap)
    return [replace(score(program, s.examples, s.name, s.length, suite), span=None if s.length is not None else length_span(s.examples)) for s in sets]


def by_length(program: ast.Program, task: Task, lengths: Sequence[int], *, budget: int = 100_000, most: int = 50) -> list[Score]:
    """Scores on fresh examples of each length (seed = the length's place in `lengths`), about `budget` elements per length."""
    return [
        score(program, fresh_examples(task, n, max(1, min(most, budget // max(n, 1))), seed), "fresh", n)
        for seed, n in enumerate(lengths)
    ]


def score_table(scores: Sequence[Score], *, label_columns: bool = True, spans: Mapping[str, str] | None = None) -> list[str]:
    """The table `synth solve`, `synth demo` and `synth eval` print: one row per score, "-" where a figure has no count.

    For a suite task (a score with a token score) the label columns are the
    paper's masked tokens, and the paper score follows. Without
    `label_columns` (an open task: one label per example, the same figures
    as the examples') only the examples are shown. `spans` gives the length
    shown for a set scored over all its lengths (e.g. {"test": "10..29"})
    when the score does not carry its own `span`.
    """
    paper = any(sc.token_score is not None for sc in scores)
    labels, acc = ("tokens", "token acc") if paper else ("labels", "label acc")
    label_columns = label_columns or paper
    head = f"  {'set':<6} {'length':>7} {'examples':>9} {'accuracy':>9}"
    lines = [head + (f" {labels:>8} {acc:>10}" if label_columns else "") + ("  paper score" if paper else "")]
    for sc in scores:
        length = str(sc.length) if sc.length is not None else sc.span or (spans or {}).get(sc.name, "-")
        lines.append(
            f"  {sc.name:<6} {length:>7} {sc.examples:>9} {_percent(sc.accuracy):>9}"
            + (f" {sc.labels:>8} {_percent(sc.label_accuracy):>10}" if label_columns else "")
            + (f"  {sc.token_score:>10.1f}" if sc.token_score is not None else "")
        )
    return lines


def length_span(examples: Sequence[Example]) -> str:
    """The input lengths of a set of examples, as a table shows them: "20", or "10..29"."""
    lengths = [example_length(ex) for ex in examples]
    if not lengths:
        return "-"
    low, high = min(lengths), max(lengths)
    return str(low) if low == high else f"{low}..{high}"


def _percent(x: float | None) -> str:
    return "-" if x is None else f"{x:.1%}"


def _fails(sc: Score) -> bool:
    return sc.accuracy is not None and sc.accuracy < 1.0


def is_shortcut(scores: Sequence[Score]) -> bool:
    """Fits the training examples but not every longer one (the test set, the long fresh sets)."""
    return any(_fails(s) for s in scores if s.name != SHORT)


def fails_short(scores: Sequence[Score]) -> bool:
    """Gets one of the shortest inputs (the short set) wrong: it fits the training examples, yet does not compute the task."""
    return any(_fails(s) for s in scores if s.name == SHORT)
