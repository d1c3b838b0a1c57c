"""The `bisect i in LO .. HI: BODY` loop form on the search side: its body deduced from the result.

A binary search is a walk down a fixed tree: from LO and HI, the result
alone says which way every probe went. To end on r, the search probes the
midpoints on the way to r, and BODY must hold at each probe m <= r and fail
at each m > r (`probes`). So, as for a comprehension's or a scan's body
(deduce.py), a wanted Int output becomes BODY's own examples, one per probe,
and BODY is searched directly (`deduce.GrownExamples`), never enumerated and
run as a whole loop.

The bounds come from the top bank: LO a leaf (a literal or an input), HI any
Int expression up to Settings.bisect_bound_cost whose values allow each wanted
result (LO - 1 <= r <= HI). A bound that is not a leaf is bound by `let` so
that BODY may compare the probe with it:
`let n = from_bits(reverse(xs)) in bisect i in 0 .. n: i * i <= n`.
BODY's bank holds the probe, the bound and the task's Int inputs, with the
core primitives on numbers and truth values: a predicate of the probe against the range, as binary
searches are. (A body over the task's lists is not searched for: its bank
would be rebuilt for every pair of bounds, and there are hundreds.)
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Iterator

from dsl import ast
from dsl.prims import CORE_PRIMS
from dsl.types import BOOL, INT, IntT
from dsl.values import Value
from synth.search.bank import Bank
from synth.search.deduce import GrownExamples
from synth.search.entry import Entry
from synth.search.loops import fresh_name


def probes(lo: int, hi: int, result: int) -> tuple[tuple[int, bool], ...] | None:
    """The points `bisect` over lo..hi probes to return `result`, each with what the body must say there.

    None when no body makes it return `result`: it returns a number in lo - 1 .. hi, and hi, probing nothing,
    when lo > hi.
    """
    if lo > hi:
        return () if result == hi else None
    if not lo - 1 <= result <= hi:
        return None
    out = []
    while lo <= hi:
        m = (lo + hi) // 2
        holds = m <= result
        out.append((m, holds))
        if holds:
            lo = m + 1
        else:
            hi = m - 1
    return tuple(out)


@dataclass(frozen=True)
class BodySearch:
    """The body search of one pair of bounds: its deduced examples, and the names it binds."""

    examples: GrownExamples
    var: str  # the probe's
    bound: str | None  # HI's, bound by `let` (None: HI is a leaf, in the range as it is)


class BisectBodies:
    """`bisect` programs for one search's goals: a body search per (goal, LO, HI), kept across costs."""

    def __init__(self, top: Bank) -> None:
        self.top = top
        self.settings = top.budget.settings
        # Numbers and truth values only: the body has no list to read, and `range` of a probe would build one.
        self.grammar = replace(top.grammar, prims=tuple(p for p in top.grammar.prims if p in CORE_PRIMS and p not in ("len", "range")))
        self.scalars = {name: t for name, t in top.env_types.items() if isinstance(t, IntT)}
        self._searches: dict[tuple[tuple, ast.Expr, ast.Expr], BodySearch | None] = {}
        self._found: dict[tuple[tuple, int], list[ast.Expr]] = {}

    def held(self) -> int:
        """Values held by the body banks, released when this is dropped."""
        return sum(b.examples.bank.stored for b in self._searches.values() if b is not None)

    def programs(self, want: tuple[int, ...], cost: int) -> list[ast.Expr]:
        """`bisect` programs of exactly this cost whose value on each search example is `want`'s (asked once per cost)."""
        key = (want, cost)
        hit = self._found.get(key)
        if hit is None:
            hit = self._found[key] = list(self._programs(want, cost))
        return hit

    def _programs(self, want: tuple[int, ...], cost: int) -> Iterator[ast.Expr]:
        g = self.grammar
        rest = cost - g.weight("bisect")
        built = len(self.top.levels) - 1
        for lo in self._ints(1):
            for hc in range(1, min(self.settings.bisect_bound_cost, built) + 1):
                # A leaf HI sits in the range as it is; a dearer one is bound by `let` and read as a variable.
                body_cost = rest - lo.cost - hc - (0 if hc == 1 else g.weight("let") + g.weight("var"))
                if not 1 <= body_cost <= self.settings.bisect_body_cost:
                    continue
                for hi in self._ints(hc):
                    search = self._search(want, lo, hi)
                    if search is None:
                        continue
                    for body in search.examples.bodies(body_cost, BOOL):
                        if search.bound is None:
                            yield ast.Bisect(search.var, lo.expr, hi.expr, body.expr)
                        else:
                            yield ast.Let(search.bound, hi.expr, ast.Bisect(search.var, lo.expr, ast.Var(search.bound), body.expr))
                    if body_cost == self.settings.bisect_body_cost:  # asked for the last time: its bank goes
                        self.top.budget.stored_values -= search.examples.bank.stored
                        self._searches[(want, lo.expr, hi.expr)] = None

    def _ints(self, cost: int) -> list[Entry]:
        return [e for e in self.top.levels[cost].get(INT, ()) if not e.special] if cost < len(self.top.levels) else []

    def _search(self, want: tuple[int, ...], lo: Entry, hi: Entry) -> BodySearch | None:
        """The body search for these bounds (None if they cannot give `want`), made once."""
        key = (want, lo.expr, hi.expr)
        if key in self._searches:
            return self._searches[key]
        self._searches[key] = None
        contexts: list[dict[str, Value]] = []
        examples: list[int] = []
        labels: list[bool] = []
        taken = dict(self.top.env_types)  # no input is shadowed, list or not
        bound = None if hi.cost == 1 else fresh_name("n", taken)
        if bound is not None:
            taken[bound] = INT
        var = fresh_name("i", taken)
        for e, (ctx, a, b, r) in enumerate(zip(self.top.contexts, lo.values, hi.values, want)):
            walk = probes(a, b, r)
            if walk is None:
                return None
            for m, holds in reversed(walk):  # the probes nearest the result first: they say the most (GrownExamples)
                c = {name: ctx[name] for name in self.scalars}
                if bound is not None:
                    c[bound] = b
                c[var] = m
                contexts.append(c)
                examples.append(e)
                labels.append(holds)
        if not contexts:  # every range empty: any body would do, and none is wanted
            return None
        said: dict[tuple, bool] = {}
        for c, holds in zip(contexts, labels):
            if said.setdefault(tuple(c.values()), holds) != holds:
                return None  # one probe and bound, two answers: no body of them says both
        env = dict(self.scalars)
        if bound is not None:
            env[bound] = INT
        env[var] = INT
        first = self.settings.deduce_contexts or len(contexts)
        search = self._searches[key] = BodySearch(
            GrownExamples(self.top, env, contexts, examples, tuple(labels), first, grammar=self.grammar), var, bound)
        return search
