"""LEGO's symmetries: exact laws, a correct resolver is fully consistent, a biased one is caught."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dsl.errors import UserError
from dsl.groups import get_group
from tasks.lego.metamorphic import (
    TRANSFORMATIONS,
    act_on_root,
    consistency,
    infer_law,
    permute_clauses,
    rename_variables,
    split_id,
    transformed_records,
)
from tasks.lego.sentence import Clause, LegoRecord, Sentence
from tasks.lego.solve import depths, solve

ROOT = Path(__file__).resolve().parents[2]
NAMES = "abcdefghijklmnopqrstuvwxyz"


def chain(group_name: str, n: int, seed: int, shuffle: bool = True) -> Sentence:
    """A chain of n variables over the group, built by hand (no generator needed)."""
    rng = np.random.default_rng(seed)
    g = get_group(group_name)
    names = [NAMES[int(i)] for i in rng.permutation(26)[:n]]
    ops = [g.elements[int(rng.integers(len(g)))] for _ in range(n)]
    clauses = [Clause(names[0], ops[0])] + [Clause(names[j], ops[j], names[j - 1]) for j in range(1, n)]
    if shuffle:
        clauses = [clauses[int(i)] for i in rng.permutation(n)]
    return Sentence(g, tuple(clauses))


def records(count: int = 40, group: str = "Z2", seed: int = 0) -> list[LegoRecord]:
    out = []
    for i in range(count):
        s = chain(group, 2 + i % 11, seed * 1000 + i)
        out.append(LegoRecord(s, dict(solve(s))))
    return out


def resolver(sentences):
    return [solve(s) for s in sentences]


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(["Z2", "Z5", "S3", "D4"]), st.integers(1, 14), st.integers(0, 10_000), st.sampled_from(TRANSFORMATIONS))
def test_laws_are_exact(group, n, seed, name):
    """The law applied to the true values gives the true values of the transformed sentence."""
    s = chain(group, n, seed)
    rng = np.random.default_rng(seed)
    t = {"permute": permute_clauses, "rename": rename_variables, "act": act_on_root}[name](s, rng)
    assert t.law.apply(solve(s)) == solve(t.sentence)
    # the law can be recovered from the two sentences alone (the two-step CLI relies on it)
    assert infer_law(name, s, t.sentence).apply(solve(s)) == solve(t.sentence)


def test_z2_act_flips_everything():
    s = chain("Z2", 8, 3)
    t = act_on_root(s, np.random.default_rng(0))
    before, after = solve(s), solve(t.sentence)
    assert all(after[x] != before[x] for x in before)


def test_transformations_change_something():
    s = chain("Z2", 6, 1)
    rng = np.random.default_rng(0)
    assert permute_clauses(s, rng).sentence.clauses != s.clauses
    assert rename_variables(s, rng).sentence.variables != s.variables


def test_correct_resolver_is_fully_consistent():
    report = consistency(resolver, records(), seed=5)
    assert report.fully_consistent
    for t in report.transformations.values():
        assert t.variables.fraction == 1.0 and t.sentences.fraction == 1.0
        assert set(t.by_length) == set(range(2, 13))


def test_a_transformation_given_twice_is_refused():
    """It counted each record twice under that name, and wrote two copies with one id (`<id>~act`)."""
    with pytest.raises(UserError, match="transformation 'act' is given twice"):
        consistency(resolver, records(), seed=5, transformations=("act", "permute", "act"))
    with pytest.raises(UserError, match="given twice"):
        next(transformed_records(records(), 0, ("rename", "rename")))


def test_records_seeds_and_names_are_checked_as_given():
    """Library audit: a string record gave AttributeError from inside, "act" ran as 'a', 'c', 't', seed -1 numpy's error."""
    with pytest.raises(UserError, match="record 1: expected a LegoRecord or a Sentence"):
        consistency(resolver, ["a = +1; b = -a"], seed=5)
    with pytest.raises(UserError, match="seed must be a whole number >= 0"):
        consistency(resolver, records(), seed=-1)
    assert list(consistency(resolver, records(), seed=5, transformations="act").transformations) == ["act"]


def test_lego_program_is_fully_consistent():
    """The hand-written LEGO program (examples/lego.dsl) scores 100% on every transformation."""
    path = ROOT / "examples" / "lego.dsl"
    if not path.exists():
        pytest.skip("examples/lego.dsl is not written yet")
    from synth.report.evaluate import load_program

    program = load_program(path)
    for group in ("Z2", "S3"):
        report = consistency(lambda ss: [program(s) for s in ss], records(30, group), seed=1)
        assert report.fully_consistent, report.format_text()


def position_biased(sentences):
    """Right on the first 6 clauses as written, and the identity beyond: leans on position."""
    out = []
    for s in sentences:
        values = solve(s)
        out.append({c.lhs: (values[c.lhs] if i < 6 else s.group.identity) for i, c in enumerate(s.clauses)})
    return out


def test_position_biased_predictor_is_detected():
    report = consistency(position_biased, records(60), seed=2)
    assert not report.fully_consistent
    permute = report.transformations["permute"]
    assert permute.variables.fraction < 0.95
    # short sentences (all clauses among the first 6) stay consistent; long ones do not
    assert permute.by_length[3].fraction == 1.0 and permute.by_length[12].fraction < 1.0
    assert report.transformations["act"].variables.fraction < 1.0


def test_depth_biased_name_predictor_is_caught_by_rename():
    def name_biased(sentences):
        return [{x: (v if x < "n" else v.group.identity) for x, v in solve(s).items()} for s in sentences]

    report = consistency(name_biased, records(40), seed=4, transformations=("rename",))
    assert report.transformations["rename"].variables.fraction < 1.0


def test_deterministic_and_ids():
    a = [(r.id, [t.sentence for t in ts]) for r, ts in transformed_records(records(5), 9)]
    b = [(r.id, [t.sentence for t in ts]) for r, ts in transformed_records(records(5), 9)]
    assert a == b and a[0][0] == "1"
    rec, ts = next(transformed_records(records(1), 0))
    t = ts[1].record(rec, rec.id)
    assert split_id(t.id) == ("1", "rename") and split_id("1") == ("1", None)
    assert depths(t.sentence) == {ts[1].law.rename[x]: d for x, d in depths(rec.sentence).items()}


@pytest.mark.parametrize("transformations", [TRANSFORMATIONS, ("permute", "rename")])
def test_plain_value_answers_are_refused_under_every_transformation(transformations):
    # Plain ints were a TypeError inside Law.apply under "act" and were scored silently under permute/rename.
    records = [LegoRecord(chain("Z2", 4, seed), {}) for seed in range(3)]
    ints = lambda ss: [{c.lhs: 1 for c in s.clauses} for s in ss]  # noqa: E731
    with pytest.raises(UserError, match=r"answer for record 1, variable '\w', is int 1, not an element of Z2 .*synth.consistency"):
        consistency(ints, records, 0, transformations=transformations)


def test_answers_breaking_the_contract_name_the_record_and_copy():
    z2, z5 = get_group("Z2"), get_group("Z5")
    records = [LegoRecord(chain("Z2", 3, 0), {}), LegoRecord(chain("Z2", 3, 1), {})]

    def bad_on(copy_of_second: object):
        """Right answers, but `copy_of_second` for the last sentence of the batch: record 2's act copy."""
        return lambda ss: [solve(s) for s in ss[:-1]] + [copy_of_second]

    with pytest.raises(UserError, match=r"record 2 \(its act copy\) is list \[1\], not a mapping"):
        consistency(bad_on([1]), records, 0)
    with pytest.raises(UserError, match=r"record 2 \(its act copy\) has the key 0 \(int\), not a variable name"):
        consistency(bad_on({0: z2.identity}), records, 0)
    with pytest.raises(UserError, match=r"is Z5:1, an element of Z5, but the sentence is over Z2"):
        consistency(bad_on({"a": z5.elements[1]}), records, 0)
    # None and an exception are failures, counted, not contract breaches.
    report = consistency(bad_on(None), records, 0)
    assert report.failed == 1 and not report.fully_consistent


def _pair(name: str):
    """An original sentence, its exact values, and a transformed copy with its law and exact values."""
    from tasks.lego.metamorphic import transform

    s = chain("Z2", 6, 3)
    t = transform(name, s, np.random.default_rng(0))
    return s, dict(solve(s)), t.law, dict(solve(t.sentence))


@pytest.mark.parametrize("name", TRANSFORMATIONS)
def test_a_variable_missing_on_the_original_or_the_copy_counts_alike_as_unanswered(name):
    """Before: one missing on the original shrank the count in silence, one missing on the copy was 'inconsistent' (G13)."""
    from tasks.lego.metamorphic import ConsistencyCounter

    s, before, law, after = _pair(name)
    first = s.clauses[0].lhs
    reports = []
    moved = next(iter(law.apply({first: before[first]})))  # the first variable's name in the copy
    for b, a in (({first: before[first]}, after), (before, {moved: after[moved]})):
        counter = ConsistencyCounter((name,))
        counter.add_record(1, s, b, [(name, law, a)], "d.jsonl:1")
        reports.append(counter.report())
    for report in reports:
        t = report.transformations[name]
        assert t.variables.consistent == t.variables.count == 1
        assert t.unanswered == 5 and t.unanswered_sentences == 1 and t.sentences.count == 0
        assert report.partial == 1 and report.first_partial == "d.jsonl:1" and not report.fully_consistent
        assert report.to_dict()["partial"] == 1 and report.to_dict()["transformations"][name]["unanswered"] == 5
        text = report.format_text()
        assert "unanswered variables 5 (in 1 sentence, left out)" in text
        assert text.endswith("NOT fully consistent: variables unanswered")


@pytest.mark.parametrize("name", TRANSFORMATIONS)
def test_an_inconsistent_variable_decides_its_sentence_whatever_is_unanswered(name):
    """Audit 8 H12: the sentence was left out as partly answered, so its inconsistency never showed in the sentence rate."""
    from tasks.lego.metamorphic import ConsistencyCounter

    s, before, law, after = _pair(name)
    expected = law.apply(before)
    wrong = dict(expected)
    flipped = next(iter(wrong))
    wrong[flipped] = next(e for e in s.group.elements if e != wrong[flipped])  # one variable inconsistent
    del wrong[next(x for x in wrong if x != flipped)]  # and one unanswered
    counter = ConsistencyCounter((name,))
    counter.add_record(1, s, before, [(name, law, wrong)], "d.jsonl:1")
    t = counter.report().transformations[name]
    assert t.unanswered == 1 and t.unanswered_sentences == 0
    assert t.sentences.consistent == 0 and t.sentences.count == 1


def test_a_predictor_answering_one_variable_is_not_fully_consistent():
    report = consistency(lambda ss: [dict([next(iter(solve(s).items()))]) for s in ss], records(10), seed=1)
    assert not report.fully_consistent and report.partial == 10
    assert all(t.unanswered > 0 and t.sentences.count == 0 for t in report.transformations.values())


def test_consistency_that_would_check_nothing_is_refused() -> None:
    """Library audit: no record, or transformations=[], reported fully consistent after checking nothing."""
    from tasks.lego.metamorphic import consistency, per_sentence

    records = [LegoRecord(Sentence(get_group("Z2"), (Clause("a", get_group("Z2").element("1"), None),)), {})]
    with pytest.raises(UserError, match="records is empty"):
        consistency(per_sentence(solve), [])
    with pytest.raises(UserError, match=r"transformations=\[\] would check nothing"):
        consistency(per_sentence(solve), records, transformations=[])
    assert consistency(per_sentence(solve), records).fully_consistent


def test_a_predictor_returning_no_list_is_said_so() -> None:
    """Library audit: a predictor returning None for a batch was a TypeError from inside."""
    from tasks.lego.errors import LegoDataError
    from tasks.lego.metamorphic import consistency

    records = [LegoRecord(Sentence(get_group("Z2"), (Clause("a", get_group("Z2").element("1"), None),)), {})]
    with pytest.raises(LegoDataError, match=r"the predictor returned NoneType, not a list of \d+ predictions"):
        consistency(lambda sentences: None, records)


def biased(sentences):
    """A model that leans on clause positions: the first clause's variable is the identity, each next one the other value."""
    z2 = get_group("Z2")
    return [{c.lhs: z2.elements[k % 2] for k, c in enumerate(s.clauses)} for s in sentences]


def test_transformations_given_as_an_iterator_are_all_run() -> None:
    """Audit C: an iterator was used up counting the names, so no copy was made: a biased model was "fully consistent"."""
    report = consistency(biased, records(10), seed=1, transformations=iter(["act", "permute"]))
    assert list(report.transformations) == ["act", "permute"]
    assert all(t.variables.count > 0 for t in report.transformations.values()) and not report.fully_consistent


class ActFirst(set):
    """A set iterating as a set of strings may under another PYTHONHASHSEED: act first."""

    def __iter__(self):
        return iter(sorted(super().__iter__()))


def test_a_set_of_transformations_is_run_in_a_fixed_order() -> None:
    """Audit C: a set's order changes with string hashing, and the order decides the draws: the same seed gave other counts."""
    given = consistency(biased, records(20), seed=3, transformations=ActFirst(TRANSFORMATIONS))
    fixed = consistency(biased, records(20), seed=3, transformations=list(TRANSFORMATIONS))
    assert list(given.transformations) == list(TRANSFORMATIONS)
    assert given.to_dict() == fixed.to_dict()
    copies = [[t.name for t in ts] for _, ts in transformed_records(records(2), 0, ActFirst(TRANSFORMATIONS))]
    assert copies == [list(TRANSFORMATIONS)] * 2


def test_none_means_every_transformation_as_in_synth_consistency() -> None:
    """Audit C: transformations=None was refused as "transformations=[] would check nothing"."""
    assert list(consistency(resolver, records(3), transformations=None).transformations) == list(TRANSFORMATIONS)


@pytest.mark.parametrize(
    "predictor, items, message",
    [
        (3, "records", "consistency takes a predictor: a function of a list of sentences, not int"),
        (solve, None, "consistency takes records or sentences (a list), not NoneType"),
        (solve, 5, "consistency takes records or sentences (a list), not int"),
    ],
)
def test_a_predictor_or_records_of_the_wrong_kind_is_one_user_error(predictor, items, message) -> None:
    """Audit C: TypeError: 'int' object is not callable, 'NoneType' object is not iterable."""
    with pytest.raises(UserError, match="^" + re.escape(message) + "$"):
        consistency(resolver if predictor is solve else predictor, records(2) if items == "records" else items)


def test_a_numpy_seed_is_reported_as_a_plain_int() -> None:
    """Audit C: report.seed kept numpy's int64, and report.to_dict() was not json.dumps-able."""
    report = consistency(resolver, records(2), seed=np.int64(4))
    assert type(report.seed) is int and json.loads(json.dumps(report.to_dict()))["seed"] == 4
