"""Which training examples a candidate program gets wrong, and how: the one check every confirmation runs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Sequence

from dsl import ast
from dsl.errors import UserError
from dsl.interp import compile_program
from tasks.task import Task, agrees


@dataclass(frozen=True)
class Miss:
    """A training example a program gets wrong: an error there may be mended (sturdy.py), a wrong answer rules it out."""

    index: int  # its place in task.train
    error: bool  # the program fails there (a runtime error), rather than answering differently


def misses(task: Task, program: ast.Program, fuel: int, skip: Sequence[int] = ()) -> Iterator[Miss]:
    """The training examples, outside `skip`, that `program` fails on or answers differently, in order (lazily)."""
    run = compile_program(program)
    skipped = set(skip)
    for i, ex in enumerate(task.train):
        if i in skipped:
            continue
        try:
            if not agrees(ex.output, run(ex.inputs, fuel=fuel)):
                yield Miss(i, error=False)
        except UserError:
            yield Miss(i, error=True)
