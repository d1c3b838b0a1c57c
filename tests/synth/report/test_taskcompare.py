"""Models' predictions on a task file of any family: read strictly, scored by input length, seeds pooled, published figures beside."""

from __future__ import annotations

import json
import random
import statistics
from pathlib import Path

import pytest

from dsl.errors import UserError
from synth.report.plot import plot
from synth.report.reference import load
from synth.report.taskcompare import compare_task, read_task_predictions
from synth.report.tidy import EXACT, TOKEN, read_csv
from tasks.families import load_task

ROOT = Path(__file__).resolve().parents[3]
REVERSE = str(ROOT / "examples" / "reverse_string.json")
REVERSE_PROGRAM = str(ROOT / "examples" / "reverse_string.dsl")
RUNNING_MAX = str(ROOT / "examples" / "open" / "running_max.json")


def examples(path: str, split: str = "test") -> list[dict]:
    return json.loads(Path(path).read_text())[split]


def write(tmp_path: Path, name: str, lines: list) -> str:
    p = tmp_path / name
    p.write_text("".join((x if isinstance(x, str) else json.dumps(x)) + "\n" for x in lines))
    return str(p)


def right(tmp_path: Path, name: str = "right.jsonl", path: str = REVERSE, split: str = "test") -> str:
    return write(tmp_path, name, [{"output": ex["output"]} for ex in examples(path, split)])


def identity(tmp_path: Path, name: str = "copy.jsonl") -> str:
    return write(tmp_path, name, [{"output": ex["input"]["xs"]} for ex in examples(REVERSE)])


def test_perfect_predictions_score_100_percent_at_every_length(tmp_path):
    c = compare_task(REVERSE, [("model", right(tmp_path))], program=REVERSE_PROGRAM)
    assert (c.family, c.task, c.split, c.unit) == ("sequence", "reverse_string", "test", TOKEN)
    assert list(c.models) == ["model", "program"]
    for name in c.models:
        for metric in (EXACT, TOKEN):
            header, rows = c.table(metric)
            column = header.index(name)
            assert all(row[column] == 1.0 for row in rows)
        assert c.paper_score(name) == (100.0, None)
    assert [row[0] for row in c.table()[1]] == [*sorted({len(ex["input"]["xs"]) for ex in examples(REVERSE)}), None]


def test_the_identity_on_reverse_string_scores_what_is_counted_by_hand(tmp_path, identity_counts):
    c = compare_task(REVERSE, [("copy", identity(tmp_path))])
    want = identity_counts("test")
    (split,) = c.models["copy"][0].splits
    got = {s.length: (s.examples, s.correct, s.labels, s.labels_correct) for s in split.by_length}
    assert got == want
    _, rows = c.table(EXACT)
    assert rows[:-1] == [[n, e, right / e] for n, (e, right, _, _) in want.items()]
    assert rows[-1] == [None, sum(v[0] for v in want.values()), sum(v[1] for v in want.values()) / sum(v[0] for v in want.values())]
    _, rows = c.table(TOKEN)
    assert rows[:-1] == [[n, t, ok / t] for n, (_, _, t, ok) in want.items()]
    paper = 100 * statistics.fmean(ok / t for _, _, t, ok in want.values())
    assert c.paper_score("copy")[0] == pytest.approx(paper)


def test_two_seeds_of_one_model_pool_into_mean_and_spread(tmp_path):
    good, copy = right(tmp_path), identity(tmp_path)
    c = compare_task(REVERSE, [("m", copy), ("m", good)])
    assert list(c.models) == ["m"] and len(c.models["m"]) == 2
    alone = compare_task(REVERSE, [("copy", copy)])
    exact_copy = alone.cell("copy", None)[0]
    assert c.cell("m", None) == (pytest.approx((exact_copy + 1.0) / 2), pytest.approx(statistics.stdev([exact_copy, 1.0])))
    for n in c.sizes:
        assert c.cell("m", n, TOKEN)[0] == pytest.approx((alone.cell("copy", n, TOKEN)[0] + 1.0) / 2)
    assert c.paper_score("m")[0] == pytest.approx((alone.paper_score("copy")[0] + 100.0) / 2)
    assert "over 2 seeds" in c.format_text()
    assert c.to_dict()["models"]["m"]["files"] == [copy, good]
    c.to_csv(tmp_path / "t.csv")
    assert {(r["seed"], r["source"]) for r in read_csv(tmp_path / "t.csv")} == {(0, f"{copy}#test"), (1, f"{good}#test")}


def test_one_file_twice_under_one_name_is_refused(tmp_path):
    copy = identity(tmp_path)
    with pytest.raises(UserError, match="the same predictions file"):
        compare_task(REVERSE, [("copy", copy), ("copy", str(Path(copy).parent / "." / "copy.jsonl"))])
    assert list(compare_task(REVERSE, [("a", copy), ("b", copy)]).models) == ["a", "b"]


def test_compare_cli_refuses_one_file_twice_unless_named_apart(tmp_path):
    from click.testing import CliRunner

    from synth.cli import main

    copy = identity(tmp_path)
    r = CliRunner().invoke(main, ["compare", REVERSE, "--predictions", copy, "--predictions", copy])
    assert r.exit_code == 2 and "Traceback" not in r.output
    assert [x for x in r.stderr.splitlines() if x.startswith("error:")] == [x for x in r.stderr.splitlines() if "same predictions file" in x], r.stderr
    r = CliRunner().invoke(main, ["compare", REVERSE, "--predictions", copy, "--predictions", copy, "--name", "a", "--name", "b"])
    assert r.exit_code == 0, r.output


def test_index_keyed_lines_in_any_order_score_as_ordered_lines(tmp_path):
    lines = [{"output": ex["input"]["xs"]} for ex in examples(REVERSE)]
    keyed = [dict(line, index=k + 1) for k, line in enumerate(lines)]
    random.Random(0).shuffle(keyed)
    ordered = compare_task(REVERSE, [("m", write(tmp_path, "a.jsonl", lines))])
    shuffled = compare_task(REVERSE, [("m", write(tmp_path, "b.jsonl", keyed))])
    assert ordered.table(EXACT) == shuffled.table(EXACT) and ordered.table(TOKEN) == shuffled.table(TOKEN)
    assert ordered.paper_score("m") == shuffled.paper_score("m")


GOOD = {"output": [0, 1]}


@pytest.mark.parametrize(
    "lines, line, pattern",
    [
        ([GOOD, '{"output": [1, 0'], 2, "broken JSON"),
        ([GOOD, {"output": "01"}], 2, r"output for test example 2: expected a list.*List\[Int\]"),
        ([GOOD, {"output": [0, "1"]}], 2, r"expected an integer"),
        ([GOOD, {"outptu": [1]}], 2, r'each line is \{"output": VALUE\}'),
        ([GOOD, [1, 0]], 2, r'each line is \{"output": VALUE\}'),
        ([GOOD, {"output": [1], "input": [1]}], 2, r'unknown key "input"'),
        ([{"index": 1, **GOOD}, {"index": 1, **GOOD}], 2, r"duplicate prediction for test example 1 \(first on line 1\)"),
        ([{"index": 21, **GOOD}], 1, r'"index" must be an integer from 1 to 20'),
        ([{"index": True, **GOOD}], 1, r'"index" must be an integer'),
        ([{"index": 1, **GOOD}, GOOD], 2, r'keys predictions by "index"'),
        ([GOOD, {"index": 2, **GOOD}], 2, r"lists predictions in the order of the split"),
        ([GOOD] * 3, 4, r"the file ends after 3 predictions, but the test split has 20 examples: no prediction for test examples 4, 5"),
        ([{"index": k, **GOOD} for k in range(1, 20)], 20, r"no prediction for test example 20; --allow-partial"),
        ([GOOD] * 21, 21, r"extra prediction: the test split of reverse_string has 20 examples"),
    ],
)
def test_every_mistake_names_the_file_and_line(tmp_path, lines, line, pattern):
    path = write(tmp_path, "p.jsonl", lines)
    with pytest.raises(UserError, match=pattern) as err:
        read_task_predictions(path, load_task(REVERSE))
    assert str(err.value).startswith(f"{path}:{line}:")


def test_allow_partial_scores_unanswered_examples_as_wrong_and_counts_them(tmp_path):
    full = [{"output": ex["output"]} for ex in examples(REVERSE)]
    c = compare_task(REVERSE, [("m", write(tmp_path, "p.jsonl", full[:15]))], partial=True)
    (fe,) = c.models["m"]
    assert (fe.splits[0].overall.examples, fe.splits[0].overall.correct) == (20, 15)
    assert [f.index for f in fe.failures] == list(range(16, 21))
    assert "5 examples had no prediction, scored as wrong (--allow-partial)" in c.format_text()


def test_a_model_that_wrote_nothing_is_refused_even_with_allow_partial(tmp_path):
    """Before: an empty file with --allow-partial scored 0/20 and exit 0, as if a model had answered."""
    empty = write(tmp_path, "p.jsonl", [])
    with pytest.raises(UserError, match="no predictions in"):
        compare_task(REVERSE, [("m", empty)], partial=True)


@pytest.mark.parametrize("name, what", [
    ("reverse_string.dsl", "a DSL program"),
    ("spec.toml", "a TOML file"),
    ("results.sqlite", "a results database (SQLite): use `synth suite report FILE`"),
    ("reverse_string.input.json", "an input file"),
    ("model.npz", "the LEGO paper's arrays"),
])
def test_a_file_of_another_kind_given_as_predictions_is_named_for_what_it_is(tmp_path, name, what):
    """Compare audit: on a task file of another family than LEGO, a results database given as --predictions was
    "not UTF-8 text: byte 0xf8", a program or a spec "broken JSON" (LEGO data names them, as the README says)."""
    import sqlite3

    path = tmp_path / name
    if name.endswith(".sqlite"):
        sqlite3.connect(path).execute("CREATE TABLE t (x)").connection.close()
    elif name.endswith(".npz"):
        path.write_bytes(b"PK\x05\x06" + bytes(18))  # an empty zip archive
    else:
        path.write_text((ROOT / "examples" / name).read_text() if (ROOT / "examples" / name).exists() else '[defaults]\ntimeout = 1\n')
    with pytest.raises(UserError) as err:
        compare_task(REVERSE, [("m", str(path))])
    assert str(err.value).startswith(f'{path}: not a predictions file (JSONL, one {{"output": ...}} a line): {what}'), str(err.value)


def test_an_empty_split_is_refused_not_scored_100(tmp_path):
    """Before: a task file with "test": [] gave a paper score of 100.0 beside the networks."""
    doc = json.loads(Path(REVERSE).read_text())
    doc["test"] = []
    task = tmp_path / "notest.json"
    task.write_text(json.dumps(doc))
    with pytest.raises(UserError, match=r"the test split of reverse_string has no examples: nothing to compare \(--split train\?\)"):
        compare_task(str(task), [("m", write(tmp_path, "p.jsonl", [GOOD]))])


def test_the_train_split(tmp_path):
    c = compare_task(REVERSE, [("m", right(tmp_path, split="train"))], split="train")
    assert c.split == "train" and sum(c.sizes.values()) == len(examples(REVERSE, "train"))
    assert c.cell("m", None) == (1.0, None)
    with pytest.raises(UserError, match="extra prediction: the train split"):
        compare_task(REVERSE, [("m", right(tmp_path, "t.jsonl"))], split="train")


def test_published_figures_of_the_task_with_source_and_status(tmp_path):
    refs = load()
    c = compare_task(REVERSE, [("m", right(tmp_path))], references=refs)
    figures = {p.model: (p.value, p.status) for p in c.published}
    assert figures == {p.model: (p.value, p.status) for p in refs.for_task("Reverse String") if p.source == "deletang2023"}
    assert figures["Stack-RNN"][0] == 100.0 and figures["LSTM"][0] == 60.9
    text = c.format_text()
    assert "deletang2023: LSTM" in text and "60.9" in text and "third-party-copy" in text and "Deletang et al. 2023" in text
    published = [r for r in c.tidy_rows() if r.status != "scored-here"]
    assert {(r.model, r.metric, r.value) for r in published} == {
        (f"deletang2023: {m}", "per_token_accuracy_percent", v) for m, (v, _) in figures.items()
    }
    ours = [r for r in c.tidy_rows() if r.metric == "per_token_accuracy_percent" and r.status == "scored-here"]
    assert [(r.model, r.value) for r in ours] == [("m", 100.0)]


def test_an_open_task_has_exact_match_only_and_no_published_figures(tmp_path):
    c = compare_task(RUNNING_MAX, [("m", right(tmp_path, path=RUNNING_MAX))], references=load())
    assert (c.family, c.unit, c.published) == ("open", None, ())
    assert c.metrics() == [EXACT] and c.cell("m", None) == (1.0, None)
    assert "published results: none for the open task running_max" in c.format_text()


def test_the_program_must_fit_and_must_not_share_a_model_name(tmp_path):
    with pytest.raises(UserError, match="does not fit"):
        compare_task(REVERSE, [], program=str(ROOT / "examples" / "parity_check.dsl"))
    with pytest.raises(UserError, match=r"both called 'program': give the two different names \(--program-name for the program's, --name for"):  # before: 'use --program-name', given or not
        compare_task(REVERSE, [("program", right(tmp_path))], program=REVERSE_PROGRAM)


def test_a_figure_by_input_length_one_panel_per_metric(tmp_path):
    pytest.importorskip("matplotlib")
    c = compare_task(REVERSE, [("m", identity(tmp_path)), ("m", right(tmp_path))], program=REVERSE_PROGRAM)
    assert [(metric, [name for name, _ in series]) for metric, series in c.curves().items()] == [(EXACT, ["m", "program"]), (TOKEN, ["m", "program"])]
    plot(c, tmp_path / "f.svg", train_lengths=[1, 2])
    assert "input length" in (tmp_path / "f.svg").read_text()


def group_task(tmp_path: Path) -> str:
    """An open task over Z5: the inverse of each element (outputs are Elem, and say which group)."""
    def ex(xs: list[int]) -> dict:
        return {"input": {"xs": [f"Z5:{x}" for x in xs]}, "output": [f"Z5:{(5 - x) % 5}" for x in xs]}
    path = tmp_path / "inverse.json"
    path.write_text(json.dumps({"name": "inverse", "train": [ex([1, 2]), ex([3])], "test": [ex([4, 0, 1]), ex([2])]}))
    return str(path)


@pytest.mark.parametrize("line, group", [({"output": ["Z5:1", "Z3:1", "Z5:0"]}, "Z3"), ({"output": ["S3:e"]}, "S3"), ({"output": ["Z2:1"]}, "Z2")])
def test_an_element_of_another_group_is_a_mistyped_prediction(tmp_path, line, group):
    """Before: "Z3:1" was read as an Elem like any other and scored wrong; now it is refused with its line, as a mistyped value is."""
    task = group_task(tmp_path)
    preds = write(tmp_path, "p.jsonl", [{"output": ["Z5:1", "Z5:0", "Z5:4"]}, line])
    with pytest.raises(UserError, match=f"an element of {group}, but the task's outputs are elements of Z5") as info:
        read_task_predictions(preds, load_task(task), "test")
    assert str(info.value).startswith(f"{preds}:2:")
    from click.testing import CliRunner

    from synth.cli import main

    r = CliRunner().invoke(main, ["compare", task, "--predictions", preds])
    assert r.exit_code == 2 and f"{preds}:2:" in r.stderr and "Traceback" not in r.output, r.output


def test_elements_of_the_tasks_group_are_read_and_scored(tmp_path):
    task = group_task(tmp_path)
    preds = write(tmp_path, "p.jsonl", [{"output": ["Z5:1", "Z5:0", "Z5:4"]}, {"output": ["Z5:2"]}])
    c = compare_task(task, [("m", preds)])
    assert c.cell("m", None) == (0.5, None)


def test_an_element_expected_names_the_tasks_own_group(tmp_path):
    """Before: a Z5 task's prediction `1` was told `expected a group element such as "Z2:1"`."""
    task = tmp_path / "z5sum.json"
    examples = [{"input": {"xs": [f"Z5:{a}", f"Z5:{b}"]}, "output": f"Z5:{(a + b) % 5}"} for a, b in [(1, 2), (3, 4), (2, 2)]]
    task.write_text(json.dumps({"name": "z5sum", "train": examples, "test": examples}))
    preds = write(tmp_path, "p.jsonl", [{"output": 1}])
    with pytest.raises(UserError) as err:
        read_task_predictions(str(preds), load_task(str(task)), "test")
    assert 'expected a group element of Z5 such as "Z5:1"' in err.value.message and "Z2" not in err.value.message
