"""Tasks as the synthesizer sees them: typed examples, whatever the family.

A task is a name, the DSL types of its inputs and output, training and test
examples, and a typed spec (tasks.core.TaskSpec) saying which family it is
and how that family makes fresh examples of any length, which is how a found
program's length generalization is measured. The families themselves live
behind tasks.families; this module is the short public door to them.
"""

from __future__ import annotations

import json
from typing import Any, Mapping

from dsl.values import MapValue, Value
from tasks.core import Example, Task, TaskSpec
from tasks.families import fresh_examples, has_generator, load_task
from tasks.lego.family import (
    LEGO_INPUT_TYPES,
    LEGO_OUTPUT_TYPE,
    LegoSpec,
    lego_example,
    task_from_records,
)

__all__ = [
    "LEGO_INPUT_TYPES",
    "LEGO_OUTPUT_TYPE",
    "Example",
    "LegoSpec",
    "Task",
    "TaskSpec",
    "agrees",
    "contradictions",
    "fresh_examples",
    "has_generator",
    "lego_example",
    "load_task",
    "task_from_records",
]


_PLAIN = (int, bool, tuple, str)


def agrees(expected: Value, predicted: Value) -> bool:
    """A partial MapValue agrees if every labelled key is predicted, equal; other values by ==."""
    if type(expected) in _PLAIN:  # the search's hot path: skip the abstract-class check
        return bool(expected == predicted)
    if isinstance(expected, MapValue):
        if not isinstance(predicted, Mapping):
            return False
        for key, value in expected.items():
            if key not in predicted or predicted[key] != value:
                return False
        return True
    return expected == predicted


def contradictions(task: Task) -> list[str]:
    """Pairs of training examples with the same input but conflicting outputs, described."""
    out: list[str] = []
    first: dict[Any, int] = {}
    for i, ex in enumerate(task.train):
        key = _input_key(ex.inputs)
        j = first.setdefault(key, i)
        if j == i:
            continue
        a, b = task.train[j].output, ex.output
        if isinstance(a, MapValue) and isinstance(b, MapValue):
            clash = sorted(k for k in a if k in b and a[k] != b[k])
            for k in clash:
                out.append(f"training records {j + 1} and {i + 1} have the same sentence but label {k} as {getattr(a[k], 'name', a[k])} and {getattr(b[k], 'name', b[k])}")
        elif a != b:
            out.append(f"training examples {j + 1} and {i + 1} have the same input but outputs {_show(a)} and {_show(b)}")
    return out


def _input_key(inputs: Mapping[str, Value]) -> Any:
    return tuple(sorted(inputs.items(), key=lambda kv: kv[0]))


def _show(v: Value) -> str:
    from dsl.values import to_json

    return json.dumps(to_json(v))
