"""A predictor that fails (raises, answers None or nothing) is never consistent: its failures are counted apart and listed."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from dsl.errors import CycleError, DslRuntimeError
from tasks.lego.generate import generate
from tasks.lego.io import read_records, write_records
from tasks.lego.metamorphic import TRANSFORMATIONS, consistency, per_sentence
from tasks.lego.sentence import LegoRecord
from tasks.lego.solve import solve


def records(count: int) -> list[LegoRecord]:
    return generate(7, count, 3)


def resolver(sentences):
    return [solve(s) for s in sentences]


def test_a_predictor_answering_nothing_is_not_fully_consistent() -> None:
    for nothing in ({}, None):
        report = consistency(lambda ss, nothing=nothing: [nothing] * len(ss), records(12), seed=0)
        assert not report.fully_consistent
        assert report.failed == report.records == 12
        for t in report.transformations.values():
            assert t.failed == 12 and t.sentences.count == 0 and t.variables.count == 0
        text = report.format_text()
        assert "fully consistent" not in text.replace("NOT fully consistent", "")
        assert "record 1: failed on the original sentence and its permute, rename, act copies: no answer" in text
        assert report.to_dict()["fully_consistent"] is False and report.to_dict()["failed"] == 12


def test_a_run_time_error_is_a_failure_with_its_message() -> None:
    def broken(sentence):
        raise CycleError("cycle through a")

    report = consistency(per_sentence(broken), records(3), seed=0)
    assert not report.fully_consistent and report.failed == 3
    assert {f.error for f in report.failures} == {"cycle through a"}
    assert [(f.record, f.copy) for f in report.failures[:4]] == [(1, "original")] + [(1, name) for name in TRANSFORMATIONS]


def test_a_failure_on_one_copy_counts_against_that_transformation_only() -> None:
    def no_act(sentences):
        out = resolver(sentences)
        return [None if k % 4 == 3 else v for k, v in enumerate(out)]  # the act copy of every record (batches of 4)

    report = consistency(no_act, records(10), seed=0)
    assert report.failed == 10 and not report.fully_consistent
    assert report.transformations["act"].failed == 10 and report.transformations["act"].sentences.count == 0
    for name in ("permute", "rename"):
        t = report.transformations[name]
        assert t.failed == 0 and t.sentences.consistent == t.sentences.count == 10
    assert {f.copy for f in report.failures} == {"act"}


@settings(max_examples=40, deadline=None)
@given(st.lists(st.booleans(), min_size=4 * 15, max_size=4 * 15))
def test_failures_and_checked_pairs_account_for_every_pair(fails) -> None:
    """Pairs checked + pairs failed = records, per transformation; fully consistent exactly when nothing failed."""

    def flaky(sentences):
        return [None if f else v for f, v in zip(fails, resolver(sentences))]

    report = consistency(flaky, records(15), seed=1, batch_size=15)
    for j, name in enumerate(TRANSFORMATIONS, 1):
        t = report.transformations[name]
        failed_pairs = sum(fails[4 * r] or fails[4 * r + j] for r in range(15))
        assert t.failed == failed_pairs and t.sentences.count == 15 - failed_pairs
        assert t.sentences.consistent == t.sentences.count  # the answers given are right
    assert report.failed == sum(any(fails[4 * r: 4 * r + 4]) for r in range(15))
    assert report.fully_consistent == (not any(fails))


def test_failures_name_the_line_of_their_record(tmp_path) -> None:
    path = tmp_path / "data.jsonl"
    data = records(6)
    with open(path, "w") as out:
        out.write("\n")  # a blank line: lines are not record numbers
        write_records(data, "jsonl", out)
    bad = {data[1].sentence.clauses, data[4].sentence.clauses}

    def picky(sentence):
        if sentence.clauses in bad:
            raise DslRuntimeError("picky")
        return solve(sentence)

    reader = read_records(path)
    report = consistency(per_sentence(picky), reader, seed=0, batch_size=4, locate=reader.where)
    originals = [f for f in report.failures if f.copy == "original"]
    assert [(f.record, f.where) for f in originals] == [(2, f"{path}:3"), (5, f"{path}:6")]


def test_a_reader_knows_the_line_of_each_record_in_every_format(tmp_path) -> None:
    data = records(3)
    text = tmp_path / "data.txt"
    with open(text, "w") as out:
        out.write("# a comment\n")
        write_records(data, "official", out)
    reader = read_records(text)
    assert [reader.where() for _ in reader] == [f"{text}:{k}" for k in (2, 3, 4)]
    task = tmp_path / "task.json"
    task.write_text(json.dumps({"family": "lego", "train": [{"sentence": "a = +1; b = -a", "labels": {"a": 1}}],
                                "test": [{"sentence": "a = -1; b = -a"}, {"sentence": "x = +1"}]}, indent=1))
    reader = read_records(task)
    assert [reader.where() for _ in reader] == [f"{task}:4", f"{task}:12", f"{task}:15"]
