"""The scorer's fast paths (the shared chain walk, counting wrong labels only) against a plain scorer written from the definition.

`Scorer` reads chain positions from tasks.lego.solve's memoized walk (made by
the reader's check just before) and counts labels and wrong labels per cell;
`plain_report` below walks every sentence with the reference solver and
counts right and total the obvious way. On random records and predictions
(wrong, missing, failed, equal-but-not-identical values; partial; query only;
sentences the memo did or did not see) the two reports must be identical.
"""

from __future__ import annotations

from collections import defaultdict

from hypothesis import given, settings
from hypothesis import strategies as st

from dsl.groups import Elem, get_group
from synth.report.counts import Count
from synth.report.evaluate import Report, Scorer, chain_depths
from synth.report.tidy import LABEL, QUERY
from tasks.lego.errors import LegoDataError
from tasks.lego.sentence import Clause, LegoRecord, Sentence
from tasks.lego.solve import chain_positions, depths, solve
from tasks.strategies import records


def plain_report(items: list, query_only: bool, partial: bool) -> Report:
    """The definition: one label at a time, positions from the reference solver."""
    right: dict = defaultdict(int)
    seen: dict = defaultdict(int)
    sent_right: dict = defaultdict(int)
    sent_seen: dict = defaultdict(int)
    n_failed = n_unlabelled = n_no_position = n_unanswered = n_no_query = n_unanswered_sentences = 0
    for record, pred in items:
        failed = pred is None
        if pred is None:
            n_failed += 1
            pred = {}
        labels = dict(record.labels)
        # unlabelled: no label at all, or (query_only) none on its query; "N labelled" is records minus these
        if not labels or (query_only and record.query is not None and record.query not in labels):
            n_unlabelled += 1
        if query_only and record.query is None:  # nothing to score: its labels are not a query's
            n_no_query += 1
            continue
        if query_only:
            labels = {record.query: labels[record.query]} if record.query in labels else {}
        if not labels:
            continue
        n = len(record.sentence)
        try:
            depth = depths(record.sentence)
        except LegoDataError:
            n_no_position += 1
            depth = {}
        ok_all, left_out = True, False
        for var, want in labels.items():
            got = pred.get(var)
            if got is None and not failed:  # a failed record's labels are wrong, even when partial
                n_unanswered += 1
                if partial:
                    left_out = True
                    continue
            ok = got == want
            ok_all &= ok
            right[(n, depth.get(var, 0))] += ok
            seen[(n, depth.get(var, 0))] += 1
        if left_out and ok_all:  # right only when every label is answered and right; one wrong answer decides it
            n_unanswered_sentences += 1
        else:
            sent_right[n] += ok_all
            sent_seen[n] += 1
    by_length: dict = {}
    by_position: dict = {}
    cross = {}
    for (n, d) in sorted(seen):
        c = Count(right[(n, d)], seen[(n, d)])
        by_length[n] = by_length.get(n, Count(0, 0)) + c
        if d:
            by_position[d] = by_position.get(d, Count(0, 0)) + c
            cross[(n, d)] = c
    sent = {n: Count(sent_right[n], sent_seen[n]) for n in sorted(sent_seen)}
    return Report(
        overall=sum(by_length.values(), Count(0, 0)),
        by_length=by_length,
        by_position=dict(sorted(by_position.items())),
        by_length_position=cross,
        sentence_accuracy=sum(sent.values(), Count(0, 0)),
        sentence_by_length=sent,
        records=len(items),
        unlabelled=n_unlabelled,
        failed=n_failed,
        no_position=n_no_position,
        unanswered=n_unanswered,
        partial=partial,
        unanswered_sentences=n_unanswered_sentences,
        metric=QUERY if query_only else LABEL,
        no_query=n_no_query,
    )


@st.composite
def scored_records(draw) -> tuple:
    """A record (maybe with a query) and a prediction: right, wrong, missing, failed or equal copies of the elements."""
    record = draw(records(max_size=8))
    s = record.sentence
    names = list(s.variables)
    query = draw(st.one_of(st.none(), st.sampled_from(names)))
    record = LegoRecord(s, record.labels, None, query)
    kind = draw(st.sampled_from(["right", "noisy", "failed", "copies"]))
    if kind == "failed":
        return record, None
    truth = solve(s)
    pred: dict = {}
    for v in names:
        choice = draw(st.sampled_from(["right", "right", "wrong", "missing"])) if kind == "noisy" else "right"
        if choice == "missing":
            continue
        value = truth[v]
        if choice == "wrong":
            value = s.group.elements[(value.index + 1) % len(s.group)]
        pred[v] = Elem(s.group, value.index) if kind == "copies" else value  # copies: == but not `is`
    return record, pred


@settings(max_examples=300, deadline=None)
@given(st.lists(scored_records(), max_size=12), st.booleans(), st.booleans(), st.lists(st.booleans(), max_size=12))
def test_scorer_gives_the_plain_definitions_report(items, query_only, partial, walked):
    scorer = Scorer(query_only=query_only, partial=partial)
    for (record, pred), warm in zip(items, walked + [False] * len(items)):
        if warm:  # as after the reader's check: the memo holds this sentence's walk
            chain_positions(record.sentence)
        scorer.add(record.sentence, record.labels, pred, record.query)
    assert scorer.report() == plain_report(items, query_only, partial)


@settings(max_examples=100, deadline=None)
@given(st.lists(scored_records(), max_size=8), st.lists(scored_records(), max_size=8))
def test_merge_is_scoring_both_halves_at_once(first, second):
    a, b, both = Scorer(), Scorer(), Scorer()
    for scorer, part in ((a, first), (b, second), (both, first + second)):
        for record, pred in part:
            scorer.add(record.sentence, record.labels, pred, record.query)
    a.merge(b)
    assert a.report() == both.report()


def test_broken_sentences_are_scored_without_positions_whatever_the_memo_holds():
    g = get_group("Z2")
    zero, one = g.elements
    cyc = Sentence(g, (Clause("a", zero, "b"), Clause("b", one, "a")))
    ok = Sentence(g, (Clause("x", zero), Clause("y", one, "x")))
    for s in (ok, cyc, ok):
        chain_positions(s)
    scorer = Scorer()
    scorer.add(cyc, {"a": zero}, {"a": zero})
    scorer.add(ok, {"y": one}, {"y": one})
    report = scorer.report()
    assert report.no_position == 1 and report.by_position == {2: Count(1, 1)}
    assert chain_depths(cyc) is None and chain_depths(ok) == {"x": 1, "y": 2}
