"""Task families (LEGO first): generators, readers, writers, reference solvers, strategies.

Public entry points:
    tasks.task       Example, Task, load_task, task_from_records, fresh_examples, agrees, contradictions
    tasks.families   the registry of task families: recognise, load, fresh examples, validate
    tasks.lego       sentences, syntaxes, records, generator, reference solver
    tasks.sequence   the Chomsky-hierarchy sequence tasks
    tasks.open       open task files: any problem posed as input/output examples
    tasks.strategies hypothesis strategies for users' tests (needs hypothesis)
"""

from __future__ import annotations

from typing import Any

__all__ = ["strategies"]


def __getattr__(name: str) -> Any:
    # strategies need hypothesis, a test-only dependency: import on first use.
    if name == "strategies":
        import importlib

        return importlib.import_module("tasks.strategies")
    raise AttributeError(name)
