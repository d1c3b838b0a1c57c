"""Deep nesting, huge literals and long lines: a message and exit 2, never a RecursionError.

Each case is one from issue 11 (a sum of 332 terms, 331 nested not/-/[...],
492 nested if/let, a 5000-digit literal, a syntax error on a 200,000-character
line), plus 5,000 and 50,000 levels.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from dsl import ast
from dsl.check import check_program
from dsl.errors import DslSyntaxError, UserError
from dsl.interp import compile_program, evaluate
from dsl.limits import MAX_LITERAL_DIGITS, MAX_NESTING
from dsl.parse import load_program, parse_program
from dsl.printer import show
from dsl.types import INT
from synth.cli import main


def nested(kind: str, n: int) -> str:
    """A program `n` levels deep of one construct."""
    if kind == "sum":
        return "input x: Int\n" + " + ".join(["x"] * n)
    if kind == "not":
        return "input x: Bool\n" + "not " * n + "x"
    if kind == "neg":
        return "input x: Int\n" + "-" * n + "x"
    if kind == "list":
        return "input x: Int\n" + "[" * n + "x" + "]" * n
    if kind == "if":
        return "input x: Int\n" + "if true then " * n + "x" + " else x" * n
    if kind == "let":
        return "input x: Int\n" + "let y = x in " * n + "x"
    if kind == "bisect":
        return "input x: Int\n" + "bisect i in 0 .. " * n + "x" + ": true" * n
    if kind == "type":
        return "input x: " + "List[" * n + "Int" + "]" * n + "\nx"
    raise ValueError(kind)


KINDS = ["sum", "not", "neg", "list", "if", "let", "bisect", "type"]
ISSUE_SIZES = {"sum": 332, "not": 331, "neg": 331, "list": 331, "if": 492, "let": 492, "bisect": 492, "type": 331}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("size", ["issue", 5_000, 50_000])
def test_deep_programs_are_refused_with_a_message(kind: str, size) -> None:
    n = ISSUE_SIZES[kind] if size == "issue" else size
    with pytest.raises(DslSyntaxError) as info:
        parse_program(nested(kind, n), file="deep.dsl")
    message = str(info.value)
    assert message.startswith("deep.dsl:") and "MAX_NESTING" in message and f"at most {MAX_NESTING}" in message
    assert len(message) < 600  # the line is cut around the caret


@pytest.mark.parametrize("kind", ["sum", "not", "neg", "list", "if", "let", "bisect"])
def test_programs_up_to_the_limit_work_even_from_a_deep_stack(kind: str) -> None:
    """Check, print, re-parse and run at MAX_NESTING - 1 levels, with 250 frames already in use."""
    text = nested(kind, MAX_NESTING - 1)

    def at_depth(k: int) -> None:
        if k:
            return at_depth(k - 1)
        p = parse_program(text)
        check_program(p)
        assert parse_program(show(p)) == p
        hash(p)
        compile_program(p)({"x": True if kind == "not" else 1})

    at_depth(250)


def test_parentheses_deep_are_refused_early_shallow_work() -> None:
    """Brackets are not AST levels, but the parser's stack is bounded too (no 50,000-level tree is built)."""
    p = parse_program("input x: Int\n" + "(" * 100 + "x" + ")" * 100)
    assert compile_program(p)({"x": 4}) == 4
    with pytest.raises(DslSyntaxError, match="more than 150 levels"):
        parse_program("input x: Int\n" + "(" * 50_000 + "x" + ")" * 50_000)


def test_built_asts_are_checked_before_recursing() -> None:
    """ASTs made by code (not parsed) get the same refusal from check, print and evaluate."""
    e: ast.Expr = ast.Var("x")
    for _ in range(5000):
        e = ast.Prim("neg", (e,))
    program = ast.Program((ast.Param("x", INT),), e)
    for call in (lambda: check_program(program), lambda: show(program), lambda: show(e),
                 lambda: compile_program(program), lambda: evaluate(e, {"x": 1}, {"x": INT})):
        with pytest.raises(UserError, match="nested 5001 levels deep"):
            call()
    assert ast.deepest(e)[0] == 5001


def test_huge_literal_is_a_syntax_error() -> None:
    with pytest.raises(DslSyntaxError, match=f"5,000 digits.*at most {MAX_LITERAL_DIGITS:,}") as info:
        parse_program("input x: Int\nx + " + "7" * 5000, file="big.dsl")
    assert str(info.value).startswith("big.dsl:2:5:") and len(str(info.value)) < 500
    assert parse_program("input x: Int\n" + "7" * MAX_LITERAL_DIGITS).body == ast.IntLit(int("7" * MAX_LITERAL_DIGITS))


def test_syntax_error_on_a_long_line_is_cut() -> None:
    text = "input x: Int\n" + "x + " * 50_000 + "* 2"
    with pytest.raises(DslSyntaxError) as info:
        parse_program(text, file="long.dsl")
    message = str(info.value)
    assert message.startswith("long.dsl:2:200001:") and len(message) < 500
    line, caret = message.splitlines()[1:3]
    assert "200,003 characters in all" not in line  # the caret is near the end: nothing cut after it
    assert line[len(caret) - 1] == "*"  # the caret is under the offending token


def test_long_bad_token_is_cut() -> None:
    with pytest.raises(DslSyntaxError) as info:
        parse_program("input x: Int\nx x" + "y" * 100_000)
    assert len(str(info.value)) < 600


def test_program_file_not_utf8_or_with_bom(tmp_path: Path) -> None:
    bad = tmp_path / "bad.dsl"
    bad.write_bytes(b"input x: Int\nx + \xff\n")
    with pytest.raises(UserError, match=r"bad.dsl:2:5: not UTF-8"):
        load_program(bad)
    bom = tmp_path / "bom.dsl"
    bom.write_bytes("\ufeffinput x: Int\r\nx + 1\r\n".encode())
    assert compile_program(load_program(bom))({"x": 1}) == 2


@pytest.mark.parametrize("kind", KINDS)
def test_cli_check_and_run_exit_2_on_deep_programs(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "deep.dsl"
    path.write_text(nested(kind, 5000))
    for args in (["check", str(path)], ["run", str(path), "--input", '{"x": 1}']):
        res = CliRunner().invoke(main, args, catch_exceptions=False)
        assert res.exit_code == 2 and "MAX_NESTING" in res.output and len(res.output) < 800


def test_cli_run_input_errors_name_the_source(tmp_path: Path) -> None:
    prog = tmp_path / "p.dsl"
    prog.write_text("input xs: List[Int]\nlen(xs)\n")
    cases = {
        b'{"xs": ' + b"[" * 1000 + b"]" * 1000 + b"}": "nested 1001 deep",
        b'{"xs": [' + b"9" * 5000 + b"]}": "5,000 digits",
        b'{"xs": [1, 2, "a"]}': "input xs[2]: expected an integer",
        b'{"xs": [1, \xff]}': "not UTF-8",
        b'{"xs": [1,': "broken JSON",
    }
    for data, expected in cases.items():
        inp = tmp_path / "in.json"
        inp.write_bytes(data)
        res = CliRunner().invoke(main, ["run", str(prog), "--input-file", str(inp)], catch_exceptions=False)
        assert res.exit_code == 2 and expected in res.output and str(inp) in res.output, res.output
        if b"\xff" not in data:
            res = CliRunner().invoke(main, ["run", str(prog), "--input", data.decode()], catch_exceptions=False)
            assert res.exit_code == 2 and expected in res.output and "--input" in res.output, res.output
    inp.write_bytes(b'\xef\xbb\xbf{"xs": [1, 2]}\r\n')
    res = CliRunner().invoke(main, ["run", str(prog), "--input-file", str(inp)], catch_exceptions=False)
    assert res.exit_code == 0 and res.output.strip() == "2"


def _aliases(first: str, step: str, count: int) -> str:
    lines = [f"type T0 = {first}"] + [f"type T{i} = " + step.replace("P", f"T{i - 1}") for i in range(1, count + 1)]
    return "\n".join(lines) + f"\ninput x: T{count}\nx\n"


def test_type_aliases_count_as_written_out() -> None:
    """CLI audit: a chain of 400 aliases nested List 400 deep (a RecursionError printing it), 40 doubling record aliases
    made a type of 2**40 parts (check hung); the limits on a type written inline did not see through aliases."""
    with pytest.raises(UserError, match=r":151:\d+: type error: the program is nested 151 levels deep.*aliases count as written out"):
        parse_program(_aliases("Int", "List[P]", 400), file="chain.dsl")
    with pytest.raises(UserError, match=r"type error: a type of more than 10,000 parts once its aliases are written out"):
        parse_program(_aliases("{a: Int, b: Int}", "{a: P, b: P}", 40), file="expo.dsl")
    deep = parse_program(_aliases("Int", "List[P]", MAX_NESTING - 1))  # up to the limit: a program like any
    assert show(deep).count("List[") == MAX_NESTING - 1
    assert parse_program(_aliases("{a: Int, b: Int}", "{a: P, b: P}", 10)).inputs[0].type is not None
