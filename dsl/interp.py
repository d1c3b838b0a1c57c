"""The interpreter: a checked AST is compiled once into Python closures, then run.

Why closures: the synthesizer and the benchmarks run one program on very many
inputs, so names are resolved to register slots, record fields to indices and
primitives to their implementations (by argument type, from dsl.prims.PRIMS)
once, at compile time. A run is then a tree of plain function calls over one
register list `r`, whose slot 0 holds the remaining fuel, slot 1 the
remaining memory and slot 2 whether a rule's hinted attempt is running.

Fuel (steps, default DEFAULT_FUEL, `fuel=`/--fuel): loops charge one step per
iteration (a comprehension or fold charges its length up front), a bisect
one step per probe plus one per 64-bit word of its current bounds, a rule
charges one step per key and per evaluation of its body, and everything that
allocates charges one step per element: primitives that build lists (range,
list `+`), list and record literals. Running out raises FuelExhausted.

Memory (elements allocated, default DEFAULT_MEMORY, `memory=`/--memory):
every list, record or comprehension result built during a run counts its
elements (a comprehension or scan counts its source's length up front, an
upper bound), whether or not it is kept; past the budget the run stops with
MemoryExhausted before allocating. Steps alone do not bound memory: a
100,000,000-step budget would let `[range(9999999) for i in range(9)]` hold
90 million integers (3.6 GB); the default memory budget stops it after one.

Integers are arbitrary precision up to dsl.limits.MAX_INT_BITS bits (the
table refuses larger results); an integer operation charges one step plus one
per 64-bit word of its largest operand, so no arithmetic can run away between
two charges. Primitives that read or build lists charge the elements they
touch (their `cost` in the table).

Rules (`forall c in R: f[key] = body`) are evaluated as memoized recursion
without Python recursion: when a body looks up a key that is not computed yet,
the attempt is abandoned with an internal signal, the key is pushed on an
explicit stack and computed first, and the body is retried (bodies are pure).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Mapping, Sequence

from dsl import ast
from dsl.check import check_program, infer, rule_type
from dsl.errors import CycleError, DslRuntimeError, DuplicateKey, FuelExhausted, MemoryExhausted, Pos, UndefinedKey, UserError
from dsl.limits import MAX_INT_BITS, WORD_BITS
from dsl.prims import PRIMS
from dsl.primspec import overflow
from dsl.types import BOOL, ELEM, INT, SYM, IntT, ListT, MapT, RecordT, Type
from dsl.values import MapValue, Record, Value, from_python

DEFAULT_FUEL = 100_000_000  # enough for a rule over 10 million clauses (about 3 steps each)
DEFAULT_MEMORY = 16_000_000  # elements allocated per run: a few hundred MB at most; a list over 10 million clauses fits

Regs = list
HINTING = 2  # the register that is true while a rule's hinted attempt runs (see _rule_fn)
Fn = Callable[[Regs], Any]


class _Need(Exception):
    """Internal: a rule body looked up a key of its own map that is not computed yet."""


class _Memo(dict):
    """A rule's map while it is being computed; a missing key is pending or undefined."""

    __slots__ = ("index", "fname")
    index: Mapping[Any, int]
    fname: str

    def __missing__(self, key: Any) -> Any:
        if key in self.index:
            raise _Need(self, key)
        raise UndefinedKey(f"undefined key {fmt_value(key)}: no member defines {self.fname}[{fmt_value(key)}]")


def fmt_value(v: Any) -> str:
    """A value as the DSL writes it, for error messages."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return f"'{v}'"
    return str(v)


def _undefined(key: Any, what: str) -> UndefinedKey:
    return UndefinedKey(f"undefined key {fmt_value(key)} in {what}")


def _out_of_fuel() -> FuelExhausted:
    return FuelExhausted("out of fuel")


def _out_of_memory() -> MemoryExhausted:
    return MemoryExhausted("out of memory")


def _alloc(r: Regs, n: int) -> None:
    """Charge `n` allocated elements to the run's fuel (slot 0) and memory (slot 1)."""
    r[0] -= n
    r[1] -= n
    if r[0] < 0:
        raise _out_of_fuel()
    if r[1] < 0:
        raise _out_of_memory()


@dataclass
class _Slot:
    index: int
    type: Type


class Compiled:
    """A program compiled to closures; call it with the inputs, many times."""

    def __init__(self, fn: Fn, nslots: int, input_slots: tuple[tuple[str, int], ...], output_type: Type) -> None:
        self._fn = fn
        self._template: list = [0] * nslots
        self._input_slots = input_slots
        self.output_type = output_type

    def __call__(self, inputs: Mapping[str, Value], fuel: int | None = None, memory: int | None = None) -> Value:
        budget = DEFAULT_FUEL if fuel is None else fuel
        cells = DEFAULT_MEMORY if memory is None else memory
        r = self._template.copy()
        r[0] = budget
        r[1] = cells
        try:
            for name, slot in self._input_slots:
                r[slot] = inputs[name]
        except KeyError as err:
            raise UserError(f"missing input {err.args[0]!r}") from None
        try:
            return self._fn(r)
        except FuelExhausted:
            raise FuelExhausted(
                f"out of fuel: evaluation needs more than {budget:,} steps"
            ) from None
        except MemoryExhausted:
            raise MemoryExhausted(
                f"out of memory: evaluation allocates more than {cells:,} list/record elements"
            ) from None
        except RecursionError:
            raise DslRuntimeError("the program is nested too deeply to evaluate") from None


def compile_program(p: ast.Program, *, locate: bool = False) -> Compiled:
    """Type-check `p` and compile it; the result is called with a dict of input values.

    With `locate`, a runtime error carries the line:column of the node that
    failed (for an infix operator, of its token: the `/` of `a / b`); every
    node then costs a try block, so the search (which runs programs millions
    of times and only counts failures) leaves it off.
    """
    out_type = check_program(p)
    comp = _Compiler(locate)
    scope: dict[str, _Slot] = {}
    slots = []
    for param in p.inputs:
        s = comp.new_slot()
        scope[param.name] = _Slot(s, param.type)
        slots.append((param.name, s))
    fn, _ = comp.compile(p.body, scope)
    return Compiled(fn, comp.nslots, tuple(slots), out_type)


def run_program(p: ast.Program, inputs: Mapping[str, Any], fuel: int | None = None, memory: int | None = None) -> Value:
    """Check, compile and run `p` once. The inputs may be DSL values or a script's plain forms (a list for a
    List, a dict for a Record: dsl.values.from_python), checked against the program's input types, so a
    wrong one fails with its name rather than deep inside a primitive. To run one program many times,
    compile_program once and call the result with DSL values."""
    compiled = compile_program(p)
    return compiled({q.name: from_python(inputs[q.name], q.type, f"input {q.name}") for q in p.inputs if q.name in inputs},
                    fuel, memory)


def evaluate(
    expr: ast.Expr, env: Mapping[str, Value], env_types: Mapping[str, Type], fuel: int | None = None,
    memory: int | None = None,
) -> Value:
    """Evaluate one expression with free variables bound in `env` (typed by `env_types`)."""
    ast.require_nesting(expr)
    out_type = infer(expr, env_types)
    comp = _Compiler()
    scope: dict[str, _Slot] = {}
    slots = []
    for name, t in env_types.items():
        s = comp.new_slot()
        scope[name] = _Slot(s, t)
        slots.append((name, s))
    fn, _ = comp.compile(expr, scope)
    return Compiled(fn, comp.nslots, tuple(slots), out_type)(env, fuel, memory)


def _const(v: Any) -> Fn:
    return lambda r: v


def _located(fn: Fn, pos: Pos) -> Fn:
    """`fn`, with a runtime error that names no place yet placed at `pos` (the innermost failing node wins)."""

    def located(r: Regs) -> Any:
        try:
            return fn(r)
        except (FuelExhausted, MemoryExhausted):
            raise
        except DslRuntimeError as err:
            if err.pos is None:
                err.pos = pos
            raise

    return located


class _Compiler:
    """Turns a checked expression into (closure, type); every binder gets its own slot."""

    def __init__(self, locate: bool = False) -> None:
        self.nslots = 3  # slot 0: fuel, slot 1: memory, slot 2: HINTING
        self.locate = locate

    def new_slot(self) -> int:
        self.nslots += 1
        return self.nslots - 1

    def compile(self, e: ast.Expr, scope: dict[str, _Slot]) -> tuple[Fn, Type]:
        fn, t = getattr(self, "_" + type(e).__name__)(e, scope)
        if self.locate and e.pos is not None:
            fn = _located(fn, (e.op_pos or e.pos) if isinstance(e, ast.Prim) else e.pos)
        return fn, t

    def _bind(self, scope: dict[str, _Slot], name: str, t: Type) -> tuple[dict[str, _Slot], int]:
        s = self.new_slot()
        new = dict(scope)
        new[name] = _Slot(s, t)
        return new, s

    # --- leaves --------------------------------------------------------------
    def _Var(self, e: ast.Var, scope: dict[str, _Slot]) -> tuple[Fn, Type]:
        slot = scope[e.name]
        i = slot.index
        return (lambda r: r[i]), slot.type

    def _IntLit(self, e: ast.IntLit, scope: dict[str, _Slot]) -> tuple[Fn, Type]:
        return _const(e.value), INT

    def _BoolLit(self, e: ast.BoolLit, scope: dict[str, _Slot]) -> tuple[Fn, Type]:
        return _const(e.value), BOOL

    def _SymLit(self, e: ast.SymLit, scope: dict[str, _Slot]) -> tuple[Fn, Type]:
        return _const(e.name), SYM

    def _ElemLit(self, e: ast.ElemLit, scope: dict[str, _Slot]) -> tuple[Fn, Type]:
        return _const(e.value), ELEM

    # --- access --------------------------------------------------------------
    def _Field(self, e: ast.Field, scope: dict[str, _Slot]) -> tuple[Fn, Type]:
        rec, rec_t = self.compile(e.record, scope)
        assert isinstance(rec_t, RecordT)
        j = rec_t.field_index(e.name)
        ft = rec_t.fields[j][1]
        if isinstance(e.record, ast.Var):  # the common case c.lhs: one call, not two
            i = scope[e.record.name].index
            return (lambda r: r[i].values[j]), ft
        return (lambda r: rec(r).values[j]), ft

    def _Index(self, e: ast.Index, scope: dict[str, _Slot]) -> tuple[Fn, Type]:
        coll, ct = self.compile(e.coll, scope)
        key, _ = self.compile(e.key, scope)
        if isinstance(ct, ListT):
            def index_list(r: Regs) -> Any:
                xs = coll(r)
                i = key(r)
                if 0 <= i < len(xs):
                    return xs[i]
                raise DslRuntimeError(f"index {i} out of range for a list of length {len(xs)}")
            return index_list, ct.item
        assert isinstance(ct, MapT)
        what = e.coll.name if isinstance(e.coll, ast.Var) else "a map"
        at = _member_field(e.key, scope)
        if isinstance(e.coll, ast.Var) and at is not None:  # the common case val[c.rhs]: one call, not three
            ci = scope[e.coll.name].index
            ki, kj = at

            def index_map_field(r: Regs) -> Any:
                m = r[ci]
                k = r[ki].values[kj]
                try:  # a rule's own map raises _Need or UndefinedKey itself
                    return (m.items_ if m.__class__ is MapValue else m)[k]
                except KeyError:
                    raise _undefined(k, what) from None
            return index_map_field, ct.value

        def index_map(r: Regs) -> Any:
            m = coll(r)
            k = key(r)
            try:  # a rule's own map raises _Need or UndefinedKey itself
                return (m.items_ if m.__class__ is MapValue else m)[k]
            except KeyError:
                raise _undefined(k, what) from None
        return index_map, ct.value

    def _Prim(self, e: ast.Prim, scope: dict[str, _Slot]) -> tuple[Fn, Type]:
        spec = PRIMS[e.op]
        compiled = [self.compile(a, scope) for a in e.args]
        fns = [f for f, _ in compiled]
        ts = tuple(t for _, t in compiled)
        typing = spec.typing(ts)
        assert typing is not None
        result, impl = typing
        if spec.cost is not None and any(isinstance(t, ListT) for t in (result, *ts)):
            return _list_prim(impl, fns, spec.cost, isinstance(result, ListT)), result
        if any(isinstance(t, IntT) for t in ts):
            return _bounded(impl, spec.unchecked(ts), fns, tuple(isinstance(t, IntT) for t in ts)), result
        if len(fns) == 1:
            (a,) = fns
            return (lambda r: impl(a(r))), result
        if len(fns) == 2:
            a, b = fns
            # Fused fast paths, not when locating: an error inside must name its own node (the lookup), not this one.
            at = None if self.locate else _member_field(e.args[0], scope)
            look = _map_at_member(e.args[1], scope)
            if at is not None and look is not None:  # c.op * val[c.rhs]: the lookup inline (as index_map_field)
                i, j = at
                ci, ki, kj, what = look

                def prim_field_lookup(r: Regs) -> Any:
                    m = r[ci]
                    k = r[ki].values[kj]
                    try:
                        v = (m.items_ if m.__class__ is MapValue else m)[k]
                    except KeyError:
                        raise _undefined(k, what) from None
                    return impl(r[i].values[j], v)
                return prim_field_lookup, result
            if at is not None:
                product = e.op == "*" and result == ELEM  # group composition: its table read inline
                fused = self._prim_field_if_lookup(impl, at, e.args[1], scope, product)
                if fused is not None:
                    return fused, result
                i, j = at  # c.op * ...: one call fewer
                return (lambda r: impl(r[i].values[j], b(r))), result
            return (lambda r: impl(a(r), b(r))), result
        return (lambda r: impl(*[f(r) for f in fns])), result

    def _prim_field_if_lookup(
        self, impl: Callable, at: tuple[int, int], e: ast.Expr, scope: dict[str, _Slot], product: bool
    ) -> Fn | None:
        """`c.op * (if c.root then LIT else val[c.rhs])`, the LEGO rule body the search finds, as one closure.

        A rule body runs once per member, so once per clause of every sentence
        `synth eval` reads: here the operator, the `if` and the lookup are one
        call instead of three (a group product read from its table inline),
        with the same order of evaluation, values and errors. Only for a
        then-branch that binds nothing (a literal, a variable, a field), which
        is compiled here a second time.
        """
        if not isinstance(e, ast.If) or not isinstance(e.then, _PLAIN):
            return None
        cond = _member_field(e.cond, scope)
        look = _map_at_member(e.orelse, scope)
        if cond is None or look is None:
            return None
        then, _ = self.compile(e.then, scope)
        i, j = at
        bi, bj = cond
        ci, ki, kj, what = look

        def prim_field_if_lookup(r: Regs) -> Any:
            a = r[i].values[j]
            if r[bi].values[bj]:
                v = then(r)
            else:
                m = r[ci]
                k = r[ki].values[kj]
                try:
                    v = (m.items_ if m.__class__ is MapValue else m)[k]
                except KeyError:
                    raise _undefined(k, what) from None
            if product:  # products[i][j] = element i * element j (small groups)
                g = a.group
                table = g.products
                if table is not None and v.group is g:
                    return table[a.index][v.index]
            return impl(a, v)
        return prim_field_if_lookup

    # --- control -------------------------------------------------------------
    def _If(self, e: ast.If, scope: dict[str, _Slot]) -> tuple[Fn, Type]:
        c, _ = self.compile(e.cond, scope)
        a, t = self.compile(e.then, scope)
        b, _ = self.compile(e.orelse, scope)
        at = None if self.locate else _member_field(e.cond, scope)  # not fused when locating (see _Prim)
        look = _map_at_member(e.orelse, scope)
        if at is not None and look is not None:  # if c.root then ... else val[c.rhs]: the lookup inline (as index_map_field)
            i, j = at
            ci, ki, kj, what = look

            def if_else_lookup(r: Regs) -> Any:
                if r[i].values[j]:
                    return a(r)
                m = r[ci]
                k = r[ki].values[kj]
                try:
                    return (m.items_ if m.__class__ is MapValue else m)[k]
                except KeyError:
                    raise _undefined(k, what) from None
            return if_else_lookup, t
        if at is not None:  # if c.root then ...: one call fewer
            i, j = at
            return (lambda r: a(r) if r[i].values[j] else b(r)), t
        return (lambda r: a(r) if c(r) else b(r)), t

    def _Let(self, e: ast.Let, scope: dict[str, _Slot]) -> tuple[Fn, Type]:
        v, vt = self.compile(e.value, scope)
        inner, s = self._bind(scope, e.name, vt)
        body, bt = self.compile(e.body, inner)

        def let(r: Regs) -> Any:
            r[s] = v(r)
            return body(r)
        return let, bt

    def _ListLit(self, e: ast.ListLit, scope: dict[str, _Slot]) -> tuple[Fn, Type]:
        compiled = [self.compile(i, scope) for i in e.items]
        fns = [f for f, _ in compiled]
        n = len(fns)

        def list_lit(r: Regs) -> tuple:
            _alloc(r, n)
            return tuple([f(r) for f in fns])
        return list_lit, ListT(compiled[0][1])

    def _RecordLit(self, e: ast.RecordLit, scope: dict[str, _Slot]) -> tuple[Fn, Type]:
        compiled = [(n, *self.compile(v, scope)) for n, v in e.fields]
        names = tuple(n for n, _, _ in compiled)
        fns = [f for _, f, _ in compiled]
        typ = RecordT(tuple((n, t) for n, _, t in compiled))
        n = len(fns)

        def record(r: Regs) -> Record:
            _alloc(r, n)
            return Record(names, tuple([f(r) for f in fns]))
        return record, typ

    # --- loops ---------------------------------------------------------------
    def _Comp(self, e: ast.Comp, scope: dict[str, _Slot]) -> tuple[Fn, Type]:
        src, st = self.compile(e.src, scope)
        assert isinstance(st, ListT)
        inner, s = self._bind(scope, e.var, st.item)
        body, bt = self.compile(e.body, inner)
        if e.cond is None:
            def comp(r: Regs) -> tuple:
                xs = src(r)
                _alloc(r, len(xs))
                return tuple([body(r) for r[s] in xs])
        else:
            cond, _ = self.compile(e.cond, inner)

            def comp(r: Regs) -> tuple:
                xs = src(r)
                _alloc(r, len(xs))
                return tuple([body(r) for r[s] in xs if cond(r)])
        return comp, ListT(bt)

    def _Fold(self, e: ast.Fold, scope: dict[str, _Slot]) -> tuple[Fn, Type]:
        src, st = self.compile(e.src, scope)
        assert isinstance(st, ListT)
        init, state_t = self.compile(e.init, scope)
        inner, xs_slot = self._bind(scope, e.var, st.item)
        inner, s = self._bind(inner, e.state, state_t)
        body, _ = self.compile(e.body, inner)
        if e.scan:
            def scan(r: Regs) -> tuple:
                xs = src(r)
                _alloc(r, len(xs))
                r[s] = init(r)
                out = []
                for r[xs_slot] in xs:
                    r[s] = v = body(r)
                    out.append(v)
                return tuple(out)
            return scan, ListT(state_t)

        def fold(r: Regs) -> Any:
            xs = src(r)
            r[0] -= len(xs)
            if r[0] < 0:
                raise _out_of_fuel()
            r[s] = init(r)
            for r[xs_slot] in xs:
                r[s] = body(r)
            return r[s]
        return fold, state_t

    def _Bisect(self, e: ast.Bisect, scope: dict[str, _Slot]) -> tuple[Fn, Type]:
        lo, _ = self.compile(e.lo, scope)
        hi, _ = self.compile(e.hi, scope)
        inner, s = self._bind(scope, e.var, INT)
        body, _ = self.compile(e.body, inner)
        return _bisect_fn(lo, hi, body, s), INT

    def _Rule(self, e: ast.Rule, scope: dict[str, _Slot]) -> tuple[Fn, Type]:
        mt = rule_type(e, {n: sl.type for n, sl in scope.items()})
        src, st = self.compile(e.src, scope)
        assert isinstance(st, ListT)
        inner, vs = self._bind(scope, e.var, st.item)
        key, _ = self.compile(e.key, inner)
        inner, fs = self._bind(inner, e.fname, mt)
        body, _ = self.compile(e.body, inner)
        paths = [_field_path(h, e.var, st.item) for h in _dependency_keys(e)]
        key_path = _field_path(e.key, e.var, st.item)
        return _rule_fn(
            src, key, body, vs, fs, e.fname, _describe_src(e.src),
            tuple(p for p in paths if p is not None), None if key_path is None or len(key_path) != 1 else key_path[0],
        ), mt


def _describe_src(src: ast.Expr) -> str:
    return src.name if isinstance(src, ast.Var) else "the relation"


_SMALL = 1 << (WORD_BITS - 1)  # below this an integer has fewer than WORD_BITS bits
_BOUND = 1 << MAX_INT_BITS  # every integer is strictly between -_BOUND and _BOUND


def _bounded(impl: Callable, fast: Callable, fns: list[Fn], is_int: tuple[bool, ...]) -> Fn:
    """An operation on integers pays one step, plus one per 64-bit word of its largest operand.

    The table's implementation `impl` refuses results beyond MAX_INT_BITS
    (dsl.primspec.bounded), so with this charge big-integer arithmetic is
    paid for like a loop over its words. When every operand fits in a word,
    no primitive's result can come near the bound (the product of two words
    is two words), so the unchecked `fast` implementation is called.
    """
    lo, hi, shift = -_SMALL, _SMALL, WORD_BITS.bit_length() - 1

    def words(args: tuple) -> int:
        return max([x.bit_length() for x, i in zip(args, is_int) if i]) >> shift

    if len(fns) == 2 and all(is_int):
        a, b = fns

        def call2(r: Regs) -> Any:
            x = a(r)
            y = b(r)
            if lo < x < hi and lo < y < hi:
                r[0] -= 1
                if r[0] < 0:
                    raise _out_of_fuel()
                return fast(x, y)
            r[0] -= 1 + words((x, y))
            if r[0] < 0:
                raise _out_of_fuel()
            return impl(x, y)
        return call2
    if len(fns) == 1 and all(is_int):
        (a,) = fns

        def call1(r: Regs) -> Any:
            x = a(r)
            if lo < x < hi:
                r[0] -= 1
                if r[0] < 0:
                    raise _out_of_fuel()
                return fast(x)
            r[0] -= 1 + words((x,))
            if r[0] < 0:
                raise _out_of_fuel()
            return impl(x)
        return call1

    def call(r: Regs) -> Any:
        args = tuple([f(r) for f in fns])
        r[0] -= 1 + words(args)
        if r[0] < 0:
            raise _out_of_fuel()
        return impl(*args)
    return call


def _bisect_fn(lo: Fn, hi: Fn, body: Fn, s: int) -> Fn:
    """`bisect var in lo .. hi: body` (the variable in slot `s`): this binary search, exactly, whatever the body.

    A search that deduces which points a bisect probes relies on this
    algorithm, so it is the definition, not an implementation of one: on a body
    that holds up to some point of lo..hi and fails after it, the result is
    that point (lo - 1 if the body holds nowhere); on any other body, whatever
    these probes give. An empty range (lo > hi) probes nothing and gives hi.
    A probe pays one step plus one per 64-bit word of the larger of the two
    current bounds, as `+` on them would (the midpoint's arithmetic), so a
    range of 2**1000 takes about a thousand probes of 16 steps each.
    """
    shift = WORD_BITS.bit_length() - 1
    below = -_BOUND

    def bisect(r: Regs) -> int:
        low = lo(r)
        high = hi(r)
        while low <= high:
            r[0] -= 1 + (max(low.bit_length(), high.bit_length()) >> shift)
            if r[0] < 0:
                raise _out_of_fuel()
            r[s] = m = (low + high) // 2  # floor division, negative numbers included
            if body(r):
                low = m + 1
            else:
                high = m - 1
        if high <= below:  # lo - 1, when lo is the least integer the bound allows
            raise overflow("bisect", high)
        return high
    return bisect


def _list_prim(impl: Callable, fns: list[Fn], cost: Callable[..., int], builds: bool) -> Fn:
    """A primitive that reads or builds a list pays, before it runs, for the elements it touches (PrimSpec.cost);
    one that builds a list charges them to the memory budget as well (an upper bound of what it allocates)."""

    def call(r: Regs) -> Any:
        args = [f(r) for f in fns]
        n = cost(*args)
        if builds:
            _alloc(r, n)
        else:
            r[0] -= n
            if r[0] < 0:
                raise _out_of_fuel()
        return impl(*args)
    return call


def _cycle(stack: list, start: Any, fname: str) -> CycleError:
    i = stack.index(start)
    keys = [fmt_value(k) for k in stack[i:]] + [fmt_value(start)]
    if len(keys) > 12:
        keys = keys[:5] + [f"... ({len(keys) - 10} more) ..."] + keys[-5:]
    return CycleError(f"cycle in rule {fname}: " + " -> ".join(keys))


_PLAIN = (ast.IntLit, ast.BoolLit, ast.SymLit, ast.ElemLit, ast.Var, ast.Field)  # expressions that bind nothing


def _member_field(e: ast.Expr, scope: dict[str, _Slot]) -> tuple[int, int] | None:
    """(slot, field position) if `e` is `x.f` for a record variable `x`: read inline by the closures that use it."""
    if isinstance(e, ast.Field) and isinstance(e.record, ast.Var):
        slot = scope[e.record.name]
        if isinstance(slot.type, RecordT):
            return slot.index, slot.type.field_index(e.name)
    return None


def _map_at_member(e: ast.Expr, scope: dict[str, _Slot]) -> tuple[int, int, int, str] | None:
    """(map slot, record slot, field position, map name) if `e` is `m[x.f]` for a map variable `m`: looked up inline
    by the closures that use it, one call fewer per evaluation (a rule body's `val[c.rhs]`, once per clause)."""
    if isinstance(e, ast.Index) and isinstance(e.coll, ast.Var):
        slot = scope[e.coll.name]
        at = _member_field(e.key, scope)
        if isinstance(slot.type, MapT) and at is not None:
            return slot.index, at[0], at[1], e.coll.name
    return None


def _field_path(e: ast.Expr, var: str, t: Type) -> tuple[int, ...] | None:
    """Field positions from a rule's member `var` (of type `t`) to `e` (`c`, `c.rhs`, `c.a.b`), read without closures; else None."""
    names: list[str] = []
    while isinstance(e, ast.Field):
        names.append(e.name)
        e = e.record
    if not isinstance(e, ast.Var) or e.name != var:
        return None
    path = []
    for name in reversed(names):
        if not isinstance(t, RecordT):
            return None
        j = t.field_index(name)
        path.append(j)
        t = t.fields[j][1]
    return tuple(path)


def _hint_values(items: Sequence[Any], path: tuple[int, ...]) -> list:
    """The hinted key of every member: the value at `path` (see `_field_path`)."""
    if len(path) == 1:
        (j,) = path
        return [x.values[j] for x in items]
    out = []
    for x in items:
        for j in path:
            x = x.values[j]
        out.append(x)
    return out


def _dependency_keys(e: ast.Rule) -> list[ast.Expr]:
    """The keys `fname[k]` a rule's body looks up in its own map, when `k` is the member or a field of it.

    They give an evaluation order (dependencies first) that usually computes
    every key without a `_Need` retry; they are only hints (a lookup may be
    guarded by a condition), so none are given if the body rebinds the names.
    """
    found: list[ast.Expr] = []
    todo: list[ast.Expr] = [e.body]
    while todo:
        x = todo.pop()
        bound = {getattr(x, a) for a in ("name", "var", "state", "fname") if isinstance(x, (ast.Let, ast.Comp, ast.Fold, ast.Rule, ast.Bisect)) and hasattr(x, a)}
        if e.var in bound or e.fname in bound:
            return []
        if isinstance(x, ast.Index) and isinstance(x.coll, ast.Var) and x.coll.name == e.fname:
            k = x.key
            while isinstance(k, ast.Field):
                k = k.record
            if isinstance(k, ast.Var) and k.name == e.var and x.key not in found:
                found.append(x.key)
        todo.extend(ast.children(x))
    return found


def _hinted_order(hinted: list[list], index: dict, n: int) -> list[int]:
    """Member positions, each after the members its hinted keys name (iterative post-order; cycles are cut); for several hints."""
    get = index.get
    done = bytearray(n)
    order: list[int] = []
    deps = [[p for p in map(get, ks) if p is not None] for ks in zip(*hinted)]
    for i in range(n):
        if done[i]:
            continue
        done[i] = 1
        stack = [i]
        while stack:
            j = stack[-1]
            for p in deps[j]:
                if not done[p]:
                    done[p] = 1
                    stack.append(p)
                    break
            else:
                order.append(stack.pop())
    return order


def _rule_fn(
    src: Fn, key: Fn, body: Fn, vs: int, fs: int, fname: str, srcname: str,
    hints: tuple[tuple[int, ...], ...] = (), key_field: int | None = None,
) -> Fn:
    """A rule's map: keys, then bodies memoized, each computed after the keys it needs.

    With `hints` (see `_dependency_keys`), bodies first run in hinted order; if
    that order is not enough (a body needs a key not computed yet) or anything
    fails, fuel and memory are restored and the general algorithm below runs
    from the start, so results and errors are exactly its own; it only pays
    fewer steps when the hints were right. A rule inside a hinted attempt
    runs the general algorithm only: were it hinted too, each level's failure
    would run the levels inside it twice more, with their fuel given back
    each time (2**depth runs for rules nested depth deep).
    """
    def rule(r: Regs) -> MapValue:
        items = src(r)
        n = len(items)
        r[0] -= 2 * n  # one step per key, one per first evaluation of a body
        if r[0] < 0:
            raise _out_of_fuel()
        keys = [key(r) for r[vs] in items] if key_field is None else [x.values[key_field] for x in items]
        index = {k: i for i, k in enumerate(keys)}
        if len(index) != n:
            seen: dict = {}
            for i, k in enumerate(keys):
                if k in seen:
                    raise DuplicateKey(
                        f"duplicate key {fmt_value(k)} in rule {fname}: "
                        f"{srcname}[{seen[k]}] and {srcname}[{i}] both define {fname}[{fmt_value(k)}]"
                    )
                seen[k] = i
        if hints and n > 1 and not r[HINTING]:
            fuel, memory = r[0], r[1]
            r[HINTING] = True
            try:
                # A plain dict as the map: a lookup it cannot answer (a key not computed yet, or none) raises
                # UndefinedKey, and the general algorithm below starts over, so only a complete run is kept.
                memo: dict = {}
                r[fs] = memo
                if len(hints) == 1:  # one hint (a chain, a tree)
                    parent = list(map(index.get, _hint_values(items, hints[0])))
                    below = {p: i for i, p in enumerate(parent)}  # hinted parent -> its member; None -> a member with none
                    if len(below) == n:  # no two members hint one parent: a chain, walked down from its top
                        get = below.get
                        j = get(None)
                        while j is not None:  # ends: a member is reached from its parent only, so none twice
                            r[vs] = items[j]
                            memo[keys[j]] = body(r)
                            j = get(j)
                        if len(memo) == n:
                            out = dict.fromkeys(keys)  # in key order
                            out.update(memo)
                            return MapValue(out)
                        memo.clear()  # members off the chain (a cycle): the walk below, from the start
                        r[0], r[1] = fuel, memory
                    # a tree: walk up to a computed key, compute on the way down
                    done = bytearray(n)
                    for i in range(n):
                        if done[i]:
                            continue
                        path = []
                        j = i
                        while j is not None and not done[j]:
                            done[j] = 1
                            path.append(j)
                            j = parent[j]
                        for j in reversed(path):
                            r[vs] = items[j]
                            memo[keys[j]] = body(r)
                else:
                    for i in _hinted_order([_hint_values(items, path) for path in hints], index, n):
                        r[vs] = items[i]
                        memo[keys[i]] = body(r)
                return MapValue(dict(zip(keys, map(memo.__getitem__, keys))))
            except Exception:
                r[0], r[1] = fuel, memory
            finally:
                r[HINTING] = False
        memo = _Memo()
        memo.index = index
        memo.fname = fname
        r[fs] = memo
        for k0, i0 in index.items():
            if k0 in memo:
                continue
            r[vs] = items[i0]
            try:
                memo[k0] = body(r)
                continue
            except _Need as need:
                if need.args[0] is not memo:
                    raise
                first = need.args[1]
            if first == k0:
                raise _cycle([k0], k0, fname)
            stack = [k0, first]
            on = {k0, first}
            while stack:
                k = stack[-1]
                r[0] -= 1
                if r[0] < 0:
                    raise _out_of_fuel()
                r[vs] = items[index[k]]
                try:
                    v = body(r)
                except _Need as need:
                    if need.args[0] is not memo:
                        raise
                    k2 = need.args[1]
                    if k2 in on:
                        raise _cycle(stack, k2, fname) from None
                    stack.append(k2)
                    on.add(k2)
                    continue
                memo[k] = v
                stack.pop()
                on.discard(k)
        return MapValue({k: memo[k] for k in keys})
    return rule
