"""Bottom-up enumeration in cost order, with observational equivalence.

A `Bank` holds the expressions built so far over one fixed set of evaluation
contexts (the training examples, or every clause / element / state a loop
body runs on), each with its vector of values on those contexts. Level `c`
holds the expressions of cost exactly `c`, built from cheaper ones; with
pruning on, an expression whose (type, value vector) was already seen is
dropped, since it can be replaced by the earlier one in any program without
changing what the program does on these contexts. Some expressions the bank
can tell will be dropped before building them: the twin of one it builds
first (`if C then A else B` beside `if not-C then B else A`, `(a * b) * c`
beside `a * (b * c)`, `a > b` beside `b < a`). Those are counted as built
and dropped, and not built (Settings.twins).

Two special values stand in for what cannot be computed here: `ERROR` (the
expression fails on that context: index out of range, division by zero, ...)
and `UNKNOWN` (it reads a label the examples do not give, see
`semantics.Oracle`, or it would build a list longer than RANGE_LIMIT, see
`semantics.lifted`). The values themselves come from `semantics`; an
entry's values on contexts that join later (`Bank.extend`) from `recipes`.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass
from typing import Callable, Iterator, Mapping, Sequence

import numpy as np

from dsl import ast
from dsl.prims import PRIMS
from dsl.types import BOOL, INT, BoolT, ElemT, IntT, ListT, MapT, RecordT, Type
from dsl.values import Value
from synth.memory import resident_mb
from synth.search import vector
from synth.search.deferral import Deferral, LaterAdd, LaterRows
from synth.search.entry import Entry
from synth.search.grammar import Grammar
from synth.search.recipes import recompute, record_values
from synth.search.semantics import choose, indexed, lift, lift1, lift2, lifted, strict
from synth.search.settings import DEFAULTS, Settings
from synth.search.special import ERROR, SPECIAL_TYPES, UNKNOWN, Special, has_special


class SearchStopped(Exception):
    """Raised inside the enumeration when a limit is reached; `reason` says which."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _BankFull(Exception):
    """Raised by `Bank.add` when that bank reaches Settings.bank_values; `Bank.at` catches it."""


STEPS_PER_CHECK = 1 << 16  # about a millisecond of tracing between two reads of the clock (and the memory)


@dataclass
class Budget:
    """Counters and limits shared by every bank of one search."""

    deadline: float | None = None
    max_values: int | None = None
    settings: Settings = DEFAULTS
    enumerated: int = 0
    pruned: int = 0
    kept: int = 0
    stored_values: int = 0
    # Past Settings.freeze_values the search composes (goals.py) what the
    # banks hold: a bank then grows only for a goal (`goal_growth`), and only
    # up to Settings.goal_part_cost.
    frozen: bool = False
    goal_growth: bool = False
    # Frozen for an early probe of compositions (solver._probed), not for good:
    # a level not built yet reads as empty and is left to be built later.
    probing: bool = False
    # A bank reached Settings.bank_values: its dearer levels stay empty, so the
    # levels are no longer every program of their cost (solver: found_by "capped").
    capped: bool = False
    # Steps of work (a fold's members traced) since the limits were last read: see `spent`.
    steps: int = 0

    def may_grow(self, level: int) -> bool:
        return self.goal_growth and level <= self.settings.goal_part_cost

    def tick(self) -> None:
        self.enumerated += 1
        if self.enumerated & 0x3FF == 0:
            self.check_time()

    def spent(self, steps: int) -> None:
        """Count steps of work that are no candidate (tracing a fold over an example's members); read the limits every
        STEPS_PER_CHECK of them, so a search over inputs of 20,000 items stops at its timeout, not many seconds past it."""
        self.steps += steps
        if self.steps >= STEPS_PER_CHECK:
            self.steps = 0
            self.check_time()

    def check_time(self) -> None:
        """Raise SearchStopped past the deadline or the memory cap (for steps each dearer than a clock read)."""
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise SearchStopped("timeout")
        cap = self.settings.max_memory_mb
        if cap is not None and resident_mb() > cap:
            raise SearchStopped("out of memory")


# A bank's extra operators (the loop forms): given the bank, a function that
# adds the entries of one cost to a level. Injected so that `bank` need not
# import the loop module that builds on it.
LevelOp = Callable[[dict, int], None]
OperatorFactory = Callable[["Bank"], LevelOp]


_COMMUTATIVE = {"+", "*", "==", "!=", "and", "or", "xor"}
# `a > b` is `b < a`, value for value (the lifted semantics treat both operands alike).
_MIRRORS = {">": "<", ">=": "<="}
# Operators associative exactly, on these operand types, in the bank's lifted semantics (a
# failure is the first one met, left to right, either way): group composition. Not the
# integers' + and *, whose bound at 2**63 fails (a + b) + c where a + (b + c) may not.
_ASSOCIATIVE: dict[str, type] = {"*": ElemT}


@dataclass(frozen=True, eq=False)
class DroppedRows:
    """The rows of one vector block an extensible bank dropped: each row's recipe is `how(left[k], right[k])`, and its
    representative `reps[rep_rows[k]]` (the kept entry with its values, None where it failed everywhere)."""

    how: Callable[[int, int], tuple]
    left: np.ndarray
    right: np.ndarray
    rep_rows: np.ndarray
    reps: dict

    def pairs(self) -> Iterator[tuple[tuple | None, Entry | None]]:
        """(recipe, representative) per row, as `_drop` records them one by one."""
        how, reps = self.how, self.reps
        for i, j, r in zip(self.left.tolist(), self.right.tolist(), self.rep_rows.tolist()):
            yield how(i, j), reps[r]


class Bank:
    """Expressions over one context set, grown level by level in cost order."""

    def __init__(
        self,
        env_types: Mapping[str, Type],
        contexts: Sequence[Mapping[str, Value]],
        grammar: Grammar,
        budget: Budget,
        *,
        prune: bool = True,
        operators: OperatorFactory | None = None,
        depth: int = 0,
    ) -> None:
        self.env_types = dict(env_types)
        self.contexts = list(contexts)
        self.grammar = grammar
        self.budget = budget
        self.prune = prune
        self.levels: list[dict[Type, list[Entry]]] = [{}]
        # type -> values -> the kept entry (a dict per type: the type is hashed once per look-up, not with every vector)
        self._seen: dict[Type, dict[tuple, Entry]] = {}
        self._typing_cache: dict = {}
        self._coded: dict[tuple[int, Type], vector.Coded | None] = {}  # (cost, type) -> its entries as int64 codes
        # Fingerprints of the kept entries of each coded type (vector.py), so a
        # block's rows that equal a kept entry are dropped without building
        # their tuples; `_printed[(cost, type, kind)]` counts the entries already in.
        # A table per type and coding: a type's levels may be coded in different groups (the group of
        # each level's first element), and a row is only ever compared with entries coded as it is.
        self._prints: dict[tuple[Type, vector.Kind], vector.Prints[Entry]] = {}
        self._printed: dict[tuple[int, Type, vector.Kind], int] = {}
        # id(list entry) -> (its items as codes, or None if they have none; the entry, kept alive)
        self._listed: dict[int, tuple[vector.CodedLists | None, Entry]] = {}
        # Loops may nest `depth` deep below this bank's expressions.
        self.depth = depth
        self.operators = operators
        self.extra = operators(self) if operators is not None and depth > 0 else None
        # An extensible bank keeps, for each level, how every dropped
        # candidate was made, so that new contexts can tell whether an
        # equivalence class splits (see `extend`).
        self.extensible = False
        # Entries remember how they were made (so `value_at` can evaluate one
        # on a context outside the bank, e.g. a fold state beyond its table).
        self.keep_recipes = False
        # Record literals are built in the top bank only (for a scan's initial
        # state); a body that returns a record is looked up whole, or where
        # the bank holds none, deduced field by field (deduce.BodyExamples).
        self.build_records = False
        # UNKNOWN stands for different values in different expressions here (a rule body's recursive calls the
        # labels leave out: `val[c.rhs]` and `c.op * val[c.rhs]`), so an entry holding one is merged with none.
        self.unknowns_apart = False
        self._dropped: dict[int, list] = {}
        # Levels built for some types only (`of_type` at the next level: a
        # look-up or a final check of one type need not build the others):
        # cost -> (the level, the types built, `_first`). `at` completes them.
        self._partial: dict[int, tuple[dict[Type, list[Entry]], frozenset[Type], dict[Type, int]]] = {}
        # Partial levels whose entries of one type inside a domain are built, the others not yet
        # (`inside`): cost -> what is left. `_defer`: the one being built or completed, if any.
        self._waiting: dict[int, Deferral] = {}
        self._defer: Deferral | None = None
        # While a level is built: the types to build (None: all) and those
        # built already, the blocks met so far (a block: one typing of one
        # construct, met in the same order by every pass over a level), and
        # the block where each type got its first entry, so that a level
        # built in passes keeps the type order a single pass gives.
        self._only: frozenset[Type] | None = None
        self._skip: frozenset[Type] = frozenset()
        self._block = 0
        self._first: dict[Type, int] = {}
        # Values this bank holds; past budget.settings.bank_values it is full
        # and its dearer levels stay empty (the level being built stays partial).
        self.stored = 0
        self.full = False
        self._cap = budget.settings.bank_values
        self._freeze = budget.settings.freeze_values
        self._goal_cap = budget.settings.goal_values
        self.max_level = budget.settings.exhaustive_cost  # no level beyond (see Settings)

    def __len__(self) -> int:
        return len(self.contexts)

    def _would_build(self, cost: int) -> bool:
        """Whether `at(cost)` would build level `cost` now (`at`'s conditions), rather than leave it empty."""
        if self.max_level is not None and cost > self.max_level:
            return False
        return not (self.full or self.budget.probing or (self.budget.frozen and not self.budget.may_grow(cost)))

    def at(self, cost: int) -> dict[Type, list[Entry]]:
        """Entries of exactly this cost, by type (computing cheaper levels first); none beyond Settings.exhaustive_cost."""
        while len(self.levels) <= cost:
            if self.max_level is not None and len(self.levels) > self.max_level:
                return {}  # checked only when a level is missing: built levels cost nothing more
            if len(self.levels) in self._partial:
                # Begun for some types: finished whatever the budget says now, as a
                # single pass would have finished it then (a full bank keeps it as it is).
                self._finish(len(self.levels))
                continue
            if self.full or (self.budget.frozen and not self.budget.may_grow(len(self.levels))):
                if self.budget.probing:
                    return {}  # a probe reads what is built and leaves the rest unbuilt (solver._probed)
                self.levels.append({})
                continue
            try:
                self._grow(len(self.levels))
            except _BankFull:
                self.full = True
                self.budget.capped = True
        return self.levels[cost]

    def of_type(self, cost: int, typ: Type) -> list[Entry]:
        """Entries of exactly this cost and type: of the next level, only this type's are built (the rest when `at` asks).

        A search that checks the dearest level it needs against one type
        (the output's, a body's) and then stops leaves the rest of that level
        unbuilt. The entries, their order and the counts are those of the
        whole level; only when they are built differs. Not in a bank that
        builds loops (`extra`, which knows nothing of passes).
        """
        if cost < len(self.levels):
            return self.levels[cost].get(typ, [])
        part = self._partial.get(cost)
        if part is not None and typ in part[1]:
            if cost in self._waiting:
                self._complete(cost)
            return part[0].get(typ, [])
        if not self._may_pass(cost, self.budget.settings.typed_passes):
            return self.at(cost).get(typ, [])
        return self._typed_pass(cost, typ)

    def inside(self, cost: int, typ: Type, domain: frozenset[Value]) -> list[Entry] | None:
        """This level's entries of this type whose every value lies in `domain`, in level order, while its other
        entries of the type are left unbuilt; None once they are built (ask `of_type`).

        Where the next level may be begun for this type alone, the banks
        holding less than Settings.inside_share of their caps, above a level
        of at least Settings.inside_from entries of the type, only the rows
        inside the domain are built; the others wait for the first `of_type`
        or `at` that asks (deferral.py). Settings.inside_first None: never.
        """
        d = self._waiting.get(cost)
        if d is None:
            part = self._partial.get(cost)
            settings = self.budget.settings
            if (settings.inside_first is None or cost < len(self.levels) or (part is not None and typ in part[1])
                    or not self._may_pass(cost, settings.inside_share)
                    or len(self.levels[cost - 1].get(typ, ())) < settings.inside_from):
                return None
            d = self._defer = Deferral(typ, domain, settings.inside_first)
            try:
                entries = self._typed_pass(cost, typ)
            finally:
                self._defer = None
            if not d.open:  # the rows waiting grew past the limit and were built in the pass: in order now
                self._reorder(cost, d)
            if not d.later:
                return None  # no row waits: of_type has them all
            d.inside = list(entries)
            self._waiting[cost] = d
        return d.inside if d.type == typ and d.domain == domain else None

    def _may_pass(self, cost: int, share: float | None) -> bool:
        """Whether the next level may be built a type at a time (after the cheaper levels, built here if need be),
        the values held below `share` of the caps (`_far_from_caps`)."""
        if self.extra is not None:
            return False
        self.at(cost - 1)
        return len(self.levels) == cost and self._would_build(cost) and self._far_from_caps(share)

    def _typed_pass(self, cost: int, typ: Type) -> list[Entry]:
        """Build the entries of this type of the next level (`of_type`), the level staying partial."""
        part = self._partial.get(cost)
        level, built, first = part if part is not None else ({}, frozenset[Type](), {})
        self.levels.append(level)  # read as the level being built while it is
        try:
            self._pass(cost, level, frozenset((typ,)), built, first)
        finally:
            self.levels.pop()
        self._partial[cost] = (level, built | {typ}, first)
        return level.get(typ, [])

    def _complete(self, cost: int) -> None:
        """Build the rows `inside` left for later, then put the level's entries of that type in one pass's order."""
        d = self._waiting.pop(cost)
        level, _, first = self._partial[cost]
        self.levels.append(level)  # read as the level being built while it is
        self._defer, self._first = d, first
        try:
            self._build_later(level, cost, d)
        except _BankFull:
            self.full = True
            self.budget.capped = True
        finally:
            self._defer = None
            self.levels.pop()
            self._reorder(cost, d)

    def _build_later(self, level: dict[Type, list[Entry]], cost: int, d: Deferral) -> None:
        """Build the rows d left for later (of level `cost`, last in `levels`), in one pass's order; none waits after."""
        later, d.later, d.open = d.later, [], False
        block = self._block
        try:
            for item in later:
                self._block = item.block
                if isinstance(item, LaterAdd):
                    d.row = item.place
                    self.add(level, item.expr, d.type, item.values, cost, item.recipe)
                    d.row = None
                else:
                    self.budget.check_time()
                    self._add_rows(level, cost, item.kind, d.type, item.rows, item.exact, item.left, item.right,
                                   item.made, item.how, item.scalar, item.places)
        finally:
            self._block = block

    def _reorder(self, cost: int, d: Deferral) -> None:
        """Put the entries of d's type of partial level `cost` in one pass's order (built in two: `inside`)."""
        level, _, first = self._partial[cost]
        entries = level.get(d.type)
        if not entries:
            return
        self.levels.append(level)
        try:  # every entry into the fingerprint tables first: they count a level's entries in as a prefix
            for key in [k for k in self._printed if k[0] == cost and k[1] == d.type]:
                self._fingerprinted(d.type, key[2])
        finally:
            self.levels.pop()
        d.reorder(entries, first)

    def _far_from_caps(self, share: float | None) -> bool:
        """Whether this bank holds less than `share` of its cap and all banks less than `share` of the freeze."""
        if not share:
            return False
        return (self._cap is None or self.stored < share * self._cap) and (
            self._freeze is None or self.budget.stored_values < share * self._freeze)

    @property
    def reached(self) -> int:
        """The dearest level built or begun (`of_type`)."""
        return max(len(self.levels) - 1, max(self._partial, default=0))

    def _finish(self, cost: int) -> None:
        """Build the types a partial level lacks, then order its types as one pass would have."""
        if cost in self._waiting:
            self._complete(cost)
        level, built, first = self._partial.pop(cost)
        self.levels.append(level)
        if not self.full:
            self._pass(cost, level, None, built, first)
        for typ in sorted(level, key=first.__getitem__):
            level[typ] = level.pop(typ)

    def _pass(self, cost: int, level: dict[Type, list[Entry]], only: frozenset[Type] | None,
              built: frozenset[Type], first: dict[Type, int]) -> None:
        """One pass over level `cost` (last in `levels` meanwhile): the types in `only` (None: all) but those `built`."""
        self._only, self._skip, self._first = only, built, first
        try:
            self._grow(cost, level)
        except _BankFull:
            self.full = True
            self.budget.capped = True
        finally:
            self._only, self._skip = None, frozenset()

    def _wanted(self, typ: Type) -> bool:
        """Whether this pass builds a block of this result type (every block is counted, built or not)."""
        self._block += 1
        return (self._only is None or typ in self._only) and typ not in self._skip

    # -- building ---------------------------------------------------------

    def add(self, level: dict[Type, list[Entry]], expr: ast.Expr, typ: Type, values: tuple, cost: int,
            recipe: tuple | None = None, new: bool = False, special: bool | None = None) -> bool:
        """Keep the expression unless an entry already has its values; whether it was kept.

        `new`: the caller knows none has (no look-up); `special`: whether a
        value is ERROR or UNKNOWN, if the caller knows (a vector row's codes say).
        """
        defer = self._defer
        if defer is not None and defer.open and defer.row is None and typ == defer.type and not defer.holds_values(values):
            # A first pass of `inside`: a candidate of a scalar path, outside the domain, waits.
            if defer.wait(LaterAdd(expr, values, recipe, defer.reserve(1), self._block), len(values)):
                self._build_later(level, cost, defer)
            return False
        budget = self.budget
        budget.enumerated += 1  # Budget.tick, inlined: this is the hottest call of the search
        if budget.enumerated & 0x3FF == 0:
            budget.check_time()
        if special is None:
            special = not SPECIAL_TYPES.isdisjoint(map(type, values))
        apart = special and self.unknowns_apart and any(v is UNKNOWN for v in values)
        if self.prune:
            if special and values and values.count(ERROR) == len(values):  # every value ERROR (count: by identity, in C)
                budget.pruned += 1
                if self.extensible:
                    self._drop(cost, recipe, None)
                return False
            seen = self._seen.setdefault(typ, {})
            rep = None if new or apart else seen.get(values)
            if rep is not None:
                budget.pruned += 1
                if self.extensible:
                    self._drop(cost, recipe, rep)
                return False
        budget.kept += 1
        self._count(len(values) + 1)
        self.stored += len(values) + 1
        if self._cap is not None and self.stored > self._cap:
            raise _BankFull
        entry = Entry(expr, typ, cost, values, special, recipe)
        if self.prune and not apart:
            seen[values] = entry
        entries = level.get(typ)
        if entries is None:
            entries = level[typ] = []
            self._first[typ] = self._block
        entries.append(entry)
        if self._defer is not None and typ == self._defer.type:
            self._defer.kept(self._block)
        return True

    def _count(self, n: int) -> None:
        """n more values held: past Settings.freeze_values the search freezes; past the goal cap this bank stops.

        Dropped candidates' records (an extensible bank's, 3 values each) count
        too: a level of millions of drops must freeze the search as a level of
        kept entries does, or it runs on into the value cap, which ends the search.
        """
        budget = self.budget
        budget.stored_values += n
        if budget.frozen and self._goal_cap is not None and budget.stored_values > self._goal_cap:
            raise _BankFull  # growing for a goal after the freeze: this bank stops here, the search goes on
        if budget.max_values is not None and budget.stored_values > budget.max_values:
            raise SearchStopped("memory")
        if self._freeze is not None and budget.stored_values > self._freeze and not budget.frozen:
            budget.frozen = True

    def _drop(self, cost: int, recipe: tuple | None, rep: Entry | None) -> None:
        self._dropped.setdefault(cost, []).append((recipe, rep))
        self._count(3)

    def _drop_rows(self, cost: int, rows: DroppedRows) -> None:
        """A block's dropped rows, remembered as one record whose recipes are made only if new contexts come.

        Counted as `_drop` counts each; where the count would cross a cap or
        the freeze within them, row by row as `_drop` would, so that the search
        stops or freezes at the same row.
        """
        n = 3 * len(rows.left)
        budget = self.budget
        after = budget.stored_values + n
        if ((budget.frozen and self._goal_cap is not None and after > self._goal_cap)
                or (budget.max_values is not None and after > budget.max_values)
                or (self._freeze is not None and after > self._freeze and not budget.frozen)):
            for recipe, rep in rows.pairs():
                self._drop(cost, recipe, rep)
            return
        self._dropped.setdefault(cost, []).append(rows)
        budget.stored_values = after

    # -- new contexts (a counterexample) ------------------------------------

    def extend(self, contexts: Sequence[Mapping[str, Value]]) -> int | None:
        """Add contexts without starting again; returns the first level rebuilt, or None.

        Every kept entry gets its values on the new contexts, computed from
        its parts' values (level by level, so parts come first). A class of
        equivalent expressions splits when one dropped candidate now differs
        from its representative (or a candidate dropped for failing
        everywhere now succeeds somewhere, or an `if` skipped for a constant
        condition no longer has one): from the first level where that
        happens, the levels are discarded and rebuilt on demand. The levels
        kept are exactly what a search from scratch over all the contexts
        builds, in the same order, so the answer is the same.
        """
        start = len(self.contexts)
        self.contexts.extend(dict(c) for c in contexts)
        new = self.contexts[start:]
        budget = self.budget
        split = None
        for c in range(1, len(self.levels)):
            for entries in self.levels[c].values():
                for e in entries:
                    vals = recompute(e.recipe, start, new)
                    if vals is None:
                        split = c
                        break
                    e.values = e.values + vals
                    e.special = e.special or has_special(vals)
                    budget.stored_values += len(vals)
                if split is not None:
                    break
            if split is None:
                split = self._splits(c, start, new)
            if split is not None:
                break
        # Levels begun for some types (`of_type`) go: built again on demand over every context.
        gone = len(self.levels) if split is None else split
        if split is not None:
            del self.levels[split:]
            self.full = False  # the levels are rebuilt on demand, within the cap again
        for c in [k for k in self._dropped if k >= gone]:
            del self._dropped[c]
        self._partial = {}
        self._waiting = {}
        width = len(self.contexts) + 1
        self.stored = sum(len(es) for level in self.levels for es in level.values()) * width
        self._seen = {}
        self._coded = {}
        self._prints = {}
        self._printed = {}
        self._listed = {}
        if self.prune:
            for level in self.levels[1:]:
                for typ, entries in level.items():
                    seen = self._seen.setdefault(typ, {})
                    for e in entries:
                        seen[e.values] = e
        if self.operators is not None and self.depth > 0:
            self.extra = self.operators(self)  # loop bodies are rebuilt over the new contexts
        return split

    def _splits(self, c: int, start: int, new: list) -> int | None:
        """c if a dropped candidate of cost c is no longer equivalent to what replaced it."""
        for recipe, rep in itertools.chain.from_iterable(
                r.pairs() if type(r) is DroppedRows else (r,) for r in self._dropped.get(c, ())):
            if recipe is None:
                return c
            if recipe[0] == "ifconst":
                cv = recipe[1].values
                if recipe[1].special or any(cv) != all(cv):
                    return c
                continue
            if recipe[0] == "ifnot":
                cond, other = recipe[1], recipe[2]
                if cond.special or other.special or any(a == b for a, b in zip(cond.values, other.values)):
                    return c
                continue
            vals = recompute(recipe, start, new)
            if vals is None:
                return c
            if rep is None:
                if not all(v is ERROR for v in vals):
                    return c
            elif vals != rep.values[start:]:
                return c
        return None

    def lookup(self, typ: Type, values: tuple) -> Entry | None:
        """The kept entry with exactly these values (the cheapest such expression built so far)."""
        seen = self._seen.get(typ)
        return None if seen is None else seen.get(values)

    def _grow(self, c: int, level: dict[Type, list[Entry]] | None = None) -> None:
        """Build level c (into `level`, already in `levels`, for a pass over some types: `of_type`, `_finish`)."""
        if level is None:
            level = {}
            self.levels.append(level)
            self._first = {}
        self._block = 0
        g = self.grammar
        n = len(self.contexts)
        if g.weight("var") == c:
            for name, typ in self.env_types.items():
                if self._wanted(typ):
                    self.add(level, ast.Var(name), typ, tuple(ctx[name] for ctx in self.contexts), c, ("var", name))
        if g.weight("const") == c:
            for typ, value in g.constants:
                if self._wanted(typ):
                    self.add(level, _literal(value), typ, (value,) * n, c, ("const", value))
        self._fields(level, c)
        self._records(level, c)
        self._indexing(level, c)
        self._prims(level, c)
        self._ifs(level, c)
        if self.extra is not None:
            self.extra(level, c)

    def _fields(self, level: dict, c: int) -> None:
        ext = self.extensible or self.keep_recipes
        sub = c - self.grammar.weight("field")
        if sub < 1:
            return
        for typ, entries in list(self.at(sub).items()):
            if not isinstance(typ, RecordT):
                continue
            for i, (fname, ftype) in enumerate(typ.fields):
                if not self._wanted(ftype):
                    continue
                for e in entries:
                    vals = tuple(v if type(v) is Special else v.values[i] for v in e.values)
                    self.add(level, ast.Field(e.expr, fname), ftype, vals, c, ("field", i, e) if ext else None)

    def _records(self, level: dict, c: int) -> None:
        """Record literals {f1: e1, ..., fk: ek} of the grammar's record types, fields in order."""
        if not self.build_records:
            return
        ext = self.extensible or self.keep_recipes
        for rtype in self.grammar.records:
            if not self._wanted(rtype):
                continue
            names = rtype.names
            for parts in self._splits_of(c - self.grammar.weight("record"), [t for _, t in rtype.fields]):
                vals = record_values(names, [e.values for e in parts], len(self.contexts))
                expr = ast.RecordLit(tuple(zip(names, (e.expr for e in parts))))
                self.add(level, expr, rtype, vals, c, ("record", names, *parts) if ext else None)

    def _splits_of(self, total: int, types: list[Type]) -> Iterator[tuple[Entry, ...]]:
        """Every tuple of entries of these types whose costs add up to `total`, in a fixed order."""
        if not types:
            if total == 0:
                yield ()
            return
        for c1 in range(1, total - len(types) + 2):
            for e in self.of_type(c1, types[0]):
                for rest in self._splits_of(total - c1, types[1:]):
                    yield (e, *rest)

    def _indexing(self, level: dict, c: int) -> None:
        ext = self.extensible or self.keep_recipes
        vector_pairs = self.budget.settings.vector_pairs
        rest = c - self.grammar.weight("index")
        ktype: Type  # an Int for a list, the key type for a map
        for c1 in range(1, rest):
            c2 = rest - c1
            for ctype, colls in list(self.at(c1).items()):
                if isinstance(ctype, ListT):
                    ktype, rtype = INT, ctype.item
                elif isinstance(ctype, MapT):
                    ktype, rtype = ctype.key, ctype.value
                else:
                    continue
                if not self._wanted(rtype):
                    continue
                keys = self.of_type(c2, ktype)
                if (self.prune and vector_pairs is not None and isinstance(ctype, ListT) and keys
                        and len(colls) * len(keys) >= vector_pairs and self._indexing_vector(level, c, ctype, colls, c2, keys, ext)):
                    continue
                for coll in colls:
                    for key in keys:
                        vals = tuple(
                            strict(a, b) or indexed(a, b) for a, b in zip(coll.values, key.values)
                        )
                        self.add(level, ast.Index(coll.expr, key.expr), rtype, vals, c,
                                 ("index", coll, key) if ext else None)

    def _indexing_vector(self, level: dict, c: int, ctype: ListT, colls: list[Entry], c2: int, keys: list[Entry],
                         ext: bool) -> bool:
        """`coll[key]` for every list and Int key of two blocks, a slice of lists at a time (vector.index).

        False, and nothing built, where the items or the keys have no coding
        (the caller builds the block pair by pair). A list whose items cannot
        all be coded (an Int past 2**62) goes to the scalar path, row by row.
        """
        keyed = self._coded_level(c2, INT, keys)
        sample = next((m for e in colls for v in e.values if type(v) is tuple for m in v), None)
        kind = vector.kind_of(ctype.item, () if sample is None else (sample,))
        if keyed is None or kind is None:
            return False
        lists = [self._listed_codes(e, kind) for e in colls]
        left = vector.Coded(kind, keyed.rows[:0], np.array([cl is not None for cl in lists], dtype=bool))
        blank = np.zeros(keyed.rows.shape, dtype=np.int64)

        def made(i: int, j: int) -> ast.Expr:
            return ast.Index(colls[i].expr, keys[j].expr)

        def how(i: int, j: int) -> tuple:
            return ("index", colls[i], keys[j])

        def scalar(i: int, j: int) -> tuple:
            return tuple(strict(a, b) or indexed(a, b) for a, b in zip(colls[i].values, keys[j].values))

        step = self._slice(len(keys))
        for s0 in range(0, len(colls), step):
            s1 = min(len(colls), s0 + step)
            blocks = [blank if cl is None else vector.index(cl, keyed.rows) for cl in lists[s0:s1]]
            rows = blocks[0] if len(blocks) == 1 else np.concatenate(blocks)
            exact = np.ones(len(rows), dtype=bool)
            self._add_block(level, c, kind, ctype.item, rows, exact, (s0, s1), left, keyed, False, made, how if ext else None, scalar)
        return True

    def _listed_codes(self, entry: Entry, kind: vector.Kind) -> vector.CodedLists | None:
        """A list entry's items as codes (vector.encode_lists), made once per entry."""
        hit = self._listed.get(id(entry))
        if hit is None:
            hit = self._listed[id(entry)] = (vector.encode_lists(kind, entry.values), entry)
        return hit[0]

    def _typing(self, op: str, types: tuple[Type, ...]):
        # Keyed by identity: hashing nested record types on every lookup was
        # the search's hottest spot. The types are kept alive in the value.
        key = (op, *map(id, types))
        hit = self._typing_cache.get(key)
        if hit is None:
            settings = self.budget.settings
            r = lifted(PRIMS[op], types, settings.range_limit, settings.remembered_items)
            hit = self._typing_cache[key] = (r, types)
        return hit[0]

    def _prims(self, level: dict, c: int) -> None:
        ext = self.extensible or self.keep_recipes
        g = self.grammar
        cache = self._typing_cache
        vector_pairs = self.budget.settings.vector_pairs
        twins = self.prune and self.budget.settings.twins
        for op in g.prims:
            spec = PRIMS[op]
            rest = c - g.weight(op)
            if spec.arity == 1:
                if rest < 1:
                    continue
                for typ, entries in list(self.at(rest).items()):
                    r = self._typing(op, (typ,))
                    if r is None:
                        continue
                    rtype, fn = r
                    if not self._wanted(rtype):
                        continue
                    if self.prune and vector_pairs is not None and len(entries) >= vector_pairs:
                        coded = self._coded_level(rest, typ, entries) if vector.coding(typ) is not None else None
                        uop = vector.UNARY_OPS.get((op, coded.kind.name)) if coded is not None else None
                        if coded is not None and uop is not None:
                            self._prim1_vector(level, c, op, fn, rtype, uop, coded, entries, ext)
                            continue
                    for e in entries:
                        self.add(level, ast.Prim(op, (e.expr,)), rtype, lift1(fn, e), c, ("prim1", fn, e) if ext else None)
            elif spec.arity == 2:
                mirrored = twins and _mirrored_first(g, op)
                for c1 in range(1, rest):
                    c2 = rest - c1
                    lvl1, lvl2 = self.at(c1), self.at(c2)
                    for t1, es1 in list(lvl1.items()):
                        for t2, es2 in list(lvl2.items()):
                            hit = cache.get((op, id(t1), id(t2)))
                            r = hit[0] if hit is not None else self._typing(op, (t1, t2))
                            if r is None or not self._wanted(r[0]):
                                continue
                            if mirrored:  # `a > b` is `b < a`, built first: each would be dropped as its twin
                                self.budget.enumerated += len(es1) * len(es2)
                                self.budget.pruned += len(es1) * len(es2)
                                continue
                            rtype, fn = r
                            symmetric = self.prune and op in _COMMUTATIVE and t1 == t2 and isinstance(t1, (IntT, BoolT)) or (
                                self.prune and op in ("==", "!=") and t1 == t2
                            )
                            if symmetric and c1 > c2:
                                continue  # b op a was built as a op b
                            tri = symmetric and c1 == c2
                            kept = None  # the positions of the left operands to build, if not all
                            if twins and isinstance(t1, _ASSOCIATIVE.get(op, ())) and t1 == t2 == rtype:
                                kept = self._regrouped(op, es1, len(es2))
                            lefts = es1 if kept is None else [es1[k] for k in kept]
                            if not lefts:
                                continue
                            if self.prune and vector_pairs is not None and len(lefts) * len(es2) >= vector_pairs:
                                vop = self._vector_op(op, c1, t1, es1, c2, t2, es2)
                                if vop is not None:
                                    if kept is not None:  # the left level's rows of the operands kept
                                        a = vop[1]
                                        vop = (vop[0], vector.Coded(a.kind, a.rows[kept], a.coded[kept]), vop[2])
                                    self._prims_vector(level, c, op, fn, rtype, vop, lefts, es2, tri, ext)
                                    continue
                            es1 = lefts
                            for i, e1 in enumerate(es1):
                                start = i if tri else 0
                                for e2 in es2[start:]:
                                    vals = lift2(fn, e1, e2)
                                    self.add(level, ast.Prim(op, (e1.expr, e2.expr)), rtype, vals, c,
                                             ("prim2", fn, e1, e2) if ext else None)
            else:
                self._prims_n(level, c, op, spec.arity, rest, ext)

    def _regrouped(self, op: str, lefts: list[Entry], rights: int) -> list[int] | None:
        """The positions of the left operands of an associative op left to build (None: all): none that is itself `a op b`.

        `(a op b) op c` is `a op (b op c)`, and the bank builds that first:
        `b op c` (or a cheaper twin of it) is in a cheaper level, and the loop
        over the left operand's cost reaches `a` before `a op b`. So every
        `(a op b) op c` would be dropped as a twin; it is counted as one
        (enumerated and pruned) and not built. Exact, so an extensible bank
        has nothing to split later.
        """
        kept = [k for k, e in enumerate(lefts) if not _applies(e, op)]
        if len(kept) == len(lefts):
            return None
        skipped = (len(lefts) - len(kept)) * rights
        self.budget.enumerated += skipped
        self.budget.pruned += skipped
        return kept

    def first_indexed(self, cost: int, typ: Type, want: tuple) -> Entry | None | bool:
        """The entry level `cost` would keep for these values if it holds `coll[key]` with them, found without building it.

        Indexing is the first thing a level builds, and a level keeps the
        first expression with given values, so where the cheaper levels hold
        no such values the first `coll[key]` with them, in `_indexing`'s
        order, is what the level would keep. A deduced body whose output
        reads the input by position (reverse_string's `xs[len(xs) - (x + 1)]`)
        is then found without the level, the dearest one searched. Only
        levels below `cost` are read (and built). False where it cannot tell
        (nothing is claimed; build the level): an entry that could come first
        (a constant, a field of a record), a map, or values the vector path
        cannot code; None when no list indexing gives them.
        """
        rest = cost - self.grammar.weight("index")
        kind = vector.kind_of(typ, want)
        if not self.prune or rest < 2 or cost in (self.grammar.weight("var"), self.grammar.weight("const")) or kind is None:
            return False
        if len(self.levels) > cost:
            return False  # built already: look it up
        target = vector.encode(kind, [want])
        if not target.coded[0]:
            return False
        lower = [self.at(k) for k in range(1, cost)]
        if not self._would_build(cost):
            return False  # full, frozen or past exhaustive_cost, the level would stay empty: nothing to spare
        if any(isinstance(t, (RecordT, MapT)) for level in lower for t in level):
            return False
        row = target.rows[0]
        for c1 in range(1, rest):
            keys = self.of_type(rest - c1, INT)
            colls = self.of_type(c1, ListT(typ))
            if not keys or not colls:
                continue
            keyed = self._coded_level(rest - c1, INT, keys)
            if keyed is None or not keyed.coded.all():
                return False
            for coll in colls:
                listed = self._listed_codes(coll, kind)
                if listed is None:
                    return False
                hits = np.flatnonzero((vector.index(listed, keyed.rows) == row).all(axis=1))
                if len(hits):
                    key = keys[int(hits[0])]
                    return Entry(ast.Index(coll.expr, key.expr), typ, cost, want, False, ("index", coll, key))
        return None

    def first_with(self, cost: int, typ: Type, columns: Sequence[int], values: Sequence[Value]) -> Entry | None | bool:
        """The first entry of this cost and type whose values at `columns` (context indices) are `values`.

        One pass over the level's codes (vector.py), where a dictionary per
        set of columns took a pass over the level's tuples for every new set.
        False when the type or the values cannot be coded (the caller looks up
        some other way); None when no entry matches.
        """
        entries = self.of_type(cost, typ)
        if not entries:
            return None
        coded = self._coded_level(cost, typ, entries) if vector.coding(typ) is not None else None
        if coded is None or not columns:
            return False
        target = vector.encode(coded.kind, [tuple(values)])
        if not target.coded[0]:
            return False
        cols, want = np.asarray(columns, dtype=np.int64), target.rows[0]
        found = np.flatnonzero((coded.rows[:, cols[0]] == want[0]) & coded.coded)
        if len(found) and len(cols) > 1:
            found = found[(coded.rows[found][:, cols[1:]] == want[1:]).all(axis=1)]
        first = int(found[0]) if len(found) else len(entries)
        # A row not coded (a value past 2**62 on some other context) may still match on these columns.
        for k in np.flatnonzero(~coded.coded[:first]).tolist():
            if all(type(v) is type(w) and v == w for v, w in zip(map(entries[k].values.__getitem__, columns), values)):
                return entries[k]
        return entries[first] if first < len(entries) else None

    def _coded_level(self, cost: int, typ: Type, entries: list[Entry]) -> vector.Coded | None:
        key = (cost, typ)
        if key not in self._coded:
            kind = vector.kind_of(typ, next((e.values for e in entries if not e.special), entries[0].values if entries else ()))
            self._coded[key] = vector.encode(kind, [e.values for e in entries]) if kind is not None else None
        return self._coded[key]

    def _vector_op(self, op: str, c1: int, t1: Type, es1: list[Entry], c2: int, t2: Type,
                   es2: list[Entry]) -> tuple[vector.VectorOp, vector.Coded, vector.Coded] | None:
        """The vector form of op on these two (level, type) blocks, if both are coded alike and it has one."""
        if not vector.has_vector_form(op, t1, t2):  # asked before coding the levels
            return None
        a, b = self._coded_level(c1, t1, es1), self._coded_level(c2, t2, es2)
        if a is None or b is None:
            return None
        vop = vector.vector_op(op, a.kind, b.kind)
        return (vop, a, b) if vop is not None else None

    def _prims_vector(self, level: dict, c: int, op: str, fn: Callable, rtype: Type, found: tuple,
                      es1: list[Entry], es2: list[Entry], tri: bool, ext: bool) -> None:
        """`a op b` for every pair of two blocks, a slice of the left block at a time (vector.py)."""
        vop, a, b = found
        kind = vector.result_kind(vop, a.kind)

        def made(i: int, j: int) -> ast.Expr:
            return ast.Prim(op, (es1[i].expr, es2[j].expr))

        def how(i: int, j: int) -> tuple:
            return ("prim2", fn, es1[i], es2[j])

        def scalar(i: int, j: int) -> tuple:
            return lift2(fn, es1[i], es2[j])

        step = self._slice(len(es2))
        for s0 in range(0, len(es1), step):
            rows, exact = vector.apply(vop, a.kind, a.rows[s0:s0 + step], b.rows)
            self._add_block(level, c, kind, rtype, rows, exact, (s0, min(len(es1), s0 + step)), a, b, tri, made, how if ext else None, scalar)

    def _prim1_vector(self, level: dict, c: int, op: str, fn: Callable, rtype: Type, uop: vector.UnaryOp,
                      a: vector.Coded, entries: list[Entry], ext: bool) -> None:
        """`op e` for a whole (level, type) block at once: a block against one blank right-hand row."""
        kind = vector.result_kind(uop, a.kind)
        one = vector.Coded(a.kind, np.zeros((1, len(self.contexts)), dtype=np.int64), np.ones(1, dtype=bool))

        def made(i: int, j: int) -> ast.Expr:
            return ast.Prim(op, (entries[i].expr,))

        def how(i: int, j: int) -> tuple:
            return ("prim1", fn, entries[i])

        def scalar(i: int, j: int) -> tuple:
            return lift1(fn, entries[i])

        step = self._slice(1)
        for s0 in range(0, len(entries), step):
            rows = vector.apply1(uop, a.kind, a.rows[s0:s0 + step])
            exact = np.ones(len(rows), dtype=bool)
            self._add_block(level, c, kind, rtype, rows, exact, (s0, min(len(entries), s0 + step)), a, one, False, made, how if ext else None, scalar)

    def _fingerprinted(self, typ: Type, kind: vector.Kind) -> vector.Prints[Entry]:
        """Every coded entry of this type built so far, by fingerprint (the first entry per print), with its codes."""
        table = self._prints.get((typ, kind))
        if table is None:
            table = self._prints[(typ, kind)] = vector.Prints(kind, len(self.contexts))
        for c in range(1, len(self.levels)):
            entries = self.levels[c].get(typ)
            done = self._printed.get((c, typ, kind), 0)
            if entries and done < len(entries):
                new = entries[done:]
                whole = self._coded_level(c, typ, entries) if c < len(self.levels) - 1 else None  # a finished level
                if whole is not None and whole.kind == kind:
                    coded = vector.Coded(kind, whole.rows[done:], whole.coded[done:])  # coded once for both uses
                else:
                    coded = vector.encode(kind, [e.values for e in new])
                ok = np.flatnonzero(coded.coded).tolist()
                rows = coded.rows[ok]
                table.add([new[k] for k in ok], vector.fingerprints(rows).tolist(), rows)
                self._printed[(c, typ, kind)] = len(entries)
        return table

    def _register(self, kept: vector.Prints[Entry], entries: list[Entry], c: int, typ: Type, before: int, prints: list[int],
                  rows: np.ndarray) -> None:
        """Entries before.. of level c, type typ, with these prints and codes, join `kept` (as `_fingerprinted` would add them)."""
        kept.add(entries[before:], prints, rows)
        self._printed[(c, typ, kept.kind)] = before + len(prints)

    def _slice(self, width: int) -> int:
        """Rows of the left block per slice, so that a slice computes about vector.CHUNK values."""
        return max(1, vector.CHUNK // (max(1, len(self.contexts)) * max(1, width)))

    def _add_block(self, level: dict, c: int, kind: vector.Kind, rtype: Type, rows: np.ndarray, exact: np.ndarray,
                   span: tuple[int, int], a: vector.Coded, b: vector.Coded, tri: bool,
                   made: Callable[[int, int], ast.Expr], how: Callable[[int, int], tuple] | None,
                   scalar: Callable[[int, int], tuple]) -> None:
        """Hand the rows of left entries span[0]..span[1]-1 against every right entry to `add`, in the scalar loop's order.

        A row equal to an earlier row of the block is dropped here and counted
        as `add` would count it (in an extensible bank, remembered with the
        entry that stands for it); a row the vector form could not give
        exactly (an operand not coded, a product past int64) is built by
        `scalar(i, j)` in its place. So the bank keeps the same expressions,
        in the same order, as if built pair by pair. `made(i, j)` gives the
        expression of left entry i with right entry j and `how(i, j)` its
        recipe (None: the bank keeps none); a dropped row needs only the
        recipe (an extensible bank's memory of it), so no expression is built
        for it.
        """
        self.budget.check_time()
        lo, hi = span
        ii = np.repeat(np.arange(lo, hi), len(b.rows))
        jj = np.tile(np.arange(len(b.rows)), hi - lo)
        exact = exact & a.coded[ii] & b.coded[jj]
        if self.unknowns_apart:  # a row holding UNKNOWN is never one of equal rows: `add` keeps it
            exact &= ~(rows == vector.UNKNOWN_CODE).any(axis=1)
        if tri:
            wanted = jj >= ii
            rows, exact, ii, jj = rows[wanted], exact[wanted], ii[wanted], jj[wanted]
        places = None
        defer = self._defer
        if defer is not None and rtype == defer.type:  # a first pass of `inside`: the rows outside the domain wait
            base = defer.reserve(len(rows))
            places = np.arange(base, base + len(rows))  # every row's, for the reorder, while rows wait or after
            held = defer.holds(kind, rows) if defer.open else None
            inexact = np.flatnonzero(~exact).tolist()
            if held is not None and inexact:  # the scalar path's rows: their values now, to tell where they lie
                built = {(int(ii[k]), int(jj[k])): scalar(int(ii[k]), int(jj[k])) for k in inexact}
                held[inexact] = [defer.holds_values(v) for v in built.values()]
                scalar = lambda i, j: built[(i, j)]  # noqa: E731
            if held is not None and not held.all():
                out = ~held
                later = LaterRows(kind, rows[out], exact[out], ii[out], jj[out], made, how, scalar, places[out].tolist(),
                                  self._block)
                rows, exact, ii, jj, places = rows[held], exact[held], ii[held], jj[held], places[held]
                if defer.wait(later, later.rows.size):
                    self._build_later(level, c, defer)
        self._add_rows(level, c, kind, rtype, rows, exact, ii, jj, made, how, scalar,
                       None if places is None else places.tolist())

    def _add_rows(self, level: dict, c: int, kind: vector.Kind, rtype: Type, rows: np.ndarray, exact: np.ndarray,
                  ii: np.ndarray, jj: np.ndarray, made: Callable[[int, int], ast.Expr],
                  how: Callable[[int, int], tuple] | None, scalar: Callable[[int, int], tuple],
                  places: list[int] | None = None) -> None:
        """`_add_block` for rows already paired: row k is left entry ii[k] with right entry jj[k] (and, in a pass
        of `inside`, has place places[k] in one pass's order)."""
        budget = self.budget
        at = np.flatnonzero(exact)  # the exact rows, by position in the block
        d = vector.distinct(rows[at])
        firsts = at[d.first].tolist()
        print_of = dict(zip(firsts, d.prints[d.first].tolist()))
        # A first row with a kept entry's fingerprint is that entry if its values are (add would drop it).
        kept = self._fingerprinted(rtype, kind)
        known, clash = kept.match(firsts, list(print_of.values()), rows)
        decoded = dict(zip(clash, vector.decode(kind, rows[clash])))  # a fingerprint collision: add decides
        vals: tuple | None  # below, None until the scalar path builds the row
        collided = set(decoded) | set(at[d.alone].tolist())  # these may have twins `add` alone can find
        rest = [k for k in firsts if k not in known and k not in decoded]
        decoded.update(zip(rest, vector.decode(kind, rows[rest])))
        ii_l, jj_l = ii.tolist(), jj.tolist()
        dropping = how if self.extensible else None  # an extensible bank keeps its recipes (`ext`): how is given
        extensible = dropping is not None
        reps: dict[int, Entry | None] = {}
        if dropping is not None and known:
            reps.update(known)
            rows_known = np.fromiter(known, dtype=np.int64, count=len(known))
            self._drop_rows(c, DroppedRows(dropping, ii[rows_known], jj[rows_known], rows_known, reps))
        inexact = np.flatnonzero(~exact).tolist()
        # A decoded row whose fingerprint no kept entry has differs from every entry (a kept entry's values are
        # all coded) and from the block's other first rows (`distinct`): `add` need not look it up. A row caught
        # in a collision, or a block with rows left to the scalar path (which may build any values), goes
        # through `add`'s look-up.
        trusted = not inexact
        specials = dict(zip(decoded, vector.has_special(rows[list(decoded)]).tolist()))  # read off the codes
        # The prints of the rows kept, in order: `kept` takes them as `_fingerprinted` would, without coding them again.
        before = len(level.get(rtype, ()))
        printed: list[int] | None = [] if self._printed.get((c, rtype, kind), 0) == before else None
        printed_rows: list[int] = []  # their rows in the block
        defer = self._defer if places is not None else None
        for k in sorted([*decoded, *inexact]):
            i, j = ii_l[k], jj_l[k]
            if defer is not None:
                defer.row = places[k]  # type: ignore[index]
            vals = decoded.get(k)
            if vals is None:
                vals = scalar(i, j)
            expr, recipe = made(i, j), how(i, j) if how is not None else None
            if self.add(level, expr, rtype, vals, c, recipe, trusted and k not in collided, specials.get(k)) and printed is not None:
                p = print_of.get(k) if vals is decoded.get(k) else None
                if p is None:
                    self._register(kept, level[rtype], c, rtype, before, printed, rows[printed_rows])
                    printed = None  # a row the scalar path built: `_fingerprinted` codes the rest later
                else:
                    printed.append(p)
                    printed_rows.append(k)
            if extensible:
                reps[k] = self.lookup(rtype, vals)
        if defer is not None:
            defer.row = None
        if printed:
            self._register(kept, level[rtype], c, rtype, before, printed, rows[printed_rows])
        dropped = len(at) - len(firsts) + len(known)
        budget.enumerated += dropped
        budget.pruned += dropped
        if dropping is not None and dropped:
            rep = at[d.rep]
            twins = np.flatnonzero(rep != at)
            if len(twins):
                rows_twin = at[twins]
                self._drop_rows(c, DroppedRows(dropping, ii[rows_twin], jj[rows_twin], rep[twins], reps))

    def _ifs_vector(self, level: dict, c: int, conds: list[Entry], typ: Type, thens: list[Entry], elses: list[Entry],
                    coded: tuple[vector.Coded, vector.Coded], ext: bool) -> None:
        """`if cond then a else b` for every condition and pair of branches, in one block of (cond, then) rows.

        Left row k stands for conds[k // len(thens)] with thens[k % len(thens)],
        so the rows come in the scalar loop's order (cond, then, else). One
        block for all the conditions, not one per condition: most blocks are
        small, and a block's fixed cost was most of the time they took.
        """
        a, b = coded
        n = len(thens)
        codes = vector.encode(vector.Kind("bool"), [cond.values for cond in conds]).rows  # Bool vectors are always coded
        left = vector.Coded(a.kind, a.rows[:0], np.tile(a.coded, len(conds)))  # _add_block reads the left side's `coded` only

        def made(i: int, j: int) -> ast.Expr:
            return ast.If(conds[i // n].expr, thens[i % n].expr, elses[j].expr)

        def how(i: int, j: int) -> tuple:
            return ("if", conds[i // n], thens[i % n], elses[j])

        def scalar(i: int, j: int) -> tuple:
            return choose(conds[i // n].values, thens[i % n].values, elses[j].values)

        step = self._slice(len(elses))
        total = n * len(conds)
        for s0 in range(0, total, step):
            s1 = min(total, s0 + step)
            parts = []
            for k in range(s0 // n, (s1 - 1) // n + 1):  # the conditions this slice of rows meets
                lo, hi = max(s0, k * n) - k * n, min(s1, (k + 1) * n) - k * n
                parts.append(vector.choose(codes[k], a.rows[lo:hi], b.rows))
            rows = parts[0] if len(parts) == 1 else np.concatenate(parts)
            exact = np.ones(len(rows), dtype=bool)
            self._add_block(level, c, a.kind, typ, rows, exact, (s0, s1), left, b, False, made, how if ext else None, scalar)

    def _prims_n(self, level: dict, c: int, op: str, arity: int, rest: int, ext: bool) -> None:
        """Primitives of three or more arguments (slice): every split of the cost, every typing."""
        for costs in _splits(rest, arity):
            levels = [self.at(k) for k in costs]
            for types in itertools.product(*[list(lvl) for lvl in levels]):
                r = self._typing(op, types)
                if r is None or not self._wanted(r[0]):
                    continue
                rtype, fn = r
                for args in itertools.product(*[lvl[t] for lvl, t in zip(levels, types)]):
                    expr = ast.Prim(op, tuple(a.expr for a in args))
                    self.add(level, expr, rtype, lift(fn, args), c, ("primn", fn, *args) if ext else None)

    def _ifs(self, level: dict, c: int) -> None:
        ext = self.extensible or self.keep_recipes
        vector_pairs = self.budget.settings.vector_pairs
        rest = c - self.grammar.weight("if")
        for c1 in range(1, rest - 1):
            conds = self.of_type(c1, BOOL)
            if not conds:
                continue
            negated = self._negated(c1, conds)
            for c2 in range(1, rest - c1):
                c3 = rest - c1 - c2
                lvl2, lvl3 = self.at(c2), self.at(c3)
                for typ, thens in list(lvl2.items()):
                    elses = lvl3.get(typ)
                    if not elses or not self._wanted(typ):
                        continue
                    coded = None
                    if (self.prune and vector_pairs is not None and len(conds) * len(thens) * len(elses) >= vector_pairs
                            and vector.coding(typ) is not None):
                        coded = self._coded_level(c2, typ, thens), self._coded_level(c3, typ, elses)
                        if coded[0] is None or coded[1] is None or coded[0].kind != coded[1].kind:
                            coded = None
                    varying = []  # the conditions left to build, in order
                    for k, cond in enumerate(conds):
                        cv = cond.values
                        if self.prune and not cond.special and (all(cv) or not any(cv)):
                            # A constant condition makes the if equal to one branch.
                            self._skip_ifs(c, len(thens) * len(elses), ("ifconst", cond))
                            continue
                        twin = negated.get(k)
                        if twin is not None and (twin.cheaper or c2 > c3 or (c2 == c3 and twin.first)):
                            # `if C then A else B` is `if D then B else A` for D = not C, built first
                            # (see `_negated`): the bank would drop this one as its twin.
                            self._skip_ifs(c, len(thens) * len(elses), ("ifnot", cond, twin.cond))
                            continue
                        if coded is not None:
                            varying.append(cond)
                            continue
                        for th in thens:
                            for el in elses:
                                vals = choose(cv, th.values, el.values)
                                self.add(level, ast.If(cond.expr, th.expr, el.expr), typ, vals, c,
                                         ("if", cond, th, el) if ext else None)
                    if varying:
                        # (both parts of `coded` are Coded: conditions are only set aside when it is)
                        self._ifs_vector(level, c, varying, typ, thens, elses, coded, ext)  # type: ignore[arg-type]

    def _negated(self, c1: int, conds: list[Entry]) -> dict[int, _Negation]:
        """For conditions of cost c1 (by position), the kept condition with the opposite value on every context.

        `if C then A else B` equals `if D then B else A` for such a D. Of the
        two ifs, the bank keeps the one it builds first and drops the other as
        a twin, so `_ifs` need not build that other one. The first built is
        the one with the cheaper condition; for conditions of one cost, the
        one with the cheaper then-branch (the loop over its cost runs upward);
        for branches of one cost too, the one whose condition comes first in
        the level. A condition that fails somewhere has no twin. Empty without
        pruning (nothing is dropped as a twin then) or Settings.twins.
        """
        out: dict[int, _Negation] = {}
        if not (self.prune and self.budget.settings.twins):
            return out
        place = {id(e): k for k, e in enumerate(conds)}
        for k, cond in enumerate(conds):
            if cond.special:
                continue
            other = self.lookup(BOOL, tuple(not v for v in cond.values))
            if other is not None and other.cost <= c1:
                out[k] = _Negation(other, other.cost < c1, other.cost == c1 and place[id(other)] < k)
        return out

    def _skip_ifs(self, c: int, skipped: int, recipe: tuple) -> None:
        """Count ifs not built because each is the twin of one built instead; an extensible bank remembers why."""
        self.budget.enumerated += skipped
        self.budget.pruned += skipped
        if self.extensible:  # (a bank keeping recipes only has nothing to split later)
            self._drop(c, recipe, None)


def _mirrored_first(grammar: Grammar, op: str) -> bool:
    """Whether every `a op b` has a twin `b m a` the bank builds first (m = _MIRRORS[op]): m cheaper, or as dear and earlier.

    A level's primitives are built in the grammar's order, so a mirror of
    the same weight listed first comes first.
    """
    mirror = _MIRRORS.get(op)
    if mirror is None or mirror not in grammar.prims:
        return False
    w, wm = grammar.weight(op), grammar.weight(mirror)
    return wm < w or (wm == w and grammar.prims.index(mirror) < grammar.prims.index(op))


def _applies(entry: Entry, op: str) -> bool:
    """Whether the entry's expression is `op` applied at its root."""
    expr = entry.expr
    return type(expr) is ast.Prim and expr.op == op


@dataclass(frozen=True)
class _Negation:
    """A condition's negation among the kept conditions (Bank._negated)."""

    cond: Entry
    cheaper: bool  # it costs less than the condition
    first: bool  # it costs the same and comes first in the level


def _splits(total: int, parts: int) -> list[tuple[int, ...]]:
    """Every way to write `total` as `parts` costs of at least 1, in order."""
    if parts == 1:
        return [(total,)] if total >= 1 else []
    return [(k, *rest) for k in range(1, total) for rest in _splits(total - k, parts - 1)]


def _literal(value: Value) -> ast.Expr:
    from dsl.groups import Elem

    if isinstance(value, bool):
        return ast.BoolLit(value)
    if isinstance(value, int):
        return ast.IntLit(value)
    if isinstance(value, Elem):
        return ast.ElemLit(value)
    if isinstance(value, str):
        return ast.SymLit(value)
    raise TypeError(f"no literal for {value!r}")


def per_member(top: Bank, src: Entry, var: str) -> tuple[Bank, list[dict], list[tuple[int, int]]]:
    """A bank over one context per member of `src` in every example, `var` bound to the member.

    `slices[i]` is the range of contexts that belong to example i. Loop
    bodies and rule keys are enumerated in such banks.
    """
    env = dict(top.env_types)
    env[var] = src.type.item  # type: ignore[attr-defined]
    contexts: list[dict] = []
    slices: list[tuple[int, int]] = []
    for ctx, members in zip(top.contexts, src.values):
        start = len(contexts)
        for m in members:
            sub = dict(ctx)
            sub[var] = m
            contexts.append(sub)
        slices.append((start, len(contexts)))
    bank = Bank(env, contexts, top.grammar, top.budget, prune=top.prune, operators=top.operators, depth=top.depth - 1)
    return bank, contexts, slices
