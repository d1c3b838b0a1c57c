"""A counterexample extends what is built: the same banks and answers as a search from scratch."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings

from dsl.printer import show
from dsl.types import BOOL, INT, ListT
from synth.search.bank import Bank, Budget
from synth.search.grammar import Grammar
from synth.search.solver import synthesize
from synth.search.strategies import Drawn, searchable_tasks
from tasks.core import Example, Task
from tasks.open.spec import OpenSpec

PRIMS = ("+", "-", "not", "==", "<", "mod", "len")
ENV = {"x": INT, "b": BOOL}
GRAMMAR = Grammar(prims=PRIMS, constants=((INT, 0), (INT, 1), (INT, 2)), loops=())
OLD = [{"x": 0, "b": False}, {"x": 1, "b": True}]
NEW = [{"x": 3, "b": False}, {"x": -2, "b": True}]


def _levels(bank: Bank, top: int) -> list:
    return [[(e.expr, e.values) for es in bank.at(c).values() for e in es] for c in range(1, top + 1)]


@pytest.mark.parametrize("built", [3, 5, 7])
def test_extended_bank_equals_a_bank_built_from_scratch(built: int) -> None:
    grown = Bank(ENV, OLD, GRAMMAR, Budget())
    grown.extensible = True
    grown.at(built)
    split = grown.extend(NEW)
    assert split is None or 1 <= split <= built
    scratch = Bank(ENV, OLD + NEW, GRAMMAR, Budget())
    assert _levels(grown, 7) == _levels(scratch, 7)


@pytest.mark.parametrize("built", [3, 5, 7])
@pytest.mark.parametrize("begun", [INT, BOOL])
def test_a_level_begun_for_one_type_is_built_again_over_every_context(built: int, begun) -> None:
    """A level of one type only (Bank.of_type) when the counterexample comes: extended, the bank is the one built from scratch."""
    grown = Bank(ENV, OLD, GRAMMAR, Budget())
    grown.extensible = True
    grown.of_type(built, begun)
    assert grown.reached == built and len(grown.levels) == built
    grown.extend(NEW)
    assert grown.reached < built  # the begun level went with the old contexts
    scratch = Bank(ENV, OLD + NEW, GRAMMAR, Budget())
    assert _levels(grown, 7) == _levels(scratch, 7)


def test_a_class_that_stays_whole_keeps_its_levels() -> None:
    # On x = 0, 1 the constant 0 and `x - x` are equal, and stay so on any x.
    grown = Bank({"x": INT}, [{"x": 0}, {"x": 1}], GRAMMAR, Budget())
    grown.extensible = True
    grown.at(3)
    assert grown.extend([{"x": 1}]) is None  # nothing new: every class stays whole
    assert len(grown.levels) == 4


def _seq_task(pairs, output_type=INT) -> Task:
    train = tuple(Example({"xs": tuple(xs)}, out) for xs, out in pairs)
    return Task("t", "open", (("xs", ListT(INT)),), output_type, train, (), OpenSpec())


TASKS = [
    # first element, then the sum
    _seq_task([([1, 0], 1), ([2, 0, 0], 2), ([1, 2], 3), ([0, 4, 1], 5), ([3], 3)]),
    # parity, with examples that first suggest shortcuts
    _seq_task([([1, 0, 1], 0), ([1, 1], 0), ([1], 1), ([0, 1, 1, 1], 1), ([1, 0, 0, 1, 1], 1), ([0, 0, 1, 0], 1)]),
    # the last element, first looking like the first
    _seq_task([([1, 1], 1), ([0, 0, 0], 0), ([0, 1], 1), ([1, 0, 0], 0), ([2, 1, 0, 2], 2)]),
]


@pytest.mark.parametrize("task", TASKS)
def test_counterexample_rounds_find_what_a_search_from_scratch_finds(task: Task) -> None:
    rounds = synthesize(task, search_examples=2, timeout=60)
    assert rounds.program is not None and rounds.stats.rounds >= 2, rounds.stats
    subset = replace(task, train=tuple(task.train[i] for i in rounds.stats.searched))
    scratch = synthesize(subset, search_examples=None, timeout=60)
    assert (rounds.text, rounds.cost) == (scratch.text, scratch.cost)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
@given(searchable_tasks(profile="list", max_cost=9, examples=12))
def test_counterexample_rounds_find_what_a_search_from_scratch_finds_on_any_program(drawn: Drawn) -> None:
    """The same, for random programs the grammar builds (loop-free or one root loop), from their examples."""
    rounds = synthesize(drawn.task, search_examples=2, max_cost=drawn.cost, profile="list")
    subset = replace(drawn.task, train=tuple(drawn.task.train[i] for i in rounds.stats.searched))
    scratch = synthesize(subset, search_examples=None, max_cost=drawn.cost, profile="list")
    assert rounds.program is not None and (rounds.text, rounds.cost) == (scratch.text, scratch.cost)


def test_rounds_reuse_the_levels_built() -> None:
    # (The first task's new examples show new integers, which changes the
    # grammar's state domain: that round starts again, by design.)
    assert all(synthesize(t, search_examples=2).stats.levels_reused > 0 for t in TASKS[1:])


def test_root_fold_body_banks_are_extended_like_a_fresh_search() -> None:
    from synth.search.grammar import grammar_for
    from synth.search.rootloops import LoopSearch
    from tasks.task import agrees

    xss = [(0, 1, 2, 2), (1, 1), (2, 0, 0), (1, 2, 0, 1, 1), (0,)]
    outs = [sum(x - 1 for x in xs) % 5 for xs in xss]
    ctxs = [{"xs": xs} for xs in xss]
    env = {"xs": ListT(INT)}
    grammar = grammar_for(env, INT, [*xss, 0, 1, 2, 3, 4, 5], extra_ints=(5,))

    def candidates(loops: LoopSearch) -> list:
        """The first root loop that fits (the answer costs 10), and the cost it was found at."""
        return next(([c, e] for c in range(1, 11) for e in loops.candidates(c)), [])

    top = Bank(env, ctxs[:3], grammar, Budget())
    top.extensible = True
    loops = LoopSearch(top, INT, outs[:3], agrees)
    candidates(loops)
    split = top.extend(ctxs[3:])
    kept = loops.extend(outs, 3, split)
    assert kept > 0
    fresh_top = Bank(env, ctxs, grammar, Budget())
    extended = candidates(loops)
    assert extended and extended == candidates(LoopSearch(fresh_top, INT, outs, agrees))


def test_reuse_saves_work_against_restarting() -> None:
    task = TASKS[1]
    rounds = synthesize(task, search_examples=2)
    restarted = 0
    for k in range(2, len(rounds.stats.searched) + 1):
        subset = replace(task, train=tuple(task.train[i] for i in rounds.stats.searched[:k]))
        restarted += synthesize(subset, search_examples=None).stats.enumerated
    assert rounds.stats.enumerated < restarted


def test_a_condition_that_stops_being_a_negation_splits_the_ifs_not_built() -> None:
    """`if c then x else y` is not built while c is `not b` (Settings.twins); a context where it is not rebuilds its level.

    Nothing else splits on the new context (b and x, y repeat the second
    one), so only the skipped twins' record can tell the bank to rebuild.
    """
    env = {"b": BOOL, "c": BOOL, "x": INT, "y": INT}
    grammar = Grammar(prims=(), constants=(), loops=())
    old = [{"b": False, "c": True, "x": 1, "y": 3}, {"b": True, "c": False, "x": 2, "y": 4}]
    new = [{"b": True, "c": True, "x": 2, "y": 4}]
    grown = Bank(env, old, grammar, Budget())
    grown.extensible = True
    grown.at(4)
    assert grown.extend(new) == 4
    scratch = Bank(env, old + new, grammar, Budget())
    assert _levels(grown, 4) == _levels(scratch, 4)
    assert "if c then x else y" in {show(e.expr) for e in grown.at(4)[INT]}


def _remembered(bank: Bank) -> dict:
    """Each level's dropped candidates as (recipe, representative) read as expressions, counted (records expanded)."""
    from collections import Counter

    from synth.search.bank import DroppedRows

    def expr_of(part):
        return show(part.expr) if hasattr(part, "expr") else getattr(part, "__name__", repr(part))

    out = {}
    for c, records in bank._dropped.items():
        pairs = [p for r in records for p in (r.pairs() if isinstance(r, DroppedRows) else [r])]
        out[c] = Counter((None if recipe is None else tuple(map(expr_of, recipe)), None if rep is None else show(rep.expr))
                         for recipe, rep in pairs)
    return out


def test_a_bank_built_in_vector_blocks_remembers_the_drops_one_built_pair_by_pair_remembers() -> None:
    """`DroppedRows` (one record per block, recipes made on demand) against `_drop` per candidate: the same candidates,
    each with the same parts and the same representative, so a counterexample splits the same classes."""
    from synth.search.bank import DroppedRows
    from synth.search.settings import DEFAULTS

    grammar = Grammar(prims=("+", "-", "*", "mod", "<", "not", "=="), constants=((INT, 0), (INT, 1), (INT, 2)), loops=())
    env = {"x": INT, "y": INT}
    contexts = [{"x": 0, "y": 1}, {"x": 1, "y": 1}, {"x": 2, "y": 0}]
    banks = []
    for pairs in (DEFAULTS.vector_pairs, None):
        bank = Bank(env, contexts, grammar, Budget(settings=DEFAULTS.with_overrides(vector_pairs=pairs)))
        bank.extensible = True
        bank.at(6)
        banks.append(bank)
    blocks, one_by_one = banks
    assert any(isinstance(r, DroppedRows) for records in blocks._dropped.values() for r in records)
    assert not any(isinstance(r, DroppedRows) for records in one_by_one._dropped.values() for r in records)
    assert _remembered(blocks) == _remembered(one_by_one)
    assert blocks.budget.stored_values == one_by_one.budget.stored_values
