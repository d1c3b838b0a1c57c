"""The vector path (vector.py) computes what the bank's scalar path computes, and a bank built with it is the same bank.

Contracts: every entry of VECTOR_OPS gives, on every row it calls exact, and
every entry of UNARY_OPS on every coded row, the
value the primitive table's lifted implementation gives (ERROR and UNKNOWN
included, True never 1); `choose` is the bank's `if`; `distinct` never merges
two different rows, even when fingerprints collide; and a bank built with
blocks on numpy arrays has the same levels (expressions, values, order) and
counters as one built pair by pair, before and after new contexts join.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dsl.groups import get_group
from dsl.prims import PRIMS
from dsl.strategies import big_ints
from dsl.strategies import values as dsl_values
from dsl.types import BOOL, ELEM, INT, ListT, Type
from synth.search import vector
from synth.search.bank import Bank, Budget
from synth.search.grammar import Grammar
from synth.search.semantics import lift1, lift2, lifted
from synth.search.settings import DEFAULTS
from synth.search.special import ERROR, UNKNOWN

TYPES: dict[str, Type] = {"int": INT, "bool": BOOL, "elem": ELEM}
EDGES = (0, 1, -1, 2**31 - 1, 2**31, -(2**31), 2**62 - 1, -(2**62 - 1), 2**62, 2**63)


class _Part:
    """Values shaped like a bank entry, for the scalar reference."""

    def __init__(self, values: tuple) -> None:
        self.values = values
        self.special = any(v is ERROR or v is UNKNOWN for v in values)


def _vectors(kind: str, group: str, width: int):
    ints = st.one_of(big_ints(), st.sampled_from(EDGES))
    value = st.one_of(dsl_values(TYPES[kind], group, 2, ints), st.sampled_from([ERROR, UNKNOWN]))
    return st.lists(st.tuples(*[value] * width), min_size=1, max_size=5)


def _kind(kind: str, group: str) -> vector.Kind:
    return vector.Kind(kind, get_group(group) if kind == "elem" else None)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
@pytest.mark.parametrize("op, kind", sorted(vector.VECTOR_OPS))
def test_every_vector_form_gives_the_tables_values_on_its_exact_rows(op: str, kind: str, data) -> None:
    group = data.draw(st.sampled_from(["Z2", "S3", "D4"]))
    width = data.draw(st.integers(1, 4))
    left, right = data.draw(_vectors(kind, group, width)), data.draw(_vectors(kind, group, width))
    typ = TYPES[kind]
    lift = lifted(PRIMS[op], (typ, typ))
    assert lift is not None
    _, fn = lift
    k = _kind(kind, group)
    a, b = vector.encode(k, left), vector.encode(k, right)
    # Only a vector holding an Int past 2**62 is left uncoded.
    for vectors, coded in ((left, a), (right, b)):
        for i, vs in enumerate(vectors):
            codable = all(not (type(v) is int and abs(v) >= vector.SAFE) for v in vs)
            assert bool(coded.coded[i]) == codable, vs
    vop = vector.vector_op(op, k, k)
    assert vop is not None
    rows, exact = vector.apply(vop, k, a.rows, b.rows)
    got = vector.decode(vector.result_kind(vop, k), rows)
    pairs = [(i, j) for i in range(len(left)) for j in range(len(right))]
    for (i, j), row, ok in zip(pairs, got, exact.tolist()):
        if not (a.coded[i] and b.coded[j]):
            continue  # the bank builds such pairs one by one
        if not ok:
            # Only a product may need the scalar path, or a result with no code (an Int at 2**62 or past it).
            want = lift2(fn, _Part(left[i]), _Part(right[j]))
            assert (op, kind) == ("*", "int") or any(type(v) is int and abs(v) >= vector.SAFE for v in want), (left[i], right[j])
            continue
        want = lift2(fn, _Part(left[i]), _Part(right[j]))
        assert row == want, (left[i], right[j])
        assert [type(v) for v in row] == [type(v) for v in want], (row, want)  # True is not 1
        # An exact row has a code for every value: it may join a print table (Bank._register).
        assert not any(type(v) is int and abs(v) >= vector.SAFE for v in row), row


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
@pytest.mark.parametrize("op, left_kind, right_kind", sorted(vector.MIXED_OPS))
def test_every_mixed_vector_form_gives_the_tables_values(op: str, left_kind: str, right_kind: str, data) -> None:
    """`act(g, p)` and its kin: operands coded differently, points in and out of range, specials, Ints past 2**62."""
    group = data.draw(st.sampled_from(["Z2", "Z5", "S3", "D4"]))
    width = data.draw(st.integers(1, 4))
    left = data.draw(_vectors(left_kind, group, width))
    if right_kind == "int":  # mostly small points, so that most calls are defined
        point = st.one_of(st.integers(-2, 9), st.sampled_from(EDGES), st.sampled_from([ERROR, UNKNOWN]))
        right = data.draw(st.lists(st.tuples(*[point] * width), min_size=1, max_size=5))
    else:
        right = data.draw(_vectors(right_kind, group, width))
    lift = lifted(PRIMS[op], (TYPES[left_kind], TYPES[right_kind]))
    assert lift is not None
    k1, k2 = _kind(left_kind, group), _kind(right_kind, group)
    assert vector.has_vector_form(op, TYPES[left_kind], TYPES[right_kind])
    vop = vector.vector_op(op, k1, k2)
    assert vop is not None
    a, b = vector.encode(k1, left), vector.encode(k2, right)
    rows, exact = vector.apply(vop, k1, a.rows, b.rows)
    got = vector.decode(vector.result_kind(vop, k1), rows)
    pairs = [(i, j) for i in range(len(left)) for j in range(len(right))]
    for (i, j), row, ok in zip(pairs, got, exact.tolist()):
        if a.coded[i] and b.coded[j]:
            assert ok
            want = lift2(lift[1], _Part(left[i]), _Part(right[j]))
            assert row == want and [type(v) for v in row] == [type(v) for v in want], (left[i], right[j], row, want)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
@pytest.mark.parametrize("op, kind", sorted(vector.UNARY_OPS))
def test_every_unary_vector_form_gives_the_tables_values(op: str, kind: str, data) -> None:
    group = data.draw(st.sampled_from(["Z2", "S3", "D4"]))
    vectors = data.draw(_vectors(kind, group, data.draw(st.integers(1, 4))))
    lift = lifted(PRIMS[op], (TYPES[kind],))
    assert lift is not None
    k = _kind(kind, group)
    a = vector.encode(k, vectors)
    uop = vector.UNARY_OPS[(op, kind)]
    got = vector.decode(vector.result_kind(uop, k), vector.apply1(uop, k, a.rows))
    for vs, ok, row in zip(vectors, a.coded.tolist(), got):
        if ok:  # an uncoded vector (an Int past 2**62) is built by the scalar path
            want = lift1(lift[1], _Part(vs))
            assert row == want and [type(v) for v in row] == [type(v) for v in want], (vs, row, want)


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_choose_is_the_banks_if(data) -> None:
    width = data.draw(st.integers(1, 4))
    cond = data.draw(st.tuples(*[st.sampled_from([True, False, ERROR, UNKNOWN])] * width))
    left, right = data.draw(_vectors("int", "Z2", width)), data.draw(_vectors("int", "Z2", width))
    k = vector.Kind("int")
    a, b, c = vector.encode(k, left), vector.encode(k, right), vector.encode(vector.Kind("bool"), [cond])
    got = vector.decode(k, vector.choose(c.rows[0], a.rows, b.rows))
    pairs = [(i, j) for i in range(len(left)) for j in range(len(right))]
    for (i, j), row in zip(pairs, got):
        if not (a.coded[i] and b.coded[j]):
            continue
        want = tuple(q if q is ERROR or q is UNKNOWN else (x if q else y) for q, x, y in zip(cond, left[i], right[j]))
        assert row == want


def _check_distinct(rows: np.ndarray) -> vector.Distinct:
    d = vector.distinct(rows)
    for k, r in enumerate(d.rep.tolist()):
        assert r <= k and (rows[r] == rows[k]).all()  # a row only ever stands for an equal, earlier row
    assert d.first.tolist() == [k for k, r in enumerate(d.rep.tolist()) if r == k]
    assert set(np.flatnonzero(d.alone).tolist()) <= set(d.first.tolist())  # alone: a first row, by a collision
    for k in d.first.tolist():
        if not d.alone[k]:  # a first row not alone has no equal row before it (the bank trusts this)
            assert not any((rows[j] == rows[k]).all() for j in range(k))
    return d


def test_rows_sharing_a_fingerprint_are_compared_in_full(monkeypatch) -> None:
    monkeypatch.setattr(vector, "_FINGERPRINT", np.ones(8, dtype=np.uint64))  # the print is the sum: many collisions
    rows = np.array([[1, 2], [2, 1], [1, 2], [3, 0], [2, 1], [0, 3]], dtype=np.int64)
    d = _check_distinct(rows)
    assert 2 not in d.first.tolist()  # equal to row 0, which has its fingerprint first
    assert {1, 3, 5} <= set(d.first.tolist())  # same fingerprint as row 0, other values: never merged


@settings(max_examples=50, deadline=None)
@given(st.lists(st.lists(st.integers(-3, 3), min_size=3, max_size=3), min_size=1, max_size=30))
def test_distinct_keeps_the_first_of_every_set_of_equal_rows(lists) -> None:
    rows = np.array(lists, dtype=np.int64)
    d = _check_distinct(rows)
    assert len(d.first) == len({tuple(r) for r in lists})


def test_rows_that_differ_only_in_where_they_fail_have_different_prints() -> None:
    """A plain weighted sum of codes gave all these one print: ERROR's code times any odd weight is 2**63."""
    e = vector.ERROR_CODE
    rows = np.array([[3, e, e, 0, 0], [3, 0, e, e, 0], [3, 0, 0, e, e], [3, e, 0, 0, e], [3, e, 0, e, 0]], dtype=np.int64)
    assert len(set(vector.fingerprints(rows).tolist())) == len(rows)
    d = _check_distinct(rows)
    assert d.first.tolist() == [0, 1, 2, 3, 4] and not d.alone.any()


def test_rows_caught_in_a_collision_are_marked_alone(monkeypatch) -> None:
    """Rows 2 and 3 are equal, but their print is row 0's (other values): each stands alone and says so."""
    monkeypatch.setattr(vector, "fingerprints", lambda rows: np.zeros(len(rows), dtype=np.uint64))
    rows = np.array([[1, 2], [1, 2], [5, 5], [5, 5]], dtype=np.int64)
    d = vector.distinct(rows)
    assert d.first.tolist() == [0, 2, 3] and d.alone.tolist() == [False, False, True, True]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.integers(-2, 2), min_size=3, max_size=3), min_size=1, max_size=40),
       st.lists(st.lists(st.integers(-2, 2), min_size=3, max_size=3), min_size=1, max_size=20))
def test_prints_hold_the_first_entry_per_print_and_match_rows_only_on_equal_codes(held, asked) -> None:
    """The contract of `Prints`: first entry per print kept, with its codes (past the first array's 16 rows too);
    a row matches an entry only if its codes are the entry's, and a row whose print an other entry holds is a clash.

    The print here is the sum of the codes, so many different rows share one.
    """
    table: vector.Prints[str] = vector.Prints(vector.Kind("int"), 3)
    for start in range(0, len(held), 7):  # in batches, as blocks add them
        part = np.array(held[start:start + 7], dtype=np.int64)
        table.add([f"e{k}" for k in range(start, start + len(part))], [sum(r) for r in part.tolist()], part)
    first: dict[int, int] = {}
    for k, r in enumerate(held):
        first.setdefault(sum(r), k)
    assert {p: table.entries[s] for p, s in table.slot.items()} == {p: f"e{k}" for p, k in first.items()}
    assert all(table.codes[table.slot[p]].tolist() == held[k] for p, k in first.items())
    rows = np.array(asked, dtype=np.int64)
    ks = list(range(len(asked)))[::-1]  # any subset and order of a block's rows
    known, clash = table.match(ks, [sum(asked[k]) for k in ks], rows)
    for k in ks:
        k_first = first.get(sum(asked[k]))
        if k_first is None:
            assert k not in known and k not in clash
        elif held[k_first] == asked[k]:
            assert known[k] == f"e{k_first}" and k not in clash
        else:
            assert k in clash and k not in known


def _bank(env: dict[str, Type], contexts: list[dict], prims: tuple[str, ...], constants: tuple, vector_pairs: int | None) -> Bank:
    grammar = Grammar(prims=prims, constants=constants, loops=())
    return Bank(env, contexts, grammar, Budget(settings=DEFAULTS.with_overrides(vector_pairs=vector_pairs)))


def _levels(bank: Bank, top: int) -> list:
    return [[(str(t), [(e.expr, e.values) for e in es]) for t, es in sorted(bank.at(c).items(), key=lambda kv: str(kv[0]))]
            for c in range(1, top + 1)]


INT_ENV = {"x": INT, "y": INT, "b": BOOL}
INT_CONTEXTS = [{"x": x, "y": y, "b": x < y} for x, y in [(3, 0), (-2, 7), (5, 5), (0, 1), (2**40, 4), (9, -3)]]
CORE = ("or", "xor", "and", "not", "==", "!=", "<", "<=", "+", "-", "*", "/", "mod", "neg")


@pytest.mark.parametrize("threshold", [1, 64])
def test_a_bank_on_arrays_is_the_bank_pair_by_pair(threshold: int) -> None:
    consts = ((INT, 0), (INT, 1), (INT, 2))
    scalar = _bank(INT_ENV, INT_CONTEXTS, CORE, consts, None)
    fast = _bank(INT_ENV, INT_CONTEXTS, CORE, consts, threshold)
    assert _levels(fast, 6) == _levels(scalar, 6)
    for counter in ("enumerated", "pruned", "kept", "stored_values"):
        assert getattr(fast.budget, counter) == getattr(scalar.budget, counter), counter


@pytest.mark.parametrize("prints", ["all equal", "one value", "real"])
def test_a_bank_on_arrays_is_the_bank_pair_by_pair_whatever_the_fingerprints(monkeypatch, prints: str) -> None:
    """New rows skip the bank's look-up only when no print says otherwise; colliding prints must still give the same bank.

    "one value" (the third context's) collides within blocks but often misses every kept entry's print, so rows caught
    in a collision must be looked up for themselves (`Distinct.alone`).
    """
    if prints == "all equal":
        monkeypatch.setattr(vector, "fingerprints", lambda rows: np.zeros(len(rows), dtype=np.uint64))
    if prints == "one value":
        monkeypatch.setattr(vector, "fingerprints", lambda rows: rows[:, 2].astype(np.uint64))
    d4 = get_group("D4").elements
    cases = [(INT_ENV, INT_CONTEXTS, CORE, ((INT, 0), (INT, 1), (INT, 2)), 5),
             ({"g": ELEM, "h": ELEM, "b": BOOL}, [{"g": d4[i], "h": d4[(5 * i + 2) % 8], "b": i % 3 == 0} for i in range(6)],
              ("*", "inv", "identity", "==", "!=", "and", "or", "not"), (), 6)]
    for env, contexts, prims, consts, top in cases:
        scalar = _bank(env, contexts, prims, consts, None)
        fast = _bank(env, contexts, prims, consts, 1)
        assert _levels(fast, top) == _levels(scalar, top)
        for counter in ("enumerated", "pruned", "kept", "stored_values"):
            assert getattr(fast.budget, counter) == getattr(scalar.budget, counter), counter


def test_a_bank_of_group_elements_on_arrays_is_the_same_bank() -> None:
    d4 = get_group("D4").elements
    env = {"g": ELEM, "h": ELEM, "p": INT}
    contexts = [{"g": d4[i], "h": d4[(3 * i + 1) % 8], "p": i % 4} for i in range(7)]
    prims = ("*", "inv", "identity", "==", "!=", "act", "and", "or", "not")
    scalar, fast = (_bank(env, contexts, prims, (), v) for v in (None, 1))
    assert _levels(fast, 7) == _levels(scalar, 7)
    assert fast.budget.enumerated == scalar.budget.enumerated


@pytest.mark.parametrize("groups", [("D4", "S3", "S3"), ("D4", "Z8", "Z8"), ("S3", "D4", "Z8")])
def test_a_bank_of_elements_of_several_groups_on_arrays_is_the_same_bank(groups: tuple[str, ...]) -> None:
    """Elements of several groups share the type Elem; each level is coded in the group of its first element.

    A row must be compared only with entries coded in its own group: a kept
    S3 entry coded under D4 is not coded at all, and was skipped for good, so
    a later S3 row equal to it looked new and was kept twice (and an entry
    of one group could match a row of another with the same codes).
    """
    names = ("k", "g", "h")
    env = {n: ELEM for n in names}
    elements = [get_group(g).elements for g in groups]
    contexts = [{n: els[(i * (j + 1) + j) % len(els)] for j, (n, els) in enumerate(zip(names, elements))} for i in range(5)]
    prims = ("*", "inv", "identity", "==", "!=")
    scalar, fast = (_bank(env, contexts, prims, (), v) for v in (None, 1))
    assert _levels(fast, 5) == _levels(scalar, 5)
    for counter in ("enumerated", "pruned", "kept", "stored_values"):
        assert getattr(fast.budget, counter) == getattr(scalar.budget, counter), counter


def test_a_sum_past_the_codes_bound_is_looked_up_as_the_bank_pair_by_pair_does() -> None:
    """A kept Int of magnitude 2**62 or more has no code, so no print: a vector row equal to it must still be found.

    Default settings: `neg(x + x)` is built pair by pair (`x + x` is past the
    bound), then `neg(x) - x` on arrays with the same values; it was taken
    for new (its print is in no table) and kept twice.
    """
    names = ("x", "y", "z", "u", "w", "p", "q", "r")
    env = {n: INT for n in names}
    contexts = [{"x": 2**61 + 5, **{n: 3 * k + i for k, n in enumerate(names[1:])}} for i in range(3)]
    consts = ((INT, 0), (INT, 1), (INT, 2))
    scalar, fast = (_bank(env, contexts, ("neg", "+", "-"), consts, v) for v in (None, 64))
    assert _levels(fast, 4) == _levels(scalar, 4)
    for counter in ("enumerated", "pruned", "kept", "stored_values"):
        assert getattr(fast.budget, counter) == getattr(scalar.budget, counter), counter
    # The smallest case: a constant 2**62 (level 2, weight 2) and `x + x` on arrays with x = 2**61.
    grammar = Grammar(prims=("+",), constants=((INT, 2**62),), loops=(), weights=(("const", 2),))
    banks = [Bank({"x": INT}, [{"x": 2**61}, {"x": 2**61}], grammar, Budget(settings=DEFAULTS.with_overrides(vector_pairs=v)))
             for v in (None, 1)]
    assert _levels(banks[1], 3) == _levels(banks[0], 3) and banks[1].budget.kept == banks[0].budget.kept == 2


@pytest.mark.parametrize("vector_pairs", [None, 1, 64])
def test_a_bank_over_no_contexts_builds_on_arrays_too(vector_pairs) -> None:
    """A body bank over members no example has: every value vector is (), coded as an empty row."""
    bank = _bank({"x": INT}, [], ("+", "neg"), ((INT, 0), (INT, 1)), vector_pairs)
    assert [len(es) for c in range(1, 5) for es in bank.at(c).values()] == [1]  # x; the rest equal it on no contexts
    assert bank.first_with(1, INT, [], []) is False  # no column to look up by: the caller looks up some other way
    assert vector.encode(vector.Kind("int"), [(), ()]).coded.tolist() == [True, True]


def test_an_extended_bank_on_arrays_is_the_same_bank() -> None:
    """New contexts split classes exactly as they do for a bank built pair by pair (drops remembered per row)."""
    consts = ((INT, 0), (INT, 1))
    banks = []
    for v in (None, 1):
        bank = _bank(INT_ENV, INT_CONTEXTS[:3], CORE, consts, v)
        bank.extensible = True
        bank.at(5)
        first = bank.extend(INT_CONTEXTS[3:])
        banks.append((first, _levels(bank, 6)))
    assert banks[0] == banks[1]


@pytest.mark.parametrize("case", ["ints", "near the bound", "elements"])
def test_the_prints_kept_while_building_are_the_prints_coding_the_entries_gives(case: str) -> None:
    """Rows a block keeps join the table of prints (with their codes) as they are added; it must be the table coding every entry gives.

    (A wrong print there cannot change a bank, since every hit is compared in
    full, so the bank tests above cannot see it: it would only make hits miss.)
    The INT contexts hold 2**40, so some products are left to the scalar path,
    and the table must still come out whole.
    """
    d4 = get_group("D4").elements
    if case == "ints":
        bank = _bank(INT_ENV, INT_CONTEXTS, CORE, ((INT, 0), (INT, 1), (INT, 2)), 1)
        top = 5
    elif case == "near the bound":  # sums past 2**62 have no code: they must not join the table
        contexts = [{"x": 2**61 + i, "y": i + 1, "b": i % 2 == 0} for i in range(4)]
        bank = _bank(INT_ENV, contexts, ("+", "-", "neg", "<"), ((INT, 0), (INT, 1)), 1)
        top = 5
    else:
        env = {"g": ELEM, "h": ELEM, "b": BOOL}
        contexts = [{"g": d4[i], "h": d4[(5 * i + 2) % 8], "b": i % 3 == 0} for i in range(6)]
        bank = _bank(env, contexts, ("*", "inv", "identity", "==", "!=", "and", "or", "not"), (), 1)
        top = 6
    bank.at(top)
    for typ, kind in list(bank._prints):
        built = bank._fingerprinted(typ, kind)  # brings the table up to date, as the next block would
        fresh: dict = {}
        for c in range(1, top + 1):
            entries = bank.at(c).get(typ, [])
            coded = vector.encode(kind, [e.values for e in entries])
            for e, p, ok in zip(entries, vector.fingerprints(coded.rows).tolist(), coded.coded.tolist()):
                if ok:
                    fresh.setdefault(p, e)
        assert {p: built.entries[s] for p, s in built.slot.items()} == fresh and fresh, typ
        # Each held entry's codes are its values coded: hits are compared with them.
        held = vector.encode(kind, [e.values for e in built.entries])
        assert held.coded.all() and (built.codes[:len(built.entries)] == held.rows).all(), typ


def test_lists_are_never_coded() -> None:
    assert vector.coding(ListT(INT)) is None
    assert not vector.has_vector_form("+", ListT(INT))


@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_first_with_is_the_first_entry_with_those_values_on_those_contexts(data) -> None:
    bank = _bank(INT_ENV, INT_CONTEXTS, CORE, ((INT, 0), (INT, 1)), 64)
    cost = data.draw(st.integers(1, 5))
    typ = data.draw(st.sampled_from([INT, BOOL]))
    entries = bank.at(cost).get(typ, [])
    columns = data.draw(st.lists(st.integers(0, len(INT_CONTEXTS) - 1), min_size=1, max_size=4, unique=True))
    if entries and data.draw(st.booleans()):
        values = [data.draw(st.sampled_from(entries)).values[k] for k in columns]  # some entry has them
    else:
        values = [data.draw(st.integers(-3, 3)) if typ == INT else data.draw(st.booleans()) for _ in columns]
    want = next((e for e in entries if all(e.values[k] == v and type(e.values[k]) is type(v) for k, v in zip(columns, values))), None)
    got = bank.first_with(cost, typ, columns, values)
    if got is False:  # values the bank cannot code (ERROR, an Int past 2**62): the caller looks up otherwise
        assert any(v is ERROR or v is UNKNOWN or (type(v) is int and abs(v) >= vector.SAFE) for v in values)
    else:
        assert got is want


def test_elements_are_coded_a_level_at_once_and_vector_by_vector_alike() -> None:
    """The whole-level look-up (every value a known element or special) and the per-vector path code alike; a foreign element is not coded."""
    g, other = get_group("D4"), get_group("S3")
    kind = vector.Kind("elem", g)
    rows = [tuple(g.elements[(i * j) % len(g)] for j in range(5)) for i in range(6)] + [(ERROR, UNKNOWN, *g.elements[:3])]
    fast = vector.encode(kind, rows)
    assert fast.coded.all()
    assert vector.decode(kind, fast.rows) == rows
    mixed = vector.encode(kind, [*rows, (other.elements[1], *g.elements[:4])])  # one foreign element: per vector
    assert mixed.coded.tolist() == [True] * len(rows) + [False]
    assert (mixed.rows[: len(rows)] == fast.rows).all()


def test_first_with_sees_an_entry_whose_row_could_not_be_coded() -> None:
    """x * (x xor y) is past 2**62 on one context (x = 2**40), so its row is not coded; on contexts 2 and 3 it is 0 and 0, and it comes first."""
    bank = _bank(INT_ENV, INT_CONTEXTS, CORE, ((INT, 0), (INT, 1)), 64)
    entries = bank.at(5)[INT]
    want = next(e for e in entries if e.values[2] == 0 and e.values[3] == 0)
    assert any(type(v) is int and abs(v) >= vector.SAFE for v in want.values)  # the case: an uncoded row first
    assert bank.first_with(5, INT, [2, 3], [0, 0]) is want



@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
@pytest.mark.parametrize("kind", ["int", "bool", "elem"])
def test_indexing_a_coded_list_gives_the_scalar_paths_values(kind: str, data) -> None:
    """`vector.index` is `strict(coll, key) or indexed(coll, key)` on every context: specials, negative and far keys included."""
    from synth.search.semantics import indexed, strict

    group = data.draw(st.sampled_from(["Z2", "S3", "D4"]))
    width = data.draw(st.integers(1, 4))
    item = dsl_values(TYPES[kind], group, 2, st.integers(-5, 5))
    per_context = st.one_of(st.lists(item, max_size=4).map(tuple), st.sampled_from([ERROR, UNKNOWN]))
    lists = data.draw(st.lists(st.tuples(*[per_context] * width), min_size=1, max_size=3))
    keys = data.draw(st.lists(st.tuples(*[st.one_of(st.integers(-2, 5), st.sampled_from([ERROR, UNKNOWN]))] * width),
                              min_size=1, max_size=6))
    key_codes = vector.encode(vector.Kind("int"), keys)
    for values in lists:
        coded = vector.encode_lists(_kind(kind, group), values)
        assert coded is not None
        got = vector.decode(_kind(kind, group), vector.index(coded, key_codes.rows))
        want = [tuple(strict(a, b) or indexed(a, b) for a, b in zip(values, key)) for key in keys]
        assert got == want


def test_a_list_with_an_item_past_the_codes_has_no_coding() -> None:
    assert vector.encode_lists(vector.Kind("int"), ((1, 2), (2**62,))) is None
    assert vector.encode_lists(vector.Kind("int"), ((1, 2), ERROR, ())) is not None


LIST_ENV = {"xs": ListT(INT), "x": INT}
LIST_CONTEXTS = [{"xs": xs, "x": x} for xs, x in [((3, 0, 2), 1), ((), 0), ((2**62, 1), 1), ((5,), -1), ((1, 1, 0, 4), 3)]]


@pytest.mark.parametrize("threshold", [1, 64])
def test_a_bank_indexing_lists_on_arrays_is_the_bank_pair_by_pair(threshold: int) -> None:
    """List indexing on arrays: an empty list, a failing `range`, a list no code holds (2**62) go as pair by pair."""
    prims = ("+", "-", "len", "range", "<")
    consts = ((INT, 0), (INT, 1))
    scalar = _bank(LIST_ENV, LIST_CONTEXTS, prims, consts, None)
    fast = _bank(LIST_ENV, LIST_CONTEXTS, prims, consts, threshold)
    assert _levels(fast, 7) == _levels(scalar, 7)
    for counter in ("enumerated", "pruned", "kept", "stored_values"):
        assert getattr(fast.budget, counter) == getattr(scalar.budget, counter), counter


def test_a_group_too_large_to_tabulate_takes_the_scalar_path() -> None:
    """CLI audit: act's vector form tabulated order x degree entries, 10**12 for Z1000000 (out of memory)."""
    big, small = vector.Kind("elem", get_group("Z1000000")), vector.Kind("elem", get_group("D4"))
    assert vector.vector_op("act", big, vector.Kind("int")) is None
    assert vector.vector_op("act", small, vector.Kind("int")) is not None
    codes = np.array([[0, 1, 999_999]], dtype=np.int64)
    inverse = vector.apply1(vector.UNARY_OPS[("inv", "elem")], big, codes)
    assert inverse.tolist() == [[get_group("Z1000000").inverse_index(i) for i in (0, 1, 999_999)]]


def test_spent_steps_read_the_limits_every_so_often() -> None:
    """Tracing long inputs is work no candidate counts: the clock is read every STEPS_PER_CHECK steps of it."""
    from synth.search.bank import STEPS_PER_CHECK, SearchStopped

    budget = Budget(deadline=0.0)  # long past
    budget.spent(STEPS_PER_CHECK - 1)  # not yet read
    with pytest.raises(SearchStopped, match="timeout"):
        budget.spent(1)
