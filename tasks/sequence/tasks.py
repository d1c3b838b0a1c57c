"""The sequence tasks: alphabets, reference outputs and seeded generators.

Inputs are token lists ``xs: List[Int]`` (the DeepMind code's integer tokens,
before one-hot encoding); outputs are a class index (Int) or a token list.

parity_check (regular)
    xs in {0,1}; output sum(xs) mod 2 (class 1 iff the number of 1s is odd).
cycle_navigation (regular)
    xs in {0,1,2}; output sum(x - 1) mod 5. The code draws tokens 0..2 and
    moves by token - 1, so token 0 = step left, 1 = stay, 2 = step right;
    the class docstring instead speaks of actions 0 (stay), 1 (right) and
    -1 (left), i.e. the moves, not the tokens. We follow the code's tokens.
even_pairs (regular)
    xs in {0,1}; output (number of adjacent unequal pairs, "01" or "10")
    mod 2, as the code computes: class 0 when that number is even. This is
    1 iff the first and last tokens differ; the empty and one-token strings
    give 0.
reverse_string (deterministic context-free)
    xs in {0,1} (the paper uses binary strings); output the reversed list.
modular_arithmetic (regular; the code's "simple" variant, modulus 5)
    xs alternates numbers 0..4 and operators encoded as 5 + index in
    ('+', '-', '*'), i.e. 5 = '+', 6 = '-', 7 = '*'; odd length (an even
    length is reduced by one, as in the code). Output the value mod 5 with
    '*' binding tighter than '+'/'-' (the code rewrites a - b as a + (-b)
    before multiplying, which is the same value).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from dsl.errors import UserError
from dsl.types import INT, ListT, Type
from dsl.values import Value
from tasks.core import Example

MOD = 5
OPS = {"+": 0, "-": 1, "*": 2}


def parity_check(xs: Sequence[int]) -> int:
    return sum(xs) % 2


def cycle_navigation(xs: Sequence[int]) -> int:
    return sum(x - 1 for x in xs) % MOD


def even_pairs(xs: Sequence[int]) -> int:
    return sum(1 for a, b in zip(xs, xs[1:]) if a != b) % 2


def reverse_string(xs: Sequence[int]) -> tuple[int, ...]:
    return tuple(reversed(xs))


def modular_arithmetic(xs: Sequence[int]) -> int:
    """Evaluate numbers and operator tokens with the usual precedence, mod 5."""
    total, term, sign = 0, xs[0], 1
    for i in range(1, len(xs) - 1, 2):
        op, num = xs[i] - MOD, xs[i + 1]
        if op == OPS["*"]:
            term = term * num
        else:
            total += sign * term
            sign = 1 if op == OPS["+"] else -1
            term = num
    return (total + sign * term) % MOD


@dataclass(frozen=True)
class SequenceTask:
    """One sequence task: its alphabet, its reference function and how to sample inputs."""

    name: str
    alphabet: int  # tokens 0..alphabet-1
    output_type: Type
    reference: Callable[[Sequence[int]], Value]
    sample: Callable[[np.random.Generator, int, int], np.ndarray] | None = None
    input_types: tuple[tuple[str, Type], ...] = (("xs", ListT(INT)),)
    classes: int | None = None  # output classes 0..classes-1, for a class-index output

    def inputs(self, rng: np.random.Generator, length: int, count: int) -> list[tuple[int, ...]]:
        if self.sample is not None:
            arr = self.sample(rng, length, count)
        else:
            arr = rng.integers(0, self.alphabet, size=(count, length))
        return [tuple(row) for row in arr.tolist()]

    def examples(self, length: int, count: int, seed: int) -> list:
        """`count` examples of list length `length`, deterministic per seed."""
        rng = np.random.default_rng(seed)
        return [Example({"xs": xs}, self.reference(xs)) for xs in self.inputs(rng, length, count)]

    def check_input(self, xs: Sequence[int]) -> str | None:
        """Why `xs` is not an input of this task, or None."""
        bad = [x for x in xs if not 0 <= x < self.alphabet]
        if bad:
            return f"token {bad[0]} is outside 0..{self.alphabet - 1}"
        if self.name == "modular_arithmetic":
            if len(xs) % 2 != 1:
                return "an expression must have odd length"
            if any(x >= MOD for x in xs[0::2]) or any(x < MOD for x in xs[1::2]):
                return "numbers (0..4) and operators (5..7) must alternate"
        return None


def _sample_modular(rng: np.random.Generator, length: int, count: int) -> np.ndarray:
    if length % 2 != 1:
        length -= 1
    length = max(length, 1)
    out = np.empty((count, length), dtype=np.int64)
    out[:, 0::2] = rng.integers(0, MOD, size=(count, (length + 1) // 2))
    out[:, 1::2] = MOD + rng.integers(0, len(OPS), size=(count, length // 2))
    return out


SEQUENCE_TASKS: dict[str, SequenceTask] = {
    t.name: t
    for t in (
        SequenceTask("parity_check", 2, INT, parity_check, classes=2),
        SequenceTask("cycle_navigation", 3, INT, cycle_navigation, classes=MOD),
        SequenceTask("even_pairs", 2, INT, even_pairs, classes=2),
        SequenceTask("reverse_string", 2, ListT(INT), reverse_string),
        SequenceTask("modular_arithmetic", MOD + len(OPS), INT, modular_arithmetic, _sample_modular, classes=MOD),
    )
}


def get_sequence_task(name: str) -> SequenceTask:
    try:
        return SEQUENCE_TASKS[name]
    except KeyError:
        raise UserError(f"unknown sequence task {name!r} (known: {', '.join(SEQUENCE_TASKS)})") from None
