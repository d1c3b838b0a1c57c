"""One semantics: the search's lifted values agree with the interpreter, for every primitive and type.

For every primitive of dsl.prims.PRIMS and every combination of argument
types it accepts (from a universe of base types, lists, nested lists and
records), random contexts are drawn with hypothesis, the bank is built
through its public API and its vector for `op(a0, a1, ...)` is compared,
context by context, with what the interpreter computes: equal values, ERROR
exactly where the interpreter raises a runtime error (so `PrimSpec.defined`
is checked too), and UNKNOWN only where the primitive would build a list
longer than the bank materializes. Integers range up to the bound
MAX_INT_BITS, so the overflow check is exercised on both sides. Last, the
rule's `Oracle`, which answers `f[k]` in a recursive rule's body.
"""

from __future__ import annotations

from itertools import product

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dsl import ast
from dsl.errors import UserError
from dsl.interp import compile_program
from dsl.limits import MAX_INT_BITS, describe_int
from dsl.prims import PRIMS
from dsl.strategies import GROUPS, big_ints, values
from dsl.types import BOOL, ELEM, INT, SYM, ListT, RecordT, Type
from synth.search.bank import Bank, Budget
from synth.search.grammar import Grammar
from synth.search.semantics import RANGE_LIMIT, Oracle
from synth.search.special import ERROR, UNKNOWN

BASE = (INT, BOOL, SYM, ELEM)
RECORD = RecordT((("f", INT), ("g", BOOL)))
UNIVERSE: tuple[Type, ...] = BASE + tuple(ListT(t) for t in BASE) + (ListT(ListT(INT)), RECORD, ListT(RECORD))


def _signatures() -> list[tuple[str, tuple[Type, ...]]]:
    out = []
    for op, spec in PRIMS.items():
        for ts in product(UNIVERSE, repeat=spec.arity):
            if spec.result_type(ts) is not None:
                out.append((op, ts))
    return out


SIGNATURES = _signatures()


def test_every_primitive_is_covered() -> None:
    assert {op for op, _ in SIGNATURES} == set(PRIMS)


def _brief(value: object) -> object:
    """A context for a failure message: big integers described, not printed (that takes seconds)."""
    if type(value) is int:
        return describe_int(value)
    if isinstance(value, dict):
        return {k: _brief(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return tuple(_brief(v) for v in value)
    return value


def _bank_vector(op: str, env: dict[str, Type], contexts: list[dict]) -> tuple:
    grammar = Grammar(prims=(op,), constants=(), loops=())
    bank = Bank(env, contexts, grammar, Budget(), prune=False)
    target = ast.Prim(op, tuple(ast.Var(n) for n in env))
    for entries in bank.at(1 + len(env)).values():
        for e in entries:
            if e.expr == target:
                return e.values
    raise AssertionError(f"the bank never built {op}{tuple(env)}")


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
@pytest.mark.parametrize("op, types", SIGNATURES, ids=[f"{op}:{','.join(map(str, ts))}" for op, ts in SIGNATURES])
def test_bank_agrees_with_interpreter(op: str, types: tuple[Type, ...], data) -> None:
    spec = PRIMS[op]
    env = {f"a{i}": t for i, t in enumerate(types)}
    group = data.draw(st.sampled_from(GROUPS))
    ctx = st.fixed_dictionaries({n: values(t, group, 4, big_ints()) for n, t in env.items()})
    contexts = data.draw(st.lists(ctx, min_size=1, max_size=4))
    bank = _bank_vector(op, env, contexts)
    run = compile_program(ast.Program(tuple(ast.Param(n, t) for n, t in env.items()), ast.Prim(op, tuple(ast.Var(n) for n in env))))
    for context, got in zip(contexts, bank):
        try:
            want = run(context)
        except UserError:
            want = ERROR
        if got is UNKNOWN:  # not materialized: a list longer than the bank builds
            result_type = spec.result_type(types)
            assert isinstance(result_type, ListT) and spec.cost is not None, (op, _brief(context))
            assert spec.cost(*[context[n] for n in env]) > RANGE_LIMIT, (op, _brief(context))
            continue
        assert got == want, (op, _brief(context), _brief(got), _brief(want))
        assert type(got) is type(want), (op, _brief(context), _brief(got), _brief(want))  # True is not 1
        if type(want) is int:  # operands within the bound give a result within it (PrimSpec.grows)
            assert want.bit_length() <= MAX_INT_BITS, (op, _brief(context))


# -- the rule's oracle: `f[k]` in a recursive rule's body --------------------------------


def test_oracle_answers_labels_unknowns_cycles_and_undefined_keys() -> None:
    oracle = Oracle({"a": 1}, own_key="b", defined=frozenset({"a", "b", "c"}))
    assert oracle.lookup("a") == 1
    assert oracle.lookup("b") is ERROR
    assert oracle.lookup("c") is UNKNOWN
    assert oracle.lookup("zz") is ERROR


# -- lists built from one Int, kept (Settings.remembered_items) --------------------

LIST_OF_INT = [op for op, ts in SIGNATURES if len(ts) == 1 and ts[0] == INT and isinstance(PRIMS[op].result_type(ts), ListT)]


def test_the_list_builders_of_one_int_are_range_and_to_bits() -> None:
    assert set(LIST_OF_INT) == {"range", "to_bits"}


@pytest.mark.parametrize("op", LIST_OF_INT)
@settings(max_examples=60, deadline=None)
@given(ns=st.lists(st.integers(-5, 70) | big_ints(), min_size=1, max_size=30))
def test_a_kept_list_is_the_list_built_anew(op, ns) -> None:
    """Asked in any order, with repeats, past the cap: the same value or failure as the primitive built each time."""
    from synth.search.semantics import lifted

    fresh = lifted(PRIMS[op], (INT,), RANGE_LIMIT, remembered=0)
    kept = lifted(PRIMS[op], (INT,), RANGE_LIMIT, remembered=40)
    assert fresh is not None and kept is not None
    for n in ns + ns[::-1]:
        try:
            want: object = fresh[1](n)
        except (UserError, ArithmeticError, ValueError) as err:
            with pytest.raises(type(err)):
                kept[1](n)
            continue
        assert kept[1](n) == want


def test_kept_lists_are_shared_up_to_the_cap() -> None:
    """The same tuple again while the kept items are under the cap; past it, a new (equal) tuple each time."""
    from synth.search.semantics import lifted

    run = lifted(PRIMS["range"], (INT,), RANGE_LIMIT, remembered=10)[1]  # type: ignore[index]
    assert run(4) is run(4) and run(6) is run(6)  # 4 + 6 items: the cap reached
    assert run(3) == (0, 1, 2) and run(3) is not run(3)
    assert run(4) is run(4)  # kept before the cap still given
    off = lifted(PRIMS["range"], (INT,), RANGE_LIMIT, remembered=0)[1]  # type: ignore[index]
    assert off(4) == (0, 1, 2, 3) and off(4) is not off(4)
