"""Bracketed mod-5 expressions as DeepMind's dcf tasks write them, as token lists.

The code's grammar (tasks/dcf/modular_arithmetic_brackets.py):
    E = d | -d | (d) | (-d) | (E op E)        d in 0..4
with exactly the lengths 1, 2, 3, 4 for the four terminal forms and
(E op E) for every length >= 5 (split uniformly). So ((1+2)) or 1+2 never
occur, and a unary minus only ever precedes a digit. Token ids differ between
the two tasks that use it (`Encoding`).

`parse` checks a token list against that grammar and evaluates it over any
value domain without recursion (a shift-reduce stack), so nesting depth is no
limit; `draw_expression` generates as the code does, also without recursion.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

import numpy as np

from tasks.sequence.spec import MOD

V = TypeVar("V")


@dataclass(frozen=True)
class Encoding:
    """Token ids of the non-digit symbols (digits are 0..4)."""

    plus: int
    minus: int
    times: int | None  # None: no '*' in this task's alphabet
    open: int
    close: int
    x: int  # the unknown of solve_equation
    equals: int

    @property
    def binary(self) -> tuple[int, ...]:
        return (self.plus, self.minus) + (() if self.times is None else (self.times,))

    def name(self, tok: int) -> str:
        names = {self.plus: "'+'", self.minus: "'-'", self.open: "'('", self.close: "')'", self.x: "'x'", self.equals: "'='"}
        if self.times is not None:
            names[self.times] = "'*'"
        return names.get(tok, str(tok))


# modular_arithmetic_brackets: alphabet_to_int = + - * ( ) x = from 5 (x and = are never used)
BRACKETS = Encoding(plus=5, minus=6, times=7, open=8, close=9, x=10, equals=11)
# solve_equation: + - ( ) x = from 5, no '*'
EQUATION = Encoding(plus=5, minus=6, times=None, open=7, close=8, x=9, equals=10)


@dataclass(frozen=True)
class Domain(Generic[V]):
    """What the parser computes: a leaf's value, unary minus and the binary operators."""

    leaf: Callable[[int], V]
    neg: Callable[[V], V]
    apply: Callable[[int, V, V], V]  # (operator token, left, right)


class ExprError(ValueError):
    """The token list is not an expression of the grammar; the message says where."""


@dataclass
class _Val(Generic[V]):
    value: V
    terminal: bool  # d or -d: the only things (E) may wrap


_OPEN = object()


def parse(tokens: Sequence[int], enc: Encoding, domain: Domain[V], *, leaves: Sequence[int] = range(MOD)) -> V:
    """The value of `tokens`, or ExprError naming the first position that breaks the grammar."""
    if not tokens:
        raise ExprError("an expression has at least one token")
    leafset = set(leaves)
    stack: list = []
    negate = False
    for pos, t in enumerate(tokens):
        top = stack[-1] if stack else None
        after_value = isinstance(top, _Val)
        if t in leafset:
            if after_value:
                raise ExprError(f"position {pos}: an operand cannot follow an operand")
            v = domain.leaf(t)
            stack.append(_Val(domain.neg(v) if negate else v, True))
            negate = False
        elif t == enc.minus and not after_value and not negate:
            negate = True  # unary: must be followed by a digit
        elif negate:
            raise ExprError(f"position {pos}: a unary '-' is followed by a digit, not {enc.name(t)}")
        elif t in enc.binary:
            if not (after_value and len(stack) >= 2 and stack[-2] is _OPEN):
                raise ExprError(f"position {pos}: an operator stands between '(' + one operand and the other operand")
            stack.append(t)
        elif t == enc.open:
            if after_value:
                raise ExprError(f"position {pos}: '(' cannot follow an operand")
            stack.append(_OPEN)
        elif t == enc.close:
            if len(stack) >= 2 and stack[-2] is _OPEN and isinstance(top, _Val) and top.terminal:
                stack[-2:] = [_Val(top.value, False)]
            elif len(stack) >= 4 and stack[-4] is _OPEN and isinstance(top, _Val) and isinstance(stack[-3], _Val):
                left, op = stack[-3], stack[-2]
                stack[-4:] = [_Val(domain.apply(op, left.value, top.value), False)]
            else:
                raise ExprError(f"position {pos}: ')' closes '(d)', '(-d)' or '(E op E)' only")
        else:
            raise ExprError(f"position {pos}: token {enc.name(t)} is not part of an expression")
    if negate:
        raise ExprError("the expression ends with a unary '-'")
    if len(stack) != 1 or not isinstance(stack[0], _Val):
        raise ExprError("unbalanced: the expression does not close")
    return stack[0].value


def mod5(enc: Encoding) -> Domain[int]:
    """Values mod 5."""

    def apply(op: int, a: int, b: int) -> int:
        if op == enc.plus:
            return (a + b) % MOD
        if op == enc.minus:
            return (a - b) % MOD
        return (a * b) % MOD

    return Domain(leaf=lambda d: d, neg=lambda v: -v % MOD, apply=apply)


def draw_expression(rng: np.random.Generator, length: int, enc: Encoding, mult: bool) -> tuple[list[int], int]:
    """A random expression of exactly `length` tokens and its value mod 5, drawn as the code draws it.

    Terminal forms for lengths 1-4; otherwise a left length uniform in 1..length-4,
    the right one the rest, and an operator uniform over + - (and * if `mult`).
    """
    tokens: list[int] = []
    postfix: list[tuple[str, int]] = []
    work: list[tuple[str, int]] = [("expr", length)]
    while work:
        kind, n = work.pop()
        if kind == "tok":
            tokens.append(n)
        elif kind == "apply":
            postfix.append(("op", n))
        elif n <= 4:
            d = int(rng.integers(0, MOD))
            negated = n in (2, 4)
            body = [enc.minus, d] if negated else [d]
            tokens.extend([enc.open, *body, enc.close] if n >= 3 else body)
            postfix.append(("num", -d % MOD if negated else d))
        else:
            left = int(rng.integers(1, n - 3))
            op = enc.binary[int(rng.integers(0, 3 if mult else 2))]
            work.extend(reversed([("tok", enc.open), ("expr", left), ("tok", op), ("expr", n - left - 3), ("apply", op), ("tok", enc.close)]))
    return tokens, _run_postfix(postfix, enc)


def _run_postfix(postfix: list[tuple[str, int]], enc: Encoding) -> int:
    values: list[int] = []
    for kind, n in postfix:
        if kind == "num":
            values.append(n)
            continue
        b, a = values.pop(), values.pop()
        values.append((a + b) % MOD if n == enc.plus else (a - b) % MOD if n == enc.minus else (a * b) % MOD)
    return values[0]
