"""Where each value of a JSON document starts, so an error can name its line.

`json` forgets positions once it has parsed; a task file's errors must say
on which line the offending example is. `value_positions` scans text that
`dsl.files.loads_json` has already accepted and returns the line and column
of every value down to `depth` levels: ("train", 2) is the third training
example, ("train", 2, "input", "xs") its input xs, ("signature",) the
signature. Deeper values are skipped by bracket counting, so the scan is
linear and never recurses more than `depth` levels.
"""

from __future__ import annotations

import bisect
import difflib
import json
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from dsl.errors import Pos, UserError
from dsl.files import shorten

Path = tuple[str | int, ...]
WHITESPACE = " \t\r\n"


def value_positions(text: str, depth: int = 4) -> dict[Path, Pos]:
    """Path -> Pos (1-based line and column) of each value down to `depth` levels; () is the document."""
    starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
    out: dict[Path, Pos] = {}

    def pos(i: int) -> Pos:
        line = bisect.bisect_right(starts, i)
        return Pos(line, i - starts[line - 1] + 1)

    def skip_ws(i: int) -> int:
        while i < len(text) and text[i] in WHITESPACE:
            i += 1
        return i

    def string_end(i: int) -> int:
        i += 1
        while text[i] != '"':
            i += 2 if text[i] == "\\" else 1
        return i + 1

    def skip_value(i: int) -> int:
        if text[i] == '"':
            return string_end(i)
        if text[i] not in "[{":
            while i < len(text) and text[i] not in ",]}" + WHITESPACE:
                i += 1
            return i
        level = 0
        while True:
            ch = text[i]
            if ch == '"':
                i = string_end(i)
                continue
            if ch in "[{":
                level += 1
            elif ch in "]}":
                level -= 1
                if level == 0:
                    return i + 1
            i += 1

    def value(i: int, path: Path) -> int:
        i = skip_ws(i)
        out[path] = pos(i)
        opening = text[i]
        if len(path) >= depth or opening not in "[{":
            return skip_value(i)
        closing = "]" if opening == "[" else "}"
        i = skip_ws(i + 1)
        index = 0
        while text[i] != closing:
            if opening == "{":
                end = string_end(i)
                key: str | int = json.loads(text[i:end])
                i = skip_ws(end) + 1  # past the colon
            else:
                key = index
                index += 1
            i = skip_ws(value(i, path + (key,)))
            if text[i] == ",":
                i = skip_ws(i + 1)
        return i + 1

    value(0, ())
    return out


@dataclass(frozen=True)
class JsonFile:
    """A parsed JSON task file with the positions of its values, for errors that name a line."""

    path: str
    text: str
    document: Mapping[str, Any]
    positions: Mapping[Path, Pos]

    @classmethod
    def of(cls, path: str, text: str, document: Mapping[str, Any]) -> JsonFile:
        return cls(path, text, document, value_positions(text))

    def pos(self, at: Path) -> Pos | None:
        """The position of the value at `at`, or of its nearest ancestor that was located."""
        for k in range(len(at), -1, -1):
            if at[:k] in self.positions:
                return self.positions[at[:k]]
        return None

    def error(self, message: str, at: Path = ()) -> UserError:
        """A UserError at the line of `at`; under an example (("train", i), ...) it shows that example."""
        detail = None
        if len(at) >= 2 and isinstance(at[1], int):
            split, i = at[0], at[1]
            items = self.document.get(str(split))
            if isinstance(items, list) and i < len(items):
                detail = "  " + shorten(json.dumps(items[i]))
        return UserError(message, file=self.path, pos=self.pos(at), detail=detail)


def where(at: Path) -> str:
    """An example's path in words: ("train", 2) -> "train example 3"."""
    if len(at) >= 2 and isinstance(at[1], int):
        return f"{at[0]} example {at[1] + 1}"
    return ".".join(str(p) for p in at) or "the file"


def unknown_key(key: str, known: Sequence[str], what: str) -> str:
    """The message for a key a file does not have: what has which keys, and the closest one if it looks like a typo."""
    close = difflib.get_close_matches(key, known, n=1)
    hint = f'; did you mean "{close[0]}"?' if close else ""
    return f'unknown key "{shorten(key, 60)}" ({what} has {", ".join(known)}){hint}'
