"""The search: cost-ordered bottom-up enumeration of DSL programs from examples.

`solver.synthesize` is the entry point and `settings.Settings` holds its
budgets; `bank` enumerates expressions over a set of evaluation contexts with
observational equivalence (and extends them when a counterexample joins),
its values computed by `semantics` (the primitive table lifted to value
vectors, ERROR and UNKNOWN included) and, on new contexts, by `recipes`;
`grammar` says what may be built; `loops` makes loops bank operators,
`rootloops` checks one root loop example by example, `deduce` derives loop
bodies' examples from the output, and `rules` is the recursive rule.
The search imports `dsl` and `tasks`, never reporting, suite or CLI code.
"""

from synth.search.settings import Settings
from synth.search.solver import Found, Result, Stats, synthesize

__all__ = ["Found", "Result", "Settings", "Stats", "synthesize"]
