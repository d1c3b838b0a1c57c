"""Runtime values and their JSON form.

Values are plain Python where that is exact and fast (int, bool, str for Sym,
tuple for List), and frozen dataclasses otherwise (`Elem`, `Record`,
`MapValue`). JSON decoding is directed by the declared type, so user input is
checked, never evaluated.
"""

from __future__ import annotations

import numbers
import re
from dataclasses import dataclass
from typing import Any, Collection, Iterator, Mapping, Union

from dsl.errors import UserError, json_repr
from dsl.files import JSON_LIMITS
from dsl.groups import Elem, parse_elem
from dsl.limits import MAX_INT_BITS
from dsl.types import (
    BoolT,
    ElemT,
    IntT,
    ListT,
    MapT,
    RecordT,
    SymT,
    Type,
)


@dataclass(frozen=True)
class Record:
    """A record value; `values` follow the field order of its RecordT.

    Its hash is computed once: the synthesizer hashes vectors of records (a
    LEGO sentence's clauses, lists of them) by the thousand, and rehashing
    every field each time was a measurable share of its search.
    """

    names: tuple[str, ...]
    values: tuple["Value", ...]

    def __hash__(self) -> int:
        # Kept in the instance's dict, not a field: a field would cost every record built a third assignment.
        cached = self.__dict__.get("_hash")
        if cached is None:
            cached = self.__dict__["_hash"] = hash((self.names, self.values))
        return cached

    def __reduce__(self) -> tuple:
        # Rebuilt from the fields: a string's hash differs from one process to the next, so the cache must not travel.
        return (Record, (self.names, self.values))

    def __getitem__(self, name: str) -> "Value":
        return self.values[self.names.index(name)]

    def as_dict(self) -> dict[str, "Value"]:
        return dict(zip(self.names, self.values))


@dataclass(frozen=True, eq=False)
class MapValue(Mapping):
    """An immutable finite map (the result of a recursive rule)."""

    items_: dict

    def __getitem__(self, key: Any) -> "Value":
        return self.items_[key]

    def __iter__(self) -> Iterator:
        return iter(self.items_)

    def __len__(self) -> int:
        return len(self.items_)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, MapValue) and self.items_ == other.items_

    def __hash__(self) -> int:
        return hash(frozenset(self.items_.items()))

    def __repr__(self) -> str:
        return "MapValue(" + repr(self.items_) + ")"


Value = Union[int, bool, str, Elem, tuple, Record, MapValue]


class JsonValueError(UserError):
    """A JSON value that is not of the type wanted; `at` is the bad part's path inside the value decoded
    (list indices, field names, map keys), so a reader holding the JSON text can name its line."""

    def __init__(self, message: str, at: tuple[str | int, ...] = ()) -> None:
        super().__init__(message)
        self.at = at


def from_json(obj: Any, typ: Type, where: str = "input") -> Value:
    """Decode a JSON value as a value of `typ`; a mismatch is a JsonValueError naming `where` and saying where inside."""
    return _from_json(obj, typ, where, ())


def _from_json(obj: Any, typ: Type, where: str, at: tuple[str | int, ...]) -> Value:
    if isinstance(typ, IntT):
        if isinstance(obj, bool) or not isinstance(obj, int):
            raise JsonValueError(f"{where}: expected an integer, got {json_repr(obj)}", at)
        return obj
    if isinstance(typ, BoolT):
        if not isinstance(obj, bool):
            raise JsonValueError(f"{where}: expected true or false, got {json_repr(obj)}", at)
        return obj
    if isinstance(typ, SymT):
        if not isinstance(obj, str):
            raise JsonValueError(f"{where}: expected a variable name (string), got {json_repr(obj)}", at)
        return obj
    if isinstance(typ, ElemT):
        if not isinstance(obj, str):
            raise JsonValueError(f"{where}: expected a group element such as \"Z2:1\", got {json_repr(obj)}", at)
        try:
            return parse_elem(obj)
        except UserError as err:
            raise JsonValueError(f"{where}: {err.message}", at) from None
    if isinstance(typ, ListT):
        if not isinstance(obj, list):
            raise JsonValueError(f"{where}: expected a list, got {json_repr(obj)}", at)
        return tuple(_from_json(x, typ.item, f"{where}[{i}]", (*at, i)) for i, x in enumerate(obj))
    if isinstance(typ, RecordT):
        if not isinstance(obj, dict):
            raise JsonValueError(f"{where}: expected an object with fields {', '.join(typ.names)}, got {json_repr(obj)}", at)
        missing = [n for n in typ.names if n not in obj]
        extra = [k for k in obj if typ.field_type(k) is None]
        if missing or extra:
            parts = []
            if missing:
                parts.append("missing field(s) " + ", ".join(missing))
            if extra:
                parts.append("unknown field(s) " + ", ".join(extra))
            raise JsonValueError(f"{where}: " + "; ".join(parts), at)
        return Record(typ.names, tuple(_from_json(obj[n], t, f"{where}.{n}", (*at, n)) for n, t in typ.fields))
    if isinstance(typ, MapT):
        if not isinstance(obj, dict):
            raise JsonValueError(f"{where}: expected an object, got {json_repr(obj)}", at)
        key_of = _key_decoder(typ.key, where)
        items: dict = {}
        spelt: dict = {}  # decoded key -> the JSON key it came from
        for k, v in obj.items():
            try:
                key = key_of(k)
            except UserError as err:
                raise JsonValueError(err.message, (*at, k)) from None
            if key in spelt:  # two spellings of one element: one value would silently replace the other
                raise JsonValueError(f"{where}: map keys {json_repr(spelt[key])} and {json_repr(k)} are the same key", (*at, k))
            spelt[key] = k
            items[key] = _from_json(v, typ.value, f"{where}[{json_repr(k)}]", (*at, k))
        return MapValue(items)
    raise JsonValueError(f"{where}: values of type {typ} cannot be read from JSON", at)


def from_python(obj: Any, typ: Type, where: str = "input", groups: Collection[str] | None = None) -> Value:
    """Check a Python value handed to a program as a value of `typ`; a mismatch is a UserError naming `where`.

    Takes DSL values and the plain forms a script holds: a list for a List
    (made a tuple), "G:name" for an Elem, a dict for a Record or a Map, and
    numpy's forms of them (integer and bool scalars, arrays as lists: anything
    with `tolist()`, so torch's tensors too). So a wrong input fails
    here, with its name and type, not deep in the interpreter. With `groups`,
    an element of any other group is refused here too (composing it with the
    program's own elements would fail at run time).
    """
    value = as_python(obj)
    if isinstance(typ, IntT):
        if isinstance(value, bool) or not isinstance(value, numbers.Integral):
            raise _mistyped(obj, typ, where)
        n = int(value)
        if n.bit_length() > MAX_INT_BITS:  # |n| < 2**MAX_INT_BITS, as a program's integers stay within it (primitives that cannot grow trust it)
            raise UserError(f"{where}: an integer of {n.bit_length():,} bits, more than the limit of {MAX_INT_BITS:,} (dsl.limits.MAX_INT_BITS)")
        return n
    if isinstance(typ, BoolT):
        if not isinstance(value, bool):
            raise _mistyped(obj, typ, where)
        return value
    if isinstance(typ, SymT):
        if not isinstance(value, str):
            raise _mistyped(obj, typ, where)
        return str(value)
    if isinstance(typ, ElemT):
        return _element(value, obj, typ, where, groups)
    if isinstance(typ, ListT):
        if not isinstance(value, (list, tuple)):
            raise _mistyped(obj, typ, where)
        return tuple(from_python(x, typ.item, f"{where}[{i}]", groups) for i, x in enumerate(value))
    if isinstance(typ, RecordT):
        fields = value.as_dict() if isinstance(value, Record) else value
        if not isinstance(fields, Mapping):
            raise _mistyped(obj, typ, where)
        if set(fields) != set(typ.names):
            raise UserError(f"{where}: expected the fields {', '.join(typ.names)}, got {', '.join(map(str, fields)) or 'none'}")
        return Record(typ.names, tuple(from_python(fields[n], t, f"{where}.{n}", groups) for n, t in typ.fields))
    if isinstance(typ, MapT):
        if not isinstance(value, Mapping):
            raise _mistyped(obj, typ, where)
        return MapValue(
            {from_python(k, typ.key, f"{where} key", groups): from_python(v, typ.value, f"{where}[{k!r}]", groups) for k, v in value.items()}
        )
    raise UserError(f"{where}: values of type {typ} cannot be given as inputs")


def as_python(obj: Any) -> Any:
    """numpy's (and torch's) scalars and arrays as Python values and lists, by duck typing: no import of either."""
    if isinstance(obj, (str, bytes)) or not callable(getattr(obj, "tolist", None)):
        return obj
    return obj.tolist()


def _element(value: Any, obj: Any, typ: Type, where: str, groups: Collection[str] | None) -> Elem:
    if isinstance(value, Elem):
        elem = value
    elif isinstance(value, str):
        try:
            elem = parse_elem(value)
        except UserError as err:
            raise UserError(f"{where}: {err.message}") from None
    else:
        raise _mistyped(obj, typ, where)
    if groups and elem.group.name not in groups:
        raise UserError(
            f"{where}: {str(elem)!r} is an element of {elem.group.name}, but this program works on elements of {' or '.join(sorted(groups))}"
        )
    return elem


def _mistyped(obj: Any, typ: Type, where: str) -> UserError:
    """The value as Python spells it: it came from a Python script, not a JSON file."""
    return UserError(f"{where}: expected {typ}, got {type(obj).__name__} {obj!r}")


_PLAIN_INT = re.compile(r"-?(0|[1-9][0-9]*)", re.ASCII)  # an Int map key as `to_json` writes it


def _key_decoder(typ: Type, where: str):
    if isinstance(typ, SymT):
        return lambda k: k
    if isinstance(typ, IntT):
        def dec(k: str) -> int:
            if not _PLAIN_INT.fullmatch(k):  # int() also takes "05", "+5", " 5", "1_0" and other digits: keys that would merge
                raise UserError(f"{where}: map key {json_repr(k)} is not an integer written plainly (as 5 or -3)")
            digits = len(k.lstrip("-"))
            if digits > JSON_LIMITS.max_digits:  # as for a JSON number; int() itself fails past 4,300
                raise UserError(f"{where}: map key of {digits:,} digits (at most {JSON_LIMITS.max_digits:,} are read, as for a number)")
            return int(k)
        return dec
    if isinstance(typ, ElemT):
        return lambda k: from_json(k, typ, where)
    raise UserError(f"{where}: maps keyed by {typ} cannot be read from JSON")


def walk(value: Value) -> Iterator[Value]:
    """The value and every value inside it (list items, record fields, map keys and values), depth first."""
    yield value
    if isinstance(value, tuple):
        for v in value:
            yield from walk(v)
    elif isinstance(value, Record):
        for v in value.values:
            yield from walk(v)
    elif isinstance(value, MapValue):
        for k, v in value.items_.items():
            yield from walk(k)
            yield from walk(v)


def to_json(value: Value) -> Any:
    """The JSON form of a value (inverse of `from_json` for the value's type)."""
    if isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, Elem):
        return str(value)
    if isinstance(value, tuple):
        return [to_json(v) for v in value]
    if isinstance(value, Record):
        return {n: to_json(v) for n, v in zip(value.names, value.values)}
    if isinstance(value, MapValue):
        return {(k if isinstance(k, str) else str(k)): to_json(v) for k, v in value.items_.items()}
    raise TypeError(f"not a DSL value: {value!r}")
