"""Contract of every public hypothesis strategy: bad parameters are refused when it is called.

One table names a valid call and refused values for every parameter of every
public strategy of dsl.strategies, tasks.strategies and synth.search.strategies; a test checks the table
is complete, so a new strategy or parameter cannot go unchecked.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from typing import Any, Callable

import pytest
from hypothesis import find, given, settings
from hypothesis import strategies as st

import dsl.strategies as ds
import synth.search.strategies as ss
import tasks.strategies as ts
from dsl.ast import Param, Program, Var
from dsl.errors import UserError
from dsl.types import INT, SYM, ListT, MapT
from tasks.lego.solve import solve
from tasks.lego.syntax import format_sentence, parse_sentence
from tasks.sequence import SEQUENCE_TASKS
from tasks.sequence.strategies import LONGEST_MIN_LENGTH

NOT_STRATEGIES = {"NAME_POOL", "json_text", "Drawn"}  # a constant, a helper that prints what mutated_json draws, a drawn type
NOT_INTS = ("3", 2.0, True, None)
GROUPS_REFUSED = (3, "Q8", "z2", "Z0")


@dataclass(frozen=True)
class Case:
    """A public strategy, the arguments of a valid call, and values each parameter refuses."""

    strategy: Callable[..., st.SearchStrategy[Any]]
    good: dict[str, Any] = field(default_factory=dict)
    bad: dict[str, tuple[Any, ...]] = field(default_factory=dict)


A_PROGRAM = Program((Param("xs", ListT(INT)),), Var("xs"))
MAP_PROGRAM = Program((Param("m", MapT(SYM, INT)),), Var("m"))
SIZES = {"min_size": (0, -1, 36, *NOT_INTS), "max_size": (0, 36, 100, *NOT_INTS)}

CASES = [
    Case(ds.input_types, {}, {"max_depth": (-1, *NOT_INTS)}),
    Case(ds.exprs, {"env": {"x": INT}, "typ": INT, "max_depth": 1}, {
        "env": ({"x": "int"}, {1: INT}, [("x", INT)], {"1x": INT}, {"if": INT}, {"": INT}, {"a b": INT}), "typ": ("int", INT.__class__),
        "max_depth": (-1, *NOT_INTS), "group": GROUPS_REFUSED}),
    Case(ds.programs, {"max_depth": 1}, {"max_depth": (-1, *NOT_INTS)}),
    Case(ds.values, {"t": INT}, {
        "t": ("int", MapT(SYM, INT), ListT(MapT(SYM, INT))), "group": (None, *GROUPS_REFUSED),
        "max_len": (-1, *NOT_INTS), "ints": ((1, 2), range(3))}),
    Case(ds.big_ints),
    Case(ds.inputs_for, {"program": A_PROGRAM}, {"program": ("xs", MAP_PROGRAM)}),
    Case(ds.lego_clauses, {}, {"group": GROUPS_REFUSED, "min_size": (0, -1, *NOT_INTS), "max_size": (0, *NOT_INTS)}),
    Case(ds.mutated_json, {"obj": {"a": [1]}}, {"obj": (object(), {1: 2, (1,): 2}, float("nan"))}),
    Case(ds.mutated_json_line, {"data": b'{"a": 1}\n'}, {"data": ('{"a": 1}', b"\xff{}")}),
    Case(ds.mutated_bytes, {"data": b"abc"}, {"data": ("abc", None), "max_mutations": (0, *NOT_INTS)}),
    Case(ts.group_names),
    Case(ts.sentences, {}, {
        "group": GROUPS_REFUSED, **SIZES, "structure": ("Chain", "star", ""), "shuffle": ("yes", 1, None),
        "names": (["a", "a"], ["a b", "c"], ["1", "2"], [], "abc", ["a", 1], ["e", "é"])}),
    Case(ts.z2_sentences, {}, {
        **SIZES, "structure": ("Chain",), "shuffle": (0,), "names": (["a", "a"], ["x-1"])}),
    Case(ts.records, {}, {
        "group": GROUPS_REFUSED, **SIZES, "structure": ("Tree",), "labelled": ("every", "All", None, "")}),
    Case(ts.sequence_names),
    Case(ts.sequence_examples, {"name": "parity_check"}, {
        "name": ("nope", "Parity_Check", 3), "min_len": (-1, *NOT_INTS[:3]), "max_len": (-1, *NOT_INTS)}),
    Case(ts.any_sequence_example, {}, {"max_len": (0, -1, *NOT_INTS)}),
    Case(ss.searchable_tasks, {}, {
        "profile": ("Core", "deep", None, 3), "forms": ((), ("loop",), ["fold"], "fold", (1,)),
        "max_cost": (2, 13, *NOT_INTS), "examples": (2, 21, *NOT_INTS)}),
]
BY_NAME = {c.strategy.__name__: c for c in CASES}


def test_the_table_covers_every_public_strategy_and_every_parameter():
    modules = (ds, ts, ss)
    public = {f"{m.__name__}.{n}" for m in modules for n in m.__all__ if n not in NOT_STRATEGIES}
    covered = {f"{m.__name__}.{c.strategy.__name__}" for c in CASES for m in modules if getattr(m, c.strategy.__name__, None) is c.strategy}
    assert public <= covered
    for c in CASES:
        params = set(inspect.signature(c.strategy).parameters)
        assert set(c.bad) == params, f"{c.strategy.__name__}: refused values for {sorted(params - set(c.bad))} missing"


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.strategy.__name__)
def test_a_valid_call_draws(case):
    find(case.strategy(**case.good), lambda _: True, settings=settings(database=None, max_examples=5))


REFUSALS = [(c, p, v) for c in CASES for p, vs in c.bad.items() for v in vs]


@pytest.mark.parametrize("case,param,value", REFUSALS, ids=lambda x: x.strategy.__name__ if isinstance(x, Case) else repr(x)[:20])
def test_a_bad_parameter_is_refused_when_called_naming_it(case, param, value):
    with pytest.raises(UserError) as err:
        case.strategy(**{**case.good, param: value})  # no draw: the call itself refuses
    message = str(err.value)
    assert message.startswith(f"{case.strategy.__name__}({param}=") and f": {param} must be " in message
    assert repr(value)[:20] in message or repr(tuple(value))[:20] in message


def test_exprs_names_the_env_key_the_dsl_cannot_read_back():
    """Audit C: {"if": INT} or {"1x": INT} was taken, so a print/parse round trip of the user's own property failed on our names."""
    with pytest.raises(UserError, match=r"^exprs\(env=\{'x': IntT\(\), 'if': IntT\(\)\}\): env must be .*; 'if' is a keyword$"):
        ds.exprs({"x": INT, "if": INT}, INT)
    with pytest.raises(UserError, match=r"; '1x' is not a name \(a letter or _, then letters, digits or _\)$"):
        ds.exprs({"1x": INT}, INT)


def test_the_name_limit_is_stated_and_reachable():
    with pytest.raises(UserError, match=r"at most 35; pass more names for longer sentences"):
        ts.sentences(max_size=36)
    # records takes no names=: its message points at the strategy that does (library audit)
    with pytest.raises(UserError, match=r"at most 35; sentences\(\.\.\., names=\.\.\.\) draws longer ones"):
        ts.records(max_size=36)
    longest = find(ts.sentences(min_size=35, max_size=35), lambda _: True, settings=settings(database=None))
    assert len(longest) == len(ts.NAME_POOL) == len(set(ts.NAME_POOL)) == 35


VARIABLE_NAMES = st.from_regex(ts.VARIABLE_NAME, fullmatch=True)


@settings(max_examples=60, deadline=None)
@given(names=st.lists(VARIABLE_NAMES, min_size=1, max_size=8, unique=True), group=ts.group_names(), data=st.data())
def test_sentences_over_accepted_names_read_back_in_every_syntax(names, group, data):
    s = data.draw(ts.sentences(group=group, max_size=len(names), names=names))
    for syntax in ts.SYNTAXES_FOR.get(group, ("readable",)):
        text = format_sentence(s, syntax)
        assert solve(parse_sentence(text)[0]) == solve(s), text


def _lengths(name: str, min_len: int | None, max_len: int) -> list[int]:
    """The input lengths the task has in the range, worked out apart from the strategy."""
    task = SEQUENCE_TASKS[name]
    lo = task.min_length if min_len is None else max(min_len, task.min_length)
    return [n for n in range(lo, max_len + 1) if name != "modular_arithmetic" or n % 2 == 1]


@settings(max_examples=150, deadline=None)
@given(name=st.sampled_from(list(SEQUENCE_TASKS)), min_len=st.none() | st.integers(0, 5), max_len=st.integers(0, 6),
       data=st.data())
def test_sequence_examples_refuse_an_empty_range_at_call_and_draw_from_any_other(name, min_len, max_len, data):
    lengths = _lengths(name, min_len, max_len)
    try:
        strategy = ts.sequence_examples(name, min_len, max_len)
    except UserError as err:
        assert not lengths, err
        return
    assert len(data.draw(strategy).inputs["xs"]) in lengths


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_any_sequence_example_draws_every_task_at_its_least_max_len(data):
    ex = data.draw(ts.any_sequence_example(max_len=LONGEST_MIN_LENGTH))
    assert len(ex.inputs["xs"]) <= LONGEST_MIN_LENGTH


def test_a_free_string_longer_than_hypothesis_lists_is_drawn_too():
    """Library audit: max_len past 8,192 failed when drawing (hypothesis lists have at most 8,192 items)."""
    from hypothesis import given, settings

    from tasks.sequence.strategies import LISTED_MAX, sequence_examples

    @settings(max_examples=5, database=None, deadline=None)
    @given(sequence_examples("parity_check", min_len=9000, max_len=9100))
    def long_ones(ex):
        xs = ex.inputs["xs"]
        assert 9000 <= len(xs) <= 9100 and set(xs) <= {0, 1} and ex.output == sum(xs) % 2

    long_ones()
    assert LISTED_MAX < 8192


def test_a_numpy_integer_is_refused_saying_hypothesis_takes_python_ints():
    """Library audit: np.int64(5) was refused as "must be an integer in 1..35", which it is."""
    import numpy as np

    with pytest.raises(UserError, match=r"max_size must be a Python int, as hypothesis's own strategies take: max_size=int\(\.\.\.\)"):
        ts.sentences(max_size=np.int64(5))
