"""The search's two non-values: ERROR (the program fails here) and UNKNOWN (nothing can be said yet)."""

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
