"""Random LEGO sentences, vectorized with numpy, deterministic per seed.

As in the paper's generator (yizhangzzz/transformers-lego, `generate_data`),
variable names for n <= 26 are the first n letters of a random permutation of
a-z, variable i depends on variable i-1 (chain), and clauses are written in a
random order. Beyond 26 variables, names are k lowercase letters
(26**k >= n): the first n such strings in alphabetical order, randomly
assigned to the variables. Unlike the paper, which draws the values and
derives each modifier, we draw the root literal and every clause's element
uniformly and derive the values; for Z2 the two give the same distribution.

Structures: ``chain`` (parent of variable i is i-1) and ``tree`` (parent of
variable i is uniform among 0..i-1). Supervision ``supervised=k`` labels the
first k variables in generation order (for a chain: the first k along the
chain, the paper's "first 6 of 12").

Values are computed by pointer jumping over whole batches (log2 n rounds of
vectorized group compositions), so neither many short sentences nor one sentence of a
million clauses needs a Python loop over clauses except to build the objects.
All randomness comes from one numpy Generator seeded with `seed`, drawn in
fixed-size batches, so `generate` and `iter_generate` give the same records.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator

import numpy as np

from dsl.errors import UserError
from dsl.groups import Group, get_group
from tasks.args import whole_number
from tasks.lego.sentence import Clause, LegoRecord, Sentence
from tasks.renamed import renamed_keyword

STRUCTURES = ("chain", "tree")
BATCH_CLAUSES = 1 << 18  # clauses drawn per batch: bounds memory, fixes the draw order
_LETTERS = np.frombuffer(b"abcdefghijklmnopqrstuvwxyz", dtype=np.uint8)


@contextmanager
def _no_gc() -> Iterator[None]:
    """Pause the cycle collector while building millions of acyclic objects (2-3x faster)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        # Promote what we built straight to the oldest generation (freeze then
        # unfreeze moves objects without scanning them): the collector would
        # otherwise traverse millions of acyclic objects once per generation.
        gc.freeze()
        gc.unfreeze()
        if was:
            gc.enable()


def _check(n: int, count: int, seed: int, group: str | Group, structure: str, supervised: int | None) -> Group:
    if whole_number("n", n) < 1:
        raise UserError(f"sentences need at least one variable (n = {n})")
    whole_number("count", count)
    whole_number("seed", seed)  # None would draw a fresh seed: the same call, other sentences
    if structure not in STRUCTURES:
        raise UserError(f"unknown structure {structure!r} (known: {', '.join(STRUCTURES)})")
    if supervised is not None:
        whole_number("supervised", supervised)
    return group if isinstance(group, Group) else get_group(group)


def _name_width(n: int) -> int:
    k = 1
    while 26**k < n:
        k += 1
    return k


def _names(rng: np.random.Generator, n: int, batch: int) -> np.ndarray:
    """Variable names, shape (batch, n): codes into the table returned by `_name_table`."""
    if n <= 26:
        return rng.permuted(np.tile(np.arange(26, dtype=np.int64), (batch, 1)), axis=1)[:, :n]
    # a random assignment of the first n k-letter strings (distinct by construction)
    return np.stack([rng.permutation(n) for _ in range(batch)])


def _decode_names(codes: np.ndarray, n: int) -> list[str]:
    """Codes to strings: a letter for n <= 26, else k letters, vectorized."""
    flat = codes.ravel()
    if n <= 26:
        letters = [chr(97 + i) for i in range(26)]
        return [letters[c] for c in flat.tolist()]
    k = _name_width(n)
    digits = np.empty((flat.size, k), dtype=np.uint8)
    rest = flat.copy()
    for j in range(k - 1, -1, -1):
        digits[:, j] = _LETTERS[rest % 26]
        rest //= 26
    return digits.view(f"S{k}").ravel().astype(f"U{k}").tolist()


def _values(group: Group, ops: np.ndarray, parent: np.ndarray) -> np.ndarray:
    """val[i] = ops[i] * val[parent[i]], roots (parent -1) take ops[i]; pointer jumping.

    A sentinel node (identity, its own parent) sits under every root so that
    repeated composition at the top leaves values unchanged.
    """
    m = ops.size
    acc = np.append(ops, group.identity_index)
    ptr = np.where(parent < 0, m, parent)
    ptr = np.append(ptr, m)
    while True:
        up = ptr[ptr]
        acc = group.compose_array(acc, acc[ptr])
        if np.array_equal(ptr, up):
            break
        ptr = up
    return acc[:m]


def _batch(rng: np.random.Generator, group: Group, n: int, batch: int, structure: str, shuffle: bool):
    """Arrays for `batch` sentences: names (b,n), ops (b,n), parent positions (b,n), order (b,n)."""
    size = len(group)
    names = _names(rng, n, batch)
    ops = rng.integers(0, size, size=(batch, n))
    if structure == "chain":
        parent = np.broadcast_to(np.arange(-1, n - 1), (batch, n))
    else:
        draws = rng.random((batch, n))
        parent = np.floor(draws * np.arange(n)).astype(np.int64)
        parent[:, 0] = -1
    if shuffle:
        if n <= 64:
            order = rng.permuted(np.tile(np.arange(n), (batch, 1)), axis=1)
        else:
            order = np.stack([rng.permutation(n) for _ in range(batch)])
    else:
        order = np.broadcast_to(np.arange(n), (batch, n))
    return names, ops, np.ascontiguousarray(parent), order


class _ClauseCache:
    """Interns clauses for short sentences: 26 names x |G| ops x 27 operands is small."""

    def __init__(self, group: Group) -> None:
        self.group = group
        self.letters = [chr(97 + i) for i in range(26)]
        self.cache: dict[int, Clause] = {}

    def clauses(self, lhs: np.ndarray, ops: np.ndarray, rhs: np.ndarray) -> list[Clause]:
        size = len(self.group)
        codes = (lhs * size + ops) * 27 + (rhs + 1)
        cache = self.cache
        for code in np.unique(codes).tolist():
            if code not in cache:
                r, rest = code % 27 - 1, code // 27
                o, lhs_index = rest % size, rest // size
                cache[code] = Clause(self.letters[lhs_index], self.group.elements[o], None if r < 0 else self.letters[r])
        return [cache[c] for c in codes.ravel().tolist()]


def _long_records(g: Group, n: int, k: int, b: int, names, parent, order, o_names, o_ops, o_rhs, values, rows) -> Iterator[LegoRecord]:
    """Records of long sentences (n > 26): one string object per variable, made in
    clause order and shared by its lhs and rhs uses, so each is hashed once."""
    elems = g.elements
    lhs_all = _decode_names(o_names, n)
    position = np.empty(b * n, dtype=np.int64)  # variable (row-major) -> clause slot
    position[(order + rows * n).ravel()] = np.arange(b * n)
    rhs_pos = np.where(o_rhs < 0, -1, position[np.maximum(np.take_along_axis(parent, order, axis=1) + rows * n, 0)]).ravel()
    rhs_pos[rhs_pos < 0] = b * n  # points at the None appended below
    lhs_all.append(None)  # type: ignore[arg-type]
    rhs_all = list(map(lhs_all.__getitem__, rhs_pos.tolist()))
    lhs_all.pop()
    ops_all = o_ops.ravel().tolist()
    for i in range(b):
        lo, hi = i * n, (i + 1) * n
        if b == 1:
            clauses = tuple(map(Clause, lhs_all, map(elems.__getitem__, ops_all), rhs_all))
        else:
            clauses = tuple(map(Clause, lhs_all[lo:hi], map(elems.__getitem__, ops_all[lo:hi]), rhs_all[lo:hi]))
        chain = map(lhs_all.__getitem__, position[lo:lo + k].tolist())
        labels = dict(zip(chain, map(elems.__getitem__, values[i, :k].tolist())))
        yield LegoRecord(Sentence(g, clauses), labels)


@renamed_keyword("supervise", "supervised")
def iter_generate(
    n: int,
    count: int,
    seed: int,
    group: str | Group = "Z2",
    structure: str = "chain",
    shuffle: bool = True,
    supervised: int | None = None,
) -> Iterator[LegoRecord]:
    """Stream `count` random sentences of `n` variables (see `generate`)."""
    g = _check(n, count, seed, group, structure, supervised)
    n, count, seed = int(n), int(count), int(seed)
    supervised = None if supervised is None else int(supervised)
    rng = np.random.default_rng(seed)
    elems = g.elements
    per_batch = max(1, BATCH_CLAUSES // n)
    cache = _ClauseCache(g) if n <= 26 else None
    k = n if supervised is None else min(supervised, n)
    done = 0
    while done < count:
        b = min(per_batch, count - done)
        names, ops, parent, order = _batch(rng, g, n, b, structure, shuffle)
        flat_parent = np.where(parent < 0, -1, parent + (np.arange(b) * n)[:, None]).ravel()
        values = _values(g, ops.ravel(), flat_parent).reshape(b, n)
        # names of each clause's operand (rhs), -1 for the root
        rhs = np.where(parent < 0, -1, np.take_along_axis(names, np.maximum(parent, 0), axis=1))
        rows = np.arange(b)[:, None]
        o_names, o_ops, o_rhs = names[rows, order], ops[rows, order], rhs[rows, order]
        with _no_gc():
            if cache is not None:
                all_clauses = cache.clauses(o_names, o_ops, o_rhs)
                letters = cache.letters
                chain_names = [[letters[c] for c in row] for row in names[:, :k].tolist()]
                label_vals = values[:, :k].tolist()
                out = []
                for i in range(b):
                    sentence = Sentence(g, tuple(all_clauses[i * n:(i + 1) * n]))
                    labels = dict(zip(chain_names[i], map(elems.__getitem__, label_vals[i])))
                    out.append(LegoRecord(sentence, labels))
            else:
                out = list(_long_records(g, n, k, b, names, parent, order, o_names, o_ops, o_rhs, values, rows))
        yield from out
        done += b


@renamed_keyword("supervise", "supervised")
def generate(
    n: int,
    count: int,
    seed: int,
    group: str | Group = "Z2",
    structure: str = "chain",
    shuffle: bool = True,
    supervised: int | None = None,
) -> list[LegoRecord]:
    """`count` random sentences of `n` variables over `group`, labelled on the first `supervised`
    variables in chain order (all if None); the same arguments give the same records."""
    return list(iter_generate(n, count, seed, group, structure, shuffle, supervised))
