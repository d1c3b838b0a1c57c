"""Hypothesis strategies: random well-typed DSL programs and inputs for them.

For users' and our own property tests (printing round-trips, determinism,
termination under fuel, ...). Generation is type-directed: `exprs(env, t)`
builds an expression of type `t` from the variables in `env`, literals, the
primitives of dsl.prims.PRIMS whose typing yields `t`, and every loop form.
Hypothesis is a test extra, so only this module imports it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import product
from typing import Any, Mapping

from hypothesis import assume
from hypothesis import strategies as st

from dsl import ast
from dsl.check import check_program
from dsl.errors import DslTypeError
from dsl.groups import get_group
from dsl.limits import MAX_INT_BITS
from dsl.parse import KEYWORDS
from dsl.prims import PRIMS
from dsl.strategy_params import check_group, check_int, refuse
from dsl.types import BOOL, ELEM, INT, SYM, BoolT, ElemT, IntT, ListT, MapT, RecordT, SymT, Type
from dsl.values import Record, Value

GROUPS = ("Z2", "Z5", "S3", "D4")
VAR_NAMES = ("a", "b", "c", "d", "s", "t", "x", "y", "z", "n", "m", "k")
INPUT_NAMES = ("xs", "ys", "p", "q", "r", "w")
FIELD_NAMES = ("f", "g", "h", "lhs", "rhs")
SYMBOLS = ("a", "b", "c", "u", "v")
BASE = (INT, BOOL, SYM, ELEM)
DSL_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")  # grammar.lark's NAME, keywords aside


# --- types -----------------------------------------------------------------------

def input_types(max_depth: int = 2) -> st.SearchStrategy[Type]:
    """Types an input may have: base types, lists and records of them (nested; the empty record {} too)."""
    check_int("input_types", "max_depth", max_depth, 0)
    base = st.sampled_from(BASE)

    def extend(inner: st.SearchStrategy[Type]) -> st.SearchStrategy[Type]:
        record = st.lists(st.tuples(st.sampled_from(FIELD_NAMES), inner), min_size=0, max_size=3, unique_by=lambda f: f[0])
        return st.one_of(inner.map(ListT), record.map(lambda fs: RecordT(tuple(fs))))

    return st.recursive(base, extend, max_leaves=max_depth + 2)


def _mentioned_types(env: Mapping[str, Type]) -> list[Type]:
    """The env's types and their parts, for choosing types of subexpressions."""
    out: list[Type] = []

    def walk(t: Type) -> None:
        if t in out:
            return
        out.append(t)
        if isinstance(t, ListT):
            walk(t.item)
        elif isinstance(t, RecordT):
            for _, ft in t.fields:
                walk(ft)
        elif isinstance(t, MapT):
            walk(t.key)
            walk(t.value)

    for t in env.values():
        walk(t)
    return out


@lru_cache(maxsize=None)
def _signatures(target: Type, candidates: tuple[Type, ...]) -> tuple[tuple[str, tuple[Type, ...]], ...]:
    """(op, argument types) of every primitive application that yields `target`, from PRIMS."""
    out = []
    for spec in PRIMS.values():
        for args in product(candidates, repeat=spec.arity):
            if spec.result_type(args) == target:
                out.append((spec.op, args))
    return tuple(out)


def _has_literal(t: Type) -> bool:
    if isinstance(t, (ListT,)):
        return _has_literal(t.item)
    if isinstance(t, RecordT):
        return all(_has_literal(ft) for _, ft in t.fields)
    return not isinstance(t, MapT)


# --- expressions -----------------------------------------------------------------

def exprs(env: Mapping[str, Type], typ: Type, max_depth: int = 3, group: str | None = None) -> st.SearchStrategy[ast.Expr]:
    """Well-typed expressions of type `typ` over the variables of `env`.

    Element literals come from `group` (or from random groups when None)."""
    fn = "exprs"
    accepted = "a mapping from variable names to dsl.types types"
    if not isinstance(env, Mapping) or not all(isinstance(k, str) and isinstance(v, Type) for k, v in env.items()):
        raise refuse(fn, "env", env, accepted)
    for name in env:  # a name the parser cannot read would fail the user's print/parse property, not ours
        if name in KEYWORDS:
            raise refuse(fn, "env", env, f"{accepted}; {name!r} is a keyword")
        if not DSL_NAME.fullmatch(name):
            raise refuse(fn, "env", env, f"{accepted}; {name!r} is not a name (a letter or _, then letters, digits or _)")
    if not isinstance(typ, Type):
        raise refuse(fn, "typ", typ, "a dsl.types type such as INT or ListT(INT)")
    check_int(fn, "max_depth", max_depth, 0)
    check_group(fn, "group", group)
    return st.composite(lambda draw: _Gen(draw, group).expr(dict(env), typ, max_depth))()


class _Gen:
    def __init__(self, draw: Any, group: str | None) -> None:
        self.draw = draw
        self.group = group

    def choice(self, options: list) -> Any:
        return self.draw(st.sampled_from(options))

    def name(self) -> str:
        return self.choice(list(VAR_NAMES))

    # leaves ----------------------------------------------------------------
    def literal(self, t: Type, env: dict[str, Type]) -> ast.Expr:
        d = self.draw
        if isinstance(t, IntT):
            return ast.IntLit(d(st.integers(-4, 9)))
        if isinstance(t, BoolT):
            return ast.BoolLit(d(st.booleans()))
        if isinstance(t, SymT):
            return ast.SymLit(self.choice(list(SYMBOLS)))
        if isinstance(t, ElemT):
            g = get_group(self.group or self.choice(list(GROUPS)))
            return ast.ElemLit(self.choice(list(g.elements)))
        if isinstance(t, ListT):
            n = d(st.integers(1, 3))
            return ast.ListLit(tuple(self.expr(env, t.item, 0) for _ in range(n)))
        if isinstance(t, RecordT):
            return ast.RecordLit(tuple((n, self.expr(env, ft, 0)) for n, ft in t.fields))
        assert isinstance(t, MapT)
        return self.rule(env, t, 0)

    def expr(self, env: dict[str, Type], t: Type, depth: int) -> ast.Expr:
        d = self.draw
        vars_t = [n for n, vt in env.items() if vt == t]
        maps_t = [n for n, vt in env.items() if isinstance(vt, MapT) and vt.value == t]
        options = ["literal"] if _has_literal(t) or depth > 0 else []
        if vars_t:
            options += ["var", "var"]
        if maps_t:
            options.append("lookup")
        if isinstance(t, MapT) and not options:
            options.append("literal")
        if depth > 0:
            options += ["if", "let", "prim", "prim", "fold"]
            if any(isinstance(vt, RecordT) and t in dict(vt.fields).values() for vt in _mentioned_types(env)):
                options.append("field")
            if isinstance(t, ListT):
                options += ["comp", "comp", "scan"]
            if isinstance(t, MapT):
                options += ["rule", "rule"]
            if isinstance(t, (IntT, SymT, ElemT, BoolT)):
                options += ["maplookup", "index"]
            if isinstance(t, IntT):
                options.append("bisect")
        kind = self.choice(options or ["literal"])
        sub = depth - 1
        if kind == "var":
            return ast.Var(self.choice(vars_t))
        if kind == "lookup":
            m = self.choice(maps_t)
            map_t = env[m]
            assert isinstance(map_t, MapT)
            return ast.Index(ast.Var(m), self.expr(env, map_t.key, max(sub, 0)))
        if kind == "literal":
            if isinstance(t, MapT):
                return self.rule(env, t, max(sub, 0))
            return self.literal(t, env)
        if kind == "if":
            return ast.If(self.expr(env, BOOL, sub), self.expr(env, t, sub), self.expr(env, t, sub))
        if kind == "let":
            u = self.small_type(env)
            x = self.name()
            value = self.expr(env, u, sub)
            return ast.Let(x, value, self.expr({**env, x: u}, t, sub))
        if kind == "prim":
            cands = tuple(dict.fromkeys(list(BASE) + [ListT(b) for b in BASE] + [t] + _mentioned_types(env)))
            sigs = _signatures(t, cands)
            if not sigs:
                return self.literal(t, env) if _has_literal(t) else self.expr(env, t, sub)
            op, args = self.choice(list(sigs))
            return ast.Prim(op, tuple(self.expr(env, a, sub) for a in args))
        if kind == "field":
            recs = [vt for vt in _mentioned_types(env) if isinstance(vt, RecordT) and t in dict(vt.fields).values()]
            rt = self.choice(recs)
            fname = self.choice([n for n, ft in rt.fields if ft == t])
            return ast.Field(self.expr(env, rt, sub), fname)
        if kind == "index":
            xs = self.expr(env, ListT(t), sub)
            return ast.Index(xs, self.expr(env, INT, sub))
        if kind == "maplookup":
            k = self.choice([INT, SYM])
            return ast.Index(self.rule(env, MapT(k, t), sub), self.expr(env, k, sub))
        if kind in ("fold", "scan"):
            state_t = t.item if isinstance(t, ListT) and kind == "scan" else t
            item_t = self.small_type(env)
            s, x = d(st.lists(st.sampled_from(VAR_NAMES), min_size=2, max_size=2, unique=True))
            src = self.expr(env, ListT(item_t), sub)
            init = self.expr(env, state_t, sub)
            body = self.expr({**env, x: item_t, s: state_t}, state_t, sub)
            return ast.Fold(s, x, body, init, src, kind == "scan")
        if kind == "bisect":
            return self.bisect(env, sub)
        if kind == "comp":
            assert isinstance(t, ListT)
            item_t = self.small_type(env)
            x = self.name()
            src = self.expr(env, ListT(item_t), sub)
            inner = {**env, x: item_t}
            cond = self.expr(inner, BOOL, sub) if d(st.booleans()) else None
            return ast.Comp(x, src, self.expr(inner, t.item, sub), cond)
        assert kind == "rule" and isinstance(t, MapT)
        return self.rule(env, t, sub)

    def rule(self, env: dict[str, Type], t: MapT, depth: int) -> ast.Expr:
        """forall c in src: f[key] = body, with a base case so the value type is known."""
        f, c = self.draw(st.lists(st.sampled_from(VAR_NAMES), min_size=2, max_size=2, unique=True))
        item_t = self.choice([t.key, self.small_type(env)])
        src = self.expr(env, ListT(item_t), depth)
        # Inside the rule `f` is its own map: an outer variable of that name is out of sight in the key and the body.
        inner = {**{n: vt for n, vt in env.items() if n != f}, c: item_t}
        key = ast.Var(c) if item_t == t.key and self.draw(st.booleans()) else self.expr(inner, t.key, depth)
        base = self.expr(inner, t.value, depth)
        if self.draw(st.booleans()):
            rec = self.expr({**inner, f: t}, t.value, depth)
            body: ast.Expr = ast.If(self.expr(inner, BOOL, depth), base, rec)
        else:
            body = base
        return ast.Rule(f, c, src, key, body)

    def bisect(self, env: dict[str, Type], depth: int) -> ast.Expr:
        """bisect i in lo .. hi: body; two bodies in three compare i with an expression free of i (`i <= e`, the
        intended monotone use), the others are any condition.

        Evaluation stays bounded whatever the bounds: a bisect probes about log2(hi - lo) points.
        """
        x = self.name()
        lo, hi = self.expr(env, INT, depth), self.expr(env, INT, depth)
        if self.choice(["compare", "compare", "any"]) == "compare":
            outside = {n: vt for n, vt in env.items() if n != x}  # i shadows an outer x inside the body
            body: ast.Expr = ast.Prim(self.choice(["<=", "<", ">", ">="]), (ast.Var(x), self.expr(outside, INT, depth)))
        else:
            body = self.expr({**env, x: INT}, BOOL, depth)
        return ast.Bisect(x, lo, hi, body)

    def small_type(self, env: dict[str, Type]) -> Type:
        extra = [u for u in _mentioned_types(env) if not isinstance(u, MapT)]
        return self.choice(list(dict.fromkeys(list(BASE) + extra)))


# --- programs and inputs ---------------------------------------------------------

def programs(max_depth: int = 3) -> st.SearchStrategy[ast.Program]:
    """Random well-typed programs over random input types."""
    return _programs(check_int("programs", "max_depth", max_depth, 0))


@st.composite
def _programs(draw: Any, max_depth: int) -> ast.Program:
    names = draw(st.lists(st.sampled_from(INPUT_NAMES), min_size=1, max_size=3, unique=True))
    params = tuple(ast.Param(n, draw(input_types())) for n in names)
    env = {p.name: p.type for p in params}
    group = draw(st.sampled_from(GROUPS))
    outs = list(dict.fromkeys(list(BASE) + [ListT(INT), MapT(SYM, INT), MapT(INT, ELEM)] + list(env.values())))
    out_t = draw(st.sampled_from(outs))
    body = _Gen(draw, group).expr(env, out_t, max_depth)
    program = ast.Program(params, body)
    try:
        check_program(program)
    except DslTypeError:
        assume(False)
    return program


def values(t: Type, group: str = "Z2", max_len: int = 4, ints: st.SearchStrategy[int] | None = None) -> st.SearchStrategy[Value]:
    """Values of type `t`; group elements all come from `group`, so they compose.

    Integers are small (-5..9) unless `ints` says otherwise (e.g. `big_ints()`)."""
    fn = "values"
    if not isinstance(t, Type) or _has_map(t):
        raise refuse(fn, "t", t, "a dsl.types type without maps (int, bool, sym, elem, lists and records of them)")
    check_group(fn, "group", group, optional=False)
    check_int(fn, "max_len", max_len, 0)
    if ints is not None and not isinstance(ints, st.SearchStrategy):
        raise refuse(fn, "ints", ints, "None or a hypothesis strategy of integers such as big_ints()")
    return _values(t, group, max_len, ints)


def _has_map(t: Type) -> bool:
    if isinstance(t, ListT):
        return _has_map(t.item)
    if isinstance(t, RecordT):
        return any(_has_map(ft) for _, ft in t.fields)
    return isinstance(t, MapT)


def _values(t: Type, group: str, max_len: int, ints: st.SearchStrategy[int] | None) -> st.SearchStrategy[Value]:
    if isinstance(t, IntT):
        return st.integers(-5, 9) if ints is None else ints
    if isinstance(t, BoolT):
        return st.booleans()
    if isinstance(t, SymT):
        return st.sampled_from(SYMBOLS)
    if isinstance(t, ElemT):
        return st.sampled_from(get_group(group).elements)
    if isinstance(t, ListT):
        return st.lists(_values(t.item, group, max_len, ints), max_size=max_len).map(tuple)
    if isinstance(t, RecordT):
        names = t.names
        return st.tuples(*(_values(ft, group, max_len, ints) for _, ft in t.fields)).map(lambda vs: Record(names, tuple(vs)))
    raise ValueError(f"no value strategy for {t}")


def big_ints() -> st.SearchStrategy[int]:
    """Integers that exercise the bounds: bits (0, 1), small ones, and some at the edge of a word and of MAX_INT_BITS."""
    edge = 1 << MAX_INT_BITS
    big = (
        (1 << 62) + 3, -(1 << 62), 1 << 64, -(1 << 64),  # a machine word's edge
        edge - 1, -(edge - 1), 1 << (MAX_INT_BITS // 2), 1 << (MAX_INT_BITS // 2 + 1),  # the bound's
    )
    return st.one_of(st.integers(0, 1), st.integers(-5, 9), st.sampled_from(big))


def _groups_in(e: Any) -> set[str]:
    found: set[str] = set()

    def walk(x: Any) -> None:
        if isinstance(x, ast.ElemLit):
            found.add(x.value.group.name)
        elif isinstance(x, ast.Expr):
            for v in vars(x).values():
                walk(v)
        elif isinstance(x, tuple):
            for v in x:
                walk(v)

    walk(e)
    return found


def inputs_for(program: ast.Program) -> st.SearchStrategy[dict[str, Value]]:
    """Input values for `program`, with elements from the group its literals use (no map-typed inputs)."""
    if not isinstance(program, ast.Program) or any(_has_map(p.type) for p in program.inputs):
        raise refuse("inputs_for", "program", program, "a dsl.ast.Program whose inputs have no map types")
    used = sorted(_groups_in(program.body))
    group_st = st.just(used[0]) if used else st.sampled_from(GROUPS)
    return group_st.flatmap(
        lambda g: st.fixed_dictionaries({p.name: values(p.type, g) for p in program.inputs})
    )


# --- LEGO sentences --------------------------------------------------------------

def lego_clauses(group: str | None = None, min_size: int = 1, max_size: int = 12) -> st.SearchStrategy[tuple[Record, ...]]:
    """A random LEGO chain (one root, each clause reading the previous variable), shuffled.

    Values for the example program examples/lego.dsl: records of the CLAUSE type."""
    fn = "lego_clauses"
    check_group(fn, "group", group)
    check_int(fn, "min_size", min_size, 1)
    check_int(fn, "max_size", max_size, min_size)
    return _lego_clauses(group, min_size, max_size)


@st.composite
def _lego_clauses(draw: Any, group: str | None, min_size: int, max_size: int) -> tuple[Record, ...]:
    g = get_group(group or draw(st.sampled_from(GROUPS)))
    n = draw(st.integers(min_size, max_size))
    names = draw(st.lists(st.text("abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=3), min_size=n, max_size=n, unique=True))
    ops = [draw(st.sampled_from(g.elements)) for _ in range(n)]
    fields = ("lhs", "op", "rhs", "root")
    clauses = [Record(fields, (names[0], ops[0], "_", True))]
    clauses += [Record(fields, (names[i], ops[i], names[i - 1], False)) for i in range(1, n)]
    order = draw(st.permutations(range(n)))
    return tuple(clauses[i] for i in order)


# --- hostile inputs ---------------------------------------------------------------
#
# Structure-aware fuzzing for any reader: start from a valid file, then damage it
# the ways real files get damaged (cut short, bit flips, a byte-order mark,
# Windows line ends, bytes that are not UTF-8, lines repeated or swapped) or the
# ways a hostile file is built (JSON nested deep, numbers of thousands of digits,
# a value of the wrong type). A reader passes if it accepts the result or
# refuses it with a UserError; anything else is a bug.

HOSTILE_JSON: tuple[Any, ...] = (None, True, 0, -1, 2**70, 1.5, "", "x" * 300, [], {}, [[1]], {"": None})


def _json_paths(obj: Any, path: tuple = ()) -> list[tuple]:
    """Every path into a JSON value (keys and indexes), the root included."""
    out = [path]
    if isinstance(obj, dict):
        for k, v in obj.items():
            out += _json_paths(v, path + (k,))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            out += _json_paths(v, path + (i,))
    return out


def _replace(obj: Any, path: tuple, new: Any) -> Any:
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(obj, dict):
        return {**obj, head: _replace(obj[head], rest, new)}
    items = list(obj)
    items[head] = _replace(items[head], rest, new)
    return items


def mutated_json(obj: Any) -> st.SearchStrategy[Any]:
    """`obj` with one value (or the whole) replaced by one of another type, a deep nest or a huge number."""
    import json

    try:
        json.dumps(obj, allow_nan=False)
    except (TypeError, ValueError, RecursionError):
        raise refuse("mutated_json", "obj", obj, "a JSON value (dicts with str keys, lists, str, numbers, bools, None)") from None
    return _mutated_json(obj)


@st.composite
def _mutated_json(draw: Any, obj: Any) -> Any:
    import json

    path = draw(st.sampled_from(_json_paths(obj)))
    kind = draw(st.sampled_from(["type", "deep", "huge", "drop"]))
    if kind == "deep":
        depth = draw(st.sampled_from([50, 199, 201, 1000, 5000]))
        new: Any = "@DEEP@" + str(depth)
    elif kind == "huge":
        new = "@HUGE@" + str(draw(st.sampled_from([19, 300, 1001, 4301, 5000])))
    elif kind == "drop" and path and isinstance(obj, (dict, list)):
        parent = _get(obj, path[:-1])
        if isinstance(parent, dict):
            return _replace(obj, path[:-1], {k: v for k, v in parent.items() if k != path[-1]})
        return _replace(obj, path[:-1], [v for i, v in enumerate(parent) if i != path[-1]])
    else:
        new = draw(st.sampled_from(HOSTILE_JSON))
    return json.loads(json.dumps(new)) if not isinstance(new, str) or not new.startswith("@") else new


def _get(obj: Any, path: tuple) -> Any:
    for p in path:
        obj = obj[p]
    return obj


def json_text(obj: Any) -> str:
    """JSON text of a value made by `mutated_json`, with its deep and huge markers expanded."""
    import json

    text = json.dumps(obj)

    def expand(m: "re.Match[str]") -> str:
        kind, n = m.group(1), int(m.group(2))
        return "[" * n + "]" * n if kind == "DEEP" else "9" * n

    return re.sub(r'"@(DEEP|HUGE)@(\d+)"', expand, text)


def mutated_json_line(data: bytes) -> st.SearchStrategy[bytes]:
    """`data` (JSONL, or JSON with one object a line) with one object line damaged by `mutated_json`."""
    accepted = "UTF-8 bytes (JSONL, or JSON with one object a line)"
    if not isinstance(data, bytes):
        raise refuse("mutated_json_line", "data", data, accepted)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        raise refuse("mutated_json_line", "data", data, accepted) from None
    return _mutated_json_line(data)


@st.composite
def _mutated_json_line(draw: Any, data: bytes) -> bytes:
    import json

    lines = data.decode("utf-8").split("\n")
    objects = [k for k, line in enumerate(lines) if line.strip().startswith("{") and line.rstrip(" ,").endswith("}")]
    if not objects:
        return data
    k = draw(st.sampled_from(objects))
    line = lines[k]
    body = line.strip()
    comma = body.endswith(",")
    try:
        obj = json.loads(body.rstrip(","))
    except ValueError:
        return data
    indent = line[: len(line) - len(line.lstrip())]
    lines[k] = indent + json_text(draw(_mutated_json(obj))) + ("," if comma else "")
    return "\n".join(lines).encode("utf-8")


MUTATIONS = ("truncate", "bitflip", "bom", "crlf", "not_utf8", "duplicate_line", "swap_lines", "delete_line", "deep", "huge", "nul")


def mutated_bytes(data: bytes, max_mutations: int = 3) -> st.SearchStrategy[bytes]:
    """`data` damaged by 1..max_mutations of MUTATIONS, anywhere."""
    if not isinstance(data, bytes):
        raise refuse("mutated_bytes", "data", data, "bytes (encode a str first)")
    return _mutated_bytes(data, check_int("mutated_bytes", "max_mutations", max_mutations, 1))


@st.composite
def _mutated_bytes(draw: Any, data: bytes, max_mutations: int) -> bytes:
    for _ in range(draw(st.integers(1, max_mutations))):
        kind = draw(st.sampled_from(MUTATIONS))
        at = draw(st.integers(0, len(data)))
        if kind == "truncate":
            data = data[:at]
        elif kind == "bitflip" and data:
            i = min(at, len(data) - 1)
            data = data[:i] + bytes([data[i] ^ (1 << draw(st.integers(0, 7)))]) + data[i + 1:]
        elif kind == "bom":
            data = b"\xef\xbb\xbf" + data
        elif kind == "crlf":
            data = data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
        elif kind == "not_utf8":
            data = data[:at] + draw(st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\x80\x80"])) + data[at:]
        elif kind == "nul":
            data = data[:at] + b"\x00" + data[at:]
        elif kind == "deep":
            n = draw(st.sampled_from([201, 1000, 5000]))
            data = data[:at] + draw(st.sampled_from([b"[", b"{\"a\":"])) * n + data[at:]
        elif kind == "huge":
            data = data[:at] + b"9" * draw(st.sampled_from([1001, 4301, 5000])) + data[at:]
        else:
            lines = data.split(b"\n")
            i = draw(st.integers(0, len(lines) - 1))
            j = draw(st.integers(0, len(lines) - 1))
            if kind == "duplicate_line":
                lines.insert(j, lines[i])
            elif kind == "swap_lines":
                lines[i], lines[j] = lines[j], lines[i]
            elif len(lines) > 1:
                del lines[i]
            data = b"\n".join(lines)
    return data


__all__ = ["programs", "exprs", "inputs_for", "values", "big_ints", "input_types", "lego_clauses",
           "mutated_bytes", "mutated_json", "mutated_json_line", "json_text"]
