"""Printer: canonical text that parses back to the same AST."""

from __future__ import annotations

import pytest

from dsl import ast
from dsl.check import check_program
from dsl.errors import DslTypeError
from dsl.groups import parse_elem
from dsl.parse import parse_expr, parse_program
from dsl.printer import show

V = ast.Var
B = ast.Bisect


def P(op: str, *args: ast.Expr) -> ast.Prim:
    return ast.Prim(op, tuple(args))


@pytest.mark.parametrize(
    "node,text",
    [
        (P("neg", ast.IntLit(3)), "-(3)"),
        (ast.IntLit(-3), "-3"),
        (P("neg", ast.IntLit(-3)), "-(-3)"),
        (P("neg", P("neg", V("x"))), "--x"),
        (P("not", ast.IntLit(3)), "not 3"),  # ill-typed, but quoted as written in the checker's message
        (P("not", ast.IntLit(-3)), "not -3"),
        (P("-", V("x"), ast.IntLit(-3)), "x - -3"),
        (P("-", V("a"), P("-", V("b"), V("c"))), "a - (b - c)"),
        (P("-", P("-", V("a"), V("b")), V("c")), "a - b - c"),
        (P("*", P("+", V("a"), V("b")), V("c")), "(a + b) * c"),
        (P("not", P("==", V("a"), V("b"))), "not a == b"),
        (P("==", P("not", V("a")), V("b")), "(not a) == b"),
        (P("+", ast.If(V("c"), V("a"), V("b")), ast.IntLit(1)), "(if c then a else b) + 1"),
        (ast.Field(P("neg", V("r")), "f"), "(-r).f"),
        (ast.ElemLit(parse_elem("Z2:not")), "Z2:1"),
        (ast.ElemLit(parse_elem("S3:(012)")), "S3:(012)"),
        (ast.SymLit("a"), "'a'"),
        (ast.Fold("s", "x", P("xor", V("s"), V("x")), ast.IntLit(0), V("xs")), "fold (s, x) -> s xor x from 0 over xs"),
        (ast.Fold("s", "x", V("x"), ast.IntLit(0), V("xs"), scan=True), "scan (s, x) -> x from 0 over xs"),
        (ast.Comp("x", V("xs"), V("x"), ast.BoolLit(True)), "[x for x in xs if true]"),
        (ast.RecordLit((("a", ast.IntLit(1)),)), "{a: 1}"),
        (ast.Index(ast.Rule("f", "c", V("cs"), V("c"), ast.IntLit(1)), ast.IntLit(0)), "(forall c in cs: f[c] = 1)[0]"),
        (B("i", ast.IntLit(0), V("n"), P("<=", P("*", V("i"), V("i")), V("n"))), "bisect i in 0 .. n: i * i <= n"),
        (B("i", ast.IntLit(-3), ast.IntLit(-1), P("<", V("i"), ast.IntLit(-2))), "bisect i in -3 .. -1: i < -2"),
        (B("i", ast.Field(V("r"), "a"), ast.Field(V("r"), "b"), ast.BoolLit(True)), "bisect i in r.a .. r.b: true"),
        (P("+", B("i", ast.IntLit(0), V("n"), ast.BoolLit(True)), ast.IntLit(1)), "(bisect i in 0 .. n: true) + 1"),
        (P("-", V("k"), B("i", ast.IntLit(0), V("n"), ast.BoolLit(True))), "k - (bisect i in 0 .. n: true)"),
        (P("neg", B("i", ast.IntLit(0), V("n"), ast.BoolLit(True))), "-(bisect i in 0 .. n: true)"),
        (ast.Field(B("i", ast.IntLit(0), V("n"), ast.BoolLit(True)), "f"), "(bisect i in 0 .. n: true).f"),
        (ast.Index(V("xs"), B("i", ast.IntLit(0), V("n"), ast.BoolLit(True))), "xs[bisect i in 0 .. n: true]"),
        (P("len", B("i", ast.IntLit(0), V("n"), ast.BoolLit(True))), "len(bisect i in 0 .. n: true)"),
        # bounds at the lowest level need no brackets: `..` and `:` end them
        (B("i", ast.If(V("b"), ast.IntLit(0), ast.IntLit(1)), ast.Let("m", V("n"), V("m")), ast.BoolLit(False)),
         "bisect i in if b then 0 else 1 .. let m = n in m: false"),
        (B("i", B("j", ast.IntLit(0), V("n"), ast.BoolLit(True)), B("j", ast.IntLit(0), V("n"), ast.BoolLit(False)), ast.BoolLit(True)),
         "bisect i in bisect j in 0 .. n: true .. bisect j in 0 .. n: false: true"),
        (B("i", ast.IntLit(0), V("n"), B("j", ast.IntLit(0), V("i"), P("<", V("j"), ast.IntLit(2)))),
         "bisect i in 0 .. n: bisect j in 0 .. i: j < 2"),
        (B("i", ast.IntLit(0), V("n"), P("<", V("i"), ast.If(V("b"), ast.IntLit(1), ast.IntLit(2)))),
         "bisect i in 0 .. n: i < (if b then 1 else 2)"),
        (ast.If(V("b"), B("i", ast.IntLit(0), V("n"), ast.BoolLit(True)), ast.IntLit(0)), "if b then bisect i in 0 .. n: true else 0"),
    ],
)
def test_show_and_round_trip(node: ast.Expr, text: str) -> None:
    assert show(node) == text
    assert parse_expr(text) == node


def test_program_round_trip_expands_aliases() -> None:
    src = """type Clause = {lhs: Sym, op: Elem, rhs: Sym, root: Bool}
input clauses: List[Clause]
forall c in clauses: val[c.lhs] = if c.root then c.op else c.op * val[c.rhs]
"""
    p = parse_program(src)
    text = show(p)
    assert text.splitlines()[0] == "input clauses: List[{lhs: Sym, op: Elem, rhs: Sym, root: Bool}]"
    assert parse_program(text) == p


def test_type_error_quotes_not_of_an_integer_as_written() -> None:
    with pytest.raises(DslTypeError, match=r"in `not 3`"):
        check_program(parse_program("input x: Int\nnot 3"))
