"""The random100 benchmarks: one per (task, profile), targets only where the suite table reports the task solved."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from synth.benchmarks import all_benchmarks
from synth.benchmarks.measure import measure
from synth.benchmarks.sequence_bench import SOLVED_FROM_RANDOM100, _solve_random, describe_outcome, is_claimed, random_cell
from synth.cli import main
from synth.search.profiles import PROFILES
from tasks.sequence.tasks import SEQUENCE_TASKS

README = Path(__file__).resolve().parents[3] / "README.md"


def test_each_benchmark_is_the_suites_chomsky_quick_cell_of_seed_0() -> None:
    """The same search on the same data as the suite table's seed-0 row: the bundled spec's cell, hash and all."""
    from synth.suite.spec import load_bundled

    cells = {c.key: c for c in load_bundled("chomsky-quick")}
    for profile in PROFILES:
        for task in ("reverse_string", "compute_sqrt"):
            cell = random_cell(task, profile)
            assert cell.key in cells, (task, profile)
            assert cell.source.seed == 0 and cell.search.timeout == 60.0


def test_the_mended_benchmark_is_the_suites_chomsky_20_cell() -> None:
    """search.random20...seed6 runs chomsky-20's stack_manipulation cell of that seed, hash and all."""
    from synth.benchmarks.sequence_bench import MENDED_SEED
    from synth.suite.spec import load_bundled

    cells = {c.key for c in load_bundled("chomsky-20")}
    cell = random_cell("stack_manipulation", "list", seed=MENDED_SEED, train=20)
    assert cell.key in cells and cell.source.train_size == 20
    bench = next(b for b in all_benchmarks() if b.name == f"search.random20.list.stack_manipulation.seed{MENDED_SEED}")
    assert bench.target_seconds == 60.0 and f"seed {MENDED_SEED}" in bench.claim


def test_an_outcome_says_solved_only_when_exact_at_every_test_length() -> None:
    from synth.suite.outcome import Outcome

    prog = "input xs: List[Int]\nxs + xs\n"
    assert describe_outcome(Outcome("found", prog, 3, accuracy={"exact": 1.0})).startswith("solved: 'xs + xs' (cost 3)")
    assert describe_outcome(Outcome("found", prog, 3, accuracy={"exact": 0.5})).startswith("inexact: 'xs + xs'")
    assert describe_outcome(Outcome("timeout")) == "no program (timeout)"


def _random100() -> dict[str, object]:
    return {b.name: b for b in all_benchmarks() if b.name.startswith("search.random100.")}


def test_one_benchmark_per_task_and_profile_with_a_target_only_where_claimed() -> None:
    benches = _random100()
    assert set(benches) == {f"search.random100.{p}.{t}" for p in PROFILES for t in SEQUENCE_TASKS}
    for name, bench in benches.items():
        _, _, profile, task = name.split(".")
        assert f"profile {profile}" in bench.claim and "60 CPU-s" in bench.claim and "seed 0" in bench.claim
        if is_claimed(task, profile):
            assert bench.target_seconds == 60.0 and "no target" not in bench.claim
        else:
            assert bench.target_seconds is None and bench.target_rate is None
            assert bench.claim.endswith("(no target: not solved from this data)")


def test_the_claim_table_is_the_readme_suite_table() -> None:
    """SOLVED_FROM_RANDOM100 holds exactly the (task, profile) rows the README reports solved in every seed."""
    solved: dict[str, set[str]] = {p: set() for p in PROFILES}
    for m in re.finditer(r"^\| (\w+) \| (\w+) \| 100 x 1\.\.40 \| (\d+)/(\d+) \|", README.read_text(encoding="utf-8"), re.M):
        task, profile, won, seeds = m.groups()
        if won == seeds != "0":
            solved[profile].add(task)
    assert solved == {p: set(SOLVED_FROM_RANDOM100.get(p, ())) for p in PROFILES}


def test_list_selects_one_profile() -> None:
    r = CliRunner().invoke(main, ["bench", "--list", "--only", "search.random100.list.*"])
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    assert len(lines) == len(SEQUENCE_TASKS)
    assert all(line.startswith("search.random100.list.") for line in lines)
    bucket = next(line for line in lines if line.startswith("search.random100.list.bucket_sort "))
    assert bucket.endswith("[target <= 60.0 CPU-s]")
    sqrt = next(line for line in lines if line.startswith("search.random100.list.compute_sqrt "))
    assert sqrt.endswith("[target <= 60.0 CPU-s]")  # solved since the bisect loop form
    equation = next(line for line in lines if line.startswith("search.random100.list.solve_equation "))
    assert "(no target: not solved from this data)" in equation and "[target" not in equation


def test_an_unclaimed_pair_reports_what_it_reaches_and_misses_nothing() -> None:
    from synth.benchmarks import Benchmark

    bench = Benchmark("t.sqrt", "unclaimed", _solve_random("compute_sqrt", "core", timeout=0.05), repeat=1, outcome_from_run=True)
    m = measure(bench)
    assert m.error is None and m.meets_target is None and not m.has_target and not m.failed
    assert m.to_dict()["meets_target"] is None, "no target: neither met nor missed"
    assert m.outcome is not None and m.outcome.startswith("profile core: no program (")
    assert json.loads(json.dumps(m.to_dict()))["outcome"] == m.outcome


def test_a_claimed_pair_that_is_not_solved_misses_its_target() -> None:
    from synth.benchmarks import Benchmark

    setup = _solve_random("stack_manipulation", "list", timeout=0.05)
    m = measure(Benchmark("t.stack", "claimed", setup, target_seconds=60.0, repeat=1, outcome_from_run=True))
    assert not m.meets_target and "with profile list: not solved" in (m.error or "")


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_a_solved_pair_names_its_profile(profile: str) -> None:
    run = _solve_random("duplicate_string", profile)()
    outcome = run()
    assert outcome.startswith(f"profile {profile}: solved: 'xs + xs'") and "exact on 100.0% of the tests" in outcome
