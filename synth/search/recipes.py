"""Recipes: how an entry's values are computed again from its parts' values.

An entry of a bank that keeps recipes (an extensible bank, or one with
`keep_recipes`) records how it was made: ("var", name), ("const", value),
("field", i, part), ("index", coll, key), ("prim1", fn, part),
("prim2", fn, left, right), ("primn", fn, *parts), ("record", names, *parts)
or ("if", cond, then, else), `fn` a lifted primitive (`semantics.lifted`) and
the parts entries. `recompute` gives the entry's values on contexts that
join its bank (`Bank.extend`), `value_at` its value on one context outside
the bank (a fold state beyond its table), and `recipe_step` the same
compiled once into closures, for a loop body run again and again. A module
of its own because evaluating built entries elsewhere is a job apart from
enumerating them: the loop operators (loops, rootloops, samplefolds,
deduce) do it too.
"""

from __future__ import annotations

from typing import Callable, Mapping, Sequence

from dsl.values import Record, Value
from synth.search.entry import Entry
from synth.search.semantics import FAILURES, Part, choose, indexed, lift, lift1, lift2, strict
from synth.search.special import ERROR, Special, first_special

# Fold states evaluated beyond their table (`value_at`, on a trace) stay within a
# machine word: a state that leaves it is ERROR there. Without this bound a
# trace such as `s * x` over a 40-element training list computes numbers of
# thousands of bits, and the search spends its time in big-number arithmetic
# (a 6x slowdown measured on cycle_navigation). Only the search's traces are
# cut; the interpreter, which checks every answer, computes exactly.
TRACE_INT_LIMIT = 2**63


def _operands(recipe: tuple) -> tuple:
    """The entries a recipe is made of (after its kind, and the field index, function or record names if it has one)."""
    return recipe[2 if recipe[0] in ("field", "prim1", "prim2", "primn", "record") else 1:]


def reads_any(entry: Entry, names: frozenset, memo: dict) -> bool | None:
    """Whether the entry's value depends on any of these variables, read off its recipe; None if a part has none.

    `memo` (id(entry) -> (answer, entry)) must serve one set of names: parts
    shared by many entries are looked at once.
    """
    hit = memo.get(id(entry))
    if hit is not None:
        return hit[0]
    recipe = entry.recipe
    out: bool | None
    if recipe is None:
        out = None
    elif recipe[0] == "var":
        out = recipe[1] in names
    elif recipe[0] == "const":
        out = False
    else:
        out = False
        for part in _operands(recipe):
            r = reads_any(part, names, memo)
            if r is None or r:
                out = r
                break
    memo[id(entry)] = (out, entry)  # the entry kept alive with its id
    return out


def value_at(entry: Entry, ctx: Mapping[str, Value]) -> Value | Special | None:
    """An entry's value on one more context, from its recipe; None if it has none (build it otherwise)."""
    recipe = entry.recipe
    if recipe is None:
        return None
    kind = recipe[0]
    if kind == "var":
        return ctx[recipe[1]]
    if kind == "const":
        return recipe[1]
    args = [value_at(e, ctx) for e in _operands(recipe)]
    if any(a is None for a in args):
        return None
    if kind == "if":
        k, a, b = args
        return k if type(k) is Special else (a if k else b)
    special = first_special(args)
    if special is not None:
        return special
    # From here on, no arg is None or special (both returned above): each is a Value, of the type the recipe's node takes.
    if kind == "record":
        return Record(recipe[1], tuple(args))  # type: ignore[arg-type]
    try:
        if kind == "field":
            return args[0].values[recipe[1]]  # type: ignore[union-attr, index]
        if kind == "index":
            return indexed(args[0], args[1])  # type: ignore[arg-type]
    except FAILURES:
        return ERROR
    return _applied(recipe[1], args)


Step = Callable[[Mapping[str, Value]], "Value | Special"]


def recipe_step(entry: Entry, made: dict | None = None) -> Step | None:
    """`value_at` compiled once into closures: the same value on every context, without walking the recipe.

    For bodies evaluated off their table again and again (a fold's states
    beyond the sample). None if the entry or a part has no recipe. `made`
    shares the closures of parts used twice (keyed by entry id).
    """
    made = {} if made is None else made
    hit = made.get(id(entry))
    if hit is not None:
        return hit[0]
    step = _compile_recipe(entry.recipe, made)
    made[id(entry)] = (step, entry)  # the entry kept alive with its id
    return step


def _compile_recipe(recipe: tuple | None, made: dict) -> Step | None:
    if recipe is None:
        return None
    kind = recipe[0]
    if kind == "var":
        return _var_step(recipe[1])
    if kind == "const":
        return _const_step(recipe[1])
    parts = [recipe_step(e, made) for e in _operands(recipe)]
    if None in parts:  # (`in`, not a generator: a body's compile is most of its first run off the table)
        return None
    maker = _STEP_MAKERS.get(kind)
    if maker is None:
        raise ValueError(f"unknown recipe {kind!r}")
    return maker(recipe, parts)


# One maker per kind of recipe, each a small function: a function's closure cells are all made when
# it is called, so one function making every kind's closure paid for all of them on every compile.

def _var_step(name: str) -> Step:
    return lambda ctx: ctx[name]


def _const_step(value: Value) -> Step:
    return lambda ctx: value


def _if_step(recipe: tuple, parts: list) -> Step:
    cond, then, other = parts

    def branch(ctx):
        k = cond(ctx)
        if type(k) is Special:
            return k
        return then(ctx) if k else other(ctx)

    return branch


def _record_step(recipe: tuple, parts: list) -> Step:
    names = recipe[1]

    def record(ctx):
        args = [p(ctx) for p in parts]
        return first_special(args) or Record(names, tuple(args))

    return record


def _field_step(recipe: tuple, parts: list) -> Step:
    (rec,) = parts
    i = recipe[1]

    def field(ctx):
        r = rec(ctx)
        if type(r) is Special:
            return r
        try:
            return r.values[i]
        except FAILURES:
            return ERROR

    return field


def _index_step(recipe: tuple, parts: list) -> Step:
    coll, key = parts

    def index(ctx):
        c = coll(ctx)
        k = key(ctx)
        if type(c) is Special or type(k) is Special:
            return first_special((c, k))
        try:
            return indexed(c, k)
        except FAILURES:
            return ERROR

    return index


# prim1 and prim2 are the hottest code of the sample folds: `_applied` is inlined in them (through
# it, the core stack's search enumerated 2.7M candidates in 30 CPU-s instead of 3.7M).

def _prim1_step(recipe: tuple, parts: list) -> Step:
    (arg,) = parts
    fn1 = recipe[1]

    def one(ctx):
        a = arg(ctx)
        if type(a) is Special:
            return a
        try:
            out = fn1(a)
        except FAILURES:
            return ERROR
        return ERROR if type(out) is int and not -TRACE_INT_LIMIT <= out < TRACE_INT_LIMIT else out

    return one


def _prim2_step(recipe: tuple, parts: list) -> Step:
    left, right = parts
    fn2 = recipe[1]

    def two(ctx):
        a = left(ctx)
        b = right(ctx)
        if type(a) is Special or type(b) is Special:
            return first_special((a, b))
        try:
            out = fn2(a, b)
        except FAILURES:
            return ERROR
        return ERROR if type(out) is int and not -TRACE_INT_LIMIT <= out < TRACE_INT_LIMIT else out

    return two


def _primn_step(recipe: tuple, parts: list) -> Step:
    fnn = recipe[1]

    def many(ctx):  # rare (slice): through _applied; prim1 and prim2 inline it, a call less per node
        args = [p(ctx) for p in parts]
        return first_special(args) or _applied(fnn, args)

    return many


_STEP_MAKERS: dict[str, Callable[[tuple, list], Step]] = {
    "if": _if_step, "record": _record_step, "field": _field_step, "index": _index_step,
    "prim1": _prim1_step, "prim2": _prim2_step, "primn": _primn_step,
}


def _applied(fn: Callable, args: Sequence) -> Value | Special:
    """A primitive's value, ERROR where it fails or leaves the trace's integer bound (TRACE_INT_LIMIT)."""
    try:
        out = fn(*args)
    except FAILURES:
        return ERROR
    return ERROR if type(out) is int and not -TRACE_INT_LIMIT <= out < TRACE_INT_LIMIT else out


def record_values(names: tuple[str, ...], parts: Sequence[tuple], width: int) -> tuple:
    """A record literal's values on `width` contexts from its fields' values (the empty record {} has none)."""
    if not parts:
        return (Record(names, ()),) * width
    return tuple(first_special(vs) or Record(names, vs) for vs in zip(*parts))


def recompute(recipe: tuple | None, start: int, new: list) -> tuple | None:
    """An entry's values on the new contexts (from index `start` on), from its parts; None if unknown."""
    if recipe is None:
        return None  # a loop: its body bank is rebuilt, so its level is too
    kind = recipe[0]
    if kind == "var":
        return tuple(ctx[recipe[1]] for ctx in new)
    if kind == "const":
        return (recipe[1],) * len(new)
    if kind == "field":
        i = recipe[1]
        return tuple(v if type(v) is Special else v.values[i] for v in recipe[2].values[start:])
    if kind == "index":
        return tuple(strict(a, b) or indexed(a, b) for a, b in zip(recipe[1].values[start:], recipe[2].values[start:]))
    if kind == "prim1":
        part = recipe[2].values[start:]
        return lift1(recipe[1], Part(part))
    if kind == "prim2":
        return lift2(recipe[1], Part(recipe[2].values[start:]), Part(recipe[3].values[start:]))
    if kind == "primn":
        return lift(recipe[1], [Part(e.values[start:]) for e in recipe[2:]])
    if kind == "record":
        return record_values(recipe[1], [e.values[start:] for e in recipe[2:]], len(new))
    if kind == "if":
        cond, th, el = recipe[1], recipe[2], recipe[3]
        return choose(cond.values[start:], th.values[start:], el.values[start:])
    raise ValueError(f"unknown recipe {kind!r}")
