"""The paper's per-token score: the code's mask, pooling per length, mean over lengths, percent."""

from __future__ import annotations

from pathlib import Path

import pytest

from dsl.parse import load_program, parse_program
from synth.report.generalize import generalization, score
from tasks.sequence import get_sequence_task
from tasks.sequence.scoring import (
    TokenScore,
    by_length,
    paper_score,
    scored_positions,
    suite_task_of,
    token_accuracy,
)
from tasks.task import load_task

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_classification_is_one_token():
    task = get_sequence_task("parity_check")
    assert token_accuracy(task, 1, 1) == TokenScore(1, 1)
    assert token_accuracy(task, 1, 0) == TokenScore(0, 1)
    assert token_accuracy(task, 1, None) == TokenScore(0, 1)


def test_mask_keeps_tokens_up_to_the_first_termination_token():
    task = get_sequence_task("binary_addition")
    expected = (1, 0, 1, 2, 0, 0)
    assert scored_positions(task, expected) == 4
    # wrong padding after the termination token does not count
    assert token_accuracy(task, expected, (1, 0, 1, 2, 1, 1)) == TokenScore(4, 4)
    assert token_accuracy(task, expected, (1, 1, 1, 0, 0, 0)) == TokenScore(2, 4)
    # a short prediction loses the positions it does not produce; a failed run loses all
    assert token_accuracy(task, expected, (1, 0)) == TokenScore(2, 4)
    assert token_accuracy(task, expected, None) == TokenScore(0, 4)


def test_no_termination_token_scores_every_position():
    task = get_sequence_task("compute_sqrt")
    assert token_accuracy(task, (0, 1, 1), (0, 1, 0, 9)) == TokenScore(2, 3)
    # stack_manipulation has one: an empty final stack is just the termination token
    assert scored_positions(get_sequence_task("stack_manipulation"), (2, 0, 0, 0)) == 1


def test_pooled_per_length_then_averaged_over_lengths():
    per_length = by_length([(41, TokenScore(3, 4)), (41, TokenScore(0, 4)), (500, TokenScore(10, 10))])
    assert per_length == {41: TokenScore(3, 8), 500: TokenScore(10, 10)}
    assert paper_score(per_length) == pytest.approx(100 * (3 / 8 + 1) / 2)
    assert paper_score({}) is None  # nothing scored: no score, not 100
    assert paper_score({0: TokenScore(0, 0), 41: TokenScore(1, 4)}) == pytest.approx(25.0)  # a length without tokens is left out


def test_a_correct_program_scores_100_and_a_wrong_one_in_the_papers_units(tmp_path):
    task = get_sequence_task("reverse_string")
    examples = task.examples(60, 10, seed=1)
    right = score(load_program(EXAMPLES / "reverse_string.dsl"), examples, "test", suite=task)
    assert right.token_score == 100.0 and right.labels == 600
    identity = parse_program("input xs: List[Int]\nxs")
    wrong = score(identity, examples, "test", suite=task)
    assert wrong.accuracy == 0.0 and 30.0 < wrong.token_score < 70.0  # about chance (50) per token


def test_generalization_reports_the_token_score_for_suite_task_files():
    task = load_task(EXAMPLES / "parity_check.json")
    assert suite_task_of(task) is get_sequence_task("parity_check")
    scores = generalization(load_program(EXAMPLES / "parity_check.dsl"), task, count=3)
    assert all(s.token_score == 100.0 for s in scores)
    lego = load_task(EXAMPLES / "lego_z5.json")
    assert suite_task_of(lego) is None
    assert all(s.token_score is None for s in generalization(load_program(EXAMPLES / "lego.dsl"), lego, count=2, factors=(2,)))
