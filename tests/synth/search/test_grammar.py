"""The grammar (synth/search/grammar.py): a program's cost is what the search counts for it."""

from __future__ import annotations

import pytest

from dsl import ast
from dsl.types import INT, ListT
from synth.search.bank import Bank, Budget
from synth.search.grammar import grammar_for
from synth.search.loops import loop_operators
from synth.search.profiles import resolve_profile

XS = [(1, 0, 1, 1), (0, 2, 1), (2, 0)]


@pytest.mark.parametrize("profile, weights", [("core", None), ("list", None), ("list", {"fold": 3, "if": 2, "var": 2})])
def test_every_bank_entry_costs_what_the_grammar_says(profile: str, weights) -> None:
    """The contract for every node kind the search builds, loops in expressions included, under any weight table."""
    env = {"xs": ListT(INT)}
    grammar = grammar_for(env, INT, [x for xs in XS for x in xs], profile=resolve_profile(profile), weights=weights)
    bank = Bank(env, [{"xs": xs} for xs in XS], grammar, Budget(), operators=loop_operators, depth=1)
    kinds = set()
    for c in range(1, 8):
        for entries in bank.at(c).values():
            for e in entries:
                assert grammar.cost(e.expr) == c, e.expr
                kinds.add(type(e.expr))
    assert {ast.Var, ast.IntLit, ast.Prim, ast.Index, ast.Comp, ast.Fold} <= kinds, kinds


def test_an_if_costs_its_weight_and_its_parts() -> None:
    grammar = grammar_for({"xs": ListT(INT)}, INT, [], weights={"if": 3, "len": 2})
    expr = ast.If(ast.BoolLit(True), ast.Prim("len", (ast.Var("xs"),)), ast.IntLit(1))
    assert grammar.cost(expr) == 3 + 1 + (2 + 1) + 1


def test_a_node_the_search_never_builds_has_no_cost() -> None:
    with pytest.raises(ValueError, match="ListLit"):
        grammar_for({"xs": ListT(INT)}, INT, []).cost(ast.ListLit((ast.IntLit(1),)))


def test_a_deduced_bisect_and_its_let_cost_their_weights_and_parts() -> None:
    """`let n = len(xs) in bisect i in 0 .. n: i < n`, as bisect.py builds it."""
    grammar = grammar_for({"xs": ListT(INT)}, INT, [], weights={"bisect": 2, "let": 3})
    n = ast.Var("n")
    expr = ast.Let("n", ast.Prim("len", (ast.Var("xs"),)), ast.Bisect("i", ast.IntLit(0), n, ast.Prim("<", (ast.Var("i"), n))))
    assert grammar.cost(expr) == 3 + 2 + 2 + 1 + 1 + 3


def test_a_large_group_offers_the_elements_the_data_shows_not_all_of_them() -> None:
    """CLI audit: every element of Z1000000 was a constant (and every seen element listed them all again): 15 s before
    the search began, past any timeout. A small group (LEGO's) still offers every element and a state table."""
    from dsl.groups import get_group
    from dsl.types import ELEM

    big, small = get_group("Z1000000"), get_group("D4")
    seen = [big.element("5"), big.element("8"), big.element("5")]
    g = grammar_for({"xs": ListT(ELEM)}, ELEM, [tuple(seen)])
    assert [v for t, v in g.constants if t == ELEM] == [big.identity, big.element("5"), big.element("8")]
    assert g.state_domain(ELEM) == (big.identity, big.element("5"), big.element("8"))  # as the integers' span: what the data shows
    g = grammar_for({"xs": ListT(ELEM)}, ELEM, [(small.element("r1"),)])
    assert [v for t, v in g.constants if t == ELEM] == list(small.elements) and g.state_domain(ELEM) == tuple(small.elements)
