"""Loop skeletons at the root of a program only (Settings.loop_depth = 0).

The fast path for tasks whose program is one loop: the bank stays loop-free
and each root loop is checked example by example, dropped at its first wrong
example. With loop_depth >= 1 the bank builds loops anywhere instead (loops.py).

The output type picks the skeletons top-down: a list output can be `[BODY
for x in SRC if COND]` (plain comprehensions and scans at the root are found
by deduction, deduce.py); any output whose type has a finite state domain
can be `fold (s, x) -> BODY from INIT over SRC`. SRC and INIT are loop-free
expressions from the top-level bank; BODY and COND are enumerated bottom-up
in a bank of their own whose contexts are every place the body runs: one per
(example, element) for a comprehension, one per (example, element, state) for
a fold, the state ranging over a finite domain (Bool, the group's elements,
or the span of small integers the task shows). Bodies equal on all those
contexts are kept once; the loop's value on each example is assembled from
the body's vector without running the body again.

A fold's trace is exact: when a state leaves the domain, the body is run
directly (an integer state of 2**63 or more is ERROR there:
recipes.TRACE_INT_LIMIT). Merging two fold bodies is therefore exact for
every example whose trace stays inside the domain.

Sources with the same members share one body bank (a closed body's
contexts depend only on the set of members over all examples, an open
body's on each example's set): on the bundled cycle_navigation, 190 closed
tables stand on 30 banks.

Each fold cost is searched in two passes: first bodies that see only the
state and the member (closed: their bank has one context per distinct
(member, state), the same on every example), then bodies that read an input
too. A closed body is a function of far fewer contexts, so its bank is small
and its dear levels cheap; the open bank, whose levels grow with every
example's inputs, is built one level less whenever a closed body is the
answer. The passes only order programs of one cost: each is tried once.

A fold whose state type has no finite domain (a list, an Int beyond the
span, a record) is searched on a sample of states instead (samplefolds.py):
a heuristic merge, an exact check.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Callable, Iterator, Mapping, Sequence

from dsl import ast
from dsl.types import BOOL, ListT, Type
from dsl.values import Value
from synth.search.bank import Bank, per_member
from synth.search.entry import Entry
from synth.search.loops import fold_can_fit, fold_env, fresh_name, interpreted, state_table, trace
from synth.search.recipes import Step, reads_any, recipe_step
from synth.search.samplefolds import SampleBank, SampleFolds
from synth.search.special import Special, first_special


class LoopSearch:
    """Yields the loop expressions of a given cost whose value on every example is its output.

    Values are assembled example by example and a candidate is dropped at its
    first wrong example, since a loop at the root is only ever checked, never reused.
    """

    def __init__(self, top: Bank, output_type: Type, outputs: Sequence[Value], agrees: Callable[[Value, Value], bool]) -> None:
        self.top = top
        self.output_type = output_type
        self.outputs = list(outputs)
        self.agrees = agrees
        self._comp_banks: dict = {}
        self._fold_banks: dict = {}  # (id(source), state type, closed) -> its FoldTable
        self._shared: dict = {}  # _share_key -> (body bank, where or slots): sources alike share one body bank
        # id(body entry) -> (memo of off-table results, entry kept alive, its recipe compiled)
        self._compiled: dict[int, tuple[dict, Entry, Step | None]] = {}
        self._made: dict = {}  # the compiled recipes' closures, by entry id
        self._sampled = SampleFolds(top)  # folds whose state type has no finite domain
        self._reads: dict[int, tuple[dict, Bank]] = {}  # id(body bank) -> its tables' memo of reads_no_input
        # (id(body bank), cost, state type, contexts, open) -> (the level's list, its length, the bodies in order): `_bodies`
        self._ordered: dict[tuple, tuple[list[Entry], int, list[Entry]]] = {}

    def candidates(self, c: int) -> Iterator[ast.Expr]:
        kinds = self.top.grammar.loops
        out = self.output_type
        limit = self.top.budget.settings.exhaustive_cost
        if isinstance(out, ListT) and (limit is None or c <= limit):
            # Plain comprehensions at the root are found by deduction (deduce.py).
            # Above exhaustive_cost, no: a body bank per source would be built for nothing.
            if "filter" in kinds:
                yield from self._comps(c, out.item, with_filter=True)
            # Scans at the root are found by deduction too: their states are the output.
        if "fold" in kinds:
            domain = self.top.grammar.state_domain(out)
            if domain is not None:
                yield from self._folds(c, out, domain)
            elif self.top.budget.settings.sample_states > 0:
                yield from self._sampled.candidates(c, out, self.outputs, self.agrees)

    def folds_for(self, c: int, state_type: Type, outputs: Sequence[Value]) -> Iterator[ast.Expr]:
        """Folds of cost c whose final state is outputs[i] on every example (a goal's, not the task's).

        Always over sampled states: their one closed body bank serves every
        source, where a finite table needs a body bank per source, too many
        for every goal of a composition.
        """
        if "fold" in self.top.grammar.loops and self.top.budget.settings.sample_states > 0:
            yield from self._sampled.candidates(c, state_type, outputs, self.agrees)

    def sample_bank(self, item_type: Type, state_type: Type) -> SampleBank | None:
        """The sampled body bank that `folds_for` enumerates fold bodies of these types in."""
        return self._sampled.body_bank(item_type, state_type)

    def _sources(self, cost: int) -> Iterator[Entry]:
        """Lists a loop may run over: loop-free, failing on no example."""
        for typ, entries in list(self.top.at(cost).items()):
            if isinstance(typ, ListT):
                for e in entries:
                    if not e.special:
                        yield e

    # -- comprehensions ----------------------------------------------------

    def comp_bank(self, src: Entry) -> tuple[Bank, str, list[tuple[int, int]]]:
        key = (src.type, src.values)
        if key not in self._comp_banks:
            var = fresh_name("x", self.top.env_types)
            body_bank, _, slices = per_member(self.top, src, var)
            self._comp_banks[key] = (body_bank, var, slices)
        return self._comp_banks[key]

    def _fits(self, values: Iterator) -> bool:
        return _all_fit(self.outputs, values, self.agrees)

    def _comps(self, c: int, item_type: Type, with_filter: bool) -> Iterator[ast.Expr]:
        g = self.top.grammar
        budget = self.top.budget
        rest = c - g.weight("filter" if with_filter else "comp")
        for cs in range(1, rest):
            for src in self._sources(cs):
                if with_filter and not _filter_can_fit(src, self.outputs, g.weight("comp") <= g.weight("filter") + 1):
                    continue
                body_bank, var, slices = self.comp_bank(src)
                if not with_filter:
                    for body in body_bank.of_type(rest - cs, item_type):
                        budget.tick()
                        if self._fits(_collect(body.values, a, b) for a, b in slices):
                            yield ast.Comp(var, src.expr, body.expr)
                    continue
                for cc in range(1, rest - cs):
                    conds = body_bank.of_type(cc, BOOL)
                    bodies = body_bank.of_type(rest - cs - cc, item_type)
                    for cond in conds:
                        for body in bodies:
                            budget.tick()
                            if self._fits(_select(body.values, cond.values, a, b) for a, b in slices):
                                yield ast.Comp(var, src.expr, body.expr, cond.expr)

    # -- folds ----------------------------------------------------------------

    def _fold_table(self, src: Entry, state_type: Type, domain: tuple, closed: bool) -> FoldTable:
        # Keyed by the source entry itself, which a counterexample extends in place.
        key = (id(src), state_type, closed)
        table = self._fold_banks.get(key)
        if table is None:
            top = self.top
            env, svar, xvar = fold_env(top, src.type.item, state_type)  # type: ignore[attr-defined]
            items = items_of(src)
            if closed:
                env = {svar: env[svar], xvar: env[xvar]}
            shared = _share_key(src.type, state_type, items, closed)
            hit = self._shared.get(shared)
            if hit is not None:  # a source with the same members: its body bank serves this one
                body_bank, held = hit
                where = closed_table(items, domain, svar, xvar, held)[1] if closed else held
            else:
                if closed:
                    held = {}
                    contexts, where = closed_table(items, domain, svar, xvar, held)
                else:
                    contexts, where = state_table(top.contexts, items, domain, svar, xvar)
                    held = where
                body_bank = Bank(env, contexts, top.grammar, top.budget, prune=top.prune)
                body_bank.keep_recipes = True  # states beyond the table are evaluated from the recipe
                body_bank.extensible = top.extensible
                self._shared[shared] = (body_bank, held)
            slots = held if closed else {}
            reads = self._reads.setdefault(id(body_bank), ({}, body_bank))[0]
            table = self._fold_banks[key] = FoldTable(body_bank, svar, xvar, where, env, src, domain, closed, slots, reads)
        return table

    def extend(self, outputs: Sequence[Value], first: int, split: int | None) -> int:
        """New examples (top contexts from `first` on) joined: extend the fold body banks, not rebuild them.

        A body bank whose source was rebuilt in the top bank (cost >= `split`)
        or now fails somewhere is dropped; the others get the new examples'
        (member, state) contexts through `Bank.extend`, which keeps exactly
        what a search from scratch would build (a closed bank only the pairs
        it has not met yet: often none). A bank shared by several sources
        stays shared by those whose members still agree on the new examples
        (the first source's); the others' tables go, to be built again on
        demand. Comprehension banks, keyed by their source's values, are
        rebuilt. Returns how many body-bank levels were kept.
        """
        self.outputs = list(outputs)
        self._comp_banks = {}
        self._ordered = {}
        top = self.top
        groups: dict[int, list] = {}  # id(body bank) -> its tables that live on, in the order they were made
        for key, t in self._fold_banks.items():
            if (split is not None and t.src.cost >= split) or t.src.special:
                continue
            groups.setdefault(id(t.bank), []).append((key, t, _share_key(t.src.type, key[1], items_of(t.src), t.closed)))
        kept: dict = {}
        shared: dict = {}
        levels = 0
        for group in groups.values():
            key, t, share = group[0]
            items = items_of(t.src, first)
            if t.closed:
                contexts, more = closed_table(items, t.domain, t.svar, t.xvar, t.slots, first)
            else:
                contexts, more = state_table(top.contexts[first:], items, t.domain, t.svar, t.xvar, first, len(t.bank.contexts))
            built = len(t.bank.levels) - 1
            body_split = t.bank.extend(contexts) if contexts else None
            levels += built if body_split is None else body_split - 1
            t.where.update(more)
            shared[share] = (t.bank, t.slots if t.closed else t.where)
            kept[key] = t
            for key2, t2, share2 in group[1:]:
                if share2 != share:
                    continue  # its members differ from the first source's now: a bank of its own, on demand
                if t2.closed:
                    t2.where.update(closed_table(items_of(t2.src, first), t2.domain, t2.svar, t2.xvar, t2.slots, first)[1])
                kept[key2] = t2
        self._fold_banks = kept
        self._shared = shared
        return levels + self._sampled.reset()

    def _folds(self, c: int, state_type: Type, domain: tuple[Value, ...]) -> Iterator[ast.Expr]:
        top = self.top
        rest = c - top.grammar.weight("fold")
        for closed in (True, False):  # closed bodies first (see the module's docstring)
            for cs in range(1, rest - 1):
                for src in self._sources(cs):
                    for ci in range(1, rest - cs):
                        inits = [e for e in top.of_type(ci, state_type) if not e.special]
                        inits = [e for e in inits if fold_can_fit(src, e, self.outputs, self.agrees, closed)]
                        if not inits:
                            continue
                        t = self._fold_table(src, state_type, domain, closed)
                        order = self._sampled.order(src)  # shortest first: a wrong fold fails a short example about as often
                        outputs = [self.outputs[i] for i in order]
                        for body in self._bodies(t.bank, rest - cs - ci, state_type, domain, None if closed else t):
                            for init in inits:
                                top.budget.tick()
                                vals = (
                                    self._trace(i, _CLOSED if closed else top.contexts[i], src.values[i], init.values[i], body,
                                                t.where, t.svar, t.xvar, t.env)
                                    for i in order
                                )
                                if _all_fit(outputs, vals, self.agrees):
                                    yield ast.Fold(t.svar, t.xvar, body.expr, init.expr, src.expr)

    def _bodies(self, bank: Bank, cost: int, state_type: Type, domain: tuple[Value, ...],
                reading: FoldTable | None = None) -> Iterator[Entry]:
        """A fold body bank's entries of this cost, those whose every value lies in the state domain first.

        The bank builds the others only when the search reads past the first
        (`Bank.inside`): a fold that fits among them ends the search before.
        """
        first = bank.inside(cost, state_type, frozenset(domain))
        if first is not None:
            if reading is not None:
                first = [body for body in first if not reading.reads_no_input(body)]
            yield from first
        yield from itertools.islice(self._ordered_bodies(bank, cost, state_type, domain, reading),
                                    0 if first is None else len(first), None)

    def _ordered_bodies(self, bank: Bank, cost: int, state_type: Type, domain: tuple[Value, ...],
                        reading: FoldTable | None = None) -> list[Entry]:
        """`_bodies` as a list, the level built whole.

        With `reading` (an open table on this bank), only the bodies that read
        an input: the closed pass tried the others' classes. One list per
        level for every source and start, as the tables on a bank share their
        input names.

        A tie-break among bodies of one cost, so among programs of one cost:
        every body is still tried. A body that keeps every state of its table
        inside the domain is a transition function of the finite automaton the
        table describes, the form a fold over a finite domain takes when it
        generalizes (cycle_navigation's `(s + (x - 1)) mod 5`; a body such as
        `s + x` leaves the domain and runs off the table), and its traces are
        table look-ups only, the cheapest to check.
        """
        level = bank.of_type(cost, state_type)
        key = (id(bank), cost, state_type, len(bank.contexts), reading is not None)
        hit = self._ordered.get(key)
        if hit is not None and hit[0] is level and hit[1] == len(level):
            return hit[2]
        if reading is not None:
            ordered = [body for body in self._ordered_bodies(bank, cost, state_type, domain) if not reading.reads_no_input(body)]
        else:
            inside = frozenset(domain).__contains__  # ERROR and UNKNOWN are in no domain
            first: list[Entry] = []
            rest: list[Entry] = []
            for body in level:
                (first if all(map(inside, body.values)) else rest).append(body)
            ordered = first + rest
        self._ordered[key] = (level, len(level), ordered)
        return ordered

    def _trace(self, i, ctx, items, state, body: Entry, where, svar, xvar, env):
        """The fold's final state on example i."""
        self.top.budget.spent(len(items))
        return trace(i, items, state, body.values, where,
                     lambda st, m: self._direct(body, ctx, svar, st, xvar, m, env), scan=False)

    def _direct(self, body: Entry, ctx: Mapping[str, Value], svar: str, state: Value, xvar: str, item: Value, env: Mapping[str, Type]):
        """A fold body outside its table (a state beyond the domain), from its recipe, memoized per body."""
        memo = self._compiled.get(id(body))
        if memo is None:
            memo = self._compiled[id(body)] = ({}, body, recipe_step(body, self._made))
        key = (id(ctx), state, item)
        hit = memo[0].get(key, memo)
        if hit is not memo:
            return hit
        values = dict(ctx)
        values[svar] = state
        values[xvar] = item
        step = memo[2]
        out = None if step is None else step(values)
        if out is None:  # no recipe (a loop inside): the interpreter
            out = interpreted(env, body.expr, self.top.budget.settings.body_fuel)(values)
        memo[0][key] = out
        return out


def _all_fit(outputs: Sequence[Value], values: Iterator, agrees: Callable[[Value, Value], bool]) -> bool:
    """Whether each value agrees with its output, read until the first that does not."""
    for out, v in zip(outputs, values):
        if type(v) is Special or not agrees(out, v):
            return False
    return True


_CLOSED: dict = {}  # a closed body's context beyond its table: it reads only the state and the member, so one for every example


def _filter_can_fit(src: Entry, outputs: Sequence[Value], plain_cheaper: bool) -> bool:
    """Whether `[B for x in src if C]` can be a cheapest fit: no output longer than the source (a filter only drops).

    If every output is as long as the source, C keeps every member, and the
    plain comprehension fits too; when it is no dearer (`plain_cheaper`: the
    comprehension's weight at most the filter's plus the cheapest condition)
    deduction finds it first, so the source is skipped.
    """
    shorter = False
    for members, out in zip(src.values, outputs):
        if not isinstance(out, tuple) or len(out) > len(members):
            return False
        shorter = shorter or len(out) < len(members)
    return shorter or not plain_cheaper


def _collect(values: tuple, a: int, b: int):
    part = values[a:b]
    return first_special(part) or part


def _select(body: tuple, cond: tuple, a: int, b: int):
    out = []
    for k, v in zip(cond[a:b], body[a:b]):
        if type(k) is Special:
            return k
        if k:
            if type(v) is Special:
                return v
            out.append(v)
    return tuple(out)


@dataclass(frozen=True)
class FoldTable:
    """A root fold's body bank over a finite state domain, and where each (example, member, state) sits in it.

    Open: one context per (example, distinct member, state), the body may
    read the inputs. Closed: the body sees only the state and the member, so
    one context per distinct (member, state) over all examples serves them all
    (`slots` numbers those pairs).
    """

    bank: Bank
    svar: str
    xvar: str
    where: dict  # (example i, member, state) -> body context index
    env: dict
    src: Entry
    domain: tuple
    closed: bool  # the body sees only the state and the member
    slots: dict  # closed: (member, state) -> body context index; empty for an open table
    # id(body entry) -> (whether it reads an input, the entry): one memo per body bank, shared by its tables
    _reads: dict = field(default_factory=dict, compare=False)

    def reads_no_input(self, body: Entry) -> bool:
        """Whether the body mentions only the state and the member (the closed table holds its class).

        Read off the recipes, whose parts are shared: `_reads` is one memo for
        every table on this body bank (their inputs are the same names).
        """
        names = frozenset(self.env) - {self.svar, self.xvar}
        reads = reads_any(body, names, self._reads)
        if reads is None:  # a part without a recipe: read off the expression
            reads = not names.isdisjoint(ast.free_names(body.expr))
        return not reads


def _share_key(src_type: Type, state_type: Type, items: list, closed: bool) -> tuple:
    """Sources with equal keys have the same body contexts, so one body bank serves them all.

    A closed body's contexts are the (member, state) pairs: the set of members
    over all examples decides them. An open body's are (example, member,
    state): each example's set of members.
    """
    if closed:
        return (True, src_type, state_type, frozenset(m for ms in items for m in ms))
    return (False, src_type, state_type, tuple(frozenset(ms) for ms in items))


def items_of(src: Entry, first: int = 0) -> list[tuple]:
    """Each example's distinct members of a source, from example `first` on, in order of first appearance."""
    return [tuple(dict.fromkeys(members)) for members in src.values[first:]]


def closed_table(items: list, domain: tuple, svar: str, xvar: str, slots: dict,
                 first: int = 0) -> tuple[list[dict], dict]:
    """A closed body's new contexts (the (member, state) pairs not in `slots` yet, numbered on) and where each example's pair is."""
    out: list[dict] = []
    where: dict = {}
    for i, ms in enumerate(items, first):
        for m in ms:
            for state in domain:
                k = slots.get((m, state))
                if k is None:
                    k = slots[(m, state)] = len(slots)
                    out.append({svar: state, xvar: m})
                where[(i, m, state)] = k
    return out, where
