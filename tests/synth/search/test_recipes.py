"""Recipes: an entry's value computed again from its parts', compiled (recipe_step) or walked (value_at), agree."""

from __future__ import annotations

from functools import lru_cache

from hypothesis import given, settings
from hypothesis import strategies as st

from dsl import ast
from dsl.types import BOOL, INT, ListT, RecordT
from dsl.values import Record
from synth.search.bank import Bank, Budget
from synth.search.entry import Entry
from synth.search.grammar import Grammar
from synth.search.recipes import _STEP_MAKERS, reads_any, recipe_step, value_at

RECORD = RecordT((("f", INT), ("g", BOOL)))
RECIPE_ENV = {"s": ListT(INT), "x": INT, "r": RECORD}
RECIPE_GRAMMAR = Grammar(
    prims=("+", "-", "*", "/", "mod", "==", "<", "not", "neg", "len", "cons", "append", "drop", "tail", "head", "sum", "reverse", "slice"),
    constants=((INT, 0), (INT, 1), (INT, 2)), loops=(), records=(RECORD,))
RECIPE_COST = 6  # an if needs a condition of cost 3 (x == 0): a constant one is pruned
RECIPE_CONTEXTS = [
    {"s": (), "x": 0, "r": Record(("f", "g"), (0, False))},
    {"s": (1, 2), "x": 2, "r": Record(("f", "g"), (3, True))},
    {"s": (4,), "x": -1, "r": Record(("f", "g"), (-5, True))},
    {"s": (0, 3, 3), "x": 7, "r": Record(("f", "g"), (2, False))},
]


@lru_cache(maxsize=1)
def _recipe_bank() -> Bank:
    bank = Bank(RECIPE_ENV, RECIPE_CONTEXTS, RECIPE_GRAMMAR, Budget(), prune=True)
    bank.keep_recipes = True
    bank.build_records = True
    bank.at(RECIPE_COST)
    return bank


def test_recipes_cover_every_kind_of_node() -> None:
    """Every kind recipe_step compiles is in the bank the tests below compare on."""
    kinds = {e.recipe[0] for c in range(1, RECIPE_COST + 1) for es in _recipe_bank().at(c).values() for e in es}
    assert {"var", "const", *_STEP_MAKERS} == kinds


@settings(max_examples=40, deadline=None)
@given(s=st.lists(st.integers(-3, 5), max_size=6).map(tuple), x=st.integers(-4, 6),
       f=st.integers(-3, 3) | st.sampled_from([2**63 - 1, -2**63, 2**63, 2**64]), g=st.booleans())
def test_a_compiled_recipe_gives_what_value_at_gives(s: tuple, x: int, f: int, g: bool) -> None:
    """recipe_step is value_at made once into closures: on any new context, the same value or the same special."""
    ctx = {"s": s, "x": x, "r": Record(("f", "g"), (f, g))}
    made: dict = {}
    for c in range(1, RECIPE_COST + 1):
        for entries in _recipe_bank().at(c).values():
            for e in entries:
                step = recipe_step(e, made)
                assert step is not None, e
                want = value_at(e, ctx)
                got = step(ctx)
                assert got == want and type(got) is type(want), (e.expr, ctx, got, want)


def _names_in(expr: ast.Expr) -> set[str]:
    if isinstance(expr, ast.Var):
        return {expr.name}
    return set().union(*map(_names_in, ast.children(expr)))


def test_reads_any_is_what_the_expression_mentions() -> None:
    """Read off the recipes (parts memoized), for every entry and every set of names: the variables its expression names."""
    entries = [e for c in range(1, RECIPE_COST + 1) for es in _recipe_bank().at(c).values() for e in es]
    for names in (frozenset({"x"}), frozenset({"s", "r"}), frozenset(RECIPE_ENV), frozenset()):
        memo: dict = {}
        for e in entries:
            assert reads_any(e, names, memo) == bool(_names_in(e.expr) & names), (e.expr, names)
    assert reads_any(Entry(ast.Var("x"), INT, 1, (0,)), frozenset({"x"}), {}) is None  # no recipe: not known
