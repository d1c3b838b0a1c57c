"""One suite task as a value: its token alphabets, generator, reference and caveats.

Kept apart from the table (tasks.sequence.tasks) so that the modules holding
the tasks (regular, dcf, cs) can build `SequenceTask`s without an import cycle.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from dsl.errors import UserError
from dsl.types import INT, ListT, Type
from dsl.values import Value
from tasks.core import Example

MOD = 5  # the modulus of the paper's mod-5 tasks and of cycle navigation


@dataclass(frozen=True)
class Drawn:
    """One input drawn by a task's generator, with the label the generator itself computed."""

    xs: tuple[int, ...]
    output: Value


Generate = Callable[[np.random.Generator, int, int], "list[Drawn]"]
Reference = Callable[[Sequence[int]], Value]
Validate = Callable[[Sequence[int]], "str | None"]


def _no_more(xs: Sequence[int]) -> str | None:
    return None


@dataclass(frozen=True)
class SequenceTask:
    """One task of the suite, as DeepMind's code defines it.

    `alphabet` is the code's `input_size` (the one-hot width), so input tokens
    are 0..alphabet-1; `validate` rejects, with a reason, what the code's
    sampler can never draw. Token outputs have `output_alphabet` symbols
    (`output_size`), `output_length(n)` tokens and, where the code has one, a
    `termination` token after which accuracy is masked. `differences` lists
    every point where the code and the paper's prose disagree (the code wins).
    """

    name: str
    level: str  # "regular", "dcf" or "cs": the paper's grouping
    alphabet: int
    output_type: Type
    reference: Reference
    generate: Generate
    classes: int | None = None  # class-index output: classes 0..classes-1
    output_alphabet: int | None = None
    output_length: Callable[[int], int] | None = None
    termination: int | None = None
    min_length: int = 0  # shortest length the code's sampler accepts
    validate: Validate = _no_more
    differences: tuple[str, ...] = ()
    input_types: tuple[tuple[str, Type], ...] = (("xs", ListT(INT)),)

    @property
    def is_classification(self) -> bool:
        return self.classes is not None

    def draw(self, rng: np.random.Generator, length: int, count: int) -> list[Drawn]:
        """`count` inputs of list length `length` (modular_arithmetic: odd) with the generator's labels."""
        if length < self.min_length:
            raise UserError(f"{self.name}: the shortest length the task has is {self.min_length}, not {length}")
        return self.generate(rng, length, count)

    def sample(self, rng: np.random.Generator, length: int, count: int) -> list[tuple[int, ...]]:
        """Inputs only, as earlier versions of this class gave them."""
        return [d.xs for d in self.draw(rng, length, count)]

    inputs = sample

    def examples(self, length: int, count: int, seed: int) -> list[Example]:
        """`count` examples of list length `length`, deterministic per seed."""
        rng = np.random.default_rng(seed)
        return [Example({"xs": d.xs}, d.output) for d in self.draw(rng, length, count)]

    def check_input(self, xs: Sequence[int]) -> str | None:
        """Why `xs` is not an input the code could draw, or None."""
        bad = [x for x in xs if not 0 <= x < self.alphabet]
        if bad:
            return f"token {bad[0]} is outside 0..{self.alphabet - 1}"
        if len(xs) < self.min_length:
            return f"{self.name} inputs have at least {self.min_length} tokens"
        return self.validate(xs)


def uniform_tokens(rng: np.random.Generator, alphabet: int, length: int, count: int) -> np.ndarray:
    """The draw of the code's jittable tasks: every token uniform and independent."""
    return rng.integers(0, alphabet, size=(count, length))


def rows(arr: np.ndarray) -> list[tuple[int, ...]]:
    return [tuple(r) for r in arr.tolist()]


def nonzero_bits(rng: np.random.Generator, width: int) -> list[int]:
    """`width` uniform bits, not all zero: the code's randint(1, 2**width - 1) as a bit string."""
    while True:
        bits = rng.integers(0, 2, size=width).tolist()
        if any(bits):
            return bits
