"""The type checker: every expression gets one type, or a DslTypeError.

Primitive typing comes from dsl.prims.PRIMS. The one subtle form is the
recursive rule `forall c in R: f[key] = body`: inside the body, `f` is a map
whose value type is what the body computes. We find that type in a lenient
first pass where `f`'s values are of an unknown type (a branch that does not
consult `f` fixes it, as a base case must), then check the body strictly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from dsl import ast
from dsl.errors import DslTypeError
from dsl.prims import PRIMS
from dsl.printer import show
from dsl.types import BOOL, ELEM, INT, SYM, BoolT, ElemT, IntT, ListT, MapT, RecordT, SymT, Type

KEY_TYPES = (IntT, BoolT, SymT, ElemT)
_BASE = (INT, BOOL, SYM, ELEM)


@dataclass(frozen=True)
class _Unknown(Type):
    """The not-yet-known value type of a rule, during its lenient first pass."""

    def __str__(self) -> str:
        return "?"


UNKNOWN = _Unknown()


def _has_unknown(t: Type) -> bool:
    if t == UNKNOWN:
        return True
    if isinstance(t, ListT):
        return _has_unknown(t.item)
    if isinstance(t, MapT):
        return _has_unknown(t.key) or _has_unknown(t.value)
    if isinstance(t, RecordT):
        return any(_has_unknown(ft) for _, ft in t.fields)
    return False


def _fill(t: Type, known: Type) -> Type:
    """`t` with every unknown part replaced by `known` (a guess the strict pass checks)."""
    if t == UNKNOWN:
        return known
    if isinstance(t, ListT):
        return ListT(_fill(t.item, known))
    if isinstance(t, MapT):
        return MapT(_fill(t.key, known), _fill(t.value, known))
    if isinstance(t, RecordT):
        return RecordT(tuple((n, _fill(ft, known)) for n, ft in t.fields))
    return t


def _unify(a: Type, b: Type) -> Type | None:
    """One type both may be, unknown parts taken from the other (`List[?]` and `List[Int]`: `List[Int]`); None if none."""
    if a == UNKNOWN:
        return b
    if b == UNKNOWN or a == b:
        return a
    if isinstance(a, ListT) and isinstance(b, ListT):
        item = _unify(a.item, b.item)
        return None if item is None else ListT(item)
    if isinstance(a, MapT) and isinstance(b, MapT):
        key, value = _unify(a.key, b.key), _unify(a.value, b.value)
        return None if key is None or value is None else MapT(key, value)
    if isinstance(a, RecordT) and isinstance(b, RecordT) and a.names == b.names:
        fields = [_unify(x, y) for (_, x), (_, y) in zip(a.fields, b.fields)]
        return None if any(f is None for f in fields) else RecordT(tuple(zip(a.names, fields)))  # type: ignore[arg-type]
    return None


def _short(e: ast.Expr, limit: int = 70) -> str:
    try:
        text = show(e)
    except (ValueError, TypeError, KeyError):
        text = repr(e)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _error(e: ast.Expr, what: str) -> DslTypeError:
    return DslTypeError(f"type error: {what} in `{_short(e)}`", pos=e.pos)


def check_program(p: ast.Program) -> Type:
    """Check `p`; return the type of its output (a program nested too deeply is refused first)."""
    ast.require_nesting(p.body)
    env: dict[str, Type] = {}
    for param in p.inputs:
        if param.name in env:
            raise DslTypeError(f"type error: input {param.name!r} is declared twice", pos=param.pos)
        env[param.name] = param.type
    return infer(p.body, env)


def infer(expr: ast.Expr, env: Mapping[str, Type]) -> Type:
    """The type of `expr` where the free variables have the types in `env`."""
    return _Checker(lenient=False).infer(expr, dict(env))


def rule_type(rule: ast.Rule, env: Mapping[str, Type]) -> MapT:
    """The Map type a rule computes (the interpreter needs it before compiling the body)."""
    t = infer(rule, env)
    assert isinstance(t, MapT)
    return t


class _Checker:
    def __init__(self, lenient: bool) -> None:
        self.lenient = lenient

    def infer(self, e: ast.Expr, env: dict[str, Type]) -> Type:
        method = getattr(self, "_" + type(e).__name__, None)
        if method is None:
            raise DslTypeError(f"type error: not an expression: {e!r}", pos=getattr(e, "pos", None))
        return method(e, env)

    def _bind(self, env: dict[str, Type], name: str, t: Type) -> dict[str, Type]:
        new = dict(env)
        new[name] = t
        return new

    def _expect(self, e: ast.Expr, env: dict[str, Type], want: Type, role: str) -> Type:
        t = self.infer(e, env)
        if t != want and not (self.lenient and t == UNKNOWN):
            raise _error(e, f"{role} must be {want}, not {t}")
        return t

    def _list_item(self, e: ast.Expr, env: dict[str, Type], role: str) -> Type:
        t = self.infer(e, env)
        if isinstance(t, ListT):
            return t.item
        if self.lenient and t == UNKNOWN:
            return UNKNOWN
        raise _error(e, f"{role} must be a list, not {t}")

    # --- leaves --------------------------------------------------------------
    def _Var(self, e: ast.Var, env: dict[str, Type]) -> Type:
        try:
            return env[e.name]
        except KeyError:
            known = ", ".join(sorted(env)) or "none"
            hint = f"; did you mean {e.name.lower()}?" if e.name in ("True", "False") else (
                f"; an input is declared first, as `input {e.name}: TYPE`" if not env else "")
            raise _error(e, f"undefined variable {e.name!r} (in scope: {known}{hint})") from None

    def _IntLit(self, e: ast.IntLit, env: dict[str, Type]) -> Type:
        if isinstance(e.value, bool) or not isinstance(e.value, int):
            raise _error(e, "an integer literal must hold an int")
        return INT

    def _BoolLit(self, e: ast.BoolLit, env: dict[str, Type]) -> Type:
        return BOOL

    def _SymLit(self, e: ast.SymLit, env: dict[str, Type]) -> Type:
        return SYM

    def _ElemLit(self, e: ast.ElemLit, env: dict[str, Type]) -> Type:
        return ELEM

    # --- access --------------------------------------------------------------
    def _Field(self, e: ast.Field, env: dict[str, Type]) -> Type:
        t = self.infer(e.record, env)
        if self.lenient and t == UNKNOWN:
            return UNKNOWN
        if not isinstance(t, RecordT):
            raise _error(e, f"field .{e.name} of a value of type {t}, which is not a record")
        ft = t.field_type(e.name)
        if ft is None:
            raise _error(e, f"type {t} has no field {e.name!r}")
        return ft

    def _Index(self, e: ast.Index, env: dict[str, Type]) -> Type:
        t = self.infer(e.coll, env)
        k = self.infer(e.key, env)
        if self.lenient and t == UNKNOWN:
            return UNKNOWN
        if isinstance(t, ListT):
            if k != INT and not (self.lenient and k == UNKNOWN):
                raise _error(e, f"a list index must be Int, not {k}")
            return t.item
        if isinstance(t, MapT):
            if k != t.key and not (self.lenient and k == UNKNOWN):
                raise _error(e, f"a key of {t} must be {t.key}, not {k}")
            return t.value
        raise _error(e, f"cannot index a value of type {t} (only lists and maps)")

    def _Prim(self, e: ast.Prim, env: dict[str, Type]) -> Type:
        spec = PRIMS.get(e.op)
        if spec is None:
            raise _error(e, f"unknown primitive {e.op!r}")
        if len(e.args) != spec.arity:
            hint = f"; {e.op} takes a list: {e.op}([a, b])" if e.op in ("min", "max", "sum") and spec.arity == 1 else ""
            raise _error(e, f"{e.op} takes {spec.arity} argument(s), not {len(e.args)}{hint}")
        ts = tuple(self.infer(a, env) for a in e.args)
        if self.lenient and any(map(_has_unknown, ts)):  # `f[c.p]` inside: `max([f[c.p], f[c.q]])` takes a List[?]
            return self._guess_prim(spec, ts)
        result = spec.result_type(ts)
        if result is None:
            got = ", ".join(str(t) for t in ts)
            raise _error(e, f"{e.op!r} ({spec.doc}) cannot take {got}")
        return result

    def _guess_prim(self, spec, ts: tuple[Type, ...]) -> Type:
        """Lenient pass: fill the unknown parts of the arguments with the known ones' types, then base types."""
        known = [t for t in ts if not _has_unknown(t)]
        for cand in list(dict.fromkeys(known)) + list(_BASE):
            filled = tuple(_fill(t, cand) for t in ts)
            r = spec.result_type(filled)
            if r is not None:
                return r
        return UNKNOWN

    # --- control -------------------------------------------------------------
    def _If(self, e: ast.If, env: dict[str, Type]) -> Type:
        self._expect(e.cond, env, BOOL, "the condition of if")
        a = self.infer(e.then, env)
        b = self.infer(e.orelse, env)
        if self.lenient:
            both = _unify(a, b)
            if both is not None:
                return both
        if a != b:
            raise _error(e, f"the branches of if have different types, {a} and {b}")
        return a

    def _Let(self, e: ast.Let, env: dict[str, Type]) -> Type:
        t = self.infer(e.value, env)
        return self.infer(e.body, self._bind(env, e.name, t))

    def _ListLit(self, e: ast.ListLit, env: dict[str, Type]) -> Type:
        if not e.items:
            raise _error(e, "cannot tell the item type of an empty list literal")
        ts = [self.infer(i, env) for i in e.items]
        if self.lenient:  # items with unknown parts take the others' (`[f[c.p], c.v]`: List[Int])
            first: Type | None = ts[0]
            for item, t in zip(e.items, ts):
                both = _unify(first, t) if first is not None else None
                if both is None:
                    raise _error(item, f"list items must all have one type, not {first} and {t}")
                first = both
            return ListT(first)  # type: ignore[arg-type]
        for item, t in zip(e.items, ts):
            if t != ts[0]:
                raise _error(item, f"list items must all have one type, not {ts[0]} and {t}")
        return ListT(ts[0])

    def _RecordLit(self, e: ast.RecordLit, env: dict[str, Type]) -> Type:
        names = [n for n, _ in e.fields]
        if len(set(names)) != len(names):
            raise _error(e, "a field appears twice")
        return RecordT(tuple((n, self.infer(v, env)) for n, v in e.fields))

    # --- loops ---------------------------------------------------------------
    def _Comp(self, e: ast.Comp, env: dict[str, Type]) -> Type:
        item = self._list_item(e.src, env, "the source of a comprehension")
        inner = self._bind(env, e.var, item)
        if e.cond is not None:
            self._expect(e.cond, inner, BOOL, "the condition of a comprehension")
        return ListT(self.infer(e.body, inner))

    def _Fold(self, e: ast.Fold, env: dict[str, Type]) -> Type:
        kw = "scan" if e.scan else "fold"
        if e.state == e.var:
            raise _error(e, f"the state and the item of a {kw} need different names")
        item = self._list_item(e.src, env, f"the source of a {kw}")
        state = self.infer(e.init, env)
        inner = self._bind(self._bind(env, e.var, item), e.state, state)
        body = self.infer(e.body, inner)
        both = _unify(state, body) if self.lenient else (state if body == state else None)
        if both is None:
            raise _error(e, f"the body of a {kw} computes {body}, but its state (from the start value) is {state}")
        state = both
        return ListT(state) if e.scan else state

    def _Bisect(self, e: ast.Bisect, env: dict[str, Type]) -> Type:
        self._expect(e.lo, env, INT, "the lower bound of bisect")
        self._expect(e.hi, env, INT, "the upper bound of bisect")
        self._expect(e.body, self._bind(env, e.var, INT), BOOL, "the body of bisect")
        return INT

    def _Rule(self, e: ast.Rule, env: dict[str, Type]) -> Type:
        if e.fname == e.var:
            raise _error(e, "the rule's map and its member variable need different names")
        item = self._list_item(e.src, env, "the source of a rule")
        inner = self._bind(env, e.var, item)
        key = self.infer(e.key, inner)
        if self.lenient and key == UNKNOWN:
            return MapT(UNKNOWN, UNKNOWN)
        if not isinstance(key, KEY_TYPES):
            raise _error(e.key, f"a rule's key must be Int, Bool, Sym or Elem, not {key}")
        guess = _Checker(lenient=True).infer(e.body, self._bind(inner, e.fname, MapT(key, UNKNOWN)))
        if self.lenient:
            # The guess is all a lenient pass needs: the strict pass around it checks this rule again. A second
            # lenient pass here would check every rule nested in the body twice more, 2**depth passes in all.
            return MapT(key, UNKNOWN if _has_unknown(guess) else guess)
        if _has_unknown(guess):
            raise _error(
                e,
                f"cannot tell what type the values of {e.fname} have; "
                "the body needs a case that does not look up " + e.fname,
            )
        value = self.infer(e.body, self._bind(inner, e.fname, MapT(key, guess)))
        if value != guess:  # pragma: no cover - the strict pass agrees with the guess or raises
            raise _error(e, f"the body of rule {e.fname} computes {value}, not {guess}")
        return MapT(key, value)
