"""`synth bench --list`: every claim with its target, run nothing."""

from __future__ import annotations

from click.testing import CliRunner

from synth.benchmarks import all_benchmarks
from synth.cli import main


def test_list_shows_each_claims_target():
    """Before: targets were shown only where the claim's own sentence happened to state them."""
    r = CliRunner().invoke(main, ["bench", "--list"])
    assert r.exit_code == 0, r.output
    lines = {line.split()[0]: line for line in r.output.splitlines()}
    for bench in all_benchmarks():
        has_target = bench.target_seconds is not None or bench.target_rate is not None
        assert ("[target " in lines[bench.name]) == has_target, lines[bench.name]
    assert lines["tasks.generate_100k_n12"].endswith("[target <= 2.0 CPU-s]")
