"""Root loops: which comprehension skeletons can fit, and the answers they give."""

from __future__ import annotations

from dsl.types import INT, ListT
from synth.search.bank import Entry
from synth.search.rootloops import _filter_can_fit
from synth.search.solver import synthesize
from tasks.core import Example, Task
from tasks.open.spec import OpenSpec

XSS = [(3, 1, 4), (1, 5), (9, 2, 6, 5), (), (8,)]


def _source(values) -> Entry:
    return Entry(None, ListT(INT), 1, tuple(values))  # type: ignore[arg-type]


def test_a_filter_never_lengthens_and_is_skipped_where_it_would_keep_everything() -> None:
    src = _source(XSS)
    assert not _filter_can_fit(src, [xs + (0,) for xs in XSS], plain_cheaper=True)  # an output longer than its source
    assert not _filter_can_fit(src, [xs + (0,) for xs in XSS], plain_cheaper=False)
    assert not _filter_can_fit(src, list(XSS), plain_cheaper=True)  # keeps all: the plain comprehension is no dearer
    assert _filter_can_fit(src, list(XSS), plain_cheaper=False)  # a profile where the filter is the cheaper form
    assert _filter_can_fit(src, [xs[:1] for xs in XSS], plain_cheaper=True)  # drops something somewhere
    assert not _filter_can_fit(src, [1, 2, 3, 4, 5], plain_cheaper=True)  # not lists at all


def _task(f) -> Task:
    train = tuple(Example({"xs": xs}, f(xs)) for xs in XSS)
    return Task("t", "open", (("xs", ListT(INT)),), ListT(INT), train, (), OpenSpec())


def test_a_filter_is_still_found_and_a_map_is_found_without_one() -> None:
    evens = synthesize(_task(lambda xs: tuple(x for x in xs if x % 2 == 0)))
    assert evens.text is not None and " if " in evens.text, evens.text
    doubled = synthesize(_task(lambda xs: tuple(x + x for x in xs)))
    assert doubled.text is not None and " if " not in doubled.text, doubled.text
