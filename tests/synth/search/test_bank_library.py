"""Exact enumeration with library primitives, a three-argument one and a weight included, against an independent count."""

from __future__ import annotations

from functools import cache

from dsl.types import INT, ListT
from synth.search.bank import Bank, Budget
from synth.search.grammar import Grammar

# xs: List[Int], n: Int; head, reverse, take (weight 1), slice (weight 2); xs[i] indexing.
LIST = ListT(INT)
ENV = {"xs": LIST, "n": INT}
CONTEXTS = [{"xs": (3, 1, 2), "n": 1}, {"xs": (), "n": 0}, {"xs": (5,), "n": -2}]
GRAMMAR = Grammar(prims=("head", "reverse", "take", "slice"), constants=(), weights=(("slice", 2),), loops=())


@cache
def count(typ: str, cost: int) -> int:
    """Well-typed expressions of this cost, counted from the productions alone."""
    if cost < 1:
        return 0
    total = 1 if cost == 1 else 0  # the variable of that type
    pairs = sum(count("L", a) * count("I", cost - 1 - a) for a in range(1, cost - 1))
    if typ == "I":
        total += count("L", cost - 1)  # head(L)
        total += pairs  # L[I]
    else:
        total += count("L", cost - 1)  # reverse(L)
        total += pairs  # take(L, I)
        rest = cost - 2  # slice(L, I, I) at weight 2
        total += sum(
            count("L", a) * count("I", b) * count("I", rest - a - b)
            for a in range(1, rest) for b in range(1, rest - a)
        )
    return total


def test_unpruned_enumeration_with_library_primitives_matches_the_count() -> None:
    bank = Bank(ENV, CONTEXTS, GRAMMAR, Budget(), prune=False)
    for cost in range(1, 9):
        level = bank.at(cost)
        assert len(level.get(INT, [])) == count("I", cost), cost
        assert len(level.get(LIST, [])) == count("L", cost), cost
    assert count("L", 8) > 100  # the count is not trivially small
