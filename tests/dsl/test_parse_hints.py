"""Syntax and type errors name the likely fix for what other languages write, and list only what can follow."""

from __future__ import annotations

import pytest

from dsl.check import check_program
from dsl.errors import DslSyntaxError, DslTypeError, UserError
from dsl.parse import parse_program

HEAD = "input xs: List[Int]\n"


def _message(body: str, head: str = HEAD) -> str:
    with pytest.raises(UserError) as info:
        check_program(parse_program(head + body, file="p.dsl"))
    return str(info.value).splitlines()[0]


@pytest.mark.parametrize(
    ("body", "hint"),
    [
        ("xs[0] % 2", "(the remainder is written `a mod b`)"),
        ("true && false", "(write `and` for &&)"),
        ("xs[0] > 1 || true", "(write `or` for ||)"),
        ("!true", "(write `not x` for !x; `!=` is not-equal)"),
        ("xs[0] ^ 1", "(write `xor` for ^)"),
        ('"a"', "(a symbol is written in single quotes: 'a')"),
        ("xs[0] = 1", "(compare with `==`)"),
        ("let y = 3 in y = 3", "(compare with `==`)"),
        ("if true then 1 elif false then 2 else 3", "(there is no elif: write `else if ... then ... else ...`)"),
        ("xs[0] + 3.5", "(the DSL has integers only)"),
        ("'abc\n", "(a symbol ends with ' on its own line: 'a')"),  # DSL audit: before, no hint
    ],
)
def test_a_common_mistake_gets_a_hint(body: str, hint: str) -> None:
    """Before: only `unexpected character '%'` (or a misleading expected list), no hint."""
    with pytest.raises(DslSyntaxError) as info:
        parse_program(HEAD + body, file="p.dsl")
    assert str(info.value).splitlines()[0].endswith(hint)


def test_no_hint_where_the_text_is_no_common_mistake() -> None:
    assert _message("xs[0] @ 1").endswith("expected an operator or end of input")
    assert check_program(parse_program(HEAD + "let y = 3 in y")) is not None


@pytest.mark.parametrize("body", ['"a"', "!true", "@"])
def test_the_expected_list_holds_only_what_can_follow(body: str) -> None:
    """Before: `expected an expression, ',', ']', 'input', 'type' or '}'` (the lexer's whole context)."""
    assert "; expected an expression or 'input'" in _message(body)


def test_python_booleans_and_lowercase_types() -> None:
    with pytest.raises(DslTypeError, match=r"undefined variable 'True' \(in scope: xs; did you mean true\?\)"):
        check_program(parse_program(HEAD + "True"))
    assert _message("xs", head="input xs: list[int]\n").endswith("; type names start with a capital: List")
    assert _message("xs", head="input xs: List[int]\n").endswith("; type names start with a capital: Int")


def test_binary_min_points_to_the_list_form() -> None:
    assert "min takes a list: min([a, b])" in _message("min(xs, 2)")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("Q8:i * Q8:i", "p.dsl:2:3: syntax error: unknown group Q8 (groups: Z2, Z<n> for n >= 1, S3, D4)"),
        ("Z0:0", "p.dsl:2:3: syntax error: unknown group Z0 (groups: Z2, Z<n> for n >= 1, S3, D4)"),
        ("z2:1", "p.dsl:2:3: syntax error: unknown group z2 (groups: Z2, Z<n> for n >= 1, S3, D4)"),
        ("S3:(0 1 2)", "p.dsl:2:3: syntax error: write the cycle without spaces: S3:(012)"),
        ("S3:()", "p.dsl:2:3: syntax error: S3:() is no element: the identity is S3:e, a cycle is written like S3:(012)"),
    ],
)
def test_a_bad_group_element_says_what_is_wrong(body: str, message: str) -> None:
    """Before: `syntax error: unexpected ':'; expected end of input`."""
    assert _message(body) == message


def test_a_colon_after_a_plain_name_is_no_group_element() -> None:
    assert "group" not in _message("xs: 1") and "group" not in _message("if x1 : 2")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("bisect i in 0 xs[0]: true",
         "p.dsl:2:15: syntax error: unexpected 'xs'; expected an operator or '..' (a bisect's range is written `lo .. hi`, both ends included)"),
        ("bisect i in range(9): true",
         "p.dsl:2:21: syntax error: unexpected ':'; expected '..' (a bisect's range is written `lo .. hi`, both ends included)"),
        ("bisect i in 0 ... 9: true",
         "p.dsl:2:17: syntax error: unexpected '.'; expected an expression (a bisect's range is written with two dots: `lo .. hi`)"),
        ("bisect i in 0 .. 9 i < 3", "p.dsl:2:20: syntax error: unexpected 'i'; expected an operator or ':'"),
        ("bisect i in 0 .. 9", "p.dsl:2:19: syntax error: unexpected end of input; expected ':'"),
        ("bisect i in 0 .. 9:", "p.dsl:2:20: syntax error: unexpected end of input; expected an expression"),
        ("bisect i from 0 .. 9: true", "p.dsl:2:10: syntax error: unexpected 'from'; expected 'in'"),
        ("len(xs) + 0..3",
         "p.dsl:2:12: syntax error: unexpected '..'; expected end of input "
         "(`lo .. hi` is only the range of a bisect, `bisect i in lo .. hi: cond`; the list 0, ..., n-1 is range(n))"),
    ],
)
def test_a_malformed_bisect_says_where_and_what_can_follow(body: str, message: str) -> None:
    assert _message(body) == message


def test_an_expression_may_start_with_bisect_without_listing_it() -> None:
    """`bisect` starts an expression: it is in the words "an expression" stands for, not listed beside them."""
    assert _message("xs[0] +") == "p.dsl:2:8: syntax error: unexpected end of input; expected an expression"
