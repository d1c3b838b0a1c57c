"""The LEGO paper's array layout: labels in chain order, the clause order, per-clause predictions."""

from __future__ import annotations

import re

import numpy as np
import pytest

import synth
from dsl.errors import UserError
from synth.report.paper import order_indices, paper_data, to_chain_order
from tasks.lego.solve import depths, solve
from tasks.lego.syntax import format_official

RNG = np.random.default_rng(7)


def batch(n: int, b: int, rng=RNG):
    labels = rng.integers(0, 2, (b, n))
    perm = np.stack([rng.permutation(n) for _ in range(b)])
    onehot = np.zeros((b, n, n), dtype=np.float32)
    for k in range(b):
        onehot[k, np.arange(n), perm[k]] = 1
    return labels, onehot, perm


def test_rebuilt_sentences_agree_with_the_arrays():
    labels, onehot, perm = batch(9, 20)
    data = paper_data(labels, onehot)
    assert (data.clause_order == perm).all()
    for b, rec in enumerate(data):
        d = depths(rec.sentence)
        values = solve(rec.sentence)
        for j, clause in enumerate(rec.sentence.clauses):
            assert d[clause.lhs] == perm[b, j] + 1  # the j-th written clause sits where the order says
            assert values[clause.lhs].index == labels[b, perm[b, j]]
        assert {rec.labels[v].index for v in rec.labels} <= {0, 1} and len(rec.labels) == 9


def test_sentences_given_are_checked_row_by_row():
    labels, onehot, _ = batch(6, 5)
    data = paper_data(labels, onehot)
    texts = [format_official(data.sentence(b)) for b in range(5)]
    assert len(paper_data(labels, onehot, texts)) == 5
    with pytest.raises(UserError, match=r"arrays: row 1: "):
        paper_data(labels, onehot, texts[1:] + texts[:1])  # sentences shifted by one row


def test_clause_and_chain_order_predictions_score_the_same():
    labels, onehot, perm = batch(12, 40)
    data = paper_data(labels, onehot)
    chain = labels.copy()
    chain[:, 8:] = 1 - chain[:, 8:]  # wrong from position 9 on
    per_clause = np.take_along_axis(chain, perm, axis=1)
    a = synth.score_predictions(data, per_clause)  # as the model's pred[:, 1:-3:5] gives them
    b = synth.score_predictions(data, chain, order="chain")  # as ordered_pred gives them
    assert a.to_dict() == b.to_dict()
    assert [a.cell(12, d).accuracy for d in range(1, 13)] == [1.0] * 8 + [0.0] * 4
    assert (to_chain_order(data, per_clause) == chain).all()
    # the record route (one dict per record) agrees with the vectorized one
    dicts = [{v: int(x) for v, x in zip(data.chain_variables(k), chain[k])} for k in range(len(data))]
    assert synth.score_predictions(list(data), dicts).to_dict() == a.to_dict()


def test_logits_and_torch_like_shapes():
    labels, onehot, perm = batch(5, 4)
    data = paper_data(labels, onehot)
    logits = np.where(np.take_along_axis(labels, perm, axis=1) == 1, 2.5, -1.0)[:, :, None]  # (B, n, 1)
    assert synth.score_predictions(data, logits, logits=True).overall.accuracy == 1.0
    with pytest.raises(UserError, match="logits"):
        synth.score_predictions(data, logits)


@pytest.mark.parametrize(
    "make, pattern",
    [
        (lambda labels, o: (labels[:, :-1], o), "shape"),
        (lambda labels, o: (labels * 2, o), "not 0 or 1"),
        (lambda labels, o: (labels, o[:, :, ::-1][:, ::-1] * 0), "permutation"),
    ],
)
def test_bad_arrays_are_user_errors(make, pattern):
    labels, onehot, _ = batch(4, 3)
    with pytest.raises(UserError, match=pattern):
        paper_data(*make(labels, onehot))


def test_prediction_shape_must_match():
    labels, onehot, _ = batch(4, 3)
    with pytest.raises(UserError, match="shape"):
        synth.score_predictions(paper_data(labels, onehot), np.zeros((3, 5), dtype=int))


def test_order_indices_accepts_argmax_form():
    _, onehot, perm = batch(6, 3)
    assert (order_indices(perm) == order_indices(onehot)).all()


def test_fit_on_six_of_twelve_and_predict_arrays():
    labels, onehot, _ = batch(12, 12, np.random.default_rng(0))
    baseline = synth.fit(paper_data(labels, onehot, supervised=6), timeout=60)
    test_labels, test_onehot, test_perm = batch(20, 10)
    data = paper_data(test_labels, test_onehot)
    assert (baseline.predict_arrays(data) == np.take_along_axis(test_labels, test_perm, axis=1)).all()
    assert (baseline.predict_arrays(data, order="chain") == test_labels).all()
    assert baseline.score(data).overall.accuracy == 1.0


def test_npz_on_the_command_line(tmp_path):
    from click.testing import CliRunner

    from synth.cli import main

    labels, onehot, perm = batch(8, 6)
    np.savez(tmp_path / "test.npz", labels=labels, order=onehot)
    chain = labels.copy()
    chain[:, 0] = 1 - chain[:, 0]
    np.savez(tmp_path / "pred.npz", pred=np.take_along_axis(chain, perm, axis=1))
    np.savez(tmp_path / "bad.npz", something=labels)
    runner = CliRunner()
    r = runner.invoke(main, ["compare", str(tmp_path / "test.npz"), "--predictions", str(tmp_path / "pred.npz"), "--by", "position", "--json"])
    assert r.exit_code == 0, r.output
    import json

    d = json.loads(r.stdout)["models"]["pred"]["seeds"][0]
    assert d["by_position"]["1"]["accuracy"] == 0.0 and d["by_position"]["2"]["accuracy"] == 1.0
    r = runner.invoke(main, ["compare", str(tmp_path / "test.npz"), "--predictions", str(tmp_path / "bad.npz")])
    assert r.exit_code == 2 and "pred or ordered_pred" in r.output


@pytest.mark.parametrize(
    "supervised, message",
    [
        (1.5, "supervised must be a whole number of chain positions (or None for all), not float 1.5"),
        ("2", "supervised must be a whole number of chain positions (or None for all), not str '2'"),
        (True, "supervised must be a whole number of chain positions (or None for all), not bool True"),
        (-1, "supervised must be >= 0, not -1"),
    ],
)
def test_paper_data_refuses_a_supervised_count_that_is_not_a_whole_number_at_least_0(supervised, message):
    labels, onehot, _ = batch(4, 3)
    with pytest.raises(UserError, match="^" + re.escape(message) + "$"):
        paper_data(labels, onehot, supervised=supervised)
    data = paper_data(labels, onehot, supervised=np.int64(2))  # numpy's integers are whole numbers
    assert data.supervised == 2 and type(data.supervised) is int
    assert [len(r.labels) for r in paper_data(labels, onehot, supervised=0)] == [0, 0, 0]


def test_paper_data_supervise_attribute_and_constructor_keyword_still_work_with_a_warning():
    labels, onehot, _ = batch(4, 3)
    data = paper_data(labels, onehot, supervised=3)
    with pytest.warns(DeprecationWarning, match=re.escape("PaperData.supervise is now spelled PaperData.supervised")):
        assert data.supervise == 3
    with pytest.warns(DeprecationWarning, match=re.escape("PaperData(): supervise= is now spelled supervised=")):
        old = synth.PaperData(data.labels, data.clause_order, supervise=3)
    assert old.supervised == 3 and list(old) == list(data)
    with pytest.raises(TypeError, match="supervise"):
        synth.PaperData(data.labels, data.clause_order, supervise=3, supervised=3)


@pytest.mark.parametrize("values, shown", [([0, 2], "value 2 at row 2"), ([3.0, 1.0], "value 3.0 at row 1")])
def test_a_bad_0_1_value_is_shown_as_a_plain_number(values, shown):
    """Before: `labels: value np.int64(2) at row 1 ...` (numpy's repr under numpy 2)."""
    from synth.report.paper import _int01

    with pytest.raises(UserError) as err:
        _int01(np.array([[v] for v in values]), "labels")
    assert shown in str(err.value) and "np." not in str(err.value)
