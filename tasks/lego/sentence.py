"""The LEGO data model: clauses, sentences and labelled records.

A clause `x = g y` says val(x) = g * val(y) for a group element g; the one
root clause `x = v` gives a literal value v. Values are group elements: for Z2,
the paper's 0/1 with val/not and the sign notation +1/-1 with +/- are two
spellings of the same two elements (identity = 0 = +1, flip = 1 = -1).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Iterable, Mapping

from dsl.groups import Elem, Group
from dsl.types import CLAUSE, ROOT_RHS
from dsl.values import Record

_CLAUSE_FIELDS = CLAUSE.names


@dataclass(frozen=True)
class Clause:
    """`lhs = op rhs`, or for a root clause (rhs None) `lhs = op` with op the literal value."""

    lhs: str
    op: Elem
    rhs: str | None = None

    @property
    def root(self) -> bool:
        return self.rhs is None

    @cached_property
    def dsl_record(self) -> Record:
        """`to_dsl()`, made once per clause: readers share one Clause per distinct clause text, so a large file converts few."""
        return self.to_dsl()

    def to_dsl(self) -> Record:
        """The clause as the DSL's CLAUSE record (a root has rhs "_")."""
        return Record(_CLAUSE_FIELDS, (self.lhs, self.op, ROOT_RHS if self.rhs is None else self.rhs, self.rhs is None))


@dataclass(frozen=True)
class Sentence:
    """Clauses in the order they are written (shuffled or in chain order)."""

    group: Group = field(compare=False)
    clauses: tuple[Clause, ...]
    group_name: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "group_name", self.group.name)

    def __len__(self) -> int:
        return len(self.clauses)

    @property
    def variables(self) -> tuple[str, ...]:
        return tuple(c.lhs for c in self.clauses)

    def to_dsl(self) -> dict[str, tuple[Record, ...]]:
        """The DSL program input: {"clauses": [CLAUSE records]}."""
        return {"clauses": tuple(c.to_dsl() for c in self.clauses)}


@dataclass(frozen=True)
class LegoRecord:
    """A sentence with the values of some of its variables (the rest unsupervised)."""

    sentence: Sentence
    labels: Mapping[str, Elem]
    id: str | None = None
    query: str | None = None  # Kazemnejad-style records ask about one variable


@dataclass(frozen=True)
class Fork:
    """Where a tree branches: two clauses (0-based, in written order) with one operand."""

    first: int
    second: int
    operand: str


def first_fork(sentence: Sentence) -> Fork | None:
    """The first place the sentence's clauses branch; None if they never do (a chain)."""
    seen: dict[str, int] = {}
    for i, c in enumerate(sentence.clauses):
        if c.rhs is not None:
            j = seen.setdefault(c.rhs, i)
            if j != i:
                return Fork(j, i, c.rhs)
    return None


def structure_of(records: Iterable[LegoRecord]) -> str:
    """"tree" if a record's clauses branch, else "chain": what a task file of these records says."""
    return "tree" if any(first_fork(r.sentence) is not None for r in records) else "chain"
