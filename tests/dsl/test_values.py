"""dsl.values: walk visits a value and every value inside it; from_python takes numpy's forms of a script's values."""

from __future__ import annotations

import re

import numpy as np
import pytest

from dsl.errors import UserError
from dsl.groups import parse_elem
from dsl.types import ELEM, INT, BoolT, ElemT, IntT, ListT, MapT, RecordT, SymT
from dsl.values import JsonValueError, MapValue, Record, from_json, from_python, to_json, walk


def test_walk_reaches_every_container_depth_first():
    a, b, c, d = (parse_elem(t) for t in ("Z5:1", "S3:(01)", "Z2:1", "D4:r1"))
    inner = Record(("x", "y"), (3, (b,)))
    table = MapValue({c: d, "k": 2})
    value = (a, inner, table, True, "sym")
    assert list(walk(value)) == [value, a, inner, 3, (b,), b, table, c, d, "k", 2, True, "sym"]
    assert list(walk(7)) == [7] and list(walk(())) == [()]


# --- from_python: numpy's forms of the values a script holds -------------------------------------------------------

INTS, BOOLS = ListT(IntT()), ListT(BoolT())


@pytest.mark.parametrize(
    "given, typ, expected",
    [
        (np.int64(3), IntT(), 3),
        (np.uint8(200), IntT(), 200),
        (np.bool_(True), BoolT(), True),
        (np.str_("a"), SymT(), "a"),
        (np.array([1, 0, 1]), INTS, (1, 0, 1)),
        ([np.int64(1), np.int32(0)], INTS, (1, 0)),
        (np.array([True, False]), BOOLS, (True, False)),
        (np.array([[1, 2], [3, 4]]), ListT(INTS), ((1, 2), (3, 4))),
        ([np.array([1]), np.array([], dtype=np.int64)], ListT(INTS), ((1,), ())),
        (np.array(["Z5:1", "Z5:2"]), ListT(ElemT()), (parse_elem("Z5:1"), parse_elem("Z5:2"))),
    ],
)
def test_from_python_takes_numpy_integers_bools_and_arrays_as_plain_values(given, typ, expected) -> None:
    got = from_python(given, typ)
    assert got == expected
    assert [type(v) for v in walk(got)] == [type(v) for v in walk(expected)]  # plain Python values, not numpy's


@pytest.mark.parametrize(
    "given, typ, message",
    [
        (np.float64(1.0), IntT(), "input: expected Int, got float64"),
        (np.array([1.5, 0.0]), INTS, "input[0]: expected Int, got float 1.5"),
        (np.bool_(True), IntT(), "input: expected Int, got bool"),
        (np.array([True]), INTS, "input[0]: expected Int, got bool True"),
        (np.int64(1), BoolT(), "input: expected Bool, got int64"),
        (np.array([1, 0]), IntT(), "input: expected Int, got ndarray"),
    ],
)
def test_from_python_still_refuses_floats_and_bools_for_ints(given, typ, message) -> None:
    with pytest.raises(UserError, match="^" + re.escape(message)):
        from_python(given, typ)


def test_from_python_refuses_an_element_of_a_group_not_given_naming_both() -> None:
    elems = ListT(ElemT())
    assert from_python(["Z3:1"], elems) == (parse_elem("Z3:1"),)  # no group given: any
    assert from_python(["Z5:1"], elems, groups={"Z5"}) == (parse_elem("Z5:1"),)
    with pytest.raises(UserError, match=re.escape("xs[1]: 'Z3:1' is an element of Z3, but this program works on elements of Z5")):
        from_python(["Z5:1", parse_elem("Z3:1")], elems, "xs", groups={"Z5"})


@pytest.mark.parametrize("key", ["05", "+5", " 5", "5 ", "1_0", "\uff15", "-0x1", "5.0", "--5"])
def test_an_int_map_key_not_written_plainly_is_refused(key) -> None:
    """int() took them all, so {"05": 7, "5": 8} read as {5: 8}: a value dropped without a word."""
    with pytest.raises(UserError, match="is not an integer written plainly"):
        from_json({key: 1}, MapT(INT, INT), "input xs")


@pytest.mark.parametrize("digits", [1_001, 400_000])
def test_an_int_map_key_longer_than_a_json_number_may_be_is_refused(digits) -> None:
    """CLI audit: a key of 400,000 digits was int()'s ValueError (a traceback), one of 5,000 got past the number limit."""
    with pytest.raises(UserError, match=f"input m: map key of {digits:,} digits \\(at most 1,000 are read"):
        from_json({"9" * digits: 1, "-" + "9" * 999: 2}, MapT(INT, INT), "input m")
    assert dict(from_json({"-" + "9" * 1000: 2}, MapT(INT, INT), "input m")) == {-int("9" * 1000): 2}


def test_int_map_keys_written_plainly_round_trip() -> None:
    value = from_json({"-5": 7, "0": 1, "12": 8}, MapT(INT, INT), "input xs")
    assert value == MapValue({-5: 7, 0: 1, 12: 8}) and to_json(value) == {"-5": 7, "0": 1, "12": 8}


def test_two_spellings_of_one_element_key_are_refused() -> None:
    assert from_json("Z2:+1", ELEM, "x") == from_json("Z2:0", ELEM, "x")  # the signs notation's +1 is Z2's identity
    with pytest.raises(UserError, match='map keys "Z2:0" and "Z2:\\+1" are the same key'):
        from_json({"Z2:0": 1, "Z2:+1": 2}, MapT(ELEM, INT), "input m")


def test_a_python_integer_past_the_bound_is_refused_at_the_door() -> None:
    """DSL audit: `-x` or `reverse(xs)` (primitives that cannot grow trust their operands) returned a 4,194,305-bit
    integer handed in from Python; JSON inputs were safe only by the number-length limit."""
    from dsl.limits import MAX_INT_BITS

    top = (1 << MAX_INT_BITS) - 1  # |n| < 2**MAX_INT_BITS
    assert from_python(-top, INT) == -top and from_python([top], ListT(INT)) == (top,)
    with pytest.raises(UserError, match=re.escape(f"xs[1]: an integer of {MAX_INT_BITS + 1:,} bits, more than the limit")):
        from_python([0, 1 << MAX_INT_BITS], ListT(INT), "xs")


def test_a_records_cached_hash_does_not_travel_to_another_process() -> None:
    """A record hashes once and keeps it; pickled, it must hash afresh where strings hash otherwise (another seed).

    (A cached hash carried over would put the record in the wrong bucket: found
    in no set or dict there.)
    """
    import os
    import pickle
    import subprocess
    import sys

    rec = Record(("lhs", "rhs"), ("a", ("b", 1)))
    assert hash(rec) == hash(rec) == hash(Record(("lhs", "rhs"), ("a", ("b", 1))))
    assert rec == Record(("lhs", "rhs"), ("a", ("b", 1))) and rec != Record(("lhs", "rhs"), ("a", ("b", 2)))
    code = ("import pickle, sys; from dsl.values import Record; r = pickle.loads(sys.stdin.buffer.read()); "
            "print(r in {Record(('lhs', 'rhs'), ('a', ('b', 1)))})")
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run([sys.executable, "-c", code], input=pickle.dumps(rec), capture_output=True, env=env, check=True)
        assert out.stdout.decode().strip() == "True"


@pytest.mark.parametrize(
    "raw,typ,at",
    [
        ([1, 2, "a"], ListT(INT), (2,)),
        ({"a": [True], "b": [True, 3]}, MapT(SymT(), ListT(BoolT())), ("b", 1)),
        ({"5": 1, "x": 2}, MapT(INT, INT), ("x",)),
        ([[1], [2, None]], ListT(ListT(INT)), (1, 1)),
        ("oops", ListT(INT), ()),
    ],
)
def test_from_json_says_where_inside_the_value_it_failed(raw, typ, at) -> None:
    """A reader holding the JSON text names the line of the bad value (`synth run --input-file`), not only its path in words."""
    with pytest.raises(JsonValueError) as err:
        from_json(raw, typ, "input xs")
    assert err.value.at == at
    assert isinstance(err.value, UserError)


def test_from_json_paths_go_through_record_fields() -> None:
    clause = RecordT((("lhs", SymT()), ("root", BoolT())))
    with pytest.raises(JsonValueError) as err:
        from_json([{"lhs": "a", "root": True}, {"lhs": 5, "root": False}], ListT(clause), "input clauses")
    assert err.value.at == (1, "lhs")
    assert err.value.message == "input clauses[1].lhs: expected a variable name (string), got 5"
