"""The search's non-values: ERROR (the program fails here), UNKNOWN (nothing can be said yet) and ANY (a goal asks nothing).

With the tests for them in a vector of values (`has_special`, `first_special`).
"""

from __future__ import annotations

from typing import Sequence


class Special:
    """A value that is not a DSL value: ERROR or UNKNOWN."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name.upper()


ERROR = Special("error")
UNKNOWN = Special("unknown")

SPECIAL_TYPES = frozenset({Special})


def has_special(values: Sequence) -> bool:
    return not SPECIAL_TYPES.isdisjoint(map(type, values))


def first_special(values: Sequence) -> Special | None:
    """ERROR if any value is ERROR, else UNKNOWN if any is, else None."""
    found = None
    for v in values:
        if type(v) is Special:
            if v is ERROR:
                return ERROR
            found = UNKNOWN
    return found


class _Any:
    """The value of a partial goal on an example it asks nothing about (another branch of an `if` covers it)."""

    def __repr__(self) -> str:
        return "ANY"


ANY = _Any()
