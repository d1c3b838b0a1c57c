"""Prediction lines that name their task file's split: written by eval, kept by split in compare, refused when they cannot line up."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from dsl.errors import DslRuntimeError, UserError
from dsl.groups import get_group
from synth.cli import main
from synth.report.compare import SplitLines, compare, read_prediction_lines
from synth.report.evaluate import SplitScorers, evaluate_readers, open_data, prediction_json
from synth.report.taskeval import SPLITS
from tasks.lego.solve import solve

ROOT = Path(__file__).resolve().parents[3]
LEGO_TASKS = sorted((ROOT / "examples").glob("lego_*.json"))


class OpsOnly:
    """A predictor that is right only where a variable's value is its clause's operator: a score below 1, never a failure."""

    def __call__(self, sentence):
        return {c.lhs: c.op for c in sentence.clauses}


class Reference:
    def __call__(self, sentence):
        return solve(sentence)


class FailsEveryOther:
    """Right where `OpsOnly` is, but raising on every other record (the first included): a partly failing program."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, sentence):
        self.calls += 1
        if self.calls % 2:
            raise DslRuntimeError(f"undefined key 'nokey':   no member\n defines val['nokey'] {'x' * 300}")
        return OpsOnly()(sentence)


class FailsAlways:
    def __call__(self, sentence):
        raise DslRuntimeError("cycle in rule val: 'p' -> 'p'")


class OtherGroup:
    """Roots right; every other variable an element of another group, whose bare number or name is one of the data's."""

    def __call__(self, sentence):
        other = get_group("Z5" if sentence.group.name == "Z2" else "Z2").elements[1]
        return {c.lhs: c.op if c.root else other for c in sentence.clauses}


def eval_lines(path: Path, predictor=None) -> tuple[list[str], SplitScorers]:
    """What `synth eval -o` writes for `path`, and the scores eval printed beside it."""
    lines: list[str] = []
    scorer = SplitScorers()
    evaluate_readers([open_data(str(path))], predictor or OpsOnly(), scorer, write=lines.append)
    return lines, scorer


def write(tmp_path: Path, name: str, lines: list[str]) -> str:
    p = tmp_path / name
    p.write_text("".join(x if x.endswith("\n") else x + "\n" for x in lines))
    return str(p)


def keyed_task(tmp_path: Path) -> tuple[Path, dict]:
    """lego_z2_paper.json with ids r0, r1, ... in each split (the two splits share ids), and its JSON."""
    doc = json.loads((ROOT / "examples" / "lego_z2_paper.json").read_text())
    for split in SPLITS:
        for k, item in enumerate(doc[split]):
            item["id"] = f"r{k}"
    keyed = tmp_path / "keyed.json"
    keyed.write_text(json.dumps(doc))
    return keyed, doc


def untagged(line: str) -> str:
    obj = json.loads(line)
    obj.pop("split", None)
    return json.dumps(obj)


@pytest.mark.parametrize("task", LEGO_TASKS, ids=lambda p: p.stem)
def test_eval_lines_name_their_split_in_the_files_order(task):
    doc = json.loads(task.read_text())
    lines, _ = eval_lines(task)
    assert [json.loads(x)["split"] for x in lines] == ["train"] * len(doc["train"]) + ["test"] * len(doc.get("test", []))


def test_a_record_file_gives_lines_without_split(tmp_path):
    task = ROOT / "examples" / "lego_z2_paper.json"
    lines, _ = eval_lines(task)
    records = tmp_path / "records.jsonl"
    records.write_text("".join(json.dumps(d) + "\n" for d in json.loads(task.read_text())["test"]))
    plain, _ = eval_lines(records)
    assert all("split" not in json.loads(x) for x in plain)
    assert [json.loads(x) for x in plain] == [json.loads(untagged(x)) for x in lines if json.loads(x)["split"] == "test"]


@pytest.mark.parametrize("task", LEGO_TASKS, ids=lambda p: p.stem)
@pytest.mark.parametrize("split", SPLITS)
def test_eval_output_compares_as_the_split_scored_directly(tmp_path, task, split):
    """The round trip: eval's file of both splits, compared on one split, scores what eval scored on that split,
    and what the split's lines alone (cut by hand, as before) score."""
    lines, scorer = eval_lines(task)
    both = write(tmp_path, "both.jsonl", lines)
    cut = write(tmp_path, "cut.jsonl", [untagged(x) for x in lines if json.loads(x)["split"] == split])
    result = compare([open_data(str(task))], [("both", both), ("cut", cut)], split=split)
    direct = scorer.scorers[split].report()
    assert result.split == split
    assert result.models["both"][0] == result.models["cut"][0] == direct
    assert direct.overall.total and 0 < direct.overall.correct < direct.overall.total  # a real score, not all or nothing


def test_the_lines_of_one_split_alone_are_read_too(tmp_path):
    task = ROOT / "examples" / "lego_z5.json"
    lines, scorer = eval_lines(task)
    test_only = write(tmp_path, "test.jsonl", [x for x in lines if '"split":"test"' in x])
    result = compare([open_data(str(task))], [("m", test_only)], split="test")
    assert result.models["m"][0] == scorer.scorers["test"].report()
    with pytest.raises(UserError, match=r"the file ends after 0 predictions.*\(20 lines of the test split, not scored: --split test\?\)") as err:
        compare([open_data(str(task))], [("m", test_only)], split="train")
    assert err.value.file == test_only


def test_keyed_lines_are_kept_by_split_before_their_ids_are_matched(tmp_path):
    """Train and test records may share ids; the lines of the other split never take part."""
    keyed, doc = keyed_task(tmp_path)
    lines, scorer = eval_lines(keyed)
    assert json.loads(lines[0])["id"] == json.loads(lines[len(doc["train"])])["id"] == "r0"
    shuffled = write(tmp_path, "shuffled.jsonl", lines[::-1])
    result = compare([open_data(str(keyed))], [("m", shuffled)], split="test")
    assert result.models["m"][0] == scorer.scorers["test"].report()


def test_old_files_without_split_keep_todays_messages(tmp_path):
    task = ROOT / "examples" / "lego_z2_paper.json"
    lines, _ = eval_lines(task)
    old = write(tmp_path, "old.jsonl", [untagged(x) for x in lines])
    with pytest.raises(UserError, match="out of step with the data") as err:
        compare([open_data(str(task))], [("m", old)], split="test")
    assert (err.value.file, err.value.pos.line) == (old, 1)


@pytest.mark.parametrize("split, line, message", [("test", 1, "out of step"), ("train", 6, "extra prediction")])
def test_an_old_untagged_file_of_both_splits_is_said_to_hold_both(tmp_path, split, line, message):
    """Its line count is the task's train + test records: the error says so, and what to do; one line fewer, it does not."""
    task = ROOT / "examples" / "lego_z2_paper.json"
    lines, _ = eval_lines(task)
    old = write(tmp_path, "old.jsonl", [untagged(x) for x in lines])
    with pytest.raises(UserError, match=message) as err:
        compare([open_data(str(task))], [("m", old)], split=split)
    assert (err.value.file, err.value.pos.line) == (old, line)
    assert "seems to hold both splits: its 25 lines are as many as the task's 5 train and 20 test records" in err.value.message
    assert "keep its last 20 lines to score the test split (its first 5 for --split train)" in err.value.message
    short = write(tmp_path, "short.jsonl", [untagged(x) for x in lines[:-1]])
    with pytest.raises(UserError, match=message) as err:
        compare([open_data(str(task))], [("m", short)], split=split)
    assert "both splits" not in err.value.message


def test_a_keyed_line_of_the_split_scored_relabelled_is_pointed_at_not_the_other_split(tmp_path):
    """A test line that says "train" leaves its test record without a prediction: the error names the lines with its id,
    and does not advise --split train (the file has test lines, so it is not a train file)."""
    keyed, _ = keyed_task(tmp_path)
    lines, _ = eval_lines(keyed)
    lines[7] = lines[7].replace('"split":"test"', '"split":"train"')
    bad = write(tmp_path, "bad.jsonl", lines)
    with pytest.raises(UserError, match=r'no prediction for test record 3 \(id "r2"\) \(id "r2" is on lines 3 and 8, of "split": "train"\);') as err:
        compare([open_data(str(keyed))], [("m", bad)], split="test")
    assert "--split train" not in err.value.message
    del lines[7]
    gone = write(tmp_path, "gone.jsonl", lines)
    with pytest.raises(UserError, match=r'\(id "r2" is on line 3, of "split": "train"\);') as err:
        compare([open_data(str(keyed))], [("m", gone)], split="test")
    assert "--split train" not in err.value.message


@pytest.mark.parametrize(
    "edit, line, message",
    [
        (lambda ls: ls[:5] + [untagged(x) for x in ls[5:]], 6, r'this line has no "split", but line 1 has one'),
        (lambda ls: [untagged(x) for x in ls[:3]] + ls[3:], 4, r'this line has "split": "train", but line 1 has none'),
        (lambda ls: ls[:2] + [ls[2].replace('"train"', '"dev"')] + ls[3:], 3, r'unknown split "dev"'),
        (lambda ls: ls[:2] + [ls[2].replace('"train"', "null")] + ls[3:], 3, r"unknown split null"),
        (lambda ls: ls[:7] + ls[8:], 8, r"which test record 3 does not define .* out of step with the data"),
        (lambda ls: ls + ls[-1:], 26, r"extra prediction: the data has only 20 test records"),
    ],
    ids=["untagged after tagged", "tagged after untagged", "unknown split", "null split", "a test line missing", "a test line extra"],
)
def test_lines_that_cannot_line_up_are_one_error_naming_file_and_line(tmp_path, edit, line, message):
    task = ROOT / "examples" / "lego_z2_paper.json"
    lines, _ = eval_lines(task, Reference())
    bad = write(tmp_path, "bad.jsonl", edit([x.rstrip("\n") for x in lines]))
    with pytest.raises(UserError, match=message) as err:
        compare([open_data(str(task))], [("m", bad)], split="test")
    assert (err.value.file, err.value.pos.line) == (bad, line)


def test_lines_with_a_split_are_refused_against_data_without_splits(tmp_path):
    task = ROOT / "examples" / "lego_z2_paper.json"
    lines, _ = eval_lines(task)
    records = tmp_path / "records.jsonl"
    records.write_text("".join(json.dumps(d) + "\n" for d in json.loads(task.read_text())["test"]))
    tagged = write(tmp_path, "tagged.jsonl", [x for x in lines if '"split":"test"' in x])
    with pytest.raises(UserError, match=r"this line is for the test split of a task file, but the data it is scored against has no splits") as err:
        compare([open_data(str(records))], [("m", tagged)])
    assert (err.value.file, err.value.pos.line) == (tagged, 1)


tags = st.lists(st.sampled_from(SPLITS), max_size=12)


@given(tags, st.sampled_from(SPLITS))
@settings(max_examples=50, deadline=None)
def test_split_lines_keep_exactly_the_lines_of_the_split_in_order(tmp_path_factory, splits, chosen):
    path = tmp_path_factory.mktemp("p") / "p.jsonl"
    path.write_text("".join(json.dumps({"split": s, "labels": {"n": k}}) + "\n" for k, s in enumerate(splits)))
    kept = SplitLines(read_prediction_lines(path), str(path), chosen)
    assert [pl.labels["n"] for pl in kept] == [k for k, s in enumerate(splits) if s == chosen]
    assert sum(kept.dropped.values()) == sum(s != chosen for s in splits)


def test_prediction_json_names_the_split_only_when_given():
    from tasks.lego.sentence import LegoRecord
    from tasks.lego.syntax import parse_sentence

    sentence, _ = parse_sentence("a = val 1 ,  b = not a , ")
    record = LegoRecord(sentence, {}, "s1")
    assert json.loads(prediction_json(record, solve(sentence), "official", "test")) == {"id": "s1", "split": "test", "labels": {"a": 1, "b": 0}}
    assert "split" not in json.loads(prediction_json(record, solve(sentence), "official"))
    assert json.loads(prediction_json(record, None, "official", "train"))["split"] == "train"


@pytest.mark.parametrize("task", LEGO_TASKS, ids=lambda p: p.stem)
@pytest.mark.parametrize("predictor", [FailsEveryOther, FailsAlways, OtherGroup], ids=lambda c: c.__name__)
def test_eval_output_of_a_failing_or_foreign_program_compares_as_eval_scored(tmp_path, task, predictor):
    """Lines carrying "error" are failures, every label wrong; an element of another group keeps its group and is wrong:
    compare gives eval's report exactly, with or without --allow-partial (which must not drop the failures)."""
    lines, scorer = eval_lines(task, predictor())
    path = write(tmp_path, "p.jsonl", lines)
    for split in SPLITS:
        direct = scorer.scorers[split].report()
        assert compare([open_data(str(task))], [("m", path)], split=split).models["m"][0] == direct
        partly = compare([open_data(str(task))], [("m", path)], split=split, partial=True).models["m"][0]
        assert (partly.overall, partly.sentence_accuracy, partly.failed, partly.unanswered) == (
            direct.overall, direct.sentence_accuracy, direct.failed, direct.unanswered
        )
    test = scorer.scorers["test"].report()
    if predictor is FailsAlways:
        assert test.overall.correct == 0 and test.failed == test.records
    else:
        assert 0 < test.overall.correct < test.overall.total


def test_failure_lines_keep_the_run_time_error_on_one_line_shortened(tmp_path):
    lines, _ = eval_lines(ROOT / "examples" / "lego_z2_paper.json", FailsEveryOther())
    error = json.loads(lines[0])["error"]
    assert error.startswith("undefined key 'nokey': no member defines val['nokey'] xxx") and "\n" not in error
    assert len(error) < 260 and "more characters" in error
    assert "error" not in json.loads(lines[1])


@pytest.mark.parametrize("task", LEGO_TASKS, ids=lambda p: p.stem)
def test_an_element_of_another_group_is_written_with_its_group(task):
    lines, _ = eval_lines(task, OtherGroup())
    doc = json.loads(task.read_text())
    other = "Z5:1" if doc["group"] == "Z2" else "Z2:1"
    written = [v for x in lines for v in json.loads(x)["labels"].values()]
    assert other in written and all(v == other or not str(v).startswith(("Z2:", "Z5:")) for v in written)


def test_a_file_of_the_other_split_alone_is_advised_that_split(tmp_path):
    task = ROOT / "examples" / "lego_z2_paper.json"
    lines, _ = eval_lines(task)
    train_only = write(tmp_path, "train.jsonl", [x for x in lines if '"split":"train"' in x])
    with pytest.raises(UserError, match=r"\(5 lines of the train split, not scored: --split train\?\)"):
        compare([open_data(str(task))], [("m", train_only)], split="test")


@pytest.mark.parametrize("split", SPLITS)
def test_the_csv_of_a_task_file_names_the_split_each_model_was_scored_on(tmp_path, split):
    """Compare audit: `compare TASK.json --split train --csv` gave each model's rows the source `preds.jsonl`, as
    `--split test` did, so the two tables could not be told apart; eval writes `FILE#train`, compare on any other
    family `preds.jsonl#train`. A record file (no splits) keeps the bare file name."""
    task = ROOT / "examples" / "lego_z2_paper.json"
    lines, _ = eval_lines(task)
    both = write(tmp_path, "both.jsonl", lines)
    result = compare([open_data(str(task))], [("both", both)], split=split)
    assert {row.source for row in result.tidy_rows()} == {f"{both}#{split}"}
    records = tmp_path / "records.jsonl"
    records.write_text("".join(json.dumps(d) + "\n" for d in json.loads(task.read_text())["test"]))
    plain = write(tmp_path, "plain.jsonl", [untagged(x) for x in lines if json.loads(x)["split"] == "test"])
    assert {row.source for row in compare([open_data(str(records))], [("plain", plain)]).tidy_rows()} == {plain}


@pytest.mark.parametrize("split", ["train", "test"])
def test_the_csv_names_the_data_and_split_the_program_was_scored_on(tmp_path, split):
    """Compare audit: the program's rows of `compare TASK.json --program P --csv` had an empty source, so the
    train and test tables of the program looked alike; now FILE#split, as on any other family."""
    task = str(ROOT / "examples" / "lego_z2_paper.json")
    lines, _ = eval_lines(Path(task))
    preds = write(tmp_path, "preds.jsonl", lines)
    out = tmp_path / "out.csv"
    run = CliRunner().invoke(main, ["compare", task, "--predictions", preds, "--program", str(ROOT / "examples" / "lego.dsl"),
                                    "--split", split, "--csv", str(out)])
    assert run.exit_code == 0, run.output
    rows = list(csv.DictReader(out.open()))
    by_model = {r["model"]: r["source"] for r in rows if r["model"] in ("preds", "program")}
    assert by_model == {"preds": f"{preds}#{split}", "program": f"{task}#{split}"}
