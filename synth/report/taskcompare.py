"""`synth compare` on a task file of any family but LEGO: models' predictions beside the program and the published networks.

A predictions file is JSONL, one line per example of the split scored (the
test split unless told): `{"output": VALUE}` in the split's order, or
`{"index": K, "output": VALUE}` with K the example's 1-based place in the
split, in any order (the first line decides which; every line then keys the
same way). VALUE is written as the task file writes outputs and read the same
way (dsl.values.from_json with the task's output type): a list of ints for
reverse_string, an int for parity_check. Every mistake (broken JSON, another
key, a value of the wrong type, a group element of another group than the
task's outputs hold, an index out of range or given twice, an
extra line, an example without a prediction) is a UserError naming the file
and line; with `partial`, an example without a prediction is scored as
wrong and counted instead.

Each model is scored as `synth eval` scores a program on the file
(synth.report.taskeval): exact match by input length, and the task's unit
(a suite task's masked output tokens, with the paper's score; the labels of
a map output). Several files under one name are seeds of one model: tables
show their mean, summaries the mean and standard deviation, the CSV one row
per seed. Published figures (Deletang et al. 2023, per suite task) are shown
beside the paper score with their source and status, never as scores on
this file.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from dsl.errors import Pos, UserError, json_repr
from dsl.files import counted, iter_lines, loads_json
from dsl.groups import Elem, get_group
from dsl.types import ElemT, ListT, MapT, RecordT, Type
from dsl.values import Value, from_json, walk
from synth.report.compare import (
    PROGRAM_NAME,
    column_names,
    mean_std,
    published_dict,
    published_rows,
    refuse_other_kind_of_predictions,
    source_lines,
)
from synth.report.counts import Count
from synth.report.evaluate import Progress
from synth.report.generalize import Score, example_length
from synth.report.reference import Published, References, published_for
from synth.report.tables import grid
from synth.report.taskeval import FileEval, check_fits, compile_file, evaluate_task, score_task, split_examples, task_name, unit_of
from synth.report.tidy import EXACT, TOKEN, TidyRow, write_csv
from tasks.families import load_task
from tasks.sequence.scoring import suite_task_of
from tasks.task import Task

LINE_SHAPE = '{"output": VALUE} in the order of the split, or {"index": K, "output": VALUE} with K the 1-based place in the split'
KEYS = ("index", "output")
UNIT_TITLES = {TOKEN: "per-token accuracy", "label_accuracy": "label accuracy"}
PAPER_METRIC = "per_token_accuracy_percent"  # the paper score's tidy key: the same as the published figures'


def _listed(items: Sequence[int], most: int = 5) -> str:
    return ", ".join(str(i) for i in items[:most]) + (f" and {len(items) - most:,} more" if len(items) > most else "")


@dataclass(frozen=True)
class TaskPredictions:
    """A model's outputs for every example of one split, in the split's order; None where it gave none (partial only)."""

    path: str
    split: str
    outputs: tuple[Value | None, ...]

    @property
    def unanswered(self) -> int:
        return sum(1 for o in self.outputs if o is None)

    def answer(self, split: str, index: int) -> Value:
        """The output for the `index`-th (0-based) example; an unanswered one is a wrong answer."""
        out = self.outputs[index]
        if out is None:
            raise UserError("no prediction (--allow-partial: scored as wrong)")
        return out


def task_groups(task: Task) -> frozenset[str]:
    """The groups whose elements a prediction may hold: those in the task's outputs, else in its inputs (empty: no group to hold it to).

    The type Elem does not name a group, so the examples do.
    """
    if not _holds_elements(task.output_type):
        return frozenset()
    examples = (*task.train, *task.test)
    for values in ([ex.output for ex in examples], [v for ex in examples for v in ex.inputs.values()]):
        found = frozenset(e.group.name for v in values for e in walk(v) if isinstance(e, Elem))
        if found:
            return found
    return frozenset()


def _holds_elements(t: Type) -> bool:
    if isinstance(t, ListT):
        return _holds_elements(t.item)
    if isinstance(t, RecordT):
        return any(_holds_elements(f) for _, f in t.fields)
    if isinstance(t, MapT):
        return _holds_elements(t.key) or _holds_elements(t.value)
    return isinstance(t, ElemT)


GENERIC_ELEMENT = 'such as "Z2:1"'  # the example dsl.values gives, knowing no task


def _in_the_tasks_group(message: str, groups: Collection[str]) -> str:
    """`message` with its example element taken from the task's own group (a Z5 task: "Z5:1", not "Z2:1")."""
    if GENERIC_ELEMENT not in message or not groups or "Z2" in groups:
        return message
    group = get_group(sorted(groups)[0])
    example = group.names[1] if len(group.names) > 1 else group.names[0]
    return message.replace(GENERIC_ELEMENT, f'of {group.name} such as "{group.name}:{example}"')


def read_task_predictions(path: str | os.PathLike, task: Task, split: str = "test", *, partial: bool = False) -> TaskPredictions:
    """Read a predictions file for one split of `task` (see the module docstring); every error names file:line."""
    name = os.fspath(path)
    refuse_other_kind_of_predictions(name, 'JSONL, one {"output": ...} a line', allowed=())
    n = len(split_examples(task, split))
    if n == 0:
        alternative = "train" if split == "test" else "test"
        raise UserError(f"the {split} split of {task_name(task)} has no examples: nothing to compare (--split {alternative}?)")
    outputs: list[Value | None] = [None] * n
    line_of: dict[int, int] = {}
    keyed: bool | None = None
    last = 0
    groups = task_groups(task)

    def error(message: str, line: int) -> UserError:
        return UserError(message, file=name, pos=Pos(line, 1))

    for lineno, raw in iter_lines(name):
        if not raw.strip():
            continue
        last = lineno
        obj = loads_json(raw, file=name, line=lineno)
        if not isinstance(obj, dict) or "output" not in obj:
            raise error(f"each line is {LINE_SHAPE}", lineno)
        other = [k for k in obj if k not in KEYS]
        if other:
            raise error(f"unknown key{'s' if len(other) > 1 else ''} {', '.join(json_repr(k) for k in other)}: each line is {LINE_SHAPE}", lineno)
        if keyed is None:
            keyed = "index" in obj
        elif keyed != ("index" in obj):
            why = 'keys predictions by "index" (its first line has one), but this line has none' if keyed else 'lists predictions in the order of the split (its first line has no "index"), but this line has one'
            raise error(f"this file {why}", lineno)
        if keyed:
            k = obj["index"]
            if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= n:
                raise error(f'"index" must be an integer from 1 to {n:,} (the {split} split\'s examples), not {json_repr(k)}', lineno)
            if k in line_of:
                raise error(f"duplicate prediction for {split} example {k} (first on line {line_of[k]})", lineno)
        else:
            k = len(line_of) + 1
            if k > n:
                raise error(f"extra prediction: the {split} split of {task_name(task)} has {n:,} examples", lineno)
        line_of[k] = lineno
        try:
            outputs[k - 1] = output = from_json(obj["output"], task.output_type, f"output for {split} example {k}")
        except UserError as err:
            raise error(f"{_in_the_tasks_group(err.message, groups)} (the task's output is {task.output_type})", lineno) from None
        stray = next((e for e in walk(output) if isinstance(e, Elem) and e.group.name not in groups), None) if groups else None
        if stray is not None:
            raise error(
                f"output for {split} example {k}: {json_repr(str(stray))} is an element of {stray.group.name}, "
                f"but the task's outputs are elements of {' or '.join(sorted(groups))} (the task's output is {task.output_type})",
                lineno,
            )
    if not line_of:  # even with --allow-partial: a model that wrote nothing is not a result
        raise UserError(f"no predictions in {name} (the {split} split has {n:,} examples)", file=name)
    missing = [k for k in range(1, n + 1) if k not in line_of]
    if missing and not partial:
        where = f"the file ends after {counted(len(line_of), 'prediction')}" if not keyed else counted(len(line_of), "prediction")
        alternative = "train" if split == "test" else "test"
        hint = f" (the {alternative} split has {len(line_of):,}: --split {alternative}?)" if len(split_examples(task, alternative)) == len(line_of) else ""
        raise error(
            f"{where}, but the {split} split has {n:,} examples: no prediction for {split} example{'s' if len(missing) > 1 else ''} {_listed(missing)}; "
            f"--allow-partial scores them as wrong{hint}",
            last + 1,
        )
    return TaskPredictions(name, split, tuple(outputs))


@dataclass(frozen=True)
class Curve:
    """One seed's accuracy by input length, as synth.report.plot reads a report."""

    metric: str
    by_length: Mapping[int, Count]


@dataclass(frozen=True)
class TaskComparison:
    """Scores of several models (each over one or more seeds) and the program on one split of a task file, plus published figures."""

    path: str
    family: str
    task: str
    split: str
    unit: str | None  # per_token_accuracy (suite tasks), label_accuracy (map outputs), else None
    sizes: Mapping[int, int]  # input length -> examples of the split
    models: Mapping[str, tuple[FileEval, ...]]  # column name -> one score per seed, in column order
    sources: Mapping[str, tuple[str, ...]]  # column name -> the predictions file of each seed ("" for the program)
    program: str | None = None  # the program's column, if any
    published: tuple[Published, ...] = ()
    references: References | None = None
    asked_published: bool = False

    length_axis: ClassVar[str] = "input length"

    @property
    def paper(self) -> bool:
        """A suite task: the paper's score is shown."""
        return self.unit == TOKEN

    @staticmethod
    def _scores(fe: FileEval) -> tuple[Score, ...]:
        (split,) = fe.splits
        return (*split.by_length, split.overall)

    def _score(self, fe: FileEval, length: int | None) -> Score | None:
        return next((s for s in self._scores(fe) if s.length == length), None)

    def cell(self, name: str, length: int | None, metric: str = EXACT) -> tuple[float | None, float | None]:
        """(mean, std over seeds) of one model at one input length (None: all lengths)."""
        scores = [self._score(fe, length) for fe in self.models[name]]
        return mean_std([None if s is None else s.accuracy if metric == EXACT else s.label_accuracy for s in scores])

    def paper_score(self, name: str) -> tuple[float | None, float | None]:
        """(mean, std over seeds) of a model's paper score (percent), suite tasks only."""
        return mean_std([fe.splits[0].overall.token_score for fe in self.models[name]])

    def metrics(self) -> list[str]:
        return [EXACT] + ([self.unit] if self.unit is not None else [])

    def table(self, metric: str = EXACT) -> tuple[list[str], list[list[Any]]]:
        """Header and rows: one row per input length and a last one for all (length None), one mean column per model.

        The second column counts what the metric counts: examples, or the
        unit's tokens or labels (the same for every model).
        """
        counted = "examples" if metric == EXACT else "tokens" if metric == TOKEN else "labels"
        header = ["length", counted, *self.models]
        rows: list[list[Any]] = []
        for length in [*sorted(self.sizes), None]:
            count: int | None
            if metric == EXACT:
                count = self.sizes[length] if length is not None else sum(self.sizes.values())
            else:
                first = next((self._score(reps[0], length) for reps in self.models.values()), None)
                count = None if first is None else first.labels
            rows.append([length, count, *(self.cell(name, length, metric)[0] for name in self.models)])
        return header, rows

    def format_text(self) -> str:
        lengths = sorted(self.sizes)
        span = f", input lengths {lengths[0]}..{lengths[-1]}" if lengths else ""
        lines = [f"data: {self.path} ({self.family} task {self.task}; {self.split} split: {sum(self.sizes.values()):,} examples{span})"]
        if self.models:
            seeds = " (mean over seeds)" if any(len(r) > 1 for r in self.models.values()) else ""
            for metric in self.metrics():
                title = "exact match (the whole output right)" if metric == EXACT else UNIT_TITLES[metric]
                if metric == TOKEN:
                    title += " (the paper's masked output tokens)"
                header, rows = self.table(metric)
                lines.append(f"{title} by input length{seeds}:")
                lines += ["  " + x for x in grid([header] + [["all" if r[0] is None else r[0], *r[1:]] for r in rows])]
            lines.append("")
            for name in self.models:
                lines += self._summary(name)
        lines += self._published_lines()
        return "\n".join(lines)

    def _summary(self, name: str) -> list[str]:
        reps = self.models[name]
        figures = []
        for metric in self.metrics():
            what = "exact match" if metric == EXACT else UNIT_TITLES[metric]
            if len(reps) == 1:
                overall = reps[0].splits[0].overall
                figures.append(f"{what} {overall.whole if metric == EXACT else overall.per_label}")
            else:
                figures.append(f"{what} {_spread(*self.cell(name, None, metric))}")
        if self.paper:
            figures.append(f"paper score {_spread(*self.paper_score(name), 1)}")
        lines = [f"{name}: {', '.join(figures)}" + (f" over {len(reps)} seeds" if len(reps) > 1 else "")]
        failed = sum(len(fe.failures) for fe in reps)
        if failed and name == self.program:
            first = reps[0].failures[0]
            lines.append(f"  the program failed on {failed:,} examples (scored as wrong); first: #{first.index} (length {first.length}): {first.error}")
        elif failed:
            lines.append(f"  {failed:,} example{'s' if failed != 1 else ''} had no prediction, scored as wrong (--allow-partial)")
        return lines

    def _published_lines(self) -> list[str]:
        if not self.asked_published:
            return []
        if not self.published:
            return ["", f"published results: none for the {self.family} task {self.task} (`synth published` lists those shipped)"]
        rows: list[list[Any]] = [["model", "paper score", "status"]]
        if self.paper:
            rows += [[name, _spread(*self.paper_score(name), 1), f"scored here ({len(reps)} seeds)" if len(reps) > 1 else "scored here"] for name, reps in self.models.items()]
        rows += [[f"{p.source}: {p.model}", "-" if p.value is None else f"{p.value:.1f}", p.status] for p in self.published]
        out = ["", "paper score (per-token accuracy %, mean over input lengths) beside the published networks (not rerun here):"]
        out += ["  " + x for x in grid(rows)]
        if self.paper and self.models and self.sizes:
            lengths = sorted(self.sizes)
            out.append(f"scored here: {self.path}#{self.split}, input lengths {lengths[0]}..{lengths[-1]}")
        for metric, setting in dict.fromkeys((p.metric, p.setting) for p in self.published):
            out.append(f"published: {metric}; {setting}")
        if self.references is not None:
            out += source_lines(self.references, self.published)
        out.append("  note: published figures come from other settings (see each source); they are not scores on this data.")
        return out

    def to_dict(self) -> dict[str, Any]:
        models: dict[str, Any] = {}
        for name, reps in self.models.items():
            mean, std = self.cell(name, None)
            models[name] = {
                "seeds": [dict(fe.splits[0].to_dict(), failed=[f.to_dict() for f in fe.failures]) for fe in reps],
                "files": list(self.sources.get(name, ())),
                "mean": mean,
                "std": std,
            }
            if self.unit is not None:
                models[name]["unit_mean"], models[name]["unit_std"] = self.cell(name, None, self.unit)
            if self.paper:
                score, spread = self.paper_score(name)
                models[name]["paper_score"] = {"mean": score, "std": spread}
        return {
            "file": self.path,
            "family": self.family,
            "task": self.task,
            "split": self.split,
            "unit": self.unit,
            "models": models,
            "tables": {m: dict(zip(("header", "rows"), self.table(m))) for m in self.metrics()} if self.models else {},
            **published_dict(self.published, self.references),
        }

    def tidy_rows(self) -> list[TidyRow]:
        """Each seed of each model (exact match and the unit, by length; a suite task's paper score), then the published figures."""
        rows: list[TidyRow] = []
        for name, reps in self.models.items():
            files = self.sources.get(name, ())
            for s, fe in enumerate(reps):
                seed = s if len(reps) > 1 else None
                source = f"{files[s]}#{self.split}" if s < len(files) and files[s] else None  # the split, as eval's FILE#split
                rows += fe.tidy_rows(name, seed, source)
                if self.paper:
                    where = source or f"{self.path}#{self.split}"
                    rows.append(TidyRow(name, PAPER_METRIC, value=fe.splits[0].overall.token_score, seed=seed, source=where))
        return rows + published_rows(self.published)

    def to_csv(self, path: Any, inputs: Iterable[Any] = ()) -> None:
        """The tidy CSV (synth.report.tidy): a model's rows name its predictions file, the program's FILE#split."""
        write_csv(path, self.tidy_rows(), inputs=inputs)

    def curves(self) -> dict[str, list[tuple[str, list[Curve]]]]:
        """Each metric's models, each a Curve per seed (synth.report.plot draws one panel per metric)."""
        out: dict[str, list[tuple[str, list[Curve]]]] = {}
        for metric in self.metrics():
            for name, reps in self.models.items():
                curves = []
                for fe in reps:
                    by_length = fe.splits[0].by_length
                    counts = {s.length: s.whole if metric == EXACT else s.per_label for s in by_length if s.length is not None}
                    curves.append(Curve(metric, counts))
                out.setdefault(metric, []).append((name, curves))
        return out


def _spread(mean: float | None, std: float | None, digits: int = 4) -> str:
    if mean is None:
        return "-"
    return f"{mean:.{digits}f}" + ("" if std is None else f" ± {std:.{digits}f}")


def compare_task(
    path: str,
    predictions: Sequence[tuple[str, str]],
    *,
    split: str = "test",
    program: str | None = None,
    program_name: str = PROGRAM_NAME,
    references: References | None = None,
    partial: bool = False,
    progress: Progress | None = None,
) -> TaskComparison:
    """Score each (model name, predictions file) pair, and the program if given, on one split of a task file.

    A name given several times is one model with several seeds. The program
    is checked against the task's signature and every predictions file read
    (so any mistake is reported) before anything runs. With `references`,
    the published figures of a suite task are attached.
    """
    names = column_names(predictions, program_name if program is not None else None)
    task = load_task(path)
    split_examples(task, split)
    compiled = None
    if program is not None:
        parsed, compiled = compile_file(program)
        check_fits(parsed, compiled, task, program, path)
    read = [(name, read_task_predictions(file, task, split, partial=partial)) for name, file in predictions]
    models: dict[str, list[FileEval]] = {n: [] for n in names}
    sources: dict[str, list[str]] = {n: [] for n in names}
    for name, preds in read:
        models[name].append(score_task(task, path, preds.answer, (split,)))
        sources[name].append(preds.path)
    if compiled is not None:
        models[program_name].append(evaluate_task(compiled, task, path, progress=progress, splits=(split,)))
        sources[program_name].append("")
    sizes: dict[int, int] = {}
    for ex in split_examples(task, split):
        sizes[example_length(ex)] = sizes.get(example_length(ex), 0) + 1
    suite = suite_task_of(task) is not None
    name = task_name(task)
    published = tuple(published_for(name).values()) if references is not None and suite else ()
    return TaskComparison(
        path,
        task.family,
        name,
        split,
        unit_of(task),
        dict(sorted(sizes.items())),
        {n: tuple(r) for n, r in models.items()},
        {n: tuple(s) for n, s in sources.items()},
        program_name if program is not None else None,
        published,
        references,
        references is not None,
    )

