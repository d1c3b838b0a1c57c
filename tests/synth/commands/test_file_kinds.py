"""A file of the wrong kind on the command line: one message saying what it is and which command takes it, exit 2.

And `synth validate` reads the paper's .npz arrays, as `synth eval` does.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from synth.cli import main

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = ROOT / "examples"
SPEC = ROOT / "synth" / "data" / "chomsky_quick.toml"


def run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.mark.parametrize("args,words", [
    (["solve", EXAMPLES / "parity.dsl"], ["parity.dsl: a DSL program", "synth run"]),
    (["solve", "SPEC"], ["spec.toml: a suite spec (TOML)", "synth suite run SPEC"]),
    (["eval", EXAMPLES / "lego.dsl", "SPEC"], ["spec.toml: a suite spec (TOML)"]),
    (["eval", EXAMPLES / "lego.dsl", EXAMPLES / "parity.dsl"], ["parity.dsl: a DSL program"]),
    (["validate", "SPEC"], ["spec.toml: a suite spec (TOML)"]),
    (["invariance", "transform", EXAMPLES / "lego.dsl", "-o", "-"], ["lego.dsl: a DSL program"]),
    (["run", "SPEC"], ["spec.toml: a TOML file (a suite spec or a grammar profile), not a DSL program", "synth suite run"]),
    (["check", EXAMPLES / "parity_check.json"], ["parity_check.json: a JSON file, not a DSL program", "synth solve"]),
    (["eval", "SPEC", EXAMPLES / "parity_check.json"], ["spec.toml: a TOML file"]),
], ids=lambda a: " ".join(Path(str(x)).name for x in a) if isinstance(a, list) and a and a[0] in ("solve", "eval", "validate", "invariance", "run", "check") else "")
def test_the_wrong_kind_of_file_is_named(args, words, tmp_path):
    spec = tmp_path / "spec.toml"
    shutil.copy(SPEC, spec)
    r = run(*[spec if a == "SPEC" else a for a in args])
    assert r.exit_code == 2, r.output
    assert "no root literal" not in r.output and "syntax error" not in r.output
    for word in words:
        assert word in r.output


def test_validate_reads_the_papers_npz_as_eval_does(tmp_path):
    """Before: `not UTF-8 text` for a file `synth eval` reads."""
    labels = np.array([[1, 0, 0, 1], [0, 0, 1, 1]], dtype=np.uint8)
    order = np.eye(4, dtype=np.uint8)[[[2, 0, 3, 1], [0, 1, 2, 3]]]
    path = tmp_path / "test_n4.npz"
    np.savez(path, labels=labels, order=order)
    r = run("validate", path)
    assert r.exit_code == 0, r.output
    assert r.output.splitlines()[:2] == [f"{path}: 2 records (lego, npz)", "  lengths:  4..4 (median 4); most common: 4 x2"]
    assert "labelled: 8 of 8 variables (100.0%)" in r.output
    assert run("eval", EXAMPLES / "lego.dsl", path).exit_code == 0

    np.savez(path, labels=labels, order=order[:1])
    r = run("validate", path)
    assert r.exit_code == 2 and "error:" in r.output and "Traceback" not in r.output


# -- second audit: predictions, databases, input files, fake arrays, LEGO text as a program ----


@pytest.fixture
def kinds(tmp_path) -> Path:
    """A folder holding one file of each kind the audit gave to the wrong command."""
    import sqlite3

    rng = np.random.default_rng(0)
    labels = rng.integers(0, 2, (3, 4))
    order = np.eye(4, dtype=np.uint8)[[rng.permutation(4) for _ in range(3)]]
    np.savez(tmp_path / "test.npz", labels=labels, order=order)
    np.savez(tmp_path / "model.npz", pred=np.take_along_axis(labels, order.argmax(axis=2), axis=1))
    (tmp_path / "fake.npz").write_text("hi\n")
    shutil.copy(SPEC, tmp_path / "spec.toml")
    shutil.copy(EXAMPLES / "parity.dsl", tmp_path / "found.dsl")
    shutil.copy(EXAMPLES / "parity.input.json", tmp_path / "parity.input.json")
    with sqlite3.connect(tmp_path / "results.sqlite") as db:
        db.execute("create table cells (x)")
    db.close()
    assert run("gen", "lego", "--n", "4", "--count", "2", "--format", "official", "-o", tmp_path / "train.txt").exit_code == 0
    return tmp_path


@pytest.mark.parametrize("args,words", [
    (["compare", "test.npz", "--predictions", "spec.toml"], ["spec.toml: not a predictions file", "a TOML file"]),
    (["compare", "test.npz", "--predictions", "found.dsl"], ["found.dsl: not a predictions file", "a DSL program"]),
    (["compare", "test.npz", "--predictions", "test.npz"], ["test.npz: the paper's data arrays", "not predictions"]),
    (["validate", "results.sqlite"], ["results.sqlite: a results database (SQLite)", "synth suite report"]),
    (["solve", "results.sqlite"], ["results.sqlite: a results database (SQLite)", "synth suite status"]),
    (["eval", EXAMPLES / "lego.dsl", "results.sqlite"], ["results.sqlite: a results database"]),
    (["run", "parity.input.json"], ["parity.input.json: not a DSL program: an input file", "--input-file"]),
    (["validate", "parity.input.json"], ["parity.input.json: an input file", "synth run PROGRAM --input-file"]),
    (["validate", "model.npz"], ["model.npz: a predictions file (arrays: pred)", "--predictions"]),
    (["validate", "fake.npz"], ["fake.npz: not a numpy .npz file"]),
    (["eval", EXAMPLES / "lego.dsl", "fake.npz"], ["fake.npz: not a numpy .npz file"]),
    (["compare", "test.npz", "--predictions", "fake.npz"], ["fake.npz: not a numpy .npz file"]),
    (["check", "train.txt"], ["train.txt: looks like LEGO data", "synth validate"]),
], ids=lambda a: " ".join(Path(str(x)).name for x in a) if isinstance(a, list) and a and a[0] in ("compare", "validate", "solve", "eval", "run", "check") else "")
def test_more_wrong_kinds_of_file_are_named(args, words, kinds, monkeypatch):
    """Before: `broken JSON`, `not UTF-8 text: byte 0xf8`, `unknown key "xs"`, numpy's pickle text, a DSL syntax error."""
    monkeypatch.chdir(kinds)
    r = run(*args)
    assert r.exit_code == 2, r.output
    assert "broken JSON" not in r.output and "UTF-8" not in r.output and "pickle" not in r.output
    for word in words:
        assert word in r.output, (word, r.output)


def test_the_right_kinds_still_pass(kinds, monkeypatch):
    monkeypatch.chdir(kinds)
    assert run("compare", "test.npz", "--predictions", "model.npz").exit_code == 0
    assert run("validate", "test.npz").exit_code == 0
    assert run("run", "found.dsl", "--input-file", "parity.input.json").exit_code == 0


@pytest.mark.parametrize("args", [["validate", ""], ["solve", ""], ["check", ""], ["eval", EXAMPLES / "lego.dsl", ""]], ids=lambda a: a[0])
def test_an_empty_file_name_is_named_as_such(args):
    """Before: `error: : cannot read: No such file or directory`."""
    r = run(*args)
    assert r.exit_code == 2 and "the file name is empty" in r.output and ": cannot read" not in r.output


def test_check_names_real_arrays_a_database_and_lego_data_whatever_their_names(tmp_path):
    """Audit: the paper's arrays and a database named .dsl got `not UTF-8 text`; LEGO data named .dsl was sent by
    validate to check ("a DSL program") and by check back to validate ("looks like LEGO data")."""
    import sqlite3

    arrays = tmp_path / "paper.npz"
    np.savez(arrays, labels=np.zeros((2, 3), dtype=np.uint8), order=np.tile(np.eye(3, dtype=np.uint8), (2, 1, 1)))
    database = tmp_path / "results.dsl"
    sqlite3.connect(database).execute("CREATE TABLE t (x)").connection.commit()
    data = tmp_path / "train.dsl"
    assert run("gen", "lego", "--n", "3", "--count", "2", "-o", data).exit_code == 0
    for path, words in ((arrays, "the LEGO paper's arrays (.npz), not a DSL program"),
                        (database, "not a DSL program: a results database (SQLite)"),
                        (data, "looks like LEGO data")):
        r = run("check", path)
        assert r.exit_code == 2 and words in r.output and "UTF-8" not in r.output, r.output
    r = run("validate", data)
    assert r.exit_code == 0 and "2 records" in r.output, r.output  # read as what it holds
