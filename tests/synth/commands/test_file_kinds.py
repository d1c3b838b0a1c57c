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
