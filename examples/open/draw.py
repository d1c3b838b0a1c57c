"""Draw the open task files in this folder: six problems the project has no family for.

    python examples/open/draw.py [DIR]

Each file is a plain task file with no "family" and no signature: the types
are inferred from the values. Its examples are drawn at random, not chosen:
numpy's default_rng(seed) draws 12 short training inputs (lists of length
1..6; stack_final: 30 of length 1..12) and 10 test inputs of length 50..200
(stack_final: 100), in that order, and the outputs
are computed by the plain Python rule below. The file records the seed and
the rule it was drawn with ("seed", "drawn"), and the bytes are the same on
every run.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import Callable

import numpy as np

from dsl.files import atomic_output
from tasks.lego.io import dump_task_json

TRAIN, TEST = 12, 10
TRAIN_LENGTHS, TEST_LENGTHS = (1, 6), (50, 200)


@dataclass(frozen=True)
class Problem:
    name: str
    description: str
    inputs: tuple[str, ...]  # input names; all lists of one drawn length
    values: int  # list items are drawn from 0..values-1
    rule: Callable[..., object]
    train: int = TRAIN  # how many training inputs, of lengths train_lengths
    train_lengths: tuple[int, int] = TRAIN_LENGTHS
    test_lengths: tuple[int, int] = TEST_LENGTHS
    constants: tuple[int, ...] = ()  # integers the problem states (the file's "constants")


def final_stack(xs: list) -> list:
    """A stack machine: token 2 pops (nothing on an empty stack), any other x pushes x mod 3; top first."""
    stack: list = []
    for x in xs:
        stack = stack[1:] if x == 2 else [x % 3] + stack
    return stack


PROBLEMS = (
    Problem("last_element", "the last element of a list", ("xs",), 10, lambda xs: xs[-1]),
    Problem("largest_element", "the largest element of a list", ("xs",), 10, lambda xs: max(xs)),
    Problem("ones_mod_3", "the number of 1s in a list of bits, mod 3", ("xs",), 2, lambda xs: xs.count(1) % 3),
    Problem("double_each", "each element doubled", ("xs",), 10, lambda xs: [2 * x for x in xs]),
    Problem("pairwise_xor", "the xor of two bit lists, position by position", ("xs", "ys"), 2, lambda xs, ys: [a ^ b for a, b in zip(xs, ys)]),
    Problem("stack_final", "the final stack: token 2 pops, any other token x pushes x mod 3 (top first)", ("xs",), 5,
            final_stack, train=30, train_lengths=(1, 12), test_lengths=(100, 100), constants=(3,)),
)
SEEDS = {p.name: seed for seed, p in enumerate(PROBLEMS)}


def draw(problem: Problem, seed: int) -> dict:
    """The task file's object: its examples drawn by default_rng(seed), train first."""
    rng = np.random.default_rng(seed)

    def example(lo: int, hi: int) -> dict:
        n = int(rng.integers(lo, hi + 1))
        inputs = {name: [int(v) for v in rng.integers(0, problem.values, size=n)] for name in problem.inputs}
        return {"input": inputs, "output": problem.rule(**inputs)}

    (lo, hi), (tlo, thi) = problem.train_lengths, problem.test_lengths
    drawn = (
        f"numpy default_rng({seed}): {problem.train} training inputs of length {_span(lo, hi)}, "
        f"then {TEST} test inputs of length {_span(tlo, thi)}; lengths and items "
        f"(0..{problem.values - 1}) uniform; outputs by the rule, see examples/open/draw.py"
    )
    doc: dict = {"name": problem.name, "description": problem.description}
    if problem.constants:
        doc["constants"] = list(problem.constants)
    doc.update(seed=seed, drawn=drawn)
    doc["train"] = [example(lo, hi) for _ in range(problem.train)]
    doc["test"] = [example(tlo, thi) for _ in range(TEST)]
    return doc


def _span(lo: int, hi: int) -> str:
    return str(lo) if lo == hi else f"{lo}..{hi}"


def write_all(folder: str) -> list[str]:
    paths = []
    for problem in PROBLEMS:
        path = os.path.join(folder, f"{problem.name}.json")
        with atomic_output(path) as f:
            f.write(dump_task_json(draw(problem, SEEDS[problem.name])))
        paths.append(path)
    return paths


if __name__ == "__main__":
    for written in write_all(sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))):
        print(written)
