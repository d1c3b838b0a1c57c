"""`synth.read_records`: a task file's splits are read one at a time, and a skipped record is never silent."""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path

import pytest

import synth
from dsl.errors import UserError
from tasks.lego.io import read_task_file

ROOT = Path(__file__).resolve().parents[2]
PAPER = ROOT / "examples" / "lego_z2_paper.json"


def _task(tmp_path: Path, train: list, test: list) -> Path:
    path = tmp_path / "task.json"
    path.write_text(json.dumps({"family": "lego", "train": train, "test": test}, indent=1))
    return path


def test_a_task_file_is_read_one_split_at_a_time() -> None:
    with pytest.raises(UserError) as err:
        synth.read_records(PAPER)
    assert str(err.value) == (
        f"{PAPER} is a task file, with a train and a test split: read one, "
        f"synth.read_records({str(PAPER)!r}, split='train') to fit on, split='test' to score on"
    )
    train, test = synth.read_records(PAPER, split="train"), synth.read_records(PAPER, split="test")
    _, want_train, want_test = read_task_file(PAPER)
    assert [(r.sentence, r.labels) for r in train] == [(r.sentence, r.labels) for r in want_train]
    assert [(r.sentence, r.labels) for r in test] == [(r.sentence, r.labels) for r in want_test]
    assert (len(train), len(test)) == (5, 20)
    assert [r.where for r in test][:2] == [f"{PAPER}, test record 1", f"{PAPER}, test record 2"]
    assert {r.where.rsplit(",", 1)[1].split()[0] for r in train} == {"train"}


def test_fit_on_the_train_split_scores_the_test_split_alone() -> None:
    baseline = synth.fit(synth.read_records(PAPER, split="train"), timeout=60)
    report = baseline.score(synth.read_records(PAPER, split="test"))
    assert report.records == 20  # the test split only, as `synth eval` reports its "split test"


@pytest.mark.parametrize("split", ["Test", "both", "", 1])
def test_split_must_name_one_of_the_two(split) -> None:
    with pytest.raises(UserError, match="^" + re.escape(f"split must be 'train' or 'test' (the two splits of a task file), not {split!r}") + "$"):
        synth.read_records(PAPER, split=split)


def test_split_is_refused_for_a_file_of_records(tmp_path) -> None:
    path = tmp_path / "r.jsonl"
    path.write_text(json.dumps({"sentence": "a = +1; b = -a", "labels": {"a": 1}}) + "\n")
    message = f"split='test' is for a task file; {path} is a file of records, with no splits: synth.read_records({str(path)!r})"
    with pytest.raises(UserError, match="^" + re.escape(message) + "$"):
        synth.read_records(path, split="test")
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    with pytest.raises(UserError, match=re.escape("is a file of records, with no splits")):
        synth.read_records(empty, split="train")


MIXED = [
    {"sentence": "a = +1; b = -a", "labels": {"a": 1}},
    {"sentence": "a = +1; b = -c"},
    {"sentence": "x = +1; y = -x", "labels": {"y": -1}},
]


def test_skip_bad_warns_with_the_count_and_where_and_keeps_every_error(tmp_path) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in MIXED))
    with pytest.warns(UserWarning) as caught:
        records = synth.read_records(path, skip_bad=True)
    assert [r.where for r in records] == [f"{path}:1", f"{path}:3"]
    assert [str(e) for e in records.skipped] == [f'{path}:2:14: clause 2: variable "c" is used but never defined']
    assert len(caught) == 1 and str(caught[0].message) == (
        f"read_records skipped 1 bad record of {path} (kept 2; the list's .skipped holds every error): "
        f'{path}:2:14: clause 2: variable "c" is used but never defined'
    )
    assert caught[0].filename == __file__  # points at the caller's line


def test_skip_bad_names_the_first_three_and_counts_the_rest(tmp_path) -> None:
    path = tmp_path / "many.txt"
    path.write_text("a = +1; b = -a;\n" + "".join(f"a = +1; b = -z{k};\n" for k in range(5)))
    with pytest.warns(UserWarning, match=r"skipped 5 bad records of .* \(kept 1; .*:2:.*; .*:3:.*; .*:4:[^;]*; and 2 more$"):
        records = synth.read_records(path, skip_bad=True)
    assert len(records.skipped) == 5 and len(records) == 1


def test_no_warning_when_nothing_is_skipped(tmp_path) -> None:
    path = tmp_path / "good.jsonl"
    path.write_text(json.dumps(MIXED[0]) + "\n")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        records = synth.read_records(path, skip_bad=True)
    assert len(records) == 1 and records.skipped == ()
    assert records == [records[0]] and isinstance(records, list)


def test_skip_bad_in_a_task_file_reports_the_split_read_and_numbers_records_as_the_file_does(tmp_path) -> None:
    path = _task(tmp_path, train=[MIXED[0], MIXED[1], MIXED[2]], test=[MIXED[2], MIXED[1], MIXED[0]])
    with pytest.warns(UserWarning, match=r"skipped 1 bad record of .*\(kept 2;.*train record 2: clause 2"):
        train = synth.read_records(path, split="train", skip_bad=True)
    assert [r.where for r in train] == [f"{path}, train record 1", f"{path}, train record 3"]  # K is the record's place in the file
    with pytest.warns(UserWarning, match=r"skipped 1 bad record of .*test record 2: clause 2") as caught:
        test = synth.read_records(path, split="test", skip_bad=True)
    assert len(caught) == 1 and [r.where for r in test] == [f"{path}, test record 1", f"{path}, test record 3"]
    assert [e.where for e in test.skipped] == ["test record 2"]  # the train split's bad record is not this list's loss


def test_each_record_read_keeps_its_own_sentence_s_notation(tmp_path) -> None:
    """Library audit: a signs sentence after a token one was given the file's majority so far (official), so its right
    answers in +1/-1 scored half; the reader reads each record's labels in its own sentence's notation."""
    path = tmp_path / "mixed.jsonl"
    path.write_text(
        json.dumps({"sentence": "a = val 1 ,  b = not a , ", "labels": {"a": 1, "b": 0}}) + "\n"
        + json.dumps({"sentence": "x = -1; y = +x", "labels": {"x": -1, "y": -1}}) + "\n"
    )
    records = synth.read_records(path)
    assert [r.notation for r in records] == ["official", "signs"]
    assert synth.score_predictions(records, [{"a": 1, "b": 0}, {"x": -1, "y": -1}]).overall.correct == 4
