"""One test per bad open task file: one message with file, line and the example, and exit 2."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from dsl.errors import UserError
from dsl.types import SYM, ListT
from synth.cli import main
from tasks.families import load_task
from tasks.open.infer import infer_type

GOOD = '{"input": {"xs": [1, 2]}, "output": 2}'


def lines(*examples: str, head: str = '"name": "t",', test: tuple[str, ...] = ()) -> str:
    """A task file with one example a line: the first training example is on line 4 (after `head`)."""
    return "\n".join(["{", "  " + head, '  "train": [', ",\n".join("    " + e for e in examples), "  ],",
                      '  "test": [', ",\n".join("    " + e for e in test), "  ]", "}"]) + "\n"


SIG = '"signature": {"inputs": {"xs": "List[Int]"}, "output": "Int"},'

CASES = {
    # name: (file content, line of the error, words in the message, text of the example shown or None)
    "mixed list": (lines(GOOD, '{"input": {"xs": [1, "a"]}, "output": 1}'), 5, "input xs: a list mixes Int and Sym", '[1, "a"]'),
    "input names differ": (lines(GOOD, GOOD, '{"input": {"ys": [1]}, "output": 1}'), 6, "inputs ys, but train example 1 has xs", '{"ys": [1]}'),
    "input types differ": (lines(GOOD, '{"input": {"xs": [true]}, "output": 1}'), 5, "input xs is List[Bool], but train example 1 gives List[Int]", "[true]"),
    "output types differ": (lines(GOOD, '{"input": {"xs": [3]}, "output": [3]}'), 5, "output is List[Int], but train example 1 gives Int", None),
    "output against signature": (lines(GOOD, '{"input": {"xs": [3]}, "output": "big"}', head=SIG), 5, 'output: expected an integer, got "big" (the signature says Int)', '"big"'),
    "input against signature": (lines('{"input": {"xs": [1, "a"]}, "output": 1}', head=SIG), 4, "input xs[1]: expected an integer", None),
    "names against signature": (lines(GOOD, '{"input": {"xs": [1], "k": 2}, "output": 1}', head=SIG), 5, "inputs xs, k, but the signature declares xs", None),
    "signature does not parse": (lines(GOOD, head='"signature": {"inputs": {"xs": "List[Int"}, "output": "Int"},'), "2:43", 'the type of the input xs, "List[Int", does not parse: syntax error', None),
    "unknown type in signature": (lines(GOOD, head='"signature": {"inputs": {"xs": "List[Strng]"}, "output": "Int"},'), 2, "unknown type 'Strng'", None),
    "signature shape": (lines(GOOD, head='"signature": {"xs": "List[Int]"},'), 2, 'the signature is {"inputs"', None),
    "empty train": (lines(), 3, '"train" is empty', None),
    "same input, different outputs": (lines(GOOD, '{"input": {"xs": [5]}, "output": 5}', '{"input": {"xs": [1, 2]}, "output": 1}'), 6,
                                      "train example 3 has the same input as train example 1 (line 4) but output 1, not 2", None),
    "same input across splits": (lines(GOOD, test=('{"input": {"xs": [1, 2]}, "output": 7}',)), 7, "test example 1 has the same input as train example 1", None),
    "unknown top-level key": (lines(GOOD, head='"tset": [],'), 2, 'unknown key "tset"', None),
    "train not a list": ('{\n  "train": {"input": {"xs": [1]}, "output": 1}\n}\n', 2, '"train" must be a list', None),
    "example not an object": (lines(GOOD, "[1, 2]"), 5, "train example 2: an example is an object", "[1, 2]"),
    "example without output": (lines(GOOD, '{"input": {"xs": [1]}}'), 5, 'missing "output"', None),
    "example with a stray key": (lines(GOOD, '{"input": {"xs": [1]}, "output": 1, "note": "x"}'), 5, 'unknown key "note"', None),
    "input not an object": (lines(GOOD, '{"input": [1], "output": 1}'), 5, '"input" must be an object', None),
    "input name not a DSL name": (lines('{"input": {"my list": [1]}, "output": 1}'), 4, '"my list" is not a DSL name', None),
    "fraction": (lines(GOOD, '{"input": {"xs": [1.5]}, "output": 1}'), 5, "1.5 is not an integer", None),
    "null": (lines(GOOD, '{"input": {"xs": [1]}, "output": null}'), 5, "null is not a DSL value", None),
    "always-empty list": (lines('{"input": {"xs": []}, "output": 0}'), 4, "the input xs is List[?] in every example", None),
    "name not a string": (lines(GOOD, head='"name": 3,'), 2, '"name" must be a non-empty string', None),
    # Before: accepted, and the newline broke every table that names the task (suite report, validate's summary).
    "name of two lines": (lines(GOOD, head='"name": "par\\nity",'), 2, '"name" must be one line of printable text, not "par\\nity"', None),
    "unknown family": (lines(GOOD, head='"family": "lgeo",'), "2:13", 'unknown task family "lgeo"', None),
}


@pytest.mark.parametrize("command", ["solve", "validate"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_open_task_file(case, command, tmp_path):
    content, line, words, shown = CASES[case]
    path = tmp_path / "task.json"
    path.write_text(content)
    result = CliRunner().invoke(main, [command, str(path)])
    assert result.exit_code == 2, result.output
    err = result.stderr
    assert sum(1 for x in err.splitlines() if x.startswith("error:")) == 1, err
    assert (f"{path}:{line}:" if line else f"{path}: ") in err, err
    assert words in err, err
    if shown is not None:
        assert shown in err.splitlines()[-1], err  # the offending example, on the line after the message
    assert "Traceback" not in result.output + err


def test_the_examples_shown_is_the_offending_one(tmp_path):
    path = tmp_path / "t.json"
    path.write_text(CASES["mixed list"][0])
    err = CliRunner().invoke(main, ["solve", str(path)]).stderr
    assert err.splitlines()[-1].strip() == json.dumps({"input": {"xs": [1, "a"]}, "output": 1})


def test_broken_json_names_line_and_column(tmp_path):
    path = tmp_path / "t.json"
    path.write_text('{\n  "name": "t",\n  "train": [\n    {"input": {"xs": [1]}, "output": 1}\n    {"input": {"xs": [2]}, "output": 2}\n  ]\n}\n')
    result = CliRunner().invoke(main, ["solve", str(path)])
    assert result.exit_code == 2 and f"{path}:5:5: broken JSON" in result.stderr


def test_not_utf8_is_one_error(tmp_path):
    path = tmp_path / "t.json"
    path.write_bytes(b'{\n  "name": "t\xff",\n  "train": []\n}\n')
    result = CliRunner().invoke(main, ["solve", str(path)])
    assert result.exit_code == 2 and f"{path}:2:" in result.stderr and "not UTF-8" in result.stderr


def test_a_byte_order_mark_is_skipped(tmp_path):
    path = tmp_path / "t.json"
    path.write_bytes(b"\xef\xbb\xbf" + lines(GOOD).encode())
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 0 and "(open, task)" in result.output, result.output + result.stderr


def test_nesting_past_the_limit_is_refused(tmp_path):
    path = tmp_path / "t.json"
    deep = "[" * 300 + "]" * 300
    path.write_text('{\n  "train": [{"input": {"xs": ' + deep + '}, "output": 1}]\n}\n')
    result = CliRunner().invoke(main, ["solve", str(path)])
    assert result.exit_code == 2 and "nested" in result.stderr and "Traceback" not in result.output


# -- a misspelt group element (audit #22) ------------------------------------------


@pytest.mark.parametrize("text, pos, value", [
    ('{"train": [\n  {"input": {"xs": ["S3:(012)", "S3:(0123)"]}, "output": 1}\n]}\n', "2:33", "S3:(0123)"),
    ('{"train": [{"input": {"x": {"a": "Z5:7"}}, "output": "Z5:1"}]}\n', "1:34", "Z5:7"),
    ('{"train": [{"input": {"x": 1}, "output": "D4:r9"}]}\n', "1:42", "D4:r9"),
    ('{"train": [{"input": {"x": 1}, "output": 1}], "test": [{"input": {"x": 2}, "output": "S3:(0)"}]}\n', "1:86", "S3:(0)"),
])
def test_a_string_that_starts_as_a_group_element_but_is_none_is_refused(tmp_path, text, pos, value):
    """Before: "S3:(0123)" silently became a Sym; now it is refused where it is, with the fix."""
    path = tmp_path / "t.json"
    path.write_text(text)
    with pytest.raises(UserError) as caught:
        load_task(path)
    message = str(caught.value)
    assert message.startswith(f"{path}:{pos}: ") and f'"{value}" starts with the group {value.split(":")[0]} but is not one of its elements' in message
    assert 'a "signature" that declares this value Sym' in message


@pytest.mark.parametrize("value", ["A1:B2", "C3:C9", "D4:D10", "S3:S9", "D4:x", "S3:e2", "Z5:a"])
def test_a_string_not_shaped_like_its_groups_elements_stays_a_symbol(value):
    """Before: spreadsheet ranges such as "D4:D10" were refused as misspelt elements of D4."""
    assert infer_type(value) == SYM
    assert infer_type([value, "B1:B3"]) == ListT(SYM)


@pytest.mark.parametrize("value", ["Z10:30", "D4:r5", "S3:(0123)", "Z5:-1"])
def test_a_string_shaped_like_an_element_but_none_is_still_refused(value):
    with pytest.raises(UserError, match="but is not one of its elements"):
        infer_type(value)


def test_an_element_of_a_cyclic_group_beyond_the_dsls_says_so():
    """Before: `is not one of its elements (group Z9999999 is too large ...)`: as if the group had elements."""
    with pytest.raises(UserError) as caught:
        infer_type("Z9999999:1")
    message = caught.value.message
    assert "reads as an element of Z9999999, but group Z9999999 is too large (Z<n> needs n <= 1,000,000)" in message
    assert "not one of its elements" not in message and "declares this value Sym" in message


def test_a_signature_declaring_sym_keeps_such_strings_symbols(tmp_path):
    path = tmp_path / "t.json"
    path.write_text(json.dumps({"signature": {"inputs": {"xs": "List[Sym]"}, "output": "Sym"},
                                "train": [{"input": {"xs": ["S3:(0123)", "Z5:7"]}, "output": "Z5:7"}]}))
    task = load_task(path)
    assert task.input_types == (("xs", ListT(SYM)),) and task.output_type == SYM
