"""Finite groups as first-class value domains.

Two representations behind one interface (element indices 0..order-1):
- `CyclicGroup` Z<n>: index k is k mod n, so compose is (a + b) mod n and the
  inverse -a mod n: O(1) per operation and no table, whatever n (up to
  dsl.limits.MAX_CYCLIC_ORDER); element objects are made on demand;
- `PermGroup` (S3, D4): permutations of a small point set with a Cayley
  table, so the axioms hold by construction; orders up to
  dsl.limits.MAX_TABLE_ORDER.
Both are tested over all their elements. Elements compare by group name and
index, so two objects for one element are equal.
"""

from __future__ import annotations

import re
import threading
import weakref
from functools import lru_cache
from itertools import permutations
from typing import Any, Callable, Iterator, Sequence, TypeVar, overload

import numpy as np

from dsl.errors import DslRuntimeError, UserError, json_repr
from dsl.limits import MAX_CYCLIC_ORDER, MAX_TABLE_ORDER, describe_int

Perm = tuple[int, ...]
T = TypeVar("T")


class Elem:
    """One element of a finite group; `index` is its number in the group (0..order-1).

    There is one object per element (per group name and index, while any
    reference to it lives), so equality and hashing are object identity:
    Python's own, in C. The synthesizer hashes value vectors of elements by
    the million, and a `__hash__` written in Python made that about 7x slower
    than hashing ints. Build elements with `Elem(group, index)` or take them
    from `group.elements`; both give the one object.
    """

    __slots__ = ("group", "index", "__weakref__")
    group: "Group"
    index: int

    def __new__(cls, group: "Group", index: int) -> "Elem":
        key = (group.name, index)
        made = _ELEMENTS.get(key)
        if made is None:
            with _MAKING:  # two threads making one element must get one object
                made = _ELEMENTS.get(key)
                if made is None:
                    made = object.__new__(cls)
                    object.__setattr__(made, "group", group)
                    object.__setattr__(made, "index", index)
                    _ELEMENTS[key] = made
        return made

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"cannot assign to field {name!r}: elements are immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r}: elements are immutable")

    def __reduce__(self) -> Any:
        # Unpickled (a process pool) or copied, an element is the receiver's one object for it.
        return (_element, (self.group.name, self.index))

    @property
    def name(self) -> str:
        return self.group.names[self.index]

    def __repr__(self) -> str:
        return f"{self.group.name}:{self.name}"

    def __str__(self) -> str:
        return f"{self.group.name}:{self.name}"

    def __mul__(self, other: "Elem") -> "Elem":
        return self.group.compose(self, other)


# The one object of each element that is alive. Weak: Z<n> of a million
# elements makes them on demand, and one no longer referenced may go (a later
# one for the same element is then the only one, so identity stays equality).
_ELEMENTS: "weakref.WeakValueDictionary[tuple[str, int], Elem]" = weakref.WeakValueDictionary()
_MAKING = threading.Lock()


def _element(group_name: str, index: int) -> Elem:
    return get_group(group_name).elements[index]


class Group:
    """A finite group: elements numbered 0..order-1, `(a * b)(p) = a(b(p))` (b acts first).

    LEGO's clause `x = g y` reads `val(x) = g * val(y)`. Subclasses give
    `compose_index`, `inverse_index`, `act_index`, `compose_array` and names.
    """

    name: str
    degree: int
    identity_index: int
    names: Sequence[str]
    elements: Sequence[Elem]
    products: tuple[tuple[Elem, ...], ...] | None = None  # products[i][j] = element i * element j, for small groups

    def __repr__(self) -> str:
        return f"Group({self.name})"

    def __reduce__(self) -> Any:
        # Unpickled elements (a process pool) share the one cached group object.
        return (get_group, (self.name,))

    def __len__(self) -> int:
        return len(self.elements)

    @property
    def identity(self) -> Elem:
        return self.elements[self.identity_index]

    def compose_index(self, a: int, b: int) -> int:
        raise NotImplementedError

    def inverse_index(self, a: int) -> int:
        raise NotImplementedError

    def act_index(self, a: int, point: int) -> int:
        raise NotImplementedError

    def compose_array(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Element-wise a * b over index arrays (numpy int64)."""
        raise NotImplementedError

    def compose(self, a: Elem, b: Elem) -> Elem:
        if a.group is not self or b.group is not self:
            _check_same(self, a, b)
        return self.elements[self.compose_index(a.index, b.index)]

    def inverse(self, a: Elem) -> Elem:
        return self.elements[self.inverse_index(a.index)]

    def act(self, a: Elem, point: int) -> int:
        """The group's action on its points 0..degree-1."""
        if not 0 <= point < self.degree:
            raise DslRuntimeError(
                f"{self.name} acts on points 0..{self.degree - 1}, not {describe_int(point)}"
            )
        return self.act_index(a.index, point)

    def index_of(self, name: str) -> int | None:
        raise NotImplementedError

    def element(self, name: str) -> Elem:
        """The element called `name` (canonical name or alias)."""
        i = self.index_of(name)
        if i is None:
            known = ", ".join(self.names[:12]) + (" ..." if len(self.names) > 12 else "")
            raise UserError(
                f"unknown element {json_repr(name, 44)} of group {self.name} (elements: {known})"
            )
        return self.elements[i]

    def has_name(self, name: str) -> bool:
        return self.index_of(name) is not None

    def all_names(self) -> list[str]:
        """Canonical names and aliases, for readers that must recognise either."""
        raise NotImplementedError


class PermGroup(Group):
    """A group given by permutations of the points 0..degree-1, with its Cayley table."""

    def __init__(
        self,
        name: str,
        perms: list[Perm],
        names: list[str],
        aliases: dict[str, str] | None = None,
    ) -> None:
        if len(perms) != len(names) or len(set(perms)) != len(perms):
            raise ValueError(f"group {name}: bad element list")
        if len(perms) > MAX_TABLE_ORDER:
            raise ValueError(f"group {name}: order {len(perms)} is above MAX_TABLE_ORDER ({MAX_TABLE_ORDER})")
        self.name = name
        self.perms: tuple[Perm, ...] = tuple(perms)
        self.names = tuple(names)
        self.degree = len(perms[0])
        index = {p: i for i, p in enumerate(perms)}
        n = len(perms)
        self.table: tuple[tuple[int, ...], ...] = tuple(
            tuple(index[tuple(a[b[p]] for p in range(self.degree))] for b in perms)
            for a in perms
        )
        self._flat = np.asarray(self.table, dtype=np.int64).ravel()
        self.identity_index = index[tuple(range(self.degree))]
        inv_index = []
        for a in perms:
            inv = [0] * self.degree
            for p, q in enumerate(a):
                inv[q] = p
            inv_index.append(index[tuple(inv)])
        self.inverse_table: tuple[int, ...] = tuple(inv_index)
        self.elements = tuple(Elem(self, i) for i in range(n))
        self._by_name: dict[str, int] = {nm: i for i, nm in enumerate(names)}
        for alias, canonical in (aliases or {}).items():
            self._by_name[alias] = self._by_name[canonical]

    def compose_index(self, a: int, b: int) -> int:
        return self.table[a][b]

    def inverse_index(self, a: int) -> int:
        return self.inverse_table[a]

    def act_index(self, a: int, point: int) -> int:
        return self.perms[a][point]

    def compose_array(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return self._flat[np.asarray(a, dtype=np.int64) * len(self.perms) + b]

    def index_of(self, name: str) -> int | None:
        return self._by_name.get(name)

    def all_names(self) -> list[str]:
        return list(self._by_name)


class _Lazy(Sequence[T]):
    """Items 0..n-1 made by `make` when asked for, or once and kept (`keep`), so Z<n> needs no list of n."""

    def __init__(self, n: int, make: Callable[[int], T], keep: bool = False) -> None:
        self.n = n
        self.make = make
        self.kept = tuple(make(k) for k in range(n)) if keep else None

    def __len__(self) -> int:
        return self.n

    @overload
    def __getitem__(self, i: int) -> T: ...
    @overload
    def __getitem__(self, i: slice) -> list[T]: ...
    def __getitem__(self, i: int | slice) -> T | list[T]:
        if isinstance(i, slice):
            return [self[k] for k in range(self.n)[i]]
        if self.kept is not None:
            return self.kept[i]
        return self.make(range(self.n)[i])

    def __iter__(self) -> Iterator[T]:
        return (self[k] for k in range(self.n))


PRODUCT_TABLE_MAX = 64  # a cyclic group up to this order keeps its multiplication table (n^2 references)
KEEP_ELEMENTS = 4096  # a cyclic group up to this order makes each element object once and keeps it


class CyclicGroup(Group):
    """Z<n>: element k is the rotation by k of the points 0..n-1; arithmetic mod n."""

    def __init__(self, n: int, aliases: dict[str, int] | None = None) -> None:
        if not 1 <= n <= MAX_CYCLIC_ORDER:
            raise UserError(f"group Z{n} is too large (Z<n> needs 1 <= n <= {MAX_CYCLIC_ORDER:,})")
        self.name = f"Z{n}"
        self.order = n
        self.degree = n
        self.identity_index = 0
        self.names = _Lazy(n, str)
        self._aliases = {"e": 0, **(aliases or {})}
        self.elements = _Lazy(n, self._make, keep=n <= KEEP_ELEMENTS)
        self._kept = kept = self.elements.kept
        if kept is not None and n <= PRODUCT_TABLE_MAX:  # the DSL's `*` on elements: two tuple indexings
            self.products = tuple(kept[i:] + kept[:i] for i in range(n))

    def _make(self, k: int) -> Elem:
        return Elem(self, k)

    def compose_index(self, a: int, b: int) -> int:
        return (a + b) % self.order

    def inverse_index(self, a: int) -> int:
        return -a % self.order

    def act_index(self, a: int, point: int) -> int:
        return (point + a) % self.order

    def compose_array(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return (np.asarray(a, dtype=np.int64) + b) % self.order

    def compose(self, a: Elem, b: Elem) -> Elem:
        if a.group is not self or b.group is not self:
            _check_same(self, a, b)
        k = (a.index + b.index) % self.order
        kept = self._kept  # the hot path of every LEGO program: a tuple index, not a method call
        return kept[k] if kept is not None else Elem(self, k)

    def inverse(self, a: Elem) -> Elem:
        return self.elements[-a.index % self.order]

    def index_of(self, name: str) -> int | None:
        if name in self._aliases:
            return self._aliases[name]
        # canonical names are the decimal numbers 0..n-1, written without a sign or leading zero
        if name.isascii() and name.isdigit() and len(name) <= len(self.names[-1]) and (name == "0" or name[0] != "0"):
            k = int(name)
            if k < self.order:
                return k
        return None

    def all_names(self) -> list[str]:
        return list(self.names) + list(self._aliases)


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


def cyclic(n: int) -> CyclicGroup:
    aliases = {}
    if n == 2:
        # The paper's code writes Z2 with `val`/`not` on values 0/1; the sign
        # notation writes it with +/- on values +1/-1.  Both are this group.
        aliases = {"val": 0, "not": 1, "+": 0, "-": 1, "+1": 0, "-1": 1}
    return CyclicGroup(n, aliases)


def symmetric3() -> PermGroup:
    perms = sorted(permutations(range(3)), key=lambda p: (_cycle_name(p) != "e", len(_cycle_name(p)), _cycle_name(p)))
    return PermGroup("S3", list(perms), [_cycle_name(p) for p in perms])


def dihedral4() -> PermGroup:
    """Symmetries of a square with corners 0..3: rotations rk, reflections sk (p -> k - p)."""
    rotations = [tuple((p + k) % 4 for p in range(4)) for k in range(4)]
    reflections = [tuple((k - p) % 4 for p in range(4)) for k in range(4)]
    names = ["e", "r1", "r2", "r3", "s0", "s1", "s2", "s3"]
    return PermGroup("D4", rotations + reflections, names, {"r0": "e"})


_GROUP_NAME = re.compile(r"Z([1-9][0-9]*)|S3|D4")


def get_group(name: str) -> Group:
    """The group called `name`: Z<n> (cyclic), S3 or D4; one object per name while cached."""
    kept = _KEPT.get(name)
    if kept is not None:
        return kept
    group = _make_group(name)
    if name in KNOWN_GROUPS:
        _KEPT[name] = group  # never evicted, so elements of Z2 etc. always share one group object
    return group


_KEPT: dict[str, Group] = {}


@lru_cache(maxsize=64)  # bounded: data may name many Z<n>
def _make_group(name: str) -> Group:
    m = _GROUP_NAME.fullmatch(name)
    if not m:
        raise UserError(f"unknown group {json_repr(name, 44)} (known: Z2, Z<n> such as Z5, S3, D4)")
    if name == "S3":
        return symmetric3()
    if name == "D4":
        return dihedral4()
    digits = m.group(1)
    if len(digits) > len(str(MAX_CYCLIC_ORDER)) or int(digits) > MAX_CYCLIC_ORDER:
        raise UserError(f"group Z{shorten_digits(digits)} is too large (Z<n> needs n <= {MAX_CYCLIC_ORDER:,})")
    return cyclic(int(digits))


def shorten_digits(digits: str) -> str:
    return digits if len(digits) <= 20 else f"{digits[:10]}...({len(digits)} digits)"


def is_group_name(name: str) -> bool:
    """Whether `name` is written as a group the DSL has (Z<n>, S3, D4), whatever its order."""
    return _GROUP_NAME.fullmatch(name) is not None


def parse_elem(text: str) -> Elem:
    """Parse `G:name`, e.g. `Z2:1`, `S3:(012)`, `D4:r1`."""
    group_name, sep, elem_name = text.partition(":")
    if not sep:
        raise UserError(f"group element {json_repr(text, 44)} must be written GROUP:NAME, e.g. Z2:1 or S3:(012)")
    return get_group(group_name).element(elem_name)


KNOWN_GROUPS = ("Z2", "Z5", "S3", "D4")
