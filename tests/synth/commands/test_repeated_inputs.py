"""One data file given twice to eval or compare is refused: its records would be counted twice."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from synth.cli import main

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


def run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args])


def refused(result, *words: str) -> None:
    assert result.exit_code == 2, (result.exit_code, result.output)
    assert "Traceback" not in result.output
    for word in words:
        assert word in result.output, (word, result.output)


@pytest.fixture
def jsonl(tmp_path) -> tuple[Path, Path]:
    data, preds = tmp_path / "test.jsonl", tmp_path / "preds.jsonl"
    assert run("gen", "lego", "--n", "4", "--count", "3", "-o", data).exit_code == 0
    assert run("eval", EXAMPLES / "lego.dsl", data, "--predict", "-o", preds).exit_code == 0
    return data, preds


@pytest.fixture
def npz(tmp_path) -> tuple[Path, Path]:
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 2, (4, 5))
    order = np.zeros((4, 5, 5), dtype=np.float32)
    for b in range(4):
        order[b, np.arange(5), rng.permutation(5)] = 1
    data, preds = tmp_path / "test.npz", tmp_path / "model.npz"
    np.savez(data, labels=labels, order=order)
    np.savez(preds, pred=np.take_along_axis(labels, order.argmax(axis=2), axis=1))
    return data, preds


def _spellings(path: Path) -> list[str]:
    """The same file as given, by another spelling (./name from its folder's parent) and through a symbolic link."""
    link = path.parent / ("link" + path.suffix)
    os.symlink(path, link)
    return [str(path), str(path.parent / ".." / path.parent.name / path.name), str(link)]


@pytest.mark.parametrize("kind", ["jsonl", "npz"])
def test_compare_refuses_one_data_file_twice(kind, request) -> None:
    """Before: `compare test.jsonl ./test.jsonl --predictions preds.jsonl,preds.jsonl` scored 400/400 for 200 records."""
    data, preds = request.getfixturevalue(kind)
    assert run("compare", data, "--predictions", preds).exit_code == 0
    for other in _spellings(data):
        refused(run("compare", data, other, "--predictions", f"{preds},{preds}"), "same data file", "counted twice")


def test_eval_refuses_one_data_file_twice(jsonl) -> None:
    """Before: `eval found.dsl test.jsonl test.jsonl` reported twice the records."""
    data, _ = jsonl
    for other in _spellings(data):
        refused(run("eval", EXAMPLES / "lego.dsl", data, other), "same data file")


def test_eval_still_takes_two_different_files(jsonl, tmp_path) -> None:
    data, _ = jsonl
    copy = tmp_path / "copy.jsonl"
    copy.write_bytes(data.read_bytes())
    r = run("eval", EXAMPLES / "lego.dsl", data, copy)
    assert r.exit_code == 0 and "records: 6" in r.output


@pytest.mark.parametrize("command", [
    ["invariance", "run", EXAMPLES / "lego.dsl", "{data}"],
    ["invariance", "transform", "{data}", "-o", "{out}"],
    ["invariance", "score", "{data}", "--predictions", "{preds}"],
])
def test_one_transformation_given_twice_is_refused(jsonl, tmp_path, command) -> None:
    """It counted each record twice (run), or wrote two copies with one id that score then refused."""
    data, preds = jsonl
    out = tmp_path / "t.jsonl"
    args = [str(a).format(data=data, preds=preds, out=out) for a in command]
    refused(run(*args, "--transform", "act", "--transform", "permute", "--transform", "act"), "--transform act is given twice")
    assert not out.exists()
