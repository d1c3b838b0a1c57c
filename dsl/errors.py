"""Errors a user can cause, each rendered as one clear message.

Every mistake a user can make (bad file, bad syntax, ill-typed program, a
runtime failure such as a cycle) is a `UserError`. The command line turns it
into a message on stderr and exit status 2; nothing else is shown.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Pos:
    """A source position, 1-based, as Lark reports it."""

    line: int
    column: int
    end_line: int | None = None
    end_column: int | None = None

    def __str__(self) -> str:
        return f"{self.line}:{self.column}"


def json_repr(obj: Any, limit: int = 60) -> str:
    """A value read from JSON as the user wrote it (true, null, "x", [1, 2]), not as Python prints it; cut if long."""
    try:
        text = json.dumps(obj, ensure_ascii=False)
    except (TypeError, ValueError):  # not a JSON value after all (a tuple key, NaN): Python's spelling is all there is
        text = repr(obj)
    return text if len(text) <= limit else text[: limit - 3] + "..."


class UserError(Exception):
    """A mistake in the user's input; `str(err)` is the whole message."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        pos: Pos | None = None,
        detail: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.pos = pos
        self.detail = detail

    def located(self, file: str) -> "UserError":
        """The same error, naming `file` (keeps the class)."""
        if self.file is None:
            self.file = file
        return self

    def __str__(self) -> str:
        where = ""
        if self.file is not None:
            where = self.file + (f":{self.pos}" if self.pos else "") + ": "
        elif self.pos is not None:
            where = f"{self.pos}: "
        text = where + self.message
        if self.detail:
            text += "\n" + self.detail
        return text


class DslSyntaxError(UserError):
    """The program text does not parse."""


class DslTypeError(UserError):
    """The program parses but is ill-typed."""


class DslRuntimeError(UserError):
    """Evaluation failed: index out of range, undefined key, group mismatch, ..."""


class FuelExhausted(DslRuntimeError):
    """Evaluation ran past its step budget; every evaluation is bounded."""


class MemoryExhausted(DslRuntimeError):
    """Evaluation allocated more list/record elements than its memory budget allows."""


class CycleError(DslRuntimeError):
    """A recursive rule depends on itself."""


class UndefinedKey(DslRuntimeError):
    """A lookup of a key that no member of the relation defines."""


class DuplicateKey(DslRuntimeError):
    """Two members of a relation define the same key."""
