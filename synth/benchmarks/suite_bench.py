"""Benchmarks: sweeps (`synth suite`).

Claims (issue 12): overhead per cell below 50 ms on the local pool; on
CPU-bound cells, 2 jobs at least 1.8x the throughput of 1 job (on 2 free
cores: a shared machine shows less, and the figures say what was measured);
a 600-cell sweep killed at random points and resumed ends with exactly 600
rows. The kill-and-resume check is also a test (on a smaller grid).
"""

from __future__ import annotations

import os
import resource
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from dsl.files import write_text_atomic
from synth.benchmarks import Benchmark
from synth.suite.store import sqlite_uri

OVERHEAD_CELLS = 40
CPU_CELLS = 6
CPU_SECONDS = 1.0  # each CPU-bound cell is a search stopped by this CPU budget
RESUME_CELLS = 600
KILLS = (signal.SIGKILL, signal.SIGINT)
POLL_SECONDS = 0.02
PACKAGE_ROOT = Path(__file__).resolve().parents[2]


def trivial_spec(cells: int) -> str:
    """A grid of `cells` searches that take milliseconds: parity from 2 short examples, one seed each."""
    return (
        "[[generated]]\n"
        'task = "parity_check"\n'
        "train_size = 2\n"
        'train_lengths = "1..3"\n'
        'test_lengths = "4..5"\n'
        f'seed = "0..{cells - 1}"\n'
    )


def cpu_bound_spec(cells: int, seconds: float) -> str:
    """`cells` searches that cannot finish (reverse_string up to a high cost), each stopped after `seconds` of CPU."""
    return (
        "[defaults]\n"
        f"timeout = {seconds}\n"
        "[[generated]]\n"
        'task = "reverse_string"\n'
        "train_size = 20\n"
        'train_lengths = "1..12"\n'
        'test_lengths = "13..14"\n'
        f'seed = "0..{cells - 1}"\n'
    )


def _write_spec(folder: str, text: str) -> str:
    path = os.path.join(folder, "spec.toml")
    write_text_atomic(path, text)
    return path


@dataclass(frozen=True)
class Sweep:
    """One sweep run in this process: its wall time and what its cells measured themselves."""

    cells: int
    wall_seconds: float
    cpu_seconds: float  # of this process and its children (the cells' processes)
    cell_wall_seconds: float
    cell_cpu_seconds: float


def sweep(spec: str, db: str, jobs: int) -> Sweep:
    """Run `spec` into `db` (every cell again) on the local pool with `jobs` processes."""
    from synth.suite.backends.local import LocalPool
    from synth.suite.runner import run_sweep
    from synth.suite.spec import load_spec
    from synth.suite.store import Store

    cells = load_spec(spec)
    cpu0, start = _cpu(), time.perf_counter()
    with Store(db) as store:
        summary = run_sweep(cells, store, LocalPool(jobs), redo=True)
        wall, cpu = time.perf_counter() - start, _cpu() - cpu0
        rows = list(store.rows())
    assert summary.ran == len(cells) and not summary.failed, summary
    return Sweep(len(cells), wall, cpu, sum(r["wall_seconds"] for r in rows), sum(r["cpu_seconds"] for r in rows))


def _cpu() -> float:
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def _say(text: str) -> None:
    print(f"  {text}", file=sys.stderr)


def _overhead() -> Callable[[], None]:
    folder = tempfile.mkdtemp(prefix="suite-bench-")
    spec = _write_spec(folder, trivial_spec(OVERHEAD_CELLS))
    db = os.path.join(folder, "results.sqlite")

    def run() -> None:
        s = sweep(spec, db, jobs=1)
        _say(
            f"{s.cells} trivial cells, 1 job: {s.wall_seconds:.2f} s wall, {s.cell_wall_seconds:.2f} s inside the searches; "
            f"overhead per cell {(s.wall_seconds - s.cell_wall_seconds) / s.cells * 1000:.1f} ms wall, "
            f"{(s.cpu_seconds - s.cell_cpu_seconds) / s.cells * 1000:.1f} ms CPU"
        )

    return run


def _parallel() -> Callable[[], float]:
    """Times 2 jobs; returns the 1-job wall time measured once beforehand, so rate = speedup."""
    folder = tempfile.mkdtemp(prefix="suite-bench-")
    spec = _write_spec(folder, cpu_bound_spec(CPU_CELLS, CPU_SECONDS))
    db = os.path.join(folder, "results.sqlite")
    one = sweep(spec, db, jobs=1)
    _say(
        f"1 job: {one.cells} cells, {one.wall_seconds:.2f} s wall, {one.cell_cpu_seconds:.2f} s CPU in the cells; "
        f"CPU per wall second {one.cell_cpu_seconds / one.wall_seconds:.2f} (1.00 = a free core)"
    )

    def run() -> float:
        two = sweep(spec, db, jobs=2)
        _say(
            f"2 jobs: {two.wall_seconds:.2f} s wall, {two.cell_cpu_seconds:.2f} s CPU in the cells; "
            f"speedup {one.wall_seconds / two.wall_seconds:.2f}x wall, CPU per wall second {two.cell_cpu_seconds / two.wall_seconds:.2f} (2.00 = two free cores)"
        )
        return one.wall_seconds

    return run


# -- kill and resume --------------------------------------------------------------


def count_rows(db: str) -> int:
    try:
        conn = sqlite3.connect(sqlite_uri(db, "ro"), uri=True, timeout=5)
    except sqlite3.Error:
        return 0
    try:
        return int(conn.execute("SELECT count(*) FROM cells").fetchone()[0])
    except sqlite3.Error:
        return 0
    finally:
        conn.close()


def _default_sigint() -> None:
    """In the child before exec: a SIGINT we inherited as ignored (background jobs) would make SIGINT do nothing."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@dataclass(frozen=True)
class Resumed:
    cells: int
    rows: int
    distinct: int  # distinct cell hashes among the rows
    killed_at: tuple[int, ...]  # rows stored when each signal was sent
    exit_codes: tuple[int, ...]  # of every run, the final one last


def kill_and_resume(spec: str, db: str, cells: int, kills: Sequence[signal.Signals] = KILLS, seed: int = 0, jobs: int = 2) -> Resumed:
    """Run `synth suite run` as a subprocess, kill it with each signal at a random row count, resume, finish."""
    rng = np.random.default_rng(seed)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(PACKAGE_ROOT), os.environ.get("PYTHONPATH", "")]))
    command = [sys.executable, "-m", "synth", "suite", "run", spec, "--db", db, "--jobs", str(jobs), "--quiet"]
    killed_at, codes = [], []
    for sig in kills:
        low = min(count_rows(db) + 1, cells - 1)
        target = int(rng.integers(low, cells))  # kill before the end
        proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=_default_sigint)
        while proc.poll() is None and count_rows(db) < target:
            time.sleep(POLL_SECONDS)
        # Freeze the sweep while its rows are counted and the signal is sent: a fast sweep could otherwise
        # finish its last cells in between, and the signal would land on a process that has already exited.
        proc.send_signal(signal.SIGSTOP)
        killed_at.append(count_rows(db))
        proc.send_signal(sig)
        proc.send_signal(signal.SIGCONT)
        codes.append(proc.wait())
    final = subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    codes.append(final.returncode)
    conn = sqlite3.connect(db)
    try:
        rows, distinct = conn.execute("SELECT count(*), count(DISTINCT hash) FROM cells").fetchone()
    finally:
        conn.close()
    return Resumed(cells, rows, distinct, tuple(killed_at), tuple(codes))


def _kill_resume() -> Callable[[], None]:
    def run() -> None:
        folder = tempfile.mkdtemp(prefix="suite-bench-")
        spec = _write_spec(folder, trivial_spec(RESUME_CELLS))
        got = kill_and_resume(spec, os.path.join(folder, "results.sqlite"), RESUME_CELLS)
        _say(f"killed at {got.killed_at} rows (exit codes {got.exit_codes}); {got.rows} rows at the end")
        assert got.rows == got.distinct == RESUME_CELLS and got.exit_codes == (-signal.SIGKILL, 130, 0), got

    return run


BENCHMARKS = [
    Benchmark(
        "suite.overhead_local",
        f"{OVERHEAD_CELLS} trivial cells on 1 job of the local pool at >= 20 cells/s: under 50 ms a cell, search included",
        _overhead,
        work=OVERHEAD_CELLS,
        unit="cells/s",
        target_rate=20,
        repeat=3,
        clock="wall",  # throughput of a pool: what a user waits for
    ),
    Benchmark(
        "suite.parallel_2_jobs",
        f"{CPU_CELLS} CPU-bound cells ({CPU_SECONDS:g} CPU s each): 2 jobs >= 1.8x the throughput of 1 job (rate = 1-job wall / 2-job wall)",
        _parallel,
        work_from_run=True,
        unit="x",
        target_rate=1.8,
        repeat=3,
        clock="wall",  # throughput of a pool: what a user waits for
    ),
    Benchmark(
        "suite.kill_resume_600",
        f"a {RESUME_CELLS}-cell sweep killed by SIGKILL and SIGINT at random points, then resumed, ends with exactly {RESUME_CELLS} rows",
        _kill_resume,
        repeat=1,
        clock="wall",
    ),
]
