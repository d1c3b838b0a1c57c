"""Sentence syntaxes: round trips, detection, and literal samples in the community's formats."""

from __future__ import annotations

import io
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dsl.groups import get_group
from tasks.lego.errors import LegoDataError
from tasks.lego.io import read_records, record_from_json, record_to_json, record_to_kazemnejad, write_records
from tasks.lego.solve import solve
from tasks.lego.syntax import detect_syntax, format_official, format_sentence, parse_sentence, parse_value
from tasks.strategies import records, sentences

Z2 = get_group("Z2")
FLIP = Z2.element("1")
KEEP = Z2.identity


@settings(max_examples=60, deadline=None)
@given(sentences(group="Z2"), st.sampled_from(["official", "signs", "readable"]))
def test_z2_round_trip_every_syntax(sentence, syntax):
    text = format_sentence(sentence, syntax)
    assert detect_syntax(text) == syntax
    back, seen = parse_sentence(text)
    assert seen == syntax and back == sentence


@settings(max_examples=60, deadline=None)
@given(sentences(max_size=10))
def test_readable_round_trip_any_group(sentence):
    back, syntax = parse_sentence(format_sentence(sentence, "readable"))
    assert syntax == "readable" and back == sentence and back.group.name == sentence.group.name


@settings(max_examples=40, deadline=None)
@given(st.lists(records(max_size=8), min_size=1, max_size=5), st.sampled_from(["official", "signs", "readable", "jsonl", "kazemnejad"]))
def test_record_files_round_trip(recs, fmt):
    if fmt in ("official", "signs", "kazemnejad"):
        recs = [r for r in recs if r.sentence.group.name == "Z2"]
    out = io.StringIO()
    write_records(recs, fmt, out)
    back = list(read_records(io.StringIO(out.getvalue())))
    assert [(r.sentence, dict(r.labels)) for r in back] == [(r.sentence, dict(r.labels)) for r in recs]


def test_paper_token_syntax_sample():
    # Written by hand in the byte layout of the paper's generator: root first, then ' x = mod y , '.
    text = "k = val 1 ,  q = not k ,  d = val q ,  w = not d , "
    s, syntax = parse_sentence(text)
    assert syntax == "official"
    assert {k: v.index for k, v in solve(s).items()} == {"k": 1, "q": 0, "d": 0, "w": 1}
    assert format_official(s) == text
    shuffled = " d = val q ,  w = not d , k = val 1 ,  q = not k , "
    s2, _ = parse_sentence(shuffled)
    assert format_official(s2) == shuffled and solve(s2) == solve(s)


@pytest.mark.parametrize("text", [
    "a = +1; b = -a; c = +b;",
    "a = +1, b = - a, c = + b",
    "a = +1;b = -a;c = +b",
    "c = +b, a = +1, b = -a,",
])
def test_sign_syntax_variants(text):
    s, syntax = parse_sentence(text)
    assert syntax == "signs"
    assert solve(s) == {**{"a": KEEP, "b": FLIP, "c": FLIP}, **{}} or True
    values = solve(s)
    assert values["a"] == KEEP and values["b"] == FLIP and values["c"] == FLIP


def test_kazemnejad_sample():
    line = json.dumps({
        "clauses": ["x = - d", "n = +1", "d = + n", "u = - x"],
        "truth_values": [["n", "1"], ["d", "1"], ["x", "0"], ["u", "1"]],
        "query": "u", "cat": [4, 3],  # [clauses, the query's chain index from 0], as their generator writes it
    })
    (rec,) = list(read_records(io.StringIO(line + "\n")))
    assert rec.query == "u"
    assert rec.labels == {"n": KEEP, "d": KEEP, "x": FLIP, "u": KEEP}  # "1" is +1, "0" is -1
    assert solve(rec.sentence) == {"x": FLIP, "n": KEEP, "d": KEEP, "u": KEEP}
    again = record_to_kazemnejad(rec)
    assert again["clauses"] == ["x = - d", "n = +1", "d = + n", "u = - x"]
    assert again["truth_values"] == [["n", "1"], ["d", "1"], ["x", "0"], ["u", "1"]]
    assert again["query"] == "u"


def test_readable_groups():
    s, syntax = parse_sentence("a = S3:(012); b = (01) a; c = e b;")
    assert syntax == "readable" and s.group.name == "S3"
    g = s.group
    v = solve(s)
    assert v["b"] == g.compose(g.element("(01)"), g.element("(012)")) and v["c"] == v["b"]
    d, _ = parse_sentence("x = r1 y; y = D4:s0;")
    assert solve(d)["x"] == d.group.compose(d.group.element("r1"), d.group.element("s0"))
    z, _ = parse_sentence("a = Z5:3; b = 4 a;")
    assert solve(z)["b"].name == "2"


def test_native_labels_in_the_sentences_notation():
    rec, syntax = record_from_json({"sentence": "a = +1; b = -a;", "labels": {"a": 1, "b": -1}})
    assert syntax == "signs" and rec.labels == {"a": KEEP, "b": FLIP}
    assert record_to_json(rec, "signs") == {"sentence": "a = +1; b = -a;", "labels": {"a": 1, "b": -1}}
    rec, _ = record_from_json({"sentence": "a = val 1 ,  b = not a , ", "labels": {"a": 1}})
    assert rec.labels == {"a": FLIP}


def test_variables_may_look_like_keywords_and_elements():
    s, _ = parse_sentence("val = val 1 ,  not = not val , ")
    assert solve(s) == {"val": FLIP, "not": KEEP}
    s, _ = parse_sentence("e = S3:e; x = (01) e;")
    assert solve(s)["x"].name == "(01)"


def test_non_z2_needs_readable():
    s, _ = parse_sentence("a = Z5:1; b = 2 a;")
    with pytest.raises(LegoDataError):
        format_sentence(s, "official")


@pytest.mark.parametrize(
    ("text", "clause", "says"),
    [
        # Before: "no root literal (the readable syntax names the group ...)" though this is the token syntax.
        ("a = 1 ,  b = not a , ", 1, "'val' or 'not' before the value in the token syntax: 'a = val 1'"),
        # Before: malformed clause with no word on the separator.
        ("a = val 1 ;  b = not a ; ", 1, "clauses separated by ',' in the token syntax; ';' is the signs syntax's"),
        # Before: accepted as one clause.
        ("a = val 1 , , b = not a , ", 2, "empty clause"),
        (", a = val 1 , ", 1, "empty clause"),
        ("a = +1 ; ; b = -a ;", 2, "empty clause"),
        ("a = S3:(012) ; ; b = e a", 2, "empty clause"),
    ],
)
def test_damaged_sentences_say_what_is_wrong_and_where(text, clause, says):
    with pytest.raises(LegoDataError) as err:
        parse_sentence(text)
    assert err.value.clause == clause and says in str(err.value) and "readable" not in str(err.value)


def test_a_trailing_separator_is_still_fine():
    assert len(parse_sentence("a = val 1 , b = not a , ")[0].clauses) == 2
    assert len(parse_sentence("a = +1 ; b = -a ;")[0].clauses) == 2


# -- a bad element names the group's elements, in every group ---------------------------------

GROUP_SAMPLES = {  # group: (a root literal, an operator)
    "Z2": ("Z2:1", "1"), "Z5": ("Z5:3", "2"), "Z20": ("Z20:7", "19"), "S3": ("S3:(012)", "(01)"), "D4": ("D4:r1", "s0"),
}


def _listed(group_name: str) -> list[str]:
    group = get_group(group_name)
    names = list(group.names)
    return names if len(names) <= 12 else [names[0], names[1], "...", names[-1]]


@pytest.mark.parametrize("group_name", sorted(GROUP_SAMPLES))
def test_an_unknown_label_element_lists_the_groups_elements(group_name):
    """Before: "(accepted: an element name of the group (an integer 0..n-1 for Z<n>), ...)" with no names, S3's cycles above all."""
    group = get_group(group_name)
    with pytest.raises(LegoDataError) as err:
        parse_value("(01)(012)", group, "readable")
    message = str(err.value)
    assert f'unknown element "(01)(012)" of group {group_name} in the labels' in message
    assert f"an element of {group_name}: " + ", ".join(_listed(group_name)) in message
    assert message.endswith(f"; or {group_name}:NAME)")


@pytest.mark.parametrize("group_name", sorted(GROUP_SAMPLES))
@pytest.mark.parametrize("bad", ["(07)", "x", "(0 1)"])
def test_an_unknown_or_spaced_operator_in_a_sentence_lists_the_groups_elements(group_name, bad):
    root, op = GROUP_SAMPLES[group_name]
    with pytest.raises(LegoDataError) as err:
        parse_sentence(f"a = {root}; b = {op} a; c = {bad} b;")
    message = str(err.value)
    assert "clause 3" in message and ", ".join(_listed(group_name)) in message


def test_s3_says_its_cycles_have_no_spaces():
    with pytest.raises(LegoDataError, match=r"\(cycles written without spaces\)"):
        parse_sentence("a = S3:(012); b = (0 1) a;")
    with pytest.raises(LegoDataError, match=r"\(cycles written without spaces\)"):
        parse_value("(0 1)", get_group("S3"), "readable")
