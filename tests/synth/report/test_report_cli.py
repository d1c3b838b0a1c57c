"""`synth eval`, `synth compare`, `synth invariance`, `synth published` from the command line."""

from __future__ import annotations

import builtins
import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from dsl.groups import get_group
from synth.cli import main
from synth.commands import report as report_cmd
from synth.report.tidy import COLUMNS
from tasks.lego.io import write_records
from tasks.lego.sentence import Clause, LegoRecord, Sentence
from tasks.lego.solve import solve

ROOT = Path(__file__).resolve().parents[3]
Z2 = get_group("Z2")


def make_records(count: int, seed: int = 0, label_first: int = 6) -> list[LegoRecord]:
    rng = np.random.default_rng(seed)
    out = []
    for i in range(count):
        n = 3 + i % 8
        names = ["abcdefghijklmnopqrstuvwxyz"[int(k)] for k in rng.permutation(26)[:n]]
        ops = [Z2.elements[int(rng.integers(2))] for _ in range(n)]
        clauses = [Clause(names[0], ops[0])] + [Clause(names[j], ops[j], names[j - 1]) for j in range(1, n)]
        s = Sentence(Z2, tuple(clauses[int(k)] for k in rng.permutation(n)))
        values = solve(s)
        out.append(LegoRecord(s, {x: values[x] for x in names[:label_first]}, f"r{i}"))
    return out


@pytest.fixture
def data(tmp_path) -> Path:
    p = tmp_path / "data.jsonl"
    with open(p, "w") as f:
        write_records(make_records(30), "jsonl", f)
    return p


@pytest.fixture
def fake_program(tmp_path, monkeypatch) -> Path:
    """A 'program' file whose predictor is the reference solver, so these tests need no DSL parser."""
    p = tmp_path / "lego.dsl"
    p.write_text("# stands for the LEGO resolver\n")
    monkeypatch.setattr(report_cmd, "load_program", lambda path: _Solver())
    return p


class _Solver:
    def __call__(self, sentence):
        return solve(sentence)


def run(*args: object):
    try:
        runner = CliRunner(mix_stderr=False)  # click < 8.2
    except TypeError:
        runner = CliRunner()  # click >= 8.2 keeps stderr apart by itself
    return runner.invoke(main, [str(a) for a in args])


def test_eval_json_and_csv(data, fake_program, tmp_path):
    csv_path = tmp_path / "r.csv"
    r = run("eval", fake_program, data, "--json", "--csv", csv_path)
    assert r.exit_code == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["overall"]["accuracy"] == 1.0 and d["sentence_accuracy"]["total"] == 30
    assert set(d["by_position"]) == {str(k) for k in range(1, 7)}
    assert set(d["by_length"]) == {str(k) for k in range(3, 11)}
    assert csv_path.read_text().startswith(",".join(COLUMNS) + "\nprogram,,label_accuracy,,,")


def test_eval_predict_writes_jsonl_and_unlabelled_are_not_scored(tmp_path, fake_program):
    data = tmp_path / "u.jsonl"
    with open(data, "w") as f:
        write_records([LegoRecord(r.sentence, {}, r.id) for r in make_records(5)], "jsonl", f)
    out = tmp_path / "pred.jsonl"
    r = run("eval", fake_program, data, "--predict", "-o", out, "--json")
    assert r.exit_code == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["records"] == 5 and d["unlabelled"] == 5 and d["overall"]["total"] == 0
    lines = [json.loads(x) for x in out.read_text().splitlines()]
    assert len(lines) == 5 and lines[0]["id"] == "r0" and set(lines[0]["labels"].values()) <= {0, 1}


def test_eval_predictions_feed_compare(data, fake_program, tmp_path):
    out = tmp_path / "pred.jsonl"
    assert run("eval", fake_program, data, "--predict", "-o", out).exit_code == 0
    r = run("compare", data, "--predictions", out, "--name", "copy", "--program", fake_program, "--by", "position")
    assert r.exit_code == 0, r.stderr
    assert "copy" in r.stdout and "program" in r.stdout and "1.0000" in r.stdout


def test_eval_bad_data_exit_2_and_skip_bad(tmp_path, fake_program):
    data = tmp_path / "bad.jsonl"
    good = make_records(2)
    with open(data, "w") as f:
        write_records(good[:1], "jsonl", f)
        f.write('{"sentence": "a = val 1 , b = not q , ", "labels": {}}\n')
        write_records(good[1:], "jsonl", f)
    r = run("eval", fake_program, data)
    assert r.exit_code == 2 and "bad.jsonl:2" in r.stderr and "Traceback" not in r.stderr
    assert "partial result over the 1 records read before the error" in r.stderr
    r = run("eval", fake_program, data, "--skip-bad", "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["records"] == 2 and "skipped" in r.stderr


def test_compare_prediction_errors_exit_2(data, tmp_path):
    preds = tmp_path / "p.jsonl"
    recs = make_records(30)
    lines = [json.dumps({"labels": {x: v.index for x, v in solve(r.sentence).items()}}) for r in recs]
    preds.write_text(lines[0] + '\n{"labels": \n')
    r = run("compare", data, "--predictions", preds)
    assert r.exit_code == 2 and "p.jsonl:2:" in r.stderr and "broken JSON" in r.stderr
    preds.write_text("\n".join(lines[:29]) + "\n")
    r = run("compare", data, "--predictions", preds)
    assert r.exit_code == 2 and "missing prediction" in r.stderr and "p.jsonl:30" in r.stderr
    r = run("compare", data, "--predictions", preds, "--allow-partial")
    assert r.exit_code == 0 and "labels had no prediction" in r.stdout
    preds.write_text("\n".join(lines + lines[:1]) + "\n")
    r = run("compare", data, "--predictions", preds)
    assert r.exit_code == 2 and "p.jsonl:31:1: extra prediction" in r.stderr
    preds.write_text("\n".join(lines[1:] + lines[:1]) + "\n")  # shifted by one line
    r = run("compare", data, "--predictions", preds)
    assert r.exit_code == 2 and "p.jsonl:1:1:" in r.stderr and "out of step" in r.stderr


def test_compare_published_and_json(data, fake_program):
    r = run("compare", data, "--program", fake_program, "--published", "--json")
    assert r.exit_code == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["models"]["program"]["seeds"][0]["overall"]["accuracy"] == 1.0
    assert all(p["status"] for p in d["published"]) and "kazemnejad2023" in d["sources"]
    r = run("compare", data, "--program", fake_program, "--published")
    assert "status: from-results-file]" in r.stdout and "status: qualitative]" in r.stdout


def test_plot_without_matplotlib_says_how_to_install(data, fake_program, tmp_path, monkeypatch):
    real_import = builtins.__import__

    def no_matplotlib(name, *args, **kwargs):
        if name == "matplotlib" or name.startswith("matplotlib."):
            raise ImportError("No module named 'matplotlib'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_matplotlib)
    import importlib

    monkeypatch.setattr(importlib, "import_module", lambda name, *a: no_matplotlib(name))
    r = run("compare", data, "--program", fake_program, "--plot", tmp_path / "x.png")
    assert r.exit_code == 2
    assert "pip install 'lego-synth[plot]'" in r.stderr and "Traceback" not in r.stderr


def test_invariance_two_steps(data, tmp_path):
    out = tmp_path / "t.jsonl"
    r = run("invariance", "transform", data, "-o", out, "--seed", "3")
    assert r.exit_code == 0, r.stderr
    lines = [json.loads(x) for x in out.read_text().splitlines()]
    assert len(lines) == 120 and [x["id"] for x in lines[:4]] == ["r0", "r0~permute", "r0~rename", "r0~act"]
    # a consistent model: the reference solver; a biased one: identity past the 6th written clause
    good, bad = tmp_path / "good.jsonl", tmp_path / "bad.jsonl"
    from tasks.lego.io import read_records

    with open(good, "w") as g, open(bad, "w") as b:
        for rec in read_records(out):
            values = solve(rec.sentence)
            g.write(json.dumps({"id": rec.id, "labels": {x: v.index for x, v in values.items()}}) + "\n")
            biased = {c.lhs: (values[c.lhs].index if i < 6 else 0) for i, c in enumerate(rec.sentence.clauses)}
            b.write(json.dumps({"labels": biased}) + "\n")
    r = run("invariance", "score", out, "--predictions", good, "--json")
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["fully_consistent"] is True
    r = run("invariance", "score", out, "--predictions", bad, "--json")
    d = json.loads(r.stdout)
    assert d["fully_consistent"] is False and d["transformations"]["permute"]["variables"]["rate"] < 1.0
    r = run("invariance", "score", out, "--predictions", good, "--transform", "permute")
    assert r.exit_code == 2 and "same --transform options" in r.stderr


def test_invariance_run(data, fake_program):
    r = run("invariance", "run", fake_program, data, "--json")
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["fully_consistent"] is True


def test_published_listing():
    r = run("published", "--task", "Even Pairs")
    assert r.exit_code == 0 and r.stdout.count("status unverified") == 5
    r = run("published", "--task", "nonesuch")
    assert r.exit_code == 2 and "known:" in r.stderr


def test_eval_with_the_real_lego_program(data):
    path = ROOT / "examples" / "lego.dsl"
    if not path.exists():
        pytest.skip("examples/lego.dsl is not written yet")
    r = run("eval", path, data, "--json")
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["overall"]["accuracy"] == 1.0


def test_kazemnejad_data_query_only(tmp_path, fake_program):
    data = tmp_path / "k.jsonl"
    recs = [LegoRecord(r.sentence, r.labels, r.id, next(iter(r.labels))) for r in make_records(6)]
    with open(data, "w") as f:
        write_records(recs, "kazemnejad", f)
    out = tmp_path / "p.jsonl"
    r = run("eval", fake_program, data, "--json", "--query-only", "--predict", "-o", out)
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["overall"]["total"] == 6
    # predictions on Kazemnejad data are written as +1/-1 and read back the same way
    assert {v for line in out.read_text().splitlines() for v in json.loads(line)["labels"].values()} <= {1, -1}
    r = run("compare", data, "--predictions", out, "--json", "--query-only")
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["models"]["p"]["seeds"][0]["overall"]["accuracy"] == 1.0


def test_plot_with_matplotlib(data, fake_program, tmp_path):
    pytest.importorskip("matplotlib")
    png = tmp_path / "acc.png"
    r = run("compare", data, "--program", fake_program, "--published", "--plot", png)
    assert r.exit_code == 0, r.stderr
    assert png.read_bytes()[:4] == b"\x89PNG"


def test_eval_cross_table_marks_supervised_positions(data, fake_program):
    r = run("eval", fake_program, data, "--by", "length,position", "--supervised", "3")
    assert r.exit_code == 0, r.stderr
    assert "by length (rows) and chain position (columns" in r.stdout
    header = next(line for line in r.stdout.splitlines() if line.strip().startswith("length") and "1*" in line)
    assert header.split()[1:5] == ["1*", "2*", "3*", "4"]
    r = run("eval", fake_program, data, "--by", "position")
    assert "for each length" in r.stdout and "n=3" in r.stdout and "n=10" in r.stdout
    r = run("eval", fake_program, data, "--by", "width")
    assert r.exit_code == 2 and "length,position" in r.stderr


def test_compare_takes_several_data_files(tmp_path, fake_program):
    paths = []
    for k in range(2):
        p = tmp_path / f"d{k}.jsonl"
        with open(p, "w") as f:
            write_records(make_records(5, seed=k), "jsonl", f)
        paths.append(p)
    r = run("compare", *paths, "--program", fake_program, "--json")
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["models"]["program"]["seeds"][0]["records"] == 10


@pytest.mark.parametrize(
    "args",
    [
        ["eval", "{program}", "{empty}"],
        ["eval", "{program}", "{data}", "{empty}"],
        ["invariance", "run", "{program}", "{empty}"],
        ["invariance", "transform", "{empty}", "-o", "{out}"],
        ["compare", "{empty}", "--program", "{program}"],
    ],
    ids=["eval", "eval-second-file", "invariance-run", "invariance-transform", "compare"],
)
def test_an_empty_data_file_is_refused_not_scored(args, data, tmp_path):
    """Before: `synth invariance run P empty.jsonl` printed "records: 0 ... fully consistent" (exit 0)."""
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    files = {"program": ROOT / "examples" / "lego.dsl", "empty": empty, "data": data, "out": tmp_path / "out.jsonl"}
    r = CliRunner().invoke(main, [a.format(**files) for a in args])
    assert r.exit_code == 2, r.output
    assert f"error: no records in {empty}" in r.stderr and "fully consistent" not in r.output and "Traceback" not in r.output
    assert not (tmp_path / "out.jsonl").exists()
