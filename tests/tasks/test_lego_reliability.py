"""Issue 11, input half: every reader turns hostile input into one located message.

Each case is one measured on main before the fix (a traceback, a wrong
reading or a silent acceptance): JSON nested 1000 deep, integers of more
than 4300 digits, bytes that are not UTF-8, a byte-order mark, "query": [1],
a non-string query, conflicting labels, labels in another notation.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from dsl.errors import UserError
from synth.cli import main
from tasks.lego.errors import LegoDataError
from tasks.lego.generate import generate
from tasks.lego.io import read_records, record_to_json, record_to_kazemnejad, write_records, write_task_file

DEEP = "[" * 1000 + "]" * 1000
HUGE = "9" * 5000
RECORDS = generate(4, 3, seed=1)


def lines_of(fmt: str) -> list[str]:
    buf = io.StringIO()
    if fmt == "task":
        write_task_file(RECORDS, RECORDS[:1], buf)
    else:
        write_records(RECORDS, fmt, buf)
    return buf.getvalue().splitlines()


def write(tmp_path: Path, data: str | bytes, name: str = "data.jsonl") -> Path:
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode())
    return path


def read_all(path: Path, **kw) -> list:
    return list(read_records(path, **kw))


def hostile_variants(fmt: str) -> dict[str, str]:
    """A valid file of `fmt` with one value made hostile (deep or huge), per place it can go."""
    good = lines_of(fmt)
    if fmt == "jsonl":
        rec = record_to_json(RECORDS[1])
        return {
            "deep labels": json.dumps({**rec, "labels": "@"}).replace('"@"', DEEP),
            "huge id": json.dumps({**rec, "id": "@"}).replace('"@"', HUGE),
            "deep line": DEEP,
        }
    if fmt == "kazemnejad":
        rec = record_to_kazemnejad(RECORDS[1])
        return {
            "deep truth values": json.dumps({**rec, "truth_values": "@"}).replace('"@"', DEEP),
            "huge cat": json.dumps({**rec, "cat": "@"}).replace('"@"', HUGE),
        }
    if fmt == "task":
        return {
            "deep record": "\n".join(good[:4] + ["    " + DEEP + ","] + good[4:]),
            "huge record": "\n".join(good[:4] + ["    " + HUGE + ","] + good[4:]),
            "one-line deep": json.dumps({"family": "lego", "train": "@"}).replace('"@"', DEEP),
        }
    raise ValueError(fmt)


@pytest.mark.parametrize("fmt", ["jsonl", "kazemnejad", "task"])
def test_deep_and_huge_json_are_located_errors(tmp_path: Path, fmt: str) -> None:
    for what, bad in hostile_variants(fmt).items():
        good = lines_of(fmt)
        text = bad if fmt == "task" else "\n".join([good[0], bad] + good[1:])
        path = write(tmp_path, text)
        with pytest.raises(LegoDataError) as info:
            read_all(path)
        message = str(info.value)
        assert message.startswith(f"{path}:"), (what, message)
        assert ("deep" in message or "digits" in message), (what, message)
        assert len(message) < 300, (what, message)
        if fmt != "task":
            assert message.startswith(f"{path}:2:"), (what, message)
            reader = read_records(path, skip_bad=True)
            assert len(list(reader)) == len(RECORDS) and len(reader.skipped) == 1


def test_skip_bad_in_validate_and_eval_survive_hostile_lines(tmp_path: Path) -> None:
    good = lines_of("jsonl")
    path = write(tmp_path, "\n".join(good[:1] + [DEEP, '{"id": ' + HUGE + "}", "{"] + good[1:]))
    res = CliRunner().invoke(main, ["validate", "--skip-bad", str(path)], catch_exceptions=False)
    assert res.exit_code in (0, 2) and "Traceback" not in res.output + res.stderr
    program = Path(__file__).resolve().parents[2] / "examples" / "lego.dsl"
    res = CliRunner().invoke(main, ["eval", str(program), str(path), "--skip-bad"], catch_exceptions=False)
    assert res.exit_code == 0, res.stderr


@pytest.mark.parametrize("fmt", ["jsonl", "kazemnejad", "task", "official", "signs", "readable"])
def test_not_utf8_is_a_located_error(tmp_path: Path, fmt: str) -> None:
    lines = lines_of(fmt)
    data = ("\n".join(lines[:2]) + "\n").encode() + b"\xff\xfe junk\n" + ("\n".join(lines[2:]) + "\n").encode()
    path = write(tmp_path, data)
    with pytest.raises(LegoDataError, match=r"not UTF-8") as info:
        read_all(path)
    assert str(info.value).startswith(f"{path}:3")


@pytest.mark.parametrize("fmt", ["jsonl", "kazemnejad", "task", "official", "signs", "readable"])
@pytest.mark.parametrize("bom,newline", [(True, "\n"), (False, "\r\n"), (True, "\r\n")])
def test_bom_and_crlf_files_are_read_as_their_format(tmp_path: Path, fmt: str, bom: bool, newline: str) -> None:
    text = newline.join(lines_of(fmt)) + newline
    path = write(tmp_path, ("\ufeff" if bom else "") + text)
    plain = write(tmp_path, text.replace("\r\n", "\n"), "plain.txt")
    reader, expected = read_records(path), read_records(plain)
    got, want = list(reader), list(expected)
    assert got == want and reader.format == expected.format
    assert reader.format == ("text" if fmt in ("official", "signs", "readable") else fmt)


def test_bom_on_a_stream(tmp_path: Path) -> None:
    text = "\ufeff" + "\n".join(lines_of("official")) + "\n"
    assert list(read_records(io.StringIO(text))) == list(read_records(io.StringIO(text[1:])))


@pytest.mark.parametrize("query", [[1], {"a": 1}, 3, True])
def test_non_string_query_is_an_error(tmp_path: Path, query) -> None:
    """`"query": [1]` crashed record checking; a non-string Kazemnejad query was dropped silently."""
    for rec in (record_to_json(RECORDS[0]), record_to_kazemnejad(RECORDS[0])):
        path = write(tmp_path, json.dumps({**rec, "query": query}) + "\n")
        with pytest.raises(LegoDataError, match=r'"query" must be a variable name') as info:
            read_all(path)
        assert str(info.value).startswith(f"{path}:1:")


def test_unknown_query_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, json.dumps({**record_to_kazemnejad(RECORDS[0]), "query": "zz"}) + "\n")
    with pytest.raises(LegoDataError, match='query "zz" is not a variable'):
        read_all(path)


SENTENCE = "a = val 1 ,  b = not a , "  # a = 1, b = 0


@pytest.mark.parametrize("labels", ["a=0 a=1", "a=1 a=0"])
def test_conflicting_text_labels_are_an_error_in_either_order(tmp_path: Path, labels: str) -> None:
    path = write(tmp_path, f"{SENTENCE}\t{labels}\n")
    with pytest.raises(LegoDataError, match='conflicting labels for "a"') as info:
        read_all(path)
    assert str(info.value).startswith(f"{path}:1:")


def test_same_label_twice_with_the_same_value_is_accepted(tmp_path: Path) -> None:
    path = write(tmp_path, f"{SENTENCE}\ta=1 a=1 b=0\n")
    (rec,) = read_all(path)
    assert {k: v.index for k, v in rec.labels.items()} == {"a": 1, "b": 0}


@pytest.mark.parametrize("pairs", ['"a": 0, "a": 1', '"a": 1, "a": 0'])
def test_conflicting_json_labels_are_an_error_in_either_order(tmp_path: Path, pairs: str) -> None:
    path = write(tmp_path, '{"sentence": "%s", "labels": {%s}}\n' % (SENTENCE, pairs))
    with pytest.raises(LegoDataError, match="appears twice") as info:
        read_all(path)
    assert str(info.value).startswith(f"{path}:1")
    path = write(tmp_path, '{"sentence": "%s", "labels": {"a": 1, "a": 1}}\n' % SENTENCE)
    assert len(read_all(path)) == 1


@pytest.mark.parametrize("order", [[["x", "1"], ["x", "0"]], [["x", "0"], ["x", "1"]]])
def test_conflicting_truth_values_are_an_error(tmp_path: Path, order) -> None:
    rec = {"clauses": ["x = +1", "y = - x"], "truth_values": order, "query": "y"}
    path = write(tmp_path, json.dumps(rec) + "\n")
    with pytest.raises(LegoDataError, match='conflicting labels for "x"'):
        read_all(path)


@pytest.mark.parametrize("value", ["-1", "+1", "not", "val", "2", "Z3:1"])
def test_token_syntax_labels_accept_only_0_and_1(tmp_path: Path, value: str) -> None:
    for line in (f"{SENTENCE}\ta={value}", json.dumps({"sentence": SENTENCE, "labels": {"a": value}})):
        path = write(tmp_path, line + "\n")
        with pytest.raises(LegoDataError, match=r"accepted: 0 or 1"):
            read_all(path)
    with pytest.raises(LegoDataError, match=r"accepted: 0 or 1"):
        read_all(write(tmp_path, json.dumps({"sentence": SENTENCE, "labels": {"a": -1}}) + "\n"))


@pytest.mark.parametrize("value", ["0", "val", "not", "2", "+2"])
def test_sign_syntax_labels_accept_only_signs(tmp_path: Path, value: str) -> None:
    """"0" was read as +1 in sign-syntax data."""
    sentence = "a = +1; b = -a;"
    for line in (f"{sentence}\ta={value}", json.dumps({"sentence": sentence, "labels": {"a": value}})):
        path = write(tmp_path, line + "\n")
        with pytest.raises(LegoDataError, match=r"accepted: \+1 or -1"):
            read_all(path)
    with pytest.raises(LegoDataError, match=r"accepted: \+1 or -1"):
        read_all(write(tmp_path, json.dumps({"sentence": sentence, "labels": {"a": 0}}) + "\n"))
    assert len(read_all(write(tmp_path, f"{sentence}\ta=+1 b=-1\n"))) == 1
    assert len(read_all(write(tmp_path, json.dumps({"sentence": sentence, "labels": {"a": 1, "b": -1}}) + "\n"))) == 1


def test_explicit_group_elements_are_accepted_in_every_notation(tmp_path: Path) -> None:
    path = write(tmp_path, f"{SENTENCE}\ta=Z2:1 b=Z2:0\na = +1; b = -a;\ta=Z2:0 b=Z2:1\n")
    assert len(read_all(path)) == 2


def test_predictions_reader_survives_hostile_files(tmp_path: Path) -> None:
    data = write(tmp_path, "\n".join(lines_of("jsonl")) + "\n", "data.jsonl")
    preds = [json.dumps({"labels": {}}) for _ in RECORDS]
    cases = {
        "deep": ("\n".join([preds[0], DEEP] + preds[2:]), ":2:", "deep"),
        "huge": ("\n".join([preds[0], '{"labels": {"a": ' + HUGE + "}}"] + preds[2:]), ":2:", "digits"),
        "utf8": ("\n".join(preds[:2]) + "\n\xff\n", ":3:", "not UTF-8"),
    }
    for name, (text, where, what) in cases.items():
        p = write(tmp_path, text.encode("latin-1") if name == "utf8" else text, "p.jsonl")
        res = CliRunner().invoke(main, ["compare", str(data), "--predictions", str(p), "--allow-partial"], catch_exceptions=False)
        assert res.exit_code == 2 and f"{p}{where}" in res.stderr and what in res.stderr, (name, res.stderr)
    p = write(tmp_path, "\ufeff" + "\r\n".join(preds) + "\r\n", "p.jsonl")
    res = CliRunner().invoke(main, ["compare", str(data), "--predictions", str(p), "--allow-partial"], catch_exceptions=False)
    assert res.exit_code == 0, res.stderr


def test_lego_program_with_non_element_values_is_refused_by_eval_and_invariance(tmp_path: Path) -> None:
    data = write(tmp_path, "\n".join(lines_of("jsonl")) + "\n", "data.jsonl")
    program = write(tmp_path, "type Clause = {lhs: Sym, op: Elem, rhs: Sym, root: Bool}\ninput clauses: List[Clause]\n"
                    "forall c in clauses: val[c.lhs] = 1\n", "ints.dsl")
    for args in (["eval", str(program), str(data), "--predict", "-o", str(tmp_path / "out.jsonl")],
                 ["invariance", "run", str(program), str(data)]):
        res = CliRunner().invoke(main, args, catch_exceptions=False)
        assert res.exit_code == 2 and f"{program}: a LEGO program must return Map[Sym, Elem]" in res.stderr, res.stderr


def test_eval_type_errors_name_the_file(tmp_path: Path) -> None:
    data = write(tmp_path, "\n".join(lines_of("jsonl")) + "\n", "data.jsonl")
    program = write(tmp_path, "input clauses: List[{lhs: Sym}]\n[c.lhs + 1 for c in clauses]\n", "bad.dsl")
    res = CliRunner().invoke(main, ["eval", str(program), str(data)], catch_exceptions=False)
    assert res.exit_code == 2 and f"{program}:2:" in res.stderr and "type error" in res.stderr, res.stderr
    program.write_bytes(b"input clauses: \xff\n")
    res = CliRunner().invoke(main, ["eval", str(program), str(data)], catch_exceptions=False)
    assert res.exit_code == 2 and f"{program}:1:16: not UTF-8" in res.stderr, res.stderr


def test_weights_files_are_read_safely(tmp_path: Path) -> None:
    task = Path(__file__).resolve().parents[2] / "examples" / "parity_check.json"
    cases = {b"\xff{}": "not UTF-8", DEEP.encode(): "deep", b'{"if": ' + HUGE.encode() + b"}": "digits",
             b'{"if": 2, "if": 3}': "appears twice"}
    for data, what in cases.items():
        w = write(tmp_path, data, "w.json")
        res = CliRunner().invoke(main, ["solve", str(task), "--weights", str(w), "--timeout", "5"],
                                                 catch_exceptions=False)
        assert res.exit_code == 2 and what in res.stderr and str(w) in res.stderr, res.stderr
    res = CliRunner().invoke(main, ["solve", str(task), "--weights", DEEP, "--timeout", "5"], catch_exceptions=False)
    assert res.exit_code == 2 and "--weights" in res.stderr


def test_a_reader_error_is_a_user_error() -> None:
    assert issubclass(LegoDataError, UserError)


@pytest.mark.parametrize("fmt", ["official", "signs", "readable", "jsonl"])
def test_errors_on_200000_character_lines_are_short(tmp_path: Path, fmt: str) -> None:
    """A message quotes a clause or a name, never a whole 200,000-character line."""
    long = "x" * 200_000
    texts = {
        "official": [f"a = val 1 ,  b = frob {long} , ", f"{long} = val 1 ,  {long} = not a , "],
        "signs": [f"a = +1; b = *{long};", f"a = +1; b = -{long};"],
        "readable": [f"a = Z5:1; b = {long} a;", f"a = Z5:1; b = 1 {long};"],
        "jsonl": [json.dumps({"sentence": f"a = val 1 ,  b = not {long} , "}), json.dumps({"sentence": SENTENCE, "labels": {long: 1}})],
    }
    for text in texts[fmt]:
        path = write(tmp_path, text + "\n")
        with pytest.raises(LegoDataError) as info:
            read_all(path)
        assert str(info.value).startswith(f"{path}:1:") and len(str(info.value)) < 400, str(info.value)[:500]


def test_a_hostile_first_line_is_one_bad_record_not_a_bad_file(tmp_path: Path) -> None:
    good = lines_of("jsonl")
    for first in (DEEP, "[" + HUGE + "]"):
        path = write(tmp_path, "\n".join([first] + good) + "\n")
        reader = read_records(path, skip_bad=True)
        assert len(list(reader)) == len(RECORDS) and len(reader.skipped) == 1 and reader.format == "jsonl"
