"""Messages about values the user wrote in JSON spell them as JSON (true, null, "x"), not as Python (True, None, 'x')."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from dsl.errors import json_repr
from synth.cli import main

RECORD = {"sentence": "a = val 1 ,  b = not a , ", "labels": {"a": 1, "b": 0}}
OPEN = {"name": "t", "signature": {"inputs": {"x": "Int"}, "output": "Bool"}, "train": [{"input": {"x": 1}, "output": True}]}


def lego(**more) -> dict:
    return {"family": "lego", "group": "Z2", **more, "train": [RECORD]}


def opened(example: dict) -> dict:
    return {**OPEN, "train": [example]}


CASES = {
    # file content, words of the message
    "open: a boolean for an integer": (opened({"input": {"x": True}, "output": True}), "expected an integer, got true"),
    "open: null for a boolean": (opened({"input": {"x": 1}, "output": None}), "expected true or false, got null"),
    "open: a string for an integer": (opened({"input": {"x": "it's"}, "output": True}), "expected an integer, got \"it's\""),
    "family not a string": ({**OPEN, "family": False}, '"family" must be a string such as "sequence", not false'),
    "unknown structure": (lego(structure="ring"), 'unknown structure "ring"'),
    "structure not a name": (lego(structure=["chain"]), 'unknown structure ["chain"]'),
    "unknown group": (lego(group="Q7"), 'unknown group "Q7"'),
    "label of an undefined variable": ({**lego(), "train": [{**RECORD, "labels": {"a": 1, "z": 0}}]}, 'label for "z", which the sentence does not define'),
    "query not a variable": ({**lego(), "train": [{**RECORD, "query": "zz"}]}, 'query "zz" is not a variable'),
    "unknown label element": ({**lego(), "train": [{**RECORD, "labels": {"a": "7"}}]}, "unknown element \"7\" of group Z2"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_task_file_messages_spell_json(case, tmp_path):
    content, words = CASES[case]
    path = tmp_path / "task.json"
    path.write_text(json.dumps(content))
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 2, result.output
    assert words in result.stderr, result.stderr
    assert "True" not in result.stderr and "None" not in result.stderr and "False" not in result.stderr


def test_a_key_twice(tmp_path):
    path = tmp_path / "task.json"
    path.write_text('{"family": "lego", "group": "Z2", "group": "S3", "train": []}')
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 2 and 'the key "group" appears twice' in result.stderr, result.stderr


def test_task_file_predictions_spell_json(tmp_path):
    """`synth compare TASKFILE --predictions`: the predictions' keys and indices are JSON."""
    task = tmp_path / "even.json"
    task.write_text(json.dumps({**OPEN, "test": [{"input": {"x": 2}, "output": True}]}))
    for line, words in [({"output": True, "outptu": 1}, 'unknown key "outptu"'), ({"index": True, "output": True}, "not true")]:
        preds = tmp_path / "p.jsonl"
        preds.write_text(json.dumps(line) + "\n")
        result = CliRunner().invoke(main, ["compare", str(task), "--predictions", str(preds)])
        assert result.exit_code == 2, result.output
        assert words in result.stderr, result.stderr


@pytest.mark.parametrize("value, shown", [(True, "true"), (False, "false"), (None, "null"), ("x", '"x"'), ("it's", '"it\'s"'), ([1, None], "[1, null]"),
                                          ({"a": True}, '{"a": true}'), ("é", '"é"')])
def test_json_repr(value, shown):
    assert json_repr(value) == shown


def test_json_repr_cuts_long_values():
    text = json_repr(list(range(100)), limit=20)
    assert len(text) == 20 and text.endswith("...")
