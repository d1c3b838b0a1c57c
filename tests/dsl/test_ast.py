"""dsl.ast helpers: which variables an expression reads from outside it."""

from __future__ import annotations

import pytest

from dsl.ast import free_names
from dsl.parse import parse_expr


@pytest.mark.parametrize("text,names", [
    ("x + y * 2", {"x", "y"}),
    ("let a = x in a + b", {"x", "b"}),
    ("let x = x + 1 in x", {"x"}),  # the value reads the outer x
    ("[i + n for i in range(n) if i < k]", {"n", "k"}),
    ("[x for x in x]", {"x"}),  # the source is read outside the loop
    ("fold (s, x) -> s + x + t from s over xs", {"t", "s", "xs"}),  # the initial state reads the outer s
    ("scan (s, x) -> {a: s.a + x} from {a: 0} over xs", {"xs"}),
    ("forall c in cs: val[c.lhs] = c.op * val[c.rhs]", {"cs"}),
    ("if b then xs[i] else 2", {"b", "xs", "i"}),
    ("bisect i in i .. n: i * i <= k", {"i", "n", "k"}),  # the bounds read the outer i
    ("bisect i in 0 .. 9: bisect j in 0 .. i: j < m", {"m"}),
])
def test_free_names_leave_out_what_a_loop_a_rule_or_a_let_binds(text: str, names: set[str]) -> None:
    assert free_names(parse_expr(text)) == names
