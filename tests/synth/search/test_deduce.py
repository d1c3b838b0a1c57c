"""Deduced loop bodies: a bank grown by counterexamples finds what a bank over every context finds.

Contract of `GrownExamples`: at every cost it yields a body exactly when a
bank over all the contexts (`BodyExamples`, complete) yields one, and the
body it yields gives the wanted value on every context, not only on the
contexts its bank holds.
"""

from __future__ import annotations

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from dsl import ast
from dsl.interp import compile_program
from dsl.types import INT, ListT
from synth.search.bank import Bank, Budget
from synth.search.deduce import BodyExamples, GrownExamples, _round_robin
from synth.search.entry import Entry
from synth.search.grammar import Grammar

ENV = {"xs": ListT(INT), "x": INT}
GRAMMAR = Grammar(prims=("+", "-", "len", "mod", "<", "xor"), constants=((INT, 0), (INT, 1), (INT, 2)), loops=())
TOP = Bank({"xs": ListT(INT)}, [], GRAMMAR, Budget())


def _contexts(inputs: list[tuple[int, ...]]) -> tuple[list[dict], list[int]]:
    """One context per member of every input, as a comprehension over each input sees them."""
    contexts, examples = [], []
    for i, xs in enumerate(inputs):
        for m in xs:
            contexts.append({"xs": xs, "x": m})
            examples.append(i)
    return contexts, examples


def _run(body: Entry, ctx: dict):
    """The body run by the interpreter (not the bank's own evaluation)."""
    program = ast.Program(tuple(ast.Param(n, t) for n, t in ENV.items()), body.expr)
    return compile_program(program)(ctx)


def test_the_first_contexts_take_every_example_in_turn() -> None:
    assert _round_robin([0, 0, 0, 1, 2, 2], 5) == [0, 3, 4, 1, 5]
    assert _round_robin([0, 0, 1], 10) == [0, 2, 1]


@settings(max_examples=30, deadline=None)
@given(
    inputs=st.lists(st.lists(st.integers(0, 3), min_size=1, max_size=6).map(tuple), min_size=2, max_size=4),
    pick=st.integers(0, 10_000),
    first=st.integers(1, 4),
)
def test_a_grown_bank_yields_what_a_bank_over_every_context_yields(inputs, pick, first) -> None:
    contexts, examples = _contexts(inputs)
    full = Bank(ENV, contexts, GRAMMAR, Budget())
    bodies = [e for c in range(1, 5) for e in full.of_type(c, INT) if not e.special]  # outputs are never ERROR
    want = bodies[pick % len(bodies)].values  # what some body of cost <= 4 gives: a body to find
    everywhere = BodyExamples(full, list(enumerate(want)), complete=True)
    grown = GrownExamples(TOP, ENV, contexts, examples, want, first)
    for cost in range(1, 6):
        expected = list(everywhere.bodies(cost, INT))
        got = list(grown.bodies(cost, INT))
        assert len(got) == len(expected), (cost, expected, got)
        for body in got:
            assert tuple(_run(body, ctx) for ctx in contexts) == want  # right on every context
    assert len(grown.bank.contexts) <= len(contexts)


def test_a_counterexample_joins_the_bank_and_the_right_body_comes() -> None:
    # On the two inputs of length 2, `x` is what is wanted; on the third, x + 1: `x + len(xs) mod 2`.
    inputs = [(0, 1), (5, 0), (3, 3, 3)]
    contexts, examples = _contexts(inputs)
    want = tuple(ctx["x"] + len(ctx["xs"]) % 2 for ctx in contexts)
    top = Bank({"xs": ListT(INT)}, [], GRAMMAR, Budget())
    grown = GrownExamples(top, ENV, contexts, examples, want, 2)
    assert grown.used == [0, 2]  # the first members of the first two inputs, where `x` fits
    found = [body for cost in range(1, 7) for body in grown.bodies(cost, INT)]
    assert len(found) == 1 and tuple(_run(found[0], ctx) for ctx in contexts) == want
    assert len(grown.used) > 2  # `x` was refuted by a context outside the bank, which joined it
    assert top.budget.stored_values == grown.bank.stored  # the banks it replaced no longer count


def test_a_scan_body_is_deduced_on_a_grown_bank_and_is_right_everywhere() -> None:
    """Scans are deduced as comprehensions are: a few contexts first (Settings.deduce_contexts), counterexamples after."""
    from synth.search.deduce import Deduction

    inputs = [(1, 0, 2, 2, 1), (3, 1, 1, 0), (2, 2, 2, 2, 2, 2), (0, 3, 1), (1, 1, 3, 0, 2, 1, 1)]
    want = [tuple(sum(xs[: k + 1]) % 3 for k in range(len(xs))) for xs in inputs]  # running sum mod 3
    grammar = Grammar(prims=GRAMMAR.prims, constants=GRAMMAR.constants, loops=("scan",))
    top = Bank({"xs": ListT(INT)}, [{"xs": xs} for xs in inputs], grammar, Budget())
    deduction = Deduction(top, ListT(INT), want)
    found = [e for c in range(1, 12) for e in deduction.candidates(c) if isinstance(e, ast.Fold) and e.scan]
    assert found, "no scan deduced"
    program = ast.Program((ast.Param("xs", ListT(INT)),), found[0])
    assert all(compile_program(program)({"xs": xs}) == out for xs, out in zip(inputs, want)), found[0]
    long = tuple(range(50))
    assert compile_program(program)({"xs": long}) == tuple(sum(long[: k + 1]) % 3 for k in range(50))
    grown = [examples for examples, _, _ in deduction._scan_banks.values()]
    assert grown and all(isinstance(g, GrownExamples) for g in grown)
    assert max(len(g.bank.contexts) for g in grown) < sum(map(len, inputs))  # never needed every context


@settings(max_examples=30, deadline=None)
@given(
    inputs=st.lists(st.lists(st.integers(0, 3), min_size=1, max_size=6).map(tuple), min_size=2, max_size=4),
    pick=st.integers(0, 10_000),
)
def test_a_body_indexing_the_input_is_the_one_the_full_bank_keeps(inputs, pick) -> None:
    """A body `coll[key]` found without building its level (Bank.first_indexed) is the very entry the level keeps."""
    contexts, examples = _contexts(inputs)
    full = Bank(ENV, contexts, GRAMMAR, Budget())
    indexings = [e for c in range(3, 6) for e in full.of_type(c, INT) if isinstance(e.expr, ast.Index) and not e.special]
    assume(indexings)
    want = indexings[pick % len(indexings)].values
    everywhere = BodyExamples(full, list(enumerate(want)), complete=True)
    grown = GrownExamples(Bank({"xs": ListT(INT)}, [], GRAMMAR, Budget()), ENV, contexts, examples, want, len(contexts))
    for cost in range(1, 7):
        expected = [(b.expr, b.cost) for b in everywhere.bodies(cost, INT)]
        assert [(b.expr, b.cost) for b in grown.bodies(cost, INT)] == expected, cost


def test_a_record_body_the_bank_holds_is_found_at_its_own_cost() -> None:
    """Helper audit: a record-valued body was only ever built as a record literal, field by field, so
    `[ys[x] for x in idx]` (cost 5) came out as `[{a: ys[x].a, b: ys[x].b} for x in idx]` (cost 11), found by the
    levels, which promise the cheapest."""
    import random

    from dsl.parse import parse_program
    from dsl.types import RecordT
    from dsl.values import Record
    from synth.search.solver import synthesize
    from tasks.core import Example, Task, TaskSpec

    program = parse_program("input ys: List[{a: Int, b: Int}]\ninput idx: List[Int]\n[ys[x] for x in idx]")
    run = compile_program(program)
    rng = random.Random(0)
    train = []
    for _ in range(5):
        ys = tuple(Record(("a", "b"), (rng.randint(0, 9), rng.randint(0, 9))) for _ in range(rng.randint(2, 5)))
        inputs = {"ys": ys, "idx": tuple(rng.randrange(len(ys)) for _ in range(rng.randint(1, 5)))}
        train.append(Example(inputs, run(inputs)))
    record = RecordT((("a", INT), ("b", INT)))
    task = Task("pick", "open", (("ys", ListT(record)), ("idx", ListT(INT))), ListT(record), tuple(train), (),
                TaskSpec(family="open"))
    found = synthesize(task, max_cost=12)
    assert (found.text.splitlines()[-1], found.cost, found.stats.found_by) == ("[ys[x] for x in idx]", 5, "levels")
