"""Sequence task files: ``{"family": "sequence", "name": ..., "train": [...], "test": [...]}``.

Each example is ``{"input": {"xs": [0, 1, 1]}, "output": 0}``; outputs are
checked against the task's reference function, so a typo is caught at load.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import IO, Iterable

from dsl.errors import UserError
from dsl.values import from_json, to_json
from tasks.core import Example, Task, TaskSpec
from tasks.family import FileHead, read_head
from tasks.jsonpos import JsonFile, Path, unknown_key, where
from tasks.sequence.tasks import SEQUENCE_TASKS, SequenceTask, get_sequence_task


@dataclass(frozen=True, kw_only=True)
class SequenceSpec(TaskSpec):
    """Fresh examples come from the built-in task of this name; tokens are 0..alphabet-1."""

    family: str = "sequence"
    task: str
    alphabet: int


# A task file's keys, and an example's: any other is a typo (a misspelt "test" would drop the test set unseen).
KEYS = ("family", "name", "description", "task_name", "seed", "drawn", "train", "test")
EXAMPLE_KEYS = ("input", "output")


def _example(task: SequenceTask, doc: JsonFile, at: Path, check: bool) -> Example:
    obj = doc.document[str(at[0])][int(at[1])]
    if not isinstance(obj, dict) or "input" not in obj or "output" not in obj:
        raise doc.error(f'{where(at)}: an example is {{"input": {{"xs": [...]}}, "output": ...}}', at)
    for key in obj:
        if key not in EXAMPLE_KEYS:
            raise doc.error(f"{where(at)}: " + unknown_key(key, EXAMPLE_KEYS, "an example"), (*at, key))
    raw_in = obj["input"]
    if not isinstance(raw_in, dict):
        raise doc.error(f"{where(at)}: the input must be an object of named inputs", at)
    names = [n for n, _ in task.input_types]
    extra = [k for k in raw_in if k not in names]
    if extra or any(n not in raw_in for n in names):
        raise doc.error(f"{where(at)}: expected inputs {', '.join(names)}", at)
    try:
        inputs = {n: from_json(raw_in[n], t, f"{where(at)}: input {n}") for n, t in task.input_types}
        output = from_json(obj["output"], task.output_type, f"{where(at)}: output")
    except UserError as err:
        raise doc.error(err.message, at) from None
    xs = inputs["xs"]
    assert isinstance(xs, tuple)
    why = task.check_input(xs)
    if why:
        raise doc.error(f"{where(at)}: {why}", at)
    if check:
        expected = task.reference(xs)
        if expected != output:
            raise doc.error(f"{where(at)}: output {json.dumps(to_json(output))} contradicts {task.name}, which gives {json.dumps(to_json(expected))}", at)
    return Example(inputs, output)


def load_sequence_task(path: str | os.PathLike, *, check: bool = True) -> Task:
    """The Task of a sequence task file."""
    head = read_head(path)
    if head.document is None or head.declared != "sequence":
        raise UserError('not a sequence task file (needs "family": "sequence")', file=head.path)
    return sequence_task(head, check=check)


def sequence_task(head: FileHead, *, check: bool = True) -> Task:
    """The Task of a sequence task file already read by `read_head`; outputs checked against the reference."""
    assert head.document is not None and head.text is not None
    doc = JsonFile.of(head.path, head.text, head.document)
    obj = head.document
    for key in obj:
        if key not in KEYS:
            raise doc.error(unknown_key(key, KEYS, "a sequence task file"), (key,))
    if not isinstance(obj.get("name"), str):
        raise doc.error(f'"name" must name a sequence task (known: {", ".join(SEQUENCE_TASKS)})', ("name",))
    try:
        task = get_sequence_task(obj["name"])
    except UserError as err:
        raise doc.error(f'{err.message}; for a problem of your own, leave out "family" (see tasks.open)', ("name",)) from None
    splits = {}
    for split in ("train", "test"):
        items = obj.get(split, [])
        if not isinstance(items, list):
            raise doc.error(f'"{split}" must be a list of examples', (split,))
        splits[split] = tuple(_example(task, doc, (split, i), check) for i in range(len(items)))
    if not splits["train"]:
        raise doc.error('the task has no training examples ("train" is empty or missing)', ("train",))
    return Task(
        name=str(obj.get("task_name", os.path.splitext(os.path.basename(head.path))[0])),
        family="sequence",
        input_types=task.input_types,
        output_type=task.output_type,
        train=splits["train"],
        test=splits["test"],
        spec=sequence_spec(task),
    )


def sequence_spec(task: SequenceTask) -> SequenceSpec:
    """How to make fresh examples, and what the task declares: its input tokens and output classes.

    A program may name any token of the alphabet (the stack's push-0 token 3,
    an operator token), as code written for the task would.
    """
    classes = () if task.classes is None else (task.classes,)
    return SequenceSpec(task=task.name, alphabet=task.alphabet, constants=tuple(range(task.alphabet)) + classes)


def example_to_json(example) -> dict:
    return {"input": {k: to_json(v) for k, v in example.inputs.items()}, "output": to_json(example.output)}


def write_sequence_task(name: str, train: Iterable, test: Iterable, stream: IO[str], *, seed: int | None = None,
                        drawn: dict | None = None) -> None:
    """A sequence task file, one example a line (deterministic bytes); `seed` and `drawn` record how it was drawn."""
    from tasks.lego.io import dump_task_json

    obj: dict = {"family": "sequence", "name": name}
    if seed is not None:
        obj["seed"] = seed
    if drawn is not None:
        obj["drawn"] = drawn
    obj["train"] = [example_to_json(e) for e in train]
    obj["test"] = [example_to_json(e) for e in test]
    stream.write(dump_task_json(obj))
