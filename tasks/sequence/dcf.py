"""The four deterministic context-free tasks (DeepMind's tasks/dcf/)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from dsl.types import INT, ListT
from tasks.sequence.expr import (
    BRACKETS,
    EQUATION,
    Domain,
    ExprError,
    draw_expression,
    mod5,
    parse,
)
from tasks.sequence.spec import MOD, Drawn, SequenceTask, rows, uniform_tokens

# --- stack_manipulation -----------------------------------------------------

POP, PUSH0, PUSH1 = 2, 3, 4
END = 2  # the termination token of outputs with one


def stack_manipulation(xs: Sequence[int]) -> tuple[int, ...]:
    """The final stack, top first, then END, then 0s up to len(xs) + 1 tokens."""
    cut = next((i for i, x in enumerate(xs) if x >= POP), len(xs))
    stack = list(xs[:cut])
    for action in xs[cut:]:
        if action == POP:
            if stack:
                del stack[-1]
        else:
            stack.append(action - PUSH0)
    top_first = stack[::-1]
    return tuple(top_first + [END] + [0] * (len(xs) - len(top_first)))


def _gen_stack(rng: np.random.Generator, length: int, count: int) -> list[Drawn]:
    out = []
    for _ in range(count):
        if length == 1:
            bit = int(rng.integers(0, 2))
            xs, final = [bit], [bit]
        else:
            size = int(rng.integers(1, length))
            xs = rng.integers(0, 2, size=size).tolist() + rng.integers(POP, PUSH1 + 1, size=length - size).tolist()
            final = xs[:size]
            for a in xs[size:]:
                if a == POP:
                    final = final[:-1]
                else:
                    final = final + [a - PUSH0]
        result = final[::-1] + [END]
        out.append(Drawn(tuple(xs), tuple(result + [0] * (length + 1 - len(result)))))
    return out


def _check_stack(xs: Sequence[int]) -> str | None:
    if xs[0] >= POP:
        return "the input starts with the stack, at least one bit 0/1"
    cut = next((i for i, x in enumerate(xs) if x >= POP), len(xs))
    if any(x < POP for x in xs[cut:]):
        return f"position {cut + [x < POP for x in xs[cut:]].index(True)}: a stack bit after the first action"
    if len(xs) >= 2 and cut == len(xs):
        return "an input of two or more tokens has at least one action (2 POP, 3 PUSH 0, 4 PUSH 1)"
    return None


STACK_MANIPULATION = SequenceTask(
    "stack_manipulation", "dcf", 5, ListT(INT), stack_manipulation, _gen_stack,
    output_alphabet=3, output_length=lambda n: n + 1, termination=END, min_length=1, validate=_check_stack,
    differences=(
        "Tokens: stack bits 0/1 given bottom to top, then actions 2 = POP, 3 = PUSH 0, 4 = PUSH 1; a POP on "
        "an empty stack does nothing.",
        "Output: the final stack top to bottom, then the termination token 2, then 0s up to input length + 1 "
        "tokens; accuracy counts tokens up to and including the termination token.",
        "Lengths: the stack takes 1..n-1 tokens (uniform) and the actions the rest; a one-token input is a "
        "lone stack bit with no action.",
    ),
)

# --- reverse_string ---------------------------------------------------------


def reverse_string(xs: Sequence[int]) -> tuple[int, ...]:
    return tuple(xs[len(xs) - 1 - i] for i in range(len(xs)))


def _gen_reverse(rng: np.random.Generator, length: int, count: int) -> list[Drawn]:
    arr = uniform_tokens(rng, 2, length, count)
    return [Drawn(xs, ys) for xs, ys in zip(rows(arr), rows(arr[:, ::-1]))]


REVERSE_STRING = SequenceTask(
    "reverse_string", "dcf", 2, ListT(INT), reverse_string, _gen_reverse,
    output_alphabet=2, output_length=lambda n: n,
    differences=("None found: binary strings (vocabulary 2, as in the paper), output reversed, no termination token.",),
)

# --- modular_arithmetic_brackets ----------------------------------------------


def modular_arithmetic_brackets(xs: Sequence[int]) -> int:
    return parse(xs, BRACKETS, mod5(BRACKETS))


def _gen_brackets(rng: np.random.Generator, length: int, count: int) -> list[Drawn]:
    return [Drawn(tuple(t), v) for t, v in (draw_expression(rng, length, BRACKETS, mult=True) for _ in range(count))]


def _check_expression(xs: Sequence[int]) -> str | None:
    try:
        parse(xs, BRACKETS, mod5(BRACKETS))
    except ExprError as err:
        return str(err)
    return None


MODULAR_ARITHMETIC_BRACKETS = SequenceTask(
    "modular_arithmetic_brackets", "dcf", MOD + 6, INT, modular_arithmetic_brackets, _gen_brackets,
    classes=MOD, min_length=1, validate=_check_expression,
    differences=(
        "Tokens: digits 0..4, 5 '+', 6 '-', 7 '*', 8 '(', 9 ')'; the one-hot width is 11 and token 10 ('x') "
        "is never drawn.",
        "The paper's runs use '*' (experiments/constants.py builds the task with mult=True, though the "
        "class default is mult=False).",
        "Grammar of the generator: d, -d, (d), (-d) for lengths 1-4, else (E op E) with the left length "
        "uniform in 1..n-4. Every binary operation is bracketed; a unary minus only precedes a digit; ((E)) "
        "never occurs. Inputs outside this grammar are rejected.",
        "The code draws from numpy's global random state (it ignores the rng it is given); we draw the same "
        "distribution from the seeded generator.",
    ),
)

# --- solve_equation -------------------------------------------------------------


def _linear(enc) -> Domain[tuple[int, int]]:
    """c*x + k mod 5, as the pair (c, k)."""

    def leaf(t: int) -> tuple[int, int]:
        return (1, 0) if t == enc.x else (0, t)

    def apply(op: int, a: tuple[int, int], b: tuple[int, int]) -> tuple[int, int]:
        s = 1 if op == enc.plus else -1
        return ((a[0] + s * b[0]) % MOD, (a[1] + s * b[1]) % MOD)

    return Domain(leaf=leaf, neg=lambda v: (-v[0] % MOD, -v[1] % MOD), apply=apply)


def solve_equation(xs: Sequence[int]) -> int:
    """The x with LHS(x) = RHS mod 5; inputs shorter than 3 are the code's all-zero filler, class 0."""
    if len(xs) < 3:
        return 0
    c, k = parse(xs[:-2], EQUATION, _linear(EQUATION), leaves=(*range(MOD), EQUATION.x))
    return (xs[-1] - k) * pow(c, -1, MOD) % MOD


def _gen_equation(rng: np.random.Generator, length: int, count: int) -> list[Drawn]:
    if length < 3:
        return [Drawn((0,) * length, 0) for _ in range(count)]
    out = []
    for _ in range(count):
        expr, value = draw_expression(rng, length - 2, EQUATION, mult=False)
        idx = int(rng.integers(0, len(expr)))
        while expr[idx] >= MOD:  # the code walks right (cyclically) to the next digit
            idx = (idx + 1) % len(expr)
        solution = expr[idx]
        expr[idx] = EQUATION.x
        out.append(Drawn(tuple(expr + [EQUATION.equals, value]), solution))
    return out


def _check_equation(xs: Sequence[int]) -> str | None:
    if len(xs) < 3:
        return None if not any(xs) else "inputs shorter than 3 are all zeros in the code"
    if xs[-2] != EQUATION.equals or xs[-1] >= MOD:
        return "an equation ends with '=' (10) and a digit 0..4"
    if list(xs[:-2]).count(EQUATION.x) != 1:
        return "the left side holds exactly one unknown 'x' (9)"
    try:
        c, _ = parse(xs[:-2], EQUATION, _linear(EQUATION), leaves=(*range(MOD), EQUATION.x))
    except ExprError as err:
        return f"left side: {err}"
    return None if c else "the left side does not depend on x"


SOLVE_EQUATION = SequenceTask(
    "solve_equation", "dcf", MOD + 6, INT, solve_equation, _gen_equation, classes=MOD, validate=_check_equation,
    differences=(
        "Tokens: digits 0..4, 5 '+', 6 '-', 7 '(', 8 ')', 9 'x', 10 '=' (no '*', so the ids differ from "
        "modular_arithmetic_brackets'); the input is the left side, '=' and the value digit.",
        "No multiplication, so x has exactly one solution mod 5; the left side is a brackets expression of "
        "length n-2 in which one digit was replaced by x (a uniform position, moved right to the next digit "
        "if it is not one, so digits right after long runs of brackets are chosen more often).",
        "Lengths 0, 1, 2: the code returns all-zero inputs with class 0, which we keep.",
        "Like modular_arithmetic_brackets, the code ignores its rng and uses numpy's global state.",
    ),
)

TASKS = (STACK_MANIPULATION, REVERSE_STRING, MODULAR_ARITHMETIC_BRACKETS, SOLVE_EQUATION)
