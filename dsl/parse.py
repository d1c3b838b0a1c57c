"""Text -> AST: Lark's LALR parser, a Transformer to dsl.ast, friendly errors.

The grammar lives in grammar.lark. Operators become `Prim` nodes named after
their entry in dsl.prims.PRIMS, so the table stays the single authority on
what an operator means. Lark's exceptions are translated into DslSyntaxError
with file:line:column, the line itself, a caret and what was expected, in words.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from lark import Lark, Token, Transformer_NonRecursive, Tree, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken, VisitError

from dsl import ast
from dsl.errors import DslSyntaxError, DslTypeError, Pos, UserError
from dsl.files import read_text, shorten
from dsl.groups import parse_elem
from dsl.limits import MAX_LITERAL_DIGITS, MAX_NESTING, MAX_TYPE_PARTS
from dsl.prims import PRIMS
from dsl.types import BASE_TYPES, ListT, MapT, RecordT, Type

GRAMMAR_PATH = Path(__file__).with_name("grammar.lark")

# The same words as the negative lookahead of NAME in grammar.lark (a test checks).
KEYWORDS = frozenset(
    "if then else let in fold scan from over forall for bisect not and or xor mod true false type input List Map".split()
)

# Operator spelling -> primitive name, from the table (infix ops are spelled as their name).
INFIX_OPS: dict[str, str] = {s.op: s.op for s in PRIMS.values() if s.syntax == "infix"}
PREFIX_OPS: dict[str, str] = {("-" if s.op == "neg" else s.op): s.op for s in PRIMS.values() if s.syntax == "prefix"}
CALL_OPS: dict[str, str] = {s.op: s.op for s in PRIMS.values() if s.syntax == "call"}


@lru_cache(maxsize=None)
def _parser() -> Lark:
    return Lark(
        GRAMMAR_PATH.read_text(encoding="utf-8"),
        parser="lalr",
        lexer="contextual",
        propagate_positions=True,
        maybe_placeholders=True,
        start=["start", "expr_only", "type_only"],
    )


def _pos(meta: Any) -> Pos | None:
    if getattr(meta, "empty", True):
        return None
    return Pos(meta.line, meta.column, meta.end_line, meta.end_column)


def _tok_pos(tok: Token) -> Pos:
    return Pos(tok.line or 1, tok.column or 1, tok.end_line, tok.end_column)


def _name(tok: Token) -> str:
    """A user-chosen name; keywords are refused here too, should the grammar and KEYWORDS ever drift apart."""
    if tok.value in KEYWORDS:
        raise DslSyntaxError(f"syntax error: '{tok.value}' is a keyword and cannot be used as a name", pos=_tok_pos(tok))
    return str(tok.value)


@v_args(meta=True, inline=True)
class _ToAst(Transformer_NonRecursive):
    """Parse tree -> dsl.ast nodes; type aliases are expanded as they are met."""

    def __init__(self) -> None:
        super().__init__()
        self.aliases: dict[str, Type] = {}
        # id(type) -> (depth, parts) of each composite type built here, the type kept alive beside it: aliases
        # share parts, so a type's tree may be far deeper or larger than its text (`type T1 = {a: T0, b: T0}`, ...)
        self._shapes: dict[int, tuple[int, int, Type]] = {}

    def _measured(self, typ: Type, parts: tuple[Type, ...], meta: Any) -> Type:
        """`typ`, unless its tree (aliases expanded) is deeper than MAX_NESTING or has more than MAX_TYPE_PARTS parts."""
        shapes = [self._shapes.get(id(p), (1, 1, p)) for p in parts]  # a base type: one level, one part
        depth = 1 + max((d for d, _, _ in shapes), default=0)
        size = 1 + sum(n for _, n, _ in shapes)
        if depth > MAX_NESTING:
            raise DslTypeError(f"type error: {ast.too_deep(depth)} (type aliases count as written out)", pos=_pos(meta))
        if size > MAX_TYPE_PARTS:
            raise DslTypeError(
                f"type error: a type of more than {MAX_TYPE_PARTS:,} parts once its aliases are written out "
                "(dsl.limits.MAX_TYPE_PARTS)", pos=_pos(meta),
            )
        self._shapes[id(typ)] = (depth, size, typ)
        return typ

    # --- program structure -------------------------------------------------
    def start(self, meta: Any, *children: Any) -> ast.Program:
        params = tuple(c for c in children if isinstance(c, ast.Param))
        body = children[-1]
        return ast.Program(params, body)

    def expr_only(self, meta: Any, e: ast.Expr) -> ast.Expr:
        return e

    def type_only(self, meta: Any, t: Type) -> Type:
        return t

    def typedef(self, meta: Any, name: Token, typ: Type) -> None:
        n = _name(name)
        if n in BASE_TYPES or n in self.aliases:
            raise DslTypeError(f"type error: type {n} is already defined", pos=_tok_pos(name))
        self.aliases[n] = typ
        return None

    def input(self, meta: Any, name: Token, typ: Type) -> ast.Param:
        return ast.Param(_name(name), typ, pos=_tok_pos(name))

    # --- types -------------------------------------------------------------
    def type_name(self, meta: Any, name: Token) -> Type:
        if name.value in BASE_TYPES:
            return BASE_TYPES[name.value]
        if name.value in self.aliases:
            return self.aliases[name.value]
        raise _unknown_type(name, self.aliases)

    def list_type(self, meta: Any, item: Type) -> Type:
        return self._measured(ListT(item), (item,), meta)

    def map_type(self, meta: Any, key: Type, value: Type) -> Type:
        return self._measured(MapT(key, value), (key, value), meta)

    def tfield(self, meta: Any, name: Token, typ: Type) -> tuple[str, Type, Token]:
        return (_name(name), typ, name)

    def record_type(self, meta: Any, *fields: Any) -> Type:
        typed = tuple((n, t) for n, t in _unique_fields(fields, "record type"))
        return self._measured(RecordT(typed), tuple(t for _, t in typed), meta)

    # --- expressions -------------------------------------------------------
    def int_lit(self, meta: Any, tok: Token) -> ast.Expr:
        digits = len(tok.value.lstrip("-"))
        if digits > MAX_LITERAL_DIGITS:
            raise DslSyntaxError(
                f"syntax error: an integer literal of {digits:,} digits "
                f"(at most {MAX_LITERAL_DIGITS:,}, dsl.limits.MAX_LITERAL_DIGITS)",
                pos=_tok_pos(tok),
            )
        return ast.IntLit(int(tok.value), pos=_pos(meta))

    def true(self, meta: Any) -> ast.Expr:
        return ast.BoolLit(True, pos=_pos(meta))

    def false(self, meta: Any) -> ast.Expr:
        return ast.BoolLit(False, pos=_pos(meta))

    def sym_lit(self, meta: Any, tok: Token) -> ast.Expr:
        return ast.SymLit(tok.value[1:-1], pos=_pos(meta))

    def elem_lit(self, meta: Any, tok: Token) -> ast.Expr:
        try:
            value = parse_elem(tok.value)
        except UserError as err:
            raise DslSyntaxError(f"syntax error: {err.message}", pos=_tok_pos(tok)) from None
        return ast.ElemLit(value, pos=_pos(meta))

    def var(self, meta: Any, tok: Token) -> ast.Expr:
        return ast.Var(_name(tok), pos=_pos(meta))

    def call(self, meta: Any, fn: Token, *args: Any) -> ast.Expr:
        op = CALL_OPS.get(fn.value)
        if op is None:
            known = ", ".join(sorted(CALL_OPS))
            raise DslSyntaxError(f"syntax error: unknown function {fn.value!r} (known: {known})", pos=_tok_pos(fn))
        return ast.Prim(op, tuple(a for a in args if a is not None), pos=_pos(meta))

    def binop(self, meta: Any, left: ast.Expr, op: Token, right: ast.Expr) -> ast.Expr:
        return ast.Prim(INFIX_OPS[op.value], (left, right), pos=_pos(meta), op_pos=_tok_pos(op))

    def prefix(self, meta: Any, op: Token, arg: ast.Expr) -> ast.Expr:
        return ast.Prim(PREFIX_OPS[op.value], (arg,), pos=_pos(meta))

    def field(self, meta: Any, rec: ast.Expr, name: Token) -> ast.Expr:
        return ast.Field(rec, _name(name), pos=_pos(meta))

    def index(self, meta: Any, coll: ast.Expr, key: ast.Expr) -> ast.Expr:
        return ast.Index(coll, key, pos=_pos(meta))

    def list_lit(self, meta: Any, *items: Any) -> ast.Expr:
        return ast.ListLit(tuple(i for i in items if i is not None), pos=_pos(meta))

    def rfield(self, meta: Any, name: Token, value: ast.Expr) -> tuple[str, ast.Expr, Token]:
        return (_name(name), value, name)

    def record_lit(self, meta: Any, *fields: Any) -> ast.Expr:
        return ast.RecordLit(tuple(_unique_fields(fields, "record")), pos=_pos(meta))

    def comp(self, meta: Any, body: ast.Expr, var: Token, src: ast.Expr, cond: ast.Expr | None) -> ast.Expr:
        return ast.Comp(_name(var), src, body, cond, pos=_pos(meta))

    def if_(self, meta: Any, cond: ast.Expr, then: ast.Expr, orelse: ast.Expr) -> ast.Expr:
        return ast.If(cond, then, orelse, pos=_pos(meta))

    def let(self, meta: Any, name: Token, value: ast.Expr, body: ast.Expr) -> ast.Expr:
        return ast.Let(_name(name), value, body, pos=_pos(meta))

    def fold(self, meta: Any, s: Token, x: Token, body: ast.Expr, init: ast.Expr, src: ast.Expr) -> ast.Expr:
        return ast.Fold(_name(s), _name(x), body, init, src, False, pos=_pos(meta))

    def scan(self, meta: Any, s: Token, x: Token, body: ast.Expr, init: ast.Expr, src: ast.Expr) -> ast.Expr:
        return ast.Fold(_name(s), _name(x), body, init, src, True, pos=_pos(meta))

    def rule(self, meta: Any, var: Token, src: ast.Expr, fname: Token, key: ast.Expr, body: ast.Expr) -> ast.Expr:
        return ast.Rule(_name(fname), _name(var), src, key, body, pos=_pos(meta))

    def bisect(self, meta: Any, var: Token, lo: ast.Expr, hi: ast.Expr, body: ast.Expr) -> ast.Expr:
        return ast.Bisect(_name(var), lo, hi, body, pos=_pos(meta))


def _unknown_type(name: Token, aliases: Iterable[str]) -> DslTypeError:
    known = ", ".join(list(BASE_TYPES) + list(aliases))
    written = str(name.value)
    cased = {t.lower(): t for t in [*BASE_TYPES, "List", "Map"]}.get(written.lower())
    hint = f"; type names start with a capital: {cased}" if cased and cased != written else ""
    return DslTypeError(
        f"type error: unknown type {shorten(written, 40)!r} (known: {known}, List[T], Map[K, V], {{field: T, ...}}){hint}",
        pos=_tok_pos(name),
    )


def _misspelt_generic(text: str, start: str) -> DslTypeError | None:
    """The error for a type written NAME[...] with an unknown NAME (`Lst[Int]`), or None.

    The parser cannot say it: `input xs: Lst` is a whole header, and `[Int]`
    then reads as the program's expression (a list literal), so the syntax
    error lands later, on whatever follows. Called only once a parse has
    failed; walks the types of the headers (`input NAME: T`, `type NAME = T`)
    token by token.
    """
    try:
        toks = list(_parser().lex(text))
    except Exception:  # a lexer error: the syntax error says it
        return None
    aliases = [toks[k + 1].value for k in range(len(toks) - 2) if toks[k].type == "TYPE" and toks[k + 1].type == "NAME"]
    known = set(BASE_TYPES) | set(aliases)

    def kind(k: int) -> str:
        return toks[k].type if k < len(toks) else "$END"

    def walk(k: int) -> int | Token | None:
        """The index after the type at k, the NAME token of a misspelt generic, or None (not a type: stop)."""
        if kind(k) == "NAME":
            return toks[k] if kind(k + 1) == "LSQB" and toks[k].value not in known else k + 1
        if kind(k) in ("LIST", "MAP") and kind(k + 1) == "LSQB":
            k += 2
            while True:
                found = walk(k)
                if not isinstance(found, int):
                    return found
                if kind(found) == "RSQB":
                    return found + 1
                if kind(found) != "COMMA":
                    return None
                k = found + 1
        if kind(k) == "LBRACE":
            k += 1
            while kind(k) == "NAME" and kind(k + 1) == "COLON":
                found = walk(k + 2)
                if not isinstance(found, int):
                    return found
                if kind(found) == "RBRACE":
                    return found + 1
                if kind(found) != "COMMA":
                    return None
                k = found + 1
        return None

    starts = [0] if start == "type_only" else [
        k + 3 for k in range(len(toks) - 2) if (kind(k), kind(k + 1), kind(k + 2)) in (("INPUT", "NAME", "COLON"), ("TYPE", "NAME", "EQUAL"))
    ]
    for k in starts:
        found = walk(k)
        if isinstance(found, Token):
            return _unknown_type(found, aliases)
    return None


def _unique_fields(fields: Iterable[Any], what: str) -> list[tuple[str, Any]]:
    seen: set[str] = set()
    out = []
    for f in fields:
        if f is None:
            continue
        name, value, tok = f
        if name in seen:
            raise DslTypeError(f"type error: field {name!r} appears twice in a {what}", pos=_tok_pos(tok))
        seen.add(name)
        out.append((name, value))
    return out


# --- friendly error messages ---------------------------------------------------

_REGEX_WORDS = {
    "NAME": "a name",
    "INT": "an integer",
    "NEGINT": "an integer",
    "SYMLIT": "a symbol such as 'a'",
    "ELEM": "a group element such as Z2:1",
    "CMPOP": "a comparison",
    "$END": "end of input",
}
_EXPR_START_WORDS = {"if", "let", "fold", "scan", "forall", "bisect", "not", "-", "(", "[", "{", "true", "false"}
_EXPR_START_REGEX = {"NAME", "INT", "NEGINT", "SYMLIT", "ELEM"}
_TYPE_START_WORDS = {"List", "Map", "{"}
_OPERATOR_WORDS = {"or", "xor", "and", "+", "-", "*", "/", "mod", ".", "["}


def _terminal_text(name: str) -> str | None:
    """The literal text of a string terminal, or None for a pattern."""
    term = _parser().get_terminal(name) if name != "$END" else None
    if term is not None and term.pattern.type == "str":
        return str(term.pattern.value)
    return None


def _expected_words(names: Iterable[str]) -> str:
    names = set(names)
    texts = {n: _terminal_text(n) for n in names}
    words: list[str] = []
    literal = {t for t in texts.values() if t is not None}
    if {"INT", "SYMLIT", "ELEM"} <= names:
        words.append("an expression")
        names = {n for n in names if n not in _EXPR_START_REGEX and texts[n] not in _EXPR_START_WORDS}
    elif {"List", "Map"} <= literal and "NAME" in names:
        words.append("a type")
        names = {n for n in names if n != "NAME" and texts[n] not in _TYPE_START_WORDS}
    if "CMPOP" in names and len({texts[n] for n in names} & _OPERATOR_WORDS) >= 4:
        words.append("an operator")
        names = {n for n in names if n != "CMPOP" and texts[n] not in _OPERATOR_WORDS}
    rest = []
    for n in names:
        t = texts.get(n)
        rest.append(f"'{t}'" if t is not None else _REGEX_WORDS.get(n, n))
    words.extend(sorted(set(rest)))
    if not words:
        return "nothing more"
    if len(words) == 1:
        return words[0]
    return ", ".join(words[:-1]) + " or " + words[-1]


CARET_WINDOW = 60  # characters of a long line shown on each side of the caret


def _visible(text: str) -> str:
    """`text` with every character a terminal would not print as itself escaped (`\\x00`, `\\x1b`): an escape sequence
    in a file must not reach the terminal, and an invisible character must show in a message about it."""
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


def _caret(text: str, line: int, column: int) -> str:
    """The offending line with a caret under `column`; a long line is cut around it; unprintable characters escaped."""
    lines = text.splitlines() or [""]
    src = lines[line - 1] if 0 < line <= len(lines) else ""
    src = src.replace("\t", " ")
    col = max(column - 1, 0)
    col, src = len(_visible(src[:col])), _visible(src)
    if len(src) > 2 * CARET_WINDOW:
        start = max(col - CARET_WINDOW, 0)
        head = "... " if start else ""
        cut = src[start:col + CARET_WINDOW]
        tail = f" ... ({len(src):,} characters in all)" if col + CARET_WINDOW < len(src) else ""
        src, col = head + cut + tail, len(head) + col - start
    return f"  {src}\n  {' ' * col}^"


def _end_pos(text: str) -> tuple[int, int]:
    stripped = text.rstrip()
    lines = stripped.split("\n")
    return len(lines), len(lines[-1]) + 1


def _acceptable(err: UnexpectedInput, fallback: Iterable[str]) -> set[str]:
    """What could really come next: LALR's default reductions make `expected` too wide."""
    ip = getattr(err, "interactive_parser", None)
    if ip is not None:
        try:
            return set(ip.accepts())
        except Exception:  # pragma: no cover - fall back to Lark's own set
            pass
    return set(fallback)


def _whole_word(text: str, tok) -> str:
    """The word the user wrote: Lark lexes a keyword prefix ('for' of 'form') as a token of its own."""
    value = str(tok.value)
    start = getattr(tok, "start_pos", None)
    if start is None or not value[-1:].isalnum():
        return value
    end = start + len(value)
    while end < len(text) and (text[end].isalnum() or text[end] == "_"):
        end += 1
    return text[start:end]


# What a user of another language writes, keyed by the character the lexer cannot read.
_CHAR_HINTS = {
    "%": "the remainder is written `a mod b`",
    "&": "write `and` for &&",
    "|": "write `or` for ||",
    "!": "write `not x` for !x; `!=` is not-equal",
    "^": "write `xor` for ^",
    '"': "a symbol is written in single quotes: 'a'",
    "'": "a symbol ends with ' on its own line: 'a'",  # the lexer stops at a quote only when none closes it
}


def _hint(err: UnexpectedInput, text: str, expected: set[str]) -> str | None:
    """A likely fix for a mistake common in other languages, or None (the expected list has to do)."""
    if isinstance(err, UnexpectedCharacters):
        return _CHAR_HINTS.get(err.char)
    if not isinstance(err, UnexpectedToken) or err.token.type == "$END":
        return None
    tok = err.token
    word = _whole_word(text, tok)
    start = getattr(tok, "start_pos", None) or 0
    if word == "=" and "CMPOP" in expected:
        return "compare with `==`"
    if word == "elif":
        return "there is no elif: write `else if ... then ... else ...`"
    if tok.type == "INT" and text[max(start - 2, 0):start][:1].isdigit() and text[start - 1:start] == ".":
        return "the DSL has integers only"
    ranges = any(_terminal_text(n) == ".." for n in expected)
    if word == ".." and not ranges:
        return "`lo .. hi` is only the range of a bisect, `bisect i in lo .. hi: cond`; the list 0, ..., n-1 is range(n)"
    if word == "." and text[max(start - 2, 0):start] == "..":
        return "a bisect's range is written with two dots: `lo .. hi`"
    if ranges:  # `bisect i in 0 n: ...`, `bisect i in range(n): ...`
        return "a bisect's range is written `lo .. hi`, both ends included"
    return None


_GROUPISH = re.compile(r"(?<![A-Za-z0-9_])([A-Za-z]+[0-9]+)$")
_KNOWN_GROUP = re.compile(r"Z[1-9][0-9]*|S3|D4")


def _bad_element(err: UnexpectedInput, text: str) -> str | None:
    """What is wrong with a group element the lexer could not read (`Q8:i`, `S3:(0 1 2)`), or None.

    The element pattern fails as a whole, so Lark sees a name and then an
    unexpected ':'; only a name shaped like a group's, glued to the colon and
    to what follows, is taken for an element.
    """
    if not isinstance(err, UnexpectedToken) or err.token.value != ":":
        return None
    colon = getattr(err.token, "start_pos", None)
    named = _GROUPISH.search(text[:colon]) if colon is not None else None
    if named is None or colon is None or text[colon + 1:colon + 2].isspace() or colon + 1 >= len(text):
        return None
    group = named.group(1)
    if not _KNOWN_GROUP.fullmatch(group):
        return f"unknown group {group} (groups: Z2, Z<n> for n >= 1, S3, D4)"
    cycle = re.match(r"\(([^)\n]*)\)", text[colon + 1:])
    if cycle and not cycle.group(1).strip():
        return f"{group}:() is no element: the identity is {group}:e, a cycle is written like {group}:(012)"
    if cycle and re.fullmatch(r"[0-9 ]+", cycle.group(1)):
        return f"write the cycle without spaces: {group}:({cycle.group(1).replace(' ', '')})"
    return None


def _syntax_error(err: UnexpectedInput, text: str, file: str | None) -> DslSyntaxError:
    element = _bad_element(err, text)
    if element is not None:
        tok = err.token  # type: ignore[attr-defined]  # _bad_element accepts only an UnexpectedToken
        line, col = tok.line or 1, tok.column or 1
        return DslSyntaxError(f"syntax error: {element}", file=file, pos=Pos(line, col), detail=_caret(text, line, col))
    if isinstance(err, UnexpectedToken) and err.token.type != "$END":
        tok = err.token
        line, col = tok.line or 1, tok.column or 1
        what = f"'{shorten(_whole_word(text, tok), 40)}'"
        expected = _acceptable(err, err.expected)
    elif isinstance(err, (UnexpectedToken, UnexpectedEOF)):
        line, col = _end_pos(text)
        what = "end of input"
        expected = _acceptable(err, err.expected)
    elif isinstance(err, UnexpectedCharacters):
        line, col = err.line, err.column
        what = f"character '{_visible(err.char)}'"
        expected = _acceptable(err, err.allowed or set())
    else:  # pragma: no cover - Lark has no other kinds today
        line, col = getattr(err, "line", 1), getattr(err, "column", 1)
        what, expected = "input", set()
    words = _expected_words(expected)
    message = f"syntax error: unexpected {what}"
    if words.count(",") < 8:  # a lexer's whole alphabet is noise, not help
        message += f"; expected {words}"
    hint = _hint(err, text, expected)
    if hint is not None:
        message += f" ({hint})"
    return DslSyntaxError(message, file=file, pos=Pos(line, col), detail=_caret(text, line, col))


def _run(text: str, start: str, file: str | None) -> Any:
    try:
        tree = _parse_tree(text, start, file)
    except UnexpectedInput as err:
        misspelt = _misspelt_generic(text, start) if start != "expr_only" else None
        if misspelt is not None:
            raise misspelt.located(file) if file is not None else misspelt from None
        raise _syntax_error(err, text, file) from None
    _require_nesting(tree, text, file)
    try:
        return _ToAst().transform(tree)
    except VisitError as err:
        orig = err.orig_exc
        if isinstance(orig, UserError):
            if isinstance(orig, DslSyntaxError) and orig.pos is not None and orig.detail is None:
                orig.detail = _caret(text, orig.pos.line, orig.pos.column)
            if file is not None:
                orig.located(file)
            raise orig from None
        raise


# Parser states one nesting level can hold at once (`fold (s, x) -> ` is 7, plus
# the operator levels); a stack past MAX_STATES is surely too deep, so the parse
# stops there instead of building a tree of 50,000 levels first.
STATES_PER_LEVEL = 12
MAX_STATES = STATES_PER_LEVEL * MAX_NESTING + 50


def _parse_tree(text: str, start: str, file: str | None) -> Tree:
    """Lark's LALR parse, token by token, refusing a parser stack deeper than MAX_STATES."""
    ip = _parser().parse_interactive(text, start=start)
    states = ip.parser_state.state_stack
    token = None
    try:
        for token in ip.iter_parse():
            if len(states) > MAX_STATES:
                line, col = token.line or 1, token.column or 1
                raise DslSyntaxError(
                    ast.too_deep(f"more than {MAX_NESTING}"), file=file, pos=Pos(line, col), detail=_caret(text, line, col)
                )
        return ip.feed_eof(token)
    except UnexpectedInput as err:
        if getattr(err, "interactive_parser", None) is None:
            err.interactive_parser = ip
        raise


def _require_nesting(tree: Tree, text: str, file: str | None) -> None:
    """Refuse a parse tree deeper than MAX_NESTING before anything recurses over it.

    Lark's LALR parser is iterative, so a tree 50,000 levels deep is built
    fine; this walk is iterative too. The top node (the program) is not a level.
    """
    stack: list[tuple[Any, int]] = [(c, 1) for c in tree.children]
    while stack:
        node, d = stack.pop()
        if not isinstance(node, Tree):
            continue
        if d > MAX_NESTING:
            meta = node.meta
            line, col = (meta.line, meta.column) if not getattr(meta, "empty", True) else (1, 1)
            raise DslSyntaxError(ast.too_deep(_height(tree) - 1), file=file, pos=Pos(line, col), detail=_caret(text, line, col))
        stack.extend((c, d + 1) for c in node.children)


def _height(tree: Tree) -> int:
    best = 0
    stack: list[tuple[Any, int]] = [(tree, 1)]
    while stack:
        node, d = stack.pop()
        if isinstance(node, Tree):
            best = max(best, d)
            stack.extend((c, d + 1) for c in node.children)
    return best


def parse_program(text: str, file: str | None = None) -> ast.Program:
    """Parse a whole program (type aliases, inputs, one expression)."""
    return _run(text, "start", file)


def parse_expr(text: str) -> ast.Expr:
    """Parse a single expression (used by tests, the REPL-ish API and the synthesizer)."""
    return _run(text, "expr_only", None)


def parse_type(text: str) -> Type:
    """Parse a type such as List[{lhs: Sym, op: Elem}]."""
    return _run(text, "type_only", None)


# Files given where a program is expected, by extension: what they are, and which commands take them.
NOT_PROGRAMS = {
    ".json": "a JSON file, not a DSL program: a task file goes to `synth solve` or `synth validate`, or as DATA to `synth eval PROGRAM DATA`",
    ".jsonl": "a JSONL data file, not a DSL program: give it as DATA to `synth eval PROGRAM DATA`, or to `synth validate`",
    ".toml": "a TOML file (a suite spec or a grammar profile), not a DSL program: run a spec with `synth suite run SPEC --db FILE`; "
    "a profile goes to `synth solve TASK --grammar FILE`",
    ".npz": "the LEGO paper's arrays (.npz), not a DSL program: give them as DATA to `synth eval PROGRAM DATA`",
}


def load_program(path: str | Path) -> ast.Program:
    """Read and parse a program file; a missing, unreadable or non-UTF-8 file is a UserError.

    A file named as data or a spec (`NOT_PROGRAMS`) that does not parse says
    what it is, rather than where the DSL parser stopped in it.
    """
    file = str(path)
    suffix = Path(file).suffix.lower()
    other = NOT_PROGRAMS.get(suffix)
    if other is not None and suffix == ".npz" and Path(file).is_file():
        raise UserError(other, file=file)  # binary: not even text
    text = read_text(path)
    try:
        return parse_program(text, file=file)
    except UserError:
        if other is None:
            raise
        raise UserError(other, file=file) from None
