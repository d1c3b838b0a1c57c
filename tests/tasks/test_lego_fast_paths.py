"""The reader's fast paths: the label check on the shared chain walk, and official sentences split with every clause cached."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tasks.lego import syntax
from tasks.lego.errors import LegoDataError
from tasks.lego.io import check_record
from tasks.lego.sentence import LegoRecord
from tasks.lego.solve import chain_values, check_chain_labels
from tasks.lego.syntax import detect_syntax, format_official, parse_sentence
from tasks.strategies import records


@settings(max_examples=300, deadline=None)
@given(records(max_size=10), st.data())
def test_fast_label_check_vouches_only_for_what_the_full_check_accepts(record, data):
    s = record.sentence
    labels = dict(record.labels)
    if labels and data.draw(st.booleans()):  # one label made wrong
        var = data.draw(st.sampled_from(sorted(labels)))
        labels[var] = s.group.elements[(labels[var].index + 1) % len(s.group)]
    query = data.draw(st.one_of(st.none(), st.sampled_from(list(s.variables) + ["not_a_variable"])))
    rec = LegoRecord(s, labels, None, query)
    try:
        check_record(rec)
        accepted = True
    except LegoDataError:
        accepted = False
    fast = check_chain_labels(s, labels, query)
    assert not fast or accepted
    if accepted and chain_values(s) is not None:  # a well-formed chain is never sent to the slow check
        assert fast


@settings(max_examples=200, deadline=None)
@given(records(group="Z2", max_size=12, labelled="none"))
def test_official_sentences_parse_the_same_with_and_without_the_clause_cache(record):
    text = format_official(record.sentence)
    syntax._official_cache.clear()
    cold, _ = parse_sentence(text)
    warm, _ = parse_sentence(text)  # every clause cached now: the path without a loop
    assert cold == warm == record.sentence and warm.clauses == record.sentence.clauses


@pytest.mark.parametrize(
    "text, clause",
    [
        ("a = val 1 , b = not a , b = val", 3),  # a malformed clause after cached ones keeps its number
        ("a = val 1 , , b = not a , c = vol b , ", 2),  # an empty clause is refused where it is
    ],
)
def test_errors_name_the_same_clause_with_a_warm_cache(text, clause):
    parse_sentence("a = val 1 , b = not a , ")  # warm the cache with the first clauses
    with pytest.raises(LegoDataError) as err:
        parse_sentence(text)
    assert err.value.clause == clause


_SPACE = st.sampled_from([" ", "  ", "\t", " \u3000 ", "\x1c"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a", "b", "val", "x1"]), st.sampled_from(["val", "not", "vol", "="]),
                          st.sampled_from(["a", "0", "1", "+1", "Z2:1"]), _SPACE, _SPACE), min_size=1, max_size=4),
       st.sampled_from([",", ", ", ";", ""]))
def test_a_sentence_of_cached_clauses_is_read_as_detection_reads_it(parts, end):
    """Detection is skipped when every clause is in the token syntax's cache: only where detection says official."""
    text = ",".join(f"{s1}{lhs} ={s2}{mod}{s1}{arg}{s2}" for lhs, mod, arg, s1, s2 in parts) + end
    for warm in (False, True):
        try:
            fast = parse_sentence(text)
        except LegoDataError as err:
            fast = err.message
        try:
            slow = parse_sentence(text, detect_syntax(text))
        except LegoDataError as err:
            slow = err.message
        assert fast == slow
        if not warm:
            for piece in text.split(","):  # warm the cache with what the token syntax reads
                with contextlib.suppress(LegoDataError):
                    parse_sentence(piece, "official")
