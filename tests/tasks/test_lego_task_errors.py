"""LEGO task files and native records are read strictly: an unknown key is refused with file:line:col and the key it
looks like, and `synth validate` refuses what `synth solve` refuses, with the same message."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from synth.cli import main
from tasks.lego.io import read_records

SENTENCE = "a = val 1 ,  b = not a , "
RECORD = json.dumps({"sentence": SENTENCE, "labels": {"a": 1, "b": 0}})


def pretty(*records: str, head: str = '"family": "lego",\n  "group": "Z2",') -> str:
    """A task file written one record a line, as `synth gen lego --format task` writes it: the first record is on line 5."""
    return "{\n  " + head + '\n  "train": [\n' + ",\n".join("    " + r for r in records) + "\n  ]\n}\n"


CASES = {
    # name: (file name, content, where the error is ("" for no line), words in the message)
    "task key": ("task.json", '{"family":"lego","group":"Z2","strcture":"tree","tets":[],"train":[' + RECORD + "]}\n", ":1:42",
                 'unknown key "strcture" (a LEGO task file has family, name, description, group, structure, train, test); did you mean "structure"?'),
    "task key, pretty": ("task.json", pretty(RECORD, head='"family": "lego",\n  "tset": [],'), ":3:11", 'unknown key "tset"'),
    "record key in a task file": ("task.json", pretty(RECORD, RECORD.replace('"labels"', '"lables"')), ":6:57",
                                  'train record 2: unknown key "lables" (a record has sentence, labels, id, query); did you mean "labels"?'),
    "record key in JSONL": ("data.jsonl", RECORD + "\n" + RECORD.replace('"labels"', '"lables"') + "\n", ":2:53",
                            'unknown key "lables" (a record has sentence, labels, id, query); did you mean "labels"?'),
    "record key after spaces": ("data.jsonl", "   " + RECORD.replace('"labels"', '"labls"') + "\n", ":1:55", 'did you mean "labels"?'),
    "unknown structure": ("task.json", pretty(RECORD, head='"family": "lego",\n  "structure": "ring",'), ":3:16",
                          "unknown structure 'ring' (known: chain, tree)"),
    "empty train": ("task.json", '{"family": "lego", "group": "Z2", "train": []}\n', ":1:44", "the task has no training records"),
    "no train": ("task.json", '{"family": "lego", "group": "Z2", "test": [' + RECORD + "]}\n", ":1:1", 'the task has no training records (no "train" list)'),
    "empty file": ("data.jsonl", "", "", "no records in {path}"),
    "blank file": ("data.txt", "\n  \n", "", "no records in {path}"),
    "no labels in a task file": ("task.json", pretty(json.dumps({"sentence": SENTENCE})), "", "no labelled variable in the training records"),
}


@pytest.mark.parametrize("command", ["solve", "validate"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_lego_file(case, command, tmp_path):
    name, content, where, words = CASES[case]
    path = tmp_path / name
    path.write_text(content)
    result = CliRunner().invoke(main, [command, str(path)])
    assert result.exit_code == 2, result.output
    errors = [x for x in result.stderr.splitlines() if x.startswith("error:")]
    assert len(errors) == 1, result.stderr
    assert f"{path}{where}: " in errors[0] or (not where and str(path) in errors[0]), errors[0]
    assert words.format(path=path) in errors[0], errors[0]
    assert "Traceback" not in result.output


def test_solve_refuses_records_that_label_nothing(tmp_path, monkeypatch):
    """Before: a record with "lables" was read as unlabelled and the search "found" a constant program (exit 0)."""
    from synth.commands import solve as solve_cmd

    monkeypatch.setattr(solve_cmd, "synthesize", lambda *a, **kw: pytest.fail("searched"))
    path = tmp_path / "data.txt"
    path.write_text(SENTENCE + "\n" + SENTENCE + "\n")  # the token syntax without labels: valid data, nothing to learn
    result = CliRunner().invoke(main, ["solve", str(path)])
    assert result.exit_code == 2
    assert result.stderr == f"error: {path}: no labelled variable in the training records\n"
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 0 and "labelled: 0 of 4" in result.output  # unlabelled data is fine for `synth eval --predict`


def test_documented_keys_are_read(tmp_path):
    path = tmp_path / "task.json"
    native = json.dumps({"sentence": SENTENCE, "labels": {"a": 1}, "id": "s1", "query": "b"})
    head = '"family": "lego",\n  "name": "t",\n  "description": "two clauses",\n  "group": "Z2",\n  "structure": "chain",'
    path.write_text(pretty(native, head=head))
    assert [r.id for r in read_records(path)] == ["s1"]
    # Kazemnejad et al. records are theirs: read with whatever else their pipeline adds.
    kaz = {"clauses": ["a = +1", "b = - a"], "truth_values": [["a", "1"], ["b", "0"]], "query": "b", "cat": [2, 1], "source": "x"}
    data = tmp_path / "kaz.jsonl"
    data.write_text(json.dumps(kaz) + "\n")
    assert len(list(read_records(data))) == 1


def test_the_library_reader_streams_an_empty_file_unless_asked(tmp_path):
    path = tmp_path / "empty.jsonl"
    path.write_text("")
    assert list(read_records(path)) == []
    with pytest.raises(Exception, match=f"no records in {path}"):
        list(read_records(path, require=True))
