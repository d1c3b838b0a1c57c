"""Accuracy by length, by chain position and whole sentence, on cases small enough to count by hand."""

from __future__ import annotations

import csv
import io
import json
import re

import numpy as np
import pytest
from hypothesis import given

from dsl.errors import DslRuntimeError
from dsl.groups import get_group
from synth.report.counts import Count as Accuracy
from synth.report.evaluate import (
    Scorer,
    chain_depths,
    evaluate,
    prediction_json,
    value_from_json,
    value_to_json,
)
from tasks.lego.sentence import LegoRecord
from tasks.lego.solve import solve
from tasks.lego.syntax import parse_sentence
from tasks.strategies import sentences

Z2 = get_group("Z2")
ZERO, ONE = Z2.element("0"), Z2.element("1")


def rec(text: str, labels: dict[str, int], rid: str | None = None) -> LegoRecord:
    sentence, _ = parse_sentence(text)
    return LegoRecord(sentence, {k: Z2.element(str(v)) for k, v in labels.items()}, rid)


# Chain a(1) -> b(2) -> c(3), written out of order: a = 1, b = 0, c = 0.
S3_TEXT = " c = val b ,  a = val 1 ,  b = not a , "
# Chain x(1) -> y(2): x = 0, y = 1.
S2_TEXT = "x = val 0 ,  y = not x , "


def biased(sentence):
    """Right except that b is always predicted 1."""
    out = dict(solve(sentence))
    if "b" in out:
        out["b"] = ONE
    return out


def test_hand_computed_counts():
    records = [rec(S3_TEXT, {"a": 1, "b": 0, "c": 0}), rec(S2_TEXT, {"x": 0, "y": 1}), rec(S2_TEXT, {})]
    r = evaluate(records, biased)
    assert r.overall == Accuracy(4, 5)
    assert r.sentence_accuracy == Accuracy(1, 2)
    assert r.by_length == {2: Accuracy(2, 2), 3: Accuracy(2, 3)}
    # positions are depths along the chain, not places in the text: b is position 2
    assert r.by_position == {1: Accuracy(2, 2), 2: Accuracy(1, 2), 3: Accuracy(1, 1)}
    assert r.sentence_by_length == {2: Accuracy(1, 1), 3: Accuracy(0, 1)}
    assert (r.records, r.unlabelled, r.failed) == (3, 1, 0)


def test_partial_labels_score_only_labelled_variables():
    r = evaluate([rec(S3_TEXT, {"c": 0})], biased)  # b is wrong but unlabelled
    assert r.overall == Accuracy(1, 1) and r.by_position == {3: Accuracy(1, 1)}
    assert r.sentence_accuracy == Accuracy(1, 1)


def test_failures_count_as_wrong():
    def failing(sentence):
        raise DslRuntimeError("cycle")

    r = evaluate([rec(S2_TEXT, {"x": 0, "y": 1})], failing)
    assert r.failed == 1 and r.overall == Accuracy(0, 2)


def test_to_dict_has_fractions_and_counts():
    d = evaluate([rec(S3_TEXT, {"a": 1, "b": 0, "c": 0})], biased).to_dict()
    for key in ("overall", "by_length", "by_position", "sentence_accuracy"):
        assert key in d
    assert d["overall"]["accuracy"] == pytest.approx(2 / 3) and (d["overall"]["correct"], d["overall"]["total"]) == (2, 3)
    assert d["by_position"]["2"]["accuracy"] == 0.0 and d["by_position"]["2"]["total"] == 1
    assert d["by_length_position"]["3"]["2"]["total"] == 1
    json.dumps(d)


def test_empty_report_has_no_fraction():
    r = Scorer().report()
    assert r.overall.accuracy is None and r.to_dict()["overall"]["accuracy"] is None


def test_merge_adds_counts():
    a, b = Scorer(), Scorer()
    r1, r2 = rec(S3_TEXT, {"a": 1, "b": 0}), rec(S2_TEXT, {"y": 1})
    a.add(r1.sentence, r1.labels, biased(r1.sentence))
    b.add(r2.sentence, r2.labels, biased(r2.sentence))
    a.merge(b)
    assert a.report().overall == Accuracy(2, 3)


def test_csv_is_tidy():
    buf = io.StringIO()
    evaluate([rec(S3_TEXT, {"a": 1, "b": 0, "c": 0})], biased).to_csv(buf, model="m")
    rows = list(csv.DictReader(io.StringIO(buf.getvalue())))
    assert rows[0]["model"] == "m" and rows[0]["metric"] == "label_accuracy"
    assert (rows[0]["length"], rows[0]["position"], rows[0]["correct"], rows[0]["total"]) == ("", "", "2", "3")
    assert rows[0]["accuracy"] == "0.666667"
    cross = [r for r in rows if r["length"] and r["position"]]
    assert [(r["length"], r["position"], r["accuracy"]) for r in cross] == [("3", "1", "1.000000"), ("3", "2", "0.000000"), ("3", "3", "1.000000")]


def test_prediction_line_and_values_round_trip():
    r = rec(S2_TEXT, {}, rid="7")
    line = json.loads(prediction_json(r, solve(r.sentence), "official"))
    assert line == {"id": "7", "labels": {"x": 0, "y": 1}}
    assert value_from_json(-1, Z2, "signs", "v") == ONE and value_to_json(ONE, "signs") == -1
    assert value_from_json("0", Z2, "kazemnejad", "v") == ONE  # truth value "0" is -1
    assert value_from_json("Z2:1", Z2, "official", "v") == ONE


def test_query_only_scores_one_question():
    r = rec(S3_TEXT, {"a": 1, "b": 0, "c": 0})
    r = LegoRecord(r.sentence, r.labels, None, "c")
    assert evaluate([r], biased).overall == Accuracy(2, 3)
    assert evaluate([r], biased, query_only=True).overall == Accuracy(1, 1)


def test_query_only_counts_an_unlabelled_record_as_unlabelled():
    """Scoring audit: with query_only, a record with no label and no query went to no_query before the unlabelled
    count, so `records: 8 (8 labelled, 0 unlabelled)` where 3 had no label."""
    plain = rec(S3_TEXT, {"a": 1, "b": 0, "c": 0})
    bare = rec(S2_TEXT, {})
    for query_only in (False, True):
        report = evaluate([plain, bare, bare], solve, query_only=query_only)
        assert (report.records, report.unlabelled) == (3, 2), query_only
        assert "records: 3 (1 labelled, 2 unlabelled)" in report.format_text()
    assert evaluate([plain, bare], solve, query_only=True).no_query == 2  # neither has a query: both still said so


def test_query_only_leaves_out_records_without_a_query_and_counts_them():
    """Before: a record without a query had every label scored, under the name "query accuracy" (3/3 for one query here)."""
    queried = LegoRecord(rec(S2_TEXT, {}).sentence, rec(S2_TEXT, {"x": 0, "y": 1}).labels, None, "y")
    plain = rec(S3_TEXT, {"a": 1, "b": 0, "c": 0})
    report = evaluate([plain, queried], solve, query_only=True)
    assert report.overall == Accuracy(1, 1) and report.metric == "query_accuracy"
    assert (report.records, report.no_query, report.unlabelled) == (2, 1, 0)
    assert report.to_dict()["no_query"] == 1
    assert "records without a query, not scored (query accuracy scores each record's query only): 1" in report.format_text()
    only_plain = evaluate([plain], solve, query_only=True)
    assert only_plain.overall == Accuracy(0, 0) and only_plain.no_query == 1  # nothing to score is no score, never 1.0
    assert evaluate([plain, queried], solve).no_query == 0  # without query_only every label is scored, as before
    halves = Scorer(query_only=True), Scorer(query_only=True)
    halves[0].add(plain.sentence, plain.labels, solve(plain.sentence), plain.query)
    halves[1].add(queried.sentence, queried.labels, solve(queried.sentence), queried.query)
    halves[0].merge(halves[1])
    assert halves[0].report() == report


@given(sentences(max_size=12))
def test_chain_depths_agree_with_the_reference_solver(sentence):
    from tasks.lego.solve import depths

    assert chain_depths(sentence) == depths(sentence)


def test_chain_depths_of_broken_sentences_are_none():
    from tasks.lego.sentence import Clause, Sentence

    cyc = Sentence(Z2, (Clause("a", ZERO, "b"), Clause("b", ONE, "a")))
    undefined = Sentence(Z2, (Clause("a", ZERO), Clause("b", ONE, "q")))
    twice = Sentence(Z2, (Clause("a", ZERO), Clause("a", ONE, "a")))
    assert chain_depths(cyc) is None and chain_depths(undefined) is None and chain_depths(twice) is None


def test_run_failures_count_the_records_that_raised_and_name_the_first():
    """What `synth eval` prints before exiting 1; arrays have no lines, so the record's number stands in."""
    import numpy as np

    from synth.report.evaluate import SplitScorers, evaluate_readers
    from synth.report.paper import paper_data

    rng = np.random.default_rng(0)
    data = paper_data(rng.integers(0, 2, (4, 6)), np.array([rng.permutation(6) for _ in range(4)]), source="x.npz")
    calls = []

    def second_fails(sentence):
        calls.append(sentence)
        if len(calls) in (2, 4):
            raise DslRuntimeError(f"undefined key\non call {len(calls)}")
        return solve(sentence)

    report = evaluate_readers([data], second_fails, SplitScorers())
    failures = report.run_failures()
    assert failures is not None and (failures.failed, failures.records) == (2, 4)
    assert failures.message() == "the program failed (a run-time error) on 2 of 4 records, scored as wrong; the first at x.npz record 2: undefined key on call 2"
    assert evaluate_readers([data], solve, SplitScorers()).run_failures() is None


NOTATIONS = {"Z2": ("official", "signs", "kazemnejad"), "Z5": ("readable",), "S3": ("readable",), "D4": ("readable",)}


@pytest.mark.parametrize("data", sorted(NOTATIONS))
def test_an_element_of_another_group_round_trips_as_itself_and_never_as_the_datas(data):
    """Every element of every other group is written with its group and read back as that element, which equals
    no element of the data's group (so it scores wrong); the data's own elements keep their plain notation."""
    group = get_group(data)
    for notation in NOTATIONS[data]:
        for other in sorted(set(NOTATIONS) - {data}):
            for elem in get_group(other).elements:
                written = value_to_json(elem, notation, group)
                assert written == str(elem)
                back = value_from_json(written, group, notation, "v")
                assert back == elem and all(back != mine for mine in group.elements)
        for mine in group.elements:
            written = value_to_json(mine, notation, group)
            assert not str(written).startswith(f"{data}:") and value_from_json(written, group, notation, "v") == mine


@pytest.mark.parametrize("when", ["writing", "scoring"])
def test_an_interrupt_while_a_record_is_scored_or_written_waits_for_both(when):
    """Before: Ctrl-C between scoring a record and writing its line left it scored, not kept (`eval -o` partial report one record ahead, G10)."""
    import os
    import signal

    from synth.report.evaluate import SplitScorers, evaluate_readers

    records = [rec(S3_TEXT, {"a": 1, "b": 0, "c": 0}, f"r{k}") for k in range(5)]
    lines: list[str] = []
    scorers = SplitScorers()
    real_add = scorers.of(None).add

    def interrupt_on_the_third() -> None:
        if len(lines) == 2:
            os.kill(os.getpid(), signal.SIGINT)  # Python runs the handler at the next bytecode, before the line is kept

    def add(*args):
        if when == "scoring":
            interrupt_on_the_third()
        real_add(*args)

    def write(line: str) -> None:
        if when == "writing":
            interrupt_on_the_third()
        lines.append(line)

    scorers.of(None).add = add
    with pytest.raises(KeyboardInterrupt):
        evaluate_readers([records], solve, scorers, write=write)
    assert scorers.records == len(lines) == 3
    report = scorers.report().parts[0].report
    assert report.overall == Accuracy(9, 9) and report.sentence_accuracy == Accuracy(3, 3)
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # put back


@pytest.mark.parametrize(
    "supervised, message",
    [
        ("6", "supervised must be a whole number of chain positions (or None for all), not str '6'"),
        (True, "supervised must be a whole number of chain positions (or None for all), not bool True"),
        (-1, "supervised must be >= 0, not -1"),
    ],
)
def test_format_text_refuses_a_supervised_count_that_is_no_whole_number(supervised, message):
    """Audit C: report.format_text(supervised="6") was a TypeError from the table ('<=' between int and str), True marked position 1."""
    from dsl.errors import UserError

    report = evaluate([rec(S3_TEXT, {"a": 1, "b": 0, "c": 0})], solve)
    with pytest.raises(UserError, match="^" + re.escape(message) + "$"):
        report.format_text(supervised=supervised)
    assert "1*" in report.format_text(supervised=np.int64(1)) and "*" not in report.format_text(supervised=None)
