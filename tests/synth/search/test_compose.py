"""Loops compose: inside expressions, joined, nested in bodies; bodies deduced from outputs."""

from __future__ import annotations

from dsl import ast
from dsl.interp import compile_program
from dsl.types import INT, ListT
from synth.search.bank import Bank, Budget
from synth.search.deduce import BodyExamples
from synth.search.grammar import Grammar
from synth.search.solver import synthesize
from tasks.core import Example, Task
from tasks.open.spec import OpenSpec

XS = [[1, 0, 2], [2, 2], [0, 1, 1, 0], [2], [1, 2, 0, 0, 1]]
LONG = [[(7 * i + k) % 3 for i in range(n)] for k, n in enumerate((30, 41, 57))]


def _task(f, output_type, xss=XS) -> Task:
    train = tuple(Example({"xs": tuple(x)}, f(tuple(x))) for x in xss)
    return Task("t", "open", (("xs", ListT(INT)),), output_type, train, (), OpenSpec())


def _exact(result, f) -> None:
    run = compile_program(result.program)
    for xs in LONG:
        assert run({"xs": tuple(xs)}) == f(tuple(xs)), result.text


def _loops(e: ast.Expr) -> int:
    """How many loops the expression holds."""
    n = 1 if isinstance(e, (ast.Comp, ast.Fold)) else 0
    for v in vars(e).values():
        if isinstance(v, ast.Expr):
            n += _loops(v)
        elif isinstance(v, tuple):
            n += sum(_loops(a) for a in v if isinstance(a, ast.Expr))
    return n


def test_a_loop_inside_an_expression() -> None:
    f = lambda xs: xs + tuple(x + 1 for x in xs)  # noqa: E731
    result = synthesize(_task(f, ListT(INT)), loop_depth=1)
    assert result.program is not None and isinstance(result.program.body, ast.Prim), result.text
    assert _loops(result.program.body) == 1
    _exact(result, f)
    # With loops only at the root there is no such program of that cost.
    assert synthesize(_task(f, ListT(INT)), loop_depth=0, max_cost=result.cost).program is None


def test_a_loop_nested_in_a_loop_body() -> None:
    f = lambda xs: tuple(sum(1 for y in xs if y == x) for x in xs)  # noqa: E731
    result = synthesize(_task(f, ListT(INT)), loop_depth=2)
    assert result.program is not None and _loops(result.program.body) == 2, result.text
    _exact(result, f)


def test_deeper_nesting_finds_no_cheaper_program_than_it_should() -> None:
    # The same cost whether loops may nest or not, when one root loop is the answer.
    f = lambda xs: tuple(2 - x for x in xs)  # noqa: E731
    costs = {d: synthesize(_task(f, ListT(INT)), loop_depth=d).cost for d in (0, 1, 2)}
    assert len(set(costs.values())) == 1, costs


def test_scan_body_deduced_from_the_output_with_an_unbounded_state() -> None:
    # Running sums of large numbers: no finite state domain, the states come from the output.
    xss = [[100, 250, 7], [999, 1], [5, 500, 60, 3]]
    f = lambda xs: tuple(sum(xs[: i + 1]) for i in range(len(xs)))  # noqa: E731
    result = synthesize(_task(f, ListT(INT), xss))
    assert isinstance(result.program.body, ast.Fold) and result.program.body.scan, result.text
    run = compile_program(result.program)
    assert run({"xs": (10**6, 2, 3)}) == (10**6, 10**6 + 2, 10**6 + 5)


def test_complete_examples_are_a_lookup_partial_ones_a_check() -> None:
    grammar = Grammar(prims=("+",), constants=((INT, 1),), loops=())
    bank = Bank({"x": INT}, [{"x": 0}, {"x": 5}], grammar, Budget())
    complete = BodyExamples(bank, [(0, 1), (1, 6)], complete=True)
    (hit,) = complete.bodies(3, INT)
    assert hit.values == (1, 6) and complete.checked == 1
    partial = BodyExamples(bank, [(1, 6)], complete=False)
    found = list(partial.bodies(3, INT))
    assert found and all(e.values[1] == 6 for e in found) and partial.checked == len(bank.of_type(3, INT))


def test_a_scan_with_a_record_state_built_by_its_body() -> None:
    # The state is a (current, previous) record; its body is deduced field by field.
    from dsl.types import RecordT
    from dsl.values import Record

    state = RecordT((("cur", INT), ("prev", INT)))

    def f(xs):
        return tuple(Record(("cur", "prev"), (x, xs[i - 1] if i else 0)) for i, x in enumerate(xs))

    result = synthesize(_task(f, ListT(state)))
    body = result.program.body
    assert isinstance(body, ast.Fold) and body.scan and isinstance(body.body, ast.RecordLit), result.text
    run = compile_program(result.program)
    for xs in LONG:
        assert run({"xs": tuple(xs)}) == f(tuple(xs)), result.text
