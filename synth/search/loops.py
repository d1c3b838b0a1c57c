"""Loops as bank operators: comprehension, filter, fold and scan, anywhere in a program.

`LoopOperators(bank)` adds, at each cost, every loop whose parts are cheaper
entries: `[BODY for x in SRC]`, `[BODY for x in SRC if COND]`, `fold (s, x)
-> BODY from INIT over SRC` and its scan. SRC and INIT are entries of the
bank itself (so a loop can run over another loop's result: loops nest and
join), BODY and COND are entries of a body bank whose contexts are every
place the body runs, as lambda-squared, LambdaBeam and Probe enumerate
lambdas: one context per (context of the bank, member of SRC) for a
comprehension, one per (context, distinct member, state) for a fold. Body
banks are banks too, with the loop operators one level shallower, so loops
sit inside loop bodies up to `Settings.loop_depth`.

A body is a function known by its values on those contexts; bodies equal on
all of them are kept once (observational equivalence), and a loop's value is
assembled from its body's vector without running the body again. A fold
over a state type with a finite domain (Bool, the group, the span of small
integers the task shows) reads its body's table; a state outside the table
is computed by running the body directly, so every trace is exact, but for
one bound: an integer state of 2**63 or more is ERROR there
(recipes.TRACE_INT_LIMIT; the interpreter, which checks answers, has none).
"""

from __future__ import annotations

from typing import Callable, Mapping, Sequence

from dsl import ast
from dsl.errors import UserError
from dsl.interp import compile_program
from dsl.types import BOOL, BoolT, IntT, ListT, Type
from dsl.values import Value
from synth.search.bank import Bank
from synth.search.entry import Entry
from synth.search.grammar import values_of_type
from synth.search.recipes import value_at
from synth.search.special import ANY, ERROR, Special, first_special


def fresh_name(base: str, taken: Mapping[str, object]) -> str:
    """`base`, or base1, base2, ... if an input already has that name."""
    if base not in taken:
        return base
    k = 1
    while f"{base}{k}" in taken:
        k += 1
    return f"{base}{k}"


def fold_env(bank: Bank, item_type: Type, state_type: Type) -> tuple[dict, str, str]:
    """A fold body's environment: the bank's, plus a fresh state and a fresh member variable."""
    svar = fresh_name("s", bank.env_types)
    xvar = fresh_name("x", {**bank.env_types, svar: None})
    env = dict(bank.env_types)
    env[svar] = state_type
    env[xvar] = item_type
    return env, svar, xvar


def state_table(contexts: list, members: list, domain: tuple, svar: str, xvar: str,
                first: int = 0, base: int = 0) -> tuple[list[dict], dict]:
    """Body contexts for every (context i, member of members[i], state of the domain), and where each is.

    `first` numbers the contexts from there and `base` the body contexts, to
    add a table for new contexts after an existing one.
    """
    out: list[dict] = []
    where: dict = {}
    for i, (ctx, ms) in enumerate(zip(contexts, members), first):
        for m in ms:
            for state in domain:
                where[(i, m, state)] = base + len(out)
                sub = dict(ctx)
                sub[svar] = state
                sub[xvar] = m
                out.append(sub)
    return out, where


class Lambda:
    """A body bank shared by every source with the same set of members.

    Its contexts are every (bank context i, member value v) for v in the
    union of the members of the sources over all contexts, so a body is one
    function, enumerated once and applied to any of those sources by table
    look-up (LambdaBeam's view of a lambda); pruning is exact for all of
    them, since each member of each source is a context. For a fold, the
    contexts are (i, v, state) over the state domain as well.
    """

    __slots__ = ("bank", "var", "svar", "where", "env", "width")

    def __init__(self, bank: Bank, var: str, svar: str | None, where: dict, env: dict, width: int) -> None:
        self.bank = bank
        self.var = var
        self.svar = svar
        self.where = where  # (context i, member) or (context i, member, state) -> body context index
        self.env = env
        self.width = width


def loop_operators(bank: Bank) -> "LoopOperators":
    """The `operators` factory a bank takes to build loops (see `Bank`)."""
    return LoopOperators(bank)


class LoopOperators:
    """Builds the loop entries of one bank, level by level; keeps the body banks for reuse."""

    def __init__(self, bank: Bank) -> None:
        self.bank = bank
        self._comp: dict = {}
        self._fold: dict = {}
        self._compiled: dict = {}  # id(body entry) -> (compiled body, entry kept alive)
        self._domains: dict = {}
        self._pos: dict = {}  # (id(src), id(lambda)) -> body context of each member, per context
        self._keep: list = []  # the sources keyed by id above, kept alive

    def __call__(self, level: dict, c: int) -> None:
        kinds = self.bank.grammar.loops
        if "comp" in kinds:
            self._comps(level, c, False)
        if "filter" in kinds:
            self._comps(level, c, True)
        for kind in ("fold", "scan"):
            if kind in kinds:
                self._folds(level, c, kind == "scan")

    def sources(self, cost: int) -> list[Entry]:
        """Lists a loop may run over: entries of list type that fail on no context."""
        out: list[Entry] = []
        for typ, entries in list(self.bank.at(cost).items()):
            if isinstance(typ, ListT):
                out.extend(e for e in entries if not e.special)
        return out

    # -- comprehensions and filters ---------------------------------------

    def _members(self, src: Entry) -> tuple:
        """The members a body bank for `src` runs on: the item type's domain in this bank.

        One domain per item type (the values of that type in the contexts,
        the small integers up to the longest list, the grammar's constants),
        so every source of that type shares one body bank. A member outside
        it is evaluated by running the body (exact, never merged on).
        """
        typ = src.type.item  # type: ignore[attr-defined]
        dom = self._domains.get(typ)
        if dom is None:
            dom = self._domains[typ] = item_domain(self.bank, typ)
        return dom

    def comp_body(self, src: Entry) -> Lambda:
        members = self._members(src)
        key = (src.type, members)
        found = self._comp.get(key)
        if found is None:
            bank = self.bank
            var = fresh_name("x", bank.env_types)
            env = dict(bank.env_types)
            env[var] = src.type.item  # type: ignore[attr-defined]
            contexts: list[dict] = []
            where: dict = {}
            for i, ctx in enumerate(bank.contexts):
                for m in members:
                    where[(i, m)] = len(contexts)
                    sub = dict(ctx)
                    sub[var] = m
                    contexts.append(sub)
            body_bank = Bank(env, contexts, bank.grammar, bank.budget, prune=bank.prune,
                             operators=bank.operators, depth=bank.depth - 1)
            found = self._comp[key] = Lambda(body_bank, var, None, where, env, len(members))
        return found

    def _positions(self, src: Entry, lam: Lambda) -> list[list[int]]:
        key = (id(src), id(lam))
        hit = self._pos.get(key)
        if hit is None:
            where = lam.where
            hit = [[where.get((i, m), -1) for m in members] for i, members in enumerate(src.values)]
            self._pos[key] = hit
            self._keep.append(src)
        return hit

    def _comps(self, level: dict, c: int, with_filter: bool) -> None:
        bank = self.bank
        rest = c - bank.grammar.weight("filter" if with_filter else "comp")
        for cs in range(1, rest):
            for src in self.sources(cs):
                lam = self.comp_body(src)
                pos = self._positions(src, lam)
                offtable = any(-1 in p for p in pos)
                if not with_filter:
                    for typ, entries in list(lam.bank.at(rest - cs).items()):
                        out_type = ListT(typ)
                        for e in entries:
                            vals = _gather(e, pos) if not offtable else self._gather_direct(e, lam, src)
                            bank.add(level, ast.Comp(lam.var, src.expr, e.expr), out_type, vals, c)
                    continue
                for cc in range(1, rest - cs):
                    conds = lam.bank.of_type(cc, BOOL)
                    if not conds:
                        continue
                    for typ, entries in list(lam.bank.at(rest - cs - cc).items()):
                        out_type = ListT(typ)
                        for cond in conds:
                            if bank.prune and not cond.special and all(cond.values):
                                continue  # keeps everything: the plain comprehension
                            for e in entries:
                                vals = (
                                    tuple(_select(e.values, cond.values, p) for p in pos) if not offtable
                                    else self._gather_direct(e, lam, src, cond)
                                )
                                bank.add(level, ast.Comp(lam.var, src.expr, e.expr, cond.expr), out_type, vals, c)

    # -- folds and scans ----------------------------------------------------

    def fold_body(self, src: Entry, state_type: Type, domain: tuple) -> Lambda:
        members = self._members(src)
        key = (src.type, members, state_type)
        found = self._fold.get(key)
        if found is None:
            bank = self.bank
            env, svar, xvar = fold_env(bank, src.type.item, state_type)  # type: ignore[attr-defined]
            contexts, where = state_table(bank.contexts, [members] * len(bank.contexts), domain, svar, xvar)
            body_bank = Bank(env, contexts, bank.grammar, bank.budget, prune=bank.prune,
                             operators=bank.operators, depth=bank.depth - 1)
            body_bank.keep_recipes = True  # states beyond the table are evaluated from the recipe
            found = self._fold[key] = Lambda(body_bank, xvar, svar, where, env, len(members))
        return found

    def _folds(self, level: dict, c: int, scan: bool) -> None:
        bank = self.bank
        rest = c - bank.grammar.weight("scan" if scan else "fold")
        for state_type, domain in bank.grammar.state_domains:
            out_type = ListT(state_type) if scan else state_type
            for cs in range(1, rest - 1):
                for src in self.sources(cs):
                    for ci in range(1, rest - cs):
                        inits = [e for e in bank.of_type(ci, state_type) if not e.special]
                        if not inits:
                            continue
                        lam = self.fold_body(src, state_type, domain)
                        assert lam.svar is not None  # a fold body has its state variable
                        for body in lam.bank.of_type(rest - cs - ci, state_type):
                            for init in inits:
                                vals = tuple(
                                    self._trace(i, items, start, body, lam, scan)
                                    for i, (items, start) in enumerate(zip(src.values, init.values))
                                )
                                expr = ast.Fold(lam.svar, lam.var, body.expr, init.expr, src.expr, scan=scan)
                                bank.add(level, expr, out_type, vals, c)

    def _gather_direct(self, body: Entry, lam: Lambda, src: Entry, cond: Entry | None = None) -> tuple:
        """A comprehension's values where some member is off the body's table: run the body there."""
        out = []
        for i, members in enumerate(src.values):
            part = []
            failed = None
            for m in members:
                j = lam.where.get((i, m))
                if cond is not None:
                    k = cond.values[j] if j is not None else self._direct(cond, lam, i, None, m)
                    if type(k) is Special:
                        failed = k
                        break
                    if not k:
                        continue
                v = body.values[j] if j is not None else self._direct(body, lam, i, None, m)
                if type(v) is Special:
                    failed = v
                    break
                part.append(v)
            out.append(failed if failed is not None else tuple(part))
        return tuple(out)

    def _trace(self, i: int, items: tuple, state: Value, body: Entry, fb: Lambda, scan: bool):
        """The fold's final state (a scan's states) on context i, exact: off-table states run the body."""
        return trace(i, items, state, body.values, fb.where, lambda st, m: self._direct(body, fb, i, st, m), scan)

    def _direct(self, body: Entry, fb: Lambda, i: int, state: Value | None, item: Value):
        """Run a fold body outside its table (a state beyond the domain); compiled once per body."""
        values = dict(self.bank.contexts[i])
        if fb.svar is not None:
            values[fb.svar] = state  # type: ignore[assignment]  # (state is None only for a comprehension body: no svar)
        values[fb.var] = item
        out = value_at(body, values)
        if out is not None:
            return out
        run = self._compiled.get(id(body))
        if run is None:
            run = self._compiled[id(body)] = (interpreted(fb.env, body.expr, self.bank.budget.settings.body_fuel), body)
        return run[0](values)


def interpreted(env: Mapping[str, Type], expr: ast.Expr, fuel: int) -> Callable[[Mapping[str, Value]], Value | Special]:
    """A body run by the interpreter (one with a loop inside has no recipe): its value, or ERROR where it fails."""
    run = compile_program(ast.Program(tuple(ast.Param(n, t) for n, t in env.items()), expr))

    def value(values: Mapping[str, Value]) -> Value | Special:
        try:
            return run(values, fuel=fuel)
        except (UserError, ArithmeticError, IndexError, TypeError, ValueError, RecursionError):
            return ERROR

    return value


def fold_can_fit(src: Entry, init: Entry, outputs: Sequence[Value], agrees: Callable, closed: bool = True) -> bool:
    """Whether some fold body could fold every example to its output from this start over this source.

    Over an example with no members a fold is its start, whatever its body:
    the start must agree with the output there. A closed body (one that sees
    only the state and the member) makes the final state a function of the
    start and the member sequence, so examples alike in both must have
    outputs that agree. Where not, no body of any cost fits, and none is
    tried. An example whose output is ANY asks nothing.
    """
    seen: dict = {}
    for members, start, out in zip(src.values, init.values, outputs):
        if out is ANY:
            continue
        if not members and not agrees(out, start):
            return False
        if not closed:
            continue
        try:
            first = seen.setdefault((members, start), out)
        except TypeError:  # an unhashable value: no refutation
            closed = False
            continue
        if first is not out and not agrees(first, out):
            return False
    return True


def trace(i: int, items: tuple, state: Value, values: tuple, where: dict, direct: Callable, scan: bool):
    """A fold's final state (a scan's states) on context i: table look-ups, `direct` off the table.

    The first special state is the loop's value, on the table or off it: a
    scan's list never holds UNKNOWN as an item (UNKNOWN stands for a whole value).
    """
    states = []
    for item in items:
        j = where.get((i, item, state))
        if j is not None:
            state = values[j]
        else:
            state = direct(state, item)
        if type(state) is Special:
            return state
        if scan:
            states.append(state)
    return tuple(states) if scan else state


def values_in_contexts(bank: Bank, typ: Type) -> dict:
    """Every value of type `typ` inside the bank's contexts (items of lists, fields of records), as dict keys in first-seen order."""
    found: dict = {}
    for ctx in bank.contexts:
        for name, t in bank.env_types.items():
            for v in values_of_type(ctx[name], t, typ):
                found[v] = None
    return found


def item_domain(bank: Bank, typ: Type) -> tuple:
    """Values of type `typ` a loop in this bank will meet, in a fixed order."""
    found = values_in_contexts(bank, typ)
    if isinstance(typ, IntT):
        longest = max((len(v) for ctx in bank.contexts for v in ctx.values() if isinstance(v, tuple)), default=0)
        for k in range(longest + 1):
            found[k] = None
        for t, v in bank.grammar.constants:
            if isinstance(t, IntT):
                found[v] = None
    if isinstance(typ, BoolT):
        found.update({False: None, True: None})
    return tuple(found)


def _gather(body: Entry, positions: list[list[int]]) -> tuple:
    """A comprehension's value on each context: the body's values at its members' positions."""
    values = body.values
    get = values.__getitem__
    if not body.special:
        return tuple(tuple(map(get, p)) for p in positions)
    out = []
    for p in positions:
        part = tuple(map(get, p))
        out.append(first_special(part) or part)
    return tuple(out)


def _select(body: tuple, cond: tuple, positions: list[int]):
    out = []
    for j in positions:
        k = cond[j]
        if type(k) is Special:
            return k
        if k:
            v = body[j]
            if type(v) is Special:
                return v
            out.append(v)
    return tuple(out)
