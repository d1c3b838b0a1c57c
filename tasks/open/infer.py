"""DSL types of JSON values, for open task files without a signature.

The rules, in the order they are tried:
- true / false is Bool (before Int: JSON booleans are not numbers here);
- an integer is Int; a fraction, null, or a number written with an exponent is refused;
- a string that reads as a group element, GROUP:NAME for a group the DSL
  knows (Z<n> such as "Z5:3", "S3:(012)", "D4:r1"), is Elem; a string
  written like one - a known group's name, a colon, then a name shaped as
  that group's elements (an integer for Z<n>; parenthesised digits for S3;
  e, r<digits>, s<digits> for D4) - that names none of them ("S3:(0123)",
  "D4:r5", "Z5:7") is refused as a misspelt element (a signature that
  declares Sym keeps it a symbol); any other string is Sym ("D4:D10",
  "S3:S9", "A1:B2");
- a list is List[T], T the one type of all its items; an empty list takes its
  item type from the other examples (List[?] until then);
- an object is a record {field: T, ...}; two objects are one record type when
  they have the same fields (in any order) of the same types.
Maps (Map[K, V]) are never inferred: give a signature to read an object as one.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache

from dsl.errors import UserError, json_repr
from dsl.files import shorten
from dsl.groups import get_group, is_group_name
from dsl.parse import KEYWORDS
from dsl.types import BOOL, ELEM, INT, SYM, ListT, RecordT, Type

NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class Unknown(Type):
    """The item type of a list seen empty so far."""

    def __str__(self) -> str:
        return "?"


UNKNOWN = Unknown()


class BadValue(UserError):
    """A JSON value with no DSL type; `at` is where inside the value (list indices, record fields), for the message's column."""

    def __init__(self, message: str, at: tuple[str | int, ...] = ()) -> None:
        super().__init__(message)
        self.at = at


class Mismatch(Exception):
    """Two values that should have one type do not; the message says which types."""


def check_name(name: str, what: str) -> None:
    """A UserError unless `name` can be written in a program (an input or a record field)."""
    if not NAME.fullmatch(name) or name in KEYWORDS:
        raise UserError(f"{what} {json_repr(name)} is not a DSL name (letters, digits and _, not starting with a digit, not a keyword)")


_CYCLIC = re.compile(r"Z[1-9][0-9]*")
_NUMBER = re.compile(r"[+-]?[0-9]+")


@lru_cache(maxsize=None)
def _spelling(group_name: str) -> re.Pattern[str]:
    """How the elements of a group with a table are written: its names with each run of digits free ("(012)" -> "(0123)" too)."""
    shapes = {re.sub("[0-9]+", "[0-9]+", re.escape(name)) for name in get_group(group_name).all_names()}
    return re.compile("|".join(sorted(shapes)))


def _looks_like_element(group: str, name: str) -> bool:
    """Whether `name` is written the way `group`'s elements are: an integer (or e) for Z<n>, the table's name shapes otherwise."""
    if _CYCLIC.fullmatch(group):
        return name == "e" or _NUMBER.fullmatch(name) is not None
    return _spelling(group).fullmatch(name) is not None


def is_elem(text: str) -> bool:
    """Whether `text` is a group element; BadValue if it is written as one (a group's name, a colon, an element's shape) but is none.

    Only a string that looks like an element of its group is taken for a
    misspelt one ("S3:(0123)", "D4:r5", "Z5:7"); "D4:D10", "S3:S9" or "A1:B2"
    (spreadsheet ranges) are symbols.
    """
    group, sep, name = text.partition(":")
    if not sep or not is_group_name(group) or not _looks_like_element(group, name):
        return False
    try:
        found = get_group(group)
    except UserError as err:  # Z<n> beyond the DSL's cyclic groups
        raise BadValue(f"{shorten(json.dumps(text), 60)} reads as an element of {group}, but {err.message}; {_KEEP_SYM}") from None
    try:
        found.element(name)
    except UserError as err:
        raise BadValue(
            f"{shorten(json.dumps(text), 60)} starts with the group {group} but is not one of its elements ({err.message}); "
            f"correct it, or {_KEEP_SYM}"
        ) from None
    return True


_KEEP_SYM = 'give a "signature" that declares this value Sym to keep such strings symbols'


def infer_type(obj: object) -> Type:
    """The DSL type of a JSON value (List[?] inside for empty lists); UserError if it has none."""
    if isinstance(obj, bool):
        return BOOL
    if isinstance(obj, int):
        return INT
    if isinstance(obj, str):
        return ELEM if is_elem(obj) else SYM
    if isinstance(obj, list):
        item: Type = UNKNOWN
        for i, x in enumerate(obj):
            t = _inside(i, x)
            try:
                item = unify(item, t)
            except Mismatch:
                raise UserError(f"a list mixes {item} and {t} (item {i + 1}: {shorten(json.dumps(x), 60)}); a list holds one type") from None
        return ListT(item)
    if isinstance(obj, dict):
        for k in obj:
            check_name(k, "the field")
        return RecordT(tuple((k, _inside(k, v)) for k, v in obj.items()))
    if obj is None:
        raise UserError("null is not a DSL value")
    raise UserError(f"{shorten(json.dumps(obj), 60)} is not an integer: the DSL's numbers are integers")


def _inside(key: str | int, value: object) -> Type:
    """`infer_type` of an item or field, a BadValue in it located under `key`."""
    try:
        return infer_type(value)
    except BadValue as err:
        raise BadValue(err.message, (key, *err.at)) from None


def unify(a: Type, b: Type) -> Type:
    """The one type both are (an unknown list item takes the other's); Mismatch if there is none."""
    if isinstance(a, Unknown):
        return b
    if isinstance(b, Unknown) or a == b:
        return a
    if isinstance(a, ListT) and isinstance(b, ListT):
        return ListT(unify(a.item, b.item))
    if isinstance(a, RecordT) and isinstance(b, RecordT) and set(a.names) == set(b.names):
        return RecordT(tuple((n, unify(t, b.field_type(n) or t)) for n, t in a.fields))
    raise Mismatch(f"{a} and {b}")


def is_complete(t: Type) -> bool:
    """False while an always-empty list leaves an item type unknown."""
    if isinstance(t, Unknown):
        return False
    if isinstance(t, ListT):
        return is_complete(t.item)
    if isinstance(t, RecordT):
        return all(is_complete(f) for _, f in t.fields)
    return True
