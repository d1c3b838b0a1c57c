"""One kept expression of a bank: `Entry`, its type, cost, values and recipe.

A module of its own because the bank, its lifted semantics (`semantics`)
and its recipes (`recipes`) all read entries, and the bank imports the other two.
"""

from __future__ import annotations

from dsl import ast
from dsl.types import Type


class Entry:
    """One kept expression: its type, cost and values on the bank's contexts.

    `special` says some value is ERROR or UNKNOWN. A plain slotted class,
    not a dataclass: millions are made, and building a frozen dataclass was
    a measurable share of the search.
    """

    __slots__ = ("expr", "type", "cost", "values", "special", "recipe")

    def __init__(self, expr: ast.Expr, type: Type, cost: int, values: tuple, special: bool = False,
                 recipe: tuple | None = None) -> None:
        self.expr = expr
        self.type = type
        self.cost = cost
        self.values = values
        self.special = special
        # How to compute the values on new contexts from the parts' values
        # (kept only in an extensible bank or one keeping recipes; see recipes.py).
        self.recipe = recipe

    def __repr__(self) -> str:
        return f"Entry({self.expr!r}, cost={self.cost})"
