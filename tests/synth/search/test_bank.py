"""The enumerator is exact and complete: counted without pruning, covered with it."""

from __future__ import annotations

from functools import lru_cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dsl.types import BOOL, INT, ListT, RecordT
from dsl.values import Record
from synth.search.bank import ERROR, UNKNOWN, Bank, Budget, Oracle, recipe_step, value_at
from synth.search.grammar import Grammar

# A small grammar: x: Int, b: Bool, constants 0 and 1, primitives +, -, not, ==, <, and if.
PRIMS = ("+", "-", "not", "==", "<")
ENV = {"x": INT, "b": BOOL}
CONTEXTS = [{"x": 0, "b": False}, {"x": 1, "b": True}, {"x": 3, "b": False}, {"x": -2, "b": True}]
GRAMMAR = Grammar(prims=PRIMS, constants=((INT, 0), (INT, 1)), loops=())


@lru_cache(maxsize=None)
def expected_count(typ: str, cost: int) -> int:
    """Independent count of well-typed expressions of a given cost (every node costs 1)."""
    if cost < 1:
        return 0
    total = 0
    if cost == 1:
        total += {"Int": 3, "Bool": 1}[typ]  # Int: x, 0, 1; Bool: b
    pairs = lambda t1, t2: sum(expected_count(t1, a) * expected_count(t2, cost - 1 - a) for a in range(1, cost - 1))
    if typ == "Int":
        total += 2 * pairs("Int", "Int")  # + and -
    else:
        total += expected_count("Bool", cost - 1)  # not
        total += pairs("Int", "Int") * 2  # == and < on Int
        total += pairs("Bool", "Bool")  # == on Bool
    # if cond then a else b
    for c1 in range(1, cost - 2):
        for c2 in range(1, cost - 1 - c1):
            c3 = cost - 1 - c1 - c2
            total += expected_count("Bool", c1) * expected_count(typ, c2) * expected_count(typ, c3)
    return total


def test_unpruned_enumeration_matches_an_independent_count() -> None:
    bank = Bank(ENV, CONTEXTS, GRAMMAR, Budget(), prune=False)
    for cost in range(1, 8):
        level = bank.at(cost)
        assert len(level.get(INT, [])) == expected_count("Int", cost), cost
        assert len(level.get(BOOL, [])) == expected_count("Bool", cost), cost


def test_unpruned_expressions_are_distinct() -> None:
    bank = Bank(ENV, CONTEXTS, GRAMMAR, Budget(), prune=False)
    exprs = [e.expr for c in range(1, 7) for es in bank.at(c).values() for e in es]
    assert len(exprs) == len(set(exprs))


def test_pruned_bank_covers_every_program_with_an_equivalent_no_dearer() -> None:
    full = Bank(ENV, CONTEXTS, GRAMMAR, Budget(), prune=False)
    pruned = Bank(ENV, CONTEXTS, GRAMMAR, Budget(), prune=True)
    best: dict = {}
    for cost in range(1, 8):
        for typ, entries in pruned.at(cost).items():
            for e in entries:
                best.setdefault((typ, e.values), cost)
    dropped = 0
    for cost in range(1, 8):
        for typ, entries in full.at(cost).items():
            for e in entries:
                if all(v is ERROR for v in e.values):
                    dropped += 1  # fails everywhere: never part of a consistent program
                    continue
                key = (typ, e.values)
                assert key in best and best[key] <= cost, e.expr
    pruned_total = sum(len(es) for c in range(1, 8) for es in pruned.at(c).values())
    full_total = sum(len(es) for c in range(1, 8) for es in full.at(c).values())
    assert pruned_total < full_total / 10


def test_pruned_values_are_what_the_interpreter_computes() -> None:
    from dsl.interp import evaluate

    bank = Bank(ENV, CONTEXTS, GRAMMAR, Budget(), prune=True)
    for cost in range(1, 7):
        for entries in bank.at(cost).values():
            for e in entries[:200]:
                for ctx, v in zip(CONTEXTS, e.values):
                    assert evaluate(e.expr, ctx, ENV) == v, e.expr


def test_oracle_answers_labels_unknowns_cycles_and_undefined_keys() -> None:
    oracle = Oracle({"a": 1}, own_key="b", defined=frozenset({"a", "b", "c"}))
    assert oracle.lookup("a") == 1
    assert oracle.lookup("b") is ERROR
    assert oracle.lookup("c") is UNKNOWN
    assert oracle.lookup("zz") is ERROR


def test_enumeration_is_deterministic() -> None:
    def run() -> list:
        bank = Bank(ENV, CONTEXTS, GRAMMAR, Budget(), prune=True)
        return [e.expr for c in range(1, 7) for es in bank.at(c).values() for e in es]

    assert run() == run()


@pytest.mark.parametrize("cost", [1, 2, 3])
def test_timeout_and_memory_limits_stop_the_bank(cost: int) -> None:
    from synth.search.bank import SearchStopped

    budget = Budget(max_values=50)
    bank = Bank(ENV, CONTEXTS, GRAMMAR, budget, prune=False)
    with pytest.raises(SearchStopped) as stop:
        for c in range(1, 20):
            bank.at(c + cost)
    assert stop.value.reason == "memory"


def test_dropped_candidates_count_against_the_caps_as_kept_values_do() -> None:
    """A level of drops alone (an extensible bank) freezes the search, then stops its bank: never the value cap."""
    from synth.search.bank import SearchStopped, _BankFull
    from synth.search.settings import DEFAULTS

    budget = Budget(max_values=1_000, settings=DEFAULTS.with_overrides(freeze_values=600, goal_values=900))
    bank = Bank(ENV, CONTEXTS, GRAMMAR, budget)
    bank.extensible = True
    budget.stored_values = 598
    bank._drop(1, None, None)
    assert budget.frozen  # 601 > 600
    budget.stored_values = 898
    with pytest.raises(_BankFull):
        bank._drop(1, None, None)  # 901 > 900: this bank stops; the search goes on
    budget.frozen, budget.stored_values = False, 998
    with pytest.raises(SearchStopped):
        bank._drop(1, None, None)  # not frozen (no goal cap): past max_values the search ends


# -- recipes compiled: the same value as value_at -------------------------------------

RECORD = RecordT((("f", INT), ("g", BOOL)))
RECIPE_ENV = {"s": ListT(INT), "x": INT, "r": RECORD}
RECIPE_GRAMMAR = Grammar(
    prims=("+", "-", "*", "/", "mod", "==", "<", "not", "neg", "len", "cons", "append", "drop", "tail", "head", "sum", "reverse"),
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
    kinds = {e.recipe[0] for c in range(1, RECIPE_COST + 1) for es in _recipe_bank().at(c).values() for e in es}
    assert {"var", "const", "prim1", "prim2", "if", "index", "field", "record"} <= kinds


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
