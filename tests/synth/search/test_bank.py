"""The enumerator is exact and complete: counted without pruning, covered with it."""

from __future__ import annotations

from functools import lru_cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dsl import ast
from dsl.types import BOOL, INT, ListT
from synth.search.bank import Bank, Budget
from synth.search.grammar import Grammar
from synth.search.special import ERROR

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


@pytest.mark.parametrize("start, frozen, goal, stops", [
    (100, False, 900, None),  # far from every cap: one record for the block
    (590, False, 900, None),  # the freeze is crossed inside the block: frozen at the same row
    (890, True, 900, "bank"),  # frozen, the goal cap crossed inside the block: this bank stops at the same row
    (990, True, None, "search"),  # no goal cap, the value cap crossed inside the block: the search ends at the same row
])
def test_a_block_of_drops_counts_as_its_drops_one_by_one(start: int, frozen: bool, goal: int | None, stops: str | None) -> None:
    """`_drop_rows` (one record per vector block) against `_drop` per row: the same count, freeze, stop and records."""
    import numpy as np

    from synth.search.bank import DroppedRows, SearchStopped, _BankFull
    from synth.search.settings import DEFAULTS

    def run(batched: bool) -> tuple:
        budget = Budget(max_values=1_000, settings=DEFAULTS.with_overrides(freeze_values=600, goal_values=goal))
        bank = Bank(ENV, CONTEXTS, GRAMMAR, budget)
        bank.extensible = True
        budget.stored_values, budget.frozen = start, frozen
        reps = {0: None, 1: "rep1", 2: "rep2"}
        rows = DroppedRows(lambda i, j: ("r", i, j), np.arange(6), np.arange(6) * 10, np.array([1, 2, 0, 1, 2, 0]), reps)
        stopped = None
        try:
            if batched:
                bank._drop_rows(3, rows)
            else:
                for recipe, rep in rows.pairs():
                    bank._drop(3, recipe, rep)
        except _BankFull:
            stopped = "bank"
        except SearchStopped:
            stopped = "search"
        held = [p for r in bank._dropped.get(3, []) for p in (r.pairs() if isinstance(r, DroppedRows) else [r])]
        return budget.stored_values, budget.frozen, stopped, held

    batched, one_by_one = run(True), run(False)
    assert batched == one_by_one
    assert batched[2] == stops and (stops is not None or len(batched[3]) == 6)
    assert start != 590 or batched[1]  # frozen
    assert batched[3][:2] == [(("r", 0, 0), "rep1"), (("r", 1, 10), "rep2")]


def test_a_probing_bank_reads_unbuilt_levels_as_empty_and_builds_them_later() -> None:
    """A probe (solver._probed) freezes the banks for a while: no level may be left behind as a permanent blank."""
    built = Bank(ENV, CONTEXTS, GRAMMAR, Budget())
    built.at(3)
    budget = built.budget
    budget.frozen = budget.probing = True
    assert built.at(6) == {} and len(built.levels) == 4  # read as empty, not appended
    budget.frozen = budget.probing = False
    fresh = Bank(ENV, CONTEXTS, GRAMMAR, Budget())
    for c in range(4, 7):
        assert [e.expr for es in built.at(c).values() for e in es] == [e.expr for es in fresh.at(c).values() for e in es]
        assert built.at(c), c
    budget.frozen = True  # frozen for good (no probe): the blank levels stay
    built.at(8)
    assert len(built.levels) == 9 and built.levels[8] == {} and built.levels[7] == {}


# -- twins not built (Settings.twins) ---------------------------------------------

def _built(bank: Bank, top: int) -> tuple[list, tuple[int, int, int]]:
    """Every kept expression with its values, level by level and type by type, and the budget's counts."""
    levels = [[(str(t), e.expr, e.values) for t, es in bank.at(c).items() for e in es] for c in range(1, top + 1)]
    b = bank.budget
    return levels, (b.enumerated, b.pruned, b.kept)


def _twin_banks(env: dict, contexts: list, grammar: Grammar, top: int, **settings) -> tuple:
    from synth.search.settings import DEFAULTS

    return tuple(
        _built(Bank(env, contexts, grammar, Budget(settings=DEFAULTS.with_overrides(twins=twins, **settings))), top)
        for twins in (True, False)
    )


# Weights under which `>` comes after `<` (as dear, later in the grammar), before it (cheaper), or after (dearer).
COMPARISON_WEIGHTS = [(), ((">", 1), ("<", 2)), ((">=", 2),)]


@pytest.mark.parametrize("vector_pairs", [64, None])
@pytest.mark.parametrize("weights", COMPARISON_WEIGHTS)
@pytest.mark.parametrize("comparisons", [("<", "<=", ">", ">="), (">", ">=", "<", "<=")])
@settings(max_examples=10, deadline=None)
@given(xs=st.lists(st.integers(-3, 3), min_size=1, max_size=5), bs=st.lists(st.booleans(), min_size=5, max_size=5))
def test_twins_not_built_leave_the_bank_and_its_counts_as_they_were(vector_pairs, weights, comparisons, xs, bs) -> None:
    """`if C then A else B` with `not C` a condition too, `a > b` beside `b < a`: skipping twins changes no entry, no order, no count."""
    grammar = Grammar(prims=("+", "-", "not", "==", *comparisons, "and"), constants=((INT, 0), (INT, 1)),
                      weights=weights, loops=())
    contexts = [{"x": x, "b": b} for x, b in zip(xs, bs)]
    with_twins, without = _twin_banks(ENV, contexts, grammar, 7, vector_pairs=vector_pairs)
    assert with_twins == without


@pytest.mark.parametrize("vector_pairs", [64, None])
@settings(max_examples=15, deadline=None)
@given(data=st.data())
def test_regrouped_products_of_group_elements_are_not_built_and_nothing_changes(vector_pairs, data) -> None:
    """`(a * b) * c` is `a * (b * c)`, built first: not building it changes no entry, no order, no count."""
    from dsl.groups import get_group
    from dsl.types import ELEM

    group = get_group(data.draw(st.sampled_from(["D4", "S3", "Z5"])))
    n = data.draw(st.integers(1, 4))
    pick = st.sampled_from(group.elements)
    contexts = [{"g": data.draw(pick), "h": data.draw(pick), "p": data.draw(st.integers(0, 3))} for _ in range(n)]
    env = {"g": ELEM, "h": ELEM, "p": INT}
    grammar = Grammar(prims=("*", "inv", "==", "!=", "act"), constants=(), loops=())
    with_twins, without = _twin_banks(env, contexts, grammar, 8, vector_pairs=vector_pairs)
    assert with_twins == without


@pytest.mark.parametrize("vector_pairs", [64, None])
@settings(max_examples=15, deadline=None)
@given(xss=st.lists(st.lists(st.integers(-2, 5), max_size=5), min_size=1, max_size=4))
def test_kept_lists_leave_the_bank_and_its_counts_as_they_were(vector_pairs, xss) -> None:
    """`range(n)` and `to_bits(n)` kept per Int (Settings.remembered_items) or built each time: the same bank."""
    from synth.search.settings import DEFAULTS

    env = {"xs": ListT(INT)}
    contexts = [{"xs": tuple(xs)} for xs in xss]
    grammar = Grammar(prims=("range", "to_bits", "len", "+", "-", "reverse"), constants=((INT, 0), (INT, 1)), loops=())
    banks = [_built(Bank(env, contexts, grammar, Budget(settings=DEFAULTS.with_overrides(
        remembered_items=kept, vector_pairs=vector_pairs))), 6) for kept in (65_536, 3, 0)]
    assert banks[0] == banks[1] == banks[2]


class _CountingBank(Bank):
    """A bank counting the candidates handed to `add` (built, then kept or dropped)."""

    calls = 0

    def add(self, *args, **kwargs) -> bool:  # type: ignore[override]
        self.calls += 1
        return super().add(*args, **kwargs)


def test_twins_are_skipped_at_all() -> None:
    """The sameness above is not for want of twins: with them off, more candidates are built and then dropped."""
    from synth.search.settings import DEFAULTS

    grammar = Grammar(prims=("+", "not", "==", "<"), constants=((INT, 0), (INT, 1)), loops=())
    built = []
    for twins in (True, False):
        # (pair by pair: the vector path drops a block's twins without calling `add`)
        bank = _CountingBank(ENV, CONTEXTS, grammar, Budget(settings=DEFAULTS.with_overrides(twins=twins, vector_pairs=None)))
        bank.at(7)
        built.append(bank.calls)
    assert built[0] < built[1] * 0.9, built


# -- a level's indexing found without building the level (Bank.first_indexed) ------

@settings(max_examples=25, deadline=None)
@given(rows=st.lists(st.tuples(st.lists(st.integers(-2, 4), max_size=4).map(tuple), st.integers(-1, 4)), min_size=1, max_size=4))
def test_the_first_indexing_with_given_values_is_what_the_level_would_keep(rows) -> None:
    """For every value vector of a level: `first_indexed` names the entry the built level keeps, if that is an indexing; else None."""
    from dsl.types import ListT

    env = {"xs": ListT(INT), "x": INT}
    contexts = [{"xs": xs, "x": x} for xs, x in rows]
    grammar = Grammar(prims=("+", "-", "len", "range", "<"), constants=((INT, 0), (INT, 1)), loops=())
    built = Bank(env, contexts, grammar, Budget())
    for cost in range(2, 7):
        for entry in built.at(cost).get(INT, []):
            fresh = Bank(env, contexts, grammar, Budget())
            found = fresh.first_indexed(cost, INT, entry.values)
            assert len(fresh.levels) <= cost  # levels below cost only
            if isinstance(entry.expr, ast.Index):
                assert found is False or (found is not None and (found.expr, found.cost) == (entry.expr, entry.cost)), entry.expr
            else:
                assert found is None or found is False, (entry.expr, found)


def test_no_indexing_is_found_for_a_level_the_bank_would_leave_empty() -> None:
    """Past exhaustive_cost, in a full bank or a frozen one, level `cost` stays empty: `first_indexed` claims nothing there."""
    from dsl.types import ListT
    from synth.search.settings import DEFAULTS

    env = {"xs": ListT(INT), "x": INT}
    contexts = [{"xs": (3, 1, 2), "x": 1}, {"xs": (5, 4), "x": 0}]
    grammar = Grammar(prims=("+", "-"), constants=((INT, 0), (INT, 1)), loops=())
    want = (1, 5)  # xs[x]: cost 3
    assert Bank(env, contexts, grammar, Budget()).first_indexed(3, INT, want).expr == ast.Index(ast.Var("xs"), ast.Var("x"))
    capped = Bank(env, contexts, grammar, Budget(settings=DEFAULTS.with_overrides(exhaustive_cost=2)))
    assert capped.first_indexed(3, INT, want) is False
    full = Bank(env, contexts, grammar, Budget())
    full.full = True
    assert full.first_indexed(3, INT, want) is False
    frozen = Bank(env, contexts, grammar, Budget())
    frozen.at(2)
    frozen.budget.frozen = True
    assert frozen.first_indexed(3, INT, want) is False


# -- levels begun for one type (Bank.of_type) ----------------------------------------

PARTIAL_TYPES = (INT, BOOL, ListT(INT))


@pytest.mark.parametrize("vector_pairs", [64, None])
@settings(max_examples=25, deadline=None)
@given(xss=st.lists(st.lists(st.integers(-2, 4), max_size=4), min_size=1, max_size=4),
       asks=st.lists(st.tuples(st.integers(1, 7), st.sampled_from(PARTIAL_TYPES)), max_size=6))
def test_a_level_begun_for_some_types_is_the_level_a_single_pass_builds(vector_pairs, xss, asks) -> None:
    """`of_type` at the next level builds that type only; finished by `at`, the bank has the entries, type order and counts of one pass."""
    from synth.search.settings import DEFAULTS

    env = {"xs": ListT(INT), "n": INT}
    contexts = [{"xs": tuple(xs), "n": len(xs) - 1} for xs in xss]
    grammar = Grammar(prims=("+", "-", "<", "==", "not", "len", "range", "xor"), constants=((INT, 0), (INT, 1)), loops=())

    def bank() -> Bank:
        return Bank(env, contexts, grammar, Budget(settings=DEFAULTS.with_overrides(vector_pairs=vector_pairs)))

    lazy = bank()
    for cost, typ in asks:
        before = len(lazy.levels)
        got = [(e.expr, e.values) for e in lazy.of_type(cost, typ)]
        assert len(lazy.levels) == max(before, cost)  # the level asked for is begun, not in `levels`
        whole = bank()
        assert got == [(e.expr, e.values) for e in whole.at(cost).get(typ, [])]
    assert _built(lazy, 7) == _built(bank(), 7)


def test_a_level_begun_for_one_type_builds_no_other() -> None:
    """The Bool part of a level (comparisons: most candidates) is not built when only its Int entries are asked for."""
    env = {"x": INT, "b": BOOL}
    lazy, whole = Bank(env, CONTEXTS, GRAMMAR, Budget()), Bank(env, CONTEXTS, GRAMMAR, Budget())
    ints = lazy.of_type(6, INT)
    assert [e.expr for e in ints] == [e.expr for e in whole.at(6)[INT]]
    assert 0 < lazy.budget.enumerated < whole.budget.enumerated
    assert len(lazy.levels) == 6  # level 6 not finished
    lazy.at(6)
    assert len(lazy.levels) == 7 and lazy.budget.enumerated == whole.budget.enumerated


@pytest.mark.parametrize("share", [None, 0.0, 0.00001])
def test_a_bank_near_its_caps_or_without_typed_passes_builds_whole_levels(share) -> None:
    """Settings.typed_passes off, or a bank past its share of bank_values (8M x 0.00001 = 80 values): the level is built at once."""
    from synth.search.settings import DEFAULTS

    env = {"x": INT, "b": BOOL}
    bank = Bank(env, CONTEXTS, GRAMMAR, Budget(settings=DEFAULTS.with_overrides(typed_passes=share)))
    bank.at(5)
    assert share is None or bank.stored > 80
    bank.of_type(6, INT)
    assert len(bank.levels) == 7  # the whole level, at once
    whole = Bank(env, CONTEXTS, GRAMMAR, Budget())
    assert _built(bank, 6) == _built(whole, 6)


@settings(max_examples=20, deadline=None)
@given(rows=st.lists(st.tuples(st.integers(-2, 3), st.booleans(), st.lists(st.integers(0, 3), max_size=3)), min_size=1, max_size=4),
       asks=st.lists(st.tuples(st.integers(1, 6), st.sampled_from((INT, BOOL))), max_size=5))
def test_levels_begun_by_type_with_records_fields_and_record_literals_are_a_single_passes(rows, asks) -> None:
    """Fields of record inputs, record literals (`build_records`) and indexing of record lists, begun by type: the bank of one pass."""
    from dsl.types import RecordT
    from dsl.values import Record

    rec = RecordT((("a", INT), ("b", BOOL)))
    env = {"r": rec, "rs": ListT(rec)}
    contexts = [{"r": Record(("a", "b"), (a, b)), "rs": tuple(Record(("a", "b"), (k, k > 1)) for k in ks)} for a, b, ks in rows]
    grammar = Grammar(prims=("+", "-", "<", "not", "len"), constants=((INT, 0), (INT, 1)), loops=(), records=(rec,))

    def bank() -> Bank:
        b = Bank(env, contexts, grammar, Budget())
        b.build_records = True
        return b

    lazy = bank()
    for cost, typ in asks:
        got = [(e.expr, e.values) for e in lazy.of_type(cost, typ)]
        assert got == [(e.expr, e.values) for e in bank().at(cost).get(typ, [])]
    assert _built(lazy, 6) == _built(bank(), 6)


def test_the_empty_record_literal_has_a_value_on_every_context_built_or_extended() -> None:
    """Helper audit: `{}` has no fields, so zipping its fields' values gave no value at all (a vector of length 0),
    and a fold from `{a: 0, b: {}}` read past its end (IndexError)."""
    from dsl.types import RecordT
    from dsl.values import Record

    empty = RecordT(())
    outer = RecordT((("a", INT), ("b", empty)))
    grammar = Grammar(prims=("+",), constants=((INT, 0),), loops=(), records=(empty, outer))
    b = Bank(ENV, CONTEXTS, grammar, Budget())
    b.build_records = True
    b.extensible = True
    nothing = Record((), ())
    assert [e.values for e in b.of_type(1, empty)] == [(nothing,) * len(CONTEXTS)]
    made = [e for e in b.of_type(3, outer) if e.expr == ast.RecordLit((("a", ast.IntLit(0)), ("b", ast.RecordLit(()))))]
    assert [e.values for e in made] == [(Record(("a", "b"), (0, nothing)),) * len(CONTEXTS)]
    b.extend([{"x": 7, "b": True}])  # kept entries get their values on the new context from their recipes
    assert [e.values for e in b.of_type(1, empty)] == [(nothing,) * (len(CONTEXTS) + 1)]
    assert [e.values for e in b.of_type(3, outer) if e.expr == made[0].expr] == [made[0].values[:1] * (len(CONTEXTS) + 1)]
