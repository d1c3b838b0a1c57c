"""Draw the open task files in this folder: five problems the project has no family for.

    python examples/open/draw.py [DIR]

Each file is a plain task file with no "family" and no signature: the types
are inferred from the values. Its examples are drawn at random, not chosen:
numpy's default_rng(seed) draws 12 short training inputs (lists of length
1..6) and 10 test inputs of length 50..200, in that order, and the outputs
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


PROBLEMS = (
    Problem("last_element", "the last element of a list", ("xs",), 10, lambda xs: xs[-1]),
    Problem("largest_element", "the largest element of a list", ("xs",), 10, lambda xs: max(xs)),
    Problem("ones_mod_3", "the number of 1s in a list of bits, mod 3", ("xs",), 2, lambda xs: xs.count(1) % 3),
    Problem("double_each", "each element doubled", ("xs",), 10, lambda xs: [2 * x for x in xs]),
    Problem("pairwise_xor", "the xor of two bit lists, position by position", ("xs", "ys"), 2, lambda xs, ys: [a ^ b for a, b in zip(xs, ys)]),
)
SEEDS = {p.name: seed for seed, p in enumerate(PROBLEMS)}


def draw(problem: Problem, seed: int) -> dict:
    """The task file's object: its examples drawn by default_rng(seed), train first."""
    rng = np.random.default_rng(seed)

    def example(lo: int, hi: int) -> dict:
        n = int(rng.integers(lo, hi + 1))
        inputs = {name: [int(v) for v in rng.integers(0, problem.values, size=n)] for name in problem.inputs}
        return {"input": inputs, "output": problem.rule(**inputs)}

    drawn = (
        f"numpy default_rng({seed}): {TRAIN} training inputs of length {TRAIN_LENGTHS[0]}..{TRAIN_LENGTHS[1]}, "
        f"then {TEST} test inputs of length {TEST_LENGTHS[0]}..{TEST_LENGTHS[1]}; lengths and items "
        f"(0..{problem.values - 1}) uniform; outputs by the rule, see examples/open/draw.py"
    )
    return {
        "name": problem.name,
        "description": problem.description,
        "seed": seed,
        "drawn": drawn,
        "train": [example(*TRAIN_LENGTHS) for _ in range(TRAIN)],
        "test": [example(*TEST_LENGTHS) for _ in range(TEST)],
    }


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
