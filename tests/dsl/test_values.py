"""dsl.values.walk visits a value and every value inside it, wherever it sits."""

from __future__ import annotations

from dsl.groups import parse_elem
from dsl.values import MapValue, Record, walk


def test_walk_reaches_every_container_depth_first():
    a, b, c, d = (parse_elem(t) for t in ("Z5:1", "S3:(01)", "Z2:1", "D4:r1"))
    inner = Record(("x", "y"), (3, (b,)))
    table = MapValue({c: d, "k": 2})
    value = (a, inner, table, True, "sym")
    assert list(walk(value)) == [value, a, inner, 3, (b,), b, table, c, d, "k", 2, True, "sym"]
    assert list(walk(7)) == [7] and list(walk(())) == [()]
