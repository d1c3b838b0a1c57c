"""The seven context-sensitive tasks (DeepMind's tasks/cs/)."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from dsl.types import INT, ListT
from tasks.sequence.spec import Drawn, SequenceTask, nonzero_bits, rows, uniform_tokens

END = 2  # termination token of binary_addition / binary_multiplication outputs; also their '+'/'*' input token

# --- duplicate_string -----------------------------------------------------------


def duplicate_string(xs: Sequence[int]) -> tuple[int, ...]:
    return tuple(xs[i % len(xs)] for i in range(2 * len(xs)))


def _gen_duplicate(rng: np.random.Generator, length: int, count: int) -> list[Drawn]:
    arr = uniform_tokens(rng, 2, length, count)
    return [Drawn(xs, ys) for xs, ys in zip(rows(arr), rows(np.concatenate([arr, arr], axis=1)))]


DUPLICATE_STRING = SequenceTask(
    "duplicate_string", "cs", 2, ListT(INT), duplicate_string, _gen_duplicate,
    output_alphabet=2, output_length=lambda n: 2 * n,
    differences=("None found: binary strings, output ww without separator or termination token.",),
)

# --- missing_duplicate_string -------------------------------------------------------

HOLE, PAD = 2, 3


def missing_duplicate_string(xs: Sequence[int]) -> int:
    """The bit hidden under the hole, read from the other copy."""
    if len(xs) == 1:
        return 1
    half = len(xs) // 2
    i = list(xs).index(HOLE)
    return xs[i - half] if i >= half else xs[i + half]


def _gen_missing(rng: np.random.Generator, length: int, count: int) -> list[Drawn]:
    if length == 1:
        return [Drawn((1,), 1) for _ in range(count)]
    half = length // 2
    out = []
    for _ in range(count):
        word = rng.integers(0, 2, size=half).tolist()
        doubled = word + word
        idx = int(rng.integers(0, 2 * half))
        label = doubled[idx]
        doubled[idx] = HOLE
        out.append(Drawn(tuple(doubled + [PAD] * (length % 2)), label))
    return out


def _check_missing(xs: Sequence[int]) -> str | None:
    if len(xs) == 1:
        return None if xs[0] == 1 else "the code's only one-token input is [1]"
    half = len(xs) // 2
    body = list(xs[: 2 * half])
    if list(xs[2 * half:]) != [PAD] * (len(xs) % 2) or PAD in body:
        return "the pad token 3 appears once, at the end, exactly when the length is odd"
    if body.count(HOLE) != 1:
        return "exactly one token is the hole 2"
    hole = body.index(HOLE)
    for i in range(half):
        if i != hole % half and body[i] != body[i + half]:
            return f"the two halves differ at position {i} (not the hole)"
    return None


MISSING_DUPLICATE_STRING = SequenceTask(
    "missing_duplicate_string", "cs", 4, INT, missing_duplicate_string, _gen_missing,
    classes=2, min_length=1, validate=_check_missing,
    differences=(
        "Tokens: bits 0/1, 2 = the hole, 3 = a pad appended when the length is odd (the word has length n // 2).",
        "Length 1: the code returns input [1] with class 1, which we keep.",
    ),
)

# --- odds_first -------------------------------------------------------------------


def odds_first(xs: Sequence[int]) -> tuple[int, ...]:
    odd = [x for i, x in enumerate(xs) if i % 2 == 1]
    even = [x for i, x in enumerate(xs) if i % 2 == 0]
    return tuple(odd + even)


def _gen_odds(rng: np.random.Generator, length: int, count: int) -> list[Drawn]:
    arr = uniform_tokens(rng, 2, length, count)
    return [Drawn(xs, ys) for xs, ys in zip(rows(arr), rows(np.concatenate([arr[:, 1::2], arr[:, 0::2]], axis=1)))]


ODDS_FIRST = SequenceTask(
    "odds_first", "cs", 2, ListT(INT), odds_first, _gen_odds,
    output_alphabet=2, output_length=lambda n: n,
    differences=(
        "Order: the paper and the code's docstring write s1 s3 s5 ... s2 s4 ... (1-based odd positions "
        "first); the code outputs "
        "xs[1::2] + xs[0::2], i.e. the 0-based odd positions first: s2 s4 s6 ... s1 s3 s5 .... "
        "We follow the code. (The code's own docstring examples, 00110101 -> 0100 0111 and 110 -> 10 1, "
        "follow the text, not the code, which gives 0111 0100 and 1 10.)",
    ),
)

# --- binary numbers ---------------------------------------------------------------


def le_bits(n: int) -> list[int]:
    """Little-endian bits without trailing (most significant) zeros; 0 is [0]."""
    return [int(b) for b in reversed(f"{n:b}")]


def le_value(bits: Sequence[int]) -> int:
    return sum(b << i for i, b in enumerate(bits))


def _operands(xs: Sequence[int]) -> list[Sequence[int]]:
    if END not in xs:
        return [xs]
    i = list(xs).index(END)
    return [xs[:i], xs[i + 1:]]


def _answer(value_bits: list[int], total: int) -> tuple[int, ...]:
    return tuple(value_bits + [END] + [0] * (total - len(value_bits) - 1))


def binary_addition(xs: Sequence[int]) -> tuple[int, ...]:
    """a 2 b (little-endian) -> bits of a + b, 2, zeros: len(xs) + 1 tokens. Short inputs are one number."""
    return _answer(le_bits(sum(le_value(p) for p in _operands(xs))), len(xs) + 1)


def binary_multiplication(xs: Sequence[int]) -> tuple[int, ...]:
    """a 2 b (little-endian) -> bits of a * b, 2, zeros: len(xs) tokens. Inputs of 1-2 tokens: no product."""
    if len(xs) <= 2:
        return _answer([0] * (len(xs) - 1), len(xs))
    a, b = _operands(xs)
    return _answer(le_bits(le_value(a) * le_value(b)), len(xs))


def _gen_binary(op):
    def gen(rng: np.random.Generator, length: int, count: int) -> list[Drawn]:
        out = []
        for _ in range(count):
            if length <= 2:  # the code: one number in 0..2**length - 2, no operator
                n = int(rng.integers(0, 2**length - 1))
                xs = [(n >> i) & 1 for i in range(length)]
                result = le_bits(n) if op is None else [0] * (length - 1)
                total = length + 1 if op is None else length
            else:
                width = int(rng.integers(1, length - 1))
                a, b = nonzero_bits(rng, width), nonzero_bits(rng, length - 1 - width)
                xs = a + [END] + b
                x, y = le_value(a), le_value(b)
                result = le_bits(x + y if op is None else x * y)
                total = length + 1 if op is None else length
            out.append(Drawn(tuple(xs), tuple(result + [END] + [0] * (total - len(result) - 1))))
        return out

    return gen


def _check_binary(xs: Sequence[int]) -> str | None:
    if len(xs) <= 2:
        if END in xs:
            return "inputs of 1 or 2 tokens are one number, without the operator token 2"
        if all(xs):
            return "the code draws short numbers below 2**length - 1, so never all ones"
        return None
    if list(xs).count(END) != 1:
        return "exactly one operator token 2 separates the two numbers"
    a, b = _operands(xs)
    if not a or not b:
        return "both numbers have at least one bit"
    if not any(a) or not any(b):
        return "the code draws both numbers from 1 upwards, never 0"
    return None


BINARY_DIFFERENCES_COMMON = (
    "Input: first number, the token 2 (standing for the operator), second number, both little-endian, each "
    "of 1..n-2 bits with leading zeros allowed (their most significant bits may be 0), each at least 1.",
)

BINARY_ADDITION = SequenceTask(
    "binary_addition", "cs", 3, ListT(INT), binary_addition, _gen_binary(None),
    output_alphabet=3, output_length=lambda n: n + 1, termination=END, min_length=1, validate=_check_binary,
    differences=BINARY_DIFFERENCES_COMMON + (
        "Output: the sum little-endian without trailing zeros, the termination token 2, then 0s to n + 1 "
        "tokens; accuracy counts tokens up to and including the termination token.",
        "Lengths 1 and 2: no operator; the input is one number (0..2**n - 2) and the output that number.",
        "The code's docstring examples (001 + 01101 = 010112000) are one padding token shorter than what it "
        "outputs (n + 1 tokens).",
    ),
)

BINARY_MULTIPLICATION = SequenceTask(
    "binary_multiplication", "cs", 3, ListT(INT), binary_multiplication, _gen_binary("*"),
    output_alphabet=3, output_length=lambda n: n, termination=END, min_length=1, validate=_check_binary,
    differences=BINARY_DIFFERENCES_COMMON + (
        "Output: the product little-endian without trailing zeros, the termination token 2, then 0s to n "
        "tokens (not n + 1 as for addition); masked after the termination token.",
        "Lengths 1 and 2: the input is one number and the output is fixed, [2] and [0, 2], whatever the input.",
    ),
)

# --- compute_sqrt ---------------------------------------------------------------


def compute_sqrt(xs: Sequence[int]) -> tuple[int, ...]:
    """floor(sqrt(n)) of a big-endian number, big-endian in ceil(len/2) bits (bit by bit from the top)."""
    n = 0
    for b in xs:
        n = 2 * n + b
    width = (len(xs) + 1) // 2
    root = 0
    for k in reversed(range(width)):
        if (root | 1 << k) ** 2 <= n:
            root |= 1 << k
    return tuple((root >> (width - 1 - i)) & 1 for i in range(width))


def _gen_sqrt(rng: np.random.Generator, length: int, count: int) -> list[Drawn]:
    out = []
    width = math.ceil(length / 2)
    for _ in range(count):
        bits = nonzero_bits(rng, length)
        root = math.isqrt(int("".join(map(str, bits)), 2))
        out.append(Drawn(tuple(bits), tuple(int(c) for c in f"{root:b}".zfill(width))))
    return out


COMPUTE_SQRT = SequenceTask(
    "compute_sqrt", "cs", 2, ListT(INT), compute_sqrt, _gen_sqrt,
    output_alphabet=2, output_length=lambda n: (n + 1) // 2, min_length=1,
    validate=lambda xs: None if any(xs) else "the code draws numbers from 1 upwards, never 0",
    differences=(
        "Endianness: the code is BIG-endian (most significant bit first) for the input and the output, "
        "unlike its little-endian binary_addition and binary_multiplication, and unlike what the paper's "
        "text leads one to expect; the output is zero-padded on the left to ceil(n / 2) bits and has no "
        "termination token.",
        "The number is uniform in 1..2**n - 1, so the input may start with zeros.",
        "The code's docstring example 100101 (37) -> 101 is wrong; its code gives 110 (6).",
    ),
)

# --- bucket_sort ------------------------------------------------------------------

VOCAB = 5


def bucket_sort(xs: Sequence[int]) -> tuple[int, ...]:
    counts = [0] * VOCAB
    for x in xs:
        counts[x] += 1
    return tuple(v for v in range(VOCAB) for _ in range(counts[v]))


def _gen_sort(rng: np.random.Generator, length: int, count: int) -> list[Drawn]:
    arr = uniform_tokens(rng, VOCAB, length, count)
    return [Drawn(xs, ys) for xs, ys in zip(rows(arr), rows(np.sort(arr, axis=1)))]


BUCKET_SORT = SequenceTask(
    "bucket_sort", "cs", VOCAB, ListT(INT), bucket_sort, _gen_sort,
    output_alphabet=VOCAB, output_length=lambda n: n,
    differences=("None found: tokens 0..4 (vocabulary 5, as in the paper), sorted ascending, no termination token.",),
)

TASKS = (DUPLICATE_STRING, MISSING_DUPLICATE_STRING, ODDS_FIRST, BINARY_ADDITION, BINARY_MULTIPLICATION, COMPUTE_SQRT, BUCKET_SORT)
