"""The list library: the list functions a Python programmer reaches for, on the order of DeepCoder's DSL.

Registered into dsl.prims.PRIMS with profile "list", so the `core` search
profile does not see them (see synth.search.profiles). Every one is generic;
none is a task's answer. Decisions, stated once:

- positions count from 0; `take`, `drop` and `slice` clamp their bounds to
  0..len(xs) (a negative bound means 0, not "from the end"), so they never fail;
- `head`, `last`, `tail`, `pop`, `min` and `max` of an empty list are runtime
  errors; `sum` of an empty list is 0; `index_of` gives -1 when the value is absent;
- `zip(xs, ys)` pairs items index-wise into records {fst, snd}, as long as the
  shorter list;
- `pad(xs, n, v)` is xs followed by copies of v up to length n (xs itself when
  it is already that long; Python's `xs + [v] * (n - len(xs))`, numpy's pad);
- `split(xs, v)` cuts xs at every v, as Python's str.split: the parts between
  the v's, empty ones included; no v gives [xs], an empty xs gives [[]];
- `append(xs, x)` adds at the end (a stack's push; `last` is its top and `pop`
  removes it); `cons(x, xs)` adds at the front (`head` and `tail` undo it);
- bit lists are LITTLE-endian: bits[0] is the least significant bit.
  `from_bits` reads a list of 0/1 (Int) or false/true (Bool); `to_bits(n)` of
  n >= 0 is the shortest list (to_bits(0) = [0]); `to_bits_len(n, k)` is
  exactly k bits, n modulo 2**k (two's complement for a negative n).
"""

from __future__ import annotations

from collections.abc import Callable

from dsl.errors import DslRuntimeError
from dsl.limits import MAX_BUILT_LIST, WORD_BITS, describe_int
from dsl.primspec import Impl, PrimSpec
from dsl.types import INT, BoolT, ElemT, IntT, ListT, RecordT, SymT, Type
from dsl.values import Record

_EQ_TYPES = (IntT, BoolT, SymT, ElemT)  # as == and !=
_ORDERED = (IntT, BoolT, SymT)  # false < true; symbols by their names
PAIR_FIELDS = ("fst", "snd")
_BIT_VALUES = frozenset((0, 1))
_WORD = 1 << (WORD_BITS - 1)
_FROM_BYTES = bytes.maketrans(b"\x00\x01", b"01")
_TO_BYTES = bytes.maketrans(b"01", b"\x00\x01")


def _empty(op: str) -> DslRuntimeError:
    return DslRuntimeError(f"{op} of an empty list")


def _clamp(i: int, n: int) -> int:
    return 0 if i < 0 else (min(i, n))


# --- implementations -------------------------------------------------------------

def _head(xs: tuple) -> object:
    if xs:
        return xs[0]
    raise _empty("head")


def _last(xs: tuple) -> object:
    if xs:
        return xs[-1]
    raise _empty("last")


def _take(xs: tuple, n: int) -> tuple:
    return xs[: _clamp(n, len(xs))]


def _drop(xs: tuple, n: int) -> tuple:
    return xs[_clamp(n, len(xs)):]


def _slice(xs: tuple, i: int, j: int) -> tuple:
    n = len(xs)
    return xs[_clamp(i, n): _clamp(j, n)]


def _count(xs: tuple, v: object) -> int:
    return xs.count(v)


def _index_of(xs: tuple, v: object) -> int:
    try:
        return xs.index(v)
    except ValueError:
        return -1


def _min(xs: tuple) -> int:
    if xs:
        return min(xs)
    raise _empty("min")


def _max(xs: tuple) -> int:
    if xs:
        return max(xs)
    raise _empty("max")


def _zip(xs: tuple, ys: tuple) -> tuple:
    return tuple([Record(PAIR_FIELDS, pair) for pair in zip(xs, ys)])


def _cons(x: object, xs: tuple) -> tuple:
    return (x,) + xs


def _append(xs: tuple, x: object) -> tuple:
    return xs + (x,)


def _pad(xs: tuple, n: int, v: object) -> tuple:
    if n > MAX_BUILT_LIST:
        raise DslRuntimeError(f"pad: {describe_int(n)} items is more than the limit {MAX_BUILT_LIST:,}")
    return xs + (v,) * (n - len(xs)) if n > len(xs) else xs


def _split(xs: tuple, v: object) -> tuple:
    parts = []
    start = 0
    for i, x in enumerate(xs):
        if x == v:
            parts.append(xs[start:i])
            start = i + 1
    parts.append(xs[start:])
    return tuple(parts)


def _tail(xs: tuple) -> tuple:
    if xs:
        return xs[1:]
    raise _empty("tail")


def _pop(xs: tuple) -> tuple:
    if xs:
        return xs[:-1]
    raise _empty("pop")


def _sort(xs: tuple) -> tuple:
    return tuple(sorted(xs))


def _reverse(xs: tuple) -> tuple:
    return xs[::-1]


def _from_bits(bits: tuple) -> int:
    if not _BIT_VALUES.issuperset(bits):
        bad = next(b for b in bits if b not in _BIT_VALUES)
        raise DslRuntimeError(f"from_bits: {describe_int(bad)} is not a bit (0 or 1)")
    if not bits:
        return 0
    return int(bytes(reversed(bits)).translate(_FROM_BYTES), 2)


def _bits_of(n: int) -> tuple:
    """The binary digits of n >= 0, least significant first."""
    return tuple(format(n, "b")[::-1].encode().translate(_TO_BYTES))


def _to_bits(n: int) -> tuple:
    if n < 0:
        raise DslRuntimeError(f"to_bits of a negative number ({describe_int(n)}); use to_bits_len(n, k) for k two's-complement bits")
    return _bits_of(n)


def _to_bits_len(n: int, k: int) -> tuple:
    if k < 0:
        raise DslRuntimeError(f"to_bits_len: a negative number of bits ({describe_int(k)})")
    if k > MAX_BUILT_LIST:
        raise DslRuntimeError(f"to_bits_len: {describe_int(k)} bits is more than the limit {MAX_BUILT_LIST:,}")
    if k == 0:
        return ()
    bits = _bits_of(n & ((1 << k) - 1))
    return bits + (0,) * (k - len(bits))


# --- costs: elements read or built, from the arguments, before the call ----------

def _len_cost(xs: tuple, *_: object) -> int:
    return len(xs)


def _take_cost(xs: tuple, n: int) -> int:
    return _clamp(n, len(xs))


def _drop_cost(xs: tuple, n: int) -> int:
    return len(xs) - _clamp(n, len(xs))


def _slice_cost(xs: tuple, i: int, j: int) -> int:
    n = len(xs)
    return max(0, _clamp(j, n) - _clamp(i, n))


def _sum_cost(xs: tuple) -> int:
    """One step per item, plus one per 64-bit word of a big one (as for `+`): what adding, comparing or hashing
    the items reads (sum, min, max, from_bits)."""
    return len(xs) + sum([x.bit_length() for x in xs if not -_WORD < x < _WORD]) // WORD_BITS


def _search_cost(xs: tuple, v: object) -> int:
    """One step per item; against a big Int v, plus the words of the big items (an equality test reads up to
    the shorter one's words, and a big v is one word at least, so a small item costs one step)."""
    if v.__class__ is int and not -_WORD < v < _WORD:
        return _sum_cost(xs)
    return len(xs)


def _zip_cost(xs: tuple, ys: tuple) -> int:
    return min(len(xs), len(ys))


def _cons_cost(x: object, xs: tuple) -> int:
    return len(xs) + 1


def _append_cost(xs: tuple, x: object) -> int:
    return len(xs) + 1


def _pad_cost(xs: tuple, n: int, v: object) -> int:
    return max(len(xs), n)


def _to_bits_cost(n: int) -> int:
    return n.bit_length() + 1 if n >= 0 else 0


def _to_bits_len_cost(n: int, k: int) -> int:
    return max(0, k)


# --- typing ----------------------------------------------------------------------

def _list_to_item(impl: Impl):
    """List[T] -> T, any T."""
    def typing(ts: tuple[Type, ...]):
        (xs,) = ts
        return (xs.item, impl) if isinstance(xs, ListT) else None
    return typing


def _list_to_list(impl: Impl, items: tuple[type, ...] | None = None):
    """List[T] -> List[T], for any T (or T among `items`)."""
    def typing(ts: tuple[Type, ...]):
        (xs,) = ts
        if isinstance(xs, ListT) and (items is None or isinstance(xs.item, items)):
            return xs, impl
        return None
    return typing


def _list_int_to_list(impl: Impl, arity: int):
    """List[T], Int (, Int) -> List[T]."""
    def typing(ts: tuple[Type, ...]):
        xs, *ns = ts
        if isinstance(xs, ListT) and len(ns) == arity - 1 and all(isinstance(n, IntT) for n in ns):
            return xs, impl
        return None
    return typing


def _ints_to_int(impl: Impl):
    """List[Int] -> Int."""
    def typing(ts: tuple[Type, ...]):
        (xs,) = ts
        return (INT, impl) if xs == ListT(INT) else None
    return typing


def _search_typing(impl: Impl):
    """List[T], T -> Int, for T compared by ==."""
    def typing(ts: tuple[Type, ...]):
        xs, v = ts
        if isinstance(xs, ListT) and xs.item == v and isinstance(v, _EQ_TYPES):
            return INT, impl
        return None
    return typing


def _zip_typing(ts: tuple[Type, ...]):
    xs, ys = ts
    if isinstance(xs, ListT) and isinstance(ys, ListT):
        return ListT(RecordT(((PAIR_FIELDS[0], xs.item), (PAIR_FIELDS[1], ys.item)))), _zip
    return None


def _cons_typing(ts: tuple[Type, ...]):
    x, xs = ts
    return (xs, _cons) if isinstance(xs, ListT) and xs.item == x else None


def _append_typing(ts: tuple[Type, ...]):
    xs, x = ts
    return (xs, _append) if isinstance(xs, ListT) and xs.item == x else None


def _pad_typing(ts: tuple[Type, ...]):
    xs, n, v = ts
    return (xs, _pad) if isinstance(xs, ListT) and isinstance(n, IntT) and xs.item == v else None


def _split_typing(ts: tuple[Type, ...]):
    xs, v = ts
    if isinstance(xs, ListT) and xs.item == v and isinstance(v, _EQ_TYPES):
        return ListT(xs), _split
    return None


def _from_bits_typing(ts: tuple[Type, ...]):
    (xs,) = ts
    return (INT, _from_bits) if isinstance(xs, ListT) and isinstance(xs.item, (IntT, BoolT)) else None


def _to_bits_typing(ts: tuple[Type, ...]):
    return (ListT(INT), _to_bits) if isinstance(ts[0], IntT) else None


def _to_bits_len_typing(ts: tuple[Type, ...]):
    n, k = ts
    return (ListT(INT), _to_bits_len) if isinstance(n, IntT) and isinstance(k, IntT) else None


# Int results that never exceed an operand's size need no overflow check (see PrimSpec.grows).
_SMALL_RESULTS = frozenset(("count", "index_of", "min", "max"))


def _nonempty(xs: tuple) -> bool:
    return len(xs) > 0


def _natural(n: int) -> bool:
    return n >= 0


def _width(n: int, k: int) -> bool:
    return 0 <= k <= MAX_BUILT_LIST


# Where each partial primitive is defined (PrimSpec.defined): a test, not a call.
_DEFINED: dict[str, Callable[..., bool]] = {
    "head": _nonempty, "last": _nonempty, "min": _nonempty, "max": _nonempty, "tail": _nonempty, "pop": _nonempty,
    "to_bits": _natural, "to_bits_len": _width,
}


def _lib(op: str, arity: int, typing, doc: str, signature: str, cost=None) -> PrimSpec:
    return PrimSpec(
        op, arity, "call", 9, typing, doc, profile="list", cost=cost, signature=signature,
        grows=op not in _SMALL_RESULTS, defined=_DEFINED.get(op),
    )


LIBRARY_SPECS: tuple[PrimSpec, ...] = (
    _lib("head", 1, _list_to_item(_head), "the first item; error on an empty list", "List[T] -> T"),
    _lib("last", 1, _list_to_item(_last), "the last item; error on an empty list", "List[T] -> T"),
    _lib("take", 2, _list_int_to_list(_take, 2), "the first n items (all if n >= len, none if n <= 0)", "List[T], Int -> List[T]", _take_cost),
    _lib("drop", 2, _list_int_to_list(_drop, 2), "all but the first n items (n clamped to 0..len)", "List[T], Int -> List[T]", _drop_cost),
    _lib("slice", 3, _list_int_to_list(_slice, 3), "items i..j-1, both bounds clamped to 0..len", "List[T], Int, Int -> List[T]", _slice_cost),
    _lib("count", 2, _search_typing(_count), "how many items equal v", "List[T], T -> Int", _search_cost),
    _lib("index_of", 2, _search_typing(_index_of), "the first position of v, or -1 if absent", "List[T], T -> Int", _search_cost),
    _lib("min", 1, _ints_to_int(_min), "the smallest item; error on an empty list", "List[Int] -> Int", _sum_cost),
    _lib("max", 1, _ints_to_int(_max), "the largest item; error on an empty list", "List[Int] -> Int", _sum_cost),
    _lib("sum", 1, _ints_to_int(sum), "the sum of the items (0 for an empty list)", "List[Int] -> Int", _sum_cost),
    _lib("zip", 2, _zip_typing, "items paired index-wise, as long as the shorter list", "List[A], List[B] -> List[{fst: A, snd: B}]", _zip_cost),
    _lib("cons", 2, _cons_typing, "x put in front of xs", "T, List[T] -> List[T]", _cons_cost),
    _lib("append", 2, _append_typing, "x added at the end of xs (a stack's push)", "List[T], T -> List[T]", _append_cost),
    _lib("pad", 3, _pad_typing, "xs followed by copies of v up to length n (xs if already that long)", "List[T], Int, T -> List[T]", _pad_cost),
    _lib("split", 2, _split_typing, "the parts of xs between the v's (as str.split)", "List[T], T -> List[List[T]]", _len_cost),
    _lib("tail", 1, _list_to_list(_tail), "all but the first item; error on an empty list", "List[T] -> List[T]", _len_cost),
    _lib("pop", 1, _list_to_list(_pop), "all but the last item (a stack's pop); error on an empty list", "List[T] -> List[T]", _len_cost),
    _lib("sort", 1, _list_to_list(_sort, _ORDERED), "the items in ascending order", "List[T] -> List[T], T in Int, Bool, Sym", _len_cost),
    _lib("reverse", 1, _list_to_list(_reverse), "the items in reverse order", "List[T] -> List[T]", _len_cost),
    _lib("from_bits", 1, _from_bits_typing, "the number a little-endian bit list stands for", "List[Int] or List[Bool] -> Int", _sum_cost),
    _lib("to_bits", 1, _to_bits_typing, "the shortest little-endian bits of n >= 0 (to_bits(0) = [0])", "Int -> List[Int]", _to_bits_cost),
    _lib("to_bits_len", 2, _to_bits_len_typing, "exactly k little-endian bits of n mod 2**k", "Int, Int -> List[Int]", _to_bits_len_cost),
)
