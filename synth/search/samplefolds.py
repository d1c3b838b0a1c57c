"""Root folds whose state has no finite domain: a stack (a list), an Int beyond the small span, a record.

A finite state domain lets a fold's body bank run on every (member, state)
pair, so merging equal bodies is exact (rootloops.py). A list or a large
integer has no such table, so here the body bank runs on a *sample* of
states instead: the empty list and short lists of item values the inputs
show, the small integers the data shows, products of those for a record
(`sample_states`). Bodies equal on the sample are kept once. That merge is a
heuristic: two bodies that agree on every sampled state but differ on a
state a trace reaches are one entry, and the dearer one is never tried, so
the search may miss a program (completeness), but never returns a wrong one
(correctness): every candidate is checked by running the fold on every
example, the body evaluated from its recipe wherever the state leaves the
sample.

The bodies are closed: they see only the state and the member, not the
task's inputs (a transition function, as a stack machine's is). So one body
bank serves every source and initial state of the same types, its contexts
do not depend on the examples, and a body's value at (state, member) off the
sample is computed once and kept for every example and every candidate.

Bodies are enumerated up to `Settings.sample_body_cost`. A dearer body is
sought as `if C then A else B` with C a condition on the member alone (its
value the same on every sampled state): an example whose members all take
the `then` branch must be folded to its output by A alone, one whose members
all take `else` by B alone, so A and B are filtered on those examples
separately and only the surviving pairs are checked on all examples (a
command-driven fold, e.g. pop on token 2, push otherwise, is found this way
from examples that hold no 2).

At one cost, folds from a constant initial state (the same on every
example: an empty stack, 0) are tried before folds from one read from the
inputs: a tie order, not a cost (a fold from `xs` runs on long states and
is slow to refute, and a stack or a counter starts empty).

Candidates are checked on the examples shortest source first and dropped at
their first wrong example. An if-body is run leg by leg (the stretches of
members taking one branch), the state after each leg memoized by (branch,
leg, starting state): most pairs share a branch and a start with pairs tried
before. Plain bodies are grouped by the state they reach on the shortest
example, so a goal looks its bodies up by its output there. A step off the
sample is the body's recipe evaluated by the bank's lifted primitives
(`recipe_step`: closures made once per body, not the interpreter), so each
step is bounded as the bank's values are (lists beyond
`Settings.range_limit` are UNKNOWN, integers beyond 2**63 ERROR: such a
candidate is dropped) and a trace is as long as its example.

The sample depends only on the inputs and the grammar, never on the outputs,
so the banks and memos serve any outputs vector (a sub-goal's too); only the
branches found to fit are per outputs vector, and are dropped for another.
"""

from __future__ import annotations

import itertools
from typing import Any, Callable, Iterator, Sequence

from dsl import ast
from dsl.types import BOOL, BoolT, IntT, ListT, RecordT, Type
from dsl.values import Record, Value
from synth.search.bank import Bank, SearchStopped
from synth.search.entry import Entry
from synth.search.loops import fold_can_fit, fresh_name, values_in_contexts
from synth.search.recipes import recipe_step
from synth.search.special import ANY, Special

# "Not in this memo" (None is a value a memo may hold).
_MISSING = object()


def data_values(bank: Bank, typ: Type) -> tuple:
    """Every value of type `typ` inside the bank's contexts, then the grammar's constants of it, in first-seen order."""
    found = values_in_contexts(bank, typ)
    for t, v in bank.grammar.constants:
        if t == typ:
            found[v] = None
    return tuple(found)


def sample_members(bank: Bank, typ: Type, limit: int, part_cost: int) -> tuple:
    """At most `limit` members of type `typ` to enumerate fold bodies on.

    Scalars come from the inputs (the tokens a list holds). A list-typed
    member does not: the only lists of that type inside the inputs are
    usually the inputs themselves, while a fold runs over their parts
    (`split(xs, 2)`), on which a body such as `from_bits(p)` behaves
    otherwise. So list members come first from the members of the sources
    a fold may run over (at most `part_cost`), cheapest source first.
    """
    found: dict = {}
    if isinstance(typ, ListT):
        for cost in range(1, part_cost + 1):
            for src in bank.of_type(cost, ListT(typ)):
                if not src.special:
                    for members in src.values:
                        for m in members:
                            found.setdefault(m, None)
                            if len(found) >= limit:
                                return tuple(found)
    for v in data_values(bank, typ):
        found.setdefault(v, None)
    return tuple(found)[:limit]


def sample_states(bank: Bank, typ: Type, limit: int, items: int) -> tuple:
    """At most `limit` states of type `typ` to enumerate fold bodies on, from the inputs and constants only."""
    if limit <= 0:
        return ()
    if isinstance(typ, BoolT):
        return (False, True)[:limit]
    if isinstance(typ, IntT):
        ints = sorted(set(data_values(bank, typ)), key=lambda v: (abs(v), v))
        return tuple(ints[:limit])
    if isinstance(typ, ListT):
        pool = _ordered(data_values(bank, typ.item))[:items]
        out: list = [()]
        out += [(v,) for v in pool]
        # Pairs over the first k items before any pair that needs item k + 1.
        for k in range(len(pool)):
            out += [p for p in itertools.product(pool[: k + 1], repeat=2) if pool[k] in p]
        return tuple(out[:limit])
    if isinstance(typ, RecordT):
        n = len(typ.fields)
        if n == 0:  # the empty record {} has one value
            return (Record((), ()),)
        per = max(1, int(limit ** (1 / n)))
        parts = [sample_states(bank, t, per, items) for _, t in typ.fields]
        if not all(parts):
            return ()
        return tuple(Record(typ.names, vs) for vs in itertools.islice(itertools.product(*parts), limit))
    return data_values(bank, typ)[:limit]


def _ordered(values: tuple) -> list:
    """Integers in increasing order (the small ones a stack holds first), anything else as seen."""
    if all(type(v) is int for v in values):
        return sorted(values)
    return list(values)


class SampleBank:
    """The closed body bank of one (member type, state type): contexts are (member, sampled state)."""

    __slots__ = ("bank", "svar", "xvar", "where", "key", "longest")

    def __init__(self, bank: Bank, svar: str, xvar: str, where: dict, key: tuple) -> None:
        self.bank = bank
        self.svar = svar
        self.xvar = xvar
        self.where = where  # (member, state) -> context index
        self.key = key  # (members, states): the bank is kept while the data give the same sample
        # The longest sampled state, when states are lists (None otherwise): a longer one is off the sample.
        states = [s for _, s in where]
        self.longest = max(map(len, states)) if states and all(type(s) is tuple for s in states) else None


class SampleFolds:
    """Root folds over sampled states; holds the body banks and the memos of body values off the sample."""

    def __init__(self, top: Bank) -> None:
        self.top = top
        self._banks: dict = {}  # (item type, state type) -> SampleBank
        self._steps: dict = {}  # id(body entry) -> ({(member, state): value}, its recipe compiled, entry kept alive)
        self._made: dict = {}  # the compiled recipes' closures, by entry id (shared parts compiled once)
        self._finals: dict = {}  # (id(body), id(src), id(init), example) -> final state
        # (id(branch), id(src), example, start, end, id(state)) -> the state after that run of members
        self._legs: dict = {}
        # (id(sample bank), body cost, members, start) -> (plain bodies by the state they fold the members to,)
        self._plain: dict = {}
        # (id(sample bank), state) -> the state _legs returned, interned per bank: across state types an
        # Int 1 equals a Bool True (and (1,) equals (True,)), and must not come back as it
        self._canon: dict = {}
        self._orders: dict = {}  # id(src) -> (example indices shortest first, src kept alive)
        self._splits: dict = {}  # id(sample bank) -> {cost: conditions on the member alone}
        self._sides: dict = {}  # (id(sample bank), state type, members) -> {cost: distinct branches}
        self._samples: dict = {}  # (item type, state type) -> (members, states), for this round's contexts
        # (id(sample bank), id(src), id(init), cost, side, examples) -> the branches that fit those
        # examples alone; valid for one outputs vector (`_fit_outputs`), cleared for another.
        self._fitting: dict = {}
        self._fit_outputs: object = None
        self._held = 0  # values the memos above hold, as counted in the budget

    # -- the body banks -------------------------------------------------------

    def body_bank(self, item_type: Type, state_type: Type) -> SampleBank | None:
        top = self.top
        settings = top.budget.settings
        key = (item_type, state_type)
        sample = self._samples.get(key)
        if sample is None:
            sample = self._samples[key] = (
                sample_members(top, item_type, settings.sample_members, settings.sample_part_cost + 1),
                sample_states(top, state_type, settings.sample_states, settings.sample_items),
            )
        members, states = sample
        if not states or not members:
            return None
        try:
            hash(sample)
        except TypeError:  # a map inside: no (member, state) table
            return None
        found = self._banks.get(key)
        if found is not None and found.key == sample:
            return found
        if found is not None:  # a new sample replaces this bank: memos keyed by its entries' ids go
            self._forget()
        svar = fresh_name("s", top.env_types)
        xvar = fresh_name("x", {**top.env_types, svar: None})
        contexts: list[dict] = []
        where: dict = {}
        for m in members:
            for s in states:
                where[(m, s)] = len(contexts)
                contexts.append({svar: s, xvar: m})
        bank = Bank({svar: state_type, xvar: item_type}, contexts, top.grammar, top.budget, prune=top.prune)
        bank.keep_recipes = True  # states off the sample are evaluated from the recipe
        bank.build_records = isinstance(state_type, RecordT)  # a record state is built by its body
        found = self._banks[key] = SampleBank(bank, svar, xvar, where, sample)
        self._steps, self._made = {}, {}
        self._splits = {}
        self._sides = {}
        self._fitting = {}
        return found

    def reset(self) -> int:
        """New examples joined: memos keyed by top-bank entries go; banks stay while their sample does.

        Returns how many body-bank levels are kept.
        """
        self._forget()
        self._orders = {}
        self._samples = {}
        self._fitting = {}
        return sum(len(b.bank.levels) - 1 for b in self._banks.values())

    # -- evaluation -------------------------------------------------------------

    def _stepper(self, body: Entry) -> tuple[dict, Callable]:
        """The body's memo of values off the sample, {(member, state): value}, and its recipe compiled."""
        hit = self._steps.get(id(body))
        if hit is None:
            step = recipe_step(body, self._made)
            if step is None:  # pragma: no cover - every entry of a sample bank keeps its recipe
                raise ValueError(f"no recipe for {body!r}")
            hit = self._steps[id(body)] = ({}, step, body)
        return hit[0], hit[1]

    def _off(self, sb: SampleBank, memo: dict, step: Callable, key: tuple):
        """A body's value at key = (member, state) off the sample: from its compiled recipe, memoized."""
        out = memo[key] = step({sb.xvar: key[0], sb.svar: key[1]})
        self._stored(1)
        return out

    def _forget(self) -> None:
        """Drop the memos of final states, legs and first states (caches, rebuilt on demand)."""
        self._finals, self._legs, self._canon, self._plain = {}, {}, {}, {}

    def _stored(self, n: int) -> None:
        """Count n memoized values; past the value cap the memos go (a cache, rebuilt on demand), then the search stops."""
        budget = self.top.budget
        budget.stored_values += n
        self._held += n
        if budget.max_values is not None and budget.stored_values > budget.max_values:
            budget.stored_values -= self._held
            self._held = 0
            self._steps, self._made, self._sides = {}, {}, {}
            self._forget()
            if budget.stored_values > budget.max_values:
                raise SearchStopped("memory")

    def _final(self, sb: SampleBank, body: Entry, src: Entry, init: Entry, i: int):
        """The fold's final state on example i, memoized (a branch is tried under many conditions)."""
        key = (id(body), id(src), id(init), i)
        out = self._finals.get(key, _MISSING)
        if out is _MISSING:
            out = self._run(sb, body, None, None, init.values[i], src.values[i])
            self._finals[key] = out
            self._stored(1)
        return out

    def _run(self, sb: SampleBank, body: Entry, cond: Entry | None, other: Entry | None, state: Any, members: tuple):
        """Fold `body` (or `if cond then body else other`) over members from `state`; a Special on failure.

        The hottest loop of this search: a table look-up per step on the
        sample, the recipe (memoized) off it.
        """
        self.top.budget.spent(len(members))
        where = sb.where
        longest = sb.longest
        memo, step = self._stepper(body)
        if cond is not None:
            cmemo, cstep = self._stepper(cond)
            omemo, ostep = self._stepper(other)  # type: ignore[arg-type]
        for m in members:
            key = (m, state)
            # Only a state no longer than the sample's longest can be on it (a stack grows past it at once).
            j = where.get(key) if longest is None or len(state) <= longest else None
            chosen, chosen_memo, chosen_step = body, memo, step
            if cond is not None:
                if j is not None:
                    k = cond.values[j]
                else:
                    k = cmemo.get(key, _MISSING)
                    if k is _MISSING:
                        k = self._off(sb, cmemo, cstep, key)
                if type(k) is Special:
                    return k
                if not k:
                    chosen, chosen_memo, chosen_step = other, omemo, ostep  # type: ignore[assignment]
            if j is not None:
                state = chosen.values[j]
            else:
                state = chosen_memo.get(key, _MISSING)
                if state is _MISSING:
                    state = self._off(sb, chosen_memo, chosen_step, key)
            if type(state) is Special:
                return state
        return state

    def order(self, src: Entry) -> list[int]:
        """Example indices, shortest source first: a wrong candidate is dropped at its cheapest run."""
        hit = self._orders.get(id(src))
        if hit is None:
            order = sorted(range(len(src.values)), key=lambda i: (len(src.values[i]), i))
            hit = self._orders[id(src)] = (order, src)
        return hit[0]

    # -- the search ---------------------------------------------------------------

    def candidates(self, c: int, state_type: Type, outputs: Sequence[Value],
                   agrees: Callable[[Value, Value], bool]) -> Iterator[ast.Expr]:
        """Root folds of cost c over sampled states that fold every example to its output (any state where it is ANY)."""
        top = self.top
        g = top.grammar
        settings = top.budget.settings
        rest = c - g.weight("fold")
        part = settings.sample_part_cost
        cap = settings.sample_body_cost
        for cs in range(1, min(part + 1, rest - 2) + 1):
            for src_type, srcs in list(top.at(cs).items()):
                if not isinstance(src_type, ListT):
                    continue
                sb = None
                for src in srcs:
                    if src.special:
                        continue
                    if sb is None:
                        sb = self.body_bank(src_type.item, state_type)
                        if sb is None:
                            break
                    inits = [
                        (ci, init)
                        for ci in range(1, min(part, rest - cs - 1) + 1)
                        # a source one dearer only for a plain body: an if-body is searched per pair
                        if not (cs > part and rest - cs - ci > cap)
                        for init in top.of_type(ci, state_type)
                        if not init.special and fold_can_fit(src, init, outputs, agrees)
                    ]
                    # Ties at this cost: a constant initial state (an empty stack, 0) before one read from the inputs.
                    inits.sort(key=lambda pair: not _constant(pair[1]))
                    for ci, init in inits:
                        yield from self._with(sb, rest - cs - ci, src, init, state_type, outputs, agrees)

    def _with(self, sb: SampleBank, cb: int, src: Entry, init: Entry, state_type: Type,
              outputs: Sequence[Value], agrees: Callable) -> Iterator[ast.Expr]:
        """The folds over `src` from `init` whose body costs exactly cb."""
        tick = self.top.budget.tick
        order = self.order(src)
        if any(out is ANY for out in outputs):
            order = [i for i in order if outputs[i] is not ANY]  # a partial goal: only the examples it asks about
        cap = self.top.budget.settings.sample_body_cost
        if cb <= cap:
            groups = self._by_first(sb, cb, state_type, src, init, order[0]) if order else None
            if groups is None:
                bodies, rest = sb.bank.of_type(cb, state_type), order
            else:
                try:
                    bodies, rest = groups.get(outputs[order[0]], []), order[1:]
                except TypeError:  # an unhashable output: no group can equal it
                    bodies, rest = sb.bank.of_type(cb, state_type), order
            for body in bodies:
                tick()
                if self._fits(sb, body, src, init, rest, outputs, agrees):
                    yield ast.Fold(sb.svar, sb.xvar, body.expr, init.expr, src.expr)
            return
        yield from self._conditionals(sb, cb - self.top.grammar.weight("if"), src, init, state_type, order, outputs, agrees)

    def _fits(self, sb, body, src, init, order, outputs, agrees) -> bool:
        for i in order:
            got = self._run(sb, body, None, None, init.values[i], src.values[i])
            if type(got) is Special or not agrees(outputs[i], got):
                return False
        return True

    def _by_first(self, sb: SampleBank, cb: int, state_type: Type, src: Entry, init: Entry, first: int) -> dict | None:
        """The plain bodies of cost cb grouped by the state they fold example `first` to (bank order kept in each group).

        One run per body for every goal and every (source, initial state)
        with the same members and start on that example (on a short example
        xs, reverse(xs) and sort(xs) often are): a goal then looks its bodies
        up by its output there. None if a state cannot be a key.
        """
        try:
            key = (id(sb), cb, src.values[first], init.values[first])
            hit = self._plain.get(key)
        except TypeError:  # an unhashable start or member
            key, hit = None, None
        if hit is None:
            groups: dict | None = {}
            bodies = sb.bank.of_type(cb, state_type)
            try:
                for body in bodies:
                    got = self._run(sb, body, None, None, init.values[first], src.values[first])
                    if type(got) is not Special:
                        groups.setdefault(got, []).append(body)  # type: ignore[union-attr]
            except TypeError:  # an unhashable state
                groups = None
            hit = (groups,)
            if key is not None:
                self._plain[key] = hit
                self._stored(len(bodies))
        return hit[0]

    def _conditionals(self, sb: SampleBank, rest: int, src: Entry, init: Entry, state_type: Type,
                      order: list[int], outputs: Sequence[Value], agrees: Callable) -> Iterator[ast.Expr]:
        """`if C then A else B` bodies of cost rest + the if's weight, C on the member alone."""
        tick = self.top.budget.tick
        cap = self.top.budget.settings.sample_body_cost
        if outputs is not self._fit_outputs:  # fits depend on the outputs: a new vector, a new cache
            self._fit_outputs = outputs
            self._fitting = {}
        branches = self._fitting

        def fitting(cost: int, side: frozenset, examples: tuple[int, ...]) -> list[Entry]:
            key = (id(sb), id(src), id(init), cost, side, examples)
            hit = branches.get(key)
            if hit is None:
                hit = branches[key] = [
                    b for b in self._branches(sb, state_type, side, cost)
                    if all(self._agrees_final(sb, b, src, init, i, outputs, agrees) for i in examples)
                ]
            return hit

        for cc in range(1, min(cap, rest - 2) + 1):
            for cond, by_member in self._conditions(sb, cc):
                split = _split(by_member, src, order)
                if split is None:
                    continue
                thens, elses, then_side, else_side = split
                # Mixed examples first: the pure ones passed each branch alone already.
                pure = set(thens) | set(elses)
                checks = [i for i in order if i not in pure] + [i for i in order if i in pure]
                switch = _one_switch(by_member, src, checks[: len(checks) - len(pure)])
                plan = [(i, _stretches(by_member, src.values[i])) for i in checks]
                for ca in range(max(1, rest - cc - cap), min(cap, rest - cc - 1) + 1):
                    first = fitting(ca, then_side, thens)
                    if not first:
                        continue
                    second = fitting(rest - cc - ca, else_side, elses)
                    pairs: Iterator[tuple[Entry, Entry]] = ((a, b) for a in first for b in second)
                    if switch is not None and second:
                        pairs = self._joined(sb, first, second, switch, src, init, outputs, agrees)
                    for a, b in pairs:
                        tick()
                        if self._fits_legs(sb, a, cond, b, src, init, plan, outputs, agrees):
                            body = ast.If(cond.expr, a.expr, b.expr)
                            yield ast.Fold(sb.svar, sb.xvar, body, init.expr, src.expr)

    def _fits_legs(self, sb: SampleBank, a: Entry, cond: Entry, b: Entry, src: Entry, init: Entry,
                   plan: list, outputs: Sequence[Value], agrees: Callable) -> bool:
        """`_fits` for `if cond then a else b`, run leg by leg: the stretches of members that take one branch.

        Most pairs share a branch and the state it starts from with pairs
        tried before (`_leg` memoizes), so most are refuted by look-ups alone.
        """
        legs = self._legs
        ida, idb, ids = id(a), id(b), id(src)
        for i, runs in plan:
            state = init.values[i]
            if runs is None:  # a member off the sample: the condition is evaluated step by step
                state = self._run(sb, a, cond, b, state, src.values[i])
            else:
                for then, start, end in runs:
                    hit = legs.get((ida if then else idb, ids, i, start, end, id(state)))  # _leg's memo, read inline
                    state = self._leg(sb, a if then else b, src, i, start, end, state) if hit is None else hit[0]
                    if type(state) is Special:
                        break
            if type(state) is Special or not agrees(outputs[i], state):
                return False
        return True

    def _leg(self, sb: SampleBank, branch: Entry, src: Entry, i: int, start: int, end: int, state: Any) -> Any:
        """The state after `branch` folds members start..end of example i from `state`, memoized.

        The memo is keyed by the state's id, not by hashing a list per
        look-up; results are interned (`_canon`), so equal states met again
        are one object and hit.
        """
        key = (id(branch), id(src), i, start, end, id(state))
        hit = self._legs.get(key)
        if hit is None:
            after = self._run(sb, branch, None, None, state, src.values[i][start:end])
            # The key's state is kept with the answer: its id stays its own while the key exists.
            hit = self._legs[key] = (self._canon.setdefault((id(sb), after), after), state)
            self._stored(1)
        return hit[0]

    def _joined(self, sb: SampleBank, first: list[Entry], second: list[Entry], switch: tuple[int, int, bool],
                src: Entry, init: Entry, outputs: Sequence[Value], agrees: Callable) -> Iterator[tuple[Entry, Entry]]:
        """The (then, else) pairs that fold example i right, where its members take one branch, then the other.

        On such an example the fold is one branch over the first k members,
        then the other over the rest: the branches that lead the way are
        grouped by the state they reach at the switch, and each group meets
        only the other branches that finish from that state at the output -
        a join instead of the product. Pairs come in the product's order, so
        what is found first is what the product would find first.
        """
        i, k, then_first = switch
        members, start, out = src.values[i], init.values[i], outputs[i]
        lead, follow = (first, second) if then_first else (second, first)
        groups: dict = {}
        reached: list = []
        for n, e in enumerate(lead):
            mid = self._leg(sb, e, src, i, 0, k, start)
            reached.append(mid)
            if type(mid) is not Special:
                groups.setdefault(mid, []).append(n)
        # For every state at the switch, the following branches that end at the output.
        finishing: dict = {}
        for mid in groups:
            ends = []
            for n, e in enumerate(follow):
                got = self._leg(sb, e, src, i, k, len(members), mid)
                if type(got) is not Special and agrees(out, got):
                    ends.append(n)
            finishing[mid] = ends
        if then_first:
            for n, mid in enumerate(reached):
                if type(mid) is not Special:
                    for m in finishing[mid]:
                        yield first[n], second[m]
        else:
            by_follow: dict[int, list[int]] = {}
            for mid, leads in groups.items():
                for m in finishing[mid]:
                    by_follow.setdefault(m, []).extend(leads)
            for m in sorted(by_follow):
                for n in sorted(by_follow[m]):
                    yield first[m], second[n]

    def _agrees_final(self, sb, body, src, init, i, outputs, agrees) -> bool:
        got = self._final(sb, body, src, init, i)
        return type(got) is not Special and agrees(outputs[i], got)

    def _conditions(self, sb: SampleBank, cost: int) -> list[tuple[Entry, dict]]:
        """The conditions of this cost on the member alone, each with its value per member.

        A condition whose complement came earlier is left out: `if not C then
        B else A` is `if C then A else B`, no cheaper.
        """
        key = id(sb)
        table = self._splits.get(key)
        if table is None:
            table = self._splits[key] = {"seen": set()}
        if cost not in table:
            for c in range(1, cost + 1):
                if c in table:
                    continue
                kept = table[c] = []
                for cond in sb.bank.of_type(c, BOOL):
                    by_member = _by_member(sb, cond)
                    if by_member is None:
                        continue
                    side = frozenset(m for m, k in by_member.items() if k)
                    if not side or len(side) == len(by_member) or (frozenset(by_member) - side) in table["seen"]:
                        continue
                    table["seen"].add(side)
                    kept.append((cond, by_member))
        return table[cost]

    def _branches(self, sb: SampleBank, state_type: Type, side: frozenset, cost: int) -> list[Entry]:
        """The bodies of this cost that a branch taken on `side` (a set of members) can be.

        A branch runs only on its side's members, so two bodies equal on those
        members' sampled contexts are one branch (the same heuristic merge as
        the bank's, on fewer contexts); the cheapest is kept, since the pair
        with it was tried at a lower cost.
        """
        key = (id(sb), state_type, side)
        hit = self._sides.get(key)
        if hit is None:
            cap = self.top.budget.settings.sample_body_cost
            idx = [j for (m, _), j in sb.where.items() if m in side]
            seen: set = set()
            hit = self._sides[key] = {}
            for c in range(1, cap + 1):
                kept = hit[c] = []
                for b in sb.bank.of_type(c, state_type):
                    values = b.values
                    sig = tuple([values[j] for j in idx])
                    if sig not in seen:
                        seen.add(sig)
                        kept.append(b)
            self._stored(len(seen))
        return hit.get(cost, [])


def _split(by_member: dict, src: Entry, order: list[int]):
    """The examples whose members all take `then`, and those whose members all take `else`, shortest first.

    None when the condition sends every example's members one way (the if is then one branch).
    """
    thens: list[int] = []
    elses: list[int] = []
    sides: set[bool] = set()
    for i in order:
        members = src.values[i]
        try:
            ks = {by_member[m] for m in members}
        except KeyError:  # a member off the sample: the example constrains neither branch
            sides.update((True, False))
            continue
        sides |= ks
        if ks == {True}:
            thens.append(i)
        elif ks == {False}:
            elses.append(i)
    if len(sides) < 2:
        return None
    then_side = frozenset(m for m, k in by_member.items() if k)
    return tuple(thens), tuple(elses), then_side, frozenset(by_member) - then_side


def _stretches(by_member: dict, members: tuple) -> list[tuple[bool, int, int]] | None:
    """The stretches (then?, start, end) of members taking one branch; None if a member is off the sample."""
    sides = [by_member.get(m) for m in members]
    if None in sides:
        return None
    runs: list[tuple[bool, int, int]] = []
    start = 0
    for k in range(1, len(sides) + 1):
        if k == len(sides) or sides[k] != sides[start]:
            runs.append((bool(sides[start]), start, k))
            start = k
    return runs


def _one_switch(by_member: dict, src: Entry, mixed: list[int]) -> tuple[int, int, bool] | None:
    """The first mixed example whose members take one branch, then only the other: (example, switch point, then first?)."""
    for i in mixed:
        members = src.values[i]
        try:
            sides = [by_member[m] for m in members]
        except KeyError:
            continue
        if len(set(sides)) < 2:
            continue  # no member, or (off the sample) one side only
        k = sides.index(not sides[0])
        if all(x == sides[k] for x in sides[k:]):
            return i, k, bool(sides[0])
    return None


def _constant(init: Entry) -> bool:
    """Whether the initial state is the same on every example (a constant, or an expression that acts as one)."""
    first = init.values[0] if init.values else None
    return all(v == first for v in init.values)


def _by_member(sb: SampleBank, cond: Entry) -> dict | None:
    """The condition's value per member if it reads no state (and never fails).

    Being the same on every sampled state is not enough: a condition reading
    the state (`len(s) < x` over stacks sampled up to two items) can be, and
    differ on a state off the sample, where a leg is run as if it could not.
    """
    if sb.svar in ast.free_names(cond.expr):
        return None
    out: dict = {}
    values = cond.values
    for (m, _), j in sb.where.items():
        k = values[j]
        if type(k) is Special or out.setdefault(m, k) != k:
            return None
    return out

