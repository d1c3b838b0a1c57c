"""Hypothesis strategies for every task family, for users' test suites.

LEGO sentences and records are defined here; the 15 sequence tasks' examples
(`sequence_examples`, `sequence_names`) come from tasks.sequence.strategies.

    from hypothesis import given
    from tasks.strategies import sentences, records

    @given(sentences(group="S3", max_size=8, structure="tree"))
    def test_my_model(sentence): ...

Sentences are always well formed (one root, every operand defined, no
cycle); names are drawn from single letters plus a few awkward ones (`val`,
`not`, `e`, `r1`, `x_1`) that collide with keywords or element names, so
readers and programs are tested on them too. Shrinking goes towards short
chains in chain order with identity operations.
"""

from __future__ import annotations

from typing import Sequence

from hypothesis import strategies as st

from dsl.groups import KNOWN_GROUPS, get_group
from tasks.lego.sentence import Clause, LegoRecord, Sentence
from tasks.lego.solve import solve
from tasks.sequence.strategies import any_sequence_example, sequence_examples, sequence_names

__all__ = [
    "NAME_POOL", "any_sequence_example", "group_names", "records", "sentences", "sequence_examples",
    "sequence_names", "z2_sentences",
]

NAME_POOL: tuple[str, ...] = tuple("abcdefghijklmnopqrstuvwxyz") + ("val", "not", "e", "r1", "s0", "x_1", "Foo", "aa", "zz9")
SYNTAXES_FOR = {"Z2": ("official", "signs", "readable")}


def group_names() -> st.SearchStrategy[str]:
    """Names of the groups LEGO uses: Z2, Z5, S3, D4."""
    return st.sampled_from(KNOWN_GROUPS)


@st.composite
def sentences(
    draw,
    group: str | None = None,
    min_size: int = 1,
    max_size: int = 12,
    structure: str | None = None,
    shuffle: bool = True,
    names: Sequence[str] = NAME_POOL,
) -> Sentence:
    """A well-formed sentence over `group` (drawn if None) of min_size..max_size clauses.

    `structure`: "chain", "tree" or None (either). With `shuffle`, clause order is drawn.
    """
    g = get_group(group or draw(group_names()))
    max_size = min(max_size, len(names))
    n = draw(st.integers(min_size, max_size))
    chosen = draw(st.lists(st.sampled_from(list(names)), min_size=n, max_size=n, unique=True))
    kind = structure or draw(st.sampled_from(["chain", "tree"]))
    ops = draw(st.lists(st.integers(0, len(g) - 1), min_size=n, max_size=n))
    clauses = [Clause(chosen[0], g.elements[ops[0]])]
    for i in range(1, n):
        parent = i - 1 if kind == "chain" else draw(st.integers(0, i - 1))
        clauses.append(Clause(chosen[i], g.elements[ops[i]], chosen[parent]))
    if shuffle:
        clauses = draw(st.permutations(clauses))
    return Sentence(g, tuple(clauses))


@st.composite
def records(
    draw,
    group: str | None = None,
    min_size: int = 1,
    max_size: int = 12,
    structure: str | None = None,
    labelled: str = "any",
) -> LegoRecord:
    """A sentence with correct labels: "all", "none", "prefix" (first k along the chain) or "any" subset."""
    s = draw(sentences(group=group, min_size=min_size, max_size=max_size, structure=structure))
    values = solve(s)
    mode = labelled if labelled != "any" else draw(st.sampled_from(["all", "none", "prefix", "subset"]))
    if mode == "all":
        keep = list(values)
    elif mode == "none":
        keep = []
    elif mode == "prefix":
        from tasks.lego.solve import chain_order

        keep = chain_order(s)[: draw(st.integers(0, len(s)))]
    else:
        keep = [v for v in values if draw(st.booleans())]
    return LegoRecord(s, {v: values[v] for v in keep})


def z2_sentences(**kwargs) -> st.SearchStrategy[Sentence]:
    """Sentences over Z2, the group of the paper's and the sign syntax."""
    return sentences(group="Z2", **kwargs)
