"""Root folds over states with no finite domain: a stack, an Int beyond the small span, a record."""

from __future__ import annotations

import numpy as np
import pytest

from dsl import ast
from dsl.interp import compile_program
from dsl.types import BOOL, INT, ListT, RecordT
from dsl.values import Record
from synth.search import samplefolds
from synth.search.bank import Bank, Budget
from synth.search.entry import Entry
from synth.search.grammar import grammar_for
from synth.search.profiles import LIST
from synth.search.rootloops import LoopSearch
from synth.search.samplefolds import sample_members, sample_states
from synth.search.settings import DEFAULTS
from synth.search.solver import synthesize
from synth.search.special import ANY
from tasks.core import Example, Task
from tasks.open.spec import OpenSpec
from tasks.task import agrees


def _stack(xs: tuple, push) -> tuple:
    """Token 2 pops (nothing on an empty stack), any other token x pushes push(x); top first."""
    stack: tuple = ()
    for x in xs:
        stack = stack[1:] if x == 2 else (push(x),) + stack
    return stack


def final_stack(xs: tuple) -> tuple:
    return _stack(xs, lambda x: x % 3)


def sum_of_squares(xs: tuple) -> int:
    return sum(x * x for x in xs)


def _draw(rng: np.random.Generator, count: int, lo: int, hi: int, tokens: int) -> list[tuple]:
    return [tuple(int(v) for v in rng.integers(0, tokens, size=int(rng.integers(lo, hi + 1)))) for _ in range(count)]


def _task(f, output_type, xss, constants=()) -> Task:
    train = tuple(Example({"xs": xs}, f(xs)) for xs in xss)
    return Task("t", "open", (("xs", ListT(INT)),), output_type, train, (), OpenSpec(constants=constants))


def _exact_on(result, f, xss) -> None:
    run = compile_program(result.program)
    for xs in xss:
        assert run({"xs": xs}) == f(xs), (result.text, xs)


def test_a_stack_is_found_from_random_examples_and_runs_exactly_on_long_inputs() -> None:
    rng = np.random.default_rng(0)
    task = _task(final_stack, ListT(INT), _draw(rng, 30, 1, 12, 5), constants=(3,))
    result = synthesize(task, profile="list", exhaustive_cost=7, timeout=300)
    assert result.program is not None, result.stats
    body = result.program.body
    assert isinstance(body, ast.Fold) and not body.scan and isinstance(body.body, ast.If), result.text
    _exact_on(result, final_stack, _draw(rng, 20, 100, 100, 5))


def test_a_running_sum_beyond_the_small_integer_span() -> None:
    rng = np.random.default_rng(1)
    task = _task(sum_of_squares, INT, _draw(rng, 20, 1, 8, 10))
    assert max(ex.output for ex in task.train) > DEFAULTS.max_state_domain  # no finite Int domain
    result = synthesize(task, timeout=120)
    assert result.program is not None and isinstance(result.program.body, ast.Fold), result.stats
    _exact_on(result, sum_of_squares, _draw(rng, 10, 100, 100, 10))


def _operands_sum(xs: tuple) -> int:
    """Little-endian binary numbers separated by 2, summed (binary_addition's number)."""
    parts = [[]]  # type: list[list[int]]
    for x in xs:
        parts.append([]) if x == 2 else parts[-1].append(x)
    return sum(sum(b << i for i, b in enumerate(p)) for p in parts)


def test_a_fold_over_the_parts_of_a_split_list() -> None:
    """The body runs on the parts (bit lists), not on whole inputs: members are sampled from the sources."""
    rng = np.random.default_rng(3)
    xss = [tuple(int(b) for b in rng.integers(0, 2, size=int(rng.integers(1, 9)))) + (2,)
           + tuple(int(b) for b in rng.integers(0, 2, size=int(rng.integers(1, 9)))) for _ in range(20)]
    task = _task(_operands_sum, INT, xss)
    result = synthesize(task, profile="list", sample_part_cost=4, exhaustive_cost=5, max_cost=12, timeout=120)
    assert result.program is not None and isinstance(result.program.body, ast.Fold), result.stats
    assert "split" in result.text and "from_bits" in result.text, result.text
    assert result.cost > 5 and result.stats.found_by == "partial"  # above exhaustive_cost: not the whole level
    _exact_on(result, _operands_sum, [tuple(int(b) for b in rng.integers(0, 2, size=60)) + (2, 1, 1) for _ in range(5)])


def test_list_members_come_from_the_sources_and_scalars_from_the_inputs() -> None:
    env = {"xs": ListT(INT)}
    xss = [(1, 0, 2, 1, 1), (0, 2, 1)]
    grammar = grammar_for(env, INT, [x for xs in xss for x in xs], profile=LIST)
    bank = Bank(env, [{"xs": xs} for xs in xss], grammar, Budget())
    bank.at(4)
    members = sample_members(bank, ListT(INT), 8, 4)
    assert (1, 0) in members and (1, 1) in members  # parts of split(xs, 2), not only the inputs
    assert len(members) == len(set(members)) <= 8
    assert sample_members(bank, INT, 8, 4) == (1, 0, 2)  # the tokens, first seen first


def test_a_record_state() -> None:
    pair = RecordT((("fst", INT), ("snd", INT)))

    def last_two(xs: tuple) -> Record:
        a, b = 0, 0
        for x in xs:
            a, b = b, x
        return Record(("fst", "snd"), (a, b))

    rng = np.random.default_rng(6)
    xss = _draw(rng, 20, 1, 8, 70)
    task = _task(last_two, pair, xss)
    result = synthesize(task, timeout=120)
    assert result.program is not None and isinstance(result.program.body, ast.Fold), result.stats
    _exact_on(result, last_two, _draw(rng, 10, 100, 100, 70))


def test_the_finite_domain_path_is_untouched() -> None:
    # Parity has a Bool state: the sampled path never runs, so turning it off changes nothing.
    rng = np.random.default_rng(2)
    task = _task(lambda xs: sum(xs) % 2, INT, _draw(rng, 20, 1, 10, 2))
    on, off = synthesize(task), synthesize(task, sample_states=0)
    assert on.text == off.text and on.stats.enumerated == off.stats.enumerated
    assert on.text is not None and "fold" in on.text


RULES = [  # name, rule, output type, tokens, constants, the dearest cost searched
    ("stack", lambda xs: _stack(xs, lambda x: x), ListT(INT), 4, (), 16),
    ("squares", sum_of_squares, INT, 10, (), 10),
    # Rules no cheap fold computes: whatever the search offers must still fit.
    ("push_even", lambda xs: tuple(x for x in reversed(xs) if x % 2 == 0) + (len(xs),), ListT(INT), 4, (), 12),
    ("weighted", lambda xs: sum((i + 1) * x for i, x in enumerate(xs)), INT, 6, (), 11),
]


@pytest.mark.parametrize("name,f,out_type,tokens,constants,dearest", RULES, ids=[r[0] for r in RULES])
def test_every_sampled_fold_offered_fits_every_example(name, f, out_type, tokens, constants, dearest) -> None:
    """The merge on sampled states is a heuristic, the check is not: no candidate misfits an example."""
    rng = np.random.default_rng(3)
    xss = _draw(rng, 8, 0, 9, tokens)
    outs = [f(xs) for xs in xss]
    env = {"xs": ListT(INT)}
    grammar = grammar_for(env, out_type, [*xss, *outs], extra_ints=constants, profile=LIST)
    budget = Budget(settings=DEFAULTS.with_overrides(exhaustive_cost=6))
    top = Bank(env, [{"xs": xs} for xs in xss], grammar, budget)
    loops = LoopSearch(top, out_type, outs, agrees)
    assert grammar.state_domain(out_type) is None  # the sampled path
    offered: list = []
    for c in range(1, dearest + 1):
        offered += loops.candidates(c)
        if offered:
            break
    for expr in offered:
        run = compile_program(ast.Program((ast.Param("xs", ListT(INT)),), expr))
        assert all(agrees(out, run({"xs": xs})) for xs, out in zip(xss, outs)), expr
    if name in ("stack", "squares"):
        assert offered


def test_the_body_banks_serve_any_outputs_vector() -> None:
    """Sub-goals: the same LoopSearch asked for other outputs reuses its banks and answers for those."""
    rng = np.random.default_rng(4)
    xss = _draw(rng, 8, 1, 6, 4)
    env = {"xs": ListT(INT)}
    first = [sum_of_squares(xs) for xs in xss]
    second = [sum(xs) + len(xs) for xs in xss]
    grammar = grammar_for(env, INT, [*xss, *first, *second])
    top = Bank(env, [{"xs": xs} for xs in xss], grammar, Budget())
    loops = LoopSearch(top, INT, first, agrees)
    found = next(e for c in range(1, 10) for e in loops.candidates(c))
    banks = dict(loops._sampled._banks)
    loops.outputs = second
    other = next(e for c in range(1, 12) for e in loops.candidates(c))
    assert loops._sampled._banks == banks and found != other
    run = compile_program(ast.Program((ast.Param("xs", ListT(INT)),), other))
    assert [run({"xs": xs}) for xs in xss] == second


def test_a_partial_goal_asks_nothing_of_the_examples_it_leaves_ANY() -> None:
    """Folds for a goal with ANY fit the other examples: all the full goal's folds and no fewer, whatever stood there."""
    rng = np.random.default_rng(5)
    xss = _draw(rng, 8, 1, 6, 4)
    env = {"xs": ListT(INT)}
    outs = [sum_of_squares(xs) for xs in xss]
    partial = [ANY if i in (2, 5) else out for i, out in enumerate(outs)]
    clash = [-1 if i in (2, 5) else out for i, out in enumerate(outs)]  # no sum of squares is negative
    grammar = grammar_for(env, INT, [*xss, *outs])
    top = Bank(env, [{"xs": xs} for xs in xss], grammar, Budget())
    loops = LoopSearch(top, INT, outs, agrees)
    found = []
    for c in range(1, 10):
        full, part = list(loops.folds_for(c, INT, outs)), list(loops.folds_for(c, INT, partial))
        assert set(full) <= set(part) and not list(loops.folds_for(c, INT, clash))
        for expr in part:
            run = compile_program(ast.Program((ast.Param("xs", ListT(INT)),), expr))
            assert all(run({"xs": xs}) == out for xs, out in zip(xss, partial) if out is not ANY), expr
        found += full
    assert found


def test_sampled_states_come_from_the_inputs_in_a_fixed_order() -> None:
    env = {"xs": ListT(INT)}
    xss = [(4, 0, 1), (3, 3)]
    grammar = grammar_for(env, ListT(INT), [*xss, (9, 9, 9)])
    bank = Bank(env, [{"xs": xs} for xs in xss], grammar, Budget())
    states = sample_states(bank, ListT(INT), 16, 3)
    assert states[:4] == ((), (0,), (1,), (2,)) and len(states) == len(set(states)) <= 16
    assert all(len(s) <= 2 and set(s) <= {0, 1, 2} for s in states)
    assert sample_states(bank, INT, 5, 3) == (0, 1, 2, 3, 4)
    pair = RecordT((("a", INT), ("b", INT)))
    records = sample_states(bank, pair, 9, 3)
    assert len(records) == 9 and len(set(records)) == 9
    assert sample_states(bank, ListT(INT), 0, 3) == ()


def test_counterexample_rounds_find_what_a_search_from_scratch_finds() -> None:
    from dataclasses import replace

    rng = np.random.default_rng(5)
    task = _task(lambda xs: _stack(xs, lambda x: x), ListT(INT), _draw(rng, 12, 1, 6, 4))
    # No chains' phase nor probe: they check their programs on every training example, so a
    # search on the subset alone may accept one the rounds turned down.
    options = dict(profile="list", exhaustive_cost=6, chain_fold_cost=None, probe_values=None)
    rounds = synthesize(task, search_examples=1, **options)
    assert rounds.program is not None and rounds.stats.rounds >= 2, rounds.stats
    subset = replace(task, train=tuple(task.train[i] for i in rounds.stats.searched))
    scratch = synthesize(subset, search_examples=None, **options)
    assert (rounds.text, rounds.cost) == (scratch.text, scratch.cost)


def test_the_sampled_search_is_deterministic() -> None:
    rng = np.random.default_rng(7)
    task = _task(lambda xs: _stack(xs, lambda x: x), ListT(INT), _draw(rng, 10, 1, 6, 4))
    first, again = (synthesize(task, profile="list", exhaustive_cost=6) for _ in range(2))
    assert first.text is not None and first.text == again.text
    assert (first.stats.enumerated, first.stats.pruned, first.stats.kept) == (again.stats.enumerated, again.stats.pruned, again.stats.kept)


def test_exhaustive_cost_stops_every_bank_and_changes_nothing_below() -> None:
    env = {"xs": ListT(INT)}
    xss = [(1, 0, 2), (2, 2), (0,)]
    grammar = grammar_for(env, INT, xss)
    capped = Bank(env, [{"xs": xs} for xs in xss], grammar, Budget(settings=DEFAULTS.with_overrides(exhaustive_cost=3)))
    free = Bank(env, [{"xs": xs} for xs in xss], grammar, Budget())
    assert capped.at(5) == {} and len(capped.levels) == 4
    for c in range(1, 4):
        assert [e.expr for es in capped.at(c).values() for e in es] == [e.expr for es in free.at(c).values() for e in es]
    assert free.at(5)


def _offered(xss, f, out_type, upto: int, tokens_constants=()) -> list:
    outs = [f(xs) for xs in xss]
    env = {"xs": ListT(INT)}
    grammar = grammar_for(env, out_type, [*xss, *outs], extra_ints=tokens_constants, profile=LIST)
    top = Bank(env, [{"xs": xs} for xs in xss], grammar, Budget(settings=DEFAULTS.with_overrides(exhaustive_cost=6)))
    loops = LoopSearch(top, out_type, outs, agrees)
    return [e for c in range(1, upto + 1) for e in loops.candidates(c)]


@pytest.mark.parametrize("seed", [0, 5])
def test_the_join_on_a_one_switch_example_offers_what_the_product_offers_in_its_order(seed, monkeypatch) -> None:
    """`if C then A else B` bodies: pairs joined at the switch state of one example, never more nor fewer than the product's fits."""
    rng = np.random.default_rng(seed)
    xss = _draw(rng, 10, 1, 7, 3) + [(0, 2), (2, 1, 1)]  # two examples of one switch, each way round
    joined = _offered(xss, final_stack, ListT(INT), 16)
    monkeypatch.setattr(samplefolds, "_one_switch", lambda *args: None)
    product = _offered(xss, final_stack, ListT(INT), 16)
    assert joined == product and joined  # the stack's fold is among them


def test_one_switch_examples_are_found_either_way_round() -> None:
    src = Entry(ast.Var("xs"), ListT(INT), 1, ((1, 1), (1, 2), (2, 2, 1), (1, 2, 1), ()))
    side = {1: True, 2: False}
    assert samplefolds._one_switch(side, src, [0, 4, 3, 1, 2]) == (1, 1, True)  # (1, 2): then, else
    assert samplefolds._one_switch(side, src, [3, 2]) == (2, 2, False)  # (2, 2, 1): else twice, then then
    assert samplefolds._one_switch(side, src, [0, 3, 4]) is None


def test_growth_for_goals_after_the_freeze_stops_a_bank_not_the_search() -> None:
    """Past goal_values a bank growing for a goal stops as if full; before, it ran into the value cap."""
    rng = np.random.default_rng(0)
    task = _task(final_stack, ListT(INT), _draw(rng, 30, 1, 12, 5), constants=(3,))
    caps = dict(freeze_values=200_000, max_values=300_000, max_cost=14, timeout=300)
    stopped = synthesize(task, profile="list", goal_values=None, **caps)
    assert stopped.stats.stopped == "memory" and stopped.stats.max_cost_searched < 14, stopped.stats
    result = synthesize(task, profile="list", goal_values=250_000, **caps)
    assert result.stats.stopped == "exhausted" and result.stats.max_cost_searched == 14, result.stats


def test_the_folds_memos_are_dropped_before_the_value_cap_stops_the_search() -> None:
    """The memos of off-sample steps are a cache: at the cap they go, and the search goes on (it stopped on memory at cost 13)."""
    rng = np.random.default_rng(0)
    task = _task(final_stack, ListT(INT), _draw(rng, 30, 1, 12, 5), constants=(3,))
    # Without the chains' exceptions: their folds ask for a body bank level this small cap cannot hold at all.
    result = synthesize(task, profile="list", exhaustive_cost=5, max_cost=16, max_values=600_000, freeze_values=None,
                        goal_values=None, chain_exceptions=0, timeout=120)
    assert result.stats.stopped == "exhausted" and result.stats.max_cost_searched == 16, result.stats


def _doubled_reversed(xs: tuple) -> tuple:
    return tuple(x + x for x in reversed(xs))


@pytest.mark.parametrize("seed, f, upto", [(0, final_stack, 16), (1, _doubled_reversed, 12)])
def test_the_memos_of_legs_and_first_states_offer_what_running_every_candidate_offers(seed, f, upto, monkeypatch) -> None:
    """Legs of an if-fold memoized by (branch, stretch, state) and plain bodies grouped by their first final state: a cache, nothing else."""
    rng = np.random.default_rng(seed)
    xss = _draw(rng, 10, 1, 7, 3) + [(0, 2), (2, 1, 1), (1, 0, 2, 1, 2), (0, 2, 2, 1, 0, 2)]
    out_type = ListT(INT)
    memoized = _offered(xss, f, out_type, upto)

    def leg(self, sb, branch, src, i, start, end, state):
        return self._run(sb, branch, None, None, state, src.values[i][start:end])

    monkeypatch.setattr(samplefolds.SampleFolds, "_leg", leg)
    monkeypatch.setattr(samplefolds.SampleFolds, "_by_first", lambda *args: None)
    direct = _offered(xss, f, out_type, upto)
    assert memoized == direct and memoized


def test_stretches_split_members_where_the_branch_changes() -> None:
    side = {0: False, 1: False, 2: True}
    assert samplefolds._stretches(side, (0, 1, 2, 2, 1)) == [(False, 0, 2), (True, 2, 4), (False, 4, 5)]
    assert samplefolds._stretches(side, ()) == []
    assert samplefolds._stretches(side, (0, 3)) is None  # 3 is off the sample


def test_at_one_cost_a_constant_initial_state_is_tried_before_one_read_from_the_inputs(monkeypatch) -> None:
    """The tie order: over each source, every (source, init) whose init is the same on every example comes first."""
    rng = np.random.default_rng(6)
    xss = _draw(rng, 8, 1, 9, 4)
    outs = [final_stack(xs) for xs in xss]
    env = {"xs": ListT(INT)}
    grammar = grammar_for(env, ListT(INT), [*xss, *outs], profile=LIST)
    top = Bank(env, [{"xs": xs} for xs in xss], grammar, Budget(settings=DEFAULTS.with_overrides(exhaustive_cost=6)))
    loops = LoopSearch(top, ListT(INT), outs, agrees)
    tried: list = []
    real = samplefolds.SampleFolds._with

    def spy(self, sb, cb, src, init, *rest):
        tried.append((src.expr, len(set(init.values)) == 1))
        return real(self, sb, cb, src, init, *rest)

    monkeypatch.setattr(samplefolds.SampleFolds, "_with", spy)
    for c in range(1, 11):
        tried.clear()
        list(loops.candidates(c))
        runs: dict = {}
        for src, constant in tried:
            runs.setdefault(src, []).append(constant)
        for src, flags in runs.items():
            assert flags == sorted(flags, reverse=True), (c, src, flags)
    assert any(not constant for _, constant in tried) and any(constant for _, constant in tried)


def test_a_leg_gives_back_its_own_state_not_an_equal_one_of_another_state_type(monkeypatch) -> None:
    """Legs' states are interned so equal states are one object; a Bool fold's True must not stand for an Int fold's 1.

    (Interned across state types, the Int fold's state came back True: an
    index by it is refused, `True` is not a key, so a right fold could fail.)
    """
    top = Bank({"xs": ListT(INT)}, [{"xs": (1, 2)}], grammar_for({"xs": ListT(INT)}, INT, [(1, 2), 1]), Budget())
    folds = samplefolds.SampleFolds(top)
    runs = iter([True, 1, (True,), (1,)])
    monkeypatch.setattr(samplefolds.SampleFolds, "_run", lambda self, *args: next(runs))
    src = Entry(ast.Var("xs"), ListT(INT), 1, ((1, 2),))
    bool_bank, int_bank = object(), object()
    got = [folds._leg(bank, Entry(ast.Var("xs"), INT, 1, (0,)), src, 0, 0, 2, state)
           for bank, state in ((bool_bank, False), (int_bank, 0), (bool_bank, (False,)), (int_bank, (0,)))]
    assert [type(v) for v in got[:2]] == [bool, int] and got[1] == 1
    assert [type(v[0]) for v in got[2:]] == [bool, int]


def test_a_state_holding_the_empty_record() -> None:
    """Helper audit: a record state with a `{}` field divided by its 0 fields when sampling states (ZeroDivisionError)."""
    empty = Record((), ())
    state = RecordT((("a", INT), ("b", RecordT(()))))
    xss = [(1, 2), (), (3, 4, 5)]
    starts = [Record(("a", "b"), (k, empty)) for k in range(3)]
    train = tuple(Example({"xs": xs, "r": r}, Record(("a", "b"), (r.values[0] + sum(xs), empty))) for xs, r in zip(xss, starts))
    task = Task("empty", "open", (("xs", ListT(INT)), ("r", state)), state, train, (), OpenSpec(family="open"))
    found = synthesize(task, max_cost=14, timeout=60)
    assert found.program is not None and found.stats.stopped == "found"
    run = compile_program(found.program)
    assert all(run(dict(e.inputs)) == e.output for e in train)
    assert sample_states(Bank({}, [{}], grammar_for({}, state, []), Budget()), RecordT(()), 16, 3) == (empty,)


def test_a_condition_reading_the_state_is_never_taken_for_one_on_the_member_alone() -> None:
    """Helper audit: a condition constant on every sampled state was taken as reading only the member, so a leg
    ran as if it held on states off the sample too; `len(s) < x * 3` is, on stacks of at most two items."""
    from dsl.parse import parse_expr

    top = Bank({"xs": ListT(INT)}, [{"xs": (0, 5, 0)}], grammar_for({"xs": ListT(INT)}, ListT(INT), [(0, 5, 0)]), Budget())
    sb = samplefolds.SampleFolds(top).body_bank(INT, ListT(INT))
    assert sb is not None and max(len(s) for _, s in sb.where) <= 2
    s, x = sb.svar, sb.xvar

    def entry(text: str, cost: int) -> Entry:
        run = compile_program(ast.Program((ast.Param(s, ListT(INT)), ast.Param(x, INT)), parse_expr(text)))
        at = sorted(sb.where.items(), key=lambda kv: kv[1])
        return Entry(parse_expr(text), BOOL, cost, tuple(run({s: state, x: m}) for (m, state), _ in at))

    reads_state = entry(f"len({s}) < {x} * 3", 6)
    split = {m: m > 0 for m, _ in sb.where}
    assert {m: reads_state.values[j] for (m, _), j in sb.where.items()} == split  # constant per member, on the sample
    assert samplefolds._by_member(sb, reads_state) is None
    assert samplefolds._by_member(sb, entry(f"0 < {x}", 3)) == split
