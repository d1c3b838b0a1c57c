"""Listed programs with the same outputs on every input tried are marked; programs that differ anywhere are not."""

from __future__ import annotations

import json
from pathlib import Path

from dsl.parse import parse_program
from synth.report.generalize import check_sets
from synth.report.sameness import SameAs, same_as, tried_inputs
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
              "fold (s, x) -> x xor xs[0] from 1 over xs", "fold (s, x) -> x + xs[0] from 1 over xs"]
    programs = [parse_program(f"input xs: List[Int]\n{b}\n") for b in bodies]
    inputs = tried_inputs(task, sets)
    assert len(inputs) == len(task.train) + sum(len(s.examples) for s in sets)
    assert same_as(programs, inputs) == [None, None, SameAs(1, len(inputs)), SameAs(2, len(inputs))]
    assert same_as(programs, inputs) == same_as(programs, tried_inputs(task, check_sets(task, count=5, seed=0))), "deterministic"


def test_nothing_is_marked_when_only_the_training_inputs_were_tried(tmp_path):
    """Every listed program fits the training examples: alike there says nothing, so no mark (an open task, no test set)."""
    task = _task(tmp_path, [0, 2], [])
    inputs = tried_inputs(task, check_sets(task))
    programs = _programs("x + x", "2 * x")
    assert same_as(programs, inputs, training=len(task.train)) == [None, None]
    with_test = _task(tmp_path, [0, 2], [3])
    assert same_as(programs, tried_inputs(with_test, check_sets(with_test)), training=2) == [None, SameAs(1, 3)]
