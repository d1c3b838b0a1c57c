"""Sweeps: many searches over tasks, seeds and settings, resumable, stored in SQLite.

A spec (`spec`) names a grid of cells (`cell`: one search each, with a
stable hash); a backend (`backends`: a local process pool, or Ray) runs
them, one search per process on a CPU budget (`worker`); the runner
(`runner`) stores each finished cell in its own transaction (`store`), so a
killed sweep resumes where it stopped; `--shard i/N` (`shard`) splits a grid
for job arrays. `headline` and `render` make the table of results beside the
published neural figures. Imports `dsl`, `tasks`, the search and reporting;
never the CLI.

    from synth.suite import plan, run_sweep, Store, make_backend
    cells = plan(["sweep.toml"])
    with Store("results.sqlite") as store:
        run_sweep(cells, store, make_backend("local", jobs=2))
"""

from synth.suite.backends import make_backend
from synth.suite.cell import Cell, Generated, Lengths, SearchSettings, TaskFile
from synth.suite.outcome import Outcome
from synth.suite.runner import Summary, run_sweep
from synth.suite.spec import plan
from synth.suite.store import Store, read_rows

__all__ = [
    "Cell",
    "Generated",
    "Lengths",
    "Outcome",
    "SearchSettings",
    "Store",
    "Summary",
    "TaskFile",
    "make_backend",
    "plan",
    "read_rows",
    "run_sweep",
]
