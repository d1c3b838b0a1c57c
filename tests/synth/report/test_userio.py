"""The library speaks the user's types: strings in any syntax, 0/1 or +1/-1 or names, JSON-ready answers."""

from __future__ import annotations

import json
import re

import pytest

import synth
from dsl.errors import UserError
from dsl.groups import get_group
from synth.report.evaluate import evaluate
from synth.report.userio import as_sentence, labels_to_user
from tasks.lego.sentence import LegoRecord
from tasks.lego.solve import solve

PROGRAM = "examples/lego.dsl"


@pytest.fixture(scope="module")
def baseline():
    return synth.load(PROGRAM)


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("a = val 1 ,  b = not a , ", {"a": 1, "b": 0}),  # the paper's token syntax: 0/1
        ("a = +1; b = -a;", {"a": 1, "b": -1}),  # signs: +1/-1
        ("a = +1, b = - a", {"a": 1, "b": -1}),
        ("a = S3:(01); b = (012) a;", {"a": "(01)", "b": "(02)"}),  # names for other groups
    ],
)
def test_predict_in_the_data_notation(baseline, sentence, expected):
    out = baseline.predict(sentence)
    assert out == [expected] and json.loads(json.dumps(out)) == [expected]


def test_record_constructor_accepts_every_notation():
    a = synth.record("a = +1; b = -a", labels={"a": 1, "b": -1})
    b = synth.record("a = val 0 ,  b = not a , ", labels={"a": 0, "b": 1})
    c = synth.record("a = +1; b = -a", labels={"a": "Z2:0", "b": "Z2:1"})
    assert a.labels == b.labels == c.labels
    with pytest.raises(UserError, match="contradicts"):
        synth.record("a = +1; b = -a", labels={"b": 1})
    assert len(synth.records(["a = +1; b = -a", "x = -1"])) == 2


def test_consistency_of_a_model_returning_0_1(baseline):
    recs = synth.records(["a = val 1 ,  b = not a ,  c = val b , ", "x = val 0 ,  y = not x , "])

    def model(sentences):
        return [baseline.predict_one(s) for s in sentences]  # strings in, 0/1 out

    assert synth.consistency(model, recs).fully_consistent

    def positional(sentences):  # leans on clause positions: not consistent under permutation
        return [{c.split("=")[0].strip(): i % 2 for i, c in enumerate(s.split(",")) if c.strip()} for s in sentences]

    assert not synth.consistency(positional, recs * 5, seed=1).fully_consistent


def test_score_predictions_with_plain_values():
    recs = synth.records(["a = +1; b = -a", "x = -1; y = +x"], labels=[{"a": 1, "b": -1}, {"x": -1, "y": -1}])
    assert synth.score_predictions(recs, [{"a": 1, "b": -1}, {"x": -1, "y": 1}], notation="signs").overall.accuracy == 0.75
    assert evaluate(recs, solve).overall.accuracy == 1.0


def test_plus_minus_one_is_never_read_as_0_1(tmp_path):
    signs = synth.records(["a = +1; b = -a"], labels=[{"a": 1, "b": -1}])
    assert synth.score_predictions(signs, [{"a": 1, "b": -1}]).overall.accuracy == 1.0  # the record knows its notation
    plain = [LegoRecord(r.sentence, r.labels) for r in signs]
    assert synth.score_predictions(plain, [{"a": 1, "b": -1}]).overall.accuracy == 1.0  # -1 says signs
    with pytest.raises(UserError, match="every value is 1"):
        synth.score_predictions(plain, [{"a": 1, "b": 1}])
    path = tmp_path / "s.txt"
    path.write_text("a = +1; b = -a;\ta=+1 b=-1\n")
    assert synth.score_predictions(synth.read_records(str(path)), [{"a": 1, "b": 1}]).overall.accuracy == 0.5


CONSISTENCY_RECORDS = ["a = val 1 ,  b = not a ,  c = val b , ", "x = val 0 ,  y = not x , ", "p = val 1 , "]


def _answers(baseline, sentences):
    return [baseline.predict_one(s) for s in sentences]


def test_a_model_that_raises_on_a_batch_is_asked_one_sentence_at_a_time(baseline):
    recs = synth.records(CONSISTENCY_RECORDS)

    def fails_on_long(sentences):  # a batch with one long sentence raises: only those sentences fail
        if any(s.count("=") >= 3 for s in sentences):
            raise RuntimeError("too long for this model")
        return _answers(baseline, sentences)

    report = synth.consistency(fails_on_long, recs)
    assert report.failed == 1 and not report.fully_consistent
    assert {(f.record, f.copy) for f in report.failures} == {(1, c) for c in ("original", "permute", "rename", "act")}
    assert {f.error for f in report.failures} == {"RuntimeError: too long for this model"}
    assert all(t.failed == 1 and t.variables.consistent == t.variables.count == 3 for t in report.transformations.values())


def test_a_model_that_always_raises_or_answers_none_fails_every_sentence_without_escaping():
    recs = synth.records(CONSISTENCY_RECORDS)
    for model, error in ((lambda s: 1 / 0, "ZeroDivisionError: division by zero"), (lambda s: None, None)):
        report = synth.consistency(model, recs)
        assert report.failed == len(recs) and not report.fully_consistent
        assert {f.error for f in report.failures} == {error}


@pytest.mark.parametrize(
    "model, message",
    [
        (lambda s: {"a": 1}, "the predictor returned dict, not a list of predictions (one dict, or None, per sentence)"),
        (lambda s: 7, "the predictor returned int, not a list of predictions"),
        (lambda s: ["a=1"] * len(s), "prediction 1 of a batch is str 'a=1': the predictor returns one dict {variable: value} (or None) per sentence"),
        (lambda s: [{}], "the predictor returned 1 predictions for 4 sentences"),
    ],
)
def test_a_model_answering_in_the_wrong_shape_is_a_user_error(model, message):
    with pytest.raises(UserError, match="^" + re.escape(message)):
        synth.consistency(model, synth.records(CONSISTENCY_RECORDS[:1]))


def test_labels_to_user_writes_another_groups_element_with_its_group():
    """A Z2 answer about a Z5 sentence stays Z2:1: a bare 1 would be the sentence's Z5:1."""
    s, notation = as_sentence("b = 2 a; a = Z5:1;")
    assert s.group.name == "Z5"
    z2, z5 = get_group("Z2"), get_group("Z5")
    assert labels_to_user({"a": z2.elements[1], "b": z5.elements[1]}, s, notation) == {"a": "Z2:1", "b": 1}


@pytest.mark.parametrize("notation", ["sign", "bits", "Signs", 3])
def test_an_unknown_notation_is_refused_before_anything_is_scored(notation):
    """Before: a misspelt notation read the values as Z2 element names, where 1 is "flip": an all-right answer scored 0/2."""
    recs = [synth.record("a = +1; b = +a", labels={"a": 1, "b": 1})]
    message = f"notation {notation!r}: choose official (0/1), signs (+1/-1), readable (element names) or kazemnejad"
    assert synth.score_predictions(recs, [{"a": 1, "b": 1}], notation="signs").overall.accuracy == 1.0
    with pytest.raises(UserError, match="^" + re.escape(message)):
        synth.score_predictions(recs, [{"a": 1, "b": 1}], notation=notation)
    with pytest.raises(UserError, match="^" + re.escape(message)):
        synth.score_predictions(recs, [None], notation=notation)  # no value read at all: still the caller's mistake
    with pytest.raises(UserError, match=re.escape(f"notation {notation!r}: choose official (0/1), signs (+1/-1) or readable (element names)")):
        synth.consistency(lambda sentences: [{} for _ in sentences], recs, notation=notation)


def test_records_takes_one_id_and_query_per_sentence():
    """Before: `records(..., id=[...])` gave every record the id "['r1', 'r2']"; `query=[...]` was a TypeError."""
    sentences, labels = ["a = +1; b = -a", "x = +1; y = -x"], [{"a": 1}, {"x": 1}]
    recs = synth.records(sentences, labels, ids=["r1", 2], queries=["b", None])
    assert [(r.id, r.query) for r in recs] == [("r1", "b"), ("2", None)]
    with pytest.raises(UserError, match=re.escape("records takes ids=[...], one per sentence, not id=['r1', 'r2']")):
        synth.records(sentences, labels, id=["r1", "r2"])
    with pytest.raises(UserError, match=re.escape("records takes queries=[...], one per sentence, not query=['a', 'x']")):
        synth.records(sentences, labels, query=["a", "x"])
    with pytest.raises(UserError, match=re.escape("1 id for 2 sentences: ids= gives one per sentence")):
        synth.records(sentences, labels, ids=["r1"])
    with pytest.raises(UserError, match=re.escape("ids must be a list with one item per sentence (None for none), not str 'r1'")):
        synth.records(sentences, labels, ids="r1")
    with pytest.raises(UserError, match=re.escape('sentence 2: query "q" is not a variable of the sentence')):
        synth.records(sentences, labels, queries=["a", "q"])
    with pytest.raises(UserError, match=re.escape("records takes no idz= (it takes labels=, ids=, queries=, syntax=, check=)")):
        synth.records(sentences, labels, idz=["r1", "r2"])


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"id": {"k": 1}}, "id must be a string or an integer, not dict {'k': 1}"),
        ({"id": True}, "id must be a string or an integer, not bool True"),
        ({"id": 1.5}, "id must be a string or an integer, not float 1.5"),
        ({"id": ["r1"]}, "id must be a string or an integer, not list ['r1'] (for one per sentence, synth.records(sentences, labels, ids=[...]))"),
        ({"query": ["a"]}, "query must be the name of one variable (a string), not list ['a'] (for one per sentence"),
        ({"query": 1, "check": False}, "query must be the name of one variable (a string), not int 1"),
    ],
)
def test_record_refuses_an_id_or_query_of_another_type(kwargs, message):
    """Before: any id became its str ("{'k': 1}"), a list query was a TypeError in the check (or kept, unchecked)."""
    with pytest.raises(UserError, match="^" + re.escape(message)):
        synth.record("a = +1; b = -a", **kwargs)
    import numpy as np

    assert synth.record("a = +1; b = -a", id=np.int64(7), query=np.str_("b")).id == "7"
