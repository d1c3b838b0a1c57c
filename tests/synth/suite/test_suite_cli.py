"""`synth suite run`, `report` and `spec` from the command line."""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from synth.cli import main

SPEC = """\
[defaults]
timeout = 5
bucket = 4
[[generated]]
task = "parity_check"
train_size = 10
train_lengths = "1..6"
test_lengths = "13..20"
seed = "0..3"
"""


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def spec(tmp_path: Path) -> str:
    path = tmp_path / "spec.toml"
    path.write_text(SPEC, encoding="utf-8")
    return str(path)


def rows(db: Path) -> int:
    return sqlite3.connect(db).execute("SELECT count(*) FROM cells").fetchone()[0]


def test_run_then_report_in_every_format(tmp_path, spec) -> None:
    db = tmp_path / "r.sqlite"
    first = invoke("suite", "run", spec, "--db", str(db), "--jobs", "2")
    assert first.exit_code == 0, first.output
    assert "4 cells run (0 failed)" in first.output and rows(db) == 4
    again = invoke("suite", "run", spec, "--db", str(db))
    assert again.exit_code == 0 and "0 cells run" in again.output and "4 already in the database" in again.output
    text = invoke("suite", "report", str(db))
    assert text.exit_code == 0 and "parity_check" in text.output and "4/4" in text.output and "third-party-copy" in text.output
    assert invoke("suite", "report", str(db), "--markdown").output.startswith("| task |")
    assert r"\begin{tabular}" in invoke("suite", "report", str(db), "--latex").output
    out = tmp_path / "t.csv"
    assert invoke("suite", "report", str(db), "--csv", str(out)).exit_code == 0
    (line,) = list(csv.DictReader(out.open()))
    assert line["task"] == "parity_check" and line["solved"] == "4" and line["seeds"] == "4" and line["neural status"]
    listed = invoke("suite", "report", str(db), "--markdown", "--programs").output
    programs = listed.split("| task | profile | training | program found |", 1)[1]
    # every seed finds the parity fold: 6 nodes (fold, s, x, xor, 0, xs), 4 of 4 seeds
    assert "| parity_check | core | 10 x 1..6 | `fold (s, x) -> s xor x from 0 over xs` | 6 | 4/4 |" in programs


def test_report_plot(tmp_path, spec) -> None:
    pytest.importorskip("matplotlib")
    db = tmp_path / "r.sqlite"
    invoke("suite", "run", spec, "--db", str(db))
    png = tmp_path / "t.png"
    assert invoke("suite", "report", str(db), "--plot", str(png)).exit_code == 0
    assert png.read_bytes()[:4] == b"\x89PNG"


def test_shards_write_separate_databases_that_report_merges(tmp_path, spec) -> None:
    dbs = [tmp_path / f"s{i}.sqlite" for i in (1, 2)]
    for i, db in enumerate(dbs, start=1):
        assert invoke("suite", "run", spec, "--db", str(db), "--shard", f"{i}/2").exit_code == 0
    assert sum(rows(db) for db in dbs) == 4
    merged = invoke("suite", "report", *map(str, dbs), "--markdown")
    assert "4/4" in merged.output


def test_task_files_alone(tmp_path, root) -> None:
    db = tmp_path / "r.sqlite"
    result = invoke("suite", "run", str(root / "examples" / "parity_check.json"), "--db", str(db))
    assert result.exit_code == 0 and rows(db) == 1
    assert "file" in invoke("suite", "report", str(db)).output


@pytest.mark.parametrize(
    "args, words",
    [
        (["suite", "run", "--db", "x.sqlite"], "give a spec"),
        (["suite", "run", "SPEC", "--db", "x.sqlite", "--shard", "3/2"], "i/N"),
        (["suite", "run", "--ray", "SPEC", "--db", "x.sqlite"], "--ray took"),
    ],
)
def test_option_mistakes_exit_2(tmp_path, spec, monkeypatch, args, words) -> None:
    monkeypatch.chdir(tmp_path)
    result = invoke(*[spec if a == "SPEC" else a for a in args])
    assert result.exit_code == 2 and words in result.output and "Traceback" not in result.output
    assert not (tmp_path / "x.sqlite").exists()


def test_a_bad_spec_runs_nothing(tmp_path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(SPEC.replace('"parity_check"', '"parity_chek"'), encoding="utf-8")
    db = tmp_path / "r.sqlite"
    result = invoke("suite", "run", str(bad), "--db", str(db))
    assert result.exit_code == 2 and f"{bad}:5:8: unknown task 'parity_chek'" in result.output
    assert not db.exists()


def test_report_mistakes(tmp_path) -> None:
    missing = invoke("suite", "report", str(tmp_path / "none.sqlite"))
    assert missing.exit_code == 2 and "no such results database" in missing.output
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"x" * 1000)
    assert invoke("suite", "report", str(junk)).exit_code == 2


def test_spec_prints_the_bundled_spec(tmp_path) -> None:
    result = invoke("suite", "spec", "chomsky")
    assert result.exit_code == 0 and "[[generated]]" in result.output and "41..500" in result.output
    out = tmp_path / "c.toml"
    assert invoke("suite", "spec", "chomsky", "-o", str(out)).exit_code == 0 and out.read_text() == result.output
