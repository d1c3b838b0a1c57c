"""Hypothesis strategies for the 15 suite tasks: valid inputs with their reference outputs.

    from hypothesis import given
    from tasks.strategies import sequence_examples

    @given(sequence_examples("binary_addition", max_len=60))
    def test_my_model(example):
        assert my_model(example.inputs["xs"]) == example.output

Inputs are always ones DeepMind's code could draw (`SequenceTask.check_input`
accepts them). Tasks whose inputs are free token strings are built token by
token, so failures shrink to short strings of small tokens; the structured
tasks (expressions, stacks, binary numbers, ...) are drawn by the task's own
generator from a hypothesis-chosen seed and length, so they shrink in length.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from dsl.errors import UserError
from tasks.core import Example
from tasks.sequence.tasks import SEQUENCE_TASKS, get_sequence_task

# Tasks where every string over the alphabet is an input: drawn token by token.
FREE_STRINGS = frozenset({"parity_check", "even_pairs", "cycle_navigation", "reverse_string", "duplicate_string", "odds_first", "bucket_sort"})


def sequence_names() -> st.SearchStrategy[str]:
    """Names of the 15 tasks."""
    return st.sampled_from(list(SEQUENCE_TASKS))


@st.composite
def sequence_examples(draw, name: str, min_len: int | None = None, max_len: int = 40) -> Example:
    """An example of task `name` with input length in min_len..max_len (default: the task's shortest).

    modular_arithmetic has odd lengths only, so the range must hold an odd length.
    """
    task = get_sequence_task(name)
    low = task.min_length if min_len is None else max(min_len, task.min_length)
    if low > max_len:
        raise UserError(f"{name}: no input length in {low}..{max_len}")
    if name == "modular_arithmetic":
        odd = [n for n in range(low, max_len + 1) if n % 2 == 1]
        if not odd:
            raise UserError(f"{name}: no odd length in {low}..{max_len}")
        length = draw(st.sampled_from(odd))
    else:
        length = draw(st.integers(low, max_len))
    if name in FREE_STRINGS:
        xs = tuple(draw(st.lists(st.integers(0, task.alphabet - 1), min_size=length, max_size=length)))
    else:
        seed = draw(st.integers(0, 2**32 - 1))
        xs = task.draw(np.random.default_rng(seed), length, 1)[0].xs
    return Example({"xs": xs}, task.reference(xs))


def any_sequence_example(max_len: int = 40) -> st.SearchStrategy[Example]:
    """An example of any suite task (the task's name is not part of the example; draw it yourself if needed)."""
    return sequence_names().flatmap(lambda name: sequence_examples(name, max_len=max_len))
