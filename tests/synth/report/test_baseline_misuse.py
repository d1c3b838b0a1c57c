"""Plausible misuse of `import synth` gets one clear UserError naming the fix, never a Python error from deep inside."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import pytest

import synth
from dsl.errors import UserError
from synth.report.baseline import Baseline
from tasks.lego.generate import generate
from tasks.lego.io import NO_LABELS
from tasks.lego.sentence import LegoRecord

TOKEN = "a = val 1 ,  b = not a , "


@pytest.fixture(scope="module")
def baseline() -> Baseline:
    return synth.fit(generate(6, 8, 0), timeout=60)


def _unlabelled(records: list[LegoRecord]) -> list[LegoRecord]:
    return [replace(r, labels={}) for r in records]


def test_fit_on_records_without_a_label_refuses_as_solve_does(monkeypatch) -> None:
    from synth.search import solver

    monkeypatch.setattr(solver, "synthesize", lambda *a, **k: pytest.fail("searched with no label"))
    with pytest.raises(UserError) as err:
        synth.fit(_unlabelled(generate(6, 3, 0)))
    assert str(err.value) == NO_LABELS == "no labelled variable in the training records"


def test_fit_without_a_label_says_what_synth_solve_says(tmp_path) -> None:
    from click.testing import CliRunner

    from synth.cli import main
    from tasks.lego.io import write_records

    path = tmp_path / "unl.jsonl"
    with open(path, "w") as out:
        write_records(_unlabelled(generate(6, 3, 0)), "jsonl", out)
    result = CliRunner().invoke(main, ["solve", str(path)])
    assert result.exit_code == 2 and result.output.strip().endswith(NO_LABELS)
    with pytest.raises(UserError, match=f"^{NO_LABELS}$"):
        synth.fit(synth.read_records(str(path)))


def test_fit_on_a_few_labels_among_unlabelled_records_still_fits() -> None:
    records = generate(6, 8, 0)
    fitted = synth.fit(records[:3] + _unlabelled(records[3:]), timeout=60)
    assert fitted.score(generate(12, 5, 1)).overall.accuracy == 1.0


@pytest.mark.parametrize(
    "records, message",
    [
        ([TOKEN], "synth.fit takes labelled records; item 1 is str: a sentence has no labels: make a record with "
                  "synth.record(sentence, labels={...}), or read a file with synth.read_records(path)"),
        ("train.txt", "synth.fit takes records, not a path: synth.fit(synth.read_records('train.txt'))"),
        (TOKEN, "synth.fit takes labelled records, not a sentence: [synth.record(sentence, labels={...})]"),
        ([{"sentence": TOKEN, "labels": {"a": 1}}], "synth.fit takes labelled records; item 1 is dict: make records with synth.record"),
    ],
)
def test_fit_on_strings_or_a_path_names_the_function_that_makes_records(records, message) -> None:
    with pytest.raises(UserError, match="^" + re.escape(message)):
        synth.fit(records)


@pytest.mark.parametrize(
    "budget, message",
    [
        ({"timeout": "5"}, "timeout must be a number of seconds, not str '5'"),
        ({"timeout": -1}, "timeout must be positive, not -1"),
        ({"timeout": 0}, "timeout must be positive, not 0"),
        ({"max_cost": 0}, "max_cost must be positive, not 0"),
        ({"max_examples": 0}, "max_examples must be positive, not 0"),
    ],
)
def test_fit_refuses_a_budget_before_reading_the_records(budget, message) -> None:
    def records():
        pytest.fail("the records were read")
        yield

    with pytest.raises(UserError, match="^" + re.escape(message) + "$"):
        synth.fit(records(), **budget)


def test_record_labels_must_be_a_mapping() -> None:
    with pytest.raises(UserError, match=re.escape("labels must be a mapping from variable to value, e.g. {'a': 1, 'b': -1}, not list")):
        synth.record("a = +1; b = -a", labels=[1, -1])  # type: ignore[arg-type]
    with pytest.raises(UserError, match=re.escape("records takes a list of sentences; for one sentence, synth.record")):
        synth.records("a = +1; b = -a")
    assert synth.record("a = +1; b = -a", labels={"b": -1}).labels["b"].index == 1


@pytest.mark.parametrize(
    "data, message",
    [
        (["a = +1; b = -a"], "baseline.score takes labelled records; item 1 is str: a sentence has no labels"),
        ("test.jsonl", "baseline.score takes records, not a path: baseline.score(synth.read_records('test.jsonl'))"),
    ],
)
def test_score_on_strings_or_a_path_names_the_function_that_makes_records(baseline, data, message) -> None:
    with pytest.raises(UserError, match="^" + re.escape(message)):
        baseline.score(data)


@pytest.mark.parametrize("sentence, group", [("a = S3:(012); b = (01) a;", "S3"), ("a = Z5:1; b = 2 a", "Z5"), ("a = D4:r1; b = s0 a", "D4")])
def test_a_sentence_of_another_group_than_the_fitted_one_is_refused_naming_both(baseline, sentence, group) -> None:
    message = f"this baseline was fitted on Z2 sentences; this sentence is over {group} (fit a baseline on {group} data for it)"
    with pytest.raises(UserError, match="^" + re.escape(message) + "$"):
        baseline.predict(sentence)
    other = generate(5, 3, 0, group=group)
    in_a_list = message.replace("this sentence", "item 1")
    with pytest.raises(UserError, match=re.escape(in_a_list)):
        baseline.score(other)
    with pytest.raises(UserError, match=re.escape(in_a_list)):
        baseline.consistency(other)
    assert baseline.predict(TOKEN) == [{"a": 1, "b": 0}]  # its own group still answers


def test_a_baseline_fitted_on_another_group_refuses_z2(tmp_path) -> None:
    s3 = synth.fit(generate(6, 8, 0, group="S3"), timeout=60)
    assert s3.group == "S3"
    assert s3.score(generate(9, 5, 1, group="S3")).overall.accuracy == 1.0
    with pytest.raises(UserError, match="fitted on S3 sentences; this sentence is over Z2"):
        s3.predict(TOKEN)


def test_a_loaded_program_knows_the_group_of_its_literals(tmp_path, baseline) -> None:
    named = tmp_path / "z2.dsl"
    named.write_text(baseline.text + "\n")
    assert synth.load(named).group == "Z2"
    with pytest.raises(UserError, match="written for Z2 sentences; this sentence is over S3"):
        synth.load(named).predict("a = S3:(012); b = (01) a;")
    generic = tmp_path / "any.dsl"
    generic.write_text(
        "input clauses: List[{lhs: Sym, op: Elem, rhs: Sym, root: Bool}]\n"
        "forall c in clauses: val[c.lhs] = if c.root then c.op else c.op * val[c.rhs]\n"
    )
    assert synth.load(generic).group is None
    assert synth.load(generic).predict("a = S3:(012); b = (01) a;") == [{"a": "(012)", "b": "(12)"}]


def test_consistency_and_score_predictions_on_a_path_name_read_records(baseline) -> None:
    with pytest.raises(UserError, match=re.escape("synth.consistency takes a list of records or sentences, not one string: "
                                                  "synth.consistency(..., synth.read_records('test.jsonl'))")):
        synth.consistency(lambda s: s, "test.jsonl")
    with pytest.raises(UserError, match=re.escape("baseline.consistency(..., ['a = +1; b = -a'])")):
        baseline.consistency("a = +1; b = -a")
    with pytest.raises(UserError, match=re.escape("synth.score_predictions takes records, not a path")):
        synth.score_predictions("test.jsonl", [{}])
    assert baseline.consistency(["a = +1; b = -a", TOKEN]).fully_consistent  # sentence strings are what it takes


SIGNS = ["a = +1; b = -a", "x = -1; y = -x; z = +y"]


@pytest.fixture()
def signed() -> list[LegoRecord]:
    return synth.records(SIGNS, [{"a": 1, "b": -1}, {"x": -1, "y": 1, "z": 1}])


@pytest.mark.parametrize("given", [None, 5, {"a = +1; b = -a": 1}])
def test_predict_on_what_is_not_a_sentence_or_a_list_of_them_says_what_it_takes(baseline, given) -> None:
    message = f"baseline.predict takes a sentence (a string such as 'a = +1; b = -a', a Sentence or a record) or a list of them, not {type(given).__name__}"
    with pytest.raises(UserError, match="^" + re.escape(message) + "$"):
        baseline.predict(given)


def test_predict_on_a_path_hints_read_records_as_fit_and_score_do(baseline, tmp_path) -> None:
    with pytest.raises(UserError, match=re.escape("baseline.predict takes sentences, not a path: baseline.predict(synth.read_records('test.jsonl'))")):
        baseline.predict("test.jsonl")
    with pytest.raises(UserError, match=re.escape("item 2: ") + ".*" + re.escape("(a path? baseline.predict(synth.read_records('test.jsonl')))")):
        baseline.predict([TOKEN, "test.jsonl"])
    with pytest.raises(UserError, match=re.escape("item 1: expected a sentence")):
        baseline.predict([None])


def test_a_mixed_list_names_the_item_of_another_group_with_its_record_id_and_line(baseline, tmp_path) -> None:
    s3 = "a = S3:(01); b = (012) a"
    with pytest.raises(UserError, match=re.escape("this baseline was fitted on Z2 sentences; item 2 is over S3")):
        baseline.predict([TOKEN, s3])
    path = tmp_path / "mixed.jsonl"
    path.write_text(json.dumps({"sentence": TOKEN, "labels": {"a": 1}}) + "\n" + json.dumps({"sentence": s3, "labels": {"a": "(01)"}, "id": "q7"}) + "\n")
    records = synth.read_records(str(path))
    message = f"this baseline was fitted on Z2 sentences; item 2 (record 'q7', {path}:2) is over S3"
    with pytest.raises(UserError, match=re.escape(message)):
        baseline.score(records)
    with pytest.raises(UserError, match=re.escape(message)):
        baseline.consistency(records)


def test_score_predictions_counts_a_none_answer_as_a_failure(signed) -> None:
    report = synth.score_predictions(signed, [None, {"x": -1, "y": 1, "z": 1}])
    assert report.failed == 1
    assert (report.overall.correct, report.overall.total) == (3, 5)  # the failed record's labels are wrong, as when a program fails


@pytest.mark.parametrize(
    "predictions, message",
    [
        ({"a": 1, "b": -1}, "predictions must be a list of dicts, one per record, not one dict: [prediction]"),
        (["x"], "prediction 1 is str 'x': predictions must be a list of dicts, one per record"),
        ([7, {}], "prediction 1 is int 7: predictions must be a list of dicts, one per record"),
        (None, "predictions must be a list of dicts, one per record, not NoneType"),
        ("preds.jsonl", "predictions must be a list of dicts, one per record, not str"),
    ],
)
def test_score_predictions_on_what_is_not_a_list_of_dicts_says_so(signed, predictions, message) -> None:
    with pytest.raises(UserError, match="^" + re.escape(message)):
        synth.score_predictions(signed[:1], predictions)


@pytest.mark.parametrize("order", ["Chain", None, "clauses"])
def test_score_predictions_refuses_a_bad_order_with_dicts_too(signed, order) -> None:
    """Audit C: with records and dicts `order` was never read, so order="Chain" passed, where the README says it is refused."""
    with pytest.raises(UserError, match="^" + re.escape(f"order {order!r}: choose clause (as written, the model's pred) or chain (ordered_pred)") + "$"):
        synth.score_predictions(signed[:1], [{"a": 1, "b": -1}], order=order)


def test_records_with_one_mapping_for_labels_says_one_per_sentence() -> None:
    with pytest.raises(UserError, match=re.escape("labels must be a list of mappings, one per sentence (e.g. [{'a': 1, 'b': -1}]), not one mapping")):
        synth.records(["a = +1; b = -a"], {"a": 1})
    with pytest.raises(UserError, match=re.escape("labels item 2 is str: labels must be a list of mappings, one per sentence")):
        synth.records(SIGNS, [{"a": 1}, "x=-1"])
    assert [len(r.labels) for r in synth.records(SIGNS, [{"a": 1}, None])] == [1, 0]


def test_read_records_takes_one_path(tmp_path) -> None:
    with pytest.raises(UserError, match=re.escape("read_records takes one path, not list: [r for p in paths for r in synth.read_records(p)] reads several")):
        synth.read_records(["test.jsonl"])  # type: ignore[arg-type]
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps({"sentence": TOKEN, "labels": {"a": 1}}) + "\n")
    assert [r.where for r in synth.read_records(path)] == [f"{path}:1"]  # a PathLike too; each record knows its line
    task = tmp_path / "task.json"
    record = {"sentence": TOKEN, "labels": {"a": 1}}
    task.write_text(json.dumps({"family": "lego", "train": [record, record], "test": [record]}))
    assert [r.where for r in synth.read_records(task, split="train")] == [f"{task}, train record 1", f"{task}, train record 2"]
    assert [r.where for r in synth.read_records(task, split="test")] == [f"{task}, test record 1"]


def test_arrays_and_predictions_of_the_wrong_kind_are_refused_by_name(tmp_path) -> None:
    """Library audit: AttributeError from inside, an extra None taken for the end, a model that is not callable run."""
    import numpy as np

    y = np.array([[1, 0, 0]])
    with pytest.raises(UserError, match="score_arrays takes synth.paper_data"):
        synth.score_arrays(y, y)
    rec = [synth.record(TOKEN, labels={"a": 1, "b": 0})]
    with pytest.raises(UserError, match="more predictions than records"):
        synth.score_predictions(rec, [{"a": 1, "b": 0}, None])
    with pytest.raises(UserError, match="synth.consistency takes a model"):
        synth.consistency(5, rec)
    empty, single, cut = tmp_path / "e.npz", tmp_path / "x.npy", tmp_path / "cut.npz"
    empty.write_bytes(b"")
    np.save(single, y)
    np.savez(tmp_path / "ok.npz", labels=y, order=np.eye(3)[None])
    cut.write_bytes((tmp_path / "ok.npz").read_bytes()[:200])
    for path, words in ((empty, "not a readable numpy .npz"), (single, "a single numpy array (.npy)"), (cut, "not a readable numpy .npz")):
        with pytest.raises(UserError, match=re.escape(words)):
            synth.read_paper_npz(path)


@pytest.mark.parametrize("call, words", [
    (lambda: synth.fit(None), "synth.fit takes a list of records, not NoneType"),
    (lambda: synth.records(None), "records takes a list of sentences, not NoneType"),
    (lambda: synth.fit([synth.record("a = val 1 , ", labels={"a": 1})], name=3), "synth.fit: name must be a non-empty string"),
    # Audit C: a {sentence: labels} dict was read as its keys, the labels dropped without a word.
    (lambda: synth.records({"a = val 1 , ": {"a": 1}}), "records takes a list of sentences, not a mapping: for {sentence: labels}"),
    (lambda: synth.consistency(lambda batch: [{} for _ in batch], 7), "synth.consistency takes a list of records or sentences, not int"),
])
def test_records_or_a_name_of_the_wrong_kind_is_named(call, words) -> None:
    """Library audit: a bare "'NoneType' object is not iterable" from inside; later audits: a mapping, a name."""
    with pytest.raises(UserError, match=re.escape(words)):
        call()


def test_predict_answers_a_record_in_its_own_notation(baseline) -> None:
    """Library audit: a signs record was answered in 0/1, so scoring the baseline's own answers gave 0 of 2."""
    signed = [synth.record("a = -1; b = +a", labels={"a": -1, "b": -1})]
    assert baseline.predict(signed) == baseline.predict("a = -1; b = +a") == [{"a": -1, "b": -1}]
    assert baseline.predict_one(signed[0]) == {"a": -1, "b": -1}
    assert synth.score_predictions(signed, baseline.predict(signed)).overall.correct == 2


def test_predict_refuses_a_z2_notation_for_a_sentence_of_another_group(baseline) -> None:
    """Library audit: syntax="signs" on an S3 sentence gave -1 for every value, "official" its element indices."""
    s3 = synth.record("a = S3:(012); b = (01) a").sentence
    for notation in ("signs", "official"):
        with pytest.raises(UserError, match=f"the {notation} notation is for Z2 only"):
            baseline.predict(s3, syntax=notation)


def test_yes_no_arguments_must_be_bools(baseline) -> None:
    """Library audit: query_only="no" passed for True and left every record out; numpy's bools are bools."""
    import numpy as np

    recs = [synth.record("a = +1; b = -a", labels={"a": 1, "b": -1})]
    with pytest.raises(UserError, match="^query_only must be True or False, not str 'no'$"):
        baseline.score(recs, query_only="no")
    for name in ("logits", "partial", "query_only"):
        with pytest.raises(UserError, match=f"^{name} must be True or False, not int 1$"):
            synth.score_predictions(recs, [{"a": 1, "b": -1}], **{name: 1})
    with pytest.raises(UserError, match="^check must be True or False, not str 'yes'$"):
        synth.record("a = +1; b = -a", check="yes")
    with pytest.raises(UserError, match="^check must be True or False"):
        synth.records(["a = +1; b = -a"], check=None)
    assert baseline.score(recs, query_only=np.False_).overall.correct == 2


def test_a_path_argument_that_is_no_path_is_refused_by_name(tmp_path, baseline) -> None:
    """Library audit: None (or 3) for a path was a TypeError from os.fspath; bytes are a path as `os` takes them."""
    for call, name in ((synth.load_task, "load_task"), (synth.load, "synth.load"), (synth.read_records, "read_records")):
        with pytest.raises(UserError, match=f"^{name} takes a path \\(a str or a pathlib.Path\\), not NoneType$"):
            call(None)
    report = baseline.score([synth.record("a = +1; b = -a", labels={"a": 1, "b": -1})])
    with pytest.raises(UserError, match="to_csv takes a path .* or an open text file, not NoneType"):
        report.to_csv(None)
    report.to_csv(bytes(tmp_path / "r.csv"))
    assert (tmp_path / "r.csv").read_text().startswith("model,")
    data = tmp_path / "d.txt"
    data.write_text("a = +1; b = -a;\n")
    assert [r.sentence for r in synth.read_records(bytes(data))] == [r.sentence for r in synth.read_records(data)]


def test_elements_takes_what_predict_takes(baseline) -> None:
    """Library audit: a string was an AttributeError ('str' object has no attribute 'clauses')."""
    from dsl.groups import get_group

    z2 = get_group("Z2")
    assert baseline.elements("a = +1; b = -a") == {"a": z2.element("0"), "b": z2.element("1")}
    assert baseline.elements(synth.record("a = +1; b = -a")) == baseline.elements("a = +1; b = -a")


def test_a_baseline_pickles_with_its_program_compiled_again(tmp_path, baseline) -> None:
    """Library audit: pickling failed on the compiled predictor's closure, so no fitted baseline reached a worker."""
    import pickle

    (tmp_path / "p.dsl").write_text(baseline.text)
    loaded = synth.load(tmp_path / "p.dsl")  # no program kept: unpickled from its text
    for b in (baseline, loaded):
        copy = pickle.loads(pickle.dumps(b))
        assert copy == b and copy.predict(SIGNS) == b.predict(SIGNS)


def test_a_baseline_made_from_its_text_predicts(baseline) -> None:
    """Audit C: synth.Baseline(text) (a program kept as text, e.g. from a results file) said only "this Baseline has no compiled program"."""
    made = synth.Baseline(baseline.text)
    assert made.predict(SIGNS) == baseline.predict(SIGNS) and made.score(synth.records(SIGNS[:1], [{"a": 1}])).overall.accuracy == 1.0
    with pytest.raises(UserError, match=r"^Baseline text:1:\d+: syntax error"):
        synth.Baseline("forall c in clauses")
    with pytest.raises(UserError, match=r"^Baseline text: a LEGO program must return Map\[Sym, Elem\]"):
        synth.Baseline("input xs: List[Int]\nxs")
    with pytest.raises(UserError, match=r"^Baseline takes the program as DSL source \(a string\), not int$"):
        synth.Baseline(3)
