"""The four regular tasks (DeepMind's tasks/regular/): one class-index output each.

Each task's generator labels its draws the way the code does (vectorised over
the batch); the reference recomputes the label another way, and a test holds
the two equal.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from dsl.types import INT
from tasks.sequence.spec import MOD, Drawn, SequenceTask, rows, uniform_tokens

# --- parity_check -----------------------------------------------------------


def parity_check(xs: Sequence[int]) -> int:
    """1 iff the number of 1s is odd."""
    odd = 0
    for x in xs:
        odd ^= x
    return odd


def _gen_parity(rng: np.random.Generator, length: int, count: int) -> list[Drawn]:
    arr = uniform_tokens(rng, 2, length, count)
    return [Drawn(xs, y) for xs, y in zip(rows(arr), (arr.sum(axis=1) % 2).tolist())]


PARITY_CHECK = SequenceTask(
    "parity_check", "regular", 2, INT, parity_check, _gen_parity, classes=2,
    differences=("None found: tokens 0/1, class 1 iff the count of 1s is odd, as in the text.",),
)

# --- even_pairs -------------------------------------------------------------


def even_pairs(xs: Sequence[int]) -> int:
    """Class of the number of unequal neighbours mod 2: 1 iff the first and last tokens differ."""
    return int(bool(xs) and xs[0] != xs[-1])


def _gen_even_pairs(rng: np.random.Generator, length: int, count: int) -> list[Drawn]:
    arr = uniform_tokens(rng, 2, length, count)
    odd = (arr[:, :-1] != arr[:, 1:]).sum(axis=1) % 2
    return [Drawn(xs, y) for xs, y in zip(rows(arr), odd.tolist())]


EVEN_PAIRS = SequenceTask(
    "even_pairs", "regular", 2, INT, even_pairs, _gen_even_pairs, classes=2,
    differences=(
        "None in substance. The class encodes the yes/no answer as the code does: class 0 when the number "
        "of unequal neighbours ('01' or '10') is even, 1 when odd, which is 1 exactly when the first and "
        "last tokens differ. The empty and one-token strings have no pair: class 0.",
    ),
)

# --- cycle_navigation -------------------------------------------------------

STEP = {0: -1, 1: 0, 2: +1}  # the code moves by token - 1


def cycle_navigation(xs: Sequence[int]) -> int:
    """Final position on a cycle of 5 starting at 0."""
    pos = 0
    for x in xs:
        pos = (pos + STEP[x]) % MOD
    return pos


def _gen_cycle(rng: np.random.Generator, length: int, count: int) -> list[Drawn]:
    arr = uniform_tokens(rng, 3, length, count)
    return [Drawn(xs, y) for xs, y in zip(rows(arr), ((arr - 1).sum(axis=1) % MOD).tolist())]


CYCLE_NAVIGATION = SequenceTask(
    "cycle_navigation", "regular", 3, INT, cycle_navigation, _gen_cycle, classes=MOD,
    differences=(
        "Token meanings: the code draws tokens 0, 1, 2 and moves by token - 1, so token 0 = step LEFT, "
        "1 = STAY, 2 = step RIGHT. The class docstring describes the actions as 0 = stay, 1 = right, "
        "-1 = left (the moves, not the tokens), and the paper's text numbers them differently from the "
        "tokens too; we follow the code's tokens.",
    ),
)

# --- modular_arithmetic (the paper's "simple" variant) ----------------------

PLUS, MINUS, TIMES, BLANK = MOD, MOD + 1, MOD + 2, MOD + 3  # '+', '-', '*', '_' in the code's OP_BY_CHARACTER


def modular_arithmetic(xs: Sequence[int]) -> int:
    """Evaluate numbers and operator tokens left to right, '*' before '+'/'-', mod 5."""
    total, term, sign = 0, xs[0], 1
    for i in range(1, len(xs) - 1, 2):
        op, num = xs[i], xs[i + 1]
        if op == TIMES:
            term = term * num
        else:
            total += sign * term
            sign = 1 if op == PLUS else -1
            term = num
    return (total + sign * term) % MOD


def _code_value(expr: list[int]) -> int:
    """The code's evaluation: a - b becomes a + (-b), products of '+'-separated terms, summed."""
    nums = list(expr[0::2])
    ops = list(expr[1::2])
    for k, op in enumerate(ops):
        if op == MINUS:
            nums[k + 1] = -nums[k + 1]
    terms = [nums[0]]
    for op, n in zip(ops, nums[1:]):
        if op == TIMES:
            terms[-1] *= n
        else:
            terms.append(n)
    return sum(terms) % MOD


def _gen_modular(rng: np.random.Generator, length: int, count: int) -> list[Drawn]:
    if length % 2 != 1:
        length -= 1
    arr = np.empty((count, length), dtype=np.int64)
    arr[:, 0::2] = rng.integers(0, MOD, size=(count, (length + 1) // 2))
    arr[:, 1::2] = MOD + rng.integers(0, 3, size=(count, length // 2))
    return [Drawn(xs, _code_value(list(xs))) for xs in rows(arr)]


def _check_modular(xs: Sequence[int]) -> str | None:
    if len(xs) % 2 != 1:
        return "an expression has odd length (the code shortens an even length by one)"
    if any(x >= MOD for x in xs[0::2]):
        return "even positions hold numbers 0..4"
    if any(not PLUS <= x <= TIMES for x in xs[1::2]):
        return "odd positions hold operators 5 '+', 6 '-', 7 '*' (the blank '_' = 8 is never drawn)"
    return None


MODULAR_ARITHMETIC = SequenceTask(
    "modular_arithmetic", "regular", MOD + 4, INT, modular_arithmetic, _gen_modular, classes=MOD,
    min_length=1, validate=_check_modular,
    differences=(
        "Tokens: numbers 0..4, then operators 5 '+', 6 '-', 7 '*'; the one-hot width is 9 because the "
        "code also reserves 8 for a blank '_' that it never draws.",
        "Precedence: '*' binds tighter than '+' and '-' (the code rewrites a - b as a + (-b) and "
        "multiplies within '+'-separated terms), which the text's examples agree with.",
        "Length: inputs always have odd length; asked for an even length the code draws one token less.",
        "The code keeps its operator list in a one-shot generator, emptied by the first traced length: every "
        "other length then fails to draw (jax's random.choice over no operators raises); we draw all three "
        "uniformly at every length, as that first trace and the docstring do.",
    ),
)

TASKS = (EVEN_PAIRS, MODULAR_ARITHMETIC, PARITY_CHECK, CYCLE_NAVIGATION)
