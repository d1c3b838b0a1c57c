"""Checks of the plain arguments a caller hands the library: one UserError naming the argument.

numpy takes some mistakes (a float seed, True for 1) and refuses others
deep inside (a negative seed, a float slice bound), and None for a seed
draws a fresh one, so the same call would not give the same examples.
A yes/no flag given "no" would pass for True. A training script's numpy
integers and bools are taken as the plain values they are.
"""

from __future__ import annotations

import numbers
import os
from typing import Any

from dsl.errors import UserError
from dsl.values import as_python


def whole_number(name: str, value: Any, least: int = 0) -> int:
    """`value` as a plain int if it is a whole number >= `least` (numpy integers too); otherwise a UserError naming `name`."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < least:
        raise UserError(f"{name} must be a whole number >= {least}, not {type(value).__name__} {value!r}")
    return int(value)


def flag(name: str, value: Any) -> bool:
    """`value` as a bool if it is one (numpy's too); otherwise a UserError naming `name` ("no" would pass for True)."""
    plain = as_python(value)
    if not isinstance(plain, bool):
        raise UserError(f"{name} must be True or False, not {type(value).__name__} {value!r}")
    return plain


def path_of(caller: str, value: Any) -> str:
    """A file path as a str, given as str, bytes (decoded as `os` does) or a PathLike; otherwise a UserError naming `caller`."""
    if isinstance(value, (str, bytes, os.PathLike)):
        return os.fsdecode(value)
    raise UserError(f"{caller} takes a path (a str or a pathlib.Path), not {type(value).__name__}")
