"""The lifted semantics: DSL operations on value vectors (a value per context), ERROR and UNKNOWN included.

`lifted` derives the search's version of a primitive from dsl/prims.py: the
table's implementation, ERROR where the table says it fails, UNKNOWN where
it would build a list longer than RANGE_LIMIT. `lift1`, `lift2` and `lift`
apply it to entries' value vectors, `choose` is `if` and `indexed` is
`coll[key]` (an `Oracle` answers a rule's `f[k]`); a special operand gives
a special value and whatever a primitive raises is ERROR. A module of its
own because the bank (building entries) and the recipes (recomputing them)
both compute values this way; tests/synth/search/test_semantics.py checks
it against the interpreter.
"""

from __future__ import annotations

from typing import Callable, Mapping, Sequence

from dsl.errors import UserError
from dsl.primspec import PrimSpec
from dsl.types import IntT, ListT, Type
from dsl.values import MapValue, Value
from synth.search.entry import Entry
from synth.search.settings import DEFAULTS
from synth.search.special import ERROR, UNKNOWN, Special, first_special, has_special

# Exceptions a primitive may raise on bad arguments; all become ERROR.
FAILURES = (UserError, ArithmeticError, IndexError, KeyError, TypeError, ValueError, RecursionError)

# The longest list the enumerator builds with a primitive (range, +, take,
# to_bits, ...); the interpreter allows more (fuel and dsl.limits bound it),
# but a candidate that needs a huge list is not worth materializing, so its
# value is UNKNOWN there (see `lifted`).
RANGE_LIMIT = DEFAULTS.range_limit  # the default; a search uses its Settings.range_limit


def lifted(spec: PrimSpec, types: tuple[Type, ...], range_limit: int = RANGE_LIMIT,
           remembered: int = DEFAULTS.remembered_items) -> tuple[Type, Callable] | None:
    """The bank's version of a primitive on these argument types, derived from the table.

    It is the table's implementation (integer bound included), with two
    shortcuts the table declares: where `spec.defined` says a call fails, the
    value is ERROR without raising; and a list the primitive would build with
    more than `range_limit` elements (its `cost`, computed before the call) is
    UNKNOWN: not materialized, rather than claimed to fail. Everything else a
    primitive raises becomes ERROR in `lift1` / `lift2`, as a
    DslRuntimeError does in the interpreter. A list built from one Int is
    kept (up to `remembered` items in all) and given again for that Int.
    """
    r = spec.typing(types)
    if r is None:
        return None
    rtype, impl = r
    defined, cost = spec.defined, spec.cost
    if defined is not None:
        impl = _guarded(impl, defined, spec.arity)
    if cost is not None and isinstance(rtype, ListT):
        impl = _capped(impl, cost, range_limit)
    if remembered > 0 and spec.arity == 1 and isinstance(rtype, ListT) and isinstance(types[0], IntT):
        impl = _remembered(impl, remembered)
    return rtype, impl


def _remembered(impl: Callable, limit: int) -> Callable:
    """A list builder of one Int (range, to_bits) that keeps what it built, at most `limit` items in all.

    A level applies `range` to every Int entry on every context, and most of
    those Ints are a few small numbers: the same lists, built again and again
    (a tenth of a search that builds index loops). The value is a function of
    the Int alone and a tuple is immutable, so giving the kept one is exact.
    """
    memo: dict = {}
    get = memo.get
    held = [0]  # items kept so far

    def remembered(n: Value) -> object:
        out = get(n, memo)
        if out is memo:
            out = impl(n)  # a failure raises each time, as the primitive does
            if held[0] < limit:
                memo[n] = out
                held[0] += len(out) if type(out) is tuple else 1
        return out
    return remembered


def _guarded(impl: Callable, defined: Callable[..., bool], arity: int) -> Callable:
    if arity == 2:
        def guarded2(a: Value, b: Value) -> object:
            return impl(a, b) if defined(a, b) else ERROR
        return guarded2

    def guarded(*args: Value) -> object:
        return impl(*args) if defined(*args) else ERROR
    return guarded


def _capped(impl: Callable, cost: Callable[..., int], limit: int) -> Callable:
    def capped(*args: Value) -> object:
        return UNKNOWN if cost(*args) > limit else impl(*args)
    return capped


class Part:
    """A slice of an entry's values, shaped like an Entry for the lifting helpers."""

    __slots__ = ("values", "special")

    def __init__(self, values: tuple) -> None:
        self.values = values
        self.special = has_special(values)


def lift1(fn: Callable, e: Entry | Part) -> tuple:
    if not e.special:
        try:
            return tuple(map(fn, e.values))
        except FAILURES:
            pass
    return tuple(_apply1(fn, v) for v in e.values)


def _apply1(fn: Callable, v: Value) -> Value | Special:
    if type(v) is Special:
        return v
    try:
        return fn(v)
    except FAILURES:
        return ERROR


def lift2(fn: Callable, e1: Entry | Part, e2: Entry | Part) -> tuple:
    if not e1.special and not e2.special:
        try:
            return tuple(map(fn, e1.values, e2.values))
        except FAILURES:
            pass
    out = []
    for a, b in zip(e1.values, e2.values):
        if type(a) is Special or type(b) is Special:
            out.append(ERROR if a is ERROR or b is ERROR else UNKNOWN)
            continue
        try:
            out.append(fn(a, b))
        except FAILURES:
            out.append(ERROR)
    return tuple(out)


def lift(fn: Callable, args: Sequence[Entry | Part]) -> tuple:
    """Any arity: special if an argument is, ERROR where the primitive fails."""
    out = []
    for vals in zip(*[a.values for a in args]):
        special = first_special(vals)
        if special is not None:
            out.append(special)
            continue
        try:
            out.append(fn(*vals))
        except FAILURES:
            out.append(ERROR)
    return tuple(out)


def strict(*args: Value) -> Special | None:
    """The special value a strict operation yields, if any argument is special."""
    return first_special(args)


def choose(cond: Sequence, then: Sequence, orelse: Sequence) -> tuple:
    """`if` over value vectors: a special condition is the value, else the branch it picks."""
    return tuple(k if type(k) is Special else (a if k else b) for k, a, b in zip(cond, then, orelse))


class Oracle:
    """The rule being synthesized, as the examples know it: labels, else UNKNOWN.

    Inside a recursive rule's body, `f[k]` is answered from the example's
    labels (the examples act as the oracle for the recursive call); a key
    without a label gives UNKNOWN, which no local check can refute, and the
    member's own key gives ERROR, since reading it is a cycle, as does a key
    that no member defines.
    """

    __slots__ = ("labels", "own_key", "defined")

    def __init__(self, labels: Mapping, own_key: Value | None = None, defined: frozenset | None = None) -> None:
        self.labels = labels
        self.own_key = own_key
        self.defined = defined

    def lookup(self, key: Value) -> Value | Special:
        if key == self.own_key:
            return ERROR  # a member that reads its own key is a cycle
        try:
            return self.labels[key]
        except (KeyError, TypeError):
            pass
        if self.defined is not None and key not in self.defined:
            return ERROR  # no member defines this key: an undefined-key error
        return UNKNOWN

    def __repr__(self) -> str:
        return f"Oracle({dict(self.labels)!r})"


def indexed(coll: tuple | MapValue | Oracle, key: Value) -> Value | Special:
    """`coll[key]`: a list's item (ERROR out of range), a map's value, or what the oracle says of the key."""
    if isinstance(coll, Oracle):
        return coll.lookup(key)
    if isinstance(coll, MapValue):
        try:
            return coll[key]
        except KeyError:
            return ERROR
    # A list: the DSL's typing makes its key an Int (not checked here, on the hot path).
    if isinstance(key, bool) or not 0 <= key < len(coll):  # type: ignore[operator]
        return ERROR
    return coll[key]  # type: ignore[index]
