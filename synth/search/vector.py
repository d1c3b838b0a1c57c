"""Primitives over whole blocks of candidates at once, on numpy arrays.

A bank builds its level c of `a op b` from every pair of cheaper entries, and
almost every result equals a value vector the bank already holds
(observational equivalence drops it). Building each result as a Python tuple
only to drop it was most of the search's time. Here a block of pairs (one
primitive, one split of the cost, one typing) is computed at once on int64
codes of the entries' values, its rows are fingerprinted, and only the rows
that differ from every earlier row of the block go back to the bank
(`Bank.add`); one whose print no kept entry has is new for sure and skips
the bank's look-up, one caught in a collision is looked up.

Exactness: a row is computed here only where the vector form gives exactly
what the bank's scalar path gives (`semantics.lifted`, `lift2`): operands coded (an
Int of magnitude below 2**62, a Bool, an element of one group, ERROR or
UNKNOWN as two codes below every Int's), specials propagated as `lift2`
does (ERROR if either operand is ERROR, else UNKNOWN if either is unknown),
ERROR where the table's `defined` says a call fails (a zero divisor). A pair
it cannot give (a product of operands past 2**31) is left to the scalar path. Rows sharing a fingerprint are
compared in full, so a collision never merges two different vectors.
One-operand primitives (`-x`, `not`, `inv`, `identity`: UNARY_OPS) take a
whole level of one type the same way. tests/synth/search/test_vector.py holds
every entry of VECTOR_OPS, MIXED_OPS and UNARY_OPS to the table on random operands.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter
from typing import Callable, Generic, Sequence, TypeVar, cast

import numpy as np

from dsl.groups import Elem, Group
from dsl.limits import MAX_TABLE_ORDER
from dsl.types import BoolT, ElemT, IntT, Type
from synth.search.special import ERROR, UNKNOWN, Special

SAFE = 1 << 62  # an encodable Int: |v| < SAFE, so a + b and a - b fit in int64
SMALL = 1 << 31  # a product is computed here only for operands below this (it fits in 62 bits)
ERROR_CODE = -(1 << 63)  # codes below every coded Int (which are above -SAFE; sums stay above -2**63 + 1)
UNKNOWN_CODE = ERROR_CODE + 1
CHUNK = 1 << 20  # values computed per block slice (8 MB of int64)

T = TypeVar("T")
_FINGERPRINT = np.random.default_rng(0x5EED).integers(1, 2**63, size=4096, dtype=np.uint64) | np.uint64(1)


@dataclass(frozen=True)
class Kind:
    """How a type's values are coded: "int", "bool" or "elem" (with its group)."""

    name: str
    group: Group | None = None


def coding(typ: Type) -> str | None:
    """The name of the coding of a type's values, if they have one."""
    return "bool" if isinstance(typ, BoolT) else "int" if isinstance(typ, IntT) else "elem" if isinstance(typ, ElemT) else None


def has_vector_form(op: str, typ: Type, right: Type | None = None) -> bool:
    """Whether `op` on operands of these types (the right one `typ` too, by default) has a vector form (asked before coding anything)."""
    name, other = coding(typ), coding(right if right is not None else typ)
    if name is None or other is None:
        return False
    return (op, name) in VECTOR_OPS if name == other else (op, name, other) in MIXED_OPS


def kind_of(typ: Type, values: Sequence[object]) -> Kind | None:
    """The coding of a type whose values look like `values` (one example vector), or None if not coded."""
    if isinstance(typ, BoolT):
        return Kind("bool")
    if isinstance(typ, IntT):
        return Kind("int")
    if isinstance(typ, ElemT):
        first = next((v for v in values if isinstance(v, Elem)), None)
        return Kind("elem", first.group) if first is not None else None
    return None


@dataclass(frozen=True)
class Coded:
    """One (level, type) of a bank as int64 codes, a row per entry; `coded[k]` is False where row k could not be coded."""

    kind: Kind
    rows: np.ndarray  # (entries, contexts) int64; zeros where not coded
    coded: np.ndarray  # (entries,) bool


def _code(kind: Kind, v: object) -> int | None:
    if v is ERROR:
        return ERROR_CODE
    if v is UNKNOWN:
        return UNKNOWN_CODE
    if kind.name == "elem":
        return v.index if type(v) is Elem and v.group is kind.group else None
    if kind.name == "bool":
        return int(v) if type(v) is bool else None
    return v if type(v) is int and -SAFE < v < SAFE else None


_SPECIAL_CODES = {ERROR: ERROR_CODE, UNKNOWN: UNKNOWN_CODE}
_ZEROED = {ERROR: 0, UNKNOWN: 0}  # specials out of the way of a bounds check
_INDEX_OF = attrgetter("index")
_GROUP_OF = attrgetter("group")


@lru_cache(maxsize=16)
def _codes_of(group: Group) -> dict[object, int]:
    """Every element of a group with a small table, and the specials -> its code."""
    table: dict[object, int] = {}
    if len(group.elements) <= MAX_TABLE_ORDER:
        table.update((e, e.index) for e in group.elements)
    for special, code in _SPECIAL_CODES.items():
        table[special] = code
    return table


@lru_cache(maxsize=16)
def _elements_of(group: Group) -> np.ndarray | None:
    """A group's elements by code, then ERROR and UNKNOWN (codes ERROR_CODE, UNKNOWN_CODE); None for a large group."""
    if len(group.elements) > MAX_TABLE_ORDER:
        return None
    table = np.empty(len(group.elements) + 2, dtype=object)
    table[:-2] = list(group.elements)
    table[-2], table[-1] = ERROR, UNKNOWN
    return table


def encode(kind: Kind, vectors: Sequence[tuple]) -> Coded:
    """Code every vector that can be coded exactly (an Int past 2**62 or a foreign element cannot)."""
    width = len(vectors[0]) if vectors else 0
    if width == 0:  # a bank over no contexts (a body over members no example has): every vector is () and coded
        return Coded(kind, np.zeros((len(vectors), 0), dtype=np.int64), np.ones(len(vectors), dtype=bool))
    if kind.name == "elem" and vectors and len(table := _codes_of(kind.group)) > len(_SPECIAL_CODES):
        # Elements are one object each (dsl.groups), so one dict look-up per
        # value codes a whole level at C speed; any value it does not know
        # (a foreign element, anything else) sends the level vector by vector.
        codes = list(map(table.get, itertools.chain.from_iterable(vectors)))
        if None not in codes:
            array = np.array(codes, dtype=np.int64).reshape(len(vectors), width)
            return Coded(kind, array, np.ones(len(vectors), dtype=bool))
    rows: list = []
    coded: list[bool] = []
    plain = bool if kind.name == "bool" else int
    blank = (0,) * width
    specials = _SPECIAL_CODES
    for vs in vectors:
        if kind.name != "elem":
            types = set(map(type, vs))
            if types == {plain} and (plain is bool or (max(vs) < SAFE and min(vs) > -SAFE)):
                rows.append(vs)  # the common case, at C speed
                coded.append(True)
                continue
            if types <= {plain, type(ERROR)}:
                # Both at C speed: specials to their codes, and to 0 for the bounds of the plain values.
                row = list(map(specials.get, vs, vs))
                bounds = cast("list[int]", [] if plain is bool else list(map(_ZEROED.get, vs, vs)))
                if plain is bool or (max(bounds) < SAFE and min(bounds) > -SAFE):
                    rows.append(row)
                    coded.append(True)
                    continue
            rows.append(blank)
            coded.append(False)
            continue
        if set(map(type, vs)) == {Elem} and set(map(_GROUP_OF, vs)) == {kind.group}:
            rows.append(list(map(_INDEX_OF, vs)))  # the common case: plain elements of the group, at C speed
            coded.append(True)
            continue
        codes = [_code(kind, v) for v in vs]
        ok = None not in codes
        rows.append(codes if ok else blank)
        coded.append(ok)
    array = np.array(rows, dtype=np.int64).reshape(len(vectors), width)
    return Coded(kind, array, np.array(coded, dtype=bool))


def decode(kind: Kind, rows: np.ndarray) -> list[tuple]:
    """Rows of codes back to the bank's value tuples (Python ints, bools, elements, ERROR, UNKNOWN)."""
    if kind.name == "bool":
        values = (rows == 1).astype(object)
    elif kind.name == "elem":
        table = _elements_of(kind.group)
        if table is not None:  # a small group: one gather through its element table
            n = len(table) - 2  # ERROR's place in the table, UNKNOWN's next
            at = np.where(rows == ERROR_CODE, n, np.where(rows == UNKNOWN_CODE, n + 1, rows))
            return [tuple(r) for r in table[at].tolist()]
        elements = kind.group.elements  # type: ignore[union-attr]
        used, where = np.unique(np.where(rows < 0, 0, rows), return_inverse=True)
        table = np.empty(len(used), dtype=object)
        for k, i in enumerate(used.tolist()):
            table[k] = elements[i]
        values = table[where.reshape(rows.shape)]
    else:
        values = rows.astype(object)
    values[rows == ERROR_CODE] = ERROR
    values[rows == UNKNOWN_CODE] = UNKNOWN
    return [tuple(r) for r in values.tolist()]


def has_special(rows: np.ndarray) -> np.ndarray:
    """Per row, whether it holds ERROR or UNKNOWN (their codes are below every other code)."""
    return np.asarray((rows <= UNKNOWN_CODE).any(axis=1))


# An implementation takes operand codes (no specials) and returns the result
# codes, where the call is defined (False: ERROR, as the table's `defined`
# says) and where the vector form cannot give it (True: the scalar path).
VectorImpl = Callable[[np.ndarray, np.ndarray], "tuple[np.ndarray, np.ndarray | None, np.ndarray | None]"]


def _divisor(fn: Callable) -> VectorImpl:
    def impl(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray | None, np.ndarray | None]:
        ok = b != 0
        return fn(a, np.where(ok, b, 1)), ok, None
    return impl


def _product(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray | None, np.ndarray | None]:
    small = (np.abs(a) < SMALL) & (np.abs(b) < SMALL)
    return np.where(small, a, 0) * np.where(small, b, 0), None, ~small


def _always(fn: Callable) -> VectorImpl:
    def impl(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray | None, np.ndarray | None]:
        return fn(a, b), None, None
    return impl


@dataclass(frozen=True)
class VectorOp:
    """A primitive's vector form on one typing: the result's coding and the implementation."""

    result: str  # "int", "bool" or "same" (the operands' kind, e.g. a group element)
    impl: VectorImpl | None  # None: group composition, which needs the group's table
    on_group: Callable[[Group], VectorImpl] | None = None  # the implementation for the left operand's group, if it needs one


VECTOR_OPS: dict[tuple[str, str], VectorOp] = {
    ("+", "int"): VectorOp("int", _always(np.add)),
    ("-", "int"): VectorOp("int", _always(np.subtract)),
    ("*", "int"): VectorOp("int", _product),
    ("/", "int"): VectorOp("int", _divisor(np.floor_divide)),  # floor division, as Python's //
    ("mod", "int"): VectorOp("int", _divisor(np.mod)),  # the divisor's sign, as Python's %
    ("xor", "int"): VectorOp("int", _always(np.bitwise_xor)),
    ("<", "int"): VectorOp("bool", _always(np.less)),
    ("<=", "int"): VectorOp("bool", _always(np.less_equal)),
    (">", "int"): VectorOp("bool", _always(np.greater)),
    (">=", "int"): VectorOp("bool", _always(np.greater_equal)),
    ("==", "int"): VectorOp("bool", _always(np.equal)),
    ("!=", "int"): VectorOp("bool", _always(np.not_equal)),
    ("==", "bool"): VectorOp("bool", _always(np.equal)),
    ("!=", "bool"): VectorOp("bool", _always(np.not_equal)),
    ("and", "bool"): VectorOp("bool", _always(np.bitwise_and)),
    ("or", "bool"): VectorOp("bool", _always(np.bitwise_or)),
    ("xor", "bool"): VectorOp("bool", _always(np.bitwise_xor)),
    ("==", "elem"): VectorOp("bool", _always(np.equal)),
    ("!=", "elem"): VectorOp("bool", _always(np.not_equal)),
    ("*", "elem"): VectorOp("same", None),
}
"""Binary primitives with a vector form, keyed by (op, the operands' coding); both operands share it."""


@lru_cache(maxsize=None)
def _act(group: Group) -> VectorImpl:
    """`act(g, p)`: a gather from the group's table of g acting on each point; defined for points 0..degree-1."""
    table = np.array([[group.act_index(g, p) for p in range(group.degree)] for g in range(len(group))], dtype=np.int64)

    def impl(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray | None, np.ndarray | None]:
        ok = (b >= 0) & (b < group.degree)
        return table[a, np.where(ok, b, 0)], ok, None
    return impl


MIXED_OPS: dict[tuple[str, str, str], VectorOp] = {
    ("act", "elem", "int"): VectorOp("int", None, on_group=_act),
}
"""Binary primitives with a vector form on operands coded differently, keyed by (op, left coding, right coding)."""


# Entries of a group's look-up table (inverses; act's order x degree) built for a vector form; a larger group
# (Z1000000: a table of 10**12 for act) takes the scalar path, element by element.
TABLE_LIMIT = 1 << 16


@lru_cache(maxsize=None)
def _inverses(group: Group) -> np.ndarray:
    return np.array([group.inverse_index(i) for i in range(len(group))], dtype=np.int64)


def _inverse(a: np.ndarray, kind: Kind) -> np.ndarray:
    group = kind.group
    assert group is not None
    if len(group) <= TABLE_LIMIT:
        return _inverses(group)[a]
    return np.vectorize(group.inverse_index, otypes=[np.int64])(a)


def _identity(a: np.ndarray, kind: Kind) -> np.ndarray:
    assert kind.group is not None
    return np.full_like(a, kind.group.identity_index)


@dataclass(frozen=True)
class UnaryOp:
    """A one-operand primitive's vector form: the result's coding ("same" as the operand or "bool") and the codes."""

    result: str
    impl: Callable[[np.ndarray, Kind], np.ndarray]  # operand codes (no specials) -> result codes; never fails


UNARY_OPS: dict[tuple[str, str], UnaryOp] = {
    ("neg", "int"): UnaryOp("same", lambda a, kind: -a),  # |a| < SAFE, so -a is exact
    ("not", "bool"): UnaryOp("same", lambda a, kind: 1 - a),
    ("inv", "elem"): UnaryOp("same", _inverse),
    ("identity", "elem"): UnaryOp("same", _identity),
}
"""One-operand primitives with a vector form, keyed by (op, the operand's coding)."""


def apply1(uop: UnaryOp, kind: Kind, a: np.ndarray) -> np.ndarray:
    """The op on every row of a; a special operand is the value (ERROR stays ERROR, UNKNOWN stays UNKNOWN)."""
    special = a <= UNKNOWN_CODE
    return np.ascontiguousarray(np.where(special, a, uop.impl(np.where(special, 0, a), kind)), dtype=np.int64)


def vector_op(op: str, k1: Kind | None, k2: Kind | None) -> VectorOp | None:
    """The vector form of `op` on these codings, if there is one (both operands coded alike, or a mixed form)."""
    if k1 is None or k2 is None:
        return None
    if k1 != k2:
        found = MIXED_OPS.get((op, k1.name, k2.name))
        if found is not None and found.on_group is not None and k1.group is not None \
                and len(k1.group) * k1.group.degree > TABLE_LIMIT:
            return None  # its table would not fit: the scalar path
        return found
    return VECTOR_OPS.get((op, k1.name))


def result_kind(vop: VectorOp | UnaryOp, operands: Kind) -> Kind:
    return operands if vop.result == "same" else Kind(vop.result)


def apply(vop: VectorOp, kind: Kind, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every row of a against every row of b: (len(a) * len(b), contexts) codes, and per row whether it is exact.

    A row that is not exact (some context the vector form cannot give) must be built by the scalar path.
    """
    shape = (len(a), len(b), a.shape[1])
    a3, b3 = a[:, None, :], b[None, :, :]
    sa, sb = a3 <= UNKNOWN_CODE, b3 <= UNKNOWN_CODE
    special = sa | sb
    error = (a3 == ERROR_CODE) | (b3 == ERROR_CODE)
    x, y = np.where(sa, 0, a3), np.where(sb, 0, b3)
    scalar = None
    if vop.impl is None and vop.on_group is None:
        group = kind.group
        assert group is not None
        out = group.compose_array(np.broadcast_to(x, shape), y)
    else:
        if vop.on_group is not None:
            assert kind.group is not None
            impl = vop.on_group(kind.group)
        else:
            assert vop.impl is not None
            impl = vop.impl
        out, defined, scalar = impl(x, y)
        if vop.result == "int":
            # A sum or difference near the bound is exact here but has no code (|v| < SAFE): such a row is left to
            # the scalar path, so `Bank.add` looks it up (a kept entry holding such a value is in no print table,
            # and a row not found there would be taken for new).
            wide = (out <= -SAFE) | (out >= SAFE)
            scalar = wide if scalar is None else scalar | wide
        if defined is not None:
            out = np.where(defined, out, ERROR_CODE)
    out = np.where(special, np.where(error, ERROR_CODE, UNKNOWN_CODE), out)
    rows = np.ascontiguousarray(np.broadcast_to(out, shape).reshape(len(a) * len(b), a.shape[1]), dtype=np.int64)
    if scalar is None:
        exact = np.ones(len(rows), dtype=bool)
    else:
        # .any(axis=1) of a 2-d array is an array; numpy's stubs say it may be a scalar np.bool.
        exact = ~np.broadcast_to(scalar & ~special, shape).reshape(len(rows), a.shape[1]).any(axis=1)  # type: ignore[assignment]
    return rows, exact


@dataclass(frozen=True)
class CodedLists:
    """One list entry's values as codes: each context's items (padded with zeros), its length, and its code if special."""

    items: np.ndarray  # (contexts, longest list or 1) int64
    lengths: np.ndarray  # (contexts,) int64; 0 where the value is special
    special: np.ndarray  # (contexts,) int64: ERROR_CODE or UNKNOWN_CODE where the list itself is special, else 0


def encode_lists(kind: Kind, values: Sequence[object]) -> CodedLists | None:
    """A list entry's values (a tuple of items, or a special, per context), or None if an item has no code."""
    lists = [v if type(v) is tuple else () for v in values]
    special = np.array([0 if type(v) is tuple else _SPECIAL_CODES[cast(Special, v)] for v in values], dtype=np.int64)
    lengths = np.array([len(items) for items in lists], dtype=np.int64)
    width = max(1, int(lengths.max(initial=0)))
    items = np.zeros((len(lists), width), dtype=np.int64)
    flat = tuple(itertools.chain.from_iterable(lists))
    if flat:
        coded = encode(kind, [flat])
        if not coded.coded[0]:
            return None
        items[np.arange(width)[None, :] < lengths[:, None]] = coded.rows[0]  # row by row: the items in order
    return CodedLists(items, lengths, special)


def index(lists: CodedLists, keys: np.ndarray) -> np.ndarray:
    """`coll[key]` on every context for every row of Int key codes, as the bank's scalar path gives it.

    Where the list or the key is special, so is the value: ERROR if either
    is ERROR, else UNKNOWN (`strict`); a key outside 0..len-1 is ERROR
    (`semantics.indexed`).
    """
    inside = (keys >= 0) & (keys < lists.lengths[None, :])
    out = lists.items[np.arange(keys.shape[1])[None, :], np.where(inside, keys, 0)]
    out = np.where(inside, out, ERROR_CODE)
    special = lists.special[None, :]
    unknown = (keys == UNKNOWN_CODE) | (special == UNKNOWN_CODE)
    out = np.where(unknown, UNKNOWN_CODE, out)
    out = np.where((keys == ERROR_CODE) | (special == ERROR_CODE), ERROR_CODE, out)
    return np.ascontiguousarray(out, dtype=np.int64)


def choose(cond: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """`if cond then a else b` for every row of a against every row of b; a special condition is the value."""
    out = np.where(cond == 1, a[:, None, :], b[None, :, :])
    out = np.where(cond <= UNKNOWN_CODE, cond, out)
    return np.ascontiguousarray(out.reshape(len(a) * len(b), a.shape[1]), dtype=np.int64)


@dataclass(frozen=True)
class Distinct:
    """Which rows of a block come first with their values (`first`, in order) and, for every row, its first row."""

    first: np.ndarray  # row numbers, increasing: the rows to hand to the bank
    rep: np.ndarray  # rep[k]: the first row equal to row k (k itself for a first row)
    prints: np.ndarray  # every row's fingerprint
    alone: np.ndarray  # per row: True where its print is an earlier different row's (a collision), so `rep` may miss a twin


class Prints(Generic[T]):
    """The first kept entry with each fingerprint, and its codes: a block's row is told equal to it on the codes.

    The codes are kept (one row per entry, in an array grown by doubling) so
    that comparing a block's rows with the entries they fingerprint-match is
    one gather and compare, not a decoding of the rows into tuples (nor a
    coding of the entries again).
    """

    def __init__(self, kind: Kind, width: int) -> None:
        self.kind = kind  # how every row held and matched is coded
        self.slot: dict[int, int] = {}  # fingerprint -> its entry's row in `codes`
        self.entries: list[T] = []
        self.codes = np.zeros((16, width), dtype=np.int64)

    def add(self, entries: Sequence[T], prints: Sequence[int], codes: np.ndarray) -> None:
        """These entries (codes[k] the codes of entries[k]) join, each unless an entry with its print is in."""
        slot = self.slot
        taken = []
        for k, p in enumerate(prints):
            if p not in slot:
                slot[p] = len(self.entries)
                self.entries.append(entries[k])
                taken.append(k)
        if taken:
            n, width = len(self.entries), self.codes.shape[1]
            if n > len(self.codes):
                grown = np.zeros((max(n, 2 * len(self.codes)), width), dtype=np.int64)
                grown[:n - len(taken)] = self.codes[:n - len(taken)]
                self.codes = grown
            self.codes[n - len(taken):n] = codes[taken]

    def match(self, ks: Sequence[int], prints: Sequence[int], rows: np.ndarray) -> tuple[dict[int, T], list[int]]:
        """Of the rows `rows[k]` (fingerprint prints[n] for ks[n]), those equal to a held entry (k -> it) and those
        whose print a different entry holds (a collision)."""
        at = np.fromiter(map(self.slot.get, prints, itertools.repeat(-1)), dtype=np.int64, count=len(prints))
        hit = np.flatnonzero(at >= 0)
        if not len(hit):
            return {}, []
        ks_hit, at = np.asarray(ks, dtype=np.int64)[hit], at[hit]
        same = (self.codes[at] == rows[ks_hit]).all(axis=1)
        known = dict(zip(ks_hit[same].tolist(), map(self.entries.__getitem__, at[same].tolist())))
        return known, ks_hit[~same].tolist()


_MIX = np.uint64(0x9E3779B97F4A7C15)  # odd: multiplying by it is a bijection of 64-bit words


def fingerprints(rows: np.ndarray) -> np.ndarray:
    """A 64-bit fingerprint per row: equal rows, equal prints.

    Each code is mixed first (an odd multiplier, then an xor-shift: a
    bijection) and the mixed codes summed under fixed random odd weights. A
    plain weighted sum of the codes would collide whenever two rows differ by
    ERROR codes (-2**63) in other places: 2**63 times any odd weight is 2**63.
    """
    width = rows.shape[1]
    weights = _FINGERPRINT[np.arange(width) % len(_FINGERPRINT)]
    with np.errstate(over="ignore"):
        mixed = np.ascontiguousarray(rows, dtype=np.int64).view(np.uint64) * _MIX
        mixed ^= mixed >> np.uint64(31)
        return (mixed * weights).sum(axis=1, dtype=np.uint64)


def distinct(rows: np.ndarray) -> Distinct:
    """Rows equal to an earlier row of the block are found by fingerprint, then compared in full."""
    n = rows.shape[0]
    if n == 0:
        empty = np.zeros(0, dtype=np.int64)
        return Distinct(empty, empty, np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=bool))
    prints = fingerprints(rows)
    _, first, inverse = np.unique(prints, return_index=True, return_inverse=True)
    rep = first[inverse.reshape(-1)]
    same = (rows == rows[rep]).all(axis=1)
    rep = np.where(same, rep, np.arange(n))  # a fingerprint collision: the row stands alone
    return Distinct(np.flatnonzero(rep == np.arange(n)), rep, prints, ~same)
