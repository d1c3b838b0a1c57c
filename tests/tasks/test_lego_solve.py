"""Reference solver and generator: agreement, symmetries of the semantics, structure."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dsl.groups import KNOWN_GROUPS, get_group
from tasks.lego.generate import generate, iter_generate
from tasks.lego.sentence import Clause, Sentence
from tasks.lego.solve import chain_order, depths, solve
from tasks.strategies import sentences


@pytest.mark.parametrize("group", KNOWN_GROUPS)
@pytest.mark.parametrize("structure", ["chain", "tree"])
def test_generator_labels_equal_reference_solver(group, structure):
    for n in (1, 2, 12, 40):
        for rec in generate(n, 30, seed=n, group=group, structure=structure):
            assert dict(rec.labels) == solve(rec.sentence)
            assert solve(rec.sentence, "walk") == solve(rec.sentence, "jump")


@settings(max_examples=60, deadline=None)
@given(sentences(), st.randoms(use_true_random=False))
def test_clause_order_does_not_matter(sentence, rnd):
    clauses = list(sentence.clauses)
    rnd.shuffle(clauses)
    assert solve(Sentence(sentence.group, tuple(clauses))) == solve(sentence)


@settings(max_examples=60, deadline=None)
@given(sentences(), st.randoms(use_true_random=False))
def test_renaming_variables_renames_labels(sentence, rnd):
    names = list(sentence.variables)
    fresh = [f"v{i}" for i in range(len(names))]
    rnd.shuffle(fresh)
    rename = dict(zip(names, fresh))
    renamed = Sentence(sentence.group, tuple(Clause(rename[c.lhs], c.op, None if c.rhs is None else rename[c.rhs]) for c in sentence.clauses))
    assert solve(renamed) == {rename[k]: v for k, v in solve(sentence).items()}


@settings(max_examples=80, deadline=None)
@given(sentences(), st.data())
def test_right_multiplying_the_root_literal_right_multiplies_every_value(sentence, data):
    # val(x) = g_k ... g_2 * r along the path from the root, so r -> r*h gives val(x) -> val(x)*h.
    g = sentence.group
    h = data.draw(st.sampled_from(g.elements))
    acted = Sentence(g, tuple(Clause(c.lhs, g.compose(c.op, h)) if c.rhs is None else c for c in sentence.clauses))
    before = solve(sentence)
    assert solve(acted) == {k: g.compose(v, h) for k, v in before.items()}


@settings(max_examples=40, deadline=None)
@given(sentences(group="Z2"))
def test_z2_flipping_the_root_flips_everything(sentence):
    flip = sentence.group.element("1")
    acted = Sentence(sentence.group, tuple(Clause(c.lhs, c.op * flip) if c.rhs is None else c for c in sentence.clauses))
    assert all(solve(acted)[k] != v for k, v in solve(sentence).items())


def test_composition_order_is_op_then_operand():
    s3 = get_group("S3")
    a, b = s3.element("(01)"), s3.element("(012)")
    assert a * b != b * a
    s = Sentence(s3, (Clause("y", b), Clause("x", a, "y")))
    assert solve(s)["x"] == s3.compose(a, b)


def test_depths_are_chain_positions():
    rec = generate(12, 1, seed=3, shuffle=False)[0]
    d = depths(rec.sentence)
    assert [d[c.lhs] for c in rec.sentence.clauses] == list(range(1, 13))
    assert chain_order(rec.sentence) == list(rec.labels)


def test_supervision_labels_the_first_k_along_the_chain():
    for rec in generate(12, 20, seed=1, supervised=6):
        d = depths(rec.sentence)
        assert sorted(d[v] for v in rec.labels) == [1, 2, 3, 4, 5, 6]


def test_tree_structure_has_branching():
    recs = generate(12, 20, seed=2, structure="tree")
    assert any(max(depths(r.sentence).values()) < 12 for r in recs)


def test_names_beyond_26_are_distinct_and_letters():
    (rec,) = generate(3000, 1, seed=4)
    names = rec.sentence.variables
    assert len(set(names)) == 3000 and all(n.isalpha() and n.islower() for n in names)
    assert dict(rec.labels) == solve(rec.sentence)


def test_deterministic_and_streaming_equals_list():
    a = generate(12, 300, seed=7, group="D4", structure="tree", supervised=5)
    b = list(iter_generate(12, 300, 7, "D4", "tree", True, 5))
    assert [(r.sentence, dict(r.labels)) for r in a] == [(r.sentence, dict(r.labels)) for r in b]
    c = generate(12, 300, seed=8, group="D4", structure="tree", supervised=5)
    assert [r.sentence for r in a] != [r.sentence for r in c]


def test_first_26_names_are_a_permutation_of_letters():
    for rec in generate(26, 5, seed=0):
        assert sorted(rec.sentence.variables) == list("abcdefghijklmnopqrstuvwxyz")


def test_long_sentence_is_solved_iteratively():
    (rec,) = generate(200_000, 1, seed=0, group="S3")
    assert solve(rec.sentence, "walk") == dict(rec.labels)


@pytest.mark.parametrize("method", ["walk", "jump"])
@pytest.mark.parametrize("length", [1, 2, 3, 4, 8])
def test_cycles_are_errors_in_both_methods(method, length):
    from tasks.lego.errors import LegoDataError

    z2 = get_group("Z2")
    ring = [Clause(f"c{i}", z2.identity, f"c{(i + 1) % length}") for i in range(length)]
    s = Sentence(z2, (Clause("r", z2.identity), Clause("x", z2.identity, "r"), *ring))
    with pytest.raises(LegoDataError, match="cycle"):
        solve(s, method)


@pytest.mark.parametrize("group", KNOWN_GROUPS)
def test_chain_fast_path_agrees_with_the_walk_or_declines(group):
    """chain_values vouches for well-formed chains only (same values as the walk); anything else is None."""
    import numpy as np

    from tasks.lego.errors import LegoDataError
    from tasks.lego.solve import chain_values, solve_indices

    g = get_group(group)
    for n in (1, 2, 12):
        for rec in generate(n, 20, seed=n, group=group, structure="chain"):
            values = chain_values(rec.sentence)
            assert values == dict(zip(rec.sentence.variables, solve_indices(rec.sentence)))
    rng = np.random.default_rng(5)
    names = "abcdef"
    for _ in range(3000):
        clauses = tuple(
            Clause(names[int(rng.integers(6))], g.elements[int(rng.integers(len(g)))],
                   None if rng.random() < 0.25 else names[int(rng.integers(6))])
            for _ in range(int(rng.integers(0, 7)))
        )
        s = Sentence(g, clauses)
        got = chain_values(s)
        try:
            want = dict(zip((c.lhs for c in clauses), solve_indices(s)))
        except LegoDataError:
            assert got is None
            continue
        assert got is None or got == want
        if got is None:  # declined a well-formed sentence: it must branch
            assert len({c.rhs for c in clauses}) < len(clauses)
