"""The list library and big integers: checker, interpreter and printer contracts for every new primitive."""

from __future__ import annotations

import pytest

from dsl.check import infer
from dsl.errors import DslRuntimeError, DslTypeError, FuelExhausted
from dsl.groups import parse_elem
from dsl.interp import evaluate
from dsl.library import LIBRARY_SPECS
from dsl.limits import MAX_INT_BITS
from dsl.parse import parse_expr
from dsl.prims import CORE_PRIMS, PRIMS
from dsl.printer import show
from dsl.types import BOOL, ELEM, INT, SYM, ListT, RecordT
from dsl.values import Record

ENV = {
    "xs": ListT(INT), "ys": ListT(INT), "bs": ListT(BOOL), "ss": ListT(SYM), "gs": ListT(ELEM),
    "n": INT, "k": INT, "b": BOOL, "s": SYM, "g": ELEM, "xss": ListT(ListT(INT)),
}
VALUES = {
    "xs": (3, 1, 2, 1), "ys": (10, 20), "bs": (True, False, True), "ss": ("b", "a", "c"),
    "gs": (parse_elem("Z5:1"), parse_elem("Z5:3")), "n": 2, "k": 3, "b": True, "s": "a",
    "g": parse_elem("Z5:3"), "xss": ((1,), (), (2, 3)),
}
Z5_3 = parse_elem("Z5:3")

# (expression, its type, its value with VALUES)
CASES = [
    ("head(xs)", INT, 3),
    ("head(ss)", SYM, "b"),
    ("last(xs)", INT, 1),
    ("last(xss)", ListT(INT), (2, 3)),
    ("take(xs, n)", ListT(INT), (3, 1)),
    ("take(xs, 10)", ListT(INT), (3, 1, 2, 1)),
    ("take(xs, -1)", ListT(INT), ()),
    ("drop(xs, n)", ListT(INT), (2, 1)),
    ("drop(bs, 9)", ListT(BOOL), ()),
    ("drop(xs, -4)", ListT(INT), (3, 1, 2, 1)),
    ("slice(xs, 1, k)", ListT(INT), (1, 2)),
    ("slice(xs, -5, 2)", ListT(INT), (3, 1)),
    ("slice(xs, 3, 1)", ListT(INT), ()),
    ("count(xs, 1)", INT, 2),
    ("count(bs, b)", INT, 2),
    ("count(gs, g)", INT, 1),
    ("index_of(xs, 2)", INT, 2),
    ("index_of(ss, 'z')", INT, -1),
    ("min(xs)", INT, 1),
    ("max(xs)", INT, 3),
    ("sum(xs)", INT, 7),
    ("sum(drop(xs, 9))", INT, 0),
    ("zip(xs, ss)", ListT(RecordT((("fst", INT), ("snd", SYM)))),
     (Record(("fst", "snd"), (3, "b")), Record(("fst", "snd"), (1, "a")), Record(("fst", "snd"), (2, "c")))),
    ("[p.fst + p.snd for p in zip(xs, ys)]", ListT(INT), (13, 21)),
    ("cons(n, xs)", ListT(INT), (2, 3, 1, 2, 1)),
    ("cons(ys, xss)", ListT(ListT(INT)), ((10, 20), (1,), (), (2, 3))),
    ("append(xs, n)", ListT(INT), (3, 1, 2, 1, 2)),
    ("tail(xs)", ListT(INT), (1, 2, 1)),
    ("pop(xs)", ListT(INT), (3, 1, 2)),
    ("last(pop(append(append(ys, 5), 6)))", INT, 5),
    ("sort(xs)", ListT(INT), (1, 1, 2, 3)),
    ("sort(ss)", ListT(SYM), ("a", "b", "c")),
    ("sort(bs)", ListT(BOOL), (False, True, True)),
    ("reverse(ss)", ListT(SYM), ("c", "a", "b")),
    ("from_bits([1, 1, 0, 1])", INT, 11),  # little-endian: 1 + 2 + 8
    ("from_bits(bs)", INT, 5),
    ("from_bits(take(xs, 0))", INT, 0),
    ("to_bits(11)", ListT(INT), (1, 1, 0, 1)),
    ("to_bits(0)", ListT(INT), (0,)),
    ("to_bits_len(11, 6)", ListT(INT), (1, 1, 0, 1, 0, 0)),
    ("to_bits_len(11, 2)", ListT(INT), (1, 1)),
    ("to_bits_len(-1, k)", ListT(INT), (1, 1, 1)),
    ("to_bits_len(5, 0)", ListT(INT), ()),
    ("split(xs, 1)", ListT(ListT(INT)), ((3,), (2,), ())),
    ("split(xs, 7)", ListT(ListT(INT)), ((3, 1, 2, 1),)),
    ("split(take(xs, 0), 1)", ListT(ListT(INT)), ((),)),
    ("split(ss, head(ss))", ListT(ListT(SYM)), ((), ("a", "c"))),
    ("pad(xs, 6, 0)", ListT(INT), (3, 1, 2, 1, 0, 0)),
    ("pad(xs, 2, 0)", ListT(INT), (3, 1, 2, 1)),  # never cut
    ("pad(ss, -1, head(ss))", ListT(SYM), ("b", "a", "c")),
    ("pad(append(to_bits(5), 2), 6, 0)", ListT(INT), (1, 0, 1, 2, 0, 0)),
    ("to_bits(from_bits([1, 1, 0, 1]) + from_bits([0, 1, 1]))", ListT(INT), (1, 0, 0, 0, 1)),
]


@pytest.mark.parametrize("text, typ, value", CASES, ids=[c[0] for c in CASES])
def test_type_value_and_round_trip(text: str, typ, value) -> None:
    e = parse_expr(text)
    assert infer(e, ENV) == typ
    assert evaluate(e, VALUES, ENV) == value
    assert parse_expr(show(e)) == e
    assert show(parse_expr(show(e))) == show(e)


def test_every_library_primitive_is_tested() -> None:
    used = {op for op in PRIMS if any(op + "(" in text for text, _, _ in CASES)}
    assert {s.op for s in LIBRARY_SPECS} <= used


def test_library_is_tagged_and_core_unchanged() -> None:
    assert all(s.profile == "list" and s.syntax == "call" for s in LIBRARY_SPECS)
    assert CORE_PRIMS == ("or", "xor", "and", "not", "==", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/", "mod", "neg",
                          "len", "range", "inv", "identity", "act")
    assert all(PRIMS[op].profile == "core" for op in CORE_PRIMS)


@pytest.mark.parametrize("text, message", [
    ("head(take(xs, 0))", "head of an empty list"),
    ("last(take(xs, 0))", "last of an empty list"),
    ("tail(take(xs, 0))", "tail of an empty list"),
    ("pop(take(xs, 0))", "pop of an empty list"),
    ("min(take(xs, 0))", "min of an empty list"),
    ("max(take(xs, 0))", "max of an empty list"),
    ("from_bits(xs)", "3 is not a bit"),
    ("to_bits(-3)", "negative number"),
    ("to_bits_len(3, -1)", "negative number of bits"),
])
def test_runtime_errors(text: str, message: str) -> None:
    with pytest.raises(DslRuntimeError, match=message):
        evaluate(parse_expr(text), VALUES, ENV)


@pytest.mark.parametrize("text", [
    "head(n)", "take(n, xs)", "slice(xs, 1)", "count(xs, b)", "count(xss, ys)", "index_of(ss, 1)",
    "min(ss)", "sum(bs)", "sort(gs)", "sort(xss)", "cons(xs, xs)", "append(xs, b)", "from_bits(ss)",
    "to_bits(b)", "to_bits_len(n)", "zip(xs, n)", "reverse(n)", "pad(xs, 3, b)", "pad(xs, b, 0)", "split(xs, b)", "split(gs, 1)",
])
def test_ill_typed_calls_are_refused(text: str) -> None:
    with pytest.raises(DslTypeError):
        infer(parse_expr(text), ENV)


def test_library_names_stay_usable_as_variables() -> None:
    env = {"head": INT, "sum": ListT(INT)}
    e = parse_expr("head + head(sum) + len(sum)")
    assert infer(e, env) == INT
    assert evaluate(e, {"head": 1, "sum": (5, 6)}, env) == 8
    assert parse_expr(show(e)) == e


# --- fuel: a primitive pays for the elements it touches --------------------------

def test_list_primitives_pay_for_what_they_touch_not_for_their_arguments() -> None:
    env = {"xs": ListT(INT), "n": INT}
    big = {"xs": (1, 2, 3), "n": 10**12}
    assert evaluate(parse_expr("take(xs, n)"), big, env, fuel=10) == (1, 2, 3)
    with pytest.raises(FuelExhausted):
        evaluate(parse_expr("to_bits_len(1, n)"), big, env, fuel=10**6)
    with pytest.raises(FuelExhausted):
        evaluate(parse_expr("pad(xs, n, 0)"), {"xs": (1,), "n": 10**6}, env, fuel=10**5)
    with pytest.raises(FuelExhausted):
        evaluate(parse_expr("sum(range(1000))"), {}, {}, fuel=1500)
    assert evaluate(parse_expr("sum(range(1000))"), {}, {}, fuel=2100) == 499500


def test_quadratic_list_work_is_bounded_by_fuel() -> None:
    env = {"xs": ListT(INT)}
    e = parse_expr("[count(xs, x) for x in xs]")
    xs = tuple(range(2000))
    with pytest.raises(FuelExhausted):
        evaluate(e, {"xs": xs}, env, fuel=1_000_000)  # 2,000 counts of 2,000 items each


@pytest.mark.parametrize("text", ["count(xs, v)", "index_of(xs, v)", "min(xs)", "max(xs)", "from_bits(xs)"])
def test_comparing_big_integers_is_paid_per_word(text: str) -> None:
    """DSL audit: these charged one step per item however big the items, so `count` of a value among 1,000,000 copies
    of a 2**20-bit number took 14 s on 2 million steps; each comparison (or hash) reads up to an item's words."""
    big = 2**MAX_INT_BITS - 1  # 16,384 words
    env = {"xs": ListT(INT), "v": INT}
    values = {"xs": (big,) * 1000, "v": big - 1}
    with pytest.raises(FuelExhausted):
        evaluate(parse_expr(text), values, env, fuel=1_000_000)  # 16 million words to compare
    small = {"xs": (3, 1, 2) * 1000, "v": big}  # a big value among small items: sizes differ, each test is one step
    evaluate(parse_expr(text.replace("from_bits(xs)", "sum(xs)")), small, env, fuel=3100)


# --- arbitrary-precision integers --------------------------------------------------

def test_integers_are_arbitrary_precision_up_to_the_bound() -> None:
    env = {"n": INT}
    assert evaluate(parse_expr("n * n * n"), {"n": 2**64}, env) == 2**192
    assert evaluate(parse_expr("from_bits(to_bits(n * n))"), {"n": 3**100}, env) == 3**200
    edge = 2**MAX_INT_BITS - 1
    assert evaluate(parse_expr("n + 0"), {"n": edge}, env) == edge
    with pytest.raises(DslRuntimeError, match="integer overflow"):
        evaluate(parse_expr("n + 1"), {"n": edge}, env)
    with pytest.raises(DslRuntimeError, match="integer overflow"):
        evaluate(parse_expr("-n - 1"), {"n": edge}, env)
    with pytest.raises(DslRuntimeError, match="integer overflow"):
        evaluate(parse_expr("sum([n, n])"), {"n": edge}, env)
    with pytest.raises(DslRuntimeError, match="integer overflow"):  # two's complement: one bit more
        evaluate(parse_expr("-n xor 1"), {"n": edge}, env)
    assert evaluate(parse_expr("-n / 1 + n mod 2 + len([n])"), {"n": edge}, env) == -edge + 2
    with pytest.raises(DslRuntimeError, match="integer overflow"):
        evaluate(parse_expr("from_bits(to_bits(n) + [1])"), {"n": edge}, env)


def test_big_integer_operations_pay_per_word() -> None:
    env = {"n": INT}
    words = 2**16 // 64
    assert evaluate(parse_expr("n + n"), {"n": 2**(2**16)}, env, fuel=words + 5) == 2**(2**16 + 1)
    with pytest.raises(FuelExhausted):
        evaluate(parse_expr("n + n"), {"n": 2**(2**16)}, env, fuel=words - 5)
    assert evaluate(parse_expr("n + n"), {"n": 5}, env, fuel=1) == 10


def test_big_integers_in_errors_are_described_not_printed() -> None:
    with pytest.raises(DslRuntimeError, match=r"-a 1,048,576-bit number"):
        evaluate(parse_expr("to_bits(-n)"), {"n": 2**MAX_INT_BITS - 1}, {"n": INT})
    with pytest.raises(DslRuntimeError, match="not 5"):
        evaluate(parse_expr("act(Z2:1, n)"), {"n": 5}, {"n": INT})


def test_big_integer_literals_round_trip() -> None:
    e = parse_expr(str(7**5000) + " + 1")
    assert parse_expr(show(e)) == e
    assert evaluate(e, {}, {}) == 7**5000 + 1


def test_record_literals_of_zip_records_compare() -> None:
    env = {"xs": ListT(INT), "ys": ListT(INT)}
    e = parse_expr("zip(xs, ys) == zip(xs, ys)")
    with pytest.raises(DslTypeError):  # == is for base types only, as everywhere
        infer(e, env)
    assert evaluate(parse_expr("head(zip(xs, ys)).snd"), {"xs": (1,), "ys": (Z5_3.index,)}, env) == 3
