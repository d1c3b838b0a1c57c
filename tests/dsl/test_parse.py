"""Grammar and parser: every construct, precedence, literals, aliases, errors."""

from __future__ import annotations

import itertools

import pytest

from dsl import ast
from dsl.errors import DslSyntaxError, DslTypeError
from dsl.groups import get_group, parse_elem
from dsl.parse import KEYWORDS, parse_expr, parse_program, parse_type
from dsl.prims import PRIMS
from dsl.types import BOOL, CLAUSE, ELEM, INT, SYM, ListT, MapT, RecordT

V = ast.Var


def P(op: str, *args: ast.Expr) -> ast.Prim:
    return ast.Prim(op, tuple(args))


def test_lego_program_with_alias_and_comments() -> None:
    p = parse_program(
        """# a comment
        type Clause = {lhs: Sym, op: Elem, rhs: Sym, root: Bool}  # trailing
        input clauses: List[Clause]
        forall c in clauses: val[c.lhs] = if c.root then c.op else c.op * val[c.rhs]
        """
    )
    assert p.inputs[0].name == "clauses"
    assert p.inputs[0].type == ListT(CLAUSE)
    c = V("c")
    assert p.body == ast.Rule(
        "val",
        "c",
        V("clauses"),
        ast.Field(c, "lhs"),
        ast.If(ast.Field(c, "root"), ast.Field(c, "op"), P("*", ast.Field(c, "op"), ast.Index(V("val"), ast.Field(c, "rhs")))),
    )


def test_types() -> None:
    assert parse_type("Int") == INT
    assert parse_type("List[Map[Sym, Elem]]") == ListT(MapT(SYM, ELEM))
    assert parse_type("{a: Int, b: List[Bool]}") == RecordT((("a", INT), ("b", ListT(BOOL))))
    assert parse_type("{}") == RecordT(())


def test_literals() -> None:
    assert parse_expr("42") == ast.IntLit(42)
    assert parse_expr("-3") == ast.IntLit(-3)
    assert parse_expr("-(3)") == P("neg", ast.IntLit(3))
    assert parse_expr("true") == ast.BoolLit(True)
    assert parse_expr("'a'") == ast.SymLit("a")
    assert parse_expr("Z2:not") == ast.ElemLit(get_group("Z2").element("1"))
    assert parse_expr("Z2:+1") == ast.ElemLit(parse_elem("Z2:0"))
    assert parse_expr("Z2:-1") == ast.ElemLit(parse_elem("Z2:1"))
    assert parse_expr("Z5:3") == ast.ElemLit(parse_elem("Z5:3"))
    assert parse_expr("S3:(012)") == ast.ElemLit(parse_elem("S3:(012)"))
    assert parse_expr("D4:r1") == ast.ElemLit(parse_elem("D4:r1"))


def test_binary_minus_is_not_a_literal() -> None:
    assert parse_expr("x -3") == P("-", V("x"), ast.IntLit(3))
    assert parse_expr("x - -3") == P("-", V("x"), ast.IntLit(-3))
    assert parse_expr("-x * y") == P("*", P("neg", V("x")), V("y"))


def test_loops() -> None:
    assert parse_expr("[x for x in xs]") == ast.Comp("x", V("xs"), V("x"))
    assert parse_expr("[x for x in xs if x > 0]") == ast.Comp("x", V("xs"), V("x"), P(">", V("x"), ast.IntLit(0)))
    assert parse_expr("fold (s, x) -> s xor x from 0 over xs") == ast.Fold(
        "s", "x", P("xor", V("s"), V("x")), ast.IntLit(0), V("xs")
    )
    assert parse_expr("scan (s, x) -> s + x from 0 over xs") == ast.Fold(
        "s", "x", P("+", V("s"), V("x")), ast.IntLit(0), V("xs"), scan=True
    )
    assert parse_expr("let y = 1 in y + 2") == ast.Let("y", ast.IntLit(1), P("+", V("y"), ast.IntLit(2)))


def test_bisect() -> None:
    i, n = V("i"), V("n")
    assert parse_expr("bisect i in 0 .. n: i * i <= n") == ast.Bisect("i", ast.IntLit(0), n, P("<=", P("*", i, i), n))
    assert parse_expr("bisect i in -3 .. -1: i < 0") == ast.Bisect("i", ast.IntLit(-3), ast.IntLit(-1), P("<", i, ast.IntLit(0)))
    # the bounds may be any expression, if / let / bisect included: `..` and `:` end them
    assert parse_expr("bisect i in if b then 0 else 1 .. let m = n in m: bisect j in 0 .. i: true") == ast.Bisect(
        "i", ast.If(V("b"), ast.IntLit(0), ast.IntLit(1)), ast.Let("m", n, V("m")),
        ast.Bisect("j", ast.IntLit(0), i, ast.BoolLit(True)),
    )
    assert parse_expr("bisect i in 0 .. bisect j in 0 .. n: j < 3: i < 2").hi == ast.Bisect("j", ast.IntLit(0), n, P("<", V("j"), ast.IntLit(3)))


@pytest.mark.parametrize("text,lo,hi", [
    ("bisect i in 0 .. n: true", ast.IntLit(0), V("n")),
    ("bisect i in 0..n: true", ast.IntLit(0), V("n")),
    ("bisect i in 0..-1: true", ast.IntLit(0), ast.IntLit(-1)),
    ("bisect i in a.b .. c: true", ast.Field(V("a"), "b"), V("c")),
    ("bisect i in a.b..c.d: true", ast.Field(V("a"), "b"), ast.Field(V("c"), "d")),
    ("bisect i in xs[0].f..xs[1]: true", ast.Field(ast.Index(V("xs"), ast.IntLit(0)), "f"), ast.Index(V("xs"), ast.IntLit(1))),
    ("bisect i in Z5:3..n: true", ast.ElemLit(parse_elem("Z5:3")), V("n")),  # ill-typed, but lexed as written
])
def test_two_dots_are_one_token_and_a_field_dot_stays_one(text: str, lo: ast.Expr, hi: ast.Expr) -> None:
    e = parse_expr(text)
    assert isinstance(e, ast.Bisect) and (e.lo, e.hi) == (lo, hi)
    assert parse_expr("xs.field") == ast.Field(V("xs"), "field")


def test_a_bisect_body_extends_right_and_an_operand_needs_brackets() -> None:
    body = P("or", P("<", V("i"), ast.IntLit(3)), V("b"))
    assert parse_expr("bisect i in 0 .. n: i < 3 or b") == ast.Bisect("i", ast.IntLit(0), V("n"), body)
    assert parse_expr("(bisect i in 0 .. n: i < 3) + 1") == P("+", ast.Bisect("i", ast.IntLit(0), V("n"), P("<", V("i"), ast.IntLit(3))), ast.IntLit(1))
    assert parse_expr("bisect i in 0 .. n: i < 3 + 1").body == P("<", V("i"), P("+", ast.IntLit(3), ast.IntLit(1)))
    with pytest.raises(DslSyntaxError, match="unexpected 'bisect'; expected an expression"):
        parse_expr("1 + bisect i in 0 .. n: true")  # at the lowest level, as if / let / fold


def test_a_bisect_keeps_its_position() -> None:
    e = parse_program("input n: Int\n  bisect i in 0 .. n: i < n\n").body
    assert isinstance(e, ast.Bisect) and e.pos is not None and (e.pos.line, e.pos.column) == (2, 3)
    assert e.body.pos is not None and (e.body.pos.line, e.body.pos.column) == (2, 23)


def test_bisect_is_a_keyword_but_names_may_start_with_it() -> None:
    assert "bisect" in KEYWORDS
    with pytest.raises(DslSyntaxError, match="unexpected 'bisect'; expected a name"):
        parse_expr("let bisect = 1 in 2")
    with pytest.raises(DslSyntaxError, match="unexpected 'bisect'; expected a name"):
        parse_expr("[x for bisect in xs]")
    with pytest.raises(DslSyntaxError, match="unexpected 'in'; expected a name"):
        parse_expr("bisect in 0 .. 3: true")
    assert parse_expr("let bisector = 1 in bisect_n + bisector") == ast.Let("bisector", ast.IntLit(1), P("+", V("bisect_n"), V("bisector")))


def test_bodies_extend_right() -> None:
    assert parse_expr("if a then b else c + 1") == ast.If(V("a"), V("b"), P("+", V("c"), ast.IntLit(1)))
    assert parse_expr("let x = 1 in x + 1 == 2").body == P("==", P("+", V("x"), ast.IntLit(1)), ast.IntLit(2))


def test_calls_lists_records_access() -> None:
    assert parse_expr("act(g, len(xs))") == P("act", V("g"), P("len", V("xs")))
    assert parse_expr("[1, 2]") == ast.ListLit((ast.IntLit(1), ast.IntLit(2)))
    assert parse_expr("{a: 1, b: 'x'}") == ast.RecordLit((("a", ast.IntLit(1)), ("b", ast.SymLit("x"))))
    assert parse_expr("xs[0].f") == ast.Field(ast.Index(V("xs"), ast.IntLit(0)), "f")


def test_reverse_string_expression() -> None:
    e = parse_expr("[xs[len(xs) - 1 - i] for i in range(len(xs))]")
    assert e == ast.Comp(
        "i",
        P("range", P("len", V("xs"))),
        ast.Index(V("xs"), P("-", P("-", P("len", V("xs")), ast.IntLit(1)), V("i"))),
    )


def _infix_spelling(op: str) -> str:
    return op


@pytest.mark.parametrize(
    "op1,op2",
    [
        (a, b)
        for a, b in itertools.product([s.op for s in PRIMS.values() if s.syntax == "infix"], repeat=2)
    ],
)
def test_grammar_levels_follow_prims_table(op1: str, op2: str) -> None:
    """`a op1 b op2 c` groups as the table's precedences say (left-associative on ties)."""
    e = parse_expr(f"a {op1} b {op2} c")
    p1, p2 = PRIMS[op1].precedence, PRIMS[op2].precedence
    if p1 >= p2:
        assert e == P(op2, P(op1, V("a"), V("b")), V("c"))
    else:
        assert e == P(op1, V("a"), P(op2, V("b"), V("c")))


def test_prefix_levels_follow_prims_table() -> None:
    assert PRIMS["not"].precedence < PRIMS["=="].precedence
    assert parse_expr("not a == b") == P("not", P("==", V("a"), V("b")))
    assert parse_expr("not a and b") == P("and", P("not", V("a")), V("b"))
    assert PRIMS["neg"].precedence > PRIMS["*"].precedence
    assert parse_expr("-a * b") == P("*", P("neg", V("a")), V("b"))


def test_positions_are_kept_but_not_compared() -> None:
    e = parse_expr("1 +\n  foo")
    assert e.pos is not None and (e.pos.line, e.pos.column) == (1, 1)
    right = e.args[1]
    assert right.pos is not None and (right.pos.line, right.pos.column) == (2, 3)
    assert e == P("+", ast.IntLit(1), V("foo"))


@pytest.mark.parametrize(
    "text,expected_word",
    [
        ("input x: Int\nif x then", "expected an expression"),
        ("input x: Int\n(x + 1", "expected ')'"),
        ("input x: Int\nif x 1 else 2", "'then'"),
        ("input x: Lisst\nx", "unknown type"),
        ("input x: 3\nx", "expected a type"),
    ],
)
def test_syntax_errors_say_what_was_expected(text: str, expected_word: str) -> None:
    with pytest.raises((DslSyntaxError, DslTypeError)) as info:
        parse_program(text, file="f.dsl")
    assert expected_word in str(info.value)
    assert str(info.value).startswith("f.dsl:")


@pytest.mark.parametrize(
    "text,where,name",
    [
        ("input xs: Lst[Int]\nlen(xs)", "1:11", "Lst"),  # before: 2:1: syntax error: unexpected 'len'
        ("input xs: Lst\nlen(xs)", "1:11", "Lst"),
        ("input n: Int\ninput xs: List[Lst[Int]]\nlen(xs)", "2:16", "Lst"),
        ("type R = {a: Mp[Int, Sym]}\ninput xs: List[R]\nlen(xs)", "1:14", "Mp"),
        ("input m: Map[Int, Lisst[Int]]\nm", "1:19", "Lisst"),
    ],
)
def test_a_misspelt_generic_type_is_an_unknown_type(text: str, where: str, name: str) -> None:
    with pytest.raises(DslTypeError) as info:
        parse_program(text, file="bad.dsl")
    assert str(info.value).startswith(f"bad.dsl:{where}: type error: unknown type '{name}' (known: Int, ")
    with pytest.raises(DslTypeError, match="^1:1: type error: unknown type 'Lst'"):
        parse_type("Lst[Int]")


def test_a_list_after_an_input_is_still_an_expression() -> None:
    assert parse_program("input n: Int\n[n, n]").body == ast.ListLit((V("n"), V("n")))
    with pytest.raises(DslSyntaxError, match="unexpected end of input"):  # a real syntax error stays one
        parse_program("input n: Int\n[n, n] +")
    with pytest.raises(DslSyntaxError, match="unexpected 'len'"):  # an alias is not generic: no "unknown type" for it
        parse_program("type T = Int\ninput xs: T[Int]\nlen(xs)")


def test_syntax_error_position_and_caret() -> None:
    with pytest.raises(DslSyntaxError) as info:
        parse_program("input xs: List[Int]\nfold (s, x) -> s + from 0 over xs\n", file="p.dsl")
    err = info.value
    assert err.pos is not None and (err.pos.line, err.pos.column) == (2, 20)
    assert str(err).splitlines()[0] == "p.dsl:2:20: syntax error: unexpected 'from'; expected an expression"
    assert err.detail is not None
    src, caret = err.detail.splitlines()
    assert src.strip() == "fold (s, x) -> s + from 0 over xs"
    assert caret.index("^") == src.index("from")


def test_end_of_input() -> None:
    with pytest.raises(DslSyntaxError, match="unexpected end of input; expected an expression"):
        parse_program("input x: Int\nx +")


def test_keywords_are_not_names() -> None:
    from dsl.parse import _parser

    words = {str(t.pattern.value) for t in _parser().terminals if t.pattern.type == "str" and t.pattern.value.isalpha()}
    assert words == set(KEYWORDS)
    with pytest.raises(DslSyntaxError, match="unexpected 'in'; expected a name"):
        parse_expr("let in = 1 in 2")


def test_unknown_element_and_function() -> None:
    with pytest.raises(DslSyntaxError, match='unknown element "7" of group Z2'):
        parse_expr("Z2:7")
    with pytest.raises(DslSyntaxError, match="unknown function 'foo'"):
        parse_expr("foo(1)")


def test_duplicate_record_field() -> None:
    with pytest.raises(DslTypeError, match="field 'a' appears twice"):
        parse_expr("{a: 1, a: 2}")


def test_aliases_may_use_earlier_aliases_only() -> None:
    p = parse_program("type A = {x: Int}\ntype B = List[A]\ninput b: B\nb")
    assert p.inputs[0].type == ListT(RecordT((("x", INT),)))
    with pytest.raises(DslTypeError, match="unknown type 'B'"):
        parse_program("type A = List[B]\ntype B = Int\ninput a: A\na")
    with pytest.raises(DslTypeError, match="already defined"):
        parse_program("type Int = Bool\ninput a: Int\na")


def test_empty_program_and_crlf() -> None:
    with pytest.raises(DslSyntaxError, match="unexpected end of input; expected an expression, 'input' or 'type'"):
        parse_program("")
    assert parse_program("input x: Int\r\nx + 1\r\n").body == P("+", V("x"), ast.IntLit(1))


def test_syntax_error_names_the_whole_word_not_a_keyword_prefix() -> None:
    with pytest.raises(DslSyntaxError) as info:
        parse_program("input xs: List[Int]\nfold (s, x) -> s xor x form 0 over xs\n", file="p.dsl")
    assert str(info.value).splitlines()[0] == "p.dsl:2:24: syntax error: unexpected 'form'; expected 'from'"


def test_a_program_without_inputs_is_a_constant_that_prints_and_parses_back() -> None:
    """`synth solve` on a task whose examples have no inputs wrote `2 + (2 + 2)`, which the parser refused."""
    from dsl.check import check_program
    from dsl.interp import run_program
    from dsl.printer import show

    program = parse_program("2 + (2 + 2)")
    assert program.inputs == () and check_program(program) == INT and run_program(program, {}) == 6
    assert parse_program(show(program)) == program
    with pytest.raises(DslTypeError, match="undefined variable 'x'.*declared first, as `input x: TYPE`"):
        check_program(parse_program("x + 1", file="f.dsl"))


@pytest.mark.parametrize("text, char, line", [
    ("input x: Int\nx\n\x00\n", r"'\x00'", r"  \x00"),
    ("input x: Int\nx \x1b[31m+ 1\n", r"'\x1b'", r"  x \x1b[31m+ 1"),
    ("input x: Int\nx +\t\x01 1\n", r"'\x01'", r"  x + \x01 1"),
])
def test_an_unprintable_character_is_shown_escaped_with_the_caret_under_it(text: str, char: str, line: str) -> None:
    """Audit: a NUL showed as nothing, and an escape sequence in the file reached the terminal in the echoed line."""
    with pytest.raises(DslSyntaxError) as info:
        parse_program(text)
    message = str(info.value)
    assert f"unexpected character {char}" in message, message
    echoed, caret = message.splitlines()[-2:]
    assert echoed == line and caret.index("^") == echoed.index("\\")  # under the escape's backslash
    assert all(ch.isprintable() for ch in message.replace("\n", ""))
