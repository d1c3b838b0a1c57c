"""synthesize and Result refuse what they cannot run on, naming it, before any search or run."""

from __future__ import annotations

import json
import math
import re
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dsl.errors import UserError
from dsl.strategies import input_types, values
from dsl.values import from_python, to_json
from synth.search import solver
from synth.search.solver import synthesize
from tasks.task import load_task

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


@pytest.fixture(scope="module")
def parity():
    task = load_task(EXAMPLES / "parity_check.json")
    return task, synthesize(task, timeout=60)


@pytest.mark.parametrize(
    "overrides, words",
    [
        ({"timeout": 0}, "timeout must be positive"),
        ({"timeout": -1}, "timeout must be positive"),
        ({"timeout": math.nan}, "timeout must be positive"),
        ({"timeout": "5"}, "timeout must be a number of seconds, not str '5'"),
        ({"max_cost": 0}, "max_cost must be positive"),
        ({"max_cost": -5}, "max_cost must be positive"),
        ({"max_cost": 2.5}, "max_cost must be a whole number"),
        ({"max_cost": None}, "max_cost must be a whole number"),
        ({"max_examples": 0}, "max_examples must be positive"),
        ({"max_values": -1}, "max_values must be positive"),
        ({"max_memory_mb": 0}, "max_memory_mb must be positive"),
        ({"all_k": 0}, "all_k must be a whole number of at least 1"),
        ({"all_k": True}, "all_k must be a whole number of at least 1"),
        ({"timeout": 10**400}, "timeout must be a number of seconds a float can hold"),  # an OverflowError before
    ],
)
def test_a_budget_the_search_cannot_run_within_is_refused_before_searching(monkeypatch, overrides, words) -> None:
    task = load_task(EXAMPLES / "parity_check.json")
    monkeypatch.setattr(solver, "_banks_for", lambda *a, **k: pytest.fail("the search started"))
    with pytest.raises(UserError, match=words):
        synthesize(task, **overrides)


def test_no_limit_and_numpy_numbers_are_budgets_too(monkeypatch) -> None:
    np = pytest.importorskip("numpy")
    solver.check_budgets(solver.DEFAULTS.with_overrides(timeout=None, max_values=None, search_examples=None))
    solver.check_budgets(solver.DEFAULTS.with_overrides(timeout=np.float32(2.5), max_cost=np.int64(7)))


@pytest.mark.parametrize("name", ["reverse_string", "even_pairs"])
def test_a_huge_max_cost_still_ends_at_the_timeout_or_the_answer(name) -> None:
    """Library audit: timeout=2, max_cost=10**10 counted every cost up to 10**10 (the chains' loop, then empty levels),
    a hang; with max_cost=10**8 the time went there and no program came. Now: the answer, as with the default."""
    task = load_task(EXAMPLES / f"{name}.json")
    expected = synthesize(task, timeout=60).text
    found = synthesize(task, timeout=60, max_cost=10**10)
    assert found.text == expected and found.stats.stopped == "found"


def test_a_search_with_no_answer_and_a_huge_max_cost_stops_at_its_timeout() -> None:
    task = load_task(EXAMPLES / "parity_check.json")
    first = task.train[0]
    flipped = replace(task, train=(replace(first, output=1 - first.output), *task.train[1:]))  # the fold no longer fits
    result = synthesize(flipped, timeout=0.5, max_cost=10**12)
    assert result.stats.stopped in ("timeout", "exhausted", "found")  # it ends (it hung before), whatever it found
    assert result.stats.max_cost_searched < 10**6


def test_a_path_given_for_a_task_is_refused_with_a_hint_to_load_task() -> None:
    with pytest.raises(UserError, match=r"synthesize takes a Task, not str: synth\.load_task\('examples/parity_check.json'\)"):
        synthesize("examples/parity_check.json")  # type: ignore[arg-type]
    with pytest.raises(UserError, match="synthesize takes a Task, not dict$"):
        synthesize({"train": []})  # type: ignore[arg-type]


def test_a_result_takes_plain_lists_as_well_as_tuples(parity) -> None:
    _, result = parity
    assert result({"xs": [1, 0, 1]}) == result({"xs": (1, 0, 1)}) == 0
    assert result({"xs": [1, 1, 1]}) == 1


@pytest.mark.parametrize(
    "inputs, message",
    [
        ({"xs": "101"}, "input xs: expected List[Int], got str '101'"),
        ({"xs": [1.5]}, "input xs[0]: expected Int, got float 1.5"),
        ({"xs": [True]}, "input xs[0]: expected Int, got bool True"),
        ({"xs": None}, "input xs: expected List[Int], got NoneType None"),
        ({}, "missing input xs (the program takes xs: List[Int])"),
        ({"xs": [1], "ys": [2]}, "unknown input ys (the program takes xs: List[Int])"),
        ([1, 0, 1], "a Result is called with a dict of inputs by name (xs: List[Int]), not list"),
    ],
)
def test_a_result_called_with_a_wrong_input_names_it_and_the_type_expected(parity, inputs, message) -> None:
    _, result = parity
    with pytest.raises(UserError, match=re.escape(message)):
        result(inputs)


def test_a_lego_result_takes_clauses_written_as_dicts_and_element_names() -> None:
    task = load_task(EXAMPLES / "lego_z2_official.json")
    result = synthesize(task, timeout=60)
    plain = {"clauses": [
        {"lhs": "b", "op": "Z2:1", "rhs": "a", "root": False},
        {"lhs": "a", "op": "Z2:1", "rhs": "a", "root": True},
    ]}
    out = result(plain)
    assert {k: str(v) for k, v in out.items()} == {"a": "Z2:1", "b": "Z2:0"}
    with pytest.raises(UserError, match=r"input clauses\[0\]: expected the fields lhs, op, rhs, root, got lhs, op"):
        result({"clauses": [{"lhs": "b", "op": "Z2:1"}]})
    with pytest.raises(UserError, match=r'input clauses\[0\]\.op: group element "one"'):
        result({"clauses": [{"lhs": "b", "op": "one", "rhs": "a", "root": True}]})


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_from_python_gives_back_every_value_of_the_type_and_its_json_form(data) -> None:
    typ = data.draw(input_types())
    value = data.draw(values(typ))
    assert from_python(value, typ) == value
    assert from_python(to_json(value), typ) == value


def test_a_result_takes_numpy_integers_bools_and_arrays_as_a_script_holds_them(parity) -> None:
    _, result = parity
    assert result({"xs": np.array([1, 0, 1])}) == result({"xs": [1, 0, 1]}) == 0
    assert result({"xs": [np.int64(1), np.int64(0)]}) == result({"xs": np.array([1, 0], dtype=np.uint8)}) == 1
    with pytest.raises(UserError, match=re.escape("input xs[0]: expected Int, got float 1.0")):
        result({"xs": np.array([1.0, 0.0])})  # floats are refused, as plain floats are


Z5_SUM = {"name": "z5sum", "train": [
    {"input": {"xs": ["Z5:1", "Z5:2"]}, "output": "Z5:3"},
    {"input": {"xs": ["Z5:4", "Z5:4", "Z5:1"]}, "output": "Z5:4"},
    {"input": {"xs": []}, "output": "Z5:0"},
    {"input": {"xs": ["Z5:2"]}, "output": "Z5:2"},
]}


def test_a_result_refuses_an_element_of_another_group_at_the_input_naming_both(tmp_path) -> None:
    path = tmp_path / "z5sum.json"
    path.write_text(json.dumps(Z5_SUM))
    result = synthesize(load_task(path), timeout=60)
    assert result.groups == {"Z5"}
    assert str(result({"xs": ["Z5:1", "Z5:1"]})) == "Z5:2"
    with pytest.raises(UserError, match=re.escape("input xs[0]: 'Z3:1' is an element of Z3, but this program works on elements of Z5")):
        result({"xs": ["Z3:1", "Z3:1"]})


def test_a_result_whose_program_and_task_name_no_group_takes_any(parity) -> None:
    _, result = parity
    assert result.groups == frozenset()
    assert result({"xs": [1, 0]}) == 1  # nothing to hold an input to
    lego = synthesize(load_task(EXAMPLES / "lego_z2_official.json"), timeout=60)
    assert lego.groups == {"Z2"}  # the task's group: its training sentences are over Z2


@pytest.mark.parametrize(
    "overrides, words",
    [
        ({"exhaustive_cost": "3"}, "exhaustive_cost must be a whole number, not str '3'"),
        ({"search_examples": 0}, "^search_examples must be positive, not 0$"),  # was reported as max_examples
        ({"max_examples": 0}, "^max_examples must be positive, not 0$"),
        ({"max_examples": 2, "search_examples": 3}, "pass search_examples or its old name max_examples, not both"),
        ({"prune": "no"}, "prune must be True or False, not str 'no'"),  # was taken as pruning on
        ({"check_fuel": 0}, "check_fuel must be positive, not 0"),  # searched to the timeout, every candidate out of fuel
        ({"range_limit": -1}, "range_limit must be a whole number >= 0, not -1"),
        ({"weights": [1]}, r"weights must be a mapping from primitive or node kind to a whole number >= 1 \(e.g. \{'head': 2\}\), not list \[1\]"),
        ({"weights": {"hed": 2}}, "unknown weight key 'hed'.*did you mean 'head'"),
        ({"weights": {"head": 0}}, "weight of 'head' must be a whole number >= 1"),
        ({"settings": {"max_cost": 3}}, "settings must be a synth.search.settings.Settings .*not dict"),
        ({"on_level": 3}, "on_level must be a function"),
    ],
)
def test_every_search_setting_is_checked_before_searching(monkeypatch, overrides, words) -> None:
    task = load_task(EXAMPLES / "parity_check.json")
    monkeypatch.setattr(solver, "_banks_for", lambda *a, **k: pytest.fail("the search started"))
    with pytest.raises(UserError, match=words):
        synthesize(task, **overrides)


def test_a_list_of_constants_is_taken() -> None:
    task = load_task(EXAMPLES / "parity_check.json")
    assert synthesize(task, timeout=60, int_constants=[0, 1, 2]).program is not None


def test_weights_name_the_prior_that_ran_and_a_weight_the_profile_cannot_use_is_refused(parity) -> None:
    """Library audit: weights={"xor": 5} changed the answer while result.profile said no weights; a weight for a
    primitive outside the profile ran silently where `synth solve --weights` refuses it."""
    task, _ = parity
    result = synthesize(task, weights={"xor": 5}, timeout=60)
    assert dict(result.profile.weights) == {"xor": 5} and "xor 5" in result.profile.describe()
    with pytest.raises(UserError, match="a weight for 'reverse', which the profile does not use"):
        synthesize(task, weights={"reverse": 7}, timeout=60)
    assert dict(synthesize(task, weights={"reverse": 7}, profile="list", timeout=60).profile.weights)["reverse"] == 7
