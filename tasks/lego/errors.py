"""Errors in LEGO data, located by file, line and clause.

Researchers run `synth validate` on datasets of millions of lines; an error
that names only the file is useless there, so every error about a sentence
carries the line (1-based) and the clause number (1-based, in written order).
"""

from __future__ import annotations

from dsl.errors import UserError, json_repr

KeyPath = tuple[str | int, ...]


class LegoDataError(UserError):
    """A bad sentence or record; `str()` reads `file:line:column: train record r: clause k: message` (each part where known)."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        clause: int | None = None,
        kind: str = "invalid",
        column: int | None = None,
        key: str | KeyPath | None = None,
        where: str | None = None,
    ) -> None:
        super().__init__(message, file=file)
        self.line = line
        self.column = column  # 1-based, where the error is about one spot of a JSON line (an unknown key)
        self.clause = clause  # 1-based clause number within the sentence
        self.kind = kind  # short machine-readable tag: undefined, duplicate, cycle, ...
        self.key: KeyPath | None = (key,) if isinstance(key, str) else key  # the value in the record it is about, for the reader to locate
        self.where = where  # which record of a task file: "train record 3"

    def at(self, *, file: str | None = None, line: int | None = None, column: int | None = None) -> "LegoDataError":
        """The same error, with a file, line and column filled in where still missing."""
        if self.file is None and file is not None:
            self.file = file
        if self.line is None and line is not None:
            self.line = line
            if self.column is None:
                self.column = column
        return self

    def about(self, *key: str | int) -> "LegoDataError":
        """The same error, about the value at `key` within the record (unless it already names a deeper one)."""
        if self.key is None:
            self.key = key
        return self

    def __str__(self) -> str:
        parts = []
        line = None if self.line is None else f"{self.line}" + (f":{self.column}" if self.column is not None else "")
        if self.file is not None:
            parts.append(self.file + (f":{line}" if line is not None else ""))
        elif line is not None:
            parts.append(f"line {line}")
        if self.where is not None:
            parts.append(self.where)
        if self.clause is not None:
            parts.append(f"clause {self.clause}")
        parts.append(self.message)
        return ": ".join(parts)


def quoted(value: object, limit: int = 60) -> str:
    """A name, clause or value as shown in a message: spelled as in JSON ("x", null), cut if long (lines may be 200,000 characters)."""
    if isinstance(value, str) and len(value) > limit:
        return json_repr(value[:limit], limit + 2) + f"... ({len(value):,} characters)"
    return json_repr(value.strip() if isinstance(value, str) else value, limit + 5)
