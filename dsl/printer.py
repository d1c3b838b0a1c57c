"""AST -> canonical text, such that parsing it gives back an equal AST.

Parentheses are added only where the grammar needs them: operator levels come
from dsl.prims.PRIMS (the grammar mirrors them), if/let/fold/scan/forall/bisect
sit at the lowest level because their last part extends as far right as possible.
A negation applied to a literal prints as `-(3)`, because `-3` is the literal.
"""

from __future__ import annotations

from dsl import ast
from dsl.prims import PRIMS
from dsl.types import Type

LOW = 0  # if / let / fold / scan / forall / bisect
POSTFIX = 10  # e.f, e[k]
ATOM = 11  # literals, names, calls, brackets


def show(node: ast.Expr | ast.Program | Type) -> str:
    """The canonical text of an expression, a program or a type."""
    if isinstance(node, ast.Program):
        return show_program(node)
    if isinstance(node, Type):
        return str(node)
    ast.require_nesting(node)
    return _show(node, LOW)


def show_program(p: ast.Program) -> str:
    ast.require_nesting(p.body)
    lines = [f"input {param.name}: {param.type}" for param in p.inputs]
    lines.append(_show(p.body, LOW))
    return "\n".join(lines) + "\n"


def level(e: ast.Expr) -> int:
    """How tightly `e` binds as printed; an operand below its slot's level gets parentheses."""
    if isinstance(e, ast.Prim):
        spec = PRIMS[e.op]
        return ATOM if spec.syntax == "call" else spec.precedence
    if isinstance(e, (ast.If, ast.Let, ast.Fold, ast.Rule, ast.Bisect)):
        return LOW
    if isinstance(e, (ast.Field, ast.Index)):
        return POSTFIX
    return ATOM


def _show(e: ast.Expr, need: int) -> str:
    text = _bare(e)
    return f"({text})" if level(e) < need else text


def _sym(name: str) -> str:
    if "'" in name or "\n" in name:
        raise ValueError(f"symbol {name!r} cannot be written as a literal")
    return f"'{name}'"


def _bare(e: ast.Expr) -> str:
    if isinstance(e, ast.Var):
        return e.name
    if isinstance(e, ast.BoolLit):
        return "true" if e.value else "false"
    if isinstance(e, ast.IntLit):
        return str(e.value)
    if isinstance(e, ast.SymLit):
        return _sym(e.name)
    if isinstance(e, ast.ElemLit):
        return str(e.value)
    if isinstance(e, ast.Field):
        return f"{_show(e.record, POSTFIX)}.{e.name}"
    if isinstance(e, ast.Index):
        return f"{_show(e.coll, POSTFIX)}[{_show(e.key, LOW)}]"
    if isinstance(e, ast.Prim):
        return _prim(e)
    if isinstance(e, ast.If):
        return f"if {_show(e.cond, LOW)} then {_show(e.then, LOW)} else {_show(e.orelse, LOW)}"
    if isinstance(e, ast.Let):
        return f"let {e.name} = {_show(e.value, LOW)} in {_show(e.body, LOW)}"
    if isinstance(e, ast.ListLit):
        return "[" + ", ".join(_show(i, LOW) for i in e.items) + "]"
    if isinstance(e, ast.RecordLit):
        return "{" + ", ".join(f"{n}: {_show(v, LOW)}" for n, v in e.fields) + "}"
    if isinstance(e, ast.Comp):
        cond = f" if {_show(e.cond, LOW)}" if e.cond is not None else ""
        return f"[{_show(e.body, LOW)} for {e.var} in {_show(e.src, LOW)}{cond}]"
    if isinstance(e, ast.Fold):
        kw = "scan" if e.scan else "fold"
        return (
            f"{kw} ({e.state}, {e.var}) -> {_show(e.body, LOW)}"
            f" from {_show(e.init, LOW)} over {_show(e.src, LOW)}"
        )
    if isinstance(e, ast.Rule):
        return (
            f"forall {e.var} in {_show(e.src, LOW)}: "
            f"{e.fname}[{_show(e.key, LOW)}] = {_show(e.body, LOW)}"
        )
    if isinstance(e, ast.Bisect):  # `..` and `:` end the bounds, as `over` and `:` end fold's and forall's parts
        return f"bisect {e.var} in {_show(e.lo, LOW)} .. {_show(e.hi, LOW)}: {_show(e.body, LOW)}"
    raise TypeError(f"not an expression: {e!r}")


def _prim(e: ast.Prim) -> str:
    spec = PRIMS[e.op]
    if spec.syntax == "call":
        return f"{e.op}(" + ", ".join(_show(a, LOW) for a in e.args) + ")"
    if spec.syntax == "prefix":
        (arg,) = e.args
        word = "-" if e.op == "neg" else e.op
        inner = _show(arg, spec.precedence)
        if word == "-" and (inner[:1].isdigit() or isinstance(arg, ast.IntLit)):
            return f"-({_bare(arg)})"  # `-3` would read back as the literal -3
        sep = " " if word.isalpha() else ""
        return f"{word}{sep}{inner}"
    left, right = e.args
    return f"{_show(left, spec.precedence)} {e.op} {_show(right, spec.precedence + 1)}"
