"""The typed task, as every family and the search see it: examples and a spec.

This module imports no family, so families (tasks.lego, tasks.sequence,
tasks.open, ...) can build `Example`s, `Task`s and their own `TaskSpec`s
without an import cycle.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from dsl.types import Type
from dsl.values import Value


@dataclass(frozen=True)
class Example:
    """DSL input values by input name, and the expected output."""

    inputs: Mapping[str, Value]
    output: Value  # for LEGO a MapValue holding only the labelled variables


@dataclass(frozen=True, kw_only=True)
class TaskSpec:
    """What a task is beyond its examples: its family and what it declares about itself.

    Each family subclasses this with what its generator needs (a LEGO group,
    a sequence task's name); `tasks.families.fresh_examples` hands the spec to
    the family named here. `constants` are integers the task states (a class
    count, a modulus), which the search may use as literals.
    """

    family: str
    constants: tuple[int, ...] = ()


@dataclass(frozen=True)
class Task:
    name: str
    family: str  # the registry name of the family; always spec.family
    input_types: tuple[tuple[str, Type], ...]
    output_type: Type
    train: tuple[Example, ...]
    test: tuple[Example, ...]
    spec: TaskSpec  # how to make fresh examples (see tasks.families.fresh_examples)

    def __post_init__(self) -> None:
        if not isinstance(self.spec, TaskSpec):
            raise TypeError(f"Task.spec must be a tasks.core.TaskSpec, not {type(self.spec).__name__}")
        if self.spec.family != self.family:
            raise ValueError(f"task {self.name}: family {self.family!r} but a spec of family {self.spec.family!r}")
