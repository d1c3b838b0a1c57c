"""Group axioms over every element of every group the DSL knows."""

from __future__ import annotations

import itertools

import pytest

from dsl.groups import KNOWN_GROUPS, get_group, parse_elem


@pytest.mark.parametrize("name", KNOWN_GROUPS)
def test_axioms(name: str) -> None:
    g = get_group(name)
    els = g.elements
    e = g.identity
    for a, b, c in itertools.product(els, repeat=3):
        assert (a * b) * c == a * (b * c)
    for a in els:
        assert a * e == a == e * a
        assert a * g.inverse(a) == e == g.inverse(a) * a


@pytest.mark.parametrize("name,order", [("Z2", 2), ("Z5", 5), ("S3", 6), ("D4", 8)])
def test_orders_and_names_round_trip(name: str, order: int) -> None:
    g = get_group(name)
    assert len(g) == order
    for el in g.elements:
        assert parse_elem(str(el)) is el


def test_z2_notations_agree() -> None:
    assert parse_elem("Z2:not") == parse_elem("Z2:1") == parse_elem("Z2:-1") == parse_elem("Z2:-")
    assert parse_elem("Z2:val") == parse_elem("Z2:0") == parse_elem("Z2:+1")


def test_non_abelian() -> None:
    for name in ("S3", "D4"):
        els = get_group(name).elements
        assert any(a * b != b * a for a in els for b in els)
