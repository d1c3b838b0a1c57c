"""Sweeps as separate processes: killed at random points (SIGKILL, Ctrl-C, SIGTERM) and resumed, or two shards writing to one file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

from synth.benchmarks.suite_bench import PACKAGE_ROOT, count_rows, kill_and_resume, trivial_spec

CELLS = 40


def test_killed_twice_and_resumed_gives_exactly_one_row_per_cell(tmp_path) -> None:
    spec = tmp_path / "spec.toml"
    spec.write_text(trivial_spec(CELLS), encoding="utf-8")
    got = kill_and_resume(str(spec), str(tmp_path / "r.sqlite"), CELLS, kills=(signal.SIGKILL, signal.SIGINT), seed=1)
    assert all(n < CELLS for n in got.killed_at), got  # both signals landed mid-sweep
    assert got.exit_codes == (-signal.SIGKILL, 130, 0), got  # killed; stopped cleanly; finished
    assert got.rows == got.distinct == CELLS


def test_sigterm_stops_cleanly_too(tmp_path) -> None:
    spec = tmp_path / "spec.toml"
    spec.write_text(trivial_spec(CELLS), encoding="utf-8")
    got = kill_and_resume(str(spec), str(tmp_path / "r.sqlite"), CELLS, kills=(signal.SIGTERM,), seed=2)
    assert got.exit_codes == (130, 0) and got.rows == got.distinct == CELLS


def test_two_shards_write_to_one_database_at_once(tmp_path) -> None:
    spec = tmp_path / "spec.toml"
    spec.write_text(trivial_spec(CELLS), encoding="utf-8")
    db = tmp_path / "r.sqlite"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(PACKAGE_ROOT), os.environ.get("PYTHONPATH", "")]))
    shards = [
        subprocess.Popen([sys.executable, "-m", "synth", "suite", "run", str(spec), "--db", str(db), "--jobs", "1", "--shard", f"{i}/2", "--quiet"],
                         env=env, stderr=subprocess.PIPE, text=True)
        for i in (1, 2)
    ]
    for proc in shards:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
    assert count_rows(str(db)) == CELLS
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.sqlite", "spec.toml"]  # the shard that finished last left it one file
