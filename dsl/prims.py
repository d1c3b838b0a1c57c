"""The table of generic primitives: their types, syntax and meaning.

One table serves the type checker, the interpreter, the printer, the parser
and the synthesizer's grammar and banks, so they cannot disagree. This module
holds the core primitives (arithmetic, comparison, boolean logic, list length
and range, group operations) and registers the list library of dsl.library
beside them. Every primitive is generic; none solves a task family by itself.
Adding one is one PrimSpec here or there: the grammar's `NAME(args)` call
syntax, the checker and the search pick it up from the table.
"""

from __future__ import annotations

import operator

from dsl.errors import DslRuntimeError
from dsl.groups import Elem
from dsl.library import LIBRARY_SPECS
from dsl.limits import MAX_BUILT_LIST, describe_int
from dsl.primspec import Impl, PrimSpec
from dsl.types import BOOL, ELEM, INT, BoolT, ElemT, IntT, ListT, SymT, Type

__all__ = ["CORE_PRIMS", "MAX_RANGE", "PRIMS", "PrimSpec"]

MAX_RANGE = MAX_BUILT_LIST


def _div(a: int, b: int) -> int:
    if b == 0:
        raise DslRuntimeError("division by zero")
    return a // b


def _mod(a: int, b: int) -> int:
    if b == 0:
        raise DslRuntimeError("mod by zero")
    return a % b


def _range(n: int) -> tuple[int, ...]:
    if n > MAX_RANGE:
        raise DslRuntimeError(f"range({describe_int(n)}) is larger than the limit {MAX_RANGE:,}")
    return tuple(range(n))


def _compose(a: Elem, b: Elem) -> Elem:
    g = a.group
    table = g.products
    if table is not None and b.group is g:  # every LEGO rule body composes once per clause
        return table[a.index][b.index]
    return g.compose(a, b)


def _inv(a: Elem) -> Elem:
    return a.group.inverse(a)


def _identity(a: Elem) -> Elem:
    return a.group.identity


def _act(a: Elem, p: int) -> int:
    return a.group.act(a, p)


_EQ_TYPES = (IntT, BoolT, SymT, ElemT)


def _ints(impl: Impl, result: Type = INT):
    def typing(ts: tuple[Type, ...]):
        return (result, impl) if all(isinstance(t, IntT) for t in ts) else None
    return typing


def _bools(impl: Impl):
    def typing(ts: tuple[Type, ...]):
        return (BOOL, impl) if all(isinstance(t, BoolT) for t in ts) else None
    return typing


def _plus(ts: tuple[Type, ...]):
    a, b = ts
    if isinstance(a, IntT) and isinstance(b, IntT):
        return INT, operator.add
    if isinstance(a, ListT) and a == b:
        return a, operator.add
    return None


def _times(ts: tuple[Type, ...]):
    a, b = ts
    if isinstance(a, IntT) and isinstance(b, IntT):
        return INT, operator.mul
    if isinstance(a, ElemT) and isinstance(b, ElemT):
        return ELEM, _compose
    return None


def _equality(impl: Impl):
    def typing(ts: tuple[Type, ...]):
        a, b = ts
        return (BOOL, impl) if a == b and isinstance(a, _EQ_TYPES) else None
    return typing


def _xor(ts: tuple[Type, ...]):
    a, b = ts
    if isinstance(a, BoolT) and isinstance(b, BoolT):
        return BOOL, operator.ne
    if isinstance(a, IntT) and isinstance(b, IntT):
        return INT, operator.xor
    return None


def _nonzero_divisor(a: int, b: int) -> bool:
    return b != 0


def _on_a_point(a: Elem, p: int) -> bool:
    return 0 <= p < a.group.degree


def _concat_cost(a: tuple, b: tuple) -> int:
    return len(a) + len(b)


def _range_cost(n: int) -> int:
    return max(n, 0)


def _len(ts: tuple[Type, ...]):
    return (INT, len) if isinstance(ts[0], ListT) else None


def _elem_fn(impl: Impl):
    def typing(ts: tuple[Type, ...]):
        return (ELEM, impl) if isinstance(ts[0], ElemT) else None
    return typing


def _act_typing(ts: tuple[Type, ...]):
    a, p = ts
    return (INT, _act) if isinstance(a, ElemT) and isinstance(p, IntT) else None


def _range_typing(ts: tuple[Type, ...]):
    return (ListT(INT), _range) if isinstance(ts[0], IntT) else None


_SPECS = [
    PrimSpec("or", 2, "infix", 1, _bools(lambda a, b: a or b), "boolean or"),
    PrimSpec("xor", 2, "infix", 1, _xor, "exclusive or on Bool, bitwise on Int"),  # -(2**k - 1) xor 1 is -2**k: one bit more
    PrimSpec("and", 2, "infix", 2, _bools(lambda a, b: a and b), "boolean and"),
    PrimSpec("not", 1, "prefix", 3, _bools(operator.not_), "boolean negation"),
    PrimSpec("==", 2, "infix", 4, _equality(operator.eq), "equality on Int, Bool, Sym, Elem"),
    PrimSpec("!=", 2, "infix", 4, _equality(operator.ne), "inequality on Int, Bool, Sym, Elem"),
    PrimSpec("<", 2, "infix", 4, _ints(operator.lt, BOOL), "integer comparison"),
    PrimSpec("<=", 2, "infix", 4, _ints(operator.le, BOOL), "integer comparison"),
    PrimSpec(">", 2, "infix", 4, _ints(operator.gt, BOOL), "integer comparison"),
    PrimSpec(">=", 2, "infix", 4, _ints(operator.ge, BOOL), "integer comparison"),
    PrimSpec("+", 2, "infix", 5, _plus, "integer addition; list concatenation", cost=_concat_cost),
    PrimSpec("-", 2, "infix", 5, _ints(operator.sub), "integer subtraction"),
    PrimSpec("*", 2, "infix", 6, _times, "integer product; group composition (a * b: b acts first)"),
    PrimSpec("/", 2, "infix", 6, _ints(_div), "floor division", grows=False, defined=_nonzero_divisor),
    PrimSpec("mod", 2, "infix", 6, _ints(_mod), "remainder, with the sign of the divisor", grows=False, defined=_nonzero_divisor),
    PrimSpec("neg", 1, "prefix", 7, _ints(operator.neg), "integer negation, written -x", grows=False),
    PrimSpec("len", 1, "call", 9, _len, "length of a list", grows=False),
    PrimSpec("range", 1, "call", 9, _range_typing, "the list 0, 1, ..., n-1", cost=_range_cost),
    PrimSpec("inv", 1, "call", 9, _elem_fn(_inv), "group inverse"),
    PrimSpec("identity", 1, "call", 9, _elem_fn(_identity), "the identity of the argument's group"),
    PrimSpec("act", 2, "call", 9, _act_typing, "a group element acting on a point 0..degree-1", grows=False, defined=_on_a_point),
]

CORE_PRIMS: tuple[str, ...] = tuple(s.op for s in _SPECS)
"""The core profile's primitives: today's generic ones, in the search's order."""

PRIMS: dict[str, PrimSpec] = {s.op: s for s in [*_SPECS, *LIBRARY_SPECS]}
"""Every primitive of the language, core and list library; checker, interpreter, printer, parser and search read it."""

if len(PRIMS) != len(_SPECS) + len(LIBRARY_SPECS):  # pragma: no cover - a programming error
    raise RuntimeError("two primitives share a name")
