"""Benchmarks: `synth eval` over large JSONL files (CPU seconds, and peak memory of the run).

The data is written untimed in setup, to a temp dir: sentences of n = 12 in
the paper's token syntax, shuffled clauses, labels on the first 6 variables
along the chain (the paper's setting). The timed run is a fresh `synth eval`
process, so its peak resident memory (ru_maxrss of that child alone, read by a
small wrapper process) is the memory of the whole evaluation; it is printed on
stderr and the run fails if it passes the claim's limit.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Callable

import numpy as np

from dsl.files import atomic_output, write_text_atomic
from synth.benchmarks import Benchmark

ROOT = Path(__file__).resolve().parents[2]
LETTERS = np.array(list("abcdefghijklmnopqrstuvwxyz"))
PEAK_LIMIT_MB = 500

# Runs a command and prints the peak RSS (kB on Linux) of that child alone.
_WRAPPER = (
    "import resource, subprocess, sys\n"
    "rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    "sys.exit(rc)\n"
)


def write_lego_jsonl(path: Path, count: int, n: int = 12, seed: int = 0, supervised: int = 6) -> None:
    """`count` random chains of `n` variables as native JSONL (fast: numpy draws, plain formatting)."""
    rng = np.random.default_rng(seed)
    block = 20_000
    with atomic_output(path) as f:
        for start in range(0, count, block):
            m = min(block, count - start)
            names = np.argsort(rng.random((m, 26)), axis=1)[:, :n]
            ops = rng.integers(0, 2, (m, n))
            orders = np.argsort(rng.random((m, n)), axis=1)
            values = np.cumsum(ops, axis=1) % 2
            lines = []
            for k in range(m):
                nm = LETTERS[names[k]]
                op = ops[k]
                parts = []
                for j in orders[k]:
                    if j == 0:
                        parts.append(f"{nm[0]} = val {op[0]} , ")
                    else:
                        parts.append(f" {nm[j]} = {'not' if op[j] else 'val'} {nm[j - 1]} , ")
                labels = {str(nm[j]): int(values[k, j]) for j in range(supervised)}
                lines.append(json.dumps({"sentence": "".join(parts), "labels": labels}))
            f.write("\n".join(lines) + "\n")


def _program_file(tmp: Path) -> Path:
    """The LEGO program: synthesized from a small task if the search can, else examples/lego.dsl."""
    try:
        from dsl.printer import show
        from synth.report.baseline import fit
        from tasks.lego.generate import generate

        baseline = fit(generate(6, 8, seed=0, supervised=6), timeout=60)
        path = tmp / "synthesized_lego.dsl"
        write_text_atomic(path, show(baseline.program) + "\n")
        return path
    except Exception:  # noqa: BLE001 - fall back to the shipped program whatever went wrong
        return Path(__file__).resolve().parents[1] / "data" / "lego.dsl"


def child_environment(tmp: Path) -> dict[str, str]:
    """The environment of the timed `synth eval`: ours, with compiled bytecode cached under `tmp`.

    An installed package has its bytecode compiled; a shell with
    PYTHONDONTWRITEBYTECODE set (as on the development machine) would instead
    have every run compile each of our modules from source, about 0.17 CPU-s
    of a 100,000-sentence run that is no part of evaluating. Setup warms the
    cache, untimed, with the same command on a one-line file.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(tmp / "pycache")
    return env


def _eval_setup(count: int) -> Callable[[], Callable[[], object]]:
    def setup() -> Callable[[], object]:
        tmp = Path(tempfile.mkdtemp(prefix="lego-synth-eval-bench-"))
        atexit.register(shutil.rmtree, tmp, True)
        data = tmp / f"lego_n12_{count}.jsonl"
        write_lego_jsonl(data, count)
        program = _program_file(tmp)
        size_mb = data.stat().st_size / 1e6
        cmd = [sys.executable, "-c", "from synth.cli import main; main()", "eval", str(program), str(data), "--json", "--no-progress"]
        env = child_environment(tmp)
        warm = tmp / "warm.jsonl"
        write_lego_jsonl(warm, 1)
        subprocess.run([*cmd[:-3], str(warm), *cmd[-2:]], capture_output=True, cwd=str(ROOT), env=env)

        def run() -> None:
            proc = subprocess.run(
                [sys.executable, "-c", _WRAPPER, *cmd], capture_output=True, text=True, cwd=str(ROOT), env=env
            )
            if proc.returncode != 0:
                raise RuntimeError(f"synth eval failed: {proc.stderr.strip()[-2000:]}")
            peak_mb = int(proc.stdout.strip().splitlines()[-1]) / 1024
            print(
                f"  eval of {count:,} sentences ({size_mb:,.0f} MB, program {program.name}): peak RSS {peak_mb:,.0f} MB"
                f" (limit {PEAK_LIMIT_MB} MB)",
                file=sys.stderr,
            )
            if peak_mb > PEAK_LIMIT_MB:
                raise RuntimeError(f"synth eval peaked at {peak_mb:,.0f} MB, over the {PEAK_LIMIT_MB} MB claim")

        return run

    return setup


BENCHMARKS: list[Benchmark] = [
    Benchmark(
        name="eval.jsonl_1m_n12",
        claim="synth eval with the LEGO program over 1,000,000 sentences of n = 12 from JSONL: <= 30 CPU-s, peak RSS < 500 MB",
        setup=_eval_setup(1_000_000),
        target_seconds=30.0,
        work=1_000_000,
        unit="sentences/CPU-s",
        repeat=1,
        clock="cpu",
    ),
    Benchmark(
        name="eval.jsonl_100k_n12",
        claim="the same at 100,000 sentences (a quick check of the rate: >= 33,334 sentences per CPU-s meets 1M in 30 CPU-s)",
        setup=_eval_setup(100_000),
        work=100_000,
        unit="sentences/CPU-s",
        target_rate=33_334,
        repeat=3,
        clock="cpu",
    ),
]
