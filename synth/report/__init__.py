"""Reporting: scoring by length and position, comparison with other models and
published figures, plots, the generalization experiment and the `Baseline`
API for training scripts. Imports `dsl`, `tasks` and the search; never the CLI.
"""
