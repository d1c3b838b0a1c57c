"""Which of several listed programs behave alike on every input tried.

Programs consistent with the training examples can be different expressions
with the same outputs (`x + x` and `2 * x`, a fold whose start value is never
read): listed one after another they look like alternatives. Each program is
run on the training and test inputs, on the fresh inputs of the
generalization check (`synth.report.generalize.check_sets`: the shortest
lengths and the long ones), and, for a task with no generator, on every list
of length 0 to 2 over the few values its inputs show (`boundary_inputs`): a
start value the training examples never expose shows on those. One whose
outputs equal an earlier program's on all of them is marked as its twin.
Nothing is claimed beyond those inputs.

Outputs are compared through a 64-bit fingerprint per program, then exactly
(both programs run again, output by output) when two fingerprints match, so
a hash collision never makes two programs look alike.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from dsl import ast
from dsl.errors import UserError
from dsl.interp import compile_program
from dsl.values import Value
from synth.report.generalize import RUN_FUEL, SHORT_LENGTHS, CheckSet
from tasks.task import Task, has_generator

MAX_VALUES = 12  # at most 1 + 12 + 144 boundary inputs per list input


@dataclass(frozen=True)
class Failed:
    """The outcome of a run that failed (out of fuel, an index out of range, ...): every failure counts as one same outcome."""


FAILED = Failed()
Inputs = tuple[Mapping[str, Value], ...]


@dataclass(frozen=True)
class SameAs:
    """A listed program's outputs equal those of the program ranked `rank` (1-based) on all `inputs` inputs tried."""

    rank: int
    inputs: int

    def describe(self) -> str:
        return f"same outputs as #{self.rank} on all {self.inputs:,} inputs tried"

    def to_dict(self) -> dict[str, Any]:
        return {"program": self.rank, "inputs": self.inputs}


def tried_inputs(task: Task, sets: Sequence[CheckSet]) -> Inputs:
    """The training inputs, every input of the generalization check's sets (the test set among them), then the boundary inputs, in that order."""
    return tuple(ex.inputs for ex in task.train) + tuple(ex.inputs for s in sets for ex in s.examples) + boundary_inputs(task)


def boundary_inputs(task: Task, most: int = MAX_VALUES) -> Inputs:
    """For a task with no generator: each list input in turn replaced by every list of length 0..2 over the values it shows.

    The values are those of that input's lists in the training and test
    examples, in order of first appearance, after 0 for integers (or False
    and True for booleans); an input showing more than `most` values, or a
    non-list one, is left as in the first training example. A
    task with a generator has its shortest inputs drawn by it instead (the
    check sets' short set): lists of its values may not be inputs it allows.
    """
    if has_generator(task) or not task.train:
        return ()
    template = task.train[0].inputs
    out: list[Mapping[str, Value]] = []
    for name, value in template.items():
        if not isinstance(value, tuple):
            continue
        shown: dict[tuple[type, Value], Value] = {}  # keyed by type too: True is not 1 here
        for ex in (*task.train, *task.test):
            given = ex.inputs.get(name)
            if isinstance(given, tuple) and given:
                shown.update(_boundary_values(given[0]))
                break
        for ex in (*task.train, *task.test):
            given = ex.inputs.get(name)
            if isinstance(given, tuple):
                shown.update(((type(v), v), v) for v in given)
        if len(shown) > most:
            continue
        for xs in _lists(tuple(shown.values()), max(SHORT_LENGTHS)):
            out.append({**template, name: xs})
    return tuple(out)


def _boundary_values(like: Value) -> dict[tuple[type, Value], Value]:
    """The values a list of items like `like` starts from, shown or not: 0 for integers, both for booleans (a fold from 1 equals one from 0 over positive items only)."""
    if isinstance(like, bool):
        return {(bool, False): False, (bool, True): True}
    if isinstance(like, int):
        return {(int, 0): 0}
    return {}


def _lists(values: tuple[Value, ...], longest: int) -> Iterator[tuple[Value, ...]]:
    """Every tuple of `values` of length 0..longest, shortest first."""
    level: list[tuple[Value, ...]] = [()]
    for _ in range(longest + 1):
        yield from level
        level = [xs + (v,) for xs in level for v in values]


def outcomes(program: ast.Program, inputs: Inputs) -> Iterator[Value | Failed]:
    """The program's output on each input, FAILED where the run fails."""
    run = compile_program(program)
    for given in inputs:
        try:
            yield run(given, fuel=RUN_FUEL)
        except UserError:
            yield FAILED


def fingerprint(program: ast.Program, inputs: Inputs) -> int:
    """A hash of all the program's outcomes on `inputs`, in order (equal outcomes, equal fingerprints)."""
    return hash(tuple(hash(out) for out in outcomes(program, inputs)))


def same_outcomes(a: ast.Program, b: ast.Program, inputs: Inputs) -> bool:
    """Equal outcomes (by ==, and of one Python type: `True` is not `1` here) on every input."""
    return all(type(x) is type(y) and x == y for x, y in zip(outcomes(a, inputs), outcomes(b, inputs)))


class Twins:
    """Programs added one by one, in the order listed; each is told the first earlier one with the same outcomes.

    `training` is how many of the inputs (the first ones) are training
    inputs. Every listed program fits those by construction, so with no other
    input to tell them apart (an open task without a test set) nothing is
    marked: "the same on the training inputs" says nothing about them.
    """

    def __init__(self, inputs: Inputs, training: int = 0) -> None:
        self.inputs = inputs
        self.informative = len(inputs) > training
        self._firsts: list[tuple[int, int, ast.Program]] = []  # (fingerprint, rank, program), one per distinct behaviour

    def add(self, rank: int, program: ast.Program) -> SameAs | None:
        """None if the program's outcomes differ from every earlier program's somewhere on the inputs (or none beyond training)."""
        if not self.informative:
            return None
        mark = fingerprint(program, self.inputs)
        for other_mark, other_rank, other in self._firsts:
            if other_mark == mark and same_outcomes(other, program, self.inputs):
                return SameAs(other_rank, len(self.inputs))
        self._firsts.append((mark, rank, program))
        return None


def same_as(programs: Sequence[ast.Program], inputs: Inputs, training: int = 0) -> list[SameAs | None]:
    """For each program in listed order, the first earlier one with the same outcomes on all `inputs` (None: none)."""
    twins = Twins(inputs, training)
    return [twins.add(rank, p) for rank, p in enumerate(programs, 1)]
