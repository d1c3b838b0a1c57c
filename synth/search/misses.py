"""Which training examples a candidate program gets wrong: the one check every confirmation runs."""

from __future__ import annotations

from typing import Iterator, Sequence

from dsl import ast
from dsl.errors import UserError
from dsl.interp import compile_program
from tasks.task import Task, agrees


def misses(task: Task, program: ast.Program, fuel: int, skip: Sequence[int] = ()) -> Iterator[int]:
    """The training examples, outside `skip`, that `program` fails on or answers differently, in order (lazily)."""
    run = compile_program(program)
    skipped = set(skip)
    for i, ex in enumerate(task.train):
        if i in skipped:
            continue
        try:
            ok = agrees(ex.output, run(ex.inputs, fuel=fuel))
        except UserError:
            ok = False
        if not ok:
            yield i
