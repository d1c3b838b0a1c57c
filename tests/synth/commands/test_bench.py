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


def test_list_refuses_the_options_of_a_run():
    """Before, `bench --list --check` listed and exited 0: --check (and --repeat, --json) did nothing, silently."""
    for args, named in ((["--check"], "--check would do nothing: drop it"),
                        (["--repeat", "3", "--json"], "--repeat and --json would do nothing: drop them")):
        r = CliRunner().invoke(main, ["bench", "--list", *args])
        assert r.exit_code == 2 and r.output == f"error: --list runs nothing, so {named}, or drop --list to run\n", r.output


def test_only_given_twice_runs_what_either_matches():
    """Before, a second --only replaced the first, silently: `--only A --only B` ran B alone."""
    r = CliRunner().invoke(main, ["bench", "--list", "--only", "dsl.lego_100k", "--only", "tasks.generate_100k_n12"])
    assert r.exit_code == 0, r.output
    assert [line.split()[0] for line in r.output.splitlines()] == ["dsl.lego_100k", "tasks.generate_100k_n12"]
    r = CliRunner().invoke(main, ["bench", "--list", "--only", "dsl.*", "--only", "dsl.nothing_here"])
    assert r.exit_code == 2 and "no benchmark matches 'dsl.nothing_here'" in r.output, r.output
