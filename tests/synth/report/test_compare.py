"""Predictions files: alignment in order or by id, and clear errors with line numbers."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from dsl.errors import UserError
from dsl.groups import get_group
from synth.report.compare import compare
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
    c = compare([A, B], [("pos", pos), ("key", keyed)], program=solve, notation="official")
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
    c = compare([A, B], [("m", signs)], notation="official")
    assert c.reports["m"].overall == Accuracy(5, 5)


@pytest.mark.parametrize(
    "lines, pattern",
    [
        ([{"labels": {"a": 1, "b": 0}}], r"p\.jsonl:2:1: missing prediction.*data record 2 \(id 's2'\)"),
        ([{"labels": {"a": 1, "b": 0}}, {"labels": {}}, {"labels": {}}], r"p\.jsonl:3:1: extra prediction: the data has only 2"),
        ([{"labels": {"a": 1, "b": 0}}, '{"labels": {"x": 0,'], r"p\.jsonl:2:\d+: bad JSON line"),
        ([{"labels": {"a": 1, "b": 0}}, [1, 2]], r"p\.jsonl:2:1: each line must be an object"),
        ([{"labels": {"a": 7, "b": 0}}, {"labels": {}}], r"p\.jsonl:1:1: variable 'a'.*unknown element '7'"),
        ([{"id": "s1", "labels": {}}, {"id": "s1", "labels": {}}], r"p\.jsonl:2:1: duplicate prediction for id 's1' \(first on line 1\)"),
        ([{"id": "s1", "labels": {}}, {"id": "s9", "labels": {}}, {"id": "s2", "labels": {}}], r"p\.jsonl:2:1: extra prediction: id 's9'"),
        ([{"id": "s1", "labels": {}}], r"no prediction for data record 2 \(id 's2'\)"),
        ([{"id": "s1", "labels": {}}, {"labels": {}}], r"p\.jsonl:2:1: this file keys predictions by \"id\""),
        ([{"labels": {}}, {"id": "s1", "labels": {}}], r"p\.jsonl:2:1: prediction is for id 's1', but data record 2 has id 's2'"),
    ],
)
def test_prediction_file_errors(tmp_path, lines, pattern):
    p = write(tmp_path, "p.jsonl", lines)
    with pytest.raises(UserError) as info:
        compare([A, B], [("m", p)], notation="official")
    assert info.match(pattern)


def test_duplicate_column_names(tmp_path):
    p = write(tmp_path, "p.jsonl", [{"labels": {}}, {"labels": {}}])
    with pytest.raises(UserError, match="give each --predictions its own --name"):
        compare([A, B], [("m", p), ("m", p)])


def test_published_columns_and_csv_keep_status(tmp_path):
    refs = load()
    pubs = refs.lego_by_length() + refs.lego_notes()
    p = write(tmp_path, "p.jsonl", [{"labels": {"a": 1, "b": 0}}, {"labels": {"x": 0, "y": 1, "z": 0}}])
    c = compare([A, B], [("m", p)], published=pubs, references=refs, notation="official")
    header, rows = c.table("length")
    assert any("[from-results-file]" in h for h in header)
    assert [r[0] for r in rows] == [2, 3] + list(range(9, 17))
    text = c.format_text("length")
    assert "status: qualitative" in text and "kazemnejad2023" in text
    buf = io.StringIO()
    c.to_csv(buf)
    rows = list(csv.DictReader(io.StringIO(buf.getvalue())))
    assert {r["status"] for r in rows} >= {"scored-here", "from-results-file", "qualitative", "verified"}
    assert all(r["source"] for r in rows if r["status"] != "scored-here")
    d = c.to_dict()
    assert all("status" in x and "source" in x for x in d["published"])
