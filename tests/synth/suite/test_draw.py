"""Training sets are drawn as the networks' are, deterministically, and the draw is recorded."""

from __future__ import annotations

import dataclasses

import pytest

from dsl.errors import UserError
from synth.report.generalize import example_length
from synth.suite.cell import Cell, Generated, Lengths, SearchSettings
from synth.suite.draw import draw
from synth.suite.spec import task_file
from synth.suite.worker import run_cell
from tasks.sequence import get_sequence_task


def _cell(seed: int, task: str = "parity_check", size: int = 50) -> Cell:
    return Cell(Generated("sequence", task, size, Lengths(1, 40), Lengths(41, 60), seed), SearchSettings())


def test_training_lengths_are_uniform_in_range_and_recorded() -> None:
    drawn = draw(_cell(0, size=2000))
    lengths = [example_length(ex) for ex in drawn.task.train]
    assert lengths == drawn.training["lengths"]
    assert min(lengths) == 1 and max(lengths) == 40  # 2000 draws cover both ends
    counts = [lengths.count(n) for n in range(1, 41)]
    assert max(counts) < 2.5 * min(counts)  # roughly uniform, not all one length as in a batch
    assert drawn.training["seed"] == 0 and (drawn.training["lo"], drawn.training["hi"]) == (1, 40)


def test_the_draw_is_deterministic_and_depends_on_the_seed() -> None:
    a, b, c = draw(_cell(3)), draw(_cell(3)), draw(_cell(4))
    assert a.task.train == b.task.train and a.training == b.training
    assert a.task.train != c.task.train


def test_labels_are_the_reference_outputs() -> None:
    for name in ("parity_check", "reverse_string", "modular_arithmetic"):
        seq = get_sequence_task(name)
        drawn = draw(_cell(1, name, 30))
        assert all(seq.reference(ex.inputs["xs"]) == ex.output for ex in drawn.task.train + drawn.task.test)


def test_every_seed_of_a_task_is_tested_on_the_same_examples() -> None:
    a, b = draw(_cell(0)), draw(_cell(1))
    assert a.task.test == b.task.test
    assert sorted({example_length(ex) for ex in a.task.test}) == list(range(41, 61))
    other = dataclasses.replace(_cell(0), source=dataclasses.replace(_cell(0).source, test_seed=1))
    assert draw(other).task.test != a.task.test


def test_a_task_file_edited_since_the_sweep_was_planned_is_not_run_as_the_planned_cell(tmp_path, root) -> None:
    # a task file rewritten during a sweep: its row said the planned sha256, with the program found on the new content
    path = tmp_path / "task.json"
    path.write_bytes((root / "examples" / "open" / "last_element.json").read_bytes())
    cell = Cell(task_file(str(path)), SearchSettings(timeout=5.0))
    assert draw(cell).training["sha256"] == cell.source.sha256  # type: ignore[union-attr]
    path.write_bytes((root / "examples" / "open" / "largest_element.json").read_bytes())
    with pytest.raises(UserError, match=r"task\.json: the task file has changed since the sweep was planned \(sha256 c45a0041733f, now "):
        draw(cell)
    outcome = run_cell(cell)
    assert outcome.status == "error" and outcome.program is None and "has changed since the sweep was planned" in (outcome.error or "")
