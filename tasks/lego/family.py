"""The LEGO family: task files and every record format of tasks.lego.io, as Tasks.

A LEGO example is a sentence's clause records with a partial map of labelled
values; fresh examples are shuffled sentences drawn by tasks.lego.generate
over the task's group and structure.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Iterable

from dsl.errors import UserError
from dsl.types import CLAUSE, ELEM, SYM, ListT, MapT, Type
from dsl.values import MapValue
from tasks.core import Example, Task, TaskSpec
from tasks.family import FileHead
from tasks.lego.errors import LegoDataError
from tasks.lego.sentence import LegoRecord, structure_of
from tasks.lego.validate import Summary, validate_file

LEGO_INPUT_TYPES: tuple[tuple[str, Type], ...] = (("clauses", ListT(CLAUSE)),)
LEGO_OUTPUT_TYPE: Type = MapT(SYM, ELEM)
LEGO_MARKS = frozenset({"group", "structure", "sentence", "clauses", "truth_values", "labels"})


@dataclass(frozen=True, kw_only=True)
class LegoSpec(TaskSpec):
    """Fresh LEGO sentences: over this group, chain- or tree-shaped."""

    family: str = "lego"
    group: str = "Z2"
    structure: str = "chain"


def lego_example(record: LegoRecord, *, full: bool = False) -> Example:
    """The example of a record: its clauses, and its labels (all values if `full`)."""
    if full:
        from tasks.lego.solve import solve

        output = MapValue(solve(record.sentence))
    else:
        output = MapValue(dict(record.labels))
    return Example(record.sentence.to_dsl(), output)


def task_from_records(
    records: Iterable[LegoRecord],
    *,
    name: str,
    test: Iterable[LegoRecord] = (),
    structure: str | None = None,
) -> Task:
    """A LEGO task from training records (as labelled) and test records.

    A test record with no labels at all is labelled in full by the reference
    solver, so that any test set measures every variable.
    """
    train = list(records)
    tests = list(test)
    groups = {r.sentence.group.name for r in train + tests}
    if len(groups) > 1:
        raise UserError(f"task {name}: records over different groups ({', '.join(sorted(groups))})")
    group = groups.pop() if groups else "Z2"
    return Task(
        name=name,
        family="lego",
        input_types=LEGO_INPUT_TYPES,
        output_type=LEGO_OUTPUT_TYPE,
        train=tuple(lego_example(r) for r in train),
        test=tuple(lego_example(r, full=not r.labels) for r in tests),
        spec=LegoSpec(group=group, structure=structure or structure_of(train + tests)),
    )


def looks_lego(head: FileHead) -> bool:
    """A record stream, or a JSON document with a LEGO key or LEGO records (sentences, clauses)."""
    doc = head.document
    if doc is None or LEGO_MARKS & set(doc):
        return True
    return any(isinstance(x, dict) and LEGO_MARKS & set(x) for x in head.examples[:1])


@dataclass(frozen=True)
class LegoFamily:
    """Task files with "family": "lego", and any LEGO record file (JSONL, text lines)."""

    name: str = "lego"
    generates: bool = True

    def recognises(self, head: FileHead) -> bool:
        return looks_lego(head)

    def load(self, head: FileHead, *, check: bool) -> Task:
        from tasks.lego.io import read_task_file

        meta, train, test = read_task_file(head.path, check=check)
        if not train:
            raise LegoDataError("the task has no training records", file=head.path)
        stem = os.path.splitext(os.path.basename(head.path))[0]
        try:
            task = task_from_records(train, name=str(meta.get("name", stem)), test=test, structure=meta.get("structure"))
        except UserError as err:  # records over several groups (a record file: a task file's reader refuses them with the line)
            raise err.located(head.path) from None
        assert isinstance(task.spec, LegoSpec)
        if meta.get("group") and task.spec.group != meta["group"]:
            raise LegoDataError(f"records are over {task.spec.group}, but the file says group {meta['group']}", file=head.path)
        return task

    def fresh_examples(self, spec: TaskSpec, length: int, count: int, seed: int) -> list[Example] | None:
        from tasks.lego.generate import iter_generate

        lego = spec if isinstance(spec, LegoSpec) else LegoSpec()
        return [lego_example(r) for r in iter_generate(length, count, seed, group=lego.group, structure=lego.structure)]

    def validate(self, head: FileHead, *, skip_bad: bool) -> Summary:
        return validate_file(head.path, skip_bad=skip_bad)


LEGO = LegoFamily()
