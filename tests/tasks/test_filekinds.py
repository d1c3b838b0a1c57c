"""The wrong kind of file where a task or data file is expected: said what it is, and which command takes it.

Before, a DSL program or a TOML spec reached the LEGO text reader ("no root
literal ..."), .npz arrays were "not UTF-8 text", and a task written as a
JSON list was "a record must be a JSON object, not a list".
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given

from dsl.errors import UserError
from tasks.families import load_task, validate_file
from tasks.filekinds import PROGRAM, SPEC, kind_of_line, kind_of_name
from tasks.lego.io import read_records
from tasks.strategies import sentences

ROOT = Path(__file__).resolve().parents[2]
PROGRAM_TEXT = (ROOT / "examples" / "parity.dsl").read_text()
SPEC_TEXT = (ROOT / "synth" / "data" / "chomsky_quick.toml").read_text()


@pytest.mark.parametrize("line,kind", [
    ("input xs: List[Int]", PROGRAM),
    ("  input clauses : List[Clause]", PROGRAM),
    ("type Pair = {a: Int, b: Int}", PROGRAM),
    ("[defaults]", SPEC),
    ("[[generated]]  # the tasks", SPEC),
    ('description = "a sweep"', SPEC),
    ('tasks = ["parity_check"]', SPEC),
    ("a = val 1 ,  b = not a , ", None),
    ("a = +1; b = -a;", None),
    ("input = +1; type = -input", None),
    ("a = S3:(012); b = (01) a", None),
    ('{"sentence": "a = +1"}', None),
    ("[1, 2]", None),
])
def test_a_first_line_tells_a_program_or_a_spec(line, kind):
    assert kind_of_line(line) == kind


@given(sentences())
def test_no_lego_sentence_passes_for_a_program_or_a_spec(sentence):
    from tasks.lego.io import record_to_text
    from tasks.lego.sentence import LegoRecord

    syntax = "official" if sentence.group.name == "Z2" else "readable"
    assert kind_of_line(record_to_text(LegoRecord(sentence, {}), syntax)) is None


@pytest.mark.parametrize("name,kind", [("p.dsl", PROGRAM), ("S.TOML", SPEC), ("a/b.npz", "arrays"), ("t.json", None), ("d.jsonl", None), ("x", None)])
def test_an_extension_tells_the_kind(name, kind):
    assert kind_of_name(name) == kind


@pytest.mark.parametrize("name,text,words", [
    ("found.dsl", PROGRAM_TEXT, ["a DSL program", "synth run", "synth eval PROGRAM DATA"]),
    ("found.txt", PROGRAM_TEXT, ["a DSL program"]),
    ("spec.toml", SPEC_TEXT, ["a suite spec (TOML)", "synth suite run SPEC"]),
    ("spec.cfg", SPEC_TEXT, ["a suite spec (TOML)"]),
    ("spec.txt", "[defaults]\ntimeout = 5\n", ["a suite spec (TOML)"]),
    ("arrays.npz", "PK\x03\x04", ["the LEGO paper's arrays", "synth validate"]),
])
def test_every_reader_says_what_the_file_is(tmp_path, name, text, words):
    path = tmp_path / name
    path.write_text(text)
    for read in (lambda: load_task(path), lambda: list(read_records(path)), lambda: _raise(validate_file(str(path)))):
        with pytest.raises(UserError) as caught:
            read()
        message = str(caught.value)
        assert message.startswith(f"{path}: ") and "no root literal" not in message
        for word in words:
            assert word in message


def _raise(summary) -> None:
    assert summary.errors and summary.records == 0
    raise summary.errors[0]


@pytest.mark.parametrize("text", [
    '[{"input": {"xs": [1, 2]}, "output": 3}]\n',
    '[\n  {"input": {"xs": [1, 2]}, "output": 3}\n]\n',
])
def test_a_task_written_as_a_json_list_gets_the_task_shape(tmp_path, text):
    path = tmp_path / "sum.json"
    path.write_text(text)
    with pytest.raises(UserError) as caught:
        load_task(path)
    message = str(caught.value)
    assert message.startswith(f"{path}:1: a JSON list")
    assert 'a task file is one JSON object with a "train" list' in message and '"output": 3}' in message


def test_jsonl_of_lists_still_names_the_record(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text("[1]\n[2]\n")
    with pytest.raises(UserError, match="d.jsonl:1: a record must be a JSON object, not a list"):
        list(read_records(path))


@pytest.mark.parametrize("name", ["data.txt", "data.jsonl", "task.json", "prog.dsl"])
def test_a_file_is_read_once_to_learn_its_kind(tmp_path, monkeypatch, name):
    """refuse_other_kind opens a file once for its first bytes (it opened most files twice)."""
    from tasks import filekinds

    opened: list[str] = []
    real = filekinds.kind_of_bytes

    def counted(path):
        opened.append(str(path))
        return real(path)

    monkeypatch.setattr(filekinds, "kind_of_bytes", counted)
    path = tmp_path / name
    path.write_text("a = +1; b = -a;\n")
    filekinds.refuse_other_kind(path)
    assert len(opened) == 1
