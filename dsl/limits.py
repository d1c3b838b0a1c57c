"""The DSL's size limits and evaluation bounds, in one place, each with the reason for its value.

Past a limit, input is refused with a `UserError` that names the limit,
instead of crashing (RecursionError), hanging or exhausting memory. The
evaluation budgets (fuel and memory) are per run and settable by the caller;
see dsl.interp.

Integers are arbitrary precision, but no primitive may produce one of more
than MAX_INT_BITS bits: a result beyond it is a runtime error ("integer
overflow"), in the interpreter and in the search's banks alike (both take it
from the primitive table). With that bound and fuel charged per 64-bit word
of an operand (WORD_BITS), arithmetic cannot outrun the step budget.
MAX_BUILT_LIST caps the lists `range` and `to_bits_len` build from a number,
whatever the fuel.
"""

from __future__ import annotations

import sys

MAX_INT_BITS = 1 << 20  # |n| < 2**MAX_INT_BITS: about 315,653 decimal digits
WORD_BITS = 64  # an integer operation pays one step, plus one per WORD_BITS of its largest operand
MAX_BUILT_LIST = 10_000_000  # range(n), to_bits_len(n, k), pad(xs, n, v)

# Nesting depth of a program (operators, brackets, if/let/loops, types).
# The checker, printer and compiler recurse once per level (a few Python
# frames each), so this keeps them far from Python's recursion limit (1,000
# frames) whatever calls them. A sum of 150 terms is 150 levels deep.
MAX_NESTING = 150

# Parts of one type with its aliases written out (`type T1 = {a: T0, b: T0}`
# doubles T0): types are printed, compared and hashed part by part, so a type
# of 2**40 parts written in 40 lines would hang every one of them.
MAX_TYPE_PARTS = 10_000

# Digits of an integer literal in a program: CPython's own default for converting
# text to int without a quadratic-time guard. Larger numbers are computed (Int is
# arbitrary precision up to MAX_INT_BITS), not written out.
MAX_LITERAL_DIGITS = 4300

# Order of a cyclic group Z<n>. Z<n> is arithmetic mod n (O(1) per operation,
# no tables), so the bound is only there because tools that list every
# element (the search's constants, hypothesis strategies) take O(n).
MAX_CYCLIC_ORDER = 1_000_000

# Order of a group stored as permutations with a Cayley table (S3: 6, D4: 8);
# the table has order**2 entries, built once.
MAX_TABLE_ORDER = 256

# Python refuses to print integers of more than 4,300 digits by default (a
# guard against slow conversions); the DSL's own bound is the guard here, so
# values up to it can be printed and written as JSON.
_DIGITS = MAX_INT_BITS * 30103 // 100000 + 2
if hasattr(sys, "get_int_max_str_digits"):
    _current = sys.get_int_max_str_digits()
    if _current and _current < _DIGITS:
        sys.set_int_max_str_digits(_DIGITS)


def describe_int(n: int) -> str:
    """An integer for an error message: its digits if short, else its size (printing 300,000 digits takes a second)."""
    if n.bit_length() <= 64:
        return str(n)
    return f"{'-' if n < 0 else ''}a {n.bit_length():,}-bit number"
