"""`synth eval` and `synth compare` on task files of any family, LEGO eval and compare as before, and `synth compare`'s default model names."""

from __future__ import annotations

import csv
import inspect
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from synth.cli import main
from synth.report.compare import compare
from synth.report.evaluate import SplitScorers, evaluate_readers, load_program, open_data
from synth.report.reference import load as load_references

ROOT = Path(__file__).resolve().parents[3]
REVERSE = ROOT / "examples" / "reverse_string.json"
REVERSE_PROGRAM = ROOT / "examples" / "reverse_string.dsl"
LEGO_PROGRAM = ROOT / "examples" / "lego.dsl"
LEGO_TASK = ROOT / "examples" / "lego_z2_paper.json"


# stderr apart from stdout: click >= 8.2 does it by itself, older click with mix_stderr=False
RUNNER = CliRunner(**({"mix_stderr": False} if "mix_stderr" in inspect.signature(CliRunner).parameters else {}))


def run(*args: object):
    return RUNNER.invoke(main, [str(a) for a in args])


def program(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "p.dsl"
    path.write_text(f"input xs: List[Int]\n{body}\n")
    return path


def test_the_reference_program_scores_100_percent_on_a_sequence_task():
    r = run("eval", REVERSE_PROGRAM, REVERSE)
    assert r.exit_code == 0, r.stderr
    assert f"data: {REVERSE} (sequence task reverse_string; 5 train, 20 test examples)" in r.stdout
    rows = [line.split() for line in r.stdout.splitlines() if line.split()[:1] in (["train"], ["test"])]
    # one row per length (train: 4, 6, 6, 7, 8; test: 10..29), then the set's own
    assert len(rows) == 4 + 1 + 20 + 1 and all(row[3] == "100.0%" and row[5] == "100.0%" for row in rows)


def test_the_identity_scores_by_length_as_counted_here(tmp_path):
    r = run("eval", program(tmp_path, "xs"), REVERSE, "--json")
    assert r.exit_code == 0, r.stderr
    got = json.loads(r.stdout)["files"][0]["splits"]
    for split in ("train", "test"):
        want: dict[int, list[int]] = {}
        for ex in json.loads(REVERSE.read_text())[split]:
            xs = ex["input"]["xs"]
            cell = want.setdefault(len(xs), [0, 0])
            cell[0] += 1
            cell[1] += xs == xs[::-1]
        assert {s["length"]: s["accuracy"] for s in got[split]["by_length"]} == {n: c / t for n, (t, c) in want.items()}
        assert got[split]["overall"]["accuracy"] == sum(c for _, c in want.values()) / sum(t for t, _ in want.values())
    assert got["test"]["overall"]["accuracy"] < 1.0


def test_a_record_whose_run_fails_counts_as_wrong(tmp_path):
    p = program(tmp_path, "[xs[len(xs) - 1 - i] for i in range(len(xs) + (if len(xs) > 12 then 1 else 0))]")
    r = run("eval", p, REVERSE)
    assert r.exit_code == 1 and "Traceback" not in r.stdout + r.stderr  # a failure, after the whole report (see test_eval_exit_status)
    assert "examples where the program failed (scored as wrong): 17" in r.stdout
    assert "test #4 (length 13): index -1 out of range" in r.stdout
    test = next(line.split() for line in r.stdout.splitlines() if line.split()[:2] == ["test", "-"])
    assert test[2:4] == ["20", "15.0%"]


def test_a_program_that_does_not_fit_exits_2_naming_both_files(tmp_path):
    for p in (program(tmp_path, "len(xs)"), LEGO_PROGRAM):
        r = run("eval", p, REVERSE)
        assert r.exit_code == 2 and "Traceback" not in r.stdout + r.stderr
        assert r.stderr.startswith(f"error: {p} does not fit {REVERSE}: the program is (")


def test_csv_and_lego_only_options(tmp_path):
    out = tmp_path / "r.csv"
    r = run("eval", REVERSE_PROGRAM, REVERSE, "--csv", out)
    assert r.exit_code == 0, r.stderr
    rows = list(csv.DictReader(out.open()))
    assert {(row["metric"], row["source"]) for row in rows if row["length"] == ""} == {
        (m, f"{REVERSE}#{s}") for m in ("exact_match", "per_token_accuracy") for s in ("train", "test")
    }
    for option in (["--by", "position"], ["--supervised", "6"], ["--query-only"], ["-o", tmp_path / "p.jsonl"]):
        r = run("eval", REVERSE_PROGRAM, REVERSE, *option)
        assert r.exit_code == 2 and "is for LEGO data" in r.stderr, option
    assert run("eval", REVERSE_PROGRAM, REVERSE, "--by", "length").exit_code == 0
    r = run("eval", REVERSE_PROGRAM, REVERSE, LEGO_TASK)
    assert r.exit_code == 2 and f"{LEGO_TASK} is LEGO data" in r.stderr


@pytest.mark.parametrize("args", [[], ["--json"], ["--by", "length"]])
def test_lego_eval_prints_what_it_printed(args, tmp_path):
    r = run("eval", LEGO_PROGRAM, LEGO_TASK, *args)
    assert r.exit_code == 0, r.stderr
    report = evaluate_readers([open_data(str(LEGO_TASK))], load_program(LEGO_PROGRAM), SplitScorers())
    by = args[1] if args[:1] == ["--by"] else "length,position"
    want = json.dumps(report.to_dict(), indent=1) if args == ["--json"] else report.format_text(by)
    assert r.stdout == want + "\n"


def test_compare_keeps_two_models_whose_files_share_a_name(tmp_path):
    """Before: a/preds.jsonl and b/preds.jsonl were both called "preds" and merged as two seeds of one model."""
    data = tmp_path / "data.jsonl"
    assert run("gen", "lego", "--n", "6", "--count", "20", "--seed", "3", "-o", data).exit_code == 0
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
    assert run("eval", LEGO_PROGRAM, data, "-o", tmp_path / "a" / "preds.jsonl").exit_code == 0
    right = [json.loads(line) for line in (tmp_path / "a" / "preds.jsonl").read_text().splitlines()]
    wrong = [{"labels": {k: 1 - v for k, v in p["labels"].items()}} for p in right]
    (tmp_path / "b" / "preds.jsonl").write_text("".join(json.dumps(p) + "\n" for p in wrong))
    a, b = (str(tmp_path / f / "preds.jsonl") for f in ("a", "b"))
    r = run("compare", data, "--predictions", a, "--predictions", b, "--json")
    assert r.exit_code == 0, r.stderr
    models = json.loads(r.stdout)["models"]
    assert set(models) == {"a/preds.jsonl", "b/preds.jsonl"}
    assert [len(m["seeds"]) for m in models.values()] == [1, 1]
    assert [m["seeds"][0]["overall"]["accuracy"] for m in models.values()] == [1.0, 0.0]
    # an explicit name given twice still means two seeds of one model
    r = run("compare", data, "--predictions", a, "--predictions", b, "--name", "m", "--name", "m", "--json")
    assert r.exit_code == 0, r.stderr
    assert [len(m["seeds"]) for m in json.loads(r.stdout)["models"].values()] == [2]


# `synth compare` on a task file of another family


def predictions(tmp_path: Path, name: str, outputs: list) -> Path:
    path = tmp_path / name
    path.write_text("".join(json.dumps({"output": o}) + "\n" for o in outputs))
    return path


def reverse_test() -> list[dict]:
    return json.loads(REVERSE.read_text())["test"]


def test_compare_on_a_task_file_prints_models_program_and_published(tmp_path):
    right = predictions(tmp_path, "right.jsonl", [ex["output"] for ex in reverse_test()])
    copy = predictions(tmp_path, "copy.jsonl", [ex["input"]["xs"] for ex in reverse_test()])
    csv_path = tmp_path / "t.csv"
    args = ["--predictions", right, "--predictions", copy, "--name", "lstm", "--name", "lstm", "--program", REVERSE_PROGRAM]
    r = run("compare", REVERSE, *args, "--published", "--csv", csv_path)
    assert r.exit_code == 0, r.stderr
    assert f"data: {REVERSE} (sequence task reverse_string; test split: 20 examples" in r.stdout
    assert "exact match (the whole output right) by input length (mean over seeds):" in r.stdout
    assert "per-token accuracy (the paper's masked output tokens) by input length" in r.stdout
    assert "lstm: exact match 0.5000 ± 0.7071" in r.stdout and "over 2 seeds" in r.stdout
    assert "program: exact match 1.0000 (20/20), per-token accuracy 1.0000 (390/390), paper score 100.0" in r.stdout
    for model, figure in (("RNN", "62.0"), ("Stack-RNN", "100.0"), ("Tape-RNN", "100.0"), ("Transformer", "62.3"), ("LSTM", "60.9")):
        assert any(line.split()[-3:] == [model, figure, "third-party-copy"] for line in r.stdout.splitlines()), model
    rows = list(csv.DictReader(csv_path.open()))
    assert {(row["model"], row["seed"]) for row in rows if row["status"] == "scored-here"} == {("lstm", "0"), ("lstm", "1"), ("program", "")}
    r = run("compare", REVERSE, *args, "--json")
    assert r.exit_code == 0, r.stderr
    d = json.loads(r.stdout)
    assert (d["task"], d["split"], [len(m["seeds"]) for m in d["models"].values()]) == ("reverse_string", "test", [2, 1])
    assert d["tables"]["exact_match"]["header"] == ["length", "examples", "lstm", "program"]


@pytest.mark.parametrize(
    "text, where",
    [
        ('{"output": [1]}\n{"output": [1\n', ":2:"),
        ('{"output": [1]}\n{"output": 1}\n', ":2:1: output for test example 2: expected a list"),
        ('{"output": [1]}\n', ":2:1: the file ends after 1 prediction,"),
        ('{"index": 2, "output": [1]}\n{"index": 2, "output": [1]}\n', ":2:1: duplicate prediction for test example 2"),
        ('{"output": [1]}\n' * 21, ":21:1: extra prediction"),
    ],
)
def test_compare_on_a_task_file_refuses_bad_predictions_with_file_and_line(tmp_path, text, where):
    path = tmp_path / "p.jsonl"
    path.write_text(text)
    r = run("compare", REVERSE, "--predictions", path)
    assert r.exit_code == 2 and f"{path}{where}" in r.stderr, r.stderr


def test_compare_on_a_task_file_allow_partial_counts_the_unanswered(tmp_path):
    path = predictions(tmp_path, "p.jsonl", [ex["output"] for ex in reverse_test()][:18])
    r = run("compare", REVERSE, "--predictions", path, "--allow-partial")
    assert r.exit_code == 0, r.stderr
    assert "p: exact match 0.9000 (18/20)" in r.stdout and "2 examples had no prediction, scored as wrong" in r.stdout


@pytest.mark.parametrize(
    "args, message",
    [
        (["--by", "position"], "--by is for LEGO data"),
        (["--supervised", "6"], "--supervised is for LEGO data"),
        (["--logits"], "--logits is for LEGO data"),
        (["--query-only"], "--query-only is for LEGO data"),
        (["--skip-bad"], "--skip-bad is for LEGO data"),
        (["--plot-kind", "position"], "--plot-kind is for LEGO data"),
        (["--predictions", "m.npz"], ".npz arrays are for LEGO data"),
        (["--predictions", "a.jsonl,b.jsonl"], "one file per --predictions for a task file"),
        ([ROOT / "examples" / "parity_check.json"], "compare one task file at a time"),
    ],
)
def test_compare_on_a_task_file_refuses_lego_options(args, message):
    r = run("compare", REVERSE, "--program", REVERSE_PROGRAM, *args)
    assert r.exit_code == 2 and message in r.stderr, r.stderr


@pytest.mark.parametrize("args", [["--published"], ["--by", "position", "--published"], ["--json", "--published"], ["--by", "length,position", "--supervised", "6"]])
def test_lego_compare_prints_what_it_printed(args, tmp_path):
    """LEGO compare is the library's Comparison, unchanged by task files."""
    preds = tmp_path / "preds.jsonl"
    assert run("eval", LEGO_PROGRAM, LEGO_TASK, "-o", preds).exit_code == 0
    preds.write_text("".join(preds.read_text().splitlines(keepends=True)[5:]))  # the test split's (after 5 train records)
    r = run("compare", LEGO_TASK, "--predictions", preds, "--name", "copy", "--program", LEGO_PROGRAM, *args)
    assert r.exit_code == 0, r.stderr
    refs = load_references()
    result = compare(
        [open_data(str(LEGO_TASK))], [("copy", str(preds))], program=load_program(LEGO_PROGRAM), split="test",
        program_source=str(LEGO_TASK), published=refs.lego_by_length() + refs.lego_notes() if "--published" in args else (), references=refs,
    )
    by = args[args.index("--by") + 1] if "--by" in args else "length"
    want = json.dumps(result.to_dict(by), indent=1) if "--json" in args else result.format_text(by, 6 if "--supervised" in args else None)
    assert r.stdout == want + "\n"


@pytest.mark.parametrize("data", [REVERSE, LEGO_TASK])
def test_csv_to_standard_output_sends_the_report_to_standard_error(data):
    """Before: `--csv - --json` wrote the CSV and then the JSON to standard output, which then parsed as neither."""
    prog = REVERSE_PROGRAM if data == REVERSE else LEGO_PROGRAM
    r = run("eval", prog, data, "--csv", "-", "--json")
    assert r.exit_code == 0, r.output
    rows = list(csv.DictReader(r.stdout.splitlines()))
    assert rows and rows[0]["model"] == "program"
    assert json.loads(r.stderr)  # the JSON report, whole, on standard error


def test_predictions_of_the_other_split_get_a_hint(tmp_path):
    doc = json.loads(REVERSE.read_text())
    preds = tmp_path / "train.jsonl"
    preds.write_text("".join(json.dumps({"output": ex["output"]}) + "\n" for ex in doc["train"]))
    r = run("compare", REVERSE, "--predictions", preds)
    assert r.exit_code == 2 and f"(the train split has {len(doc['train'])}: --split train?)" in r.output
    assert run("compare", REVERSE, "--predictions", preds, "--split", "train").exit_code == 0


def test_lego_eval_on_a_task_file_scores_train_and_test_apart(tmp_path):
    """Before: the 5 train and 20 test records were pooled into one score (a fitted program looks better)."""
    r = run("eval", LEGO_PROGRAM, LEGO_TASK, "--json")
    assert r.exit_code == 0, r.stderr
    splits = json.loads(r.stdout)["splits"]
    assert {k: v["records"] for k, v in splits.items()} == {"train": 5, "test": 20}
    assert splits["test"]["overall"]["total"] == 240 and splits["train"]["overall"]["total"] == 30
    text = run("eval", LEGO_PROGRAM, LEGO_TASK).stdout
    assert "split train:" in text and "split test:" in text
    run("eval", LEGO_PROGRAM, LEGO_TASK, "--csv", tmp_path / "r.csv")
    sources = {row["source"] for row in csv.DictReader((tmp_path / "r.csv").open())}
    assert sources == {f"{LEGO_TASK}#train", f"{LEGO_TASK}#test"}


def test_lego_eval_on_a_record_file_names_no_split(tmp_path):
    data = tmp_path / "data.jsonl"
    assert run("gen", "lego", "--n", "6", "--count", "5", "--seed", "3", "-o", data).exit_code == 0
    r = run("eval", LEGO_PROGRAM, data, "--json")
    assert "splits" not in json.loads(r.stdout) and json.loads(r.stdout)["records"] == 5


def test_lego_compare_on_a_task_file_scores_the_test_split_by_default(tmp_path):
    """Before: test-only predictions were out of step (train came first), and --split was refused for LEGO."""
    preds = tmp_path / "all.jsonl"
    assert run("eval", LEGO_PROGRAM, LEGO_TASK, "-o", preds).exit_code == 0
    lines = preds.read_text().splitlines()
    (tmp_path / "test.jsonl").write_text("\n".join(lines[5:]) + "\n")
    (tmp_path / "train.jsonl").write_text("\n".join(lines[:5]) + "\n")
    r = run("compare", LEGO_TASK, "--predictions", tmp_path / "test.jsonl", "--json")
    assert r.exit_code == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["split"] == "test" and out["models"]["test"]["seeds"][0]["records"] == 20
    r = run("compare", LEGO_TASK, "--predictions", tmp_path / "train.jsonl", "--split", "train")
    assert r.exit_code == 0 and "split: train" in r.stdout and "(30/30)" in r.stdout
    r = run("compare", tmp_path / "test.jsonl", "--predictions", tmp_path / "test.jsonl", "--split", "test")
    assert r.exit_code == 2 and "without splits" in r.stderr


LEGO_HEAD = "type Clause = {lhs: Sym, op: Elem, rhs: Sym, root: Bool}\ninput clauses: List[Clause]\n"
FAILING = {  # a program failing on some records (an undefined key), and one failing on every record (a cycle)
    "some": "forall c in clauses: val[c.lhs] = c.op * (if c.root then Z2:0 else val[if c.lhs == 'a' then 'nokey' else c.rhs])",
    "every": "forall c in clauses: val[c.lhs] = if c.root then c.op else c.op * val[c.lhs]",
}


@pytest.mark.parametrize("which", FAILING)
@pytest.mark.parametrize("partial", [[], ["--allow-partial"]], ids=["strict", "allow-partial"])
def test_eval_o_then_compare_gives_evals_numbers_for_a_failing_program(tmp_path, which, partial):
    """Lines carrying "error" are failures, every label wrong: compare prints eval's test figures, --allow-partial or not."""
    prog = tmp_path / "fails.dsl"
    prog.write_text(LEGO_HEAD + FAILING[which] + "\n")
    preds = tmp_path / "p.jsonl"
    r = run("eval", prog, LEGO_TASK, "--by", "length", "-o", preds)
    assert r.exit_code == 1, r.output
    test = r.stdout.split("split test:")[1]
    figure = test.split("label accuracy:")[1].split()[:2]
    failed = test.split("records where the predictor failed (scored as wrong): ")[1].split()[0]
    assert "nokey" in preds.read_text() or "cycle" in preds.read_text()  # the run-time error, not a stock phrase
    c = run("compare", LEGO_TASK, "--predictions", preds, *partial)
    assert c.exit_code == 0, c.output
    assert f"p: label accuracy {' '.join(figure)}, whole-sentence accuracy" in c.stdout
    assert f"  {failed} records failed (lines with \"error\"), every label of them counted as wrong" in c.stdout
    assert "had no prediction" not in c.stdout
    if which == "every":
        assert figure[0] == "0.0000"


def test_published_task_given_twice_lists_both_each_figure_once():
    """Before, a second --task replaced the first, silently; two names of one task now list its figures once."""
    refs = load_references()
    want = [r.task for r in refs.for_task("parity_check") + refs.for_task("even_pairs")]
    r = CliRunner().invoke(main, ["published", "--task", "parity_check", "--task", "Even Pairs", "--task", "Parity Check", "--json"])
    assert r.exit_code == 0, r.output
    assert [x["task"] for x in json.loads(r.output)["results"]] == want and len(want) > 2
    r = CliRunner().invoke(main, ["published", "--task", "parity_check", "--task", "parity_chek"])
    assert r.exit_code == 2 and "no published results for task 'parity_chek'" in r.output, r.output
