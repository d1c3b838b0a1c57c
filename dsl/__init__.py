"""lego-synth's language: a small typed DSL with universally quantified, bounded loops.

`dsl` knows nothing of `tasks` or `synth`; both build on it.
"""
