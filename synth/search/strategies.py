"""Hypothesis strategies for the search's contract: a program the grammar builds, and a task of its examples.

The contract (README, "How the search works"): from examples of a program P
that the grammar builds, the search returns a program no dearer than P.
`searchable_tasks` draws such a P with inputs and P's outputs, inside the
bounds in which the search is exhaustive: P loop-free, or one loop at the
root - a comprehension, a filtered one, a scan, or a fold whose states stay
in the finite domain the grammar gives its state type on these examples (a
fold leaving it is searched on sampled states, a documented heuristic). The
primitives and weights are the profile's and the constants the grammar's,
so a profile of your own is held to the same contract:

    from hypothesis import given, settings
    from synth.search.solver import synthesize
    from synth.search.strategies import searchable_tasks

    @settings(max_examples=20, deadline=None)
    @given(searchable_tasks(profile="list"))
    def test_nothing_cheaper_is_missed(drawn):
        found = synthesize(drawn.task, max_cost=drawn.cost, profile="list")
        assert found.program is not None and found.cost <= drawn.cost
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, cast

from hypothesis import assume
from hypothesis import strategies as st

from dsl import ast
from dsl.errors import UserError
from dsl.interp import compile_program
from dsl.prims import PRIMS
from dsl.strategy_params import check_int, refuse
from dsl.types import BOOL, INT, ListT, Type
from synth.search.grammar import Grammar, grammar_for
from synth.search.profiles import Profile, resolve_profile
from synth.search.settings import DEFAULTS
from tasks.core import Example, Task, TaskSpec

LIST = ListT(INT)
TYPES: tuple[Type, ...] = (INT, BOOL, LIST)  # the types of P's parts: every core primitive but the group ones has a typing here
FORMS = ("expr", "fold", "scan", "comp", "filter")  # loop-free, or the loop at the root
INPUTS: dict[str, Type] = {"xs": LIST}
MEMBER: dict[str, Type] = {"x": INT, **INPUTS}  # what a comprehension's body and condition see


@dataclass(frozen=True)
class Drawn:
    """A program the grammar builds and a task of its examples: the search must find one no dearer."""

    program: ast.Program
    task: Task
    cost: int  # the program's cost under the profile's weights
    form: str  # one of FORMS


def searchable_tasks(profile: str | Profile = "core", forms: tuple[str, ...] | None = None, max_cost: int = 7,
                     examples: int = 6) -> st.SearchStrategy[Drawn]:
    """Programs over `xs: List[Int]` of cost at most `max_cost`, in one of `forms`, with their outputs on
    `examples` inputs (lists of 0..6 items in 0..3). Inputs the program fails on are left out (at least three
    stay), and the outputs are not all one value (a constant would fit them).

    `forms` None is every form of FORMS the profile can draw ('filter' needs a condition); a form named
    that it cannot draw is refused."""
    fn = "searchable_tasks"
    accepted = "'core', 'list' or a synth.search.profiles.Profile"
    if not isinstance(profile, (str, Profile)):
        raise refuse(fn, "profile", profile, accepted)
    try:
        chosen = resolve_profile(profile)
    except UserError:
        raise refuse(fn, "profile", profile, accepted) from None
    if forms is not None and (not isinstance(forms, tuple) or not forms or not all(isinstance(f, str) for f in forms)
                              or not set(forms) <= set(FORMS)):
        raise refuse(fn, "forms", forms, f"None (every form the profile can draw) or a non-empty tuple of {', '.join(map(repr, FORMS))}")
    check_int(fn, "max_cost", max_cost, 3, 12, " (a dearer program takes the search seconds)")
    check_int(fn, "examples", examples, 3, 20)
    conditions = BOOL in _Exprs(None, chosen, Grammar(weights=chosen.weights)).costs(MEMBER)
    if forms is None:
        forms = FORMS if conditions else tuple(f for f in FORMS if f != "filter")
    elif "filter" in forms and not conditions:
        raise UserError(f"{fn}(profile={chosen.name!r}): form 'filter' needs a condition, and the profile builds no Bool "
                        f"from a member, xs and the integer constants (core's comparisons do): add one, or leave 'filter' "
                        f"out of forms")
    return st.composite(lambda draw: _draw(draw, chosen, forms, max_cost, examples))()


def _draw(draw: Any, profile: Profile, forms: tuple[str, ...], max_cost: int, examples: int) -> Drawn:
    weights = Grammar(weights=profile.weights)
    form = draw(st.sampled_from(forms))
    made = _Exprs(draw, profile, weights)
    budget = draw(st.integers(3, max_cost))
    body: ast.Expr
    built = made.costs(INPUTS)  # the types the profile builds here: drawn only among those
    if form == "expr":
        typ = draw(st.sampled_from([t for t in TYPES if t in built]))
        body = made.expr(INPUTS, typ, budget)
    elif form in ("fold", "scan"):
        state = draw(st.sampled_from([t for t in (INT, BOOL) if t in built]))
        typ = state if form == "fold" else ListT(state)
        sees = {"s": state, "x": INT, **(INPUTS if draw(st.booleans()) else {})}  # a closed body, or one reading xs
        rest = budget - weights.weight(form) - weights.weight("var")  # the source is xs
        init = made.expr(INPUTS, state, draw(st.integers(1, max(1, min(3, rest - 1)))))
        body = ast.Fold("s", "x", made.expr(sees, state, rest - weights.cost(init)), init, ast.Var("xs"), scan=form == "scan")
    else:
        sources: list[ast.Expr] = [ast.Var("xs")]
        if {"range", "len"} <= set(profile.primitives):
            sources.append(ast.Prim("range", (ast.Prim("len", (ast.Var("xs"),)),)))
        src = draw(st.sampled_from(sources))
        item = draw(st.sampled_from([t for t in (INT, BOOL) if t in made.costs(MEMBER)]))
        typ = ListT(item)
        sees = MEMBER
        rest = budget - weights.weight("comp" if form == "comp" else "filter") - weights.cost(src)
        cond = made.expr(sees, BOOL, draw(st.integers(3, max(3, rest - 1)))) if form == "filter" else None
        body = ast.Comp("x", src, made.expr(sees, item, rest - (weights.cost(cond) if cond else 0)), cond)
    program = ast.Program(tuple(ast.Param(n, t) for n, t in INPUTS.items()), body)
    run = compile_program(program)
    train = []
    for _ in range(examples):
        xs = tuple(draw(st.lists(st.integers(0, 3), max_size=6)))
        try:
            train.append(Example({"xs": xs}, run({"xs": xs})))
        except (UserError, ArithmeticError, RecursionError):  # an input P fails on is no example of P
            continue
    cost = weights.cost(body)
    assume(len(train) >= 3 and cost <= max_cost and len({repr(e.output) for e in train}) > 1)
    task = Task("drawn", "drawn", tuple(INPUTS.items()), typ, tuple(train), (), TaskSpec(family="drawn"))
    if form == "fold":
        assert isinstance(body, ast.Fold)
        assume(_states_inside(task, body, profile))
    return Drawn(program, task, cost, form)


def _states_inside(task: Task, fold: ast.Fold, profile: Profile) -> bool:
    """Whether every state the fold reaches on the examples is in the finite domain the grammar gives its type.

    (A scan needs no such bound: its states are its output, so its body is deduced, not traced.)"""
    values = [v for e in task.train for v in (*e.inputs.values(), e.output)]
    grammar = grammar_for(dict(task.input_types), task.output_type, values, profile=profile, settings=DEFAULTS)
    domain = grammar.state_domain(task.output_type)
    if domain is None:
        return False
    env = {"s": task.output_type, "x": INT, **INPUTS}
    step = compile_program(ast.Program(tuple(ast.Param(n, t) for n, t in env.items()), fold.body))
    start = compile_program(ast.Program(tuple(ast.Param(n, t) for n, t in INPUTS.items()), fold.init))
    for e in task.train:
        state = start(dict(e.inputs))
        if state not in domain:
            return False
        for x in cast(tuple, e.inputs["xs"]):
            state = step({**e.inputs, "s": state, "x": x})
            if state not in domain:
                return False
    return True


class _Exprs:
    """Random loop-free expressions the search's banks build: variables, the grammar's integer constants, the
    profile's primitives over TYPES, indexing and `if`, each spending about its budget (a leaf only where
    nothing larger fits)."""

    def __init__(self, draw: Any, profile: Profile, weights: Grammar) -> None:
        self.draw = draw
        self.weights = weights
        self.ints = DEFAULTS.int_constants
        self.calls = [(op, args, typed[0]) for op in profile.primitives for args in _tuples(PRIMS[op].arity)
                      if (typed := PRIMS[op].typing(args)) is not None and typed[0] in TYPES]
        self._costs: dict[tuple, dict[Type, int]] = {}

    def _leaf_cost(self, env: Mapping[str, Type], typ: Type) -> int | None:
        if typ in env.values():
            return self.weights.weight("var")
        return self.weights.weight("const") if typ == INT and self.ints else None

    def costs(self, env: Mapping[str, Type]) -> dict[Type, int]:
        """The cost of the cheapest expression of each type here: a leaf's, else the cheapest call's, whose operands
        may be calls in turn. A type missing is one the profile cannot build here (no comparison: no Bool)."""
        key = tuple(env.items())
        best = self._costs.get(key)
        if best is None:
            best = {t: c for t in TYPES if (c := self._leaf_cost(env, t)) is not None}
            leaves = set(best)
            changed = True
            while changed:
                changed = False
                for op, args, out in self.calls:
                    if out not in leaves and all(t in best for t in args):
                        c = self.weights.weight(op) + sum(best[t] for t in args)
                        if c < best.get(out, c + 1):
                            best[out], changed = c, True
            self._costs[key] = best
        return best

    def least(self, env: Mapping[str, Type], typ: Type) -> int:
        """The cost of the cheapest expression of a type here (`x == 0`, `range(0)`); the type must be one it builds."""
        return self.costs(env)[typ]

    def _call_cost(self, op: str, args: tuple[Type, ...], env: Mapping[str, Type]) -> int:
        return self.weights.weight(op) + sum(self.least(env, t) for t in args)

    def _calls(self, env: Mapping[str, Type], typ: Type) -> list[tuple[str, tuple[Type, ...]]]:
        """The calls of type `typ` whose operands can all be built here."""
        can = self.costs(env)
        return [(op, args) for op, args, out in self.calls if out == typ and all(t in can for t in args)]

    def expr(self, env: Mapping[str, Type], typ: Type, budget: int) -> ast.Expr:
        """An expression of type `typ` costing at most `budget`, or the cheapest of its type if none does."""
        d = self.draw
        w = self.weights.weight
        calls = self._calls(env, typ)
        options: list[tuple[str, Any]] = [("call", (op, args)) for op, args in calls
                                          if self._call_cost(op, args, env) <= budget]
        if typ == INT and LIST in env.values() and w("index") + w("var") + self.least(env, INT) <= budget:
            options.append(("index", None))
        if BOOL in self.costs(env) and w("if") + self.least(env, BOOL) + 2 * self.least(env, typ) <= budget:
            options.append(("if", None))
        leaves: list[ast.Expr] = [ast.Var(n) for n, t in env.items() if t == typ]
        leaves += [ast.IntLit(k) for k in self.ints] if typ == INT else []
        if not options and leaves:
            options = [("leaf", leaf) for leaf in leaves]
        if not options:  # nothing fits the budget: the cheapest call of the type
            options = [min((("call", (op, args)) for op, args in calls), key=lambda o: self._call_cost(o[1][0], o[1][1], env))]
        kind, what = d(st.sampled_from(options))
        if kind == "leaf":
            return what
        if kind == "index":
            coll = d(st.sampled_from([ast.Var(n) for n, t in env.items() if t == LIST]))
            return ast.Index(coll, self.expr(env, INT, budget - w("index") - w("var")))
        if kind == "if":
            shares = self._split(budget - w("if"), [self.least(env, BOOL), self.least(env, typ), self.least(env, typ)])
            return ast.If(self.expr(env, BOOL, shares[0]), self.expr(env, typ, shares[1]), self.expr(env, typ, shares[2]))
        op, args = what
        shares = self._split(budget - w(op), [self.least(env, t) for t in args])
        return ast.Prim(op, tuple(self.expr(env, t, b) for t, b in zip(args, shares)))

    def _split(self, total: int, least: list[int]) -> list[int]:
        """A random split of `total` among the parts, each at least its least (a unit may go unspent)."""
        shares = list(least)
        for _ in range(max(0, total - sum(least))):
            k = self.draw(st.integers(0, len(shares)))
            if k < len(shares):
                shares[k] += 1
        return shares


def _tuples(n: int) -> list[tuple[Type, ...]]:
    """Every tuple of n types of TYPES."""
    out: list[tuple[Type, ...]] = [()]
    for _ in range(n):
        out = [t + (x,) for t in out for x in TYPES]
    return out


__all__ = ["Drawn", "searchable_tasks"]
