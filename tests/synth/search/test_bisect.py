"""The `bisect` loop form on the search side (synth/search/bisect.py): probes deduced from a result, and programs found by them."""

from __future__ import annotations

import random
from math import isqrt

from hypothesis import given
from hypothesis import strategies as st

from dsl import ast
from dsl.interp import compile_program
from dsl.printer import show
from dsl.types import INT, ListT
from synth.search.bank import Bank, Budget
from synth.search.bisect import probes
from synth.search.goals import Goal, Goals
from synth.search.grammar import grammar_for
from synth.search.profiles import resolve_profile
from synth.search.settings import DEFAULTS
from synth.search.solver import synthesize
from tasks.core import Example, Task
from tasks.open.spec import OpenSpec


def _run_bisect(lo: int, hi: int, body: ast.Expr) -> int:
    """The interpreter's bisect over lo..hi with this body of `i`: the definition the deduction must agree with."""
    return compile_program(ast.Program((), ast.Bisect("i", ast.IntLit(lo), ast.IntLit(hi), body)))({})


def _said(walk: tuple[tuple[int, bool], ...]) -> ast.Expr:
    """A body true exactly at the probes the walk says hold: `i == m1 or i == m2 ...` (false if none)."""
    body: ast.Expr = ast.BoolLit(False)
    for m, holds in walk:
        if holds:
            body = ast.Prim("or", (body, ast.Prim("==", (ast.Var("i"), ast.IntLit(m)))))
    return body


@given(st.integers(-50, 50), st.integers(-50, 50), st.integers(-60, 60))
def test_the_probes_are_the_ones_that_end_the_search_on_the_result(lo: int, hi: int, r: int) -> None:
    """Any body that says what `probes` says at each probe makes the DSL's bisect return r; outside lo - 1 .. hi
    (hi alone for an empty range) there are none."""
    walk = probes(lo, hi, r)
    if not (lo - 1 <= r <= hi or lo > hi and r == hi):
        assert walk is None
        return
    assert walk is not None
    assert all(holds == (m <= r) for m, holds in walk)
    assert len({m for m, _ in walk}) == len(walk)
    # Even a body true at the holding probes only (false between them) ends there: the probes are all that is read.
    assert _run_bisect(lo, hi, _said(walk)) == r
    assert _run_bisect(lo, hi, ast.Prim("<=", (ast.Var("i"), ast.IntLit(r)))) == r


def test_probes_are_logarithmic_in_the_range() -> None:
    walk = probes(0, 2**500, 3**300)
    assert walk is not None and len(walk) <= 502


XS = [(1, 0, 1, 1), (1, 1, 0, 1, 0, 1), (1, 0, 0, 0, 0, 1, 1, 1, 0), (0, 1), (1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1), (0, 0, 0)]
ENV = {"xs": ListT(INT)}


def _number(xs: tuple) -> int:
    return int("".join(map(str, xs)), 2)


def _goals(profile: str = "list", built: int = 5) -> Goals:
    grammar = grammar_for(ENV, INT, [x for xs in XS for x in xs], profile=resolve_profile(profile))
    top = Bank(ENV, [{"xs": xs} for xs in XS], grammar, Budget(settings=DEFAULTS))
    top.at(built)
    return Goals(top)


def _run(e: ast.Expr, xs: tuple):
    return compile_program(ast.Program((ast.Param("xs", ListT(INT)),), e))({"xs": xs})


def test_an_int_goal_is_met_by_a_bisect_whose_body_is_deduced() -> None:
    """isqrt of the big-endian number: `let n = from_bits(reverse(xs)) in bisect i in 0 .. n: i * i <= n` (cost 15)."""
    goals = _goals()
    goal = Goal(INT, tuple(isqrt(_number(xs)) for xs in XS))
    found = []
    for c in range(1, 16):
        for e in goals.candidates(goal, c):
            assert goals.grammar.cost(e) == c, show(e)
            assert [_run(e, xs) for xs in XS] == list(goal.want), show(e)
            found.append(e)
    shown = [show(e) for e in found]
    assert "let n = from_bits(reverse(xs)) in bisect i in 0 .. n: i * i <= n" in shown
    right = found[shown.index("let n = from_bits(reverse(xs)) in bisect i in 0 .. n: i * i <= n")]
    assert _run(right, tuple(int(b) for b in f"{3**200:b}")) == isqrt(3**200)


def test_a_bisect_is_deduced_only_where_the_profile_has_the_form() -> None:
    goal = Goal(INT, tuple(isqrt(_number(xs)) for xs in XS))
    assert not [e for c in range(1, 16) for e in _goals("core").candidates(goal, c)]
    assert "bisect" not in {op for op, _ in _goals("core").witnesses}
    off = DEFAULTS.with_overrides(bisect_body_cost=0)
    grammar = grammar_for(ENV, INT, [x for xs in XS for x in xs], profile=resolve_profile("list"))
    top = Bank(ENV, [{"xs": xs} for xs in XS], grammar, Budget(settings=off))
    top.at(5)
    assert not [e for c in range(1, 16) for e in Goals(top).candidates(goal, c) if "bisect" in show(e)]


def test_bounds_that_cannot_give_the_goal_get_no_body_search() -> None:
    """An upper bound below some wanted value, or one probe with two answers, is dropped before any bank is built."""
    goals = _goals()
    for c in range(1, 13):
        list(goals.candidates(Goal(INT, tuple(len(xs) + 100 for xs in XS)), c))
    assert goals.bisects is not None and goals.bisects._searches and not any(goals.bisects._searches.values())


def test_a_user_problem_over_an_int_gets_its_square_root_from_random_examples() -> None:
    """An open task `input n: Int` whose output is isqrt(n), from 20 random numbers of 1 to 20 bits (seeded), exact far beyond.

    Numbers of every size, as the suite draws its inputs: from large ones only, a perfect square is rare, and
    `i * i < n` (wrong on squares alone) fits as well.
    """
    rng = random.Random(5)
    ns = [rng.randrange(2 ** rng.randint(1, 20)) for _ in range(20)]
    task = Task("isqrt", "open", (("n", INT),), INT, tuple(Example({"n": k}, isqrt(k)) for k in ns), (), OpenSpec())
    result = synthesize(task, profile="list", timeout=60)
    assert result.program is not None, result.stats
    assert isinstance(result.program.body, (ast.Bisect, ast.Let)), result.text
    run = compile_program(result.program)
    assert [run({"n": k}) for k in (0, 1, 2, 3, 4, 15, 16, 17, 10**100)] == [isqrt(k) for k in (0, 1, 2, 3, 4, 15, 16, 17, 10**100)]
