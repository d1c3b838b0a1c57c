"""Listed programs with the same outputs on every input tried are marked; programs that differ anywhere are not."""

from __future__ import annotations

import json
from pathlib import Path
from unittest.mock import ANY

import pytest

from dsl.parse import parse_program
from synth.report.generalize import check_sets, example_length, short_examples
from synth.report.sameness import SameAs, boundary_inputs, same_as, tried_inputs
from tasks.task import load_task

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


def _task(tmp_path: Path, xs: list[int], test: list[int]):
    doc = {
        "name": "double",
        "train": [{"input": {"x": x}, "output": 2 * x} for x in xs],
        "test": [{"input": {"x": x}, "output": 2 * x} for x in test],
    }
    path = tmp_path / "double.json"
    path.write_text(json.dumps(doc))
    return load_task(str(path))


def _programs(*bodies: str):
    return [parse_program(f"input x: Int\n{body}\n") for body in bodies]


def test_equal_expressions_are_marked_with_the_first_and_the_count(tmp_path):
    task = _task(tmp_path, [1, 3], [5, 7, 9])
    inputs = tried_inputs(task, check_sets(task))
    assert len(inputs) == 5, "training inputs, then the test inputs"
    assert same_as(_programs("x + x", "2 * x", "x * 3 - x"), inputs) == [None, SameAs(1, 5), SameAs(1, 5)]
    assert SameAs(1, 5).describe() == "same outputs as #1 on all 5 inputs tried"


def test_programs_that_differ_on_one_input_are_not_marked(tmp_path):
    """x * x equals x + x on 0 and 2 only: alike on those inputs, told apart once a test input differs."""
    programs = _programs("x + x", "x * x")
    task = _task(tmp_path, [0, 2], [])
    assert same_as(programs, tried_inputs(task, check_sets(task))) == [None, SameAs(1, 2)]
    task = _task(tmp_path, [0, 2], [0, 2, 3])
    assert same_as(programs, tried_inputs(task, check_sets(task))) == [None, None]


def test_failures_count_as_one_outcome_and_differ_from_any_output(tmp_path):
    task = _task(tmp_path, [0, 2], [4])
    inputs = tried_inputs(task, check_sets(task))
    marks = same_as(_programs("x / x", "x / (x + 0)", "x + x"), inputs)
    assert marks == [None, SameAs(1, 3), None]


def test_twins_point_at_the_first_of_their_kind_in_listed_order():
    task = load_task(str(EXAMPLES / "even_pairs.json"))
    sets = check_sets(task, count=5, seed=0)
    bodies = ["fold (s, x) -> x xor xs[0] from 0 over xs", "fold (s, x) -> x + xs[0] from 0 over xs",
              "fold (s, x) -> xs[0] xor x from 0 over xs", "fold (s, x) -> xs[0] + x from 0 over xs"]
    programs = [parse_program(f"input xs: List[Int]\n{b}\n") for b in bodies]
    inputs = tried_inputs(task, sets)
    assert len(inputs) == len(task.train) + sum(len(s.examples) for s in sets)
    assert same_as(programs, inputs) == [None, None, SameAs(1, len(inputs)), SameAs(2, len(inputs))]
    assert same_as(programs, inputs) == same_as(programs, tried_inputs(task, check_sets(task, count=5, seed=0))), "deterministic"


@pytest.mark.parametrize("name, start", [("even_pairs", 1), ("even_pairs", 2), ("parity_check", 2), ("cycle_navigation", 5)])
def test_a_start_value_read_only_on_the_empty_input_tells_programs_apart(name, start):
    """The audit's repros: folds that differ only in a start value all training and long inputs hide, but [] shows."""
    task = load_task(str(EXAMPLES / f"{name}.json"))
    body = {"even_pairs": "x xor xs[0]", "parity_check": "x xor s mod 2", "cycle_navigation": "(s + (x - 1)) mod 5"}[name]
    programs = [parse_program(f"input xs: List[Int]\nfold (s, x) -> {body} from {s} over xs\n") for s in (0, start)]
    sets = check_sets(task, count=5, seed=0)
    short = next(s for s in sets if s.name == "short")
    assert short.examples[0].inputs == {"xs": ()}, "the empty input comes first: all three tasks allow it"
    assert {example_length(ex) for ex in short.examples} == {0, 1, 2}
    assert same_as(programs, tried_inputs(task, sets)) == [None, None]
    assert same_as(programs, tried_inputs(task, [s for s in sets if s.name != "short"])) == [None, SameAs(1, ANY)], "the long inputs alone miss it"


def test_a_task_without_an_empty_input_has_a_short_set_from_length_1():
    """LEGO's generator refuses a sentence of no clause: the short set starts at 1."""
    task = load_task(str(EXAMPLES / "lego_z2_paper.json"))
    lengths = {example_length(ex) for ex in short_examples(task, count=5)}
    assert lengths == {1, 2}, "a LEGO sentence has at least one clause"


def test_boundary_inputs_of_an_open_task_are_every_short_list_over_its_values(tmp_path):
    """running_max (open, no generator): a scan from 1 equals the one from 0 on every input the file holds, not on [0]."""
    task = load_task(str(EXAMPLES / "open" / "running_max.json"))
    extra = boundary_inputs(task)
    assert len(extra) == 1 + 10 + 100 and extra[0] == {"xs": ()} and {"xs": (0, 0)} in extra
    assert boundary_inputs(task) == extra, "deterministic"
    programs = [parse_program(f"input xs: List[Int]\nscan (s, x) -> if s < x then x else s from {s} over xs\n") for s in (0, 1, -1)]
    sets = check_sets(task)
    assert same_as(programs, tried_inputs(task, sets)) == [None, None, SameAs(1, len(task.train) + len(task.test) + len(extra))]
    without = tuple(ex.inputs for ex in (*task.train, *task.test))
    assert same_as(programs, without) == [None, SameAs(1, len(without)), SameAs(1, len(without))], "before: [0] was never tried"


def test_boundary_inputs_add_zero_and_skip_inputs_with_many_values(tmp_path):
    doc = {"name": "t", "train": [{"input": {"xs": [3, 5], "k": 2, "ws": list(range(20))}, "output": 1}]}
    path = tmp_path / "t.json"
    path.write_text(json.dumps(doc))
    extra = boundary_inputs(load_task(str(path)))
    assert {x["k"] for x in extra} == {2} and all(x["ws"] == tuple(range(20)) for x in extra), "other inputs as in the first example"
    assert [x["xs"] for x in extra][:4] == [(), (0,), (3,), (5,)] and len(extra) == 1 + 3 + 9
    assert boundary_inputs(load_task(str(EXAMPLES / "parity_check.json"))) == (), "a task with a generator draws its own"


def test_nothing_is_marked_when_only_the_training_inputs_were_tried(tmp_path):
    """Every listed program fits the training examples: alike there says nothing, so no mark (an open task, no test set)."""
    task = _task(tmp_path, [0, 2], [])
    inputs = tried_inputs(task, check_sets(task))
    programs = _programs("x + x", "2 * x")
    assert same_as(programs, inputs, training=len(task.train)) == [None, None]
    with_test = _task(tmp_path, [0, 2], [3])
    assert same_as(programs, tried_inputs(with_test, check_sets(with_test)), training=2) == [None, SameAs(1, 3)]
