"""Benchmarks: tasks (LEGO generation, reference solver, reading).

The issue's claims: 100,000 sentences of n = 12 in under 2 s, and one
sentence of n = 1,000,000 generated and solved in under 3 s.
"""

from __future__ import annotations

import io

from synth.benchmarks import Benchmark


def _gen_100k():
    from tasks.lego.generate import generate

    return lambda: generate(12, 100_000, seed=0)


def _gen_solve_1m():
    from tasks.lego.generate import generate
    from tasks.lego.solve import solve

    def run() -> None:
        # The sentence alone (no labels: the solver's answer is the labelling).
        (rec,) = generate(1_000_000, 1, seed=0, supervised=0)
        solve(rec.sentence)

    return run


def _solve_1m_walk():
    from tasks.lego.generate import generate
    from tasks.lego.solve import solve

    (rec,) = generate(1_000_000, 1, seed=0)
    return lambda: solve(rec.sentence, "walk")


def _read_jsonl_100k():
    from tasks.lego.generate import generate
    from tasks.lego.io import read_records, write_records

    buf = io.StringIO()
    write_records(generate(12, 100_000, seed=0, supervised=6), "jsonl", buf)
    text = buf.getvalue()

    def run() -> None:
        for _ in read_records(io.StringIO(text)):
            pass

    return run


BENCHMARKS: list[Benchmark] = [
    Benchmark("tasks.generate_100k_n12", "generate 100,000 LEGO sentences of n = 12 (Z2, chain, shuffled)",
              _gen_100k, target_seconds=2.0, work=100_000, unit="sentences/s", repeat=5),
    Benchmark("tasks.generate_solve_1M", "generate and solve (reference solver) one sentence of n = 1,000,000",
              _gen_solve_1m, target_seconds=3.0, work=1_000_000, unit="clauses/s", repeat=3),
    Benchmark("tasks.solve_1M_walk", "reference solver, pure O(n) walk, one sentence of n = 1,000,000 (no target)",
              _solve_1m_walk, work=1_000_000, unit="clauses/s", repeat=3),
    Benchmark("tasks.read_jsonl_100k", "read and check 100,000 native JSONL records of n = 12 (no target)",
              _read_jsonl_100k, work=100_000, unit="records/s", repeat=3),
]
