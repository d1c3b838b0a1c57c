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


def test_two_names_of_one_array_that_disagree_are_refused_and_agreeing_ones_read(tmp_path):
    """order/clause_order and pred/ordered_pred in one file: before, the first name won in silence (G8)."""
    from click.testing import CliRunner

    from synth.cli import main

    labels, onehot, perm = batch(8, 6)
    chain = labels.copy()
    chain[:, 0] = 1 - chain[:, 0]
    pred = np.take_along_axis(chain, perm, axis=1)  # written order; `chain` is the same in chain order
    other = onehot.copy()
    other[2] = onehot[2][::-1]  # row 3: another clause order
    np.savez(tmp_path / "both.npz", labels=labels, order=onehot, clause_order=other)
    np.savez(tmp_path / "same.npz", labels=labels, order=onehot, clause_order=perm)  # one order, two encodings
    np.savez(tmp_path / "p.npz", pred=pred)
    np.savez(tmp_path / "p_agree.npz", pred=pred, ordered_pred=chain)
    np.savez(tmp_path / "p_differ.npz", pred=pred, ordered_pred=1 - chain)
    runner = CliRunner()

    def compare(data: str, preds: str):
        return runner.invoke(main, ["compare", str(tmp_path / data), "--predictions", str(tmp_path / preds)])

    r = compare("both.npz", "p.npz")
    assert r.exit_code == 2 and f"{tmp_path / 'both.npz'}: both order and clause_order, and they differ at row 3: give one" in r.output
    r = compare("same.npz", "p_differ.npz")
    assert r.exit_code == 2 and f"{tmp_path / 'p_differ.npz'}: both pred and ordered_pred, and they differ at row 1 (data record 1): give one" in r.output
    expected = compare("same.npz", "p.npz")
    assert expected.exit_code == 0 and "label accuracy 0.8750 (42/48)" in expected.output
    agree = compare("same.npz", "p_agree.npz")
    assert agree.exit_code == 0, agree.output
    assert agree.output.splitlines()[-1].split(":", 1)[1] == expected.output.splitlines()[-1].split(":", 1)[1]


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


def test_zero_variables_is_a_user_error_naming_the_shape():
    """Before: numpy's `ValueError: attempt to get argmax of an empty sequence` from order_indices."""
    with pytest.raises(UserError, match=re.escape("labels: each sentence needs at least one variable (a column), not shape (1, 0)")):
        paper_data(np.zeros((1, 0), int), np.zeros((1, 0, 0)))
    with pytest.raises(UserError, match=re.escape("clause order: each sentence needs at least one clause, not shape (1, 0, 0)")):
        order_indices(np.zeros((1, 0, 0)))
    with pytest.raises(UserError, match=re.escape("clause order: each sentence needs at least one clause, not shape (2, 0)")):
        order_indices(np.zeros((2, 0), int))


def test_the_constructor_takes_the_papers_one_hot_order_as_paper_data_does():
    """Before: `synth.PaperData(labels, order)` with the paper's (B, n, n) order was an IndexError when scored."""
    labels, order = np.array([[1, 0, 0]]), np.eye(3)[None, [2, 0, 1]]
    data = synth.PaperData(labels, order)
    assert data.clause_order.tolist() == [[2, 0, 1]] and data.labels.dtype == np.uint8
    assert synth.load("examples/lego.dsl").score(data).overall == synth.load("examples/lego.dsl").score(paper_data(labels, order)).overall
    assert synth.load("examples/lego.dsl").score(data).overall.accuracy == 1.0


@pytest.mark.parametrize(
    "labels, order, message",
    [
        ([[1, 0, 0]], [[0, 0, 1]], "clause order: row 1 is not a permutation of 0..2"),  # before: scored (0/3 for the right program)
        ([[2, 0, 0]], [[0, 1, 2]], "labels: value 2 at row 1, column 1 is not 0 or 1"),  # before: IndexError: tuple index out of range
        ([[1, 0]], [[0, 1, 2]], "labels have shape (1, 2) but the clause order (1, 3)"),
        ([1, 0, 0], [[0, 1, 2]], "labels: expected shape (sentences, variables), not (3,)"),
    ],
)
def test_the_constructor_refuses_what_paper_data_refuses(labels, order, message):
    with pytest.raises(UserError, match=re.escape(message)):
        synth.PaperData(np.array(labels), np.array(order))


def test_the_constructor_checks_sentences_against_the_arrays():
    labels, onehot, perm = batch(5, 3)
    texts = [format_official(paper_data(labels, onehot).sentence(b)) for b in range(3)]
    with pytest.raises(UserError, match=r"arrays: row 1: "):
        synth.PaperData(labels, perm, tuple(texts[1:] + texts[:1]))  # before: taken, and scored against the wrong rows
    data = synth.PaperData(labels, perm, texts)
    assert data.sentences == tuple(texts) and data.labels is not labels  # a checked copy, not the caller's array


def test_one_string_for_sentences_is_refused_not_read_letter_by_letter():
    """Before: `35 sentences for 1 rows of labels` (the 35 characters of one sentence)."""
    labels, order = np.array([[1, 0, 0]]), np.eye(3)[None, [2, 0, 1]]
    text = "c = val b , a = val 1 , b = not a ,"
    with pytest.raises(UserError, match=re.escape("sentences must be a list of strings, one per row of labels, not one str: sentences=[sentence]")):
        paper_data(labels, order, sentences=text)
    assert paper_data(labels, order, sentences=[text]).sentences == (text,)
    assert paper_data(labels, order, sentences=np.array([text.encode()])).sentences == (text,)  # an .npz of bytes
    with pytest.raises(UserError, match=re.escape("sentences: item 1 is int 5, not a string")):
        paper_data(labels, order, sentences=[5])
    with pytest.raises(UserError, match=re.escape("2 sentences for 1 row of labels: one sentence per row")):
        paper_data(labels, order, sentences=[text, text])


def test_probabilities_are_not_sent_to_logits():
    """Before: probabilities in (0, 1) got "logits? pass logits=True", which thresholds them at 0 (1/3 instead of 3/3 here)."""
    data = paper_data(np.array([[1, 0, 0]]), np.eye(3)[None, [2, 0, 1]])
    probs = np.array([[0.1, 0.9, 0.2]])  # right on every clause (written order: 0, 1, 0)
    with pytest.raises(UserError) as err:
        synth.score_predictions(data, probs)
    assert "look like probabilities" in str(err.value) and "logits?" not in str(err.value)
    assert synth.score_predictions(data, probs > 0.5).overall.accuracy == 1.0  # what the message says to do
    with pytest.raises(UserError, match=re.escape("(logits? pass logits=True")):
        synth.score_predictions(data, np.array([[-2.0, 3.0, 0.5]]))  # outside [0, 1]: logits
    with pytest.raises(UserError, match="logit nan at row 1"):
        synth.score_predictions(data, np.array([[np.nan, 3.0, -1.0]]), logits=True)  # before: NaN read as 0
    with pytest.raises(UserError) as err:
        paper_data(np.array([[1, 0, 0]]) * 0.5, np.eye(3)[None, [2, 0, 1]])
    assert "logits" not in str(err.value)  # labels take no logits=True


DATA = (np.array([[1, 0, 0]]), np.eye(3)[None, [2, 0, 1]])  # one sentence; the right answer per written clause: 0, 1, 0
PROBABILITY_HINT = "look like probabilities, all in [0, 1]: threshold them yourself, e.g. pred = probs > 0.5"


def test_query_only_on_the_papers_arrays_scores_no_query_as_every_other_path():
    """Before (audit 6, E2): score_predictions(arrays, query_only=True) ignored query_only: label accuracy 1.0 (3/3)."""
    data = paper_data(*DATA)
    mine = synth.score_predictions(data, np.array([[0, 1, 0]]), query_only=True)
    theirs = synth.load("examples/lego.dsl").score(data, query_only=True)
    assert (mine.metric, mine.overall.total, mine.no_query, mine.records) == ("query_accuracy", 0, 1, 1)
    assert mine == theirs
    assert synth.score_predictions(data, [{"v1": 1, "v2": 0, "v3": 0}], query_only=True) == theirs  # the dict path agreed already
    assert synth.score_predictions(data, np.array([[0, 1, 0]])).overall.accuracy == 1.0  # without query_only: labels
    with pytest.raises(UserError, match="look like probabilities"):  # still checked, though nothing is scored
        synth.score_predictions(data, np.array([[0.1, 0.9, 0.2]]), query_only=True)


@pytest.mark.parametrize("probs", [[[0.1, 0.9, 0.2]], [[0.0, 0.9, 1.0]], [[0.5, 0.5, 0.5]]])
def test_probabilities_given_as_logits_are_refused_with_the_probability_hint(probs):
    """Before (audit 6, E8): logits=True thresholded probabilities at 0 without a word: 1/3 for an answer right on 3/3."""
    data = paper_data(*DATA)
    with pytest.raises(UserError) as err:
        synth.score_predictions(data, np.array(probs), logits=True)
    text = str(err.value)
    assert text.startswith("predictions: logit ") and "at row 1, column " in text
    assert "look like probabilities" in text and "pred = probs > 0.5" in text and "pred = logits > 0" in text
    with pytest.raises(UserError, match="look like probabilities"):
        synth.score_predictions(data, np.array(probs, dtype=np.float32), order="chain", logits=True)


def test_logits_that_are_not_all_in_0_1_are_still_thresholded_at_0():
    data = paper_data(*DATA)
    assert synth.score_predictions(data, np.array([[-0.3, 0.9, -2.0]]), logits=True).overall.accuracy == 1.0
    assert synth.score_predictions(data, np.array([[0.0, 1.0, 0.0]]), logits=True).overall.accuracy == 1.0  # 0/1 floats: same read
    assert synth.score_predictions(data, np.array([[0, 1, 0]]), logits=True).overall.accuracy == 1.0  # integers


def test_probabilities_given_as_logits_in_an_npz_are_refused_by_compare(tmp_path):
    from click.testing import CliRunner

    from synth.cli import main

    np.savez(tmp_path / "d.npz", labels=DATA[0], order=DATA[1])
    np.savez(tmp_path / "p.npz", pred=np.array([[0.1, 0.9, 0.2]]))
    args = ["compare", str(tmp_path / "d.npz"), "--predictions", str(tmp_path / "p.npz"), "--name", "m", "--logits"]
    r = CliRunner().invoke(main, args)
    assert r.exit_code == 2 and "label accuracy" not in r.output, r.output  # before: exit 0, "label accuracy 0.3333 (1/3)"
    assert "p.npz: pred: logit 0.1 at row 1, column 1: every value lies in [0, 1]" in r.output and "Traceback" not in r.output


@pytest.mark.parametrize(
    "values, logits, message",
    [
        ([0.2, 0.7, np.nan], False, "predictions: value nan at row 1, column 3: a NaN is no prediction; the other values " + PROBABILITY_HINT),
        ([0.2, 0.7, np.nan], True, "predictions: logit nan at row 1, column 3: a NaN is neither side of 0; the other values " + PROBABILITY_HINT),
        ([0.0, np.nan, 1.0], False, "predictions: value nan at row 1, column 2: a NaN is no prediction"),
        ([-2.0, np.nan, 3.0], False, "predictions: value nan at row 1, column 2: a NaN is no prediction; the other values look like logits: pass logits=True"),
        ([-2.0, np.nan, 3.0], True, "predictions: logit nan at row 1, column 2: a NaN is neither side of 0"),
    ],
)
def test_a_nan_is_named_itself_and_the_others_get_their_hint(values, logits, message):
    """Before (audit 6, E9): "value 0.2 at row 1 is not 0 or 1 (a NaN is no prediction)": another value named, no probability hint."""
    with pytest.raises(UserError) as err:
        synth.score_predictions(paper_data(*DATA), np.array([values]), logits=logits)
    assert str(err.value).startswith(message), str(err.value)
    assert str(err.value).count("nan") == 1


def test_a_nan_in_labels_is_named_itself():
    with pytest.raises(UserError, match="^" + re.escape("labels: value nan at row 2, column 2 is not 0 or 1") + "$"):
        paper_data(np.array([[1, 0.5, 0], [1, np.nan, 0]]), np.array([[0, 1, 2], [0, 1, 2]]))


def test_probabilities_in_an_npz_get_the_probability_hint(tmp_path):
    from click.testing import CliRunner

    from synth.cli import main

    np.savez(tmp_path / "d.npz", labels=np.array([[1, 0, 0]]), order=np.eye(3)[None, [2, 0, 1]])
    np.savez(tmp_path / "p.npz", pred=np.array([[0.1, 0.9, 0.2]]))
    r = CliRunner().invoke(main, ["compare", str(tmp_path / "d.npz"), "--predictions", str(tmp_path / "p.npz"), "--name", "m"])
    assert r.exit_code == 2 and "look like probabilities" in r.output and "logits?" not in r.output


@pytest.mark.parametrize("order", ["Chain", "ordered", None, 0])
def test_predict_arrays_refuses_an_unknown_order(order):
    """Before: any order but "chain" silently gave clause order (same shape and dtype as chain order)."""
    from synth.report.paper import from_chain_order

    data = paper_data(np.array([[1, 0, 0]]), np.eye(3)[None, [2, 0, 1]])
    message = f"order {order!r}: choose clause (as written, the model's pred) or chain (ordered_pred)"
    with pytest.raises(UserError, match="^" + re.escape(message) + "$"):
        synth.load("examples/lego.dsl").predict_arrays(data, order=order)
    with pytest.raises(UserError, match="^" + re.escape(message) + "$"):
        from_chain_order(data, data.labels, order)
    with pytest.raises(UserError, match="^" + re.escape(message) + "$"):
        synth.score_predictions(data, np.array([[1, 0, 0]]), order=order)


def test_sentences_over_another_group_than_z2_are_refused():
    """Library audit: an S3 sentence whose element indices matched the 0/1 labels was taken, then scored 0 of 3."""
    with pytest.raises(UserError, match=r"row 1: a sentence over S3; the paper's arrays are about Z2 sentences"):
        paper_data(np.array([[0, 1, 1]]), np.array([[2, 0, 1]]), sentences=["z = e y; x = S3:e; y = (01) x"])


@pytest.mark.parametrize("content", [b'{"a": 1}\n', b"labels,order\n1,2\n", b"\x00\x01binary"])
def test_a_file_that_is_no_npz_is_named_so_not_as_a_pickle(tmp_path, content):
    """Library audit: numpy's guess ("contains pickled (object) data") was passed on for a text file named .npz."""
    path = tmp_path / "fake.npz"
    path.write_bytes(content)
    with pytest.raises(UserError, match=re.escape("not a numpy .npz file (the zip of arrays numpy.savez writes)")):
        synth.read_paper_npz(path)


def test_rows_of_different_lengths_are_refused_by_name():
    """Library audit: numpy's ValueError ("inhomogeneous shape") came through."""
    with pytest.raises(UserError, match=r"^labels: not a rectangular array \(rows of different lengths\?\)"):
        paper_data([[1, 0], [1]], [[0, 1], [1, 0]])
    with pytest.raises(UserError, match=r"^clause_order: not a rectangular array"):
        paper_data([[1, 0], [1, 1]], [[0, 1], [1]])


def test_paper_data_compare_by_their_arrays():
    """Library audit: == raised numpy's "truth value of an array is ambiguous"."""
    a = paper_data(*DATA)
    assert a == paper_data(*DATA) and a != paper_data(np.array([[1, 1, 0]]), DATA[1]) and a != "arrays"
    with pytest.raises(TypeError, match="unhashable"):
        hash(a)


def _refuse_to_scan(*args, **kwargs):
    raise AssertionError("a value was scanned before the shapes were compared")


@pytest.mark.parametrize(
    "labels, order, message",
    [
        ([[2, 0]], [[0, 1, 2]], "labels have shape (1, 2) but the clause order (1, 3)"),
        ([[2, 0]], np.eye(3)[None, [2, 0, 1]], "labels have shape (1, 2) but the clause order (1, 3)"),
        ([[2, 0]], [[[0, 1]]], "clause order: a one-hot order has shape (B, n, n), not (1, 1, 2)"),
        ([[[2], [0]]], [[0, 1, 2]], "labels have shape (1, 2) but the clause order (1, 3)"),
    ],
)
def test_shapes_are_compared_before_any_value_is_scanned(monkeypatch, labels, order, message):
    """CLI audit: a 389 KB .npz with labels (1, 400,000,000) was scanned (np.isin, an int64 copy: a MemoryError) before its shape was compared."""
    import synth.report.paper as paper

    monkeypatch.setattr(paper, "_int01", _refuse_to_scan)
    with pytest.raises(UserError, match=re.escape(message)):
        paper_data(np.array(labels), np.array(order))


def test_an_npz_of_mismatched_shapes_is_refused_before_its_values_are_scanned(tmp_path, monkeypatch):
    """CLI audit (npz/bomb.npz): `synth validate` and `synth eval` died with numpy's MemoryError traceback."""
    from click.testing import CliRunner

    import synth.report.paper as paper
    from synth.cli import main

    np.savez_compressed(tmp_path / "wide.npz", labels=np.zeros((1, 1000), np.int8), order=np.array([[0, 1]]))
    monkeypatch.setattr(paper, "_int01", _refuse_to_scan)
    file = str(tmp_path / "wide.npz")
    for args in (["validate", file], ["eval", "examples/lego.dsl", file]):
        r = CliRunner().invoke(main, args)
        assert r.exit_code == 2 and "Traceback" not in r.output, r.output
        assert f"{file}: labels have shape (1, 1000) but the clause order (1, 2)" in r.output


def _out_of_memory(*args, **kwargs):
    raise MemoryError()


def test_an_npz_array_too_large_for_memory_is_one_message_naming_the_file(tmp_path, monkeypatch):
    """CLI audit (npz/bomb.npz, npz/pred_bomb.npz): a MemoryError while checking an .npz array was a traceback, exit 1."""
    from click.testing import CliRunner

    import synth.report.paper as paper
    from synth.cli import main

    labels, onehot, perm = batch(3, 2)
    np.savez(tmp_path / "data.npz", labels=labels, order=onehot)
    np.savez(tmp_path / "pred.npz", pred=np.take_along_axis(labels, perm, axis=1))
    data, pred = str(tmp_path / "data.npz"), str(tmp_path / "pred.npz")
    monkeypatch.setattr(paper, "_int01", _out_of_memory)
    for args, message in [
        (["validate", data], f"{data}: the array 'labels' (2 x 3) does not fit in memory"),
        (["eval", "examples/lego.dsl", data], f"{data}: the array 'labels' (2 x 3) does not fit in memory"),
        (["compare", data, "--predictions", pred], f"{data}: the array 'labels' (2 x 3) does not fit in memory"),
    ]:
        r = CliRunner().invoke(main, args)
        assert r.exit_code == 2 and message in r.output and "Traceback" not in r.output, (args, r.output)
    monkeypatch.setattr(paper, "_int01", lambda array, what, *a, **k: _out_of_memory() if k.get("predictions") else array.astype(np.uint8))
    r = CliRunner().invoke(main, ["compare", data, "--predictions", pred])
    assert r.exit_code == 2 and f"{pred}: the array 'pred' (2 x 3) does not fit in memory" in r.output, r.output


def test_an_npz_array_too_large_to_load_is_one_message_naming_the_file(tmp_path, monkeypatch):
    """CLI audit: a MemoryError while numpy decompresses an .npz member (its header may declare any size) names the file and array."""
    labels, onehot, _ = batch(3, 2)
    np.savez_compressed(tmp_path / "data.npz", labels=labels, order=onehot)
    monkeypatch.setattr(np.lib.format, "read_array", _out_of_memory)
    with pytest.raises(UserError) as err:
        synth.read_paper_npz(tmp_path / "data.npz")
    assert str(err.value) == f"{tmp_path / 'data.npz'}: the array 'labels' (2 x 3) does not fit in memory"


def test_validate_names_the_npz_whose_rows_do_not_fit_in_memory_as_sentences(tmp_path, monkeypatch):
    """CLI audit: arrays of matching shapes can fit while their rows as sentences (an object per clause) do not."""
    from click.testing import CliRunner

    import synth.report.paper as paper
    from synth.cli import main

    labels, onehot, _ = batch(3, 2)
    np.savez(tmp_path / "data.npz", labels=labels, order=onehot)
    monkeypatch.setattr(paper.PaperData, "record", _out_of_memory)
    r = CliRunner().invoke(main, ["validate", str(tmp_path / "data.npz")])
    assert r.exit_code == 2 and f"{tmp_path / 'data.npz'}: its rows as sentences (2 x 3) do not fit in memory" in r.output, r.output


def test_predictions_of_the_wrong_shape_are_refused_before_their_values_are_scanned():
    """CLI audit: as for labels, a prediction array of the wrong shape can be far too large to scan for 0/1 values."""
    data = paper_data(*DATA)
    with pytest.raises(UserError, match=re.escape("predictions have shape (1, 4), the data (1, 3)")):
        to_chain_order(data, np.array([[2, 0, 0, 0]]))


def test_two_clause_orders_of_different_shapes_are_refused_before_their_values_are_scanned(tmp_path):
    """CLI audit: their shapes are compared before either is read as a permutation."""
    path = tmp_path / "both.npz"
    np.savez(path, labels=np.array([[1, 0, 0]]), order=np.array([[0, 1, 2]]), clause_order=np.array([[7, 7]]))
    with pytest.raises(UserError, match=re.escape(f"{path}: both order (1, 3) and clause_order (1, 2), of different shapes: give one")):
        synth.read_paper_npz(path)


@pytest.mark.parametrize("make, kind", [(lambda rows: (r for r in rows), "generator"), (lambda rows: None, "NoneType"), (lambda rows: iter(rows), "list_iterator")])
def test_predictions_that_are_no_array_are_named_by_their_type(make, kind):
    """Audit C: a generator of rows (or None) was "predictions: expected shape (sentences, variables), not ()"."""
    labels, onehot, _ = batch(2, 3)
    message = f"predictions: expected an array, not {kind} (a numpy array, a tensor or a list of rows)"
    with pytest.raises(UserError, match="^" + re.escape(message) + "$"):
        synth.score_predictions(paper_data(labels, onehot), make(labels.tolist()))
