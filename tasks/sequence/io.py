"""Sequence task files: ``{"family": "sequence", "name": ..., "train": [...], "test": [...]}``.

Each example is ``{"input": {"xs": [0, 1, 1]}, "output": 0}``; outputs are
checked against the task's reference function, so a typo is caught at load.
"""

from __future__ import annotations

import json
import os
from typing import IO, Any, Iterable

from dsl.errors import Pos, UserError
from dsl.values import from_json, to_json
from tasks.core import Example, Task
from tasks.sequence.tasks import SequenceTask, get_sequence_task


def _example(task: SequenceTask, obj: Any, where: str, check: bool):
    if not isinstance(obj, dict) or "input" not in obj or "output" not in obj:
        raise UserError(f"{where}: an example is {{\"input\": {{\"xs\": [...]}}, \"output\": ...}}")
    raw_in = obj["input"]
    if not isinstance(raw_in, dict):
        raise UserError(f"{where}.input: expected an object of named inputs")
    names = [n for n, _ in task.input_types]
    extra = [k for k in raw_in if k not in names]
    if extra or any(n not in raw_in for n in names):
        raise UserError(f"{where}.input: expected inputs {', '.join(names)}")
    inputs = {n: from_json(raw_in[n], t, f"{where}.input.{n}") for n, t in task.input_types}
    output = from_json(obj["output"], task.output_type, f"{where}.output")
    why = task.check_input(inputs["xs"])
    if why:
        raise UserError(f"{where}: {why}")
    if check:
        expected = task.reference(inputs["xs"])
        if expected != output:
            raise UserError(f"{where}: output {json.dumps(to_json(output))} contradicts {task.name}, which gives {json.dumps(to_json(expected))}")
    return Example(inputs, output)


def load_sequence_task(path: str | os.PathLike, *, check: bool = True):
    """The Task of a sequence task file."""
    file = os.fspath(path)
    try:
        with open(file, encoding="utf-8") as f:
            obj = json.load(f)
    except OSError as err:
        raise UserError(f"cannot read: {err.strerror}", file=file) from None
    except json.JSONDecodeError as err:
        raise UserError(f"broken JSON: {err.msg}", file=file, pos=Pos(err.lineno, err.colno)) from None
    try:
        if not isinstance(obj, dict) or obj.get("family") != "sequence":
            raise UserError("not a sequence task file (needs \"family\": \"sequence\")")
        task = get_sequence_task(str(obj.get("name")))
        splits = {}
        for split in ("train", "test"):
            items = obj.get(split, [])
            if not isinstance(items, list):
                raise UserError(f"\"{split}\" must be a list of examples")
            splits[split] = tuple(_example(task, x, f"{split}[{i}]", check) for i, x in enumerate(items))
        if not splits["train"]:
            raise UserError("the task has no training examples")
    except UserError as err:
        raise err.located(file) from None
    return Task(
        name=str(obj.get("task_name", os.path.splitext(os.path.basename(file))[0])),
        family="sequence",
        input_types=task.input_types,
        output_type=task.output_type,
        train=splits["train"],
        test=splits["test"],
        spec=sequence_spec(task),
    )


def sequence_spec(task: SequenceTask) -> dict:
    """How to make fresh examples, and what the task declares: its alphabet and output classes."""
    spec: dict = {"family": "sequence", "name": task.name, "alphabet": task.alphabet}
    if task.classes is not None:
        spec["classes"] = task.classes
    return spec


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
