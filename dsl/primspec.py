"""What a primitive is: one `PrimSpec` gives its name, syntax, typing, cost and meaning.

The table built from these specs (dsl.prims.PRIMS) is the one source the type
checker, interpreter, printer, parser and the search's banks read, so they
cannot disagree. Two rules hold for every primitive, whoever calls it:

- an Int result is bounded: `typing` hands out implementations that raise
  "integer overflow" beyond dsl.limits.MAX_INT_BITS (see `bounded`), unless
  the spec declares that its result never outgrows its operands (`grows`);
- a primitive that reads or builds a list states its `cost`, the number of
  elements it touches, computed from its arguments before it runs: the
  interpreter charges it as fuel, the search uses it to refuse materializing
  huge lists.

Two declarations only make callers faster, never change a value: `defined`
(where a partial primitive succeeds, tested without raising) and `grows`;
tests/synth/search/test_semantics.py holds every primitive to them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from dsl.errors import DslRuntimeError
from dsl.limits import MAX_INT_BITS
from dsl.types import IntT, Type

Impl = Callable[..., object]
Typing = Callable[[tuple[Type, ...]], "tuple[Type, Impl] | None"]

_HI = 1 << MAX_INT_BITS
_LO = -_HI


def overflow(op: str, value: int) -> DslRuntimeError:
    return DslRuntimeError(
        f"integer overflow: the result of {op!r} has {value.bit_length():,} bits, "
        f"more than the limit of {MAX_INT_BITS:,} (dsl.limits.MAX_INT_BITS)"
    )


def bounded(impl: Impl, op: str, arity: int) -> Impl:
    """`impl`, refusing an integer result of more than MAX_INT_BITS bits."""
    lo, hi = _LO, _HI
    if arity == 2:
        def checked2(a: object, b: object) -> object:
            v = impl(a, b)
            if lo < v < hi:  # type: ignore[operator]
                return v
            raise overflow(op, v)  # type: ignore[arg-type]
        return checked2

    def checked(*args: object) -> object:
        v = impl(*args)
        if lo < v < hi:  # type: ignore[operator]
            return v
        raise overflow(op, v)  # type: ignore[arg-type]
    return checked


@dataclass(frozen=True)
class PrimSpec:
    """One primitive. `typing` maps argument types to (result type, implementation), or None if ill-typed.

    `profile` names the grammar profile that introduces it ("core" or "list");
    `cost`, if given, is the fuel a call takes, from its argument values (the
    elements it reads or builds), charged before it runs. `defined`, if
    given, tells without raising whether a call succeeds (the search marks
    ERROR with it instead of catching an exception, which is much slower);
    the implementation still raises the runtime error itself.
    """

    op: str
    arity: int
    syntax: str  # "infix", "prefix" or "call"
    precedence: int  # for infix/prefix printing: higher binds tighter
    typing: Typing
    doc: str
    profile: str = "core"
    cost: Callable[..., int] | None = None
    signature: str = ""  # for documentation, e.g. "List[T] -> T"
    grows: bool = True  # False: an Int result is never larger than the largest Int operand
    defined: Callable[..., bool] | None = None  # a cheap test of the arguments: False where the primitive raises

    def __post_init__(self) -> None:
        # Every Int result that can outgrow its operands is bounded here, once,
        # so no caller can forget it. A primitive that cannot (len, mod, xor,
        # min, ...) needs no check: operands within the bound give a result
        # within it, so no chain of operations can run away.
        raw, op, arity = self.typing, self.op, self.arity
        object.__setattr__(self, "_raw_typing", raw)
        if not self.grows:
            return

        def typing(ts: tuple[Type, ...]) -> tuple[Type, Impl] | None:
            r = raw(ts)
            if r is not None and isinstance(r[0], IntT):
                return r[0], bounded(r[1], op, arity)
            return r

        object.__setattr__(self, "typing", typing)

    def unchecked(self, arg_types: tuple[Type, ...]) -> Impl:
        """The implementation without the overflow check.

        For callers that know the result is far inside MAX_INT_BITS, e.g. the
        interpreter when every Int operand fits in one machine word: a
        primitive on Int operands alone gives at most a few words from them
        (a power function would not: it would need a `cost` and the checked
        path; tests/synth/search/test_semantics.py would catch the difference).
        """
        r = self._raw_typing(arg_types)  # type: ignore[attr-defined]
        if r is None:
            raise TypeError(f"{self.op} is not defined on {arg_types}")
        return r[1]

    def result_type(self, arg_types: tuple[Type, ...]) -> Type | None:
        r = self.typing(arg_types)
        return None if r is None else r[0]

    def impl(self, arg_types: tuple[Type, ...]) -> Impl:
        r = self.typing(arg_types)
        if r is None:
            raise TypeError(f"{self.op} is not defined on {arg_types}")
        return r[1]
