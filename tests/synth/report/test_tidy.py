"""One CSV schema for every command, with typed columns; one counting class."""

from __future__ import annotations

import csv
import json
import re

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

import synth
from dsl.errors import UserError
from synth.cli import main
from synth.report.counts import EMPTY, Count
from synth.report.tidy import COLUMNS, read_csv
from tasks.lego.generate import generate
from tasks.lego.io import write_records

INTS = ("seed", "length", "position", "correct", "total")
FLOATS = ("accuracy", "ci_low", "ci_high", "std")


def check_dtypes(path):
    """Every cell of a typed column parses as its type or is empty (what pandas needs for int/float dtypes)."""
    with open(path, newline="") as f:
        reader = csv.reader(f)
        assert tuple(next(reader)) == COLUMNS
        rows = list(reader)
    assert rows
    for row in rows:
        cell = dict(zip(COLUMNS, row))
        for k in INTS:
            assert cell[k] == "" or str(int(cell[k])) == cell[k], (k, cell[k])
        for k in FLOATS:
            assert cell[k] == "" or float(cell[k]) == float(cell[k]), (k, cell[k])
        assert cell["status"] and cell["metric"]
    return [dict(zip(COLUMNS, r)) for r in rows]


@pytest.fixture
def files(tmp_path):
    data = tmp_path / "d.jsonl"
    with open(data, "w") as f:
        write_records(generate(5, 6, seed=1) + generate(7, 4, seed=2), "jsonl", f)
    preds = tmp_path / "p.jsonl"
    r = CliRunner().invoke(main, ["eval", "examples/lego.dsl", str(data), "--predict", "-o", str(preds)])
    assert r.exit_code == 0, r.output
    return tmp_path, data, preds


def test_eval_compare_and_report_write_the_same_schema(files):
    tmp, data, preds = files
    again = tmp / "p2.jsonl"  # a second seed (one file twice is refused)
    again.write_bytes(preds.read_bytes())
    runner = CliRunner()
    for args in (
        ["eval", "examples/lego.dsl", str(data), "--csv", str(tmp / "e.csv")],
        ["compare", str(data), "--predictions", str(preds), "--predictions", str(again), "--name", "m", "--name", "m",
         "--published", "--by", "length,position", "--csv", str(tmp / "c.csv")],
    ):
        r = runner.invoke(main, args)
        assert r.exit_code == 0, r.output
    e = check_dtypes(tmp / "e.csv")
    c = check_dtypes(tmp / "c.csv")
    assert any(r["length"] and r["position"] for r in e)
    assert {r["seed"] for r in c if r["model"] == "m"} == {"0", "1"}
    pub = [r for r in c if r["status"] != "scored-here"]
    assert pub and all(r["correct"] == "" and r["accuracy"] for r in pub)
    assert {r["metric"] for r in pub} == {"query_accuracy"}
    typed = list(read_csv(tmp / "c.csv"))
    assert all(isinstance(r["length"], (int, type(None))) for r in typed)


def test_by_changes_the_csv(files):
    tmp, data, _ = files
    runner = CliRunner()
    runner.invoke(main, ["eval", "examples/lego.dsl", str(data), "--by", "length", "--csv", str(tmp / "l.csv")])
    rows = check_dtypes(tmp / "l.csv")
    assert not any(r["position"] for r in rows)


@given(st.integers(0, 500), st.integers(0, 500))
def test_count_contract(a, b):
    correct, total = min(a, b), max(a, b)
    c = Count(correct, total)
    if total == 0:
        assert c.accuracy is None and c.wilson() is None and str(c) == "-"
    else:
        lo, hi = c.wilson()
        assert 0.0 <= lo <= c.accuracy <= hi <= 1.0
    assert (c + EMPTY) == c and json.dumps(c.to_dict())


def test_count_refuses_impossible_counts():
    with pytest.raises(ValueError):
        Count(3, 2)


def test_generalization_scores_count_with_the_same_class():
    from synth.report.generalize import Score

    s = Score("test", None, 0, 0, 0, 0)
    assert s.accuracy is None and s.label_accuracy is None  # nothing counted: no accuracy, as everywhere


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"seed": "x"}, "seed must be a whole number or None, not str 'x'"),  # before: ValueError from int() while writing
        ({"seed": 1.5}, "seed must be a whole number or None, not float 1.5"),  # before: written as 1
        ({"seed": True}, "seed must be a whole number or None, not bool True"),
        ({"model": None}, "model must be a string, not NoneType None"),  # before: a row with an empty model cell
        ({"by": "bogus"}, "by='bogus': choose length, position or length,position"),  # before: named the CLI flag, --by 'bogus'
        ({"by": None}, "by=None: choose length, position or length,position (a string)"),  # before: AttributeError
    ],
)
def test_report_to_csv_refuses_bad_arguments_naming_them(tmp_path, kwargs, message):
    report = synth.load("examples/lego.dsl").score([synth.record("a = +1; b = -a", labels={"a": 1, "b": -1})])
    path = tmp_path / "r.csv"
    path.write_text("kept\n")
    with pytest.raises(UserError, match="^" + re.escape(message) + "$"):
        report.to_csv(path, **kwargs)
    assert path.read_text() == "kept\n"  # refused before the file was touched
    report.to_csv(path, seed=np.int64(3))
    assert next(read_csv(path))["seed"] == 3


def test_the_command_line_still_names_its_flag():
    r = CliRunner().invoke(main, ["eval", "examples/lego.dsl", "examples/lego_z2_paper.json", "--by", "bogus"])
    assert r.exit_code == 2 and "Invalid value for '--by': --by 'bogus': choose length, position or length,position" in r.output
