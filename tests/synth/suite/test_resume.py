"""A sweep killed at random points (SIGKILL, then Ctrl-C) and resumed ends with exactly one row per cell."""

from __future__ import annotations

import signal

from synth.benchmarks.suite_bench import kill_and_resume, trivial_spec

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
