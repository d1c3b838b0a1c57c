"""One cell in this process: statuses, the CPU budget, accuracy by length bucket, crashes as errors."""

from __future__ import annotations

import time

import pytest

from dsl.parse import parse_program
from synth.search import bank
from synth.suite import worker
from synth.suite.outcome import STATUSES, Outcome
from synth.suite.worker import CpuLimit, run_cell, score_by_length
from tasks.core import Task
from tasks.sequence import get_sequence_task
from tasks.sequence.io import sequence_spec


def test_a_solvable_cell_is_found_and_exact_at_every_test_length(cell_maker) -> None:
    out = run_cell(cell_maker(0))
    assert out.status == "found" and out.program and out.cost and out.candidates > 0
    acc = out.accuracy
    assert acc["exact"] == acc["mean_exact"] == 1.0 and acc["lengths"] == "13..20"
    assert [b["lengths"] for b in acc["buckets"]] == ["13..16", "17..20"]
    assert sum(b["examples"] for b in acc["buckets"]) == acc["examples"] == 8
    assert out.cpu_seconds > 0 and out.wall_seconds > 0 and out.peak_mb and out.peak_mb > 1
    assert out.training["lengths"] and out.stats["stopped"] == "found"


# hypothesis (loaded by other tests) adds a garbage-collector callback; an interrupt landing in it
# is swallowed (setup.cfg filters the warning) - the limit's repeat is what this test relies on then.
def test_the_cpu_budget_stops_a_search_that_cannot_finish(cell_maker) -> None:
    out = run_cell(cell_maker(0, task="reverse_string", timeout=0.3))
    assert out.status == "timeout" and out.program is None and out.stats["limit"] == "cpu"
    assert 0.25 <= out.cpu_seconds < 5
    assert out.accuracy is not None and out.accuracy["exact"] == 0.0  # no program scores 0


def test_the_cpu_limit_counts_cpu_not_sleep() -> None:
    limit = CpuLimit(0.2)
    with limit:
        time.sleep(0.3)  # no CPU: the limit must not fire
    assert not limit.fired
    with pytest.raises(KeyboardInterrupt), limit:
        while True:
            pass
    assert limit.fired


def test_exhausted_when_no_program_up_to_max_cost(cell_maker) -> None:
    out = run_cell(cell_maker(0, task="reverse_string", max_cost=3))
    assert out.status == "exhausted" and out.program is None


def test_a_crash_is_an_error_outcome_with_its_message(cell_maker, monkeypatch) -> None:
    def boom(cell):
        raise ZeroDivisionError("deliberate")

    monkeypatch.setattr(worker, "draw", boom)
    out = run_cell(cell_maker())
    assert out.status == "error" and out.error == "ZeroDivisionError: deliberate"

    def no_memory(cell):
        raise MemoryError

    monkeypatch.setattr(worker, "draw", no_memory)
    assert run_cell(cell_maker()).status == "memory"


def test_accuracy_by_bucket_counts_each_example_once() -> None:
    seq = get_sequence_task("parity_check")
    examples = tuple(ex for n in range(10, 20) for ex in seq.examples(n, 3, n))
    task = Task("parity_check", "sequence", seq.input_types, seq.output_type, examples[:1], examples, sequence_spec(seq))
    wrong = parse_program("input xs: List[Int]\n0")  # right only on even parity
    acc = score_by_length(wrong, task, bucket=5)
    assert [b["lengths"] for b in acc["buckets"]] == ["10..14", "15..19"]
    right = sum(int(ex.output == 0) for ex in examples)
    assert acc["exact"] == pytest.approx(right / len(examples))
    assert 0 < acc["mean_exact"] < 1
    assert acc["mean_token"] == pytest.approx(acc["mean_exact"])  # a class output is one token


def test_outcome_statuses_are_closed() -> None:
    with pytest.raises(ValueError):
        Outcome(status="maybe")
    assert set(STATUSES) == {"found", "exhausted", "timeout", "memory", "error"}


def test_tests_that_outlast_the_budget_score_zero(cell_maker, monkeypatch) -> None:
    def endless(program, task, bucket):
        if program is None:
            return {"exact": 0.0, "mean_exact": 0.0, "buckets": []}
        while True:
            pass

    monkeypatch.setattr(worker, "score_by_length", endless)
    out = run_cell(cell_maker(0, timeout=0.3))
    assert out.status == "found" and out.accuracy["exact"] == 0.0 and "CPU seconds" in out.accuracy["stopped"]


def test_a_cell_past_its_memory_cap_is_a_memory_outcome_not_a_crash(cell_maker, monkeypatch) -> None:
    monkeypatch.setattr(bank, "resident_mb", lambda: 3000.0)  # the process made to look past the cap
    out = run_cell(cell_maker(0, max_memory_mb=2000))
    assert out.status == "memory" and out.stats["stopped"] == "out of memory" and out.program is None
    assert out.accuracy is not None and out.accuracy["exact"] == 0.0  # no program scores 0
    monkeypatch.setattr(bank, "resident_mb", lambda: 1000.0)
    assert run_cell(cell_maker(0, max_memory_mb=2000)).status == "found"


def test_the_last_bucket_label_stops_at_the_longest_test() -> None:
    # audit #23: a test range 41..60 with buckets of 50 was labelled 41..90
    seq = get_sequence_task("parity_check")
    examples = tuple(ex for n in range(41, 61) for ex in seq.examples(n, 1, n))
    task = Task("parity_check", "sequence", seq.input_types, seq.output_type, examples[:1], examples, sequence_spec(seq))
    assert [b["lengths"] for b in score_by_length(None, task, bucket=50)["buckets"]] == ["41..60"]
    assert [b["lengths"] for b in score_by_length(None, task, bucket=8)["buckets"]] == ["41..48", "49..56", "57..60"]
