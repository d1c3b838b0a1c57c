"""The DSL's types: Int, Bool, Sym, Elem, List[T], Map[K, V] and records.

Types are frozen dataclasses so they hash, compare structurally and can key
the synthesizer's banks. `Elem` is one type for all groups: a program such as
the LEGO resolver works unchanged over Z2, Z5, S3 or D4, and composing
elements of two different groups is a runtime error.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Type:
    def __str__(self) -> str:  # pragma: no cover - overridden
        raise NotImplementedError


@dataclass(frozen=True)
class IntT(Type):
    def __str__(self) -> str:
        return "Int"


@dataclass(frozen=True)
class BoolT(Type):
    def __str__(self) -> str:
        return "Bool"


@dataclass(frozen=True)
class SymT(Type):
    """A variable name (of a LEGO sentence), compared by equality only."""

    def __str__(self) -> str:
        return "Sym"


@dataclass(frozen=True)
class ElemT(Type):
    """An element of a finite group (see dsl.groups)."""

    def __str__(self) -> str:
        return "Elem"


@dataclass(frozen=True)
class ListT(Type):
    item: Type

    def __str__(self) -> str:
        return f"List[{self.item}]"


@dataclass(frozen=True)
class MapT(Type):
    """A finite map, the value of a recursive rule (`forall ...`)."""

    key: Type
    value: Type

    def __str__(self) -> str:
        return f"Map[{self.key}, {self.value}]"


@dataclass(frozen=True)
class RecordT(Type):
    """A record with named fields, in declaration order."""

    fields: tuple[tuple[str, Type], ...]

    def field_type(self, name: str) -> Type | None:
        for n, t in self.fields:
            if n == name:
                return t
        return None

    def field_index(self, name: str) -> int:
        for i, (n, _) in enumerate(self.fields):
            if n == name:
                return i
        raise KeyError(name)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(n for n, _ in self.fields)

    def __str__(self) -> str:
        return "{" + ", ".join(f"{n}: {t}" for n, t in self.fields) + "}"


INT = IntT()
BOOL = BoolT()
SYM = SymT()
ELEM = ElemT()

BASE_TYPES = {"Int": INT, "Bool": BOOL, "Sym": SYM, "Elem": ELEM}

# The record type of one LEGO clause `lhs = op rhs` as the DSL sees it. A root
# clause (`a = +1`) has root = true, op = its literal value and rhs = "_".
CLAUSE = RecordT((("lhs", SYM), ("op", ELEM), ("rhs", SYM), ("root", BOOL)))
ROOT_RHS = "_"
