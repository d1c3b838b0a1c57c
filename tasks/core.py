"""The typed task, as every family and the search see it: examples and a spec.

This module imports no family, so families (tasks.lego, tasks.sequence, ...)
can build `Example`s and `Task`s without an import cycle.
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


@dataclass(frozen=True)
class Task:
    name: str
    family: str  # "lego" or "sequence"
    input_types: tuple[tuple[str, Type], ...]
    output_type: Type
    train: tuple[Example, ...]
    test: tuple[Example, ...]
    spec: Mapping[str, object]  # how to make fresh examples (see fresh_examples)
