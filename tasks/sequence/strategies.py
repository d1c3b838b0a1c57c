"""Hypothesis strategies for the 15 suite tasks: valid inputs with their reference outputs.

    from hypothesis import given
    from tasks.strategies import sequence_examples

    @given(sequence_examples("binary_addition", max_len=60))
    def test_my_model(example):
        # DSL list values are tuples: compare a model's list as a tuple.
        assert tuple(my_model(list(example.inputs["xs"]))) == example.output

Inputs are always ones DeepMind's code could draw (`SequenceTask.check_input`
accepts them). Tasks whose inputs are free token strings are built token by
token, so failures shrink to short strings of small tokens; the structured
tasks (expressions, stacks, binary numbers, ...) are drawn by the task's own
generator from a hypothesis-chosen seed and length, so they shrink in length.
Every parameter is checked when the strategy is called: a bad one is a
UserError naming it.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from dsl.strategy_params import check_int, refuse
from tasks.core import Example
from tasks.sequence.tasks import SEQUENCE_TASKS, get_sequence_task

# Tasks where every string over the alphabet is an input: drawn token by token.
# Free strings up to this length are drawn item by item (hypothesis shrinks them); longer ones from a seeded generator.
LISTED_MAX = 1000
FREE_STRINGS = frozenset({"parity_check", "even_pairs", "cycle_navigation", "reverse_string", "duplicate_string", "odds_first", "bucket_sort"})
# Tasks whose inputs have odd lengths only (a number, then operator-number pairs).
ODD_LENGTHS = frozenset({"modular_arithmetic"})
# The shortest max_len every task has an input for: any_sequence_example's lower bound.
LONGEST_MIN_LENGTH = max(t.min_length for t in SEQUENCE_TASKS.values())


def sequence_names() -> st.SearchStrategy[str]:
    """Names of the 15 tasks."""
    return st.sampled_from(list(SEQUENCE_TASKS))


def sequence_examples(name: str, min_len: int | None = None, max_len: int = 40) -> st.SearchStrategy[Example]:
    """An example of task `name` with input length in min_len..max_len.

    min_len defaults to the task's shortest input (task.min_length), and a smaller
    min_len is raised to it; max_len must reach it. modular_arithmetic has odd
    lengths only, so the range must hold an odd length.
    """
    fn = "sequence_examples"
    if not isinstance(name, str) or name not in SEQUENCE_TASKS:
        raise refuse(fn, "name", name, "one of " + ", ".join(SEQUENCE_TASKS))
    task = get_sequence_task(name)
    if min_len is not None:
        check_int(fn, "min_len", min_len, 0)
    low = task.min_length if min_len is None else max(min_len, task.min_length)
    shortest = f" (min_len={min_len})" if low > task.min_length else f" ({name}'s shortest input)" if low else ""
    check_int(fn, "max_len", max_len, low, why=shortest)
    if name in ODD_LENGTHS:
        first = low if low % 2 else low + 1
        if first > max_len:
            raise refuse(fn, "max_len", max_len, f">= {first}: {name} has odd input lengths only")
        lengths = st.integers(first // 2, (max_len - 1) // 2).map(lambda k: 2 * k + 1)
    else:
        lengths = st.integers(low, max_len)
    return _sequence_examples(name, lengths)


@st.composite
def _sequence_examples(draw: Any, name: str, lengths: st.SearchStrategy[int]) -> Example:
    task = get_sequence_task(name)
    length = draw(lengths)
    if name in FREE_STRINGS and length <= LISTED_MAX:
        xs = tuple(draw(st.lists(st.integers(0, task.alphabet - 1), min_size=length, max_size=length)))
    elif name in FREE_STRINGS:  # hypothesis draws lists of at most 8,192 items: a longer string from a seeded generator
        rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
        xs = tuple(int(x) for x in rng.integers(0, task.alphabet, length))
    else:
        seed = draw(st.integers(0, 2**32 - 1))
        xs = task.draw(np.random.default_rng(seed), length, 1)[0].xs
    return Example({"xs": xs}, task.reference(xs))


def any_sequence_example(max_len: int = 40) -> st.SearchStrategy[Example]:
    """An example of any suite task (the task's name is not part of the example; draw it yourself if needed).

    max_len must give every task an input: at least LONGEST_MIN_LENGTH (1)."""
    check_int("any_sequence_example", "max_len", max_len, LONGEST_MIN_LENGTH, why=" (some tasks have no shorter input)")
    return sequence_names().flatmap(lambda name: sequence_examples(name, max_len=max_len))
