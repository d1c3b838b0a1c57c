"""The header `synth solve` prints: the task, its family and how many training examples, in good English."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from synth.cli import main


@pytest.mark.parametrize("count,words", [(1, "1 training example)"), (2, "2 training examples)")])
def test_the_training_examples_are_counted_in_words(tmp_path, count, words):
    path = tmp_path / "task.json"
    path.write_text(json.dumps({"train": [{"input": {"x": k}, "output": k} for k in range(1, count + 1)]}))
    r = CliRunner().invoke(main, ["solve", str(path), "--no-progress"])
    assert r.exit_code == 0, r.output
    assert r.output.splitlines()[0] == f"task: {path} (open, {words}"
