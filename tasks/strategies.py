"""Hypothesis strategies for every task family, for users' test suites.

LEGO sentences and records are defined here; the 15 sequence tasks' examples
(`sequence_examples`, `sequence_names`) come from tasks.sequence.strategies.

    from hypothesis import given
    from tasks.strategies import sentences, records

    @given(sentences(group="S3", max_size=8, structure="tree"))
    def test_my_model(sentence): ...

Sentences are always well formed (one root, every operand defined, no
cycle) and can be read back in every syntax; names are drawn from single
letters (`e` among them) plus a few awkward ones (`val`, `not`, `r1`, `s0`, `x_1`) that collide
with keywords or element names, so readers and programs are tested on them
too. Shrinking goes towards short chains in chain order with identity
operations. Every parameter is checked when the strategy is called: a bad one
is a UserError naming it.
"""

from __future__ import annotations

import re
from typing import Any, Sequence

from hypothesis import strategies as st

from dsl.groups import KNOWN_GROUPS, get_group
from dsl.strategy_params import check_bool, check_choice, check_group, check_int, refuse
from tasks.lego.sentence import Clause, LegoRecord, Sentence
from tasks.lego.solve import chain_order, solve
from tasks.sequence.strategies import any_sequence_example, sequence_examples, sequence_names

__all__ = [
    "NAME_POOL", "any_sequence_example", "group_names", "records", "sentences", "sequence_examples",
    "sequence_names", "z2_sentences",
]

NAME_POOL: tuple[str, ...] = tuple("abcdefghijklmnopqrstuvwxyz") + ("val", "not", "r2", "r1", "s0", "x_1", "Foo", "aa", "zz9")
SYNTAXES_FOR = {"Z2": ("official", "signs", "readable")}
STRUCTURES = (None, "chain", "tree")
LABELLED = ("any", "all", "none", "prefix", "subset")
# A variable name every LEGO syntax reads back (the readers' own rule).
VARIABLE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")


def group_names() -> st.SearchStrategy[str]:
    """Names of the groups LEGO uses: Z2, Z5, S3, D4."""
    return st.sampled_from(KNOWN_GROUPS)


def _check_names(fn: str, names: Any) -> tuple[str, ...]:
    """Distinct variable names the readers accept: a sentence over others could not be read back."""
    accepted = "a list of distinct variable names (a letter, then letters, digits or _)"
    if isinstance(names, (str, bytes)) or not isinstance(names, Sequence) or not names:
        raise refuse(fn, "names", names, accepted)
    for n in names:
        if not isinstance(n, str) or not VARIABLE_NAME.fullmatch(n):
            raise refuse(fn, "names", names, f"{accepted}; {n!r} is not one")
    if len(set(names)) != len(names):
        twice = next(n for n in names if names.count(n) > 1)
        raise refuse(fn, "names", names, f"{accepted}; {twice!r} is there twice")
    return tuple(names)


def _check_sizes(fn: str, min_size: Any, max_size: Any, names: Sequence[str], named: bool = True) -> None:
    """Sizes within the names there are; `named`: the strategy takes `names=`, so more names are the way to longer sentences."""
    more = "pass more names for longer sentences" if named else "sentences(..., names=...) draws longer ones"
    limit = f" (one clause per distinct name: at most {len(names)}; {more})"
    check_int(fn, "min_size", min_size, 1, len(names), limit)
    check_int(fn, "max_size", max_size, min_size, len(names), limit)


def sentences(
    group: str | None = None,
    min_size: int = 1,
    max_size: int = 12,
    structure: str | None = None,
    shuffle: bool = True,
    names: Sequence[str] = NAME_POOL,
) -> st.SearchStrategy[Sentence]:
    """A well-formed sentence over `group` (drawn if None) of min_size..max_size clauses.

    `structure`: "chain", "tree" or None (either). With `shuffle`, clause order is drawn.
    Each clause defines a distinct name, so max_size is at most len(names): 35 with
    the default NAME_POOL. Names must be distinct and readable back (a letter, then
    letters, digits or _).
    """
    return _checked_sentences("sentences", group, min_size, max_size, structure, shuffle, names)


def _checked_sentences(fn: str, group: Any, min_size: Any, max_size: Any, structure: Any, shuffle: Any,
                       names: Any) -> st.SearchStrategy[Sentence]:
    """`sentences` once its parameters pass, errors naming `fn` (the strategy the user called)."""
    check_group(fn, "group", group)
    names = _check_names(fn, names)
    _check_sizes(fn, min_size, max_size, names)
    check_choice(fn, "structure", structure, STRUCTURES)
    check_bool(fn, "shuffle", shuffle)
    return _sentences(group, min_size, max_size, structure, shuffle, names)


@st.composite
def _sentences(draw: Any, group: str | None, min_size: int, max_size: int, structure: str | None,
               shuffle: bool, names: tuple[str, ...]) -> Sentence:
    g = get_group(group or draw(group_names()))
    n = draw(st.integers(min_size, max_size))
    chosen = draw(st.lists(st.sampled_from(names), min_size=n, max_size=n, unique=True))
    kind = structure or draw(st.sampled_from(["chain", "tree"]))
    ops = draw(st.lists(st.integers(0, len(g) - 1), min_size=n, max_size=n))
    clauses = [Clause(chosen[0], g.elements[ops[0]])]
    for i in range(1, n):
        parent = i - 1 if kind == "chain" else draw(st.integers(0, i - 1))
        clauses.append(Clause(chosen[i], g.elements[ops[i]], chosen[parent]))
    if shuffle:
        clauses = draw(st.permutations(clauses))
    return Sentence(g, tuple(clauses))


def records(
    group: str | None = None,
    min_size: int = 1,
    max_size: int = 12,
    structure: str | None = None,
    labelled: str = "any",
) -> st.SearchStrategy[LegoRecord]:
    """A sentence (as `sentences` draws it) with correct labels on some variables.

    `labelled`: "all", "none", "prefix" (the first k along the chain), "subset"
    (any subset) or "any" (one of those four, drawn).
    """
    fn = "records"
    check_group(fn, "group", group)
    _check_sizes(fn, min_size, max_size, NAME_POOL, named=False)
    check_choice(fn, "structure", structure, STRUCTURES)
    check_choice(fn, "labelled", labelled, LABELLED)
    return _records(sentences(group, min_size, max_size, structure), labelled)


@st.composite
def _records(draw: Any, sentence_st: st.SearchStrategy[Sentence], labelled: str) -> LegoRecord:
    s = draw(sentence_st)
    values = solve(s)
    mode = labelled if labelled != "any" else draw(st.sampled_from(["all", "none", "prefix", "subset"]))
    if mode == "all":
        keep = list(values)
    elif mode == "none":
        keep = []
    elif mode == "prefix":
        keep = chain_order(s)[: draw(st.integers(0, len(s)))]
    else:
        keep = [v for v in values if draw(st.booleans())]
    return LegoRecord(s, {v: values[v] for v in keep})


def z2_sentences(min_size: int = 1, max_size: int = 12, structure: str | None = None, shuffle: bool = True,
                 names: Sequence[str] = NAME_POOL) -> st.SearchStrategy[Sentence]:
    """Sentences over Z2, the group of the paper's and the sign syntax (the parameters of `sentences`)."""
    return _checked_sentences("z2_sentences", "Z2", min_size, max_size, structure, shuffle, names)
