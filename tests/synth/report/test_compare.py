"""Predictions files: alignment in order or by id, and clear errors with line numbers."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from dsl.errors import UserError
from dsl.groups import get_group
from synth.report.compare import compare, default_names
from synth.report.counts import Count as Accuracy
from synth.report.reference import load
from tasks.lego.sentence import LegoRecord
from tasks.lego.solve import solve
from tasks.lego.syntax import parse_sentence

Z2 = get_group("Z2")


def rec(text: str, labels: dict[str, int], rid: str | None = None) -> LegoRecord:
    sentence, _ = parse_sentence(text)
    return LegoRecord(sentence, {k: Z2.element(str(v)) for k, v in labels.items()}, rid)


A = rec("a = val 1 ,  b = not a , ", {"a": 1, "b": 0}, "s1")
B = rec("x = val 0 ,  y = not x ,  z = not y , ", {"x": 0, "y": 1, "z": 0}, "s2")


def write(tmp_path: Path, name: str, lines: list) -> str:
    p = tmp_path / name
    p.write_text("".join((x if isinstance(x, str) else json.dumps(x)) + "\n" for x in lines))
    return str(p)


def test_positional_and_keyed_score_the_same(tmp_path):
    pos = write(tmp_path, "pos.jsonl", [{"labels": {"a": 1, "b": 1}}, {"labels": {"x": 0, "y": 1, "z": 0}}])
    keyed = write(tmp_path, "key.jsonl", [{"id": "s2", "labels": {"x": 0, "y": 1, "z": 0}}, {"id": "s1", "labels": {"a": 1, "b": 1}}])
    c = compare([[A, B]], [("pos", pos), ("key", keyed)], program=solve)
    for name in ("pos", "key"):
        r = c.reports[name]
        assert r.overall == Accuracy(4, 5)
        assert r.by_length == {2: Accuracy(1, 2), 3: Accuracy(3, 3)}
        assert r.by_position == {1: Accuracy(2, 2), 2: Accuracy(1, 2), 3: Accuracy(1, 1)}
    assert c.reports["program"].overall == Accuracy(5, 5)
    header, rows = c.table("length")
    assert header == ["length", "labels", "pos", "key", "program"]
    assert rows == [[2, 2, 0.5, 0.5, 1.0], [3, 3, 1.0, 1.0, 1.0]]


def test_values_in_other_notations(tmp_path):
    signs = write(tmp_path, "p.jsonl", [{"labels": {"a": "Z2:1", "b": "Z2:0"}}, {"labels": {"x": 0, "y": 1, "z": 0}}])
    c = compare([[A, B]], [("m", signs)])
    assert c.reports["m"].overall == Accuracy(5, 5)


FULL_A = {"labels": {"a": 1, "b": 0}}
FULL_B = {"labels": {"x": 0, "y": 1, "z": 0}}


@pytest.mark.parametrize(
    "lines, pattern",
    [
        ([FULL_A], r'p\.jsonl:2:1: missing prediction.*data record 2 \(id "s2"\)'),
        ([FULL_A, FULL_B, FULL_B], r"p\.jsonl:3:1: extra prediction: the data has only 2"),
        ([FULL_A, '{"labels": {"x": 0,'], r"p\.jsonl:2:\d+: broken JSON"),
        ([FULL_A, [1, 2]], r"p\.jsonl:2:1: each line must be an object"),
        ([{"labels": {"a": 7, "b": 0}}, FULL_B], r'p\.jsonl:1:1: variable "a".*unknown element "7"'),
        ([dict(FULL_A, id="s1"), dict(FULL_A, id="s1")], r'p\.jsonl:2:1: duplicate prediction for id "s1" \(first on line 1\)'),
        ([dict(FULL_A, id="s1"), dict(FULL_B, id="s9"), dict(FULL_B, id="s2")], r'p\.jsonl:2:1: extra prediction: id "s9"'),
        ([dict(FULL_A, id="s1")], r'no prediction for data record 2 \(id "s2"\)'),
        ([dict(FULL_A, id="s1"), FULL_B], r"p\.jsonl:2:1: this file keys predictions by \"id\""),
        ([FULL_A, dict(FULL_A, id="s1")], r'p\.jsonl:2:1: prediction is for id "s1", but data record 2 has id "s2"'),
        # shifted by one line: the first record's prediction is missing, every later one is one line early
        ([FULL_B, FULL_A], r'p\.jsonl:1:1: the prediction names "x".*out of step'),
        # 5 of 12 variables answered: refused, not scored 0.42 in silence
        ([{"labels": {"a": 1}}, FULL_B], r"p\.jsonl:1:1: no prediction for 1 labelled variable of data record 1 \(b\).*--allow-partial"),
    ],
)
def test_prediction_file_errors(tmp_path, lines, pattern):
    p = write(tmp_path, "p.jsonl", lines)
    with pytest.raises(UserError) as info:
        compare([[A, B]], [("m", p)])
    assert info.match(pattern)


def test_allow_partial_scores_what_is_there_and_counts_the_rest(tmp_path):
    p = write(tmp_path, "p.jsonl", [{"labels": {"a": 1}}])
    c = compare([[A, B]], [("m", p)], partial=True)
    r = c.reports["m"]
    assert r.overall == Accuracy(1, 1) and r.unanswered == 4 and r.partial
    assert "4 labels had no prediction, left out" in c.format_text()


def test_allow_partial_counts_a_partly_answered_sentence_with_a_wrong_answer_as_wrong(tmp_path):
    """Audit 8 H12: a wrong answer beside an unanswered label left the sentence out, so leaving answers out raised the figure."""
    p = write(tmp_path, "p.jsonl", [{"labels": {"a": 0}}, FULL_B])
    r = compare([[A, B]], [("m", p)], partial=True).reports["m"]
    assert r.overall == Accuracy(3, 4) and r.unanswered == 1
    assert r.sentence_accuracy == Accuracy(1, 2) and r.unanswered_sentences == 0


def test_allow_partial_leaves_a_partly_answered_sentence_out_of_whole_sentence_accuracy(tmp_path):
    """One right answer of two labels is not a whole sentence right: left out of the sentence count, and said (G12)."""
    p = write(tmp_path, "p.jsonl", [{"labels": {"a": 1}}, FULL_B])
    c = compare([[A, B]], [("m", p)], partial=True)
    r = c.reports["m"]
    assert r.overall == Accuracy(4, 4) and r.unanswered == 1
    assert r.sentence_accuracy == Accuracy(1, 1) and r.sentence_by_length == {3: Accuracy(1, 1)}
    assert r.unanswered_sentences == 1 and r.to_dict()["unanswered_sentences"] == 1
    assert "1 sentence with an unanswered label and no wrong one, left out of whole-sentence accuracy" in c.format_text()
    sentence_rows = [row for row in c.tidy_rows("length") if row.model == "m" and row.metric == "sentence_accuracy"]
    assert [(row.length, row.count) for row in sentence_rows] == [(None, Accuracy(1, 1)), (3, Accuracy(1, 1))]


def test_same_name_twice_is_two_seeds_of_one_model(tmp_path):
    good = write(tmp_path, "s0.jsonl", [FULL_A, FULL_B])
    half = write(tmp_path, "s1.jsonl", [{"labels": {"a": 0, "b": 1}}, FULL_B])
    c = compare([[A, B]], [("m", good), ("m", half)])
    assert list(c.models) == ["m"] and len(c.models["m"]) == 2
    assert c.cell("m", (2,)) == (0.5, pytest.approx(0.7071067811865476))
    rows = c.tidy_rows("length")
    assert {r.seed for r in rows if r.model == "m"} == {0, 1}
    assert "over 2 seeds" in c.format_text()


def test_one_file_twice_under_one_name_is_refused_not_pooled_as_two_seeds(tmp_path):
    """The same file (however spelt, comma lists alike) twice as seeds of one model would count one run twice."""
    good = write(tmp_path, "s0.jsonl", [FULL_A, FULL_B])
    spelt = str(tmp_path / "." / "s0.jsonl")
    for twice in ([("m", good), ("m", spelt)], [("m", f"{good},{good}"), ("m", f"{spelt},{good}")]):
        with pytest.raises(UserError, match="the same predictions file") as info:
            compare([[A, B]], twice)
        assert "--name" in info.value.message
    c = compare([[A, B]], [("m", good), ("n", spelt)])  # named apart: two columns, each one seed
    assert list(c.models) == ["m", "n"] and c.reports["m"] == c.reports["n"]


def test_one_file_spelt_two_ways_gets_one_default_name(tmp_path, monkeypatch):
    """So that `synth compare DATA --predictions p.jsonl --predictions /abs/p.jsonl` is refused, not shown as two models."""
    good = write(tmp_path, "s0.jsonl", [FULL_A, FULL_B])
    monkeypatch.chdir(tmp_path)
    assert default_names(["s0.jsonl", good, "./s0.jsonl"]) == ["s0", "s0", "s0"]
    assert default_names([f"s0.jsonl,{good}", f"{good},{good}"]) == ["s0", "s0"]


def test_several_data_files_with_one_predictions_file_each(tmp_path):
    p1 = write(tmp_path, "p1.jsonl", [FULL_A])
    p2 = write(tmp_path, "p2.jsonl", [FULL_B])
    c = compare([[A], [B]], [("m", f"{p1},{p2}")])
    assert c.reports["m"].overall == Accuracy(5, 5)
    with pytest.raises(UserError, match="extra predictions file"):
        compare([[A]], [("m", f"{p1},{p2}")])


def test_program_name_clash(tmp_path):
    p = write(tmp_path, "p.jsonl", [FULL_A, FULL_B])
    with pytest.raises(UserError, match="--program-name"):
        compare([[A, B]], [("program", p)], program=solve)


def test_published_columns_and_csv_keep_status(tmp_path):
    refs = load()
    pubs = refs.lego_by_length() + refs.lego_notes()
    p = write(tmp_path, "p.jsonl", [{"labels": {"a": 1, "b": 0}}, {"labels": {"x": 0, "y": 1, "z": 0}}])
    c = compare([[A, B]], [("m", p)], published=pubs, references=refs)
    header, rows = c.table("length")
    assert any("[from-results-file]" in h for h in header)
    assert [r[0] for r in rows] == [2, 3] + list(range(9, 17))
    text = c.format_text("length")
    assert "status: qualitative" in text and "kazemnejad2023" in text
    buf = io.StringIO()
    c.to_csv(buf)
    rows = list(csv.DictReader(io.StringIO(buf.getvalue())))
    assert {r["status"] for r in rows} >= {"scored-here", "from-results-file"}
    assert all(r["source"] for r in rows if r["status"] != "scored-here")
    # Kazemnejad et al. score one query per sentence: their rows say so, never label_accuracy
    kaz = [r for r in rows if r["source"] == "kazemnejad2023"]
    assert kaz and {r["metric"] for r in kaz} == {"query_accuracy"}
    assert any(r["std"] == "" for r in kaz)
    d = c.to_dict()
    assert all("status" in x and "source" in x for x in d["published"])


@pytest.mark.parametrize(
    "specs, names",
    [
        (["a/preds.jsonl", "b/preds.jsonl"], ["a/preds.jsonl", "b/preds.jsonl"]),
        (["runs/x/a/preds.jsonl", "runs/y/a/preds.jsonl", "other.jsonl"], ["x/a/preds.jsonl", "y/a/preds.jsonl", "other"]),
        (["preds.jsonl", "preds.npz"], ["preds.jsonl", "preds.npz"]),
        (["a/m.jsonl", "b/n.jsonl"], ["m", "n"]),  # no clash: the stem, as before
        (["a/preds.jsonl", "./a/preds.jsonl"], ["preds", "preds"]),  # one file, spelt twice
        (["a/p.npz,a/q.npz", "a/p.npz,b/q.npz"], ["a/p.npz,a/q.npz", "a/p.npz,b/q.npz"]),
        (["/abs/preds.jsonl", "rel/preds.jsonl"], ["abs/preds.jsonl", "rel/preds.jsonl"]),
    ],
)
def test_default_names_tell_different_files_apart(specs, names):
    assert default_names(specs) == names


def test_by_position_ends_with_each_position_pooled_over_all_lengths(tmp_path):
    """Before: only per-length rows, though eval shows an `all` column and the CSV has pooled rows."""
    pos = write(tmp_path, "pos.jsonl", [{"labels": {"a": 1, "b": 1}}, {"labels": {"x": 0, "y": 1, "z": 0}}])
    c = compare([[A, B]], [("pos", pos)])
    header, rows = c.table("position")
    assert header == ["length", "position", "labels", "pos"]
    pooled = [r for r in rows if r[0] == "all"]
    assert pooled == [["all", 1, 2, 1.0], ["all", 2, 2, 0.5], ["all", 3, 1, 1.0]]
    assert rows[-3:] == pooled  # after the rows of each length
    assert "  all         2       2  0.5000" in c.format_text("position")
    one_length = compare([[A]], [("pos", write(tmp_path, "a.jsonl", [{"labels": {"a": 1, "b": 1}}]))])
    assert all(r[0] == 2 for r in one_length.table("position")[1])  # one length: its rows are the pooled ones


def test_query_only_scores_queries_and_counts_records_without_one(tmp_path):
    """Before: `compare --query-only` scored both labels of the record without a query: "query accuracy 0.6667 (2/3)" for one query."""
    queried = LegoRecord(B.sentence, B.labels, "s2", "z")
    preds = write(tmp_path, "p.jsonl", [{"labels": {"a": 1, "b": 1}}, {"labels": {"x": 0, "y": 0, "z": 0}}])
    c = compare([[A, queried]], [("m", preds)], program=solve, query_only=True)
    assert c.reports["m"].overall == Accuracy(1, 1) and c.reports["m"].no_query == 1
    assert c.reports["program"].overall == Accuracy(1, 1)
    text = c.format_text()
    assert "m: query accuracy 1.0000 (1/1)" in text
    assert "1 record without a query, not scored by any model (query accuracy scores each record's query only)" in text
    # a line that answers nothing for the record without a query is not missing anything
    sparse = write(tmp_path, "sparse.jsonl", [{"labels": {}}, {"labels": {"z": 0}}])
    assert compare([[A, queried]], [("m", sparse)], query_only=True).reports["m"].overall == Accuracy(1, 1)


def test_query_only_reports_no_whole_sentence_accuracy(tmp_path):
    """Scoring audit: `compare --query-only` printed (and put in --json) "whole-sentence accuracy" = the query accuracy,
    75% where every sentence had a wrong label (0%); eval and the CSV already left it out."""
    queried = LegoRecord(B.sentence, B.labels, "s2", "z")
    preds = write(tmp_path, "p.jsonl", [{"labels": {"a": 1, "b": 1}}, {"labels": {"x": 1, "y": 0, "z": 0}}])  # x wrong
    c = compare([[queried]], [("m", write(tmp_path, "q.jsonl", [{"labels": {"x": 1, "y": 0, "z": 0}}]))], query_only=True)
    assert "m: query accuracy 1.0000 (1/1)\n" in c.format_text() + "\n" and "whole-sentence" not in c.format_text()
    report = c.reports["m"].to_dict()
    assert report["sentence_accuracy"] is None and report["sentence_accuracy_by_length"] == {}
    full = compare([[A, queried]], [("m", preds)]).reports["m"]
    assert full.sentence_accuracy.total == 2 and full.to_dict()["sentence_accuracy"] == full.sentence_accuracy.to_dict()  # kept without it


def test_a_file_mixing_syntaxes_reads_and_writes_each_record_s_values_in_its_own_notation(tmp_path) -> None:
    """As its labels are read: a signs record's answers are +1/-1 after a token record's 0/1 (library audit: the
    reader's notation was the file's majority so far, or its first record's)."""
    from click.testing import CliRunner

    from synth.cli import main

    data, preds, written = tmp_path / "mixed.jsonl", tmp_path / "p.jsonl", tmp_path / "w.jsonl"
    data.write_text(
        json.dumps({"sentence": "a = val 1 ,  b = not a , ", "labels": {"a": 1, "b": 0}}) + "\n"
        + json.dumps({"sentence": "x = -1; y = +x", "labels": {"x": -1, "y": -1}}) + "\n"
    )
    preds.write_text(json.dumps({"labels": {"a": 1, "b": 0}}) + "\n" + json.dumps({"labels": {"x": -1, "y": -1}}) + "\n")
    result = CliRunner().invoke(main, ["compare", str(data), "--predictions", str(preds)])
    assert result.exit_code == 0 and "label accuracy 1.0000 (4/4)" in result.output, result.output
    program = Path(__file__).resolve().parents[3] / "examples" / "lego.dsl"
    result = CliRunner().invoke(main, ["eval", str(program), str(data), "--predict", "-o", str(written)])
    assert result.exit_code == 0, result.output
    assert [json.loads(line) for line in written.read_text().splitlines()] == [json.loads(line) for line in preds.read_text().splitlines()]


@pytest.mark.parametrize("line, words", [
    ({"sentence": "a = val 1 ,  b = not a , ", "labels": {"a": 1, "b": 0}}, 'a data record (it has "sentence"), not a prediction'),
    ({"labels": {"a": 1, "b": 0}, "bogus": 1}, 'unknown key "bogus" (a predictions line has labels, id, split, error)'),
    ({"labels": {"a": 1, "b": 0}, "erorr": "x"}, 'did you mean "error"?'),
    ({"labels": {"a": 1, "b": 0}, "error": True}, '"error" must be a non-empty string'),
    ({"labels": {}, "error": ""}, '"error" must be a non-empty string'),
])
def test_a_predictions_line_has_only_the_keys_eval_writes(tmp_path, line, words) -> None:
    """CLI audit: the data file given as its own predictions scored 1.0; an unknown key passed, and a non-string
    "error" made a line answered (true) or failed (an empty string) by its truth."""
    from click.testing import CliRunner

    from synth.cli import main

    data, preds = tmp_path / "d.jsonl", tmp_path / "p.jsonl"
    data.write_text(json.dumps({"sentence": "a = val 1 ,  b = not a , ", "labels": {"a": 1, "b": 0}}) + "\n")
    preds.write_text(json.dumps(line) + "\n")
    result = CliRunner().invoke(main, ["compare", str(data), "--predictions", str(preds)])
    assert result.exit_code == 2 and f"{preds}:1:1: " in result.output and words in result.output, result.output


def test_data_whose_ids_repeat_is_refused_for_itself_not_for_the_predictions(tmp_path) -> None:
    """Audit 3: validate and eval -o took two records with the id "r"; compare then refused eval's own predictions,
    "duplicate prediction for id", blaming the predictions file for what the data had done."""
    from click.testing import CliRunner

    from synth.cli import main

    record = {"sentence": "a = +1; b = -a;", "labels": {"a": 1, "b": -1}}
    data = write(tmp_path, "data.jsonl", [dict(record, id="r"), dict(record, id=5), dict(record, id="r")])
    said = f'{data}:3: id "r" again (first on line 1): record ids align predictions with records, so they must be unique'
    preds = write(tmp_path, "p.jsonl", [{"labels": {"a": 1, "b": -1}}] * 3)
    for args in (["validate", data], ["eval", "synth/data/lego.dsl", data, "--predict", "-o", str(tmp_path / "out.jsonl")],
                 ["compare", data, "--predictions", preds]):
        result = CliRunner().invoke(main, args)
        errors = [line for line in result.output.splitlines() if line.startswith("error:")]  # validate prints what it read on stdout
        assert result.exit_code == 2 and errors == [f"error: {said}"] and "Traceback" not in result.output, result.output
    assert not (tmp_path / "out.jsonl").exists()
