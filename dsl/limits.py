"""The DSL's size limits, in one place, each with the reason for its value.

Past a limit, input is refused with a `UserError` that names the limit,
instead of crashing (RecursionError), hanging or exhausting memory. The
evaluation budgets (fuel and memory) are per run and settable by the caller;
see dsl.interp.
"""

from __future__ import annotations

# Nesting depth of a program (operators, brackets, if/let/loops, types).
# The checker, printer and compiler recurse once per level (a few Python
# frames each), so this keeps them far from Python's recursion limit (1,000
# frames) whatever calls them. A sum of 150 terms is 150 levels deep.
MAX_NESTING = 150

# Digits of an integer literal in a program (Python refuses int() past 4,300).
MAX_LITERAL_DIGITS = 1000

# Order of a cyclic group Z<n>. Z<n> is arithmetic mod n (O(1) per operation,
# no tables), so the bound is only there because tools that list every
# element (the search's constants, hypothesis strategies) take O(n).
MAX_CYCLIC_ORDER = 1_000_000

# Order of a group stored as permutations with a Cayley table (S3: 6, D4: 8);
# the table has order**2 entries, built once.
MAX_TABLE_ORDER = 256
