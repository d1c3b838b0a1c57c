"""The reference LEGO solver: ground truth, independent of the DSL.

It must agree with nothing but the definition (val(x) = g * val(y), the root
gives its literal), so it is plain Python over element indices and the
group's composition of indices: O(n) time, iterative (no recursion limit at n = 10^6).
From VECTOR_MIN clauses on, values are propagated by numpy pointer jumping
instead (O(n log n) work, but at C speed); the structure checks stay O(n).
Every structural mistake in a sentence is a LegoDataError naming the clause:
a variable defined twice, an undefined variable, a cycle, no root literal or
more than one.
"""

from __future__ import annotations

from itertools import repeat
from operator import attrgetter
from typing import Mapping

import numpy as np

from dsl.groups import CyclicGroup, Elem, Group
from tasks.lego.errors import LegoDataError, quoted
from tasks.lego.sentence import Sentence

_LHS = attrgetter("lhs")
_RHS = attrgetter("rhs")


def _index(sentence: Sentence) -> tuple[list[int], list[int], list[str]]:
    """Parent position (-1 for a root), op index and variable of every clause; checks structure."""
    clauses = sentence.clauses
    n = len(clauses)
    lhs = list(map(_LHS, clauses))
    rhs = list(map(_RHS, clauses))
    where = dict(zip(lhs, range(n)))
    if len(where) != n:
        seen: dict[str, int] = {}
        for i, x in enumerate(lhs):
            j = seen.setdefault(x, i)
            if j != i:
                raise LegoDataError(
                    f"variable {quoted(x)} is defined twice (clauses {j + 1} and {i + 1})",
                    clause=i + 1, kind="duplicate",
                )
    parent = list(map(where.get, rhs, repeat(-1)))
    nroots = rhs.count(None)
    roots = [rhs.index(None)] if nroots == 1 else [i for i, r in enumerate(rhs) if r is None]
    if parent.count(-1) != nroots:
        for i, (r, p) in enumerate(zip(rhs, parent)):
            if r is not None and p == -1:
                raise LegoDataError(f"variable {quoted(r)} is used but never defined", clause=i + 1, kind="undefined")
    if not roots:
        raise LegoDataError("no root literal: no clause gives a variable a value (e.g. 'a = val 1')", kind="no-root")
    if len(roots) > 1:
        listed = ", ".join(str(r + 1) for r in roots[:5]) + (" ..." if len(roots) > 5 else "")
        raise LegoDataError(f"more than one root literal (clauses {listed})", clause=roots[1] + 1, kind="many-roots")
    return parent, [c.op.index for c in clauses], lhs


def _cycle(sentence: Sentence, stack: list[int], j: int) -> LegoDataError:
    names = [quoted(sentence.clauses[k].lhs) for k in stack[stack.index(j):]] + [quoted(sentence.clauses[j].lhs)]
    chain = " <- ".join(names[:8]) + (" ..." if len(names) > 8 else "")
    return LegoDataError(f"cycle: {chain}", clause=j + 1, kind="cycle")


def _walk(parent: list, sentence: Sentence, root_value: list, group: Group | None) -> list:
    """out[i] = op[i] * out[parent[i]] (or root_value at the root), iteratively.

    `group` composes values; None computes depths instead (+1 per step).
    Each clause is visited once: a walk climbs until it meets a known value,
    then unwinds its stack, so the whole is O(n). A walk that meets itself is a cycle.
    """
    n = len(parent)
    out: list = [None] * n
    mark = [0] * n
    cyclic = isinstance(group, CyclicGroup)
    order = len(group) if group is not None else 0
    ops = root_value
    for i in range(n):
        if out[i] is not None:
            continue
        stack: list[int] = []
        j = i
        tag = i + 1
        while out[j] is None:
            if mark[j] == tag:
                raise _cycle(sentence, stack, j)
            mark[j] = tag
            p = parent[j]
            if p < 0:
                out[j] = ops[j] if group is not None else 1
                break
            stack.append(j)
            j = p
        base = out[j]
        if group is None:
            while stack:
                base += 1
                out[stack.pop()] = base
        elif cyclic:  # Z<n>: arithmetic inline, the common case (Z2)
            while stack:
                k = stack.pop()
                base = (ops[k] + base) % order
                out[k] = base
        else:
            compose = group.compose_index
            while stack:
                k = stack.pop()
                base = compose(ops[k], base)
                out[k] = base
    return out


def _jump(parent: list[int], ops: list[int], group: Group) -> list[int] | None:
    """The same values by pointer jumping in numpy (None if a cycle keeps a pointer from the root).

    O(n log n) element operations, but each of the log2(n) rounds is one
    vectorized table lookup, so at n = 10^6 it beats the O(n) Python walk
    several times over. Used only for long sentences; tests check both agree.
    """
    n = len(parent)
    ptr = np.fromiter(parent, dtype=np.int64, count=n)
    ptr = np.append(np.where(ptr < 0, n, ptr), n)  # node n: the identity, under the root
    acc = np.append(np.fromiter(ops, dtype=np.int64, count=n), group.identity_index)
    for _ in range(n.bit_length() + 2):
        # Done when every pointer reaches the sentinel (a cycle of length 2^k
        # also becomes a fixed point, so test for the sentinel, not for x -> x).
        if ptr[0] == n and (ptr == n).all():
            return acc[:n].tolist()
        acc = group.compose_array(acc, acc[ptr])
        ptr = ptr[ptr]
    return None


VECTOR_MIN = 50_000  # sentences at least this long are solved by pointer jumping


def solve_indices(sentence: Sentence, method: str = "auto") -> list[int]:
    """Element index of each clause's variable, in clause order.

    `method`: "walk" (the O(n) iterative walk), "jump" (vectorized pointer
    jumping) or "auto" (jump from VECTOR_MIN clauses on). Errors are always
    those of the walk, which names the offending clause.
    """
    return _solve(sentence, method)[0]


def _solve(sentence: Sentence, method: str = "auto") -> tuple[list[int], list[str]]:
    parent, ops, lhs = _index(sentence)
    group = sentence.group
    if method == "jump" or (method == "auto" and len(parent) >= VECTOR_MIN):
        values = _jump(parent, ops, group)
        if values is not None:
            return values, lhs
    return _walk(parent, sentence, ops, group), lhs


def solve(sentence: Sentence, method: str = "auto") -> dict[str, Elem]:
    """The value of every variable (in clause order)."""
    values, lhs = _solve(sentence, method)
    elems = sentence.group.elements
    return dict(zip(lhs, map(elems.__getitem__, values)))


_Walk = tuple[dict[str, int], list[int]]  # a chain's depth of each variable (root = 1), and element index by depth - 1

_last: tuple[Sentence | None, _Walk | None] = (None, None)  # the sentence walked last, and its walk


def _walk_chain(sentence: Sentence) -> _Walk | None:
    """The walk down one well-formed chain (the usual data), or None for anything else; memoized for the last sentence.

    One dict from operand to clause, then one step per clause down from the
    root literal, composing values on the way (the definition, as in `_walk`).
    A record's sentence is walked by the reader's check and then by the
    scorer, one right after the other: the one-slot memo (keyed by identity;
    sentences are immutable) saves the second walk and keeps memory flat.
    """
    global _last
    last = _last
    if last[0] is sentence:
        return last[1]
    walk = None
    clauses = sentence.clauses
    n = len(clauses)
    below = {c.rhs: c for c in clauses}  # operand -> the clause that uses it; None -> the root
    c = below.get(None) if len(below) == n else None
    if c is not None:
        get = below.get
        group = sentence.group
        value = c.op.index
        depth = {c.lhs: 1}
        values = [value]
        add = values.append
        cyclic = isinstance(group, CyclicGroup)  # Z<n>: arithmetic inline, the common case (Z2)
        order = len(group)
        compose = group.compose_index
        for d in range(2, n + 1):
            c = get(c.lhs)
            if c is None:
                break
            depth[c.lhs] = d
            value = (c.op.index + value) % order if cyclic else compose(c.op.index, value)
            add(value)
        if c is not None and len(depth) == n and c.lhs not in below:
            walk = (depth, values)
    _last = (sentence, walk)
    return walk


def chain_values(sentence: Sentence) -> dict[str, int] | None:
    """Element index of each variable if the sentence is one well-formed chain (the usual data), else None.

    The fast path of a per-record check. A sentence it cannot vouch for
    (branches, several roots or none, a variable defined twice, a cycle, an
    undefined operand) gives None, and the caller runs `solve_indices`, whose
    errors name the clause. Same definition as `_walk`, so the two agree.
    """
    walk = _walk_chain(sentence)
    return None if walk is None else dict(zip(*walk))


def check_chain_labels(sentence: Sentence, labels: Mapping[str, Elem], query: str | None = None) -> bool:
    """True if the sentence is one well-formed chain, every label agrees with it and `query` is one of its variables.

    False says nothing (the caller runs the full check, whose errors name the
    clause): it is the fast path of a per-record check.
    """
    walk = _walk_chain(sentence)
    if walk is None:
        return False
    depth, values = walk
    where = depth.get
    for var, value in labels.items():
        d = where(var)
        if d is None or value.index != values[d - 1]:
            return False
    return query is None or query in depth


def chain_positions(sentence: Sentence) -> Mapping[str, int] | None:
    """Depth of each variable (root = 1) if the sentence is one well-formed chain, else None. Read-only: shared with the memo."""
    last = _last
    walk = last[1] if last[0] is sentence else _walk_chain(sentence)  # the memo's hit inline: the scorer's usual case
    return None if walk is None else walk[0]


def depths(sentence: Sentence) -> dict[str, int]:
    """Distance from the root, counting the root as 1 (the paper's chain positions 1..n)."""
    parent, ops, lhs = _index(sentence)
    return dict(zip(lhs, _walk(parent, sentence, ops, None)))


def chain_order(sentence: Sentence) -> list[str]:
    """Variables sorted by depth (stable in clause order): the chain order for chains."""
    d = depths(sentence)
    return sorted(d, key=d.__getitem__)


def check(sentence: Sentence) -> None:
    """Raise LegoDataError if the sentence is not a well-formed LEGO sentence."""
    solve_indices(sentence)
