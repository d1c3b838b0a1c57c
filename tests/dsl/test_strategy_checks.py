"""The parameter checks behind every public strategy: exact, and one message naming what was given."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dsl.errors import UserError
from dsl.strategy_params import check_bool, check_choice, check_group, check_int, refuse


@given(st.integers(-5, 5), st.integers(-5, 5), st.integers(-10, 10))
def test_check_int_accepts_exactly_the_range(low, span, value):
    high = low + abs(span)
    if low <= value <= high:
        assert check_int("f", "n", value, low, high) == value
    else:
        with pytest.raises(UserError, match=rf"^f\(n={value}\): n must be an integer in {low}\.\.{high}$"):
            check_int("f", "n", value, low, high)


@pytest.mark.parametrize("value", [True, False, 1.0, "1", None])
def test_check_int_refuses_what_is_not_an_int(value):
    with pytest.raises(UserError, match=r"n must be an integer >= 0"):
        check_int("f", "n", value, 0)


def test_choices_and_bools_are_compared_exactly():
    assert check_choice("f", "s", None, (None, "chain")) is None
    for bad in ("Chain", "chain ", 0, False):
        with pytest.raises(UserError, match=r"s must be one of None, 'chain'"):
            check_choice("f", "s", bad, (None, "chain"))
    assert check_bool("f", "b", False) is False
    with pytest.raises(UserError, match=r"b must be True or False"):
        check_bool("f", "b", 0)


def test_groups_are_checked_by_get_group():
    assert check_group("f", "g", "Z7") == "Z7" and check_group("f", "g", None) is None
    with pytest.raises(UserError, match=r"unknown group"):
        check_group("f", "g", "Q8")
    with pytest.raises(UserError, match=r"g must be a group name"):
        check_group("f", "g", None, optional=False)


def test_a_long_value_is_cut_in_the_message():
    message = str(refuse("f", "xs", list(range(1000)), "short"))
    assert len(message) < 120 and message.startswith("f(xs=[0, 1, 2") and "..." in message
