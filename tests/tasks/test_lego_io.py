"""Record files: auto-detection of every format, task files, skipping bad records."""

from __future__ import annotations

import io
import json

import pytest

import synth
from dsl.errors import UserError
from tasks.lego.errors import LegoDataError
from tasks.lego.generate import generate
from tasks.lego.io import check_record, read_records, read_task_file, task_file_object, write_records, write_task_file
from tasks.lego.sentence import LegoRecord
from tasks.lego.syntax import parse_sentence


def test_single_line_and_pretty_task_files_are_detected(tmp_path):
    train, test = generate(6, 3, 0), generate(12, 2, 1)
    obj = task_file_object(train, test, group="Z2")
    for name, text in (("one.json", json.dumps(obj)), ("pretty.json", json.dumps(obj, indent=2))):
        path = tmp_path / name
        path.write_text(text)
        meta, tr, te = read_task_file(path)
        assert meta["group"] == "Z2" and [r.sentence for r in tr] == [r.sentence for r in train]
        assert [dict(r.labels) for r in te] == [dict(r.labels) for r in test]


def test_reader_reports_format_and_syntax():
    buf = io.StringIO()
    write_records(generate(5, 4, 0, group="D4"), "jsonl", buf)
    reader = read_records(io.StringIO(buf.getvalue()))
    assert len(list(reader)) == 4 and reader.format == "jsonl" and reader.syntaxes == {"readable": 4}
    buf = io.StringIO()
    write_records(generate(5, 4, 0), "kazemnejad", buf)
    reader = read_records(io.StringIO(buf.getvalue()))
    assert len(list(reader)) == 4 and reader.format == "kazemnejad"


def test_skip_bad_calls_back_with_located_errors():
    lines = "a = +1; b = -a;\na = +1; b = -q;\n{oops\na = +1; b = +a;\n"
    seen = []
    reader = read_records(io.StringIO(lines), skip_bad=True, on_skip=seen.append)
    assert len(list(reader)) == 2
    assert [e.line for e in seen] == [2, 3] and seen[0].clause == 2 and seen[0].kind == "undefined"


def test_task_file_bytes_are_stable(tmp_path):
    recs = generate(6, 3, 0, group="S3", structure="tree")
    a, b = io.StringIO(), io.StringIO()
    write_task_file(recs, recs[:1], a, group="S3", structure="tree")
    write_task_file(recs, recs[:1], b, group="S3", structure="tree")
    assert a.getvalue() == b.getvalue() and a.getvalue().count("\n") == 13


def test_a_task_file_says_what_structure_its_records_have(tmp_path):
    """The writer and the reader agree: trees are written as "tree" (and read back), never as the reader-refused "chain"."""
    import pytest

    from dsl.errors import UserError

    chains, trees = generate(6, 3, 0), generate(8, 20, 1, structure="tree")
    assert task_file_object(chains)["structure"] == "chain" and task_file_object(trees, chains)["structure"] == "tree"
    path = tmp_path / "trees.json"
    with open(path, "w") as f:
        write_task_file(trees, chains, f)
    meta, tr, _ = read_task_file(path)
    assert meta["structure"] == "tree" and [r.sentence for r in tr] == [r.sentence for r in trees]
    with pytest.raises(UserError, match="cannot be written as"):
        task_file_object(trees, structure="chain")
    assert task_file_object(chains, structure="tree")["structure"] == "tree"  # a chain is a tree


def _error_of(text: str) -> str:
    """The message of the LegoDataError reading `text` (one record file) raises."""
    with pytest.raises(LegoDataError) as info:
        list(read_records(io.StringIO(text)))
    return info.value.message


def test_contradicting_label_is_shown_in_the_notation_the_user_wrote():
    # A signs record: label -1 against "a = +1" (Z2's element names would say "label a = 1 ... gives a = 0").
    signs = _error_of('{"sentence": "a = +1; b = -a", "labels": {"a": -1}}\n')
    assert "label a = -1 contradicts the sentence, which gives a = +1" in signs
    text = _error_of("a = +1; b = -a\tb=+1\n")
    assert "label b = +1 contradicts the sentence, which gives b = -1" in text
    official = _error_of("a = val 1 , b = not a ,\ta=0\n")
    assert "label a = 0 contradicts the sentence, which gives a = 1" in official
    # Kazemnejad truth value "0" is -1.
    kaz = _error_of('{"clauses": ["n = +1", "d = - n"], "truth_values": [["n", "0"]]}\n')
    assert 'label n = "0" (-1) contradicts the sentence, which gives n = "1" (+1)' in kaz
    # A chain task file checks forks first, through the same message.
    task = {"family": "lego", "structure": "chain", "train": [{"sentence": "a = +1; b = -a; c = +a", "labels": {"a": -1}}]}
    assert "label a = -1 contradicts" in _error_of(json.dumps(task))


def test_conflicting_text_labels_are_shown_in_their_notation():
    assert 'conflicting labels for "a": +1 and -1' in _error_of("a = +1; b = -a\ta=+1 a=-1\n")
    kaz = '{"clauses": ["n = +1"], "truth_values": [["n", "1"], ["n", "0"]]}\n'
    assert 'conflicting labels for "n": "1" (+1) and "0" (-1)' in _error_of(kaz)


def test_check_record_speaks_the_notation_given_or_kept():
    with pytest.raises(LegoDataError, match=r"label a = -1 contradicts the sentence, which gives a = \+1"):
        synth.record("a = +1; b = -a", labels={"a": -1})  # the record keeps its notation (signs)
    sentence, _ = parse_sentence("a = +1; b = -a")
    rec = LegoRecord(sentence, {"a": sentence.group.element("1")})
    with pytest.raises(LegoDataError, match="label a = 1 contradicts the sentence, which gives a = 0"):
        check_record(rec)  # a bare record: Z2's default notation, 0/1
    with pytest.raises(LegoDataError, match=r"label a = -1 contradicts the sentence, which gives a = \+1"):
        check_record(rec, "signs")
    with pytest.raises(UserError, match="syntax must be one of official, signs, readable, kazemnejad .*not 'sign'"):
        check_record(rec, "sign")


@pytest.mark.parametrize("text, what", [
    ("5", "a JSON number"), ("null\n", "JSON null"), ('"hello"', "a JSON string"),
    ('"a = val 1 , b = not a ,"', "a JSON string"), ("true", "a JSON boolean"), ("\n -2.5 \n\n", "a JSON number"),
    ("NaN", "a JSON number (NaN, which JSON itself does not allow)"), ("-Infinity", "a JSON number (-Infinity, which JSON itself does not allow)"),  # audit 8 H9
])
def test_a_file_holding_one_json_scalar_is_named_for_what_it_is(tmp_path, text, what):
    """Before, a JSON scalar went to the sentence reader: "no root literal" or a malformed clause."""
    from click.testing import CliRunner

    from synth.cli import main
    from tasks.task import load_task

    path = tmp_path / "x.json"
    path.write_text(text)
    line = 2 if text.startswith("\n") else 1
    expected = f"{path}:{line}: {what}, not a task file or records: a task file is one JSON object"
    with pytest.raises(LegoDataError) as caught:
        list(read_records(path))
    assert str(caught.value).startswith(expected)
    with pytest.raises(UserError) as loaded:  # `solve`'s reader
        load_task(path)
    assert str(loaded.value).startswith(expected)
    program = tmp_path / "p.dsl"
    program.write_text(
        "input clauses: List[{lhs: Sym, op: Elem, rhs: Sym, root: Bool}]\n"
        "forall c in clauses: val[c.lhs] = c.op * (if c.root then Z2:0 else val[c.rhs])\n"
    )
    for args in (["validate", str(path)], ["eval", str(program), str(path)]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 2 and f"error: {expected}" in result.output, result.output


def test_a_text_file_whose_first_line_is_a_number_is_read_as_sentences(tmp_path):
    """Audit 8 H9: a .txt file holds sentences, so its first line is not taken as JSON ("a record must be a JSON object")."""
    path = tmp_path / "s.txt"
    path.write_text("3\na = val 1 , b = not a ,\n")
    with pytest.raises(LegoDataError) as caught:
        list(read_records(path))
    assert "JSON" not in str(caught.value) and str(caught.value).startswith(f"{path}:1:")


def test_jsonl_of_scalars_names_the_record(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text("5\n6\n")
    with pytest.raises(LegoDataError, match="d.jsonl:1: a record must be a JSON object, not a number"):
        list(read_records(path))


def test_kazemnejad_output_invents_no_query_for_a_record_without_one(tmp_path):
    """Before, a record without a query got its deepest labelled variable as "query" (and a "cat" for it)."""
    from click.testing import CliRunner

    from synth.cli import main
    from tasks.lego.io import record_to_kazemnejad

    records = generate(6, 3, 0)
    assert all(r.query is None for r in records)
    for r in records:
        assert "query" not in record_to_kazemnejad(r) and "cat" not in record_to_kazemnejad(r)
    asked = LegoRecord(records[0].sentence, records[0].labels, "q", records[0].sentence.clauses[-1].lhs)
    kept = record_to_kazemnejad(asked)
    assert kept["query"] == asked.query and kept["cat"][0] == 6
    buf = io.StringIO()
    write_records([*records, asked], "kazemnejad", buf)
    back = list(read_records(io.StringIO(buf.getvalue())))
    assert [r.query for r in back] == [None, None, None, asked.query]
    assert [dict(r.labels) for r in back] == [dict(r.labels) for r in [*records, asked]]
    data, out = tmp_path / "d.jsonl", tmp_path / "k.jsonl"
    with open(data, "w") as f:
        write_records(records, "jsonl", f)
    result = CliRunner().invoke(main, ["invariance", "transform", str(data), "--format", "kazemnejad", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert not any("query" in json.loads(line) for line in out.read_text().splitlines())


@pytest.mark.parametrize("flag", ["skip_bad", "check", "require"])
def test_a_reader_flag_that_is_no_bool_is_refused(flag):
    """skip_bad="no" would pass for True: a flag must be True or False, and the message names it."""
    with pytest.raises(UserError, match=f"{flag} must be True or False, not str 'no'"):
        read_records(io.StringIO("a = +1; b = -a;\n"), **{flag: "no"})


def test_a_reader_flag_may_be_a_numpy_bool():
    """A training script's flag is often numpy's (`(arr > 0).any()`): np.bool_ is a bool here, a numpy array is not."""
    import numpy as np

    text = "a = +1; b = -a;\nnot a sentence\n"
    kept = read_records(io.StringIO(text), skip_bad=np.True_)
    assert [r.sentence for r in kept] == [r.sentence for r in read_records(io.StringIO(text), skip_bad=True)]
    assert kept.skip_bad is True
    with pytest.raises(UserError, match=r"skip_bad must be True or False, not ndarray array\(\[ True\]\)"):
        read_records(io.StringIO(text), skip_bad=np.array([True]))


def test_a_path_as_bytes_reads_as_the_same_path_does(tmp_path):
    path = tmp_path / "d.txt"
    path.write_text("a = +1; b = -a;\na = -1; b = +a;\n")
    assert [r.sentence for r in read_records(bytes(path))] == [r.sentence for r in read_records(path)]


# Record ids align predictions with records (`synth compare`, `invariance score`): a file whose ids repeat is refused as it is read.
SIGNS = {"sentence": "a = +1; b = -a;", "labels": {"a": 1, "b": -1}}
UNIQUE = "record ids align predictions with records, so they must be unique"


def _jsonl(tmp_path, *records: dict) -> str:
    path = tmp_path / "data.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return str(path)


def test_a_repeated_id_is_refused_at_its_line_naming_the_first():
    """Audit 3: validate and eval took two records with the id "r", and eval -o then wrote predictions compare refused."""
    lines = [json.dumps(dict(SIGNS, id="r")), json.dumps(dict(SIGNS, id="s")), json.dumps(dict(SIGNS, id="r"))]

    def stream():  # reading stays streaming: the error comes at the repeat, before any later line is read
        yield from (line + "\n" for line in lines)
        raise AssertionError("read past the repeated id")

    reader = read_records(stream())
    assert [next(reader).id, next(reader).id] == ["r", "s"]
    with pytest.raises(LegoDataError) as caught:
        next(reader)
    assert str(caught.value) == f'<stream>:3: id "r" again (first on line 1): {UNIQUE}'


@pytest.mark.parametrize(("first", "second", "said"), [
    (5, "5", 'id "5" again (first on line 1 as the number 5; ids are read as strings, so the two differ only in type)'),
    ("5", 5, 'id 5 again (first on line 1 as the string "5"; ids are read as strings, so the two differ only in type)'),
    (5, 5, "id 5 again (first on line 1)"),
    (1.5, "1.5", 'id "1.5" again (first on line 1 as the number 1.5; ids are read as strings, so the two differ only in type)'),
])
def test_ids_that_differ_only_in_type_are_one_id_and_the_message_says_so(tmp_path, first, second, said):
    path = _jsonl(tmp_path, dict(SIGNS, id=first), dict(SIGNS, id=second))
    with pytest.raises(LegoDataError) as caught:
        list(read_records(path))
    assert str(caught.value) == f"{path}:2: {said}: {UNIQUE}"


def test_ids_that_only_look_alike_and_records_without_ids_are_read(tmp_path):
    path = _jsonl(tmp_path, SIGNS, dict(SIGNS, id=1), SIGNS, dict(SIGNS, id=1.0), dict(SIGNS, id="R"), dict(SIGNS, id="r"), SIGNS)
    assert [r.id for r in read_records(path)] == [None, "1", None, "1.0", "R", "r", None]


def test_a_repeated_kazemnejad_id_is_refused_too(tmp_path):
    kaz = {"clauses": ["a = +1", "b = - a"], "truth_values": [["a", "1"], ["b", "0"]]}
    path = _jsonl(tmp_path, dict(kaz, id="k"), dict(kaz, id="k"))
    with pytest.raises(LegoDataError, match=f'data.jsonl:2: id "k" again \\(first on line 1\\): {UNIQUE}'):
        list(read_records(path))


def test_skip_bad_skips_the_repeat_and_keeps_the_first(tmp_path):
    """The id of a record skipped as bad is not taken: the good record after it with that id is the first."""
    bad = dict(SIGNS, labels={"a": 1, "b": 1}, id="q")
    path = _jsonl(tmp_path, dict(SIGNS, id="r"), bad, dict(SIGNS, id="q"), dict(SIGNS, id="r"))
    seen: list[LegoDataError] = []
    assert [r.id for r in read_records(path, skip_bad=True, on_skip=seen.append)] == ["r", "q"]
    assert [e.line for e in seen] == [2, 4] and str(seen[1]) == f'{path}:4: id "r" again (first on line 1): {UNIQUE}'


def test_a_task_file_s_ids_are_unique_within_each_split(tmp_path):
    """Predictions are scored one split at a time (their lines name it), so train and test may share ids; one split may not repeat one."""
    one = json.dumps(dict(SIGNS, id="r"))
    path = tmp_path / "task.json"
    path.write_text('{\n  "family": "lego",\n  "train": [\n    ' + one + '\n  ],\n  "test": [\n    ' + one + ",\n    " + one + "\n  ]\n}\n")
    reader = read_records(path)
    assert next(reader).id == "r" and next(reader).id == "r"
    with pytest.raises(LegoDataError) as caught:
        next(reader)
    assert str(caught.value) == f'{path}:8:5: test record 2: id "r" again (first on line 7): {UNIQUE}'
