"""Sturdier variants of a fragile fold: one part of its body swapped for a total one.

The chains' phase holds a program that fails (a runtime error) on a suffix
of a training input, and looks for one at most `Settings.sturdy_slack`
dearer that does not (solver.py). Searching the chains again up to that cost
is most of such a search's time: on stack_manipulation from 20 random
examples, `tail(s)` for the pop is held after half the search, and the other
half goes to finding `drop(s, 1)` one node dearer.

Here the held program is mended where it fails instead. Every part P of a
root fold's body that fails somewhere on the fold's sampled states
(samplefolds.py: the contexts its body bank was enumerated on) may be
replaced by an entry E of that bank that *extends* it: E has P's value
wherever P has one, and a value wherever P fails. `tail(s)` fails on the
empty stack only; `drop(s, 1)` equals it elsewhere and is the empty stack
there. Candidates come cheapest first (the extra cost, then the part's place
in the body, then the bank's order), so the answer is deterministic; the
caller checks each on every training example and for fragility again, since
agreeing on the sample says nothing of the states a trace reaches.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any, Callable, Iterator, Mapping

from dsl import ast
from dsl.check import infer
from dsl.errors import DslTypeError
from dsl.types import Type
from synth.search.grammar import Grammar
from synth.search.loops import interpreted
from synth.search.samplefolds import SampleBank
from synth.search.special import Special


@dataclass(frozen=True)
class Sturdier:
    """The program with one fold-body part replaced, and its cost."""

    expr: ast.Expr
    cost: int
    path: tuple[int, ...]  # where the replaced part is (child indices from the root, ast.children's order)


@dataclass(frozen=True)
class _Site:
    """A part of a root fold's body that fails on some sampled state, and the body bank to mend it from."""

    path: tuple[int, ...]  # where the part is in the whole program (child indices, ast.children's order)
    cost: int
    type: Type
    values: tuple  # the part's value on each of the bank's contexts, a Special where it fails
    bank: SampleBank


def sturdier(expr: ast.Expr, cost: int, slack: int, inputs: Mapping[str, Type], grammar: Grammar,
             banks: Callable[[Type, Type], SampleBank | None], fuel: int, max_part: int) -> Iterator[Sturdier]:
    """Variants of `expr` (of cost `cost`) at most `slack` dearer, one failing fold-body part extended; cheapest first.

    A replacement may be cheaper than the part it replaces (a total part the
    sample's merge hid), so a variant may be cheaper than `expr`.

    `banks(item type, state type)` is the sampled body bank the fold's body
    was enumerated in (SampleFolds.body_bank); a fold with none, or whose
    names differ from its bank's, is left alone. Only parts and replacements
    of at most `max_part` (Settings.sample_body_cost: the levels the bank
    holds) are tried.
    """
    sites = list(_sites(expr, inputs, grammar, banks, fuel, max_part))
    # (extra cost, site, replacement cost): a replacement may be cheaper than its part, never above max_part.
    plan = sorted((k - site.cost, n, k) for n, site in enumerate(sites)
                  for k in range(1, min(site.cost + slack, max_part) + 1))
    for extra, n, k in plan:
        site = sites[n]
        for entry in site.bank.bank.of_type(k, site.type):
            if _extends(entry.values, site.values):
                yield Sturdier(_replaced(expr, site.path, entry.expr), cost + extra, site.path)


def _sites(expr: ast.Expr, inputs: Mapping[str, Type], grammar: Grammar,
           banks: Callable[[Type, Type], SampleBank | None], fuel: int, max_part: int) -> Iterator[_Site]:
    """The failing parts of the bodies of the folds whose source and start read only the inputs, in pre-order."""
    for path, fold in _preorder(expr):
        if not isinstance(fold, ast.Fold) or fold.scan:
            continue
        try:
            src_type, state_type = infer(fold.src, inputs), infer(fold.init, inputs)
        except DslTypeError:  # it reads a variable bound above it: not a root fold
            continue
        item_type = getattr(src_type, "item", None)
        sb = banks(item_type, state_type) if item_type is not None else None
        if sb is None or (sb.svar, sb.xvar) != (fold.state, fold.var):
            continue
        env = sb.bank.env_types
        body_path = path + (_BODY,)
        for sub, part in _preorder(fold.body):
            try:
                cost = grammar.cost(part)
                typ = infer(part, env)
            except ValueError:  # a kind of node the search never builds (a list literal): no bank entry replaces it
                continue
            except DslTypeError:  # it reads a variable bound inside the body
                continue
            if cost > max_part:
                continue
            run = interpreted(env, part, fuel)
            values = tuple(run(ctx) for ctx in sb.bank.contexts)
            if any(type(v) is Special for v in values):
                yield _Site(body_path + sub, cost, typ, values, sb)


# A fold's body is its first child (ast.children follows the field order: body, init, src).
_BODY = 0


def _extends(values: tuple, failing: tuple) -> bool:
    """Whether `values` equals `failing` wherever that has a value, and has one wherever it fails."""
    for v, w in zip(values, failing):
        if type(v) is Special or (type(w) is not Special and v != w):
            return False
    return True


def _preorder(expr: ast.Expr) -> Iterator[tuple[tuple[int, ...], ast.Expr]]:
    """Every node with its path (child indices from the root), parents before children, left to right."""
    stack: list[tuple[tuple[int, ...], ast.Expr]] = [((), expr)]
    while stack:
        path, node = stack.pop()
        yield path, node
        kids = list(ast.children(node))
        stack.extend((path + (k,), kids[k]) for k in reversed(range(len(kids))))


def _replaced(expr: ast.Expr, path: tuple[int, ...], new: ast.Expr) -> ast.Expr:
    """`expr` with the node at `path` replaced by `new` (child k is ast.children's k-th)."""
    if not path:
        return new
    k, rest = path[0], path[1:]
    seen = -1
    for f in fields(expr):
        v = getattr(expr, f.name)
        if isinstance(v, ast.Expr):
            seen += 1
            if seen == k:
                change: dict[str, Any] = {f.name: _replaced(v, rest, new)}
                return replace(expr, **change)
        elif isinstance(v, tuple):
            for n, x in enumerate(v):
                field_value = isinstance(x, tuple) and len(x) == 2 and isinstance(x[1], ast.Expr)  # a record literal's
                if isinstance(x, ast.Expr) or field_value:
                    seen += 1
                    if seen == k:
                        mended = _replaced(x, rest, new) if isinstance(x, ast.Expr) else (x[0], _replaced(x[1], rest, new))
                        change = {f.name: v[:n] + (mended,) + v[n + 1:]}
                        return replace(expr, **change)
    raise IndexError(f"no child {k} in {type(expr).__name__}")
