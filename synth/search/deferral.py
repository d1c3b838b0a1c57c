"""A level's rows left unbuilt until asked for: those whose values leave a fold's state domain (`Bank.inside`).

A fold over a finite state domain tries first the bodies whose every value
lies in the domain (rootloops: they are the finite automaton's transition
functions), and it stops at the first body that fits. So a body bank can
build a level's entries of the state type in two passes: the rows inside the
domain now, the rest only if the search reads past them. On the bundled
cycle_navigation, the answer is the 1,543rd of 1,830 bodies inside the domain
at cost 7, of 37,630 bodies of that cost.

The rows waiting hold at most Settings.inside_first values (their int64
codes); past that they are built at once, in order, and the pass goes on
in one piece.

Nothing is lost by the split. A row inside the domain never holds the values
of a row outside it, so each pass keeps and drops exactly the rows one pass
would keep and drop, with the same representatives. Every kept entry
remembers its place in one pass's order (`places`), and the level is put back
in that order when the second pass is done. A bank built in two passes equals
one built in one pass, entry for entry. Only the moment the second pass's
values are counted differs: were a cap crossed meanwhile, it would cut the
search elsewhere, so a level waits only while the banks are far from their
caps (Settings.inside_share).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from dsl import ast
from dsl.types import Type
from dsl.values import Value
from synth.search import vector
from synth.search.entry import Entry


@dataclass(frozen=True, eq=False)
class LaterRows:
    """The rows of one vector block left for the second pass, as `Bank._add_rows` takes them."""

    kind: vector.Kind
    rows: np.ndarray  # their codes
    exact: np.ndarray  # per row: coded exactly (else `scalar` gives its values, computed in the first pass)
    left: np.ndarray  # row k is made of left entry left[k] and right entry right[k] of the block
    right: np.ndarray
    made: Callable[[int, int], ast.Expr]
    how: Callable[[int, int], tuple] | None
    scalar: Callable[[int, int], tuple]
    places: list[int]  # each row's place in one pass's order
    block: int  # the block the rows belong to (a level's types are ordered by their first block)


@dataclass(frozen=True, eq=False)
class LaterAdd:
    """One candidate handed to `Bank.add` by a scalar path, left for the second pass."""

    expr: ast.Expr
    values: tuple
    recipe: tuple | None
    place: int
    block: int


class Deferral:
    """The rows of one level and type left for later, and the place of every entry of the type kept meanwhile.

    Not frozen: it follows the bank's passes as they go. `row` is the place
    of the row `Bank.add` is handed now, set by a vector block; a row of its
    own (a scalar path) gets the next free place when it is kept.
    """

    def __init__(self, typ: Type, domain: frozenset[Value], limit: int) -> None:
        self.type = typ
        self.domain = domain
        self.limit = limit  # values the waiting rows may hold (Settings.inside_first)
        self.open = True  # False once the waiting rows were built: none waits any more
        self.waiting = 0  # values the waiting rows hold
        self.places: list[int] = []  # place of each kept entry of the type, in the level's list order
        self.later: list[LaterRows | LaterAdd] = []  # in one pass's order
        self.row: int | None = None
        self.inside: list[Entry] = []  # after the first pass: the level's entries of the type, all inside the domain
        self.first_block: int | None = None  # the block of the entry placed first
        self._next = 0
        self._least: int | None = None
        self._codes: dict[vector.Kind, np.ndarray | None] = {}

    def reserve(self, n: int) -> int:
        """The first of n consecutive places for the rows of a block, in one pass's order."""
        base = self._next
        self._next += n
        return base

    def wait(self, later: LaterRows | LaterAdd, values: int) -> bool:
        """Leave these rows for the second pass; whether the rows waiting now hold more values than the limit."""
        self.later.append(later)
        self.waiting += values
        return self.waiting > self.limit

    def kept(self, block: int) -> None:
        """An entry of the type joined the level (at the end of its list)."""
        place = self.row if self.row is not None else self.reserve(1)
        self.places.append(place)
        if self._least is None or place < self._least:
            self._least, self.first_block = place, block

    def holds(self, kind: vector.Kind, rows: np.ndarray) -> np.ndarray:
        """Per row of codes, whether each value lies in the domain (read off the codes where the domain has some)."""
        if kind not in self._codes:
            coded = vector.encode(kind, [tuple(self.domain)])
            self._codes[kind] = np.unique(coded.rows[0]) if coded.coded[0] else None
        codes = self._codes[kind]
        if codes is None:  # a domain value past int64 or of another group: by the values
            return np.array([self.holds_values(v) for v in vector.decode(kind, rows)], dtype=bool)
        if len(codes) and codes[-1] - codes[0] == len(codes) - 1:  # a span of codes (0..k, a group's elements): two compares
            return np.asarray(((rows >= codes[0]) & (rows <= codes[-1])).all(axis=1))
        return np.asarray(np.isin(rows, codes).all(axis=1))

    def holds_values(self, values: tuple) -> bool:
        """Whether every value lies in the domain (ERROR and UNKNOWN lie in none)."""
        return all(map(self.domain.__contains__, values))

    def reorder(self, entries: list[Entry], first: dict[Type, int]) -> None:
        """Put the level's entries of the type (`places` parallel to them) in one pass's order, in place."""
        order = sorted(range(len(entries)), key=self.places.__getitem__)
        entries[:] = [entries[k] for k in order]
        self.places = [self.places[k] for k in order]
        if self.first_block is not None:
            first[self.type] = self.first_block
