"""Root-`if` repair (synth/search/repair.py): a program right on all but a few training examples, completed."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from dsl import ast
from dsl.interp import compile_program
from dsl.types import INT, ListT, Type
from synth.search.bank import Budget
from synth.search.grammar import grammar_for
from synth.search.profiles import LIST
from synth.search.repair import Repair
from synth.search.settings import DEFAULTS
from synth.search.solver import synthesize
from tasks.core import Example, Task
from tasks.open.spec import OpenSpec
from tasks.sequence.cs import BINARY_MULTIPLICATION, binary_multiplication
from tasks.task import agrees

SUM = ast.Prim("sum", (ast.Var("xs"),))


ROOM = 32  # what a repair may add: the default max_cost less nothing


def _task(f, xss: list[tuple], output_type: Type = INT) -> Task:
    return Task("t", "open", (("xs", ListT(INT)),), output_type,
                tuple(Example({"xs": xs}, f(xs)) for xs in xss), (), OpenSpec())


def _repair(task: Task) -> Repair:
    values = [v for ex in task.train for v in (*ex.inputs.values(), ex.output)]
    grammar = grammar_for(dict(task.input_types), task.output_type, values, profile=LIST)
    return Repair(task, grammar, Budget(settings=DEFAULTS))


def _right_everywhere(task: Task, expr: ast.Expr) -> bool:
    run = compile_program(ast.Program(tuple(ast.Param(n, t) for n, t in task.input_types), expr))
    return all(agrees(ex.output, run(ex.inputs)) for ex in task.train)


def _draw(seed: int, count: int = 30) -> list[tuple]:
    rng = np.random.default_rng(seed)
    return [tuple(int(v) for v in rng.integers(0, 3, size=int(rng.integers(1, 11)))) for _ in range(count)]


def _fixed_below(threshold: int, answer: int):
    """sum(xs), except that inputs shorter than `threshold` get a fixed answer."""
    return lambda xs: answer if len(xs) < threshold else sum(xs)


def test_a_program_wrong_on_the_short_inputs_gets_a_root_if() -> None:
    task = _task(_fixed_below(3, 4), _draw(0))
    repair = _repair(task)
    fixed = repair(SUM, ROOM)
    assert fixed is not None
    expr = fixed.expr
    assert isinstance(expr, ast.If) and expr.orelse == SUM, expr
    assert _right_everywhere(task, expr), expr
    assert fixed.extra == repair.grammar.cost(expr) - repair.grammar.cost(SUM)
    # The condition is a rule, not a list of the examples: it holds on a short input never seen.
    run = compile_program(ast.Program((ast.Param("xs", ListT(INT)),), expr))
    assert run({"xs": (2, 2)}) == 4 and run({"xs": (2,) * 50}) == 100


def test_a_repair_adds_no_more_than_the_room_it_is_given() -> None:
    """Helper audit: the chains' phase repaired a program with no ceiling, and returned `if ... then ... else
    P` dearer than max_cost (20 against 13). Every root if fits the room left, or there is none."""
    task = _task(_fixed_below(3, 4), _draw(0))
    repair = _repair(task)
    fixed = repair(SUM, ROOM)
    assert fixed is not None
    for room in range(fixed.extra + 3):
        got = repair(SUM, room)
        assert (got is None) if room < fixed.extra else (got is not None and got.extra <= room)


def test_nothing_is_repaired_that_is_right_or_wrong_too_often() -> None:
    xss = _draw(1)
    assert _repair(_task(sum, xss))(SUM, ROOM) is None  # right everywhere: nothing to do
    assert _repair(_task(_fixed_below(8, 4), xss))(SUM, ROOM) is None  # wrong on more than Settings.repair_share


@settings(max_examples=12, deadline=None)
@given(st.integers(2, 4), st.integers(0, 5), st.integers(0, 2**16))
def test_a_repaired_program_is_right_on_every_training_example(threshold: int, answer: int, seed: int) -> None:
    """The contract: what `Repair` returns keeps the program as its else-branch, fits every example, costs what it says."""
    task = _task(_fixed_below(threshold, answer), _draw(seed))
    repair = _repair(task)
    fixed = repair(SUM, ROOM)
    if fixed is not None:
        assert isinstance(fixed.expr, ast.If) and fixed.expr.orelse == SUM
        assert _right_everywhere(task, fixed.expr), fixed.expr
        assert fixed.extra == repair.grammar.cost(fixed.expr) - repair.grammar.cost(SUM)
        assert _repair(task)(SUM, ROOM) == fixed  # deterministic


def test_binary_multiplication_from_its_generator_short_inputs_and_all() -> None:
    """The chains' phase finds the product under pad, append and to_bits; the fixed answers of 1-2 tokens get the if."""
    rng = np.random.default_rng(0)
    train = [d for n in rng.integers(1, 13, size=24) for d in BINARY_MULTIPLICATION.draw(rng, int(n), 1)]
    assert any(len(d.xs) <= 2 for d in train) and any(len(d.xs) > 2 for d in train)
    task = _task(binary_multiplication, [d.xs for d in train], ListT(INT))
    result = synthesize(task, profile="list", timeout=300)
    assert result.program is not None, result.stats
    body = result.program.body
    assert isinstance(body, ast.If) and "fold" in result.text and "*" in result.text, result.text
    run = compile_program(result.program)
    for d in BINARY_MULTIPLICATION.draw(rng, 80, 5):
        assert run({"xs": d.xs}) == binary_multiplication(d.xs), result.text
