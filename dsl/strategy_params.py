"""Checks for the parameters of the public hypothesis strategies.

A strategy is built once and drawn from many times, often inside a user's
test run, where a raw IndexError or a Hypothesis message quoting numbers the
user never wrote is hard to trace back. So every public strategy checks its
parameters when it is called and refuses a bad one with one UserError that
names the strategy, the parameter, the value and what is accepted.
"""

from __future__ import annotations

import numbers
from typing import Any, Collection

from dsl.errors import UserError
from dsl.groups import get_group


def refuse(fn: str, name: str, value: Any, accepted: str) -> UserError:
    """The error for `fn(name=value)`: what was given and what would be accepted."""
    shown = repr(value)
    shown = shown if len(shown) <= 60 else shown[:57] + "..."
    return UserError(f"{fn}({name}={shown}): {name} must be {accepted}")


def check_int(fn: str, name: str, value: Any, low: int, high: int | None = None, why: str = "") -> int:
    """`value` if it is an int (not a bool) in low..high (no upper bound when None)."""
    accepted = f"an integer >= {low}" if high is None else f"an integer in {low}..{high}"
    if isinstance(value, numbers.Integral) and not isinstance(value, (int, bool)):  # numpy's: hypothesis takes only int
        raise refuse(fn, name, value, f"a Python int, as hypothesis's own strategies take: {name}=int(...)")
    if not isinstance(value, int) or isinstance(value, bool) or value < low or (high is not None and value > high):
        raise refuse(fn, name, value, accepted + why)
    return value


def check_bool(fn: str, name: str, value: Any) -> bool:
    """`value` if it is True or False (a truthy string such as "no" is refused)."""
    if not isinstance(value, bool):
        raise refuse(fn, name, value, "True or False")
    return value


def check_choice(fn: str, name: str, value: Any, allowed: Collection[Any]) -> Any:
    """`value` if it is one of `allowed` (compared exactly, so "Chain" is not "chain")."""
    if not any(value is a or (type(value) is type(a) and value == a) for a in allowed):
        raise refuse(fn, name, value, "one of " + ", ".join(repr(a) for a in allowed))
    return value


def check_group(fn: str, name: str, value: Any, optional: bool = True) -> str | None:
    """`value` if it names a group get_group knows (or is None when `optional`)."""
    if value is None and optional:
        return None
    accepted = "a group name such as 'Z2', 'Z5', 'S3', 'D4'" + (" or None (drawn)" if optional else "")
    if not isinstance(value, str):
        raise refuse(fn, name, value, accepted)
    try:
        get_group(value)
    except UserError as err:
        raise refuse(fn, name, value, f"{accepted} ({err})") from None
    return value
