"""Mending a fragile fold: one failing part of its body swapped for a bank entry that extends it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dsl import ast
from dsl.parse import parse_expr
from dsl.printer import show
from dsl.strategies import exprs
from dsl.types import INT, ListT
from synth.search.bank import Bank, Budget
from synth.search.grammar import grammar_for
from synth.search.loops import interpreted
from synth.search.profiles import LIST
from synth.search.rootloops import LoopSearch
from synth.search.settings import DEFAULTS
from synth.search.special import Special
from synth.search.sturdy import _preorder, _replaced, sturdier
from tasks.task import agrees

XSS = [(1, 0, 2), (0, 1, 1, 2, 2), (1, 3, 2, 0), (0, 0, 0, 2, 1), (3, 1, 2)]
STACK = ListT(INT)
ENV = {"xs": STACK}
_STACK = "fold (s, x) -> if x == 2 then {pop} else cons(x, s) from range(0) over xs"


def _setup(out_type=STACK):
    grammar = grammar_for(ENV, out_type, [x for xs in XSS for x in xs], profile=LIST)
    top = Bank(ENV, [{"xs": xs} for xs in XSS], grammar, Budget())
    loops = LoopSearch(top, out_type, [()] * len(XSS), agrees)
    return grammar, loops


def _variants(text: str, slack: int = 1, out_type=STACK):
    grammar, loops = _setup(out_type)
    expr = parse_expr(text)
    cost = grammar.cost(expr)
    return grammar, loops, expr, cost, list(sturdier(expr, cost, slack, ENV, grammar, loops.sample_bank,
                                                     DEFAULTS.check_fuel, DEFAULTS.sample_body_cost))


def test_a_pop_that_fails_on_the_empty_stack_is_mended_one_node_dearer() -> None:
    _, _, expr, cost, variants = _variants(_STACK.format(pop="tail(s)"))
    assert variants, "no variant"
    assert show(variants[0].expr) == show(parse_expr(_STACK.format(pop="drop(s, 1)")))
    assert variants[0].cost == cost + 1


def test_a_body_that_never_fails_on_the_sample_has_nothing_to_mend() -> None:
    assert _variants(_STACK.format(pop="drop(s, 1)"))[-1] == []


def test_slack_bounds_the_extra_cost() -> None:
    """drop(s, 1) is one dearer than tail(s): with no slack, no variant may be dearer than the program."""
    _, _, _, cost, variants = _variants(_STACK.format(pop="tail(s)"), slack=0)
    assert all(v.cost <= cost for v in variants)
    assert "drop(s, 1)" not in [show(v.expr) for v in variants]


def test_a_cheaper_total_part_comes_first() -> None:
    """x / x fails at x = 0 only, and 1 equals it elsewhere: the variant is cheaper than the program."""
    _, _, _, cost, variants = _variants("fold (s, x) -> s + x / x from 0 over xs", slack=0, out_type=INT)
    assert show(variants[0].expr) == "fold (s, x) -> s + 1 from 0 over xs" and variants[0].cost == cost - 2


@pytest.mark.parametrize("text, out_type", [
    (_STACK.format(pop="tail(s)"), ListT(INT)),
    ("fold (s, x) -> cons(head(s) + x, tail(s)) from range(1) over xs", ListT(INT)),
    ("fold (s, x) -> s + x / x from 0 over xs", INT),
], ids=["tail", "head-and-tail", "division"])
def test_every_variant_extends_one_failing_part_of_a_fold_body(text, out_type) -> None:
    """The contract: cheapest first, within the slack, one part replaced, its values extended on the sample."""
    grammar, loops, expr, cost, variants = _variants(text, slack=2, out_type=out_type)
    assert variants, "nothing to mend"
    assert [v.cost for v in variants] == sorted(v.cost for v in variants)
    nodes = dict(_preorder(expr))
    for v in variants:
        assert v.cost <= cost + 2 and grammar.cost(v.expr) == v.cost, show(v.expr)
        part = dict(_preorder(v.expr))[v.path]
        assert _replaced(expr, v.path, part) == v.expr  # one part replaced, nothing else
        fold = next(n for p, n in nodes.items() if isinstance(n, ast.Fold) and v.path[: len(p) + 1] == p + (0,))
        sb = loops.sample_bank(ENV["xs"].item, out_type)
        assert (sb.svar, sb.xvar) == (fold.state, fold.var)
        old = [interpreted(sb.bank.env_types, nodes[v.path], 10_000)(c) for c in sb.bank.contexts]
        new = [interpreted(sb.bank.env_types, part, 10_000)(c) for c in sb.bank.contexts]
        assert any(type(o) is Special for o in old)
        assert all(type(n) is not Special and (type(o) is Special or n == o) for o, n in zip(old, new)), show(v.expr)


@settings(max_examples=60, deadline=None)
@given(exprs(ENV, INT, max_depth=3), st.data())
def test_replacing_the_node_at_a_path_changes_that_node_only(expr, data) -> None:
    nodes = list(_preorder(expr))
    assert _replaced(expr, (), ast.Var("m")) == ast.Var("m")
    for path, node in nodes:
        assert _replaced(expr, path, node) == expr
    path, node = data.draw(st.sampled_from(nodes))
    marker = ast.Var("__marker")
    new = dict(_preorder(_replaced(expr, path, marker)))
    assert new[path] == marker
    assert ast.size(_replaced(expr, path, marker)) == ast.size(expr) - ast.size(node) + 1
    # Every node neither inside the replaced one nor above it is where it was.
    assert all(new.get(p) == n for p, n in nodes if p[: len(path)] != path and path[: len(p)] != p)


def test_a_part_the_search_never_builds_is_left_alone_and_the_rest_mended() -> None:
    """[x] is a list literal, which no bank holds: it is skipped, tail(s) beside it is still mended."""
    grammar, loops = _setup()
    expr = parse_expr("fold (s, x) -> [x] + tail(s) from range(1) over xs")  # no cost: grammar.cost refuses [x]
    variants = list(sturdier(expr, 20, 1, ENV, grammar, loops.sample_bank, DEFAULTS.check_fuel, DEFAULTS.sample_body_cost))
    assert "fold (s, x) -> [x] + drop(s, 1) from range(1) over xs" in [show(v.expr) for v in variants]
