"""The search: cost-ordered bottom-up enumeration of DSL programs from examples.

`solver.synthesize` is the entry point; `bank` enumerates expressions over a
set of evaluation contexts with observational equivalence; `grammar` says what
may be built; `loops` and `rules` are the loop skeletons and their bodies.
The search imports `dsl` and `tasks`, never reporting, suite or CLI code.
"""

from synth.search.solver import Found, Result, Stats, synthesize

__all__ = ["Found", "Result", "Stats", "synthesize"]
