"""`synth eval` on task files of any family: scores by split and input length, checked against figures counted here."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from dsl.errors import UserError
from synth.report.taskeval import evaluate_task_files, task_family, task_files
from synth.report.tidy import EXACT, TOKEN

ROOT = Path(__file__).resolve().parents[3]
REVERSE = ROOT / "examples" / "reverse_string.json"
REVERSE_PROGRAM = ROOT / "examples" / "reverse_string.dsl"
RUNNING_MAX = ROOT / "examples" / "open" / "running_max.json"


def program(tmp_path: Path, body: str, name: str = "p.dsl") -> str:
    path = tmp_path / name
    path.write_text(f"input xs: List[Int]\n{body}\n")
    return str(path)


def test_the_reference_program_scores_every_record_of_a_sequence_task():
    result = evaluate_task_files(str(REVERSE_PROGRAM), [str(REVERSE)])
    (f,) = result.files
    assert (f.family, f.task, f.unit, f.failures) == ("sequence", "reverse_string", TOKEN, ())
    assert [s.name for s in f.splits] == ["train", "test"]
    assert [s.overall.examples for s in f.splits] == [5, 20]
    for split in f.splits:
        assert split.overall.accuracy == 1.0 and split.overall.label_accuracy == 1.0 and split.overall.token_score == 100.0
        assert all(s.accuracy == 1.0 for s in split.by_length)


@pytest.mark.parametrize("split", ["train", "test"])
def test_the_identity_on_reverse_string_scores_what_is_counted_by_hand(tmp_path, split, identity_counts):
    result = evaluate_task_files(program(tmp_path, "xs"), [str(REVERSE)])
    scores = {s.name: s for s in result.files[0].splits}[split]
    want = identity_counts(split)
    got = {s.length: (s.examples, s.correct, s.labels, s.labels_correct) for s in scores.by_length}
    assert got == want
    examples, right, tokens, tokens_right = (sum(v[k] for v in want.values()) for k in range(4))
    overall = scores.overall
    assert (overall.examples, overall.correct, overall.labels, overall.labels_correct) == (examples, right, tokens, tokens_right)
    assert overall.accuracy is not None and overall.accuracy < 1.0
    # the paper's score: the unweighted mean over lengths of the per-length token accuracy, in percent
    assert overall.token_score == pytest.approx(100 * sum(v[3] / v[2] for v in want.values()) / len(want))


def test_a_record_whose_run_fails_is_wrong_and_listed(tmp_path):
    # right up to length 12, then an index out of range
    p = program(tmp_path, "[xs[len(xs) - 1 - i] for i in range(len(xs) + (if len(xs) > 12 then 1 else 0))]")
    (f,) = evaluate_task_files(p, [str(REVERSE)]).files
    tests = json.loads(REVERSE.read_text())["test"]
    long = [i + 1 for i, ex in enumerate(tests) if len(ex["input"]["xs"]) > 12]
    assert long and [x.index for x in f.failures] == long
    assert all(x.split == "test" and "out of range" in x.error for x in f.failures)
    test = f.splits[1]
    assert test.overall.correct == len(tests) - len(long)
    assert all(s.accuracy == (0.0 if s.length > 12 else 1.0) for s in test.by_length if s.length is not None)
    assert f.splits[0].overall.accuracy == 1.0
    assert f.to_dict()["failed"][0] == {"set": "test", "index": long[0], "length": 13, "error": f.failures[0].error}


def test_a_program_that_does_not_fit_the_task_is_refused_naming_both_files(tmp_path):
    p = program(tmp_path, "len(xs)")
    with pytest.raises(UserError) as err:
        evaluate_task_files(p, [str(REVERSE)])
    message = str(err.value)
    assert message.startswith(f"{p} does not fit {REVERSE}:")
    assert "(xs: List[Int]) -> Int" in message and "(xs: List[Int]) -> List[Int]" in message
    lego = str(ROOT / "examples" / "lego.dsl")
    with pytest.raises(UserError, match="clauses: List"):
        evaluate_task_files(lego, [str(REVERSE)])


def test_an_open_task_is_scored_by_exact_match(tmp_path):
    (f,) = evaluate_task_files(program(tmp_path, "xs"), [str(RUNNING_MAX)]).files
    doc = json.loads(RUNNING_MAX.read_text())
    right = sum(ex["input"]["xs"] == ex["output"] for ex in doc["train"])
    assert (f.family, f.unit) == ("open", None)
    assert (f.splits[0].overall.correct, f.splits[0].overall.examples) == (right, len(doc["train"]))
    assert f.splits[0].overall.token_score is None


def test_csv_rows_per_split_and_length(tmp_path, identity_counts):
    result = evaluate_task_files(program(tmp_path, "xs"), [str(REVERSE)])
    out = tmp_path / "r.csv"
    result.to_csv(out, inputs=[str(REVERSE)])
    rows = list(csv.DictReader(out.open()))
    want = identity_counts("test")
    exact = [r for r in rows if r["metric"] == EXACT and r["source"] == f"{REVERSE}#test"]
    assert exact[0]["length"] == "" and int(exact[0]["total"]) == 20
    assert {int(r["length"]): (int(r["total"]), int(r["correct"])) for r in exact[1:]} == {n: v[:2] for n, v in want.items()}
    tokens = [r for r in rows if r["metric"] == TOKEN and r["source"] == f"{REVERSE}#test"]
    assert {int(r["length"]): int(r["correct"]) for r in tokens[1:]} == {n: v[3] for n, v in want.items()}


def test_which_files_are_task_files(tmp_path):
    lego = str(ROOT / "examples" / "lego_z2_paper.json")
    assert task_family(str(REVERSE)) == "sequence" and task_family(str(RUNNING_MAX)) == "open"
    assert task_family(lego) is None
    # A missing or broken file is refused with its own error, never handed to the LEGO reader to be misread.
    with pytest.raises(UserError, match="missing.jsonl"):
        task_family(str(tmp_path / "missing.jsonl"))
    broken = tmp_path / "broken.json"
    broken.write_text(REVERSE.read_text().rstrip().rstrip("}") + ",}", encoding="utf-8")
    with pytest.raises(UserError, match=r"broken.json:\d+:\d+: broken JSON"):
        task_family(str(broken))
    assert task_files([lego]) == [] and task_files([str(REVERSE), str(RUNNING_MAX)]) == ["sequence", "open"]
    with pytest.raises(UserError, match="LEGO data"):
        task_files([str(REVERSE), lego])


def test_an_empty_test_split_has_no_paper_score(tmp_path):
    """Before: 100.0 for a split with nothing in it (tasks.sequence.scoring.paper_score of no lengths)."""
    doc = json.loads(REVERSE.read_text())
    doc["test"] = []
    path = tmp_path / "notest.json"
    path.write_text(json.dumps(doc))
    ev = evaluate_task_files(str(REVERSE_PROGRAM), [str(path)])
    (test,) = [s for s in ev.files[0].splits if s.name == "test"]
    assert test.overall.examples == 0 and test.overall.token_score is None

