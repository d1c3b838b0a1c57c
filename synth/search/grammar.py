"""What the search may build: primitives, constants, node costs.

The grammar is generic: the primitives of a profile (by default the core
primitives of `dsl.prims`; see synth.search.profiles for the list library),
the task's input variables, a few small integers and the group elements that
occur in the examples. The cost of a program is the sum of its nodes' weights
(1 each by default, i.e. program size); a profile's weights and a user's
weight table change that, e.g. to make a primitive dearer.
"""

from __future__ import annotations

import difflib
import numbers
from dataclasses import dataclass, field
from typing import Iterable, Mapping, Protocol

from dsl import ast
from dsl.errors import UserError
from dsl.groups import Elem, Group
from dsl.prims import CORE_PRIMS, PRIMS
from dsl.types import BOOL, ELEM, INT, IntT, ListT, MapT, RecordT, Type
from dsl.values import Record, Value, walk
from synth.search.settings import DEFAULTS, Settings

# Node kinds other than primitives that carry a weight.
NODE_KINDS = ("var", "const", "field", "index", "if", "let", "record", "comp", "filter", "fold", "scan", "rule", "bisect")
# Loop forms every grammar has (built bottom-up, and deduced at the root), and
# those a profile may add that are only ever deduced from a goal (`bisect`: bisect.py).
LOOPS = ("comp", "filter", "fold", "scan")
DEDUCED_FORMS = ("bisect",)



@dataclass(frozen=True)
class Grammar:
    """The productions of one search; hashable so results can name it."""

    prims: tuple[str, ...] = CORE_PRIMS
    constants: tuple[tuple[Type, Value], ...] = ()
    weights: tuple[tuple[str, int], ...] = ()
    loops: tuple[str, ...] = LOOPS
    # Record types the search may build with a record literal {a: .., b: ..}:
    # those in the task's output (a scan's record states), so the inputs'
    # records (LEGO's clauses) are never rebuilt.
    records: tuple[RecordT, ...] = ()
    state_domains: tuple[tuple[Type, tuple[Value, ...]], ...] = field(default=(), compare=False)

    def weight(self, kind: str) -> int:
        for k, w in self.weights:
            if k == kind:
                return w
        return 1

    def cost(self, e: ast.Expr) -> int:
        """A program's cost as the search counts it: every node's weight (a primitive's own, any other node's kind)."""
        total, stack = 0, [e]
        while stack:
            node = stack.pop()
            total += self.weight(_kind(node))
            stack.extend(ast.children(node))
        return total

    def state_domain(self, typ: Type) -> tuple[Value, ...] | None:
        for t, dom in self.state_domains:
            if t == typ:
                return dom
        return None


def _kind(node: ast.Expr) -> str:
    """The weight table's key for a node (see NODE_KINDS); a node the search never builds is refused."""
    if isinstance(node, ast.Prim):
        return node.op
    if isinstance(node, ast.Comp):
        return "comp" if node.cond is None else "filter"
    if isinstance(node, ast.Fold):
        return "scan" if node.scan else "fold"
    kind = _KINDS.get(type(node))
    if kind is None:
        raise ValueError(f"the search builds no {type(node).__name__} node, so it has no cost")
    return kind


_KINDS: dict[type, str] = {
    ast.Var: "var", ast.IntLit: "const", ast.BoolLit: "const", ast.SymLit: "const", ast.ElemLit: "const",
    ast.Field: "field", ast.Index: "index", ast.If: "if", ast.Let: "let", ast.RecordLit: "record", ast.Rule: "rule",
    ast.Bisect: "bisect",
}


def parse_weights(spec: Mapping[str, int]) -> tuple[tuple[str, int], ...]:
    """Validate a weight table: keys are primitive ops or node kinds, weights >= 1."""
    out: list[tuple[str, int]] = []
    for key, w in spec.items():
        if key not in PRIMS and key not in NODE_KINDS:
            close = difflib.get_close_matches(str(key), [*PRIMS, *NODE_KINDS], n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise UserError(
                f"unknown weight key {key!r}: use a primitive ({', '.join(PRIMS)}) "
                f"or a node kind ({', '.join(NODE_KINDS)}){hint}"
            )
        if not isinstance(w, numbers.Integral) or isinstance(w, bool) or type(w).__name__ == "bool_" or w < 1:
            raise UserError(f"weight of {key!r} must be a whole number >= 1, got {w!r}")
        out.append((key, int(w)))  # a numpy integer is a whole number too, kept as a plain int
    return tuple(sorted(out))


class PrimitiveSet(Protocol):
    """What a grammar takes from a profile (synth.search.profiles.Profile)."""

    @property
    def primitives(self) -> tuple[str, ...]: ...

    @property
    def weights(self) -> tuple[tuple[str, int], ...]: ...

    @property
    def forms(self) -> tuple[str, ...]: ...


def values_of_type(value: Value, typ: Type, want: Type) -> Iterable[Value]:
    """Every value of type `want` inside `value` (of type `typ`): items of lists, fields of records."""
    if typ == want:
        yield value
    if isinstance(typ, ListT) and isinstance(value, tuple):
        for v in value:
            yield from values_of_type(v, typ.item, want)
    elif isinstance(typ, RecordT) and isinstance(value, Record):
        for v, (_, t) in zip(value.values, typ.fields):
            yield from values_of_type(v, t, want)


def _records_in(typ: Type) -> Iterable[RecordT]:
    if isinstance(typ, RecordT):
        yield typ
        for _, t in typ.fields:
            yield from _records_in(t)
    elif isinstance(typ, ListT):
        yield from _records_in(typ.item)
    elif isinstance(typ, MapT):
        yield from _records_in(typ.key)
        yield from _records_in(typ.value)


def _mentions(typ: Type, base: type) -> bool:
    if isinstance(typ, base):
        return True
    if isinstance(typ, ListT):
        return _mentions(typ.item, base)
    if isinstance(typ, MapT):
        return _mentions(typ.key, base) or _mentions(typ.value, base)
    if isinstance(typ, RecordT):
        return any(_mentions(t, base) for _, t in typ.fields)
    return False


def grammar_for(
    input_types: Mapping[str, Type],
    output_type: Type,
    values: Iterable[Value],
    *,
    extra_ints: Iterable[int] = (),
    weights: Mapping[str, int] | None = None,
    profile: PrimitiveSet | None = None,
    settings: Settings = DEFAULTS,
) -> Grammar:
    """The default grammar for a task: generic primitives plus constants read off its data.

    Integer constants appear only when the task's types mention Int (small
    integers plus any the task declares, such as a class count); group
    elements only for the groups that occur in the examples. The profile
    gives the primitives and their weights (default: core, every node 1);
    `weights` override the profile's.
    """
    types = list(input_types.values()) + [output_type]
    uses_int = any(_mentions(t, IntT) for t in types)
    ints: set[int] = set()
    groups: dict[str, Group] = {}
    seen: dict[tuple[str, int], Elem] = {}
    for v in values:
        for x in walk(v):
            if isinstance(x, Elem):
                groups.setdefault(x.group.name, x.group)
                seen[(x.group.name, x.index)] = x
            elif isinstance(x, int) and not isinstance(x, bool):
                ints.add(x)
    # Every element of a small group (LEGO's Z2, S3, D4) is a constant; of a large one (Z1000000), the identity and
    # the elements the data shows: listing a million constants took longer than any timeout.
    elems: dict[tuple[str, int], Elem] = {}
    for name, g in groups.items():
        small = len(g) <= settings.max_state_domain
        for e in g.elements if small else (g.identity, *(e for (n, _), e in seen.items() if n == name)):
            elems[(name, e.index)] = e
    constants: list[tuple[Type, Value]] = []
    domains: list[tuple[Type, tuple[Value, ...]]] = [(BOOL, (False, True))]
    if uses_int:
        int_consts = sorted(set(settings.int_constants) | set(extra_ints))
        constants += [(INT, k) for k in int_consts]
        span = ints | set(int_consts)
        lo, hi = min(span), max(span)
        if hi - lo + 1 <= settings.max_state_domain:
            domains.append((INT, tuple(range(lo, hi + 1))))
    elem_list = [elems[k] for k in sorted(elems)]
    constants += [(ELEM, e) for e in elem_list]
    if elem_list and len(elem_list) <= settings.max_state_domain:
        domains.append((ELEM, tuple(elem_list)))
    table = dict(profile.weights) if profile is not None else {}
    table.update(weights or {})
    return Grammar(
        prims=profile.primitives if profile is not None else CORE_PRIMS,
        loops=LOOPS + (profile.forms if profile is not None else ()),
        records=tuple(dict.fromkeys(_records_in(output_type))),
        constants=tuple(constants),
        weights=parse_weights(table),
        state_domains=tuple(domains),
    )
