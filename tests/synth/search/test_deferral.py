"""A fold body level built inside its state domain first (`Bank.inside`), then whole, equals the level built in one pass."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dsl.printer import show
from dsl.types import BOOL, INT, ListT, Type
from synth.search.bank import Bank, Budget, DroppedRows
from synth.search.entry import Entry
from synth.search.grammar import Grammar, grammar_for
from synth.search.rootloops import LoopSearch
from synth.search.settings import DEFAULTS
from synth.search.solver import synthesize
from synth.search.strategies import Drawn, searchable_tasks
from tasks.families import load_task
from tasks.task import agrees

from .test_rootloops import XS5, _inside

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
CYCLE = [sum(x - 1 for x in xs) % 5 for xs in XS5]  # cycle_navigation's outputs on XS5
PARITY = [xs.count(2) % 2 == 1 for xs in XS5]  # mixed: True, True, True, False, True


def _table(outs: list, closed: bool, limit: int | None = DEFAULTS.inside_first, **more) -> tuple[Bank, Type, tuple]:
    """The body bank of `fold (s, x) -> ... over xs` for these outputs (closed or open), and its state type and domain."""
    env = {"xs": ListT(INT)}
    out = INT if type(outs[0]) is int else BOOL
    grammar = grammar_for(env, out, [*XS5, *outs], extra_ints=(5,))
    budget = Budget(settings=DEFAULTS.with_overrides(inside_first=limit, **{"inside_from": 0, **more}))  # every level waits
    top = Bank(env, [{"xs": xs} for xs in XS5], grammar, budget)
    loops = LoopSearch(top, out, outs, agrees)
    domain = grammar.state_domain(out)
    assert domain is not None
    src = Entry(None, ListT(INT), 1, tuple(XS5))  # type: ignore[arg-type]
    return loops._fold_table(src, out, domain, closed).bank, out, domain


def _named(part: object) -> object:
    """A recipe part comparable across banks: an entry by its expression, a function by its name."""
    if isinstance(part, Entry):
        return show(part.expr)
    if isinstance(part, tuple):
        return tuple(map(_named, part))
    return getattr(part, "__qualname__", part) if callable(part) else part


def _snapshot(bank: Bank, cost: int) -> dict:
    """Everything a bank holds up to this cost that a later level, an extension or a report reads."""
    levels = [[(str(t), [(show(e.expr), e.values, e.special, _named(e.recipe)) for e in es]) for t, es in bank.at(c).items()]
              for c in range(1, cost + 1)]
    dropped = {c: sorted(map(repr, (_named(pair) for r in records
                                    for pair in (r.pairs() if type(r) is DroppedRows else (r,)))))
               for c, records in bank._dropped.items()}
    b = bank.budget
    return {"levels": levels, "dropped": dropped, "stored": bank.stored,
            "counts": (b.enumerated, b.pruned, b.kept, b.stored_values)}


@pytest.mark.parametrize("outs, closed", [(CYCLE, True), (CYCLE, False), (PARITY, True), (PARITY, False)],
                         ids=["int-closed", "int-open", "bool-closed", "bool-open"])
def test_a_level_built_inside_its_domain_first_equals_one_built_in_one_pass(outs, closed) -> None:
    lazy, typ, domain = _table(outs, closed, limit=DEFAULTS.inside_first)
    eager, _, _ = _table(outs, closed, limit=None)
    held = frozenset(domain)
    top = 6 if closed else 5
    waited = 0
    for cost in range(1, top + 1):
        first = lazy.inside(cost, typ, held)
        assert eager.inside(cost, typ, held) is None  # Settings.inside_first off: never
        level = lazy.of_type(cost, typ)
        assert lazy.inside(cost, typ, held) is None  # built whole now
        if first is not None:
            waited += 1
            assert first == [e for e in level if _inside(e, held)]  # the same entries, in the level's order
            assert len(first) < len(level)
        assert [show(e.expr) for e in level] == [show(e.expr) for e in eager.of_type(cost, typ)]
    assert waited >= (2 if typ == INT else 1)  # a Bool body leaves its domain only by failing (ERROR)
    assert _snapshot(lazy, top) == _snapshot(eager, top)


@pytest.mark.parametrize("closed", [True, False], ids=["closed", "open"])
@pytest.mark.parametrize("limit", [0, 300, 5_000, 60_000])
def test_rows_waiting_past_the_limit_are_built_at_once_in_order(limit, closed) -> None:
    """Settings.inside_first bounds the codes held: a pass whose waiting rows grow past it builds them at once."""
    lazy, typ, domain = _table(CYCLE, closed, limit)
    eager, _, _ = _table(CYCLE, closed, None)
    held = frozenset(domain)
    top = 6 if closed else 5
    for cost in range(1, top + 1):
        first = lazy.inside(cost, typ, held)
        if first is not None:
            assert sum(x.rows.size if hasattr(x, "rows") else len(x.values) for x in lazy._waiting[cost].later) <= limit
        assert [show(e.expr) for e in lazy.of_type(cost, typ)] == [show(e.expr) for e in eager.of_type(cost, typ)]
    assert _snapshot(lazy, top) == _snapshot(eager, top)


@settings(max_examples=25, deadline=None)
@given(st.sets(st.integers(-1, 6), max_size=5), st.integers(3, 6))
def test_any_domain_leaves_the_bank_as_one_pass_builds_it(domain, cost) -> None:
    """Domains that are spans of codes (two compares) and domains with gaps or outside values (`np.isin`) alike."""
    lazy, typ, _ = _table(CYCLE, True, limit=DEFAULTS.inside_first)
    eager, _, _ = _table(CYCLE, True, limit=None)
    held = frozenset(domain)
    for c in range(1, cost):
        lazy.of_type(c, typ)
    first = lazy.inside(cost, typ, held)
    level = lazy.of_type(cost, typ)
    if first is not None:
        assert first == [e for e in level if _inside(e, held)]
    assert _snapshot(lazy, cost) == _snapshot(eager, cost)


def test_a_level_left_waiting_goes_when_a_new_example_extends_the_bank() -> None:
    """A counterexample drops the partial level (as every level begun by type); built again, it is one pass's."""
    lazy, typ, domain = _table(CYCLE, True, limit=DEFAULTS.inside_first)
    eager, _, _ = _table(CYCLE, True, limit=None)
    held = frozenset(domain)
    for c in range(1, 5):
        lazy.of_type(c, typ)
        eager.of_type(c, typ)
    assert lazy.inside(5, typ, held) is not None and lazy._waiting
    eager.of_type(5, typ)
    new = [{"s": s, "x": 4} for s in domain]  # a member no example had: its (member, state) contexts
    lazy.extend(new)
    eager.extend(new)
    assert not lazy._waiting
    assert lazy.inside(5, typ, held) is not None  # level 5 was dropped with the partial level: begun again
    after, expected = _snapshot(lazy, 6), _snapshot(eager, 6)
    del after["counts"], expected["counts"]  # the work counted differs: the eager bank had built level 5 whole
    assert after == expected


def test_cycle_navigation_finds_the_same_program_from_fewer_candidates() -> None:
    task = load_task(EXAMPLES / "cycle_navigation.json")
    lazy = synthesize(task)
    eager = synthesize(task, inside_first=None)
    assert lazy.text == eager.text and lazy.cost == eager.cost == 10
    assert "(s + (x - 1)) mod 5" in str(lazy.text)
    assert lazy.stats.enumerated < 0.9 * eager.stats.enumerated  # level 7's bodies outside the domain stay unbuilt


BIG = 2**40  # a product of two is past int64: the vector form leaves those rows to the scalar path


@pytest.mark.parametrize("domain", [frozenset(range(4)), frozenset({0, 1, 2, 3, 2**70})],
                         ids=["coded", "a value past int64: by the values"])
def test_rows_of_the_scalar_path_wait_by_their_values(domain) -> None:
    """Any bank, not only a fold's: rows the vector form cannot give are built now and wait where they lie outside."""
    env = {"x": INT}
    contexts = [{"x": v} for v in (0, 1, 3, BIG, -BIG)]
    grammar = Grammar(prims=("+", "-", "*"), constants=((INT, 1), (INT, 2)), loops=())

    def bank(limit: int | None) -> Bank:
        return Bank(env, contexts, grammar, Budget(settings=DEFAULTS.with_overrides(inside_first=limit, inside_from=0)))

    lazy, eager = bank(DEFAULTS.inside_first), bank(None)
    waited = 0
    for cost in range(1, 8):
        first = lazy.inside(cost, INT, domain)
        level = lazy.of_type(cost, INT)
        if first is not None:
            waited += 1
            assert first == [e for e in level if _inside(e, domain)]
    assert waited >= 3
    for cost in range(1, 8):
        eager.of_type(cost, INT)
    assert _snapshot(lazy, 7) == _snapshot(eager, 7)
    assert any(type(v) is int and abs(v) >= 2**63 for e in lazy.at(5)[INT] for v in e.values)  # the scalar path ran


def test_a_level_waits_only_above_a_large_level_and_far_from_the_caps() -> None:
    """Settings.inside_from: two passes over a level above a small one cost more than they save;
    Settings.inside_share: near the caps a waiting level could be cut elsewhere than one pass cuts it."""
    domain = frozenset(range(6))
    for inside_from, share, waits in [(0, 0.5, True), (1_000, 0.5, False), (10, 0.5, True), (0, 1e-9, False)]:
        bank, typ, _ = _table(CYCLE, True, inside_from=inside_from, inside_share=share)
        for c in range(1, 4):
            bank.of_type(c, typ)
        assert len(bank.of_type(3, typ)) < 1_000
        assert (bank.inside(4, typ, domain) is not None) is waits, (inside_from, share)
        if not waits:
            assert bank.reached == 3  # nothing begun: of_type builds the level as it would without inside


ASKED = (INT, BOOL, ListT(INT))


@pytest.mark.parametrize("vector_pairs", [64, None])
@settings(max_examples=30, deadline=None)
@given(xss=st.lists(st.lists(st.integers(-2, 4), max_size=4), min_size=1, max_size=4),
       asks=st.lists(st.tuples(st.integers(1, 7), st.sampled_from(ASKED), st.sets(st.integers(-2, 5), max_size=4) | st.none()),
                     max_size=8),
       extensible=st.booleans())
def test_inside_and_of_type_in_any_order_leave_the_bank_one_pass_builds(vector_pairs, xss, asks, extensible) -> None:
    """Any bank, any type, any domain, `inside` and `of_type` asked in any order: finished by `at`, the entries,
    type order, drops and counts of one pass; and every list `inside` gives is the level's entries inside the domain."""
    env = {"xs": ListT(INT), "n": INT}
    contexts = [{"xs": tuple(xs), "n": len(xs) - 1} for xs in xss]
    grammar = Grammar(prims=("+", "-", "<", "==", "not", "len", "range", "xor"), constants=((INT, 0), (INT, 1)), loops=())

    def bank(limit: int | None) -> Bank:
        settings = DEFAULTS.with_overrides(vector_pairs=vector_pairs, inside_first=limit, inside_from=0)
        b = Bank(env, contexts, grammar, Budget(settings=settings))
        b.extensible = extensible
        return b

    lazy, eager = bank(DEFAULTS.inside_first), bank(None)
    given_lists = []
    for cost, typ, domain in asks:
        if domain is None:
            lazy.of_type(cost, typ)
        else:
            first = lazy.inside(cost, typ, frozenset(domain))
            if first is not None:
                given_lists.append((cost, typ, frozenset(domain), list(first)))
    for cost, typ, domain, first in given_lists:
        assert first == [e for e in lazy.of_type(cost, typ) if _inside(e, domain)]
    assert _snapshot(lazy, 7) == _snapshot(eager, 7)


@settings(max_examples=30, deadline=None)
@given(searchable_tasks(forms=("fold",), max_cost=9))
def test_a_search_finds_the_program_it_finds_with_every_level_in_one_pass(drawn: Drawn) -> None:
    """Random folds whose states stay in their domain (the form inside-first serves), every level allowed to wait."""
    waits = synthesize(drawn.task, max_cost=drawn.cost, inside_from=0)
    whole = synthesize(drawn.task, max_cost=drawn.cost, inside_first=None)
    assert (waits.text, waits.cost) == (whole.text, whole.cost), drawn.program
    assert waits.stats.enumerated <= whole.stats.enumerated
