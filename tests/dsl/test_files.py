"""Contracts of dsl.files: every refusal is a UserError with a place, outputs are atomic."""

from __future__ import annotations

import io
import json
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dsl import files
from dsl.errors import UserError
from dsl.files import atomic_output, iter_lines, load_json, loads_json, read_text, refuse_overwriting_inputs


def test_bom_is_skipped(tmp_path):
    p = tmp_path / "a.json"
    p.write_bytes("\ufeff{\"a\": 1}".encode())
    assert read_text(p) == '{"a": 1}'
    assert load_json(p) == {"a": 1}
    assert [line for _, line in iter_lines(p)] == ['{"a": 1}']


def test_non_utf8_names_line_and_column(tmp_path):
    p = tmp_path / "bad.txt"
    p.write_bytes(b"ok\nab\xffc\n")
    with pytest.raises(UserError) as err:
        read_text(p)
    assert str(err.value).startswith(f"{p}:2:3: not UTF-8")
    with pytest.raises(UserError) as err:
        list(iter_lines(p))
    assert f"{p}:2:3" in str(err.value)


def test_deep_nesting_and_huge_numbers_are_refused():
    with pytest.raises(UserError, match="nested 5000 deep"):
        loads_json("[" * 5000 + "]" * 5000, file="f.json")
    with pytest.raises(UserError, match="digits"):
        loads_json("9" * 5000, file="f.json")
    with pytest.raises(UserError, match="NaN"):
        loads_json("[NaN]", file="f.json")
    with pytest.raises(UserError) as err:
        loads_json('{"a": }', file="f.json", line=7)
    assert str(err.value).startswith("f.json:7:")


@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(), lambda c: st.lists(c) | st.dictionaries(st.text(), c), max_leaves=20))
def test_valid_json_round_trips(value):
    import json

    assert loads_json(json.dumps(value)) == value


def test_atomic_output_keeps_old_file_on_failure(tmp_path):
    p = tmp_path / "out.txt"
    p.write_text("old")
    with pytest.raises(KeyboardInterrupt):
        with atomic_output(p) as f:
            f.write("half")
            raise KeyboardInterrupt
    assert p.read_text() == "old"
    assert os.listdir(tmp_path) == ["out.txt"]
    with atomic_output(p) as f:
        f.write("new")
    assert p.read_text() == "new"


def test_output_that_is_an_input_is_refused(tmp_path):
    p = tmp_path / "data.jsonl"
    p.write_text("x")
    link = tmp_path / "link.jsonl"
    os.link(p, link)
    with pytest.raises(UserError, match="also an input"):
        refuse_overwriting_inputs(link, [p])
    with pytest.raises(UserError, match="also an input"):
        with atomic_output(p, inputs=[str(p)]):
            pass
    assert p.read_text() == "x"


def test_duplicate_keys_with_different_values_are_refused() -> None:
    with pytest.raises(UserError, match='the key "a" appears twice'):
        loads_json('{"a": 0, "b": {"a": 1}, "a": 1}', file="f.json")
    assert loads_json('{"a": 1, "a": 1}') == {"a": 1}
    assert loads_json('[{"a": 1}, {"a": 2}]') == [{"a": 1}, {"a": 2}]


@pytest.mark.parametrize(
    "text, where, words",
    [
        ('{"a": 1,\n "b": {"a": 1, "a": 1},\n "c": {"x": [1], "a": 2, "x": [2]}}', "9:26", 'the key "x" appears twice'),
        ('{"a": "NaN [[[",\n "b": [1, -Infinity]}', "8:11", "-Infinity is not a JSON number"),
        ('{"a": "' + "9" * 1001 + '",\n "b": 1' + "0" * 1001 + "}", "8:7", "a number of 1,002 digits"),
        ('{"a": 1e' + "1" * 1001 + "}", "7:7", "a number of 1,003 characters"),
        ('{"a": "[[[",\n "b": ' + "[" * 201 + "]" * 201 + "}", "8:206", "JSON nested 202 deep"),
    ],
)
def test_refusals_name_the_spot(text: str, where: str, words: str) -> None:
    """Before, every refusal of a limit was at the text's first character (f.json:7:1), whatever its line."""
    with pytest.raises(UserError) as err:
        loads_json(text, file="f.json", line=7)
    assert str(err.value).startswith(f"f.json:{where}: ") and words in str(err.value), str(err.value)


def test_long_digit_runs_inside_strings_are_fine() -> None:
    digits = "9" * 5000
    assert loads_json('{"id": "%s", "n": 12}' % digits) == {"id": digits, "n": 12}
    with pytest.raises(UserError, match="5,000 digits"):
        loads_json('{"id": "%s", "n": %s}' % (digits, digits))


def test_many_shallow_brackets_are_not_deep() -> None:
    text = "[" + ", ".join(["[1]"] * 1000) + "]"
    assert len(loads_json(text)) == 1000


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=' \t\n\r\u00a0{}[]",:01ae-.x\\', max_size=30))
def test_the_decoder_shortcut_gives_json_s_value_and_error(text):
    """`_decode` skips json's whitespace regexes where there is no whitespace: same value, same message and place."""
    from dsl.files import _DEFAULT_DECODERS, _decode

    decoder = _DEFAULT_DECODERS[2]

    def outcome(decode):
        try:
            return "value", decode(text)
        except json.JSONDecodeError as err:
            return "error", err.msg, err.pos
        except ValueError as err:  # the hooks' refusals
            return "refused", str(err)

    assert outcome(lambda t: _decode(decoder, t)) == outcome(decoder.decode)


def test_a_file_read_whole_is_refused_past_its_size_limit_before_it_is_all_read(tmp_path, monkeypatch) -> None:
    """Audit: `synth check /dev/zero` and a 6 GB file read whole died with a MemoryError traceback."""
    monkeypatch.setattr(files, "MAX_TEXT_BYTES", 100)
    path = tmp_path / "big.dsl"
    path.write_bytes(b"x" * 101)
    with pytest.raises(UserError, match=r"big\.dsl: more than 100 bytes: too large for a file read whole"):
        read_text(path)
    path.write_bytes(b"x" * 100)
    assert read_text(path) == "x" * 100
    endless = io.BufferedReader(_Endless())  # /dev/zero, `yes |`: read only as far as the limit
    with pytest.raises(UserError, match=r"standard input: more than 100 bytes"):
        files.read_stream_text(endless, "standard input")


def test_a_line_past_its_size_limit_is_refused_with_its_number(monkeypatch) -> None:
    """A file with no line end was read whole as one line."""
    monkeypatch.setattr(files, "MAX_LINE_BYTES", 10)
    stream = io.BufferedReader(io.BytesIO(b"short\n" + b"012345678\n" + b"x" * 10 + b"\nnever read\n"))
    lines = files.iter_stream_lines(stream, "d.jsonl")
    assert next(lines) == (1, "short") and next(lines) == (2, "012345678")  # 10 bytes with its line end
    with pytest.raises(UserError, match=r"d\.jsonl:3:1: a line of more than 10 bytes \(no line end\?\)"):
        next(lines)
    assert list(files.iter_stream_lines(io.BufferedReader(io.BytesIO(b"a\r\nb")), "f")) == [(1, "a"), (2, "b")]


def test_running_out_of_memory_while_reading_names_the_file(monkeypatch) -> None:
    class Failing(io.RawIOBase):
        def readinto(self, b):
            raise MemoryError

        def readable(self) -> bool:
            return True

    with pytest.raises(UserError, match=r"^f\.json: too large to read into this machine's memory$"):
        files.read_stream_text(Failing(), "f.json")
    with pytest.raises(UserError, match=r"^f\.jsonl:1:1: a line too large to read into this machine's memory$"):
        next(files.iter_stream_lines(Failing(), "f.jsonl"))


class _Endless(io.RawIOBase):
    """Zeros without end, as /dev/zero."""

    def readinto(self, b) -> int:
        b[:] = bytes(len(b))
        return len(b)

    def readable(self) -> bool:
        return True


def test_a_second_value_after_the_first_is_named_for_what_it_usually_is() -> None:
    """Audit: two task files concatenated gave 'broken JSON: Extra data'."""
    with pytest.raises(UserError) as caught:
        loads_json('{"a": 1}\n{"a": 2}\n', file="two.json")
    assert str(caught.value).startswith("two.json:2:1: ")
    assert "more text after the JSON value ends" in str(caught.value) and ".jsonl" in str(caught.value)
    with pytest.raises(UserError) as caught:
        loads_json('{"a": 1} {"a": 2}', file="r.jsonl", line=7)  # two records on one line of a JSONL file
    assert str(caught.value).startswith("r.jsonl:7:10: ") and "one record per line" in str(caught.value)
    with pytest.raises(UserError, match="Expecting value"):  # other messages stay json's
        loads_json('{"a": }', file="x.json")
