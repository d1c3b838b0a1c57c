"""The 15 suite tasks: generators agree with independent references, follow DeepMind's code,
and check_input accepts exactly what the code can draw."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from dsl.errors import UserError
from synth.cli import main
from tasks.sequence import SEQUENCE_TASKS, describe, get_sequence_task
from tasks.sequence.tasks import (
    binary_addition,
    binary_multiplication,
    bucket_sort,
    compute_sqrt,
    missing_duplicate_string,
    modular_arithmetic_brackets,
    odds_first,
    solve_equation,
    stack_manipulation,
)
from tasks.task import load_task

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

NAMES = list(SEQUENCE_TASKS)


def test_the_table_has_the_papers_15_tasks_in_its_order():
    assert NAMES == [
        "even_pairs", "modular_arithmetic", "parity_check", "cycle_navigation",
        "stack_manipulation", "reverse_string", "modular_arithmetic_brackets", "solve_equation",
        "duplicate_string", "missing_duplicate_string", "odds_first", "binary_addition",
        "binary_multiplication", "compute_sqrt", "bucket_sort",
    ]
    assert [SEQUENCE_TASKS[n].level for n in NAMES] == ["regular"] * 4 + ["dcf"] * 4 + ["cs"] * 7


@pytest.mark.parametrize("name", NAMES)
def test_generator_labels_agree_with_the_reference(name):
    task = get_sequence_task(name)
    for length in [*range(task.min_length, 14), 40, 41, 120]:
        for ex in task.examples(length, 25, seed=length):
            xs = ex.inputs["xs"]
            assert task.check_input(xs) is None, (xs, task.check_input(xs))
            assert task.reference(xs) == ex.output, xs
            if task.output_length is not None:
                assert len(ex.output) == task.output_length(len(xs))
                assert all(0 <= t < task.output_alphabet for t in ex.output)
            else:
                assert 0 <= ex.output < task.classes
            expected_len = length - 1 if name == "modular_arithmetic" and length % 2 == 0 else length
            assert len(xs) == expected_len


@pytest.mark.parametrize("name", NAMES)
def test_examples_are_deterministic_per_seed(name):
    task = get_sequence_task(name)
    assert task.examples(30, 4, seed=7) == task.examples(30, 4, seed=7)
    assert task.examples(30, 4, seed=7) != task.examples(30, 4, seed=8)


@pytest.mark.parametrize("name", NAMES)
def test_check_input_accepts_exactly_what_the_generator_draws_at_short_lengths(name):
    """Every token list of length <= 4 that check_input accepts is drawn, and nothing else is."""
    task = get_sequence_task(name)
    rng = np.random.default_rng(0)
    for length in range(task.min_length, 5):
        accepted = {xs for xs in itertools.product(range(task.alphabet), repeat=length) if task.check_input(xs) is None}
        if name == "modular_arithmetic" and length % 2 == 0:
            drawn = set()
        else:  # enough draws that missing an input by chance is below 1e-6
            drawn = {d.xs for d in task.draw(rng, length, 30 * len(accepted) + 500)}
        assert accepted == drawn, (length, sorted(accepted ^ drawn)[:5])


def test_deepmind_docstring_examples():
    # stack: 0 1 1 0 PUSH1 POP POP -> 1 1 0, end, padded to n + 1
    assert stack_manipulation([0, 1, 1, 0, 4, 2, 2]) == (1, 1, 0, 2, 0, 0, 0, 0)
    assert stack_manipulation([1, 1, 0, 2, 2, 2]) == (2, 0, 0, 0, 0, 0, 0)  # the docstring shows one 0 too many
    # 4 + 22 = 26 and 9 + 32 = 41, little-endian, n + 1 tokens
    assert binary_addition([0, 0, 1, 2, 0, 1, 1, 0, 1]) == (0, 1, 0, 1, 1, 2, 0, 0, 0, 0)
    assert binary_addition([1, 0, 0, 1, 2, 0, 0, 0, 0, 0, 1]) == (1, 0, 0, 1, 0, 1, 2, 0, 0, 0, 0, 0)
    # 4 * 22 = 88 and 9 * 32 = 288, n tokens
    assert binary_multiplication([0, 0, 1, 2, 0, 1, 1, 0, 1]) == (0, 0, 0, 1, 1, 0, 1, 2, 0)
    assert binary_multiplication([1, 0, 0, 1, 2, 0, 0, 0, 0, 0, 1]) == (0, 0, 0, 0, 0, 1, 0, 0, 1, 2, 0)
    # big-endian square roots: 37 -> 6, 7 -> 2
    assert compute_sqrt([1, 0, 0, 1, 0, 1]) == (1, 1, 0) and compute_sqrt([1, 1, 1]) == (1, 0)
    assert missing_duplicate_string([0, 1, 1, 0, 0, 2, 1, 0]) == 1 and missing_duplicate_string([1, 0, 1, 1, 2, 1, 3]) == 0
    assert bucket_sort([1, 0, 2, 0, 4, 1, 1, 2]) == (0, 0, 1, 1, 1, 2, 2, 4)
    # the code's order: 0-based odd positions first (the text and docstring say the opposite)
    assert odds_first([0, 0, 1, 1, 0, 1, 0, 1]) == (0, 1, 1, 1, 0, 1, 0, 0) and odds_first([1, 1, 0]) == (1, 1, 0)


def test_bracket_expressions():
    # tokens: digits, 5 + 6 - 7 * 8 ( 9 )
    assert modular_arithmetic_brackets([3]) == 3 and modular_arithmetic_brackets([6, 3]) == 2
    assert modular_arithmetic_brackets([8, 6, 3, 9]) == 2
    assert modular_arithmetic_brackets([8, 4, 7, 8, 3, 6, 6, 4, 9, 9]) == 3  # (4*(3--4)) = 28 = 3
    # solve_equation tokens: 5 + 6 - 7 ( 8 ) 9 x 10 =
    assert solve_equation([7, 4, 5, 6, 9, 8, 10, 2]) == 2  # (4 + -x) = 2
    assert solve_equation([7, 9, 6, 7, 3, 5, 1, 8, 8, 10, 0]) == 4  # (x - (3 + 1)) = 0
    assert solve_equation([0, 0]) == 0 and solve_equation([]) == 0


@pytest.mark.parametrize(
    "name,xs,why",
    [
        ("parity_check", [0, 2], "outside 0..1"),
        ("modular_arithmetic", [1, 5], "odd length"),
        ("modular_arithmetic", [1, 8, 2], "blank"),
        ("modular_arithmetic", [5, 1, 5], "numbers 0..4"),
        ("modular_arithmetic", [], "at least 1"),
        ("stack_manipulation", [2, 0], "starts with the stack"),
        ("stack_manipulation", [0, 2, 1], "stack bit after the first action"),
        ("stack_manipulation", [0, 1], "at least one action"),
        ("modular_arithmetic_brackets", [1, 5, 2], "operator stands between"),
        ("modular_arithmetic_brackets", [8, 8, 1, 5, 2, 9, 9], "')' closes"),
        ("modular_arithmetic_brackets", [8, 1, 5, 2, 5, 3, 9], "operator stands between"),
        ("modular_arithmetic_brackets", [6, 8, 1, 9], "unary '-' is followed by a digit"),
        ("modular_arithmetic_brackets", [10], "not part of an expression"),
        ("modular_arithmetic_brackets", [8, 1, 5, 2], "does not close"),
        ("solve_equation", [1, 10, 1], "exactly one unknown"),
        ("solve_equation", [9, 9, 10, 1], "exactly one unknown"),
        ("solve_equation", [9, 5, 1], "ends with '='"),
        ("solve_equation", [0, 1], "all zeros"),
        ("missing_duplicate_string", [0], "only one-token input"),
        ("missing_duplicate_string", [0, 1, 2, 0], "halves differ"),
        ("missing_duplicate_string", [0, 2, 0], "pad token"),
        ("missing_duplicate_string", [0, 1, 0, 1], "exactly one token is the hole"),
        ("binary_addition", [1, 1], "never all ones"),
        ("binary_addition", [0, 2], "without the operator"),
        ("binary_addition", [1, 2, 0], "never 0"),
        ("binary_addition", [1, 1, 2], "at least one bit"),
        ("binary_multiplication", [1, 2, 1, 2, 1], "exactly one operator"),
        ("compute_sqrt", [0, 0, 0], "never 0"),
        ("compute_sqrt", [], "at least 1"),
        ("bucket_sort", [5], "outside 0..4"),
    ],
)
def test_check_input_gives_the_reason(name, xs, why):
    reason = get_sequence_task(name).check_input(xs)
    assert reason is not None and why in reason, reason


def test_every_task_says_where_code_and_paper_differ():
    for name in NAMES:
        text = describe(get_sequence_task(name))
        assert text.startswith(name) and "\n  - " in text
    assert "LEFT" in describe(get_sequence_task("cycle_navigation"))
    assert "BIG-endian" in describe(get_sequence_task("compute_sqrt"))
    assert "xs[1::2] + xs[0::2]" in describe(get_sequence_task("odds_first"))


def test_too_short_lengths_are_user_errors():
    with pytest.raises(UserError, match="shortest length"):
        get_sequence_task("binary_addition").examples(0, 1, seed=0)


@pytest.mark.parametrize("name", NAMES)
def test_gen_sequence_writes_a_task_file_that_loads_and_checks(tmp_path, name):
    path = tmp_path / f"{name}.json"
    r = CliRunner().invoke(main, ["gen", "sequence", name, "--count", "6", "--test-count", "3", "--test-max-length", "60", "--seed", "3", "-o", str(path)])
    assert r.exit_code == 0, r.output
    obj = json.loads(path.read_text())
    assert obj["seed"] == 3 and obj["drawn"]["train"] == {"count": 6, "lengths": [1, 40], "length_draw": "uniform per example"}
    assert obj["drawn"]["test"]["lengths"] == [41, 60]
    task = load_task(path)
    assert len(task.train) == 6 and len(task.test) == 3
    assert all(1 <= len(ex.inputs["xs"]) <= 40 for ex in task.train)
    assert all(41 <= len(ex.inputs["xs"]) <= 60 for ex in task.test)  # modular_arithmetic: an even length drops one token
    again = tmp_path / "again.json"
    CliRunner().invoke(main, ["gen", "sequence", name, "--count", "6", "--test-count", "3", "--test-max-length", "60", "--seed", "3", "-o", str(again)])
    assert again.read_bytes() == path.read_bytes()


def test_gen_sequence_paper_defaults_and_fixed_lengths(tmp_path):
    path = tmp_path / "t.json"
    r = CliRunner().invoke(main, ["gen", "sequence", "bucket_sort", "-o", str(path)])
    assert r.exit_code == 0
    obj = json.loads(path.read_text())
    assert obj["drawn"]["train"]["lengths"] == [1, 40] and obj["drawn"]["test"]["lengths"] == [41, 500]
    r = CliRunner().invoke(main, ["gen", "sequence", "bucket_sort", "--length", "7", "--test-length", "9", "--count", "3", "--test-count", "2", "-o", str(path)])
    task = load_task(path)
    assert [len(e.inputs["xs"]) for e in task.train + task.test] == [7, 7, 7, 9, 9]


def test_gen_sequence_rejects_impossible_lengths(tmp_path):
    out = tmp_path / "never.json"
    r = CliRunner().invoke(main, ["gen", "sequence", "compute_sqrt", "--min-length", "0", "-o", str(out)])
    assert r.exit_code == 2 and "shortest length is 1" in r.stderr and not out.exists()
    r = CliRunner().invoke(main, ["gen", "sequence", "compute_sqrt", "--min-length", "9", "--max-length", "3"])
    assert r.exit_code == 2 and "empty" in r.stderr


def test_a_wrong_output_names_the_example(tmp_path):
    path = tmp_path / "bad.json"
    good = {"input": {"xs": [0, 1, 2, 1, 1]}, "output": [1, 0, 1, 2, 0, 0]}  # 2 + 3 = 5
    bad = {"input": {"xs": [1, 2, 1]}, "output": [1, 2, 0, 0]}
    path.write_text(json.dumps({"family": "sequence", "name": "binary_addition", "train": [good, bad]}))
    with pytest.raises(UserError, match=r"bad.json:1:\d+: train example 2: .*contradicts binary_addition, which gives \[0, 1, 2, 0\]"):
        load_task(path)
    path.write_text(json.dumps({"family": "sequence", "name": "solve_equation", "train": [{"input": {"xs": [1, 10, 1]}, "output": 1}]}))
    with pytest.raises(UserError, match=r"train example 1: .*unknown"):
        load_task(path)


@pytest.mark.parametrize("edit, words", [
    (lambda d: d.__setitem__("tset", d.pop("test")), 'unknown key "tset" (a sequence task file has family, name, description, task_name, seed, drawn, train, test); did you mean "test"?'),
    (lambda d: d["train"][1].__setitem__("extra", 1), 'train example 2: unknown key "extra" (an example has input, output)'),
])
def test_unknown_keys_are_refused_so_a_typo_never_drops_a_split(tmp_path, edit, words):
    """Before: a misspelt "test" loaded as a task with no test set, and validate, eval and solve said nothing."""
    doc = json.loads((EXAMPLES / "parity_check.json").read_text())
    edit(doc)
    path = tmp_path / "typo.json"
    path.write_text(json.dumps(doc, indent=1))
    with pytest.raises(UserError) as err:
        load_task(str(path))
    assert words in str(err.value) and str(err.value).startswith(f"{path}:")
    res = CliRunner().invoke(main, ["validate", str(path)])
    assert res.exit_code == 2 and words in res.output
