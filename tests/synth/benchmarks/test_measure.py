"""`synth bench`: medians of CPU time, targets checked, --check exits non-zero on a miss."""

from __future__ import annotations

import json

from click.testing import CliRunner

import synth.commands.bench as bench_cmd
from synth.benchmarks import Benchmark, all_benchmarks
from synth.benchmarks.measure import measure
from synth.cli import main


def _spin(n: int):
    def setup():
        def run() -> int:
            return sum(range(n))
        return run
    return setup


def test_median_and_rate_and_verdicts() -> None:
    fast = Benchmark("t.fast", "sums", _spin(1000), target_seconds=100.0, work=1000, unit="items/s", repeat=3)
    m = measure(fast)
    assert len(m.times) == 3 and min(m.times) <= m.median <= max(m.times)
    assert m.meets_target and m.rate is not None and m.rate > 0
    impossible = Benchmark("t.slow", "sums", _spin(1000), target_rate=1e30, work=1000, repeat=1)
    assert not measure(impossible).meets_target
    row = measure(fast).to_dict()
    assert row["clock"] == "cpu" and row["meets_target"] is True


def test_every_benchmark_declares_a_known_clock() -> None:
    assert {b.clock for b in all_benchmarks()} <= {"cpu", "wall"}


def test_check_exits_1_on_a_missed_target(monkeypatch) -> None:
    benches = [
        Benchmark("t.ok", "fine", _spin(10), target_seconds=100.0, repeat=1),
        Benchmark("t.miss", "never", _spin(10), target_rate=1e30, work=1, repeat=1),
    ]
    monkeypatch.setattr(bench_cmd, "all_benchmarks", lambda: benches)
    r = CliRunner().invoke(main, ["bench", "--only", "t.ok", "--check", "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.output.splitlines()[-1])["meets_target"] is True
    r = CliRunner().invoke(main, ["bench", "--check"])
    assert r.exit_code == 1 and "t.miss" in r.output
    r = CliRunner().invoke(main, ["bench"])  # without --check a miss is only reported
    assert r.exit_code == 0 and "MISSED" in r.output


def test_a_failing_run_misses_its_target_without_a_traceback() -> None:
    def setup():
        def run() -> None:
            raise RuntimeError("no program")
        return run

    m = measure(Benchmark("t.fail", "fails", setup, target_seconds=100.0, repeat=3))
    assert not m.meets_target and "no program" in (m.error or "")
    assert m.to_dict()["error"].startswith("RuntimeError")



def test_a_benchmark_without_a_target_has_no_verdict_in_json_table_or_list(monkeypatch) -> None:
    """null in JSON (not true: a reader counting met targets must not count it), "no target" in the table, and --check passes."""
    benches = [Benchmark("t.free", "sums, unclaimed", _spin(10), repeat=1)]
    monkeypatch.setattr(bench_cmd, "all_benchmarks", lambda: benches)
    r = CliRunner().invoke(main, ["bench", "--json", "--check"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.output.splitlines()[-1])["meets_target"] is None
    r = CliRunner().invoke(main, ["bench"])
    assert r.output.splitlines()[-1].endswith("no target") and "target <=" not in r.output
    r = CliRunner().invoke(main, ["bench", "--list"])
    assert r.output.rstrip().endswith("sums, unclaimed  [no target]")


def test_a_failing_run_without_a_target_still_fails_check(monkeypatch) -> None:
    def setup():
        def run() -> None:
            raise RuntimeError("wrong rows")
        return run

    m = measure(Benchmark("t.broken", "no target, fails", setup, repeat=1))
    assert m.meets_target is None and m.failed
    monkeypatch.setattr(bench_cmd, "all_benchmarks", lambda: [m.bench])
    r = CliRunner().invoke(main, ["bench", "--check"])
    assert r.exit_code == 1 and "t.broken" in r.output and "FAILED: RuntimeError: wrong rows" in r.output
