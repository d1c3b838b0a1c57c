"""Top-down composition (synth/search/goals.py): what every witness must satisfy, and that it reaches past the bank."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dsl import ast
from dsl.interp import compile_program
from dsl.printer import show
from dsl.types import INT, ListT, Type
from synth.search import goals as goals_module
from synth.search.bank import Bank, Budget
from synth.search.goals import COMPOSED, FIXED, WITNESSES, Chain, Goal, Goals
from synth.search.grammar import grammar_for
from synth.search.profiles import resolve_profile
from synth.search.settings import DEFAULTS, Settings
from synth.search.solver import synthesize
from synth.search.special import ANY
from tasks.core import Example, Task
from tasks.open.spec import OpenSpec

XS = [(1, 0, 1, 1), (0, 2, 1), (1, 1, 0, 1, 0, 2, 1), (2, 0), (1, 0, 0, 1, 1, 1)]
ENV = {"xs": ListT(INT)}


def _goals(profile: str, built: int, settings: Settings = DEFAULTS) -> Goals:
    grammar = grammar_for(ENV, ListT(INT), [x for xs in XS for x in xs], profile=resolve_profile(profile))
    top = Bank(ENV, [{"xs": xs} for xs in XS], grammar, Budget(settings=settings))
    top.at(built)
    return Goals(top)


def _run(e: ast.Expr, xs: tuple):
    return compile_program(ast.Program((ast.Param("xs", ListT(INT)),), e))({"xs": xs})


def _odds_first(xs: tuple) -> tuple:
    return xs[1::2] + xs[0::2]


CASES = [
    # (profile, top-bank levels built, wanted as a function of xs, output type, the answer's cost)
    ("core", 7, _odds_first, ListT(INT), 27),  # `+` split at len(xs) / 2, index loops on both sides
    ("list", 7, lambda xs: xs + (2,) + (0,) * len(xs), ListT(INT), 12),  # pad(append(xs, 2), len(xs) + len(xs), 0)
    ("list", 4, lambda xs: (len(xs) + 2,) + xs, ListT(INT), 7),  # cons(len(xs) + 2, xs)
    ("list", 4, lambda xs: (len(xs) + 1) * sum(xs), INT, 8),  # `*`: one operand known, the other looked up
    ("list", 5, lambda xs: len(xs) - 2 * sum(xs), INT, 8),  # `-`: the known operand on either side
    ("list", 7, lambda xs: tuple(int(c) for c in reversed(f"{len(xs) + sum(xs):b}")), ListT(INT), 8),  # to_bits
    ("list", 4, lambda xs: xs[::-1] if len(xs) > 2 else (len(xs),), ListT(INT), 12),  # if: each branch a partial goal
    ("list", 4, lambda xs: tuple(sorted(xs, reverse=True)), ListT(INT), 5),  # reverse(sort(xs))
    ("list", 4, lambda xs: tuple((sum(xs) >> i) & 1 for i in range(len(xs))), ListT(INT), 8),  # to_bits_len(sum(xs), len(xs))
]


@pytest.mark.parametrize("profile, built, f, typ, cost", CASES,
                         ids=["concat", "pad", "cons", "times", "minus", "to_bits", "if", "reverse", "to_bits_len"])
def test_every_composed_program_costs_what_it_says_and_meets_the_goal(profile: str, built: int, f, typ: Type, cost: int) -> None:
    goals = _goals(profile, built)
    goal = Goal(typ, tuple(f(xs) for xs in XS))
    found = []
    for c in range(1, cost + 1):
        for e in goals.candidates(goal, c):
            assert goals.grammar.cost(e) == c, e
            assert all(_run(e, xs) == want for xs, want in zip(XS, goal.want)), e
            found.append((c, e))
    assert found, f"nothing of cost <= {cost}"


def test_a_witness_is_offered_only_when_its_primitive_is_in_the_profile() -> None:
    assert {op for op, _ in _goals("core", 3).witnesses} == {op for op in WITNESSES if op in ("+", "-", "*", "if")}
    assert {op for op, _ in _goals("list", 3).witnesses} == set(WITNESSES)
    assert {op for op, _ in Goals(_goals("list", 3).top, cases=False).witnesses} == set(WITNESSES) - {"if"}


def test_reverse_is_not_searched_under_reverse() -> None:
    """Its operand's goal reversed again is the goal itself: the composition would search it twice over."""
    goal = Goal(ListT(INT), tuple(XS))
    (once,) = COMPOSED["reverse"](goal).goals
    assert once.want == tuple(xs[::-1] for xs in XS) and COMPOSED["reverse"](once) is None


def test_parts_never_come_from_levels_the_bank_has_not_built() -> None:
    goals = _goals("core", 4)
    levels = len(goals.top.levels)
    goal = Goal(ListT(INT), tuple(_odds_first(xs) for xs in XS))
    assert not [e for c in range(1, 30) for e in goals.candidates(goal, c)]  # range(len(xs) / 2) costs 5
    assert len(goals.top.levels) == levels  # composing never grows the top bank


def test_the_value_cap_no_longer_ends_a_search_that_composition_can_finish() -> None:
    """Past freeze_values the search composes what it holds instead of stopping on the value cap."""
    rng = np.random.default_rng(0)
    xss = [tuple(int(v) for v in rng.integers(0, 3, size=n)) for n in (7, 12, 9, 16, 5, 11)]
    task = Task("odds", "open", (("xs", ListT(INT)),), ListT(INT),
                tuple(Example({"xs": xs}, _odds_first(xs)) for xs in xss), (), OpenSpec())
    result = synthesize(task, freeze_values=200_000)
    assert result.program is not None, result.stats
    long = tuple((5 * i) % 3 for i in range(101))
    assert compile_program(result.program)({"xs": long}) == _odds_first(long), result.text


def test_a_payload_is_met_by_a_fold_over_sampled_states() -> None:
    """to_bits's inverse leaves a large number only a fold computes: the goal's fold, not the task's, is searched."""
    rng = np.random.default_rng(1)
    xss = [tuple(int(v) for v in rng.integers(0, 50, size=n)) for n in (3, 6, 4, 8, 5, 7)]

    def f(xs: tuple) -> tuple:
        return tuple(int(c) for c in reversed(f"{sum(x * x for x in xs) + 1:b}"))

    task = Task("squares", "open", (("xs", ListT(INT)),), ListT(INT),
                tuple(Example({"xs": xs}, f(xs)) for xs in xss), (), OpenSpec())
    result = synthesize(task, profile="list", freeze_values=300_000, timeout=120)
    assert result.program is not None, result.stats
    body = result.program.body
    assert isinstance(body, ast.Prim) and body.op == "to_bits", result.text
    long = tuple(range(300))
    assert compile_program(result.program)({"xs": long}) == f(long), result.text



def _doubled_stack(xs: tuple) -> tuple:
    """Each item doubled, last first, then 2, then 0s up to len(xs) + 1 items (the shape of stack_manipulation's output)."""
    return tuple(x + x for x in reversed(xs)) + (2,)


def test_chains_follow_the_operators_the_output_fixes() -> None:
    """pad, then append: a chain's goal is what they leave of the output, and its program puts a payload back in place."""
    goals = _goals("list", 6)
    want = tuple(_doubled_stack(xs) + (0,) * len(xs) for xs in XS)
    chains = goals.chains(Goal(ListT(INT), want))
    plain = [c.cost for c in chains if not c.exceptions]  # those with exceptions come later by the if they need
    assert plain == sorted(plain) and chains[0].wrap == ()
    inner = next(c for c in chains if [op for op, _ in c.wrap] == ["pad", "append"])
    assert inner.goal.want == tuple(tuple(x + x for x in reversed(xs)) for xs in XS)
    payload = ast.Comp("x", ast.Prim("reverse", (ast.Var("xs"),)), ast.Prim("+", (ast.Var("x"), ast.Var("x"))))
    program = inner.program(payload)
    assert [_run(program, xs) for xs in XS] == list(want)
    assert goals.grammar.cost(program) == inner.cost + goals.grammar.cost(payload)


def _bits(n: int) -> tuple:
    return tuple(int(c) for c in reversed(f"{n:b}"))


def test_a_chain_leaves_the_few_examples_an_operator_cannot_explain_to_an_if() -> None:
    """to_bits stands for no empty list: below it that example is ANY, and counted; past the limit there is no chain."""
    want = [_bits(sum(xs) + 1) + (2,) for xs in XS]
    want[3] = (2,)  # append leaves [], which no number's bits are

    def through_to_bits(goals: Goals, want: list) -> list:
        return [c for c in goals.chains(Goal(ListT(INT), tuple(want))) if [op for op, _ in c.wrap] == ["append", "to_bits"]]

    (chain,) = through_to_bits(_goals("list", 4), want)
    assert chain.exceptions == 1 and chain.goal.want[3] is ANY
    assert [w for i, w in enumerate(chain.goal.want) if i != 3] == [sum(xs) + 1 for i, xs in enumerate(XS) if i != 3]
    assert [_run(chain.program(ast.Prim("sum", (ast.Var("xs"),))), xs) for xs in XS] != want  # wrong at 3, until an if
    assert not through_to_bits(_goals("list", 4, DEFAULTS.with_overrides(chain_exceptions=0)), want)
    assert not through_to_bits(_goals("list", 4), [(2,)] * 4 + [want[4]])  # four of five: more than the limit


def test_each_chain_is_also_followed_without_its_base_cases() -> None:
    """The examples with at most Settings.base_case_size input items (XS[3] = (2, 0)) are left ANY in a second root chain."""
    want = tuple(_bits(sum(xs) + 1) + (2,) for xs in XS)
    roots = [c for c in _goals("list", 4).chains(Goal(ListT(INT), want)) if not c.wrap]
    assert [c.exceptions for c in roots] == [0, 1] and roots[1].goal.want == want[:3] + (ANY,) + want[4:]
    roots = [c for c in _goals("list", 4, DEFAULTS.with_overrides(base_case_size=1)).chains(Goal(ListT(INT), want)) if not c.wrap]
    assert [c.exceptions for c in roots] == [0]


def test_a_goal_an_operator_with_constant_operands_explains_is_searched_only_through_it() -> None:
    """pad leaves stack + [2], which append(P, 2) explains: folds are searched for the stack, not for stack + [2]."""
    asked: list[tuple] = []

    def folds(cost: int, typ: Type, want: tuple):
        asked.append(want)
        return iter(())

    goals = _goals("list", 6)
    goals._folds = folds
    want = tuple(_doubled_stack(xs) + (0,) * len(xs) for xs in XS)
    list(goals.chained(Goal(ListT(INT), want), 30, 6))
    stacks = tuple(tuple(x + x for x in reversed(xs)) for xs in XS)
    assert stacks in asked and tuple(s + (2,) for s in stacks) not in asked
    # A chain the solver does not keep (refuted on other examples) explains nothing.
    asked.clear()
    list(goals.chained(Goal(ListT(INT), want), 30, 6, keep=lambda chain: chain.goal.want != stacks))
    assert stacks not in asked and tuple(s + (2,) for s in stacks) in asked


def test_a_chain_is_anchored_only_by_an_operator_that_explains_its_goal() -> None:
    """append(P, 2) explains (a literal), and so anchors the chains below it; pad to len(xs), stripping what ends the outputs, does not.

    `chained(anchored=...)` searches the one kind or the other: under the odds-first outputs' pad chain (1s end four of
    five, so pad strips them), an anchored phase asks for no fold.
    """
    goals = _goals("list", 6)
    stacked = goals.chains(Goal(ListT(INT), tuple(_doubled_stack(xs) + (0,) * len(xs) for xs in XS)))
    by_ops = {tuple(op for op, _ in c.wrap): c for c in stacked if not c.exceptions}
    assert not by_ops[("pad",)].anchored and by_ops[("pad", "append")].anchored and by_ops[("pad", "append")].explains
    assert all(c.anchored == any(d.explains for d in stacked if c.wrap[:len(d.wrap)] == d.wrap and d.exceptions <= c.exceptions)
               for c in stacked if c.wrap and not c.exceptions)
    odds = Goal(ListT(INT), tuple(_odds_first(xs) for xs in XS))
    (pad,) = [c for c in goals.chains(odds) if [op for op, _ in c.wrap] == ["pad"] and not c.exceptions]
    assert not pad.anchored and show(pad.program(ast.Var("F"))) == "pad(F, len(xs), 1)"
    asked: list[tuple] = []

    def folds(cost: int, typ: Type, want: tuple):
        asked.append(want)
        return iter(())

    def only_pad(chain: Chain) -> bool:  # as the solver's `confirmed` keeps on many examples
        return chain.wrap == pad.wrap

    goals._folds = folds
    list(goals.chained(odds, 30, 6, keep=only_pad, anchored=True))
    assert asked == []
    for anchored in (False, None):
        list(goals.chained(odds, 30, 6, keep=only_pad, anchored=anchored))
        assert pad.goal.want in asked  # (and the same with the base case left ANY)
        asked.clear()


def test_a_literal_the_chain_above_forces_explains_nothing() -> None:
    """Over bit strings, pad strips the trailing 0s, so the last item is 1: append(P, 1) and to_bits then fit any output.

    With a 2 among the outputs' items (bits, then 2, then 0s: binary_addition's shape), append(P, 2) says something
    (the last item could have been 1), and so does to_bits below it (no 2 inside).
    """
    rng = np.random.default_rng(1)
    bits = [tuple(int(v) for v in rng.integers(0, 2, size=n)) for n in rng.integers(3, 10, size=12)]
    goals = Goals(Bank(ENV, [{"xs": xs} for xs in bits], grammar_for(ENV, ListT(INT), [0, 1, 2], profile=resolve_profile("list")),
                       Budget(settings=DEFAULTS)))
    goals.top.at(6)

    def chains(want: list) -> dict:
        return {tuple(op for op, _ in c.wrap): c for c in goals.chains(Goal(ListT(INT), tuple(want))) if not c.exceptions}

    binary = chains(bits)
    for ops in [("pad", "to_bits"), ("pad", "append")]:
        assert not binary[ops].explains and not binary[ops].anchored, ops
    number = [_bits(len(xs) + sum(xs)) for xs in bits]
    stacked = chains([b + (2,) + (0,) * (2 * len(xs) - len(b) - 1) for b, xs in zip(number, bits)])
    assert stacked[("pad", "append")].explains and stacked[("pad", "append", "to_bits")].explains
    assert stacked[("pad", "append", "to_bits")].anchored and not stacked[("pad",)].anchored


def test_a_chain_keep_refuses_leaves_its_goal_to_another() -> None:
    """On five examples, pad(P, head(xs) xor 2 + 2, 2) strips the 2 by chance and reaches the bits first: refused (as
    the solver's confirmation on every training example refuses it), it must not keep append(P, 2) from the bits."""
    bits = [(1, 0, 1, 1, 0), (0, 1, 1, 0, 0), (1, 1, 0, 1, 0, 0, 1), (0, 1, 0), (1, 0, 0, 1, 1, 0)]
    goals = Goals(Bank(ENV, [{"xs": xs} for xs in bits], grammar_for(ENV, ListT(INT), [0, 1, 2], profile=resolve_profile("list")),
                       Budget(settings=DEFAULTS)))
    goals.top.at(6)
    number = [_bits(len(xs) + sum(xs)) for xs in bits]
    goal = Goal(ListT(INT), tuple(b + (2,) + (0,) * (2 * len(xs) - len(b) - 1) for b, xs in zip(number, bits)))

    def ops(chains: list[Chain]) -> list[tuple]:
        return [tuple(op for op, _ in c.wrap) for c in chains if not c.exceptions]

    def no_inner_pad(chain: Chain) -> bool:
        return [op for op, _ in chain.wrap][1:2] != ["pad"]

    assert ("pad", "pad") in ops(goals.chains(goal)) and ("pad", "append") not in ops(goals.chains(goal))
    kept = goals.chains(goal, no_inner_pad)
    assert ("pad", "append") in ops(kept) and all(no_inner_pad(c) for c in kept)
    (bits_chain,) = [c for c in kept if ops([c]) == [("pad", "append")]]
    assert bits_chain.goal.want == tuple(number) and bits_chain.anchored


def test_the_chains_phase_hands_each_fold_over_before_searching_on() -> None:
    """The first fold found is checked before the rest of its (dear) search runs; banks grow only while one is sought."""
    goals = _goals("list", 6)
    budget = goals.top.budget
    growing: list[bool] = []

    def folds(cost: int, typ: Type, want: tuple):
        growing.append(budget.goal_growth)
        yield ast.Var("xs")
        raise AssertionError("searched past the first fold")

    goals._folds = folds
    want = tuple(_doubled_stack(xs) + (0,) * len(xs) for xs in XS)
    program, cost = next(goals.chained(Goal(ListT(INT), want), 30, 6))
    assert growing == [True] and not budget.goal_growth and "xs" in show(program)


def test_a_chain_is_confirmed_only_where_its_fixed_operands_hold() -> None:
    """cons(head(xs), P) fits outputs that start with the input's first item; one example that does not refutes it."""
    goals = _goals("list", 4)
    chain = Chain(Goal(ListT(INT), tuple(XS)), 3, (("cons", (ast.Prim("head", (ast.Var("xs"),)), None)),))
    more = XS + [(2, 1, 1), (0, 0)]
    contexts = [{"xs": xs} for xs in more]
    right = Goal(ListT(INT), tuple((xs[0],) + xs for xs in more))
    assert goals.confirmed(chain, right, contexts)
    wrong = Goal(ListT(INT), right.want[:-1] + ((1, 0, 0),))
    assert not goals.confirmed(chain, wrong, contexts)


def test_the_chains_phase_finds_a_fold_under_pad_and_append() -> None:
    """A fold under pad and append is searched for the goal they leave, not level by level; right on longer inputs."""
    rng = np.random.default_rng(3)
    xss = [tuple(int(v) for v in rng.integers(0, 4, size=n)) for n in rng.integers(1, 13, size=12)]

    def f(xs: tuple) -> tuple:
        return _doubled_stack(xs) + (0,) * len(xs)

    task = Task("doubled_stack", "open", (("xs", ListT(INT)),), ListT(INT),
                tuple(Example({"xs": xs}, f(xs)) for xs in xss), (), OpenSpec())
    result = synthesize(task, profile="list", chain_cost=6, chain_fold_cost=10, timeout=300)
    assert result.program is not None, result.stats
    body = result.program.body
    assert isinstance(body, ast.Prim) and body.op in FIXED and "fold" in result.text, result.text
    long = tuple(int(v) for v in rng.integers(0, 4, size=200))
    assert compile_program(result.program)({"xs": long}) == f(long), result.text


def _minus_by_definition(goals: Goals, goal: Goal, cost: int) -> list[ast.Expr]:
    """`A - B` as `_arith` defines it: every known operand (either side), cheapest first, the other looked up."""
    out: list[ast.Expr] = []
    if not all(w is ANY or type(w) is int for w in goal.want):
        return out
    rest = cost - goals.grammar.weight("-")
    for known in goals.ints(min(rest - 1, goals.settings.goal_part_cost)):
        for on_right in (False, True):
            need = tuple(ANY if w is ANY else (w + k if on_right else k - w) for w, k in zip(goal.want, known.values))
            found = goals.lookup(Goal(INT, need), rest - known.cost)
            if found is not None:
                out.append(ast.Prim("-", (found.expr, known.expr) if on_right else (known.expr, found.expr)))
    return out


_MINUS_GOALS = _goals("core", 6)
_MINUS_INTS = [e for e in _MINUS_GOALS.ints(6)]


@pytest.mark.parametrize("prune", [True, False])
@settings(max_examples=60, deadline=None)
@given(st.data())
def test_minus_read_back_from_the_cheap_operand_gives_the_definitions_programs_in_its_order(prune: bool, data) -> None:
    """Where the known operand's level is the larger, `-` reads the other level and looks the known up: same output, same order."""
    goals = _MINUS_GOALS
    if not prune:
        top = Bank(ENV, goals.top.contexts, goals.grammar, Budget(), prune=False)
        top.at(5)
        goals = Goals(top)
    a, b = data.draw(st.sampled_from(_MINUS_INTS)), data.draw(st.sampled_from(_MINUS_INTS))
    want = [x - y for x, y in zip(a.values, b.values)]
    for i in data.draw(st.sets(st.integers(0, len(XS) - 1), max_size=2)):
        want[i] = ANY
    goal = Goal(INT, tuple(want))
    back: list[int] = []
    real = goals_module._arith_back

    def spy(*args):
        back.append(1)
        return real(*args)

    for cost in range(3, 10):
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(goals_module, "_arith_back", spy)
            got = list(WITNESSES["-"](goals, goal, cost, 0))
        assert got == _minus_by_definition(goals, goal, cost), (goal.want, cost)
    if prune and ANY not in want:
        assert back  # the read-back path ran (a dear known against a cheap other)
