"""The search's non-values: ERROR (the program fails here), UNKNOWN (nothing can be said yet) and ANY (a goal asks nothing)."""

from __future__ import annotations


class Special:
    """A value that is not a DSL value: ERROR or UNKNOWN."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name.upper()


ERROR = Special("error")
UNKNOWN = Special("unknown")


class _Any:
    """The value of a partial goal on an example it asks nothing about (another branch of an `if` covers it)."""

    def __repr__(self) -> str:
        return "ANY"


ANY = _Any()
