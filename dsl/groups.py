"""Finite groups as first-class value domains.

Every group is stored as permutations of a small point set, so composition,
inverses and the action on points all come from one representation and the
group axioms hold by construction (and are still tested over all elements).
Elements are interned: each group owns one `Elem` object per element, so
composition is a table lookup and equality is cheap.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import permutations

from dsl.errors import DslRuntimeError, UserError
from dsl.limits import describe_int

Perm = tuple[int, ...]

MAX_CYCLIC_ORDER = 10_000


@dataclass(frozen=True, eq=False)
class Elem:
    """One element of a finite group; `index` is its row in the group's tables."""

    group: "Group" = field(repr=False)
    index: int
    _hash: int = field(init=False, repr=False)

    def __post_init__(self) -> None:
        # Elements key the synthesizer's value tables: hash once, not per lookup.
        object.__setattr__(self, "_hash", hash((self.group.name, self.index)))

    @property
    def name(self) -> str:
        return self.group.names[self.index]

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Elem)
            and self.index == other.index
            and self.group.name == other.group.name
        )

    def __hash__(self) -> int:
        return self._hash

    def __repr__(self) -> str:
        return f"{self.group.name}:{self.name}"

    def __str__(self) -> str:
        return f"{self.group.name}:{self.name}"

    def __mul__(self, other: "Elem") -> "Elem":
        return self.group.compose(self, other)


class Group:
    """A finite group given by permutations of the points 0..degree-1.

    Composition is `(a * b)(p) = a(b(p))`: b acts first. LEGO's clause
    `x = g y` reads `val(x) = g * val(y)`.
    """

    def __init__(
        self,
        name: str,
        perms: list[Perm],
        names: list[str],
        aliases: dict[str, str] | None = None,
    ) -> None:
        if len(perms) != len(names) or len(set(perms)) != len(perms):
            raise ValueError(f"group {name}: bad element list")
        self.name = name
        self.perms: tuple[Perm, ...] = tuple(perms)
        self.names: tuple[str, ...] = tuple(names)
        self.degree = len(perms[0])
        index = {p: i for i, p in enumerate(perms)}
        n = len(perms)
        self.table: tuple[tuple[int, ...], ...] = tuple(
            tuple(index[tuple(a[b[p]] for p in range(self.degree))] for b in perms)
            for a in perms
        )
        identity = tuple(range(self.degree))
        self.identity_index = index[identity]
        inv_index = []
        for a in perms:
            inv = [0] * self.degree
            for p, q in enumerate(a):
                inv[q] = p
            inv_index.append(index[tuple(inv)])
        self.inverse_table: tuple[int, ...] = tuple(inv_index)
        self.elements: tuple[Elem, ...] = tuple(Elem(self, i) for i in range(n))
        self._by_name: dict[str, int] = {nm: i for i, nm in enumerate(names)}
        for alias, canonical in (aliases or {}).items():
            self._by_name[alias] = self._by_name[canonical]

    def __repr__(self) -> str:
        return f"Group({self.name})"

    def __len__(self) -> int:
        return len(self.elements)

    @property
    def identity(self) -> Elem:
        return self.elements[self.identity_index]

    def compose(self, a: Elem, b: Elem) -> Elem:
        if a.group is not self or b.group is not self:
            _check_same(self, a, b)
        return self.elements[self.table[a.index][b.index]]

    def inverse(self, a: Elem) -> Elem:
        return self.elements[self.inverse_table[a.index]]

    def act(self, a: Elem, point: int) -> int:
        """The group's action on its points 0..degree-1."""
        if not 0 <= point < self.degree:
            raise DslRuntimeError(
                f"{self.name} acts on points 0..{self.degree - 1}, not {describe_int(point)}"
            )
        return a.group.perms[a.index][point]

    def element(self, name: str) -> Elem:
        """The element called `name` (canonical name or alias)."""
        try:
            return self.elements[self._by_name[name]]
        except KeyError:
            known = ", ".join(self.names[:12]) + (" ..." if len(self.names) > 12 else "")
            raise UserError(
                f"unknown element {name!r} of group {self.name} (elements: {known})"
            ) from None

    def has_name(self, name: str) -> bool:
        return name in self._by_name

    def all_names(self) -> list[str]:
        """Canonical names and aliases, for readers that must recognise either."""
        return list(self._by_name)


def _check_same(group: Group, a: Elem, b: Elem) -> None:
    for x in (a, b):
        if x.group.name != group.name:
            raise DslRuntimeError(
                f"cannot compose elements of different groups: {a} and {b}"
            )


def _cycle_name(perm: Perm) -> str:
    """Cycle notation without separators, e.g. (012); the identity is e."""
    seen: set[int] = set()
    cycles = []
    for start in range(len(perm)):
        if start in seen or perm[start] == start:
            seen.add(start)
            continue
        cycle = [start]
        seen.add(start)
        nxt = perm[start]
        while nxt != start:
            cycle.append(nxt)
            seen.add(nxt)
            nxt = perm[nxt]
        cycles.append("(" + "".join(str(p) for p in cycle) + ")")
    return "".join(cycles) or "e"


def cyclic(n: int) -> Group:
    perms = [tuple((p + k) % n for p in range(n)) for k in range(n)]
    names = [str(k) for k in range(n)]
    aliases = {"e": "0"}
    if n == 2:
        # The paper's code writes Z2 with `val`/`not` on values 0/1; the sign
        # notation writes it with +/- on values +1/-1.  Both are this group.
        aliases.update({"val": "0", "not": "1", "+": "0", "-": "1", "+1": "0", "-1": "1"})
    return Group(f"Z{n}", perms, names, aliases)


def symmetric3() -> Group:
    perms = sorted(permutations(range(3)), key=lambda p: (_cycle_name(p) != "e", len(_cycle_name(p)), _cycle_name(p)))
    return Group("S3", list(perms), [_cycle_name(p) for p in perms])


def dihedral4() -> Group:
    """Symmetries of a square with corners 0..3: rotations rk, reflections sk (p -> k - p)."""
    rotations = [tuple((p + k) % 4 for p in range(4)) for k in range(4)]
    reflections = [tuple((k - p) % 4 for p in range(4)) for k in range(4)]
    names = ["e", "r1", "r2", "r3", "s0", "s1", "s2", "s3"]
    return Group("D4", rotations + reflections, names, {"r0": "e"})


_GROUP_NAME = re.compile(r"Z([1-9][0-9]*)|S3|D4")


@lru_cache(maxsize=None)
def get_group(name: str) -> Group:
    """The group called `name`: Z<n> (cyclic), S3 or D4."""
    m = _GROUP_NAME.fullmatch(name)
    if not m:
        raise UserError(f"unknown group {name!r} (known: Z2, Z<n> such as Z5, S3, D4)")
    if name == "S3":
        return symmetric3()
    if name == "D4":
        return dihedral4()
    n = int(m.group(1))
    if n > MAX_CYCLIC_ORDER:
        raise UserError(f"group {name} is too large (Z<n> needs n <= {MAX_CYCLIC_ORDER})")
    return cyclic(n)


def parse_elem(text: str) -> Elem:
    """Parse `G:name`, e.g. `Z2:1`, `S3:(012)`, `D4:r1`."""
    group_name, sep, elem_name = text.partition(":")
    if not sep:
        raise UserError(f"group element {text!r} must be written GROUP:NAME, e.g. Z2:1 or S3:(012)")
    return get_group(group_name).element(elem_name)


KNOWN_GROUPS = ("Z2", "Z5", "S3", "D4")
