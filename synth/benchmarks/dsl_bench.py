"""Speed of the DSL interpreter on the LEGO example program (examples/lego.dsl).

Inputs are shuffled Z2 chains made here with numpy (seeded), so the
benchmarks need nothing from tasks/: clause i defines v<i> from v<i-1>, clause
0 is the root, and the clause order is a random permutation.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import numpy as np

from dsl.groups import get_group
from dsl.interp import compile_program
from dsl.parse import load_program
from dsl.types import CLAUSE, ROOT_RHS
from dsl.values import Record
from synth.benchmarks import Benchmark

# The LEGO resolver as shipped with the package (a copy of examples/lego.dsl).
LEGO_FILE = Path(__file__).resolve().parents[1] / "data" / "lego.dsl"

BIG_CLAUSES = 100_000
BATCH_SENTENCES = 10_000
BATCH_CLAUSES = 12


def _lego_program():
    """The bundled example when it is there (it is the claim), else the same text."""
    return load_program(LEGO_FILE)


def shuffled_chain(n: int, rng: np.random.Generator, group: str = "Z2") -> tuple[Record, ...]:
    """One LEGO sentence: a chain of n clauses over `group`, in random order."""
    g = get_group(group)
    ops = rng.integers(0, len(g), size=n)
    names = CLAUSE.names
    clauses = [
        Record(names, (f"v{i}", g.elements[int(ops[i])], f"v{i - 1}" if i else ROOT_RHS, i == 0))
        for i in range(n)
    ]
    return tuple(clauses[int(i)] for i in rng.permutation(n))


def _one_long_sentence() -> Callable[[], object]:
    run = compile_program(_lego_program())
    clauses = shuffled_chain(BIG_CLAUSES, np.random.default_rng(0))
    return lambda: run({"clauses": clauses})


def _many_short_sentences() -> Callable[[], object]:
    run = compile_program(_lego_program())
    rng = np.random.default_rng(1)
    batch = [{"clauses": shuffled_chain(BATCH_CLAUSES, rng)} for _ in range(BATCH_SENTENCES)]

    def go() -> None:
        for inputs in batch:
            run(inputs)
    return go


BENCHMARKS: list[Benchmark] = [
    Benchmark(
        name="dsl.lego_100k",
        claim=f"examples/lego.dsl on one shuffled Z2 sentence of {BIG_CLAUSES:,} clauses in under 1 s",
        setup=_one_long_sentence,
        target_seconds=1.0,
        work=BIG_CLAUSES,
        unit="clauses/s",
    ),
    Benchmark(
        name="dsl.lego_batch",
        claim=f"examples/lego.dsl compiled once, run on {BATCH_SENTENCES:,} sentences of {BATCH_CLAUSES} clauses: >= 300,000 clauses/s",
        setup=_many_short_sentences,
        work=BATCH_SENTENCES * BATCH_CLAUSES,
        unit="clauses/s",
        target_rate=300_000,
    ),
]
