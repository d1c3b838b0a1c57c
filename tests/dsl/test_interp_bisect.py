"""`bisect i in lo .. hi: body`: the interpreter runs exactly the documented binary search, on any bounds and body.

The references here are plain Python: the spec's algorithm (probes and all),
and for monotone bodies the answer itself, max{i in lo..hi : body(i)} or lo - 1
(an empty range, lo > hi, probes nothing and gives hi).
"""

from __future__ import annotations

import math
from typing import Callable

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from dsl import ast
from dsl.check import infer
from dsl.errors import DslRuntimeError, DslTypeError, FuelExhausted
from dsl.interp import _dependency_keys, compile_program, evaluate
from dsl.limits import MAX_INT_BITS
from dsl.parse import parse_expr, parse_program
from dsl.types import BOOL, INT, ListT
from dsl.values import Record


def reference(lo: int, hi: int, holds: Callable[[int], bool]) -> tuple[int, list[int]]:
    """The spec's binary search, and the points it probes, in order."""
    probes = []
    low, high = lo, hi
    while low <= high:
        m = math.floor((low + high) / 2) if abs(low + high) < 2**50 else (low + high) // 2  # floor, not truncation
        probes.append(m)
        if holds(m):
            low = m + 1
        else:
            high = m - 1
    return high, probes


THRESHOLD = compile_program(parse_program("input lo: Int\ninput hi: Int\ninput t: Int\nbisect i in lo .. hi: i <= t"))
BITS = compile_program(parse_program("input lo: Int\ninput hi: Int\ninput bits: List[Bool]\nbisect i in lo .. hi: bits[i - lo]"))
ISQRT = compile_program(parse_program("input n: Int\nbisect i in 0 .. n: i * i <= n"))

ints = st.integers(-300, 300)
huge = st.one_of(ints, st.integers(-(2**200), 2**200), st.sampled_from([2**64 - 1, 2**64, -(2**63), 2**1000]))


@settings(max_examples=400, deadline=None)
@given(huge, huge, huge)
def test_a_monotone_body_gives_the_last_point_where_it_holds(lo: int, hi: int, t: int) -> None:
    expected = hi if lo > hi else min(t, hi) if lo <= t else lo - 1
    assert THRESHOLD({"lo": lo, "hi": hi, "t": t}) == expected
    if lo <= hi and hi - lo < 700:  # the answer by enumeration, not by a formula
        assert expected == max([i for i in range(lo, hi + 1) if i <= t], default=lo - 1)


@settings(max_examples=400, deadline=None)
@given(ints, st.lists(st.booleans(), max_size=40))
def test_any_body_gives_what_the_specs_binary_search_gives(lo: int, bits: list[bool]) -> None:
    hi = lo + len(bits) - 1
    expected, probes = reference(lo, hi, lambda m: bits[m - lo])
    assert BITS({"lo": lo, "hi": hi, "bits": tuple(bits)}) == expected
    # one step per probe (the body's `-` and the index charge their own): the search probes these points
    used = _fuel_used(BITS, {"lo": lo, "hi": hi, "bits": tuple(bits)})
    assert used == 2 * len(probes)


def _fuel_used(run, inputs) -> int:  # type: ignore[no-untyped-def]
    """The least fuel a run needs, by bisection on the budget (the run itself is deterministic)."""
    lo, hi = 0, 1
    while True:
        try:
            run(inputs, fuel=hi)
            break
        except FuelExhausted:
            lo, hi = hi, hi * 2
    while lo < hi:
        mid = (lo + hi) // 2
        try:
            run(inputs, fuel=mid)
            hi = mid
        except FuelExhausted:
            lo = mid + 1
    return lo


def test_integer_square_root() -> None:
    assert [ISQRT({"n": n}) for n in range(50)] == [math.isqrt(n) for n in range(50)]
    n = 2**500 + 12345
    assert ISQRT({"n": n}) == math.isqrt(n)
    assert ISQRT({"n": -1}) == -1  # an empty range gives hi
    assert ISQRT({"n": -5}) == -5


@pytest.mark.parametrize("text, value", [
    ("bisect i in 5 .. 4: true", 4),  # lo > hi: hi, the body never runs
    ("bisect i in 5 .. 4: false", 4),
    ("bisect i in 5 .. 3: true", 3),  # hi, not lo - 1: the loop's own answer
    ("bisect i in 5 .. -9: 1 / 0 == 0", -9),
    ("bisect i in 3 .. 3: true", 3),
    ("bisect i in 3 .. 3: false", 2),
    ("bisect i in 0 .. 9: false", -1),
    ("bisect i in 0 .. 9: true", 9),
    ("bisect i in -10 .. -3: i * i >= 25", -5),  # a negative range
    ("bisect i in -10 .. -1: i < -7", -8),
    ("bisect i in -3 .. -2: i == -2", -4),  # floor((-3 + -2) / 2) = -3 is probed first; truncating would probe -2 (answer -2)
    ("bisect i in -7 .. 7: i mod 3 == 0", 0),  # not monotone: whatever the search gives (probes 0, 4, 2, 1)
    ("bisect i in 0 .. 10: (bisect j in 0 .. i: j * j <= i) <= 2", 8),  # nested: isqrt(i) <= 2 up to 8
    ("let i = 100 in bisect i in 0 .. i: i < 7", 6),  # the bound reads the outer i, the body its own
    ("let i = 100 in (bisect i in 0 .. 10: i < 3) + i", 102),  # the outer i is back after the loop
])
def test_values(text: str, value: int) -> None:
    assert evaluate(parse_expr(text), {}, {}) == value


def test_the_non_monotone_cases_match_the_reference() -> None:
    assert reference(-3, -2, lambda m: m == -2)[0] == -4
    assert reference(-7, 7, lambda m: m % 3 == 0) == (0, [0, 4, 2, 1])


def test_a_huge_range_takes_a_thousand_probes_and_bounded_fuel() -> None:
    n = 2**1000
    t = n // 3
    assert THRESHOLD({"lo": 0, "hi": n, "t": t}, fuel=40_000) == t
    with pytest.raises(FuelExhausted, match="out of fuel: evaluation needs more than 1,000 steps"):
        THRESHOLD({"lo": 0, "hi": n, "t": t}, fuel=1_000)
    _, probes = reference(0, n, lambda m: m <= t)
    assert 1000 <= len(probes) <= 1002


@pytest.mark.parametrize("lo, hi", [(0, 6), (-9, 40), (0, 2**64), (-(2**130), 2**70), (5, 3), (2**1000, 2**1000 + 77)])
def test_a_probe_pays_one_step_plus_the_words_of_its_bounds(lo: int, hi: int) -> None:
    """With a body that costs nothing, the fuel is the probes' own: 1 + (the larger bound's bits) // 64 each."""
    run = compile_program(parse_program("input lo: Int\ninput hi: Int\nbisect i in lo .. hi: true"))
    steps, low = 0, lo
    while low <= hi:  # the body always holds: only the lower bound moves
        steps += 1 + max(low.bit_length(), hi.bit_length()) // 64
        low = (low + hi) // 2 + 1
    assert run({"lo": lo, "hi": hi}, fuel=steps) == hi
    if steps:
        with pytest.raises(FuelExhausted):
            run({"lo": lo, "hi": hi}, fuel=steps - 1)
    assert (steps == 3) == ((lo, hi) == (0, 6))  # probes 3, 5, 6


def test_a_body_error_propagates_and_is_located() -> None:
    program = parse_program("input n: Int\nbisect i in 0 .. n: 10 / (i - 5) > 0\n")
    with pytest.raises(DslRuntimeError, match="division by zero") as plain:
        compile_program(program)({"n": 10})  # the first probe is 5
    assert plain.value.pos is None
    with pytest.raises(DslRuntimeError, match="division by zero") as located:
        compile_program(program, locate=True)({"n": 10})
    assert located.value.pos is not None and (located.value.pos.line, located.value.pos.column) == (2, 24)
    assert compile_program(program)({"n": 4}) == -1  # 5 is never probed (2 and 0 are: 10 / -3 > 0 is false)
    with pytest.raises(DslRuntimeError, match="index 4 out of range"):
        evaluate(parse_expr("bisect i in 0 .. 9: xs[i] > 0"), {"xs": (1, 2, 3)}, {"xs": ListT(INT)})


def test_the_result_is_bounded_like_any_integer() -> None:
    """lo - 1 for the least integer the bound allows would have MAX_INT_BITS + 1 bits."""
    least = -(2**MAX_INT_BITS - 1)
    with pytest.raises(DslRuntimeError, match="integer overflow: the result of 'bisect'"):
        evaluate(parse_expr("bisect i in n .. n: false"), {"n": least}, {"n": INT})
    assert evaluate(parse_expr("bisect i in n .. n: true"), {"n": least}, {"n": INT}) == least
    assert evaluate(parse_expr("bisect i in n + 1 .. n: false"), {"n": least}, {"n": INT}) == least


def test_a_bisect_inside_a_rule_waits_for_the_keys_it_reads() -> None:
    """A rule body that reads a key not computed yet is abandoned and retried (dsl.interp._Need), through the loop too."""
    text = "forall x in xs: f[x] = if x == 0 then 0 else bisect i in 0 .. 100: i <= f[x - 1] + 3"
    assert evaluate(parse_expr(text), {"xs": (4, 3, 2, 1, 0)}, {"xs": ListT(INT)}).items_ == {4: 12, 3: 9, 2: 6, 1: 3, 0: 0}


def test_a_bisect_rebinding_a_rules_member_gives_no_hint() -> None:
    """The hinted order reads the rule's own lookups of its member; inside `bisect c in ...`, c is another variable."""
    rule = parse_expr("forall c in cs: f[c.k] = if c.k == 0 then 0 else bisect c in 0 .. 5: c <= f[c]")
    assert isinstance(rule, ast.Rule) and _dependency_keys(rule) == []
    plain = parse_expr("forall c in cs: f[c.k] = if c.k == 0 then 0 else bisect i in 0 .. 5: i <= f[c.p]")
    assert isinstance(plain, ast.Rule) and _dependency_keys(plain) == [ast.Field(ast.Var("c"), "p")]
    cs = tuple(Record(("k", "p"), (k, k - 1)) for k in (3, 0, 2, 1))
    cs_t = ListT(parse_program("input cs: List[{k: Int, p: Int}]\ncs").inputs[0].type.item)  # type: ignore[attr-defined]
    assert evaluate(plain, {"cs": cs}, {"cs": cs_t}).items_ == {3: 0, 0: 0, 2: 0, 1: 0}


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_generated_bodies_agree_with_the_reference(data) -> None:
    """Bodies from dsl.strategies (any condition, errors included), each probe evaluated on its own."""
    from dsl.strategies import exprs

    env = {"p": INT, "q": BOOL, "xs": ListT(INT)}  # names the strategy's binders do not take
    values = {"p": data.draw(st.integers(-5, 9)), "q": data.draw(st.booleans()), "xs": tuple(data.draw(st.lists(st.integers(-5, 9), max_size=4)))}
    lo, hi = data.draw(st.integers(-20, 20)), data.draw(st.integers(-20, 20))
    body = data.draw(exprs({**env, "i": INT}, BOOL, max_depth=2))
    try:
        infer(body, {**env, "i": INT})
    except DslTypeError:  # as dsl.strategies.programs: a rule's map may shadow a variable its own parts read
        assume(False)
    fuel = 10**6

    def outcome(run: Callable[[], int]) -> object:
        try:
            return run()
        except FuelExhausted:
            return "fuel"
        except DslRuntimeError as err:
            return type(err).__name__, str(err)

    got = outcome(lambda: evaluate(ast.Bisect("i", ast.IntLit(lo), ast.IntLit(hi), body), values, env, fuel=fuel))
    want = outcome(lambda: reference(lo, hi, lambda m: bool(evaluate(body, {**values, "i": m}, {**env, "i": INT}, fuel=fuel)))[0])
    if "fuel" not in (got, want):
        assert got == want
