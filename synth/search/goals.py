"""Top-down deduction from the output: goals, and the operators whose output reveals their operands.

A goal is a type and the value a program must have on every search example
(ANY where it asks nothing). A leaf meets it with no operator on top: the
bottom-up bank holds an expression with exactly those values (one look-up),
an index loop `[BODY for i in range(N)]` has N among the bank's ranges and a
body the goal's items (`IndexBank`), or a fold over sampled states ends in
the goal's values (samplefolds.py). Past that, an operator whose output says
what its operands must be - a witness function, as in FlashMeta and
lambda-squared - turns a goal into sub-goals, solved the same way:

- `pad(P, n, v)`: v the commonest last item, P each output without its
  trailing v's, n its length;
- `append(P, x)` / `cons(x, P)`: the output without its last / first item;
- `P + Q` on lists: for a split point the bank computes (an Int expression
  whose value lies within every output), the two halves;
- `to_bits(N)`: N is the number a canonical little-endian bit list stands for;
- `A + B`, `A - B`, `A * B` on Int: A is any cheaper bank expression, B is
  what the output leaves for it, looked up;
- `if C then A else B` at the root: C a cheap condition, A and B partial goals.

Each witness is one entry of WITNESSES, offered when its primitive is in the
grammar. Costs stay exact: `solve(goal, c)` yields only programs of cost c
(the operator's weight plus its parts' costs), so the solver's cost order
holds. Parts are at most Settings.goal_part_cost and come from the banks,
which is what lets a search go past the size of its bank: once the banks are
frozen (Settings.freeze_values) programs are still composed from them.
Look-ups read only built levels: the solver builds the top bank below the
cost it asks for before asking (memoized answers stay true).

pad, append, cons and to_bits fix all their operands (FIXED), so the goals
they lead to form a short list of chains (`Chain`), whose goals the solver
searches for a fold once, ahead of the levels (Settings.chain_fold_cost).
"""

from __future__ import annotations

from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Callable, Iterator, Mapping, Sequence, cast

from dsl import ast
from dsl.errors import UserError
from dsl.interp import compile_program
from dsl.prims import CORE_PRIMS
from dsl.types import BOOL, INT, IntT, ListT, Type
from dsl.values import Value
from synth.search.bank import Bank
from synth.search.bisect import BisectBodies
from synth.search.entry import Entry
from synth.search.grammar import DEDUCED_FORMS, NODE_KINDS
from synth.search.loops import fresh_name
from synth.search.special import ANY, Special


@dataclass(frozen=True)
class Goal:
    """What a program must be: its type and its value on each search example (ANY: anything)."""

    type: Type
    want: tuple
    # A payload (of pad, append, to_bits) is met by a fold; a part (the halves
    # of `+`, the rest of `cons`, an operator's small operands) by an index
    # loop: each search per goal is dear, and the parts are many.
    folds: bool = True
    # The operator whose operand this goal is, where that rules another out (`reverse` under `reverse`).
    under: str = ""


# Root folds of a cost whose final state on every example is the one given (rootloops.LoopSearch.folds_for).
Folds = Callable[[int, Type, tuple], Iterator[ast.Expr]]


@dataclass(frozen=True)
class Chain:
    """A goal the output leads to through operators that fix their operands (FIXED), and how to wrap a program for it.

    `wrap` lists the operators from the root down, each with its operands:
    the bank's cheapest expression for each fixed one, None where the
    payload (or the next operator) goes. `cost` is what the wrapping adds.
    """

    goal: Goal
    cost: int
    wrap: tuple[tuple[str, tuple[ast.Expr | None, ...]], ...] = ()
    # Search examples an operator could not explain, left ANY in the goal: a
    # program for the chain is wrong there until a root `if` covers them.
    exceptions: int = 0
    # The goal of the chain one operator shorter, and whether that operator
    # explains it: literal operands (append(P, 2), to_bits(N)) and no new
    # exceptions. A fold for an explained goal would have to make what the
    # operator adds, so it is searched through that operator only.
    parent: Goal | None = None
    explains: bool = False
    # Some operator of the wrap explains its goal (`explains` at any step).
    # A chain of operators that only strip what the output happens to show
    # (pad to len(xs), its fill the commonest last item: the trailing 0s of a
    # random bit string) fits random outputs by chance; the solver searches
    # such a chain only after the probe (solver._search).
    anchored: bool = False

    def program(self, payload: ast.Expr) -> ast.Expr:
        expr = payload
        for op, args in reversed(self.wrap):
            expr = _call(op, *(expr if a is None else a for a in args))
        return expr


class Goals:
    """Programs of a given cost that meet a goal, composed top-down from the banks' expressions."""

    def __init__(self, top: Bank, folds: Folds | None = None, cases: bool = True) -> None:
        """`cases`: whether a root `if` may split the examples into cases (off for an early probe: solver._probed)."""
        self.top = top
        self._folds = folds
        self.grammar = top.grammar
        self.settings = top.budget.settings
        self._memo: dict[tuple[Goal, int, int], list[ast.Expr]] = {}
        self._leaf_memo: dict[tuple[Goal, int], list[ast.Expr]] = {}
        self._by_length: dict[int, dict[tuple, list[Entry]]] = {}
        self._splits: dict[Goal, list[Entry]] = {}
        self._index: IndexBank | None = None
        self.bisects: BisectBodies | None = None
        self._projected: dict[tuple, dict] = {}
        self._cheapest_condition = (-1, 1)  # (levels built, the cost of the cheapest condition among them)
        self.witnesses = [(op, w) for op, w in WITNESSES.items()
                          if (op in self.grammar.prims or op in self.grammar.loops or op in NODE_KINDS and op not in DEDUCED_FORMS)
                          and (cases or op != "if")]

    def held(self) -> int:
        """Values held by this composer's own banks (the index-loop and bisect bodies'), released when it is dropped."""
        return (self._index.bank.stored if self._index is not None else 0) + (self.bisects.held() if self.bisects is not None else 0)

    def candidates(self, goal: Goal, cost: int) -> Iterator[ast.Expr]:
        """The root: composed programs only (the solver looks the goal up and tries root loops itself)."""
        yield from self._composed(goal, cost, self.settings.goal_depth)

    def chains(self, goal: Goal, keep: Callable[[Chain], bool] = lambda chain: True) -> list[Chain]:
        """The goal itself and every goal up to goal_depth FIXED operators below it, each once (cheapest wrapping first).

        The fixed operands are the bank's cheapest expressions with their
        values; a chain whose operand the bank does not hold, or that `keep`
        refuses, ends there (and leaves its goal to another chain: a chance
        operand, right on the search examples only, must not take the goal
        of a chain whose operands hold on all, as the first to reach it). An
        operator may leave a few examples it cannot explain (at most
        Settings.chain_exceptions in all) ANY: such a chain costs at least a
        root `if`, which its cost leaves out (see `chained`). The goal is also
        followed with its base cases left ANY (`_base_cases`).
        """
        out = [Chain(goal, 0)]
        limit = self.settings.chain_exceptions
        alphabet = frozenset(x for w in goal.want if isinstance(w, tuple) for x in w)  # the outputs' items
        base = self._base_cases(goal)
        if 0 < len(base) <= limit:
            out.append(Chain(replace(goal, want=tuple(ANY if i in base else w for i, w in enumerate(goal.want))), 0, (), len(base)))
        seen = {ch.goal for ch in out}
        frontier = out
        for _ in range(self.settings.goal_depth):
            below = []
            for chain in frontier:
                for op, parts_of in FIXED.items():
                    if op not in self.grammar.prims:
                        continue
                    found, odd = parts_of(chain.goal), 0
                    if found is None:
                        found, odd = _excepting(parts_of, chain.goal, limit - chain.exceptions)
                    if found is None:
                        continue
                    parts, k = found.goals, found.payload
                    cost = chain.cost + self.grammar.weight(op)
                    args: list[ast.Expr | None] = []
                    for j, part in enumerate(parts):
                        hit = None if j == k else self._cheapest(part)
                        if j != k and (hit is None or hit.special):
                            break
                        args.append(None if hit is None else hit.expr)
                        cost += 0 if hit is None else hit.cost
                    else:
                        payload = replace(parts[k], folds=True)
                        if payload in seen:
                            continue
                        explains = not odd and _constant(args) and not _forced(op, args, chain, alphabet)
                        new = Chain(payload, cost, chain.wrap + ((op, tuple(args)),), chain.exceptions + odd,
                                    chain.goal, explains, chain.anchored or explains)
                        if keep(new):
                            seen.add(payload)
                            below.append(new)
            out += below
            frontier = below
        # Cheapest first; at one cost, the longer chain (more of the output explained) first.
        return sorted(out, key=lambda ch: (ch.cost + self._if_bound(ch), -len(ch.wrap)))

    def _base_cases(self, goal: Goal) -> frozenset[int]:
        """The search examples whose list inputs hold at most Settings.base_case_size items in all.

        A program's base cases live there (a recursion's, or a generator's
        fixed answers for the shortest inputs), so the general case is also
        sought without them and a root `if` (repair.py) may cover them. None
        if that would leave fewer than two examples.
        """
        sizes = [sum(len(v) for v in ctx.values() if isinstance(v, tuple)) for ctx in self.top.contexts]
        base = frozenset(i for i, n in enumerate(sizes) if n <= self.settings.base_case_size and goal.want[i] is not ANY)
        return base if len(goal.want) - len(base) >= 2 else frozenset()

    def _if_bound(self, chain: Chain) -> int:
        """What a root `if` adds to a chain with exceptions at least, as the search set shows it.

        Its weight, a branch of cost 1 and the cheapest condition the top bank
        holds that splits the search examples (4 for a list input:
        `0 < len(xs)`); a condition that splits only other training examples
        may be cheaper, so this orders the chains, it bounds nothing.
        """
        if not chain.exceptions:
            return 0
        built = len(self.top.levels) - 1
        if self._cheapest_condition[0] != built:
            cond = next(self.conditions(built), None)
            self._cheapest_condition = (built, 1 if cond is None else cond.cost)
        return self.grammar.weight("if") + self._cheapest_condition[1] + 1

    def confirmed(self, chain: Chain, whole: Goal, contexts: Sequence[Mapping[str, Value]]) -> bool:
        """Whether the chain's fixed operands are right on other examples too: `whole` on `contexts` (every training example).

        Ten search examples can make a chance expression look like an operand
        (`last(xs) / 4` for the first items of ten stacks); a fold searched
        under it is time lost. Up to Settings.repair_share of the examples
        may be left to a root `if`, as the repair would.
        """
        goal = whole
        limit = int(self.settings.repair_share * len(contexts))
        params = tuple(ast.Param(n, t) for n, t in self.top.env_types.items())
        for op, args in chain.wrap:
            found, odd = FIXED[op](goal), 0
            if found is None:
                found, odd = _excepting(FIXED[op], goal, limit)
            if found is None:
                return False
            limit -= odd
            for part, arg in zip(found.goals, args):
                if arg is None:
                    continue
                run = compile_program(ast.Program(params, arg))
                for ctx, w in zip(contexts, part.want):
                    try:
                        if w is not ANY and run(ctx, fuel=self.settings.check_fuel) != w:
                            return False
                    except UserError:
                        return False
            goal = found.goals[found.payload]
        return True

    def chained(self, goal: Goal, max_cost: int, fold_cost: int, keep: Callable[[Chain], bool] = lambda chain: True,
                anchored: bool | None = None) -> Iterator[tuple[ast.Expr, int]]:
        """Programs (and their costs) that wrap a fold of at most `fold_cost` for a chain's goal, cheapest first.

        The fold is searched for the chain's goal alone, past the levels the
        composed search has reached (see Settings.chain_fold_cost). A chain
        with exceptions gives programs wrong on them, to be completed with a
        root `if` (repair.py): they come in the order of their cost plus the
        least such an `if` adds, and with their own cost. Only the chains
        `keep` accepts are searched (the solver's: `confirmed` on every
        training example). `anchored`: only the chains that are (True) or are
        not (False) `Chain.anchored`; None: all.
        """
        if self._folds is None:
            return
        # The goal itself is left to the levels: its folds come there in cost
        # order. A goal a kept chain explains is searched through it only
        # (only literal operands explain: an expression can fit ten stacks'
        # first items by chance, `last(xs) / 4`).
        kept = [ch for ch in self.chains(goal, keep) if ch.wrap]
        explained = {ch.parent for ch in kept if ch.explains}
        chains = [ch for ch in kept if ch.goal not in explained and anchored in (None, ch.anchored)]
        # Past the dearest chain's fold_cost nothing comes: a max_cost of 10**8 is not counted up to.
        last = max((ch.cost + self._if_bound(ch) + fold_cost for ch in chains), default=0)
        for total in range(1, min(max_cost, last) + 1):
            for chain in chains:
                f = total - chain.cost - self._if_bound(chain)
                if 1 <= f <= fold_cost:
                    # One fold at a time: the first is often the answer, and the rest of a dear search is then never run.
                    for fold in self._drawn(self._folds(f, chain.goal.type, chain.goal.want)):
                        yield chain.program(fold), chain.cost + f

    def solve(self, goal: Goal, cost: int, depth: int) -> list[ast.Expr]:
        """Every program found of exactly this cost meeting `goal`, decomposing `depth` operators deep."""
        key = (goal, cost, depth)
        hit = self._memo.get(key)
        if hit is None:
            with self._growing():
                hit = self._memo[key] = list(self._solve(goal, cost, depth))
        return hit

    def _drawn(self, items: Iterator[ast.Expr]) -> Iterator[ast.Expr]:
        """A search's results one by one, banks free to grow for the goal while each is sought (not while it is used)."""
        while True:
            with self._growing():
                item = next(items, None)
            if item is None:
                return
            yield item

    @contextmanager
    def _growing(self) -> Iterator[None]:
        """Banks may grow for a goal while in here, frozen or not (Settings.goal_values)."""
        budget = self.top.budget
        outer, budget.goal_growth = budget.goal_growth, True
        try:
            yield
        finally:
            budget.goal_growth = outer

    def _solve(self, goal: Goal, cost: int, depth: int) -> Iterator[ast.Expr]:
        yield from self._leaves(goal, cost)
        if depth > 0:
            yield from self._composed(goal, cost, depth)

    def _leaves(self, goal: Goal, cost: int) -> list[ast.Expr]:
        """Programs of this cost meeting the goal with no operator on top: a look-up, an index loop, a fold.

        Memoized apart from the depth: one goal is reached along many paths.
        """
        key = (goal, cost)
        hit = self._leaf_memo.get(key)
        if hit is None:
            hit = []
            found = self.lookup(goal, cost)
            if found is not None:
                hit.append(found.expr)
            if not goal.folds:
                if isinstance(goal.type, ListT):
                    hit.extend(self._comps(goal, cost))
            elif self._folds is not None and not any(w is ANY for w in goal.want):
                hit.extend(self._folds(cost, goal.type, goal.want))
            self._leaf_memo[key] = hit
        return hit

    def _cheapest(self, goal: Goal) -> Entry | None:
        """The bank's cheapest expression meeting the goal (partial or not), among the levels built."""
        if any(w is ANY for w in goal.want):
            asked = tuple(i for i, w in enumerate(goal.want) if w is not ANY)
            return self._project(goal.type, asked).get(tuple(goal.want[i] for i in asked))
        return self.top.lookup(goal.type, goal.want)

    def can_look_up(self, cost: int) -> bool:
        """Whether `lookup` at this cost may find anything: the level is built and a goal may take a part that dear."""
        return 1 <= cost < len(self.top.levels) and cost <= self.settings.goal_part_cost

    def lookup(self, goal: Goal, cost: int) -> Entry | None:
        """The bank's expression with exactly the goal's values, if it costs `cost` (levels already built only)."""
        if not self.can_look_up(cost):
            return None
        hit = self._cheapest(goal)
        return hit if hit is not None and hit.cost == cost else None

    def _project(self, typ: Type, asked: tuple) -> dict:
        """The cheapest top-bank expression of each value on the `asked` examples (for partial goals)."""
        built = min(len(self.top.levels) - 1, self.settings.goal_part_cost)
        key = (typ, asked, built)
        index = self._projected.get(key)
        if index is None:
            index = self._projected[key] = {}
            for c in range(1, built + 1):
                for e in self.top.levels[c].get(typ, ()):
                    vs = e.values
                    values = tuple(vs[i] for i in asked)
                    if values not in index and not any(type(v) is Special for v in values):
                        index[values] = e
        return index

    def _composed(self, goal: Goal, cost: int, depth: int) -> Iterator[ast.Expr]:
        for _, witness in self.witnesses:
            yield from witness(self, goal, cost, depth)

    def parts(self, goals: Sequence[Goal], cost: int, depth: int) -> Iterator[tuple[ast.Expr, ...]]:
        """Expressions for every goal in turn, their costs summing to `cost`, each goal `depth` deep."""
        if not goals:
            if cost == 0:
                yield ()
            return
        first, rest = goals[0], goals[1:]
        tick = self.top.budget.tick  # a product of parts can be long: the timeout is checked on the way
        for c in range(1, cost - len(rest) + 1):
            heads = self.solve(first, c, depth)
            if not heads:
                continue
            for tail in self.parts(rest, cost - c, depth):
                for head in heads:
                    tick()
                    yield (head, *tail)

    # -- bank entries the witnesses pick from ------------------------------------

    def built(self, cost: int) -> dict[Type, list[Entry]]:
        """Top-bank entries of this cost if that level is built (a witness never makes the bank grow)."""
        return self.top.levels[cost] if cost < len(self.top.levels) else {}

    def ints(self, max_cost: int) -> Iterator[Entry]:
        """Int expressions of the top bank up to `max_cost`, failing on no example, cheapest first."""
        for c in range(1, max_cost + 1):
            for e in self.built(c).get(INT, ()):
                if not e.special:
                    yield e

    def conditions(self, max_cost: int) -> Iterator[Entry]:
        """Bool expressions of the top bank up to `max_cost` that hold on some examples and not on others."""
        for c in range(1, max_cost + 1):
            for e in self.built(c).get(BOOL, ()):
                if not e.special and True in e.values and False in e.values:
                    yield e

    def split_points(self, goal: Goal) -> list[Entry]:
        """Int expressions (up to Settings.goal_split_cost) whose value lies within every output, inside one."""
        hit = self._splits.get(goal)
        if hit is None:
            lengths = [len(w) for w in goal.want if w is not ANY]
            asked = [i for i, w in enumerate(goal.want) if w is not ANY]
            hit = []
            for e in self.ints(self.settings.goal_split_cost):
                vs = [e.values[i] for i in asked]
                if all(0 <= v <= n for v, n in zip(vs, lengths)) and any(0 < v < n for v, n in zip(vs, lengths)):
                    hit.append(e)
            if len(self.top.levels) > self.settings.goal_split_cost or self.top.full:
                self._splits[goal] = hit  # every level it draws on is built
        return hit

    # -- comprehensions, deduced from a list goal ---------------------------------

    def _sources(self, cost: int, lengths: tuple) -> list[Entry]:
        """The top bank's `range(...)` lists of this cost with these lengths (the cheapest expression of each)."""
        index = self._by_length.get(cost)
        if index is None:
            index = {}
            if cost < len(self.top.levels):
                for typ, entries in self.top.levels[cost].items():
                    if isinstance(typ, ListT):
                        for e in entries:
                            if not e.special and all(v == tuple(range(len(v))) for v in e.values):
                                index.setdefault(tuple(map(len, e.values)), []).append(e)
            if cost < len(self.top.levels) - 1 or self.top.full:
                self._by_length[cost] = index  # a finished level: keep the index
        return index.get(lengths, [])

    def _comps(self, goal: Goal, cost: int) -> Iterator[ast.Expr]:
        """`[BODY for i in range(N)]` with N the goal's lengths and BODY's values the goal's items.

        Index-wise loops only (a loop over another list at the root is
        deduce.py's), so one body bank serves every goal (`IndexBank`): it
        runs on the first positions of each example, bodies equal there are
        merged (a heuristic merge, which can lose a body but never admits a
        wrong one), and a body found there is run on every position before it is used.
        """
        if any(w is ANY for w in goal.want) or not any(goal.want):
            return
        item = goal.type.item  # type: ignore[attr-defined]
        rest = cost - self.grammar.weight("comp")
        lengths = tuple(map(len, goal.want))
        part = self.settings.goal_part_cost
        for cs in range(max(1, rest - part), min(rest, part + 1)):
            for src in self._sources(cs, lengths):
                if self._index is None:
                    self._index = IndexBank(self.top, self.settings.goal_positions)
                for body in self._index.bodies(rest - cs, item, goal.want):
                    yield ast.Comp(self._index.var, src.expr, body)


class IndexBank:
    """Loop bodies over `range(n)` (core primitives), enumerated on the first `per_example` positions of every example.

    One bank for every goal whatever its lengths: a goal shorter than the
    sample on some example asks nothing of the positions past its end.
    """

    def __init__(self, top: Bank, per_example: int) -> None:
        self.var = fresh_name("i", top.env_types)
        self.env = dict(top.env_types)
        self.env[self.var] = INT
        self.positions = [(e, j) for e in range(len(top.contexts)) for j in range(per_example)]
        contexts = []
        for e, j in self.positions:
            ctx = dict(top.contexts[e])
            ctx[self.var] = j
            contexts.append(ctx)
        self.top = top
        # Index bodies are arithmetic on the position and look-ups in the
        # inputs: the core primitives only, whatever the profile, so that a
        # library profile does not make this bank many times larger.
        grammar = replace(top.grammar, prims=tuple(p for p in top.grammar.prims if p in CORE_PRIMS))
        self.bank = Bank(self.env, contexts, grammar, top.budget, prune=top.prune)
        self._projected: dict[tuple, dict] = {}
        self._exact: dict = {}

    def bodies(self, cost: int, typ: Type, want: tuple) -> Iterator[ast.Expr]:
        """Bodies of this cost giving item j of want[e] at every sampled (e, j), then checked at every position."""
        asked = tuple(k for k, (e, j) in enumerate(self.positions) if j < len(want[e]))
        values = tuple(want[self.positions[k][0]][self.positions[k][1]] for k in asked)
        hit = self.bank.first_with(cost, typ, asked, values)
        if hit is False:  # values the bank cannot code: a dictionary per set of positions
            key = (typ, asked, cost)
            index = self._projected.get(key)
            if index is None:
                index = self._projected[key] = {}
                for entry in self.bank.of_type(cost, typ):
                    vs = entry.values
                    index.setdefault(tuple(vs[k] for k in asked), entry)
            hit = index.get(values)
        if isinstance(hit, Entry) and self.exact(hit.expr, want):
            yield hit.expr

    def exact(self, body: ast.Expr, want: tuple) -> bool:
        """Whether `body` gives the wanted item at every position of every example, not only the sampled ones."""
        key = (body, want)
        hit = self._exact.get(key)
        if hit is None:
            program = ast.Program(tuple(ast.Param(n, t) for n, t in self.env.items()), body)
            run = compile_program(program)
            fuel = self.top.budget.settings.body_fuel
            hit = True
            try:
                for ctx, items in zip(self.top.contexts, want):
                    values = dict(ctx)
                    for j, w in enumerate(items):
                        values[self.var] = j
                        if run(values, fuel=fuel) != w:
                            hit = False
                            break
                    if not hit:
                        break
            except UserError:
                hit = False
            self._exact[key] = hit
        return hit


# -- witnesses: (goals, goal, cost, depth) -> programs of that cost -------------------

Witness = Callable[[Goals, Goal, int, int], Iterator[ast.Expr]]


def _call(op: str, *args: ast.Expr) -> ast.Expr:
    return ast.Prim(op, tuple(args))


def _lists(goal: Goal, nonempty: bool = True) -> bool:
    """A list goal whose examples (those it asks about) are lists, non-empty if need be."""
    return isinstance(goal.type, ListT) and all(w is ANY or (isinstance(w, tuple) and (w or not nonempty)) for w in goal.want)


def _each(goal: Goal, f: Callable[[tuple], Value]) -> tuple:
    """f of every wanted value, ANY where the goal asks nothing (a list goal's: each value is a tuple)."""
    return tuple(ANY if w is ANY else f(w) for w in goal.want)


@dataclass(frozen=True)
class Operands:
    """What a FIXED operator's output says its operands must be: one goal each, and which one is the payload."""

    goals: tuple[Goal, ...]
    payload: int  # the operand left to search; the others are fixed values the bank looks up


def _pad_parts(goal: Goal) -> Operands | None:
    """`pad(P, n, v)`: v the commonest last item, P each output without its trailing v's, n its length."""
    if not _lists(goal):
        return None
    lasts = Counter(w[-1] for w in goal.want if w is not ANY)
    if not lasts:
        return None
    fill = lasts.most_common(1)[0][0]

    def strip(w: tuple) -> tuple:
        k = len(w)
        while k and w[k - 1] == fill:
            k -= 1
        return w[:k]

    stripped = _each(goal, strip)
    if all(s is ANY or len(s) == len(w) for s, w in zip(stripped, goal.want)):
        return None
    item = goal.type.item  # type: ignore[attr-defined]
    return Operands((Goal(goal.type, stripped), Goal(INT, _each(goal, len), folds=False), Goal(item, _each(goal, lambda w: fill), folds=False)), 0)


def _append_parts(goal: Goal) -> Operands | None:
    """`append(P, x)`: the output without its last item, and that item."""
    if not _lists(goal):
        return None
    item = goal.type.item  # type: ignore[attr-defined]
    return Operands((Goal(goal.type, _each(goal, lambda w: w[:-1])), Goal(item, _each(goal, lambda w: w[-1]), folds=False)), 0)


def _cons_parts(goal: Goal) -> Operands | None:
    """`cons(x, P)`: the first item, and the output without it."""
    if not _lists(goal):
        return None
    item = goal.type.item  # type: ignore[attr-defined]
    return Operands((Goal(item, _each(goal, lambda w: w[0]), folds=False), Goal(goal.type, _each(goal, lambda w: w[1:]), folds=False)), 1)


def _canonical_bits(w: Value) -> bool:
    return isinstance(w, tuple) and len(w) > 0 and all(b == 0 or b == 1 for b in w) and (w[-1] == 1 or len(w) == 1)


def _number(bits: tuple) -> int:
    """The number a little-endian bit list stands for."""
    return sum(b << i for i, b in enumerate(bits))


def _to_bits_parts(goal: Goal) -> Operands | None:
    """`to_bits(N)`: N is the number a canonical little-endian bit list stands for."""
    if goal.type != ListT(INT) or not all(w is ANY or _canonical_bits(w) for w in goal.want):
        return None
    return Operands((Goal(INT, _each(goal, _number)),), 0)


def _reverse_parts(goal: Goal) -> Operands | None:
    """`reverse(P)`: P each output reversed (not under another reverse, which would give the goal back)."""
    if not _lists(goal, nonempty=False) or goal.under == "reverse":
        return None
    return Operands((Goal(goal.type, _each(goal, lambda w: w[::-1]), folds=False, under="reverse"),), 0)


def _to_bits_len_parts(goal: Goal) -> Operands | None:
    """`to_bits_len(N, k)`: N the number a little-endian bit list stands for (the one below 2**k), k its length."""
    if goal.type != ListT(INT) or not all(w is ANY or (w and all(b == 0 or b == 1 for b in w)) for w in goal.want):
        return None
    number = Goal(INT, _each(goal, _number), folds=False, under="to_bits_len")
    return Operands((number, Goal(INT, _each(goal, len), folds=False)), 0)


# Operators whose output fixes every operand: one set of sub-goals, no choice.
# The chains follow these (each chain's goal is searched for a fold) ...
FIXED: dict[str, Callable[[Goal], Operands | None]] = {
    "pad": _pad_parts,
    "append": _append_parts,
    "cons": _cons_parts,
    "to_bits": _to_bits_parts,
}
# ... these only compose (a chain through `reverse` would search every list goal's folds twice).
COMPOSED: dict[str, Callable[[Goal], Operands | None]] = {
    "reverse": _reverse_parts,
    "to_bits_len": _to_bits_len_parts,
}


def _excepting(parts_of: Callable[[Goal], Operands | None], goal: Goal, limit: int) -> tuple[Operands | None, int]:
    """An operator's operands on the goal without the examples it cannot explain (ANY there), and how many those are.

    (None, 0) when it explains none, or more than `limit`, of the examples asked about.
    """
    asked = [i for i, w in enumerate(goal.want) if w is not ANY]
    if limit <= 0 or len(asked) < 2:
        return None, 0
    odd = {i for i in asked if parts_of(replace(goal, want=_only(goal, {i}))) is None}
    if not odd or len(odd) > limit or len(odd) == len(asked):
        return None, 0
    rest = parts_of(replace(goal, want=tuple(ANY if i in odd else w for i, w in enumerate(goal.want))))
    return (rest, len(odd)) if rest is not None else (None, 0)


def _only(goal: Goal, keep: set[int]) -> tuple:
    """The goal's values on the examples in `keep`, ANY elsewhere."""
    return tuple(w if i in keep else ANY for i, w in enumerate(goal.want))


def _forced(op: str, operands: Sequence[ast.Expr | None], chain: Chain, alphabet: frozenset) -> bool:
    """Whether what the operator's literal operands say holds of any output over `alphabet` the chain above leaves.

    Then it explains nothing: after pad strips the trailing v's the last item
    is no v, so over bit strings it is 1, and append(P, 1) and to_bits (bits
    ending in 1) fit every output (odds_first's: a random bit string).
    """
    above = chain.wrap[-1] if chain.wrap else None
    fill = above[1][2] if above is not None and above[0] == "pad" else None
    stripped = fill.value if isinstance(fill, ast.IntLit) else None
    if op == "append":
        item = operands[1]
        return isinstance(item, ast.IntLit) and not (alphabet - {stripped, item.value})
    if op == "cons":
        item = operands[0]
        return isinstance(item, ast.IntLit) and not (alphabet - {item.value})
    if op == "to_bits":
        return alphabet <= {0, 1} and stripped == 0
    return False


def _constant(operands: Sequence[ast.Expr | None]) -> bool:
    """Every fixed operand a literal (None is the payload's place)."""
    return all(a is None or isinstance(a, (ast.IntLit, ast.BoolLit)) for a in operands)


def _fixed(op: str) -> Witness:
    """The witness of an operator in FIXED or COMPOSED: its sub-goals, solved together."""
    parts_of = FIXED[op] if op in FIXED else COMPOSED[op]

    def witness(goals: Goals, goal: Goal, cost: int, depth: int) -> Iterator[ast.Expr]:
        found = parts_of(goal)
        if found is None:
            return
        for args in goals.parts(found.goals, cost - goals.grammar.weight(op), depth - 1):
            yield _call(op, *args)
    return witness


def _concat(goals: Goals, goal: Goal, cost: int, depth: int) -> Iterator[ast.Expr]:
    if not _lists(goal, nonempty=False):
        return
    rest = cost - goals.grammar.weight("+")
    for split in goals.split_points(goal):
        halves = (
            Goal(goal.type, tuple(ANY if w is ANY else w[:k] for w, k in zip(goal.want, split.values)), folds=False),
            Goal(goal.type, tuple(ANY if w is ANY else w[k:] for w, k in zip(goal.want, split.values)), folds=False),
        )
        # The halves are looked up or deduced as index loops, not split again:
        # splits of splits multiply the goals past what a search can visit.
        for a, b in goals.parts(halves, rest, 0):
            yield _call("+", a, b)


def _if(goals: Goals, goal: Goal, cost: int, depth: int) -> Iterator[ast.Expr]:
    """`if C then A else B`: C a cheap condition of the bank; A must meet the goal where C holds, B elsewhere.

    Only at the top of a composition, the root goal (branches are not split again).
    """
    if depth != goals.settings.goal_depth:
        return
    rest = cost - goals.grammar.weight("if")
    for cond in goals.conditions(min(rest - 2, goals.settings.goal_condition_cost)):
        then = Goal(goal.type, tuple(w if k else ANY for w, k in zip(goal.want, cond.values)))
        orelse = Goal(goal.type, tuple(ANY if k else w for w, k in zip(goal.want, cond.values)))
        for a, b in goals.parts((then, orelse), rest - cond.cost, depth - 1):
            yield ast.If(cond.expr, a, b)


def _bisect(goals: Goals, goal: Goal, cost: int, depth: int) -> Iterator[ast.Expr]:
    """`bisect i in LO .. HI: BODY`: the result says where every probe went, so BODY's examples (bisect.py)."""
    # A loop meets a payload, not a part (`Goal.folds`); a fixed-width number's bits (to_bits_len) are composed
    # only, with no fold (one for every bit-list goal held too many values), and this is how a number is found there.
    if not (goal.folds or goal.under == "to_bits_len") or not isinstance(goal.type, IntT) \
            or not all(type(w) is int for w in goal.want):
        return
    if goals.bisects is None:
        goals.bisects = BisectBodies(goals.top)
    yield from goals.bisects.programs(goal.want, cost)


Solve = Callable[[int, int], "int | None"]  # (wanted value, known operand's value) -> the other operand, or None
Unsolve = Callable[[int, int], int]  # (wanted value, the other operand's value) -> the known operand: a Solve undone


@dataclass(frozen=True)
class Side:
    """One way to read `A op B`: which operand is the known one, how the other follows from it, and back."""

    solve: Solve
    on_right: bool  # the known operand is B (else A)
    unsolve: Unsolve | None = None  # the known operand from the other's value; None: not one-to-one (`*` by 0)


def _arith(op: str, *sides: Side) -> Witness:
    """`A op B` on Int: one operand any cheaper bank expression, the other what the goal leaves for it, looked up.

    Each side's `solve(w, k)` is the other operand given the known one's
    value k (None: there is none). For an operator that does not commute
    both operands may be the known one (two sides); for one that does, the
    known operand is the cheaper one.

    The knowns are read cheapest first, the other operand looked up at the
    cost left. Where the known's level is larger than the other's (a dear
    known, a cheap other), the other's level is read instead and each known
    it asks for looked up (`Side.unsolve`): the same programs in the same
    order (the bundled cycle_navigation's search reads 862 entries where it
    read 8,985 known operands, each on every example and both sides).
    """
    def witness(goals: Goals, goal: Goal, cost: int, depth: int) -> Iterator[ast.Expr]:
        if not isinstance(goal.type, IntT) or not all(w is ANY or type(w) is int for w in goal.want):
            return
        rest = cost - goals.grammar.weight(op)
        dearest = rest - 1 if len(sides) > 1 else rest // 2
        whole = ANY not in goal.want
        for kc in range(1, min(dearest, goals.settings.goal_part_cost) + 1):
            if not goals.can_look_up(rest - kc):
                continue  # no look-up at that cost can hit
            knowns = [e for e in goals.built(kc).get(INT, ()) if not e.special]
            if whole and goals.top.prune and all(s.unsolve is not None for s in sides) \
                    and len(goals.built(rest - kc).get(INT, ())) < len(knowns):
                yield from _arith_back(goals, goal, op, sides, knowns, kc, rest - kc)
                continue
            for known in knowns:
                for side in sides:
                    need = []
                    for w, k in zip(goal.want, known.values):
                        v = ANY if w is ANY else side.solve(w, k)
                        if v is None:
                            break
                        need.append(v)
                    else:
                        found = goals.lookup(Goal(INT, tuple(need)), rest - known.cost)
                        if found is not None:
                            yield _call(op, found.expr, known.expr) if side.on_right else _call(op, known.expr, found.expr)
    return witness


def _arith_back(goals: Goals, goal: Goal, op: str, sides: Sequence[Side], knowns: list[Entry],
                known_cost: int, cost: int) -> list[ast.Expr]:
    """`_arith`'s programs with a known from `knowns`, found from the other operand's level (`cost`), in `_arith`'s order.

    The other operand is what `_arith` looks up: the bank's cheapest
    expression with its values, so each entry of that level stands for its
    values (a pruned bank holds one), and the known it asks for is looked up.
    """
    top = goals.top
    hits: list[tuple[Entry, int, ast.Expr]] = []  # (known entry, side, program), to be put in `_arith`'s order
    for other in goals.built(cost).get(INT, ()):
        if other.special or top.lookup(INT, other.values) is not other:
            continue
        for n, side in enumerate(sides):
            unsolve = cast(Unsolve, side.unsolve)  # `_arith` reads back only when every side has one
            known = top.lookup(INT, tuple(unsolve(w, v) for w, v in zip(goal.want, other.values)))
            if known is not None and known.cost == known_cost and not known.special:
                program = _call(op, other.expr, known.expr) if side.on_right else _call(op, known.expr, other.expr)
                hits.append((known, n, program))
    if len(hits) > 1:  # known by known in the level's order, each side in turn
        at = {id(e): i for i, e in enumerate(knowns)}
        hits.sort(key=lambda hit: (at[id(hit[0])], hit[1]))
    return [program for _, _, program in hits]


def _quotient(w: int, a: int) -> int | None:  # w = a * b
    if a == 0:
        return None
    q, r = divmod(w, a)
    return None if r else q


_plus_int = _arith("+", Side(lambda w, a: w - a, False))


def _plus(goals: Goals, goal: Goal, cost: int, depth: int) -> Iterator[ast.Expr]:
    """`+` joins lists and adds numbers."""
    if isinstance(goal.type, ListT):
        return _concat(goals, goal, cost, depth)
    return _plus_int(goals, goal, cost, depth)


WITNESSES: dict[str, Witness] = {
    "pad": _fixed("pad"),
    "append": _fixed("append"),
    "cons": _fixed("cons"),
    "+": _plus,
    "-": _arith("-", Side(lambda w, a: a - w, False, lambda w, b: w + b), Side(lambda w, b: w + b, True, lambda w, a: a - w)),
    "*": _arith("*", Side(_quotient, False)),
    "to_bits": _fixed("to_bits"),
    "reverse": _fixed("reverse"),
    "to_bits_len": _fixed("to_bits_len"),
    "bisect": _bisect,
    "if": _if,
}
