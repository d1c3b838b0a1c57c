"""Specs: the grid is the product of the swept values; every mistake is one message at the spec's line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dsl.errors import UserError
from synth.suite.compat import known_profiles, parse_toml
from synth.suite.spec import BUNDLED, bundled_text, load_bundled, load_spec, plan
from tasks.sequence import SEQUENCE_TASKS

CHOMSKY_TASKS = {
    "even_pairs", "modular_arithmetic", "parity_check", "cycle_navigation", "stack_manipulation",
    "reverse_string", "modular_arithmetic_brackets", "solve_equation", "duplicate_string",
    "missing_duplicate_string", "odds_first", "binary_addition", "binary_multiplication",
    "compute_sqrt", "bucket_sort",
}

GOOD = """\
description = "two tasks"
[defaults]
timeout = [1, 2]
[[generated]]
task = ["parity_check", "even_pairs"]
train_size = [5, 10]
train_lengths = ["1..4", "1..8"]
test_lengths = "9..12"
seed = "0..2"
"""


def write(tmp_path: Path, text: str, name: str = "spec.toml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_the_grid_is_the_product_of_the_swept_values(tmp_path) -> None:
    cells = load_spec(write(tmp_path, GOOD))
    assert len(cells) == 2 * 2 * 2 * 3 * 2
    assert len({c.key for c in cells}) == len(cells)
    assert {c.source.seed for c in cells} == {0, 1, 2}
    assert {c.search.timeout for c in cells} == {1.0, 2.0}


def test_a_memory_cap_is_swept_like_any_setting_and_absent_by_default(tmp_path) -> None:
    cells = load_spec(write(tmp_path, GOOD.replace("timeout = [1, 2]", "timeout = 1\nmax_memory_mb = [500, 2000]")))
    assert {c.search.max_memory_mb for c in cells} == {500, 2000}
    assert {c.search.max_memory_mb for c in load_spec(write(tmp_path, GOOD))} == {None}
    with pytest.raises(UserError, match=r"spec.toml:4.*max_memory_mb"):
        load_spec(write(tmp_path, GOOD.replace("timeout = [1, 2]", "timeout = 1\nmax_memory_mb = 0")))
    with pytest.raises(UserError, match=r"spec.toml:4:17: max_memory_mb: expected an integer, a list of them or a range \"a..b\", not 'a'"):
        load_spec(write(tmp_path, GOOD.replace("timeout = [1, 2]", "timeout = 1\nmax_memory_mb = \"a\"")))
    with pytest.raises(UserError, match=r"spec.toml:4:1: unknown key 'memory_mb' .*; did you mean 'max_memory_mb'\?"):
        load_spec(write(tmp_path, GOOD.replace("timeout = [1, 2]", "timeout = 1\nmemory_mb = 100")))


def test_files_are_relative_to_the_spec_and_globbed(tmp_path, root) -> None:
    (tmp_path / "t").mkdir()
    for name in ("parity_check.json", "even_pairs.json"):
        (tmp_path / "t" / name).write_bytes((root / "examples" / name).read_bytes())
    cells = load_spec(write(tmp_path, '[[files]]\npaths = ["t/*.json"]\nprofile = "core"\n'))
    assert sorted(c.task for c in cells) == ["even_pairs", "parity_check"]


def test_task_files_alone_are_one_cell_each_with_default_settings(root) -> None:
    files = [str(root / "examples" / n) for n in ("parity_check.json", "reverse_string.json")]
    cells = plan(files + files[:1])  # a repeated file is one cell
    assert len(cells) == 2 and all(c.search.timeout == 60 and c.search.profile == "core" for c in cells)


def _error(tmp_path, text: str) -> str:
    with pytest.raises(UserError) as info:
        load_spec(write(tmp_path, text))
    return str(info.value)


@pytest.mark.parametrize(
    "text, line, words",
    [
        ("[[generated]]\ntask = [\"parity_check\"\ntrain_size = 3\n", 3, "not valid TOML"),
        (GOOD.replace("seed =", "seeds ="), 9, "unknown key 'seeds'"),
        (GOOD + "[extra]\n", 10, "unknown key 'extra'"),
        (GOOD.replace('"even_pairs"]', '\n  "no_such_task",\n]'), 6, "unknown task 'no_such_task'"),
        (GOOD.replace("timeout = [1, 2]", 'profile = "nope"'), 3, "unknown profile 'nope'"),
        (GOOD.replace("timeout = [1, 2]", "timeout = -1"), 3, "positive number"),
        (GOOD.replace('"1..8"', '"8..1"'), 7, "lo <= hi"),
        (GOOD.replace("test_lengths", "#"), 4, "needs 'test_lengths'"),
        (GOOD + '[[files]]\npaths = ["missing.json"]\n', 11, "missing.json"),
        (GOOD + '[[files]]\npaths = ["*.nothing"]\n', 11, "no file matches"),
        ("description = 3\n", 1, "description must be a string"),
        (GOOD.replace('test_lengths = "9..12"', 'test_lengths = "0"').replace('"parity_check", ', '"parity_check", "compute_sqrt", '), 8,
         "test_lengths 0..0: compute_sqrt: the shortest length the task has is 1, not 0"),
        (GOOD.replace('"1..4"', '"0..4"').replace('"even_pairs"', '"modular_arithmetic"'), 7, "train_lengths 0..4: modular_arithmetic"),
        ("", 1, "no cells"),
        # Integers the results database cannot store, or a cell could not draw, are refused before anything runs.
        (GOOD.replace('seed = "0..2"', "seed = 9223372036854775808"), 9, "9,223,372,036,854,775,808 is out of range"),
        (GOOD.replace('seed = "0..2"', 'seed = "9223372036854775806..9223372036854775808"'), 9, "out of range"),
        (GOOD.replace("train_size = [5, 10]", "train_size = [5, 100000000]"), 6, "expected integers from 1 to 100,000"),
        (GOOD.replace("timeout = [1, 2]", "timeout = inf"), 3, "at most 31,536,000"),
        (GOOD.replace("timeout = [1, 2]", "timeout = 1e20"), 3, "at most"),
        (GOOD.replace("timeout = [1, 2]", "max_cost = [20, 500]"), 3, "max_cost: 500 is out of range: expected integers from 1 to 200"),
    ],
)
def test_every_mistake_names_the_spec_line(tmp_path, text: str, line: int, words: str) -> None:
    message = _error(tmp_path, text)
    assert re.search(rf"spec\.toml:{line}:\d+: ", message), message
    assert words in message


def test_a_broken_task_file_in_a_spec_is_reported_at_the_spec_line(tmp_path) -> None:
    (tmp_path / "bad.json").write_text('{"family": "sequence", "name": "parity_check", "train": [}', encoding="utf-8")
    message = _error(tmp_path, '[[files]]\npaths = ["bad.json"]\n')
    assert "spec.toml:2:" in message and "bad.json" in message


def test_profiles_are_validated_against_the_search() -> None:
    assert "core" in known_profiles()


def test_the_bundled_chomsky_specs_list_the_15_tasks_and_plan_every_cell() -> None:
    assert set(CHOMSKY_TASKS) <= set(SEQUENCE_TASKS)
    for name, seeds, sizes in (("chomsky", 10, 2), ("chomsky-quick", 2, 1)):
        doc = parse_toml(bundled_text(name))
        (entry,) = doc["generated"]
        assert set(entry["task"]) == CHOMSKY_TASKS, name
        assert entry["train_lengths"] == "1..40" and entry["test_lengths"] == "41..500" and doc["defaults"]["timeout"] == 60
        cells = load_bundled(name)
        assert len(cells) == 15 * sizes * seeds * len(entry_profiles(doc)), name
        assert len({c.key for c in cells}) == len(cells)
    assert set(BUNDLED) == {"chomsky", "chomsky-quick", "chomsky-20"}


def entry_profiles(doc: dict) -> list[str]:
    profile = doc["defaults"]["profile"]
    return profile if isinstance(profile, list) else [profile]


def test_a_task_file_is_named_by_its_own_name_not_its_file_name(tmp_path, root) -> None:
    # audit #2: a/parity.json holding parity_check was the task "parity", so the published figures were not found
    (tmp_path / "parity.json").write_bytes((root / "examples" / "parity_check.json").read_bytes())
    (cell,) = plan([str(tmp_path / "parity.json")])
    assert cell.task == "parity_check" and cell.source.path == str(tmp_path / "parity.json")


@pytest.mark.parametrize("name", ["reverse_string", "Parity Check"])
def test_an_open_task_named_like_a_suite_task_is_not_given_the_networks_figures(tmp_path, root, name: str) -> None:
    """Suite audit: an open task file (no family) named "reverse_string", holding a parity problem, was the task
    reverse_string in `suite report`, beside Deletang et al.'s reverse_string figures (`compare` shows none for it)."""
    import json

    from synth.report.reference import published_for

    task = json.loads((root / "examples" / "parity_check.json").read_text())
    del task["family"]
    (tmp_path / "mine.json").write_text(json.dumps({**task, "name": name}))
    (cell,) = plan([str(tmp_path / "mine.json")])
    assert cell.task == f"{name} (open task)" and published_for(cell.task) == {}


HUGE = """\
[[generated]]
task = "parity_check"
train_size = 5
train_lengths = "1..5"
test_lengths = "6..8"
seed = "0..100000000000"
"""


def test_a_huge_range_is_refused_at_its_line_before_it_is_expanded(tmp_path) -> None:
    """A slip like 0..100000000000 was expanded into a list first: a MemoryError, or GBs and minutes."""
    with pytest.raises(UserError, match=r"spec.toml:6:8: seed: the range 0..100000000000 has 100,000,000,001 values, more than a spec may sweep \(1,000,000\)"):
        load_spec(write(tmp_path, HUGE))
    with pytest.raises(UserError, match=r"spec.toml:6:8: seed: the range 0..1000000 has 1,000,001 values"):
        load_spec(write(tmp_path, HUGE.replace("100000000000", "1000000")))


def test_a_grid_over_the_bound_is_refused_before_it_is_built(tmp_path, monkeypatch) -> None:
    """Ranges each under the bound can still multiply past it: the product is counted first."""
    import synth.suite.spec as spec_module

    monkeypatch.setattr(spec_module, "MAX_CELLS", 10)
    assert len(load_spec(write(tmp_path, HUGE.replace("100000000000", "9")))) == 10  # at the bound: fine
    with pytest.raises(UserError, match=r"spec.toml:6:8: seed: the range 0..10 has 11 values, more than a spec may sweep \(10\)"):
        load_spec(write(tmp_path, HUGE.replace("100000000000", "10")))
    with pytest.raises(UserError, match=r"spec.toml:6:24: seed: the range 5..10 has 6 values, 11 in all, more than a spec may sweep \(10\)"):  # the values of a list add up
        load_spec(write(tmp_path, HUGE.replace('"0..100000000000"', '[1, 2, 3, 4, 5, "5..10"]')))
    product = HUGE.replace("100000000000", "4") + 'test_seed = "0..2"\n'
    with pytest.raises(UserError, match=r"spec.toml:1:1: the grid of \[\[generated\]\] entry 1 would have 15 cells, more than a spec may have \(10\)"):
        load_spec(write(tmp_path, product))
    search = HUGE.replace('"0..100000000000"', "0") + "timeout = [1, 2, 3]\nmax_cost = \"1..4\"\n"
    with pytest.raises(UserError, match=r"spec.toml:1:1: the grid of \[\[generated\]\] entry 1 would have 12 cells"):
        load_spec(write(tmp_path, search))
    two = HUGE.replace("100000000000", "5") + "\n" + HUGE.replace("100000000000", "5").replace('"parity_check"', '"even_pairs"')
    with pytest.raises(UserError, match=r"spec.toml:8:1: the spec would have 12 cells, more than a spec may have \(10\)"):
        load_spec(write(tmp_path, two))


def test_lengths_and_test_sets_a_cell_cannot_draw_in_time_are_refused_at_their_line(tmp_path) -> None:
    """A slip like test_lengths = "6..5000000" was a cell drawing millions of ever longer test inputs, with no word."""
    ok = HUGE.replace('"0..100000000000"', "0")
    assert len(load_spec(write(tmp_path, ok))) == 1
    with pytest.raises(UserError, match=r"spec.toml:5:16: test_lengths 6..5000000: inputs of length 5,000,000, longer than a spec may draw \(100,000\)"):
        load_spec(write(tmp_path, ok.replace('"6..8"', '"6..5000000"')))
    with pytest.raises(UserError, match=r"spec.toml:4:17: train_lengths 200000: inputs of length 200,000"):
        load_spec(write(tmp_path, ok.replace('"1..5"', '"200000"')))
    with pytest.raises(UserError, match=r"spec.toml:5:16: test_lengths 6..60000 with test_count 2: 119,990 test examples a cell, more than a spec may draw \(100,000\)"):
        load_spec(write(tmp_path, ok.replace('"6..8"', '"6..60000"') + "test_count = 2\n"))


def test_suite_status_and_run_refuse_a_huge_range_with_one_message(tmp_path) -> None:
    from click.testing import CliRunner

    from synth.cli import main

    spec = write(tmp_path, HUGE)
    for args in (["suite", "status", str(tmp_path / "n.sqlite"), spec], ["suite", "run", spec, "--db", str(tmp_path / "r.sqlite")]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 2, result.output
        assert "spec.toml:6:8: seed: the range 0..100000000000 has 100,000,000,001 values" in result.output
        assert "Traceback" not in result.output and not (tmp_path / "r.sqlite").exists()


def test_a_spec_nested_too_deep_for_the_toml_reader_is_one_message(tmp_path) -> None:
    message = _error(tmp_path, "seed = " + "[" * 2000 + "]" * 2000 + "\n")
    assert "spec.toml" in message and "nested too deep" in message


def test_a_spec_is_known_by_its_suffix_in_any_case(tmp_path) -> None:
    assert plan([write(tmp_path, GOOD, "SPEC.TOML")]) == load_spec(write(tmp_path, GOOD))
