"""The search's contract over random programs the grammar builds (synth.search.strategies): nothing cheaper is missed."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, find, given, settings
from hypothesis import strategies as st

from dsl import ast
from dsl.errors import UserError
from dsl.interp import compile_program
from synth.search.deduce import Deduction
from synth.search.grammar import grammar_for
from synth.search.profiles import Profile, get_profile
from synth.search.rootloops import LoopSearch
from synth.search.solver import synthesize
from synth.search.strategies import Drawn, searchable_tasks

# Draws are filtered (an input the program fails on, a fold leaving its domain), more for some forms than others.
FILTERED = [HealthCheck.filter_too_much, HealthCheck.too_slow]


def finds_no_dearer(drawn: Drawn, profile: str) -> bool:
    found = synthesize(drawn.task, max_cost=drawn.cost, profile=profile)
    return found.program is not None and found.cost <= drawn.cost


@settings(max_examples=200, deadline=None, suppress_health_check=FILTERED)
@given(searchable_tasks(profile="core", max_cost=9))
def test_the_search_misses_no_cheaper_program_core(drawn: Drawn) -> None:
    assert finds_no_dearer(drawn, "core")


@settings(max_examples=150, deadline=None, suppress_health_check=FILTERED)
@given(searchable_tasks(profile="list", max_cost=9))
def test_the_search_misses_no_cheaper_program_list(drawn: Drawn) -> None:
    assert finds_no_dearer(drawn, "list")


@settings(max_examples=60, deadline=None, suppress_health_check=FILTERED)
@given(searchable_tasks(profile="list", max_cost=10))
def test_a_drawn_program_is_the_grammars_and_gives_the_tasks_outputs(drawn: Drawn) -> None:
    task = drawn.task
    grammar = grammar_for(dict(task.input_types), task.output_type,
                          [v for e in task.train for v in (*e.inputs.values(), e.output)], profile=get_profile("list"))
    constants = {v for _, v in grammar.constants}
    for node in _nodes(drawn.program.body):
        if isinstance(node, ast.Prim):
            assert node.op in grammar.prims
        if isinstance(node, ast.IntLit):
            assert node.value in constants
    assert grammar.cost(drawn.program.body) == drawn.cost <= 10
    run = compile_program(drawn.program)
    assert all(run(dict(e.inputs)) == e.output for e in task.train)
    assert len(task.train) >= 3 and len({repr(e.output) for e in task.train}) > 1
    body = drawn.program.body
    if drawn.form == "fold":  # every state on the way is in the domain the search tables
        assert isinstance(body, ast.Fold) and not body.scan
        domain = grammar.state_domain(task.output_type)
        assert domain is not None
        for e in task.train:
            xs = e.inputs["xs"]
            for k in range(len(xs) + 1):
                partial = ast.Program(drawn.program.inputs, ast.Fold(body.state, body.var, body.body, body.init,
                                                                     ast.Prim("take", (ast.Var("xs"), ast.IntLit(k)))))
                assert compile_program(partial)(dict(e.inputs)) in domain


def _nodes(e: ast.Expr) -> list[ast.Expr]:
    out = [e]
    for child in ast.children(e):
        out += _nodes(child)
    return out


BROKEN = {  # a search missing one way it finds programs, and the form of program it then misses
    "no root folds over a finite domain": (LoopSearch, "_folds", lambda self, c, state_type, domain: iter(()), "fold"),
    "no deduced comprehensions": (Deduction, "candidates", lambda self, c: iter(()), "comp"),
    "no deduced scans": (Deduction, "candidates", lambda self, c: iter(()), "scan"),
}


@pytest.mark.parametrize("broken", BROKEN, ids=str)
def test_the_contract_catches_a_search_that_misses_a_form(monkeypatch: pytest.MonkeyPatch, broken: str) -> None:
    owner, name, nothing, form = BROKEN[broken]
    monkeypatch.setattr(owner, name, nothing)
    missed = find(searchable_tasks(forms=(form,)), lambda d: not finds_no_dearer(d, "core"),
                  settings=settings(database=None, max_examples=300, deadline=None, suppress_health_check=FILTERED))
    assert missed.form == form


# A profile of one's own that builds no Bool (no comparison) and one without `range`.
NO_BOOL = Profile("no_bool", ("+", "-", "*", "len"))
NO_RANGE = Profile("no_range", tuple(op for op in get_profile("core").primitives if op != "range"))


def test_a_form_the_profile_cannot_draw_is_refused_when_the_strategy_is_made() -> None:
    with pytest.raises(UserError, match=r"searchable_tasks\(profile='no_bool'\): form 'filter' needs a condition.*builds no Bool"):
        searchable_tasks(profile=NO_BOOL, forms=("expr", "filter"))


@settings(max_examples=30, deadline=None, suppress_health_check=FILTERED)
@given(data=st.data())
def test_by_default_a_profile_draws_every_form_it_can(data) -> None:
    """Before, the default forms held 'filter', so a profile that builds no Bool was refused though no form was asked for."""
    drawn = data.draw(searchable_tasks(profile=NO_BOOL))
    assert drawn.form != "filter"


def test_forms_of_no_tuple_of_known_names_are_refused() -> None:
    for bad in ((), ["expr"], ("expr", ["fold"]), ("loop",)):
        with pytest.raises(UserError, match=r"searchable_tasks\(forms=.*None \(every form the profile can draw\)"):
            searchable_tasks(forms=bad)


@pytest.mark.parametrize("profile", [NO_BOOL, NO_RANGE], ids=["no_bool", "no_range"])
@settings(max_examples=40, deadline=None, suppress_health_check=FILTERED)
@given(data=st.data())
def test_a_profile_of_ones_own_draws_only_its_primitives_and_the_search_finds_no_dearer(profile: Profile, data) -> None:
    forms = ("expr", "fold", "scan", "comp") + (("filter",) if profile is NO_RANGE else ())
    drawn = data.draw(searchable_tasks(profile=profile, forms=forms, max_cost=7))
    used = {node.op for node in _nodes(drawn.program.body) if isinstance(node, ast.Prim)}
    assert used <= set(profile.primitives), drawn.program
    if profile is NO_BOOL:
        assert not any(isinstance(node, ast.If) for node in _nodes(drawn.program.body))
    found = synthesize(drawn.task, max_cost=drawn.cost, profile=profile)
    assert found.program is not None and found.cost <= drawn.cost
