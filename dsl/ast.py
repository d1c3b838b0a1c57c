"""The abstract syntax tree: frozen dataclasses, compared without positions.

Positions (`pos`) are kept for error messages but excluded from equality and
hashing, so a printed-then-parsed program equals the original, and the
synthesizer can build nodes without positions.

Loop forms state their body once for all members of a collection:
  Comp   [body for v in src if cond]                element-wise map / filter;
         over `range(k)` it is the index-wise loop
  Fold   fold (s, x) -> body from init over src     recurrence (scan: all states)
  Rule   forall c in src: f[key] = body             recursive rule over a relation,
                                                    read as a least fixpoint
  Bisect bisect i in lo .. hi: body                 binary search over an integer range
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Iterator

from dsl.errors import DslSyntaxError, Pos
from dsl.groups import Elem
from dsl.limits import MAX_NESTING
from dsl.types import Type


@dataclass(frozen=True)
class Expr:
    pos: Pos | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True)
class Var(Expr):
    name: str


@dataclass(frozen=True)
class IntLit(Expr):
    value: int


@dataclass(frozen=True)
class BoolLit(Expr):
    value: bool


@dataclass(frozen=True)
class SymLit(Expr):
    """A variable name as a value, written 'a'."""

    name: str


@dataclass(frozen=True)
class ElemLit(Expr):
    """A group element, written G:name (Z2:1, S3:(012), D4:r1)."""

    value: Elem


@dataclass(frozen=True)
class Field(Expr):
    record: Expr
    name: str


@dataclass(frozen=True)
class Index(Expr):
    """xs[i] on a list, f[k] on a map (including a rule's own name in its body)."""

    coll: Expr
    key: Expr


@dataclass(frozen=True)
class Prim(Expr):
    """A generic primitive applied to arguments; see dsl.prims for the table.

    `op_pos` is an infix operator's own token (the `/` of `a / b`), where a
    located runtime error points (dsl.interp, `locate=True`).
    """

    op: str
    args: tuple[Expr, ...]
    op_pos: Pos | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True)
class If(Expr):
    cond: Expr
    then: Expr
    orelse: Expr


@dataclass(frozen=True)
class Let(Expr):
    name: str
    value: Expr
    body: Expr


@dataclass(frozen=True)
class ListLit(Expr):
    items: tuple[Expr, ...]


@dataclass(frozen=True)
class RecordLit(Expr):
    fields: tuple[tuple[str, Expr], ...]


@dataclass(frozen=True)
class Comp(Expr):
    var: str
    src: Expr
    body: Expr
    cond: Expr | None = None


@dataclass(frozen=True)
class Fold(Expr):
    state: str
    var: str
    body: Expr
    init: Expr
    src: Expr
    scan: bool = False


@dataclass(frozen=True)
class Bisect(Expr):
    """`bisect var in lo .. hi: body`: the last `var` in lo..hi where `body` holds, by binary search (lo - 1 if none).

    Exactly the search of dsl.interp._bisect_fn, on any body: an empty range (lo > hi) gives hi.
    """

    var: str
    lo: Expr
    hi: Expr
    body: Expr


@dataclass(frozen=True)
class Rule(Expr):
    fname: str
    var: str
    src: Expr
    key: Expr
    body: Expr


@dataclass(frozen=True)
class Param:
    name: str
    type: Type
    pos: Pos | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True)
class Program:
    """`input` declarations, then one expression whose value is the output."""

    inputs: tuple[Param, ...]
    body: Expr

    def input_types(self) -> dict[str, Type]:
        return {p.name: p.type for p in self.inputs}


def children(e: Expr) -> Iterator[Expr]:
    """The direct subexpressions of `e`, in field order."""
    for f in fields(e):
        v = getattr(e, f.name)
        if isinstance(v, Expr):
            yield v
        elif isinstance(v, tuple):
            for x in v:
                if isinstance(x, Expr):
                    yield x
                elif isinstance(x, tuple) and len(x) == 2 and isinstance(x[1], Expr):
                    yield x[1]  # a record literal's (name, value)


def free_names(e: Expr) -> frozenset[str]:
    """The variables `e` reads from outside it: a loop's, a rule's or a let's own names are bound inside it."""
    if isinstance(e, Var):
        return frozenset((e.name,))
    if isinstance(e, Let):
        return free_names(e.value) | (free_names(e.body) - {e.name})
    if isinstance(e, Comp):
        inner = free_names(e.body) | (free_names(e.cond) if e.cond is not None else frozenset())
        return free_names(e.src) | (inner - {e.var})
    if isinstance(e, Fold):
        return free_names(e.init) | free_names(e.src) | (free_names(e.body) - {e.state, e.var})
    if isinstance(e, Bisect):
        return free_names(e.lo) | free_names(e.hi) | (free_names(e.body) - {e.var})
    if isinstance(e, Rule):
        return free_names(e.src) | ((free_names(e.key) | free_names(e.body)) - {e.var, e.fname})
    out: frozenset[str] = frozenset()
    for c in children(e):
        out |= free_names(c)
    return out


def size(e: Expr) -> int:
    """The number of AST nodes of `e` (every Expr, once per occurrence): a program's size, counted without recursion."""
    count, stack = 0, [e]
    while stack:
        node = stack.pop()
        count += 1
        stack.extend(children(node))
    return count


def deepest(e: Expr) -> tuple[int, Expr]:
    """The nesting depth of `e` (a leaf is 1) and its deepest node, found without recursion."""
    best, best_node = 0, e
    stack = [(e, 1)]
    while stack:
        node, d = stack.pop()
        if d > best:
            best, best_node = d, node
        stack.extend((c, d + 1) for c in children(node))
    return best, best_node


def require_nesting(e: Expr, limit: int = MAX_NESTING) -> None:
    """Refuse an expression nested deeper than `limit` before anything recurses over it.

    The checker, printer and compiler recurse once per level; this check is
    iterative and O(size), so a program 50,000 levels deep gets a message,
    not a RecursionError.
    """
    d, node = deepest(e)
    if d > limit:
        raise DslSyntaxError(too_deep(d, limit), pos=node.pos)


def too_deep(depth: int | str, limit: int = MAX_NESTING) -> str:
    return (
        f"the program is nested {depth} levels deep; at most {limit} levels are accepted "
        "(dsl.limits.MAX_NESTING)"
    )
