"""The code snippets in the strategy modules' docstrings run as printed.

A user copies them into a test suite, so each one is run here against a
correct model that returns a list (as most models do; DSL lists are tuples),
and its hypothesis tests are called. A stale snippet fails this test.
"""

from __future__ import annotations

import re
from types import ModuleType

import pytest

import dsl.strategies
import synth.search.strategies
import tasks.sequence.strategies
import tasks.strategies
from tasks.sequence import get_sequence_task

MODULES = (tasks.strategies, tasks.sequence.strategies, dsl.strategies, synth.search.strategies)
WITH_SNIPPETS = (tasks.strategies, tasks.sequence.strategies, synth.search.strategies)


def snippets(module: ModuleType) -> list[str]:
    """The indented code blocks of the module's docstring, dedented."""
    blocks = re.findall(r"(?:^    .*\n|^\n)+", module.__doc__ or "", flags=re.M)
    return [re.sub(r"^    ", "", b, flags=re.M).strip() + "\n" for b in blocks if b.strip()]


def run_snippet(code: str) -> None:
    """Run `code` with a correct list-returning `my_model` for the task it names, then call its tests."""
    task = re.search(r'sequence_examples\("(\w+)"', code)
    reference = get_sequence_task(task.group(1)).reference if task else (lambda xs: xs)
    namespace: dict = {"my_model": lambda xs: list(reference(tuple(xs)))}
    exec(compile(code, "<docstring snippet>", "exec"), namespace)  # our own docstrings, not user input
    tests = [f for name, f in namespace.items() if name.startswith("test_") and callable(f)]
    assert tests, code
    for test in tests:
        test()


def test_the_modules_users_read_first_have_snippets():
    for module in WITH_SNIPPETS:
        assert snippets(module), module.__name__


@pytest.mark.parametrize("code", [c for m in MODULES for c in snippets(m)], ids=lambda c: c.splitlines()[-1][:40])
def test_docstring_snippet_runs_as_printed(code):
    run_snippet(code)


def test_the_old_sequence_snippet_fails_for_a_list_returning_model():
    stale = snippets(tasks.sequence.strategies)[0].replace(
        'assert tuple(my_model(list(example.inputs["xs"]))) == example.output',
        'assert my_model(example.inputs["xs"]) == example.output',
    )
    assert "tuple(" not in stale
    with pytest.raises(AssertionError):
        run_snippet(stale)
