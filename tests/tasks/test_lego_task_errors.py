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
KAZ = json.dumps({"clauses": ["a = +1", "b = - a"], "truth_values": [["a", "1"], ["b", "0"]], "query": "b", "cat": [2, 1]})


def pretty(*records: str, head: str = '"family": "lego",\n  "group": "Z2",') -> str:
    """A task file written one record a line, as `synth gen lego --format task` writes it: the first record is on line 5."""
    return "{\n  " + head + '\n  "train": [\n' + ",\n".join("    " + r for r in records) + "\n  ]\n}\n"


CASES = {
    # name: (file name, content, where the error is ("" for no line), words in the message)
    "task key": ("task.json", '{"family":"lego","group":"Z2","strcture":"tree","tets":[],"train":[' + RECORD + "]}\n", ":1:42",
                 'unknown key "strcture" (a LEGO task file has family, name, description, group, structure, train, test); did you mean "structure"?'),
    "task key, pretty": ("task.json", pretty(RECORD, head='"family": "lego",\n  "tset": [],'), ":3:11", 'unknown key "tset"'),
    # Before: accepted, and the tab broke every table that names the task.
    "name of two words and a tab": ("task.json", pretty(RECORD, head='"family": "lego",\n  "name": "z2\\tchain",'), ":3:11",
                                    '"name" must be one line of printable text, not "z2\\tchain"'),
    "record key in a task file": ("task.json", pretty(RECORD, RECORD.replace('"labels"', '"lables"')), ":6:57",
                                  'train record 2: unknown key "lables" (a record has sentence, labels, id, query); did you mean "labels"?'),
    "record key in JSONL": ("data.jsonl", RECORD + "\n" + RECORD.replace('"labels"', '"lables"') + "\n", ":2:53",
                            'unknown key "lables" (a record has sentence, labels, id, query); did you mean "labels"?'),
    "record key after spaces": ("data.jsonl", "   " + RECORD.replace('"labels"', '"labls"') + "\n", ":1:55", 'did you mean "labels"?'),
    "unknown structure": ("task.json", pretty(RECORD, head='"family": "lego",\n  "structure": "ring",'), ":3:16",
                          'unknown structure "ring" (known: chain, tree)'),
    "empty train": ("task.json", '{"family": "lego", "group": "Z2", "train": []}\n', ":1:44", "the task has no training records"),
    "no train": ("task.json", '{"family": "lego", "group": "Z2", "test": [' + RECORD + "]}\n", ":1:1", 'the task has no training records (no "train" list)'),
    "Kazemnejad key misspelt": ("data.jsonl", KAZ.replace('"query"', '"querry"') + "\n", ":1:88",
                                'unknown key "querry" (a Kazemnejad record has clauses, truth_values, query, cat, id); did you mean "query"?'),
    "Kazemnejad key unknown": ("data.jsonl", KAZ + "\n" + KAZ.replace("}", ', "extra": 1}') + "\n", ":2:116",
                               'unknown key "extra" (a Kazemnejad record has clauses, truth_values, query, cat, id)'),
    # Audit: "cat" was never read, so one that contradicts its record was accepted.
    "Kazemnejad cat not a pair": ("data.jsonl", KAZ.replace("[2, 1]", '"x"') + "\n", ":1:99",
                                  '"cat" must be [number of clauses, the query\'s chain position from 0], not "x"'),
    "Kazemnejad cat off": ("data.jsonl", KAZ.replace("[2, 1]", "[2, 0]") + "\n", ":1:99",
                           '"cat" is [2, 0] but the record has 2 clauses and its query "b" is at chain position 1 (from 0): [2, 1]'),
    "Kazemnejad cat without a query": ("data.jsonl", KAZ.replace('"query": "b", ', "") + "\n", ":1:85",
                                       '"cat" is given without a "query"'),
    "empty file": ("data.jsonl", "", "", "no records in {path}"),
    "blank file": ("data.txt", "\n  \n", "", "no records in {path}"),
    "no labels in a task file": ("task.json", pretty(json.dumps({"sentence": SENTENCE})), ":4:12", "no labelled variable in the training records"),
}


def record(**changes: object) -> str:
    """RECORD with keys changed (a value of ... drops the key)."""
    obj = {"sentence": SENTENCE, "labels": {"a": 1, "b": 0}}
    obj.update(changes)
    return json.dumps({k: v for k, v in obj.items() if v is not ...})


def kazemnejad(**changes: object) -> str:
    obj: dict = {"clauses": ["a = +1", "b = - a"], "truth_values": [["a", "1"], ["b", "0"]]}
    obj.update(changes)
    return json.dumps(obj)


def head(group: str = '"Z2"', **more: str) -> str:
    return '"family": "lego",' + "".join(f'\n  "{k}": {v},' for k, v in more.items()) + f'\n  "group": {group},'


S3_RECORD = json.dumps({"sentence": "k = S3:e; u = (12) k;", "labels": {"k": "e", "u": "(12)"}})

# Each error class a user can hit with a LEGO task file, at the line and column of the offending value.
# In `pretty` files the head is on lines 2-3 (4 with one more key), "train" on the line after, and
# its records one a line from there: with the two-line head, record 2 is on line 6.
LOCATED = {
    # the file's own keys
    "family not a string": (pretty(RECORD, head='"family": 3,\n  "group": "Z2",'), ":2:13", '"family" must be a string'),
    "unknown family": (pretty(RECORD, head='"family": "legoo",\n  "group": "Z2",'), ":2:13", 'unknown task family "legoo"'),
    "unknown group": (pretty(RECORD, head=head('"Q7"')), ":3:12", 'unknown group "Q7"'),
    "group not a string": (pretty(RECORD, head=head("5")), ":3:12", '"group" must be a string such as "Z2" or "S3", not a number'),
    "group too large": (pretty(RECORD, head=head('"Z99999999999"')), ":3:12", "group Z99999999999 is too large"),
    "name not a string": (pretty(RECORD, head=head(name="[1]")), ":3:11", '"name" must be a string, not a list'),
    "description not a string": (pretty(RECORD, head=head(description="3")), ":3:18", '"description" must be a string, not a number'),
    "structure not a name": (pretty(RECORD, head=head(structure='["chain"]')), ":3:16", 'unknown structure ["chain"]'),
    "train not a list": ('{\n  "family": "lego",\n  "train": {"a": 1}\n}\n', ":3:12", '"train" must be a list of records, not an object'),
    "train null": ('{\n  "family": "lego",\n  "train": null\n}\n', ":3:12", "the task has no training records"),
    "test not a list": ('{\n  "family": "lego",\n  "train": [\n    ' + RECORD + '\n  ],\n  "test": "abc"\n}\n', ":6:11",
                        '"test" must be a list of records, not a string'),
    "typo for train, no family": ('{\n  "group": "Z2",\n  "trian": [\n    ' + RECORD + "\n  ]\n}\n", ":3:12",
                                  'unknown key "trian" (a LEGO task file has family, name, description, group, structure, train, test); did you mean "train"?'),
    # a record's shape
    "record not an object": (pretty(RECORD, "[1, 2]"), ":6:5", "train record 2: a record must be a JSON object, not a list"),
    "unrecognised record": (pretty(RECORD, '{"foo": 1}'), ":6:5", "train record 2: unrecognised record"),
    "sentence not a string": (pretty(RECORD, record(sentence=5)), ":6:18", 'train record 2: "sentence" must be a string, not a number'),
    "labels not an object": (pretty(RECORD, record(labels=[1, 2])), ":6:57", 'train record 2: "labels" must be an object mapping variables to values, not a list'),
    "id not a string": (pretty(RECORD, record(id=[1])), ":6:81", 'train record 2: "id" must be a string or a number, not a list'),
    "query not a string": (pretty(RECORD, record(query=5)), ":6:84", 'train record 2: "query" must be a variable name (a string), not a number'),
    # clause text and sentence structure
    "bad clause text": (pretty(RECORD, record(sentence="a = val 1 , b = zap a , ")), ":6:18", 'train record 2: clause 2: unknown modifier "zap"'),
    "malformed readable clause": (pretty(RECORD, record(sentence="a = e ; b = r * a")), ":6:18", 'train record 2: clause 1: malformed clause "a = e"'),
    "unknown element in a clause": (pretty(json.dumps({"sentence": "k = S3:e; u = (13) k;", "labels": {"k": "e"}}), head=head('"S3"')), ":5:18",
                                    'train record 1: clause 2: unknown element "(13)" of group S3'),
    "undefined variable": (pretty(RECORD, record(sentence="a = val 1 , b = not c , ")), ":6:18", 'train record 2: clause 2: variable "c" is used but never defined'),
    "variable defined twice": (pretty(RECORD, record(sentence="a = val 1 , a = not a , ")), ":6:18", 'train record 2: clause 2: variable "a" is defined twice'),
    "no root": (pretty(RECORD, record(sentence="a = not b , b = not a , ")), ":6:18", "train record 2: no root literal"),
    "two roots": (pretty(RECORD, record(sentence="a = val 1 , b = val 0 , ")), ":6:18", "train record 2: clause 2: more than one root literal"),
    "sentence over another group": (pretty(RECORD, head=head('"S3"')), ":5:18", "train record 1: sentence is over Z2, but the task is over S3"),
    "records over two groups": (pretty(RECORD, S3_RECORD, head='"family": "lego",'), ":5:18",
                                "train record 2: sentence is over S3, but train record 1 is over Z2"),
    # label values
    "unknown label value": (pretty(RECORD, record(labels={"a": 7})), ":6:63", 'train record 2: unknown element "7" of group Z2 in the labels'),
    "label value null": (pretty(RECORD, record(labels={"a": None})), ":6:63", "train record 2: label value null is not a value of the official notation"),
    "sign label in official data": (pretty(RECORD, record(sentence="a = +1 , b = -a", labels={"a": 0})), ":6:53",
                                    "train record 2: label value 0 is not a value of the signs notation"),
    "label for an undefined variable": (pretty(RECORD, record(labels={"a": 1, "z": 0})), ":6:71", 'train record 2: label for "z", which the sentence does not define'),
    "label contradicts the sentence": (pretty(RECORD, record(labels={"a": 1, "b": 1})), ":6:71",
                                       "train record 2: clause 2: label b = 1 contradicts the sentence, which gives b = 0"),
    "query not a variable": (pretty(RECORD, record(query="zz")), ":6:84", 'train record 2: query "zz" is not a variable of the sentence'),
    "bad label in a test record": ('{\n  "family": "lego",\n  "train": [\n    ' + RECORD + '\n  ],\n  "test": [\n    ' + record(labels={"a": 7}) + "\n  ]\n}\n",
                                   ":7:63", 'test record 1: unknown element "7"'),
    # Kazemnejad et al. records
    "clauses not a list": (pretty(RECORD, kazemnejad(clauses=5)), ":6:17", 'train record 2: "clauses" must be a list of strings, not a number'),
    "bad sign clause": (pretty(RECORD, kazemnejad(clauses=["a = +1", "b = * a"])), ":6:28", 'train record 2: clause 2: malformed clause "b = * a"'),
    "bad truth value": (pretty(RECORD, kazemnejad(truth_values=[["a", "1"], ["b", "2"]])), ":6:69", 'train record 2: bad truth value ["b", "2"]'),
    "conflicting truth values": (pretty(RECORD, kazemnejad(truth_values=[["a", "1"], ["a", "0"]])), ":6:69", 'train record 2: conflicting labels for "a"'),
    "truth value of an undefined variable": (pretty(RECORD, kazemnejad(truth_values=[["a", "1"], ["z", "0"]])), ":6:69",
                                             'train record 2: label for "z", which the sentence does not define'),
    "a tree in a chain task": (pretty(RECORD, record(sentence="a = val 1 , b = not a , c = val a , ", labels={"a": 1}), head=head(structure='"chain"')), ":7:18",
                               'train record 2: clause 3: the task says "structure": "chain", but a is the operand of clauses 2 and 3 (a tree: say "structure": "tree")'),
    "a tree of Kazemnejad clauses in a chain task": (pretty(RECORD, kazemnejad(clauses=["a = +1", "b = - a", "c = + a"], truth_values=[["a", "1"]]),
                                                            head=head(structure='"chain"')), ":7:39", "train record 2: clause 3: the task says"),
    "Kazemnejad key misspelt": (pretty(RECORD, kazemnejad(querry="b")), ":6:92",
                                'train record 2: unknown key "querry" (a Kazemnejad record has clauses, truth_values, query, cat, id); did you mean "query"?'),
    "truth value contradicts": (pretty(RECORD, kazemnejad(truth_values=[["a", "1"], ["b", "1"]])), ":6:69", "train record 2: clause 2: label b = \"1\" (+1) contradicts the sentence, which gives b = \"0\" (-1)"),
    # the layout: a record over several lines, records on one line, the whole file on one line
    "sentence of a record over lines": ('{\n  "family": "lego",\n  "train": [\n    {\n      "sentence": "a = val 1 , b = zap a , ",\n      "labels": {"a": 1}\n    }\n  ]\n}\n',
                                        ":5:19", 'train record 1: clause 2: unknown modifier "zap"'),
    "label of a record over lines": ('{\n  "family": "lego",\n  "train": [\n    {\n      "sentence": "a = val 1 , b = not a , ",\n      "labels": {"a": 7}\n    }\n  ]\n}\n',
                                     ":6:23", 'train record 1: unknown element "7"'),
    "two records on a line": ('{\n  "family": "lego",\n  "train": [\n    ' + RECORD + ", " + record(labels={"a": 7}) + "\n  ]\n}\n", ":4:134",
                              'train record 2: unknown element "7"'),
    "a file on one line": ('{"family": "lego", "train": [' + RECORD + ", " + record(labels={"a": 7}) + "]}\n", ":1:159", 'train record 2: unknown element "7"'),
    # JSON that is refused, at the offending spot
    "broken JSON": (pretty(RECORD, RECORD + ","), ":7:3", "broken JSON"),
    "key twice": (pretty(RECORD, '{"sentence": "a = val 1 , ", "sentence": "a = val 0 , ", "labels": {}}'), ":6:34",
                  'the key "sentence" appears twice in one object, with different values'),
    "group twice": (pretty(RECORD, head='"family": "lego",\n  "group": "Z2",\n  "group": "S3",'), ":4:3", 'the key "group" appears twice'),
    "NaN": (pretty(RECORD, '{"sentence": "a = val 1 , ", "labels": {"a": NaN}}'), ":6:50", "NaN is not a JSON number"),
    "number too long": (pretty(RECORD, '{"sentence": "a = val 1 , ", "labels": {"a": ' + "1" * 1001 + "}}"), ":6:50", "a number of 1,001 digits"),
    "nested too deep": (pretty(RECORD, '{"sentence": "a = val 1 , ", "labels": {"a": ' + "[" * 300 + "]" * 300 + "}}"), ":6:246", "JSON nested 304 deep"),
    "not UTF-8": (pretty(RECORD, RECORD.replace("b = not", "\xe9 = not")).encode("latin-1"), ":6:32", "not UTF-8 text: byte 0xe9"),
}


@pytest.mark.parametrize("command", ["solve", "validate"])
@pytest.mark.parametrize("case", sorted(LOCATED))
def test_every_lego_task_file_error_names_its_line(case, command, tmp_path):
    """One message, `file:line:column: message`, exit status 2: a test fails if the position is dropped or wrong."""
    content, where, words = LOCATED[case]
    path = tmp_path / "task.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    result = CliRunner().invoke(main, [command, str(path)])
    assert result.exit_code == 2, result.output
    errors = [x for x in result.stderr.splitlines() if x.startswith("error:")]
    assert len(errors) == 1, result.stderr
    assert errors[0].startswith(f"error: {path}{where}: "), errors[0]
    assert words in errors[0], errors[0]
    assert "Traceback" not in result.output


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
    # Kazemnejad et al. records: the keys their generator writes (make_lego_dataset.py), and "id"; another is refused as in native records
    kaz = {"clauses": ["a = +1", "b = - a"], "truth_values": [["a", "1"], ["b", "0"]], "query": "b", "cat": [2, 1], "id": "k1"}
    data = tmp_path / "kaz.jsonl"
    data.write_text(json.dumps(kaz) + "\n")
    assert [(r.id, r.query) for r in read_records(data)] == [("k1", "b")]


def test_the_library_reader_streams_an_empty_file_unless_asked(tmp_path):
    path = tmp_path / "empty.jsonl"
    path.write_text("")
    assert list(read_records(path)) == []
    with pytest.raises(Exception, match=f"no records in {path}"):
        list(read_records(path, require=True))


TREE = record(sentence="a = val 1 , b = not a , c = val a , ", labels={"a": 1, "b": 0, "c": 1})


@pytest.mark.parametrize("structure", ['"structure": "tree",', ""])
def test_a_tree_is_read_where_the_task_does_not_say_chain(structure, tmp_path):
    """A chain is a tree, so "tree" takes chains and trees; without "structure" the records say which (tasks.lego.family)."""
    path = tmp_path / "task.json"
    path.write_text(pretty(RECORD, TREE, head=head(**({"structure": '"tree"'} if structure else {}))))
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    from tasks.task import load_task

    assert load_task(str(path)).spec.structure == "tree"


def test_every_bundled_lego_file_loads():
    """The structure check refuses none of the LEGO task files we ship."""
    from pathlib import Path

    from tasks.task import load_task

    root = Path(__file__).resolve().parents[2]
    files = [p for d in ("examples", "synth/data") for p in sorted((root / d).rglob("*.json")) if '"family": "lego"' in p.read_text()[:400]]
    assert files
    for p in files:
        assert load_task(str(p)).family == "lego", p
