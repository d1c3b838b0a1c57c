"""`synth eval` on a task file of any family: a program's accuracy on every example, by split and input length.

LEGO data (record files, LEGO task files, the paper's arrays) is scored by
synth.report.evaluate, label by label and by chain position. A task file of
another family (a Chomsky-suite task, `"family": "sequence"`; an open task
file of your own) is scored here, the way `synth solve` scores a found
program (synth.report.generalize): exact match per example, and for a suite
task the paper's per-token accuracy beside it. The program is type-checked
against each file's input and output types before anything runs; every run
has the interpreter's fuel and memory budgets, and a run that fails is a
wrong answer, listed with its error.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from dsl import ast
from dsl.errors import UserError
from dsl.files import read_text
from dsl.interp import DEFAULT_MEMORY, Compiled, compile_program
from dsl.parse import load_program
from dsl.types import MapT, Type
from dsl.values import Value
from synth.report.counts import Count
from synth.report.evaluate import Failed, Progress, RunFailures
from synth.report.generalize import RUN_FUEL, Score, example_length, score_table, score_with
from synth.report.tidy import EXACT, LABEL, TOKEN, TidyRow, write_csv
from tasks.families import family_of, load_task
from tasks.family import read_head
from tasks.jsonpos import value_positions
from tasks.sequence.scoring import TokenScore, paper_score, suite_task_of
from tasks.task import Example, Task

SPLITS = ("train", "test")
FAILURES_SHOWN = 10


def task_family(path: str) -> str | None:
    """The family of a task file `synth eval` scores here, or None for data that synth.report.evaluate reads (LEGO).

    A JSON document with "train" or "family" is a task file; it is scored
    here unless it is LEGO. Everything else (LEGO records in any format, the
    paper's .npz arrays) is None. A file that cannot be read, or a JSON
    document that does not parse, is refused here with its own error.
    """
    if path.endswith(".npz"):
        return None
    head = read_head(path)  # a missing file or a broken JSON document: its own error, not another reader's
    doc = head.document
    if doc is None or not ("train" in doc or "family" in doc):
        return None
    name = family_of(head).name
    return None if name == "lego" else name


def is_task_file(path: str) -> bool:
    """Whether `path` is a task file of any family, LEGO included (a JSON document with "train" or "family"), i.e. has splits."""
    if path.endswith(".npz"):
        return False
    doc = read_head(path).document
    return doc is not None and ("train" in doc or "family" in doc)


def refuse_one_output_for_mixed_splits(paths: Sequence[str], output: str) -> None:
    """One predictions file for a task file (every line with its split) and a file without splits would mix lines
    with and without "split", which synth.report.compare refuses: ask for separate runs instead."""
    split = [is_task_file(p) for p in paths]
    if any(split) and not all(split):
        task = paths[split.index(True)]
        other = paths[split.index(False)]
        raise UserError(
            f"-o {output}: {task} is a task file, whose prediction lines name their split, and {other} has no splits; "
            "one predictions file cannot hold both: run eval on them separately"
        )


def task_files(paths: Sequence[str]) -> list[str]:
    """The families of `paths` if every one is a task file scored here, [] if none is; a mix is refused."""
    families = [task_family(p) for p in paths]
    if all(f is None for f in families):
        return []
    lego = [p for p, f in zip(paths, families) if f is None]
    if lego:
        other = next(p for p, f in zip(paths, families) if f is not None)
        raise UserError(
            f"{lego[0]} is LEGO data and {other} a task file of another family: "
            "score them in separate runs"
        )
    return [f for f in families if f is not None]


@dataclass(frozen=True)
class Failure:
    """A record the program failed on (scored as wrong): its split, 1-based place in it, input length and error."""

    split: str
    index: int
    length: int
    error: str

    def to_dict(self) -> dict[str, Any]:
        return {"set": self.split, "index": self.index, "length": self.length, "error": self.error}


@dataclass(frozen=True)
class SplitScores:
    """One split of a task file: a score per input length, and all lengths pooled (length None)."""

    name: str
    by_length: tuple[Score, ...]
    overall: Score

    def to_dict(self) -> dict[str, Any]:
        return {"overall": self.overall.to_dict(), "by_length": [s.to_dict() for s in self.by_length]}


@dataclass(frozen=True)
class FileEval:
    """A program's scores on one task file."""

    path: str
    family: str
    task: str  # a suite task's name (parity_check), else the task file's
    unit: str | None  # what the label columns count: per_token_accuracy (suite tasks), label_accuracy (map outputs), else None
    splits: tuple[SplitScores, ...]
    failures: tuple[Failure, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.path,
            "family": self.family,
            "task": self.task,
            "unit": self.unit,
            "splits": {s.name: s.to_dict() for s in self.splits},
            "failed": [f.to_dict() for f in self.failures],
        }

    def tidy_rows(self, model: str, seed: int | None = None, source: str | None = None) -> list[TidyRow]:
        """Per split, exact match overall then by length; then the same for the unit (tokens or labels), if any.

        `source` is FILE#train or FILE#test unless given (a model's predictions file).
        """
        rows: list[TidyRow] = []
        for split in self.splits:
            where = f"{self.path}#{split.name}" if source is None else source
            scores = (split.overall, *split.by_length)
            rows += [TidyRow(model, EXACT, s.whole, length=s.length, seed=seed, source=where) for s in scores]
            if self.unit is not None:
                rows += [TidyRow(model, self.unit, s.per_label, length=s.length, seed=seed, source=where) for s in scores]
        return rows

    def format_text(self) -> list[str]:
        examples = ", ".join(f"{s.overall.examples:,} {s.name}" for s in self.splits)
        lines = [f"data: {self.path} ({self.family} task {self.task}; {examples} examples)"]
        lines += score_table([s for split in self.splits if split.overall.examples for s in (*split.by_length, split.overall)])
        lines.append('  (length "-": all lengths of the set; accuracy: exact match of the whole output)')
        if self.failures:
            lines.append(f"examples where the program failed (scored as wrong): {len(self.failures):,}")
            lines += [f"  {f.split} #{f.index} (length {f.length}): {f.error}" for f in self.failures[:FAILURES_SHOWN]]
            if len(self.failures) > FAILURES_SHOWN:
                lines.append(f"  ... and {len(self.failures) - FAILURES_SHOWN:,} more (--json lists them all)")
        return lines

    def where(self, failure: Failure) -> str:
        """FILE:LINE of the example a failure is about, found again in the file (read once more: only for a message)."""
        pos = value_positions(read_text(self.path), depth=2).get((failure.split, failure.index - 1))
        return self.path if pos is None else f"{self.path}:{pos.line}"


@dataclass(frozen=True)
class TaskEval:
    """A program's scores on task files, one `FileEval` each."""

    program: str
    files: tuple[FileEval, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"program": self.program, "files": [f.to_dict() for f in self.files]}

    def run_failures(self) -> RunFailures | None:
        """The examples the program raised on, over every file (None if it ran on every one)."""
        failed = [(f, x) for f in self.files for x in f.failures]
        if not failed:
            return None
        file, first = failed[0]
        records = sum(s.overall.examples for f in self.files for s in f.splits)
        return RunFailures(len(failed), records, Failed(file.where(first), first.error), "example")

    def tidy_rows(self, model: str = "program") -> list[TidyRow]:
        return [row for f in self.files for row in f.tidy_rows(model)]

    def to_csv(self, path: str | os.PathLike, model: str = "program", *, inputs: Iterable[str | os.PathLike] = ()) -> None:
        """The tidy CSV (synth.report.tidy); `source` is FILE#train or FILE#test."""
        write_csv(path, self.tidy_rows(model), inputs=inputs)

    def format_text(self) -> str:
        lines = [f"program: {self.program}"]
        for f in self.files:
            lines += f.format_text()
        return "\n".join(lines)


def task_name(task: Task) -> str:
    """A suite task by its own name (parity_check), any other by its task file's."""
    suite = suite_task_of(task)
    return suite.name if suite is not None else task.name


def signature(inputs: Iterable[tuple[str, Type]], output: Type) -> str:
    """`(xs: List[Int]) -> List[Int]`."""
    return "(" + ", ".join(f"{n}: {t}" for n, t in inputs) + f") -> {output}"


def check_fits(program: ast.Program, compiled: Compiled, task: Task, program_path: str, data_path: str) -> None:
    """Refuse a program whose inputs (names and types) or output type are not the task's, naming both files."""
    if program.input_types() == dict(task.input_types) and compiled.output_type == task.output_type:
        return
    raise UserError(
        f"{program_path} does not fit {data_path}: the program is {signature(program.input_types().items(), compiled.output_type)}; "
        f"the {task.family} task {task_name(task)} is {signature(task.input_types, task.output_type)}"
    )


def compile_file(path: str) -> tuple[ast.Program, Compiled]:
    """Parse and type-check a program file; every error names it."""
    program = load_program(path)
    try:
        return program, compile_program(program)
    except UserError as err:
        raise err.located(path) from None


Answer = Callable[[str, int], Value]  # (split, 0-based place in it) -> the output; a UserError is a wrong answer, listed


def evaluate_task(
    compiled: Compiled,
    task: Task,
    path: str,
    *,
    memory: int = DEFAULT_MEMORY,
    fuel: int = RUN_FUEL,
    progress: Progress | None = None,
    splits: Sequence[str] = SPLITS,
) -> FileEval:
    """Run the program on every example of `splits` of `task` (train, then test) and score it by split and input length."""

    def run(split: str, index: int) -> Value:
        if progress is not None:
            progress.tick()
        return compiled(split_examples(task, split)[index].inputs, fuel=fuel, memory=memory)

    return score_task(task, path, run, splits)


def split_examples(task: Task, split: str) -> tuple[Example, ...]:
    """The examples of one split (train or test) of a task."""
    if split not in SPLITS:
        raise UserError(f"no split {split!r}: a task file has {' and '.join(SPLITS)}")
    return task.train if split == "train" else task.test


def score_task(task: Task, path: str, answer: Answer, splits: Sequence[str] = SPLITS) -> FileEval:
    """Score `answer` on every example of `splits` by input length: exact match, and the task's unit (tokens or labels)."""
    suite = suite_task_of(task)
    failures: list[Failure] = []
    scored = []
    for name in splits:
        examples = split_examples(task, name)
        groups: dict[int, list[int]] = {}
        for i, ex in enumerate(examples):
            groups.setdefault(example_length(ex), []).append(i)
        scores = []
        for length, where in sorted(groups.items()):
            places = iter(where)  # score_with asks for each example once, in order

            def predict(inputs: Any, split: str = name, places: Iterator[int] = places) -> Value:
                return answer(split, next(places))

            def failed(k: int, err: UserError, split: str = name, where: list[int] = where, length: int = length) -> None:
                failures.append(Failure(split, where[k] + 1, length, str(err)))

            scores.append(score_with(predict, [examples[i] for i in where], name, length, suite, on_error=failed))
        scored.append(SplitScores(name, tuple(scores), pool(scores, name, suite is not None)))
    failures.sort(key=lambda f: (SPLITS.index(f.split), f.index))
    return FileEval(path, task.family, task_name(task), unit_of(task), tuple(scored), tuple(failures))


def unit_of(task: Task) -> str | None:
    """What the label columns count: a suite task's masked tokens, a map output's labels, else nothing (exact match only)."""
    return TOKEN if suite_task_of(task) is not None else LABEL if isinstance(task.output_type, MapT) else None


def pool(scores: Sequence[Score], name: str, tokens: bool) -> Score:
    """Scores of single lengths pooled into one (length None); a suite task's paper score is the mean over the lengths."""
    whole = sum((s.whole for s in scores), Count(0, 0))
    labels = sum((s.per_label for s in scores), Count(0, 0))
    paper = paper_score({s.length or 0: TokenScore(s.labels_correct, s.labels) for s in scores}) if tokens else None
    return Score(name, None, whole.total, whole.correct, labels.total, labels.correct, paper)


def evaluate_task_files(program_path: str, paths: Sequence[str], *, progress: Progress | None = None) -> TaskEval:
    """`synth eval` on task files: check the program against every file's signature first, then run and score it on each."""
    program, compiled = compile_file(program_path)
    tasks = []
    for path in paths:
        task = load_task(path)
        check_fits(program, compiled, task, program_path, path)
        tasks.append(task)
    return TaskEval(program_path, tuple(evaluate_task(compiled, task, path, progress=progress) for task, path in zip(tasks, paths)))
