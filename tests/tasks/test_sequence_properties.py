"""Properties of the suite's references, checked on the exported hypothesis strategies."""

from __future__ import annotations

import dataclasses
from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tasks.sequence import SEQUENCE_TASKS, get_sequence_task
from tasks.sequence.expr import BRACKETS, EQUATION
from tasks.sequence.tasks import modular_arithmetic_brackets, reverse_string
from tasks.strategies import any_sequence_example, sequence_examples

NAMES = list(SEQUENCE_TASKS)


def _xs(ex):
    return ex.inputs["xs"]


def _le(bits):
    return sum(b << i for i, b in enumerate(bits))


def output_shape_error(task, xs, output) -> str | None:
    """Why `output` cannot be task's label for `xs` (wrong type, class, token or length), judged from the spec alone."""
    if task.classes is not None:
        ok = isinstance(output, int) and not isinstance(output, bool) and 0 <= output < task.classes
        return None if ok else f"not a class 0..{task.classes - 1}: {output!r}"
    if not isinstance(output, tuple) or len(output) != task.output_length(len(xs)):
        return f"not a tuple of {task.output_length(len(xs))} tokens: {output!r}"
    if not all(isinstance(t, int) and 0 <= t < task.output_alphabet for t in output):
        return f"a token outside 0..{task.output_alphabet - 1}: {output!r}"
    return None


def check_reference_against_generator(task, seed: int, length: int, count: int = 8) -> None:
    """The generator labels its own inputs as DeepMind's code does, apart from `reference`: both must agree."""
    for drawn in task.draw(np.random.default_rng(seed), length, count):
        assert task.reference(drawn.xs) == drawn.output, (task.name, drawn.xs)


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), extra=st.integers(0, 25))
def test_reference_gives_the_generators_labels(name, seed, extra):
    task = get_sequence_task(name)
    length = task.min_length + extra
    if name == "modular_arithmetic":
        length |= 1
    check_reference_against_generator(task, seed, length)


WRONG_REFERENCES = {
    "always 7": lambda task: (lambda xs: 7),
    "another task's": lambda task: get_sequence_task("even_pairs" if task.name != "even_pairs" else "parity_check").reference,
    "right but for the shortest inputs": lambda task: (lambda xs: task.reference(xs) if len(xs) > task.min_length + 1 else 7),
}


@pytest.mark.parametrize("wrong", list(WRONG_REFERENCES))
@pytest.mark.parametrize("name", ["parity_check", "binary_addition", "reverse_string", "modular_arithmetic_brackets"])
def test_a_wrong_reference_fails_the_generator_check(name, wrong):
    task = get_sequence_task(name)
    broken = dataclasses.replace(task, reference=WRONG_REFERENCES[wrong](task))
    with pytest.raises(AssertionError):
        for seed in range(20):
            check_reference_against_generator(broken, seed, task.min_length + seed % 8, count=16)


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_strategy_gives_valid_inputs_with_well_formed_outputs(name, data):
    task = get_sequence_task(name)
    ex = data.draw(sequence_examples(name, min_len=3, max_len=30))
    assert 3 <= len(_xs(ex)) <= 30 and task.check_input(_xs(ex)) is None
    assert output_shape_error(task, _xs(ex), ex.output) is None


@pytest.mark.parametrize("name", ["parity_check", "bucket_sort", "compute_sqrt"])
def test_a_wrong_output_is_caught_by_the_shape_check(name):
    task = get_sequence_task(name)
    xs = task.draw(np.random.default_rng(0), 6, 1)[0].xs
    for wrong in (7, -1, (), (0,) * 40, (9,) * len(task.reference(xs)) if task.classes is None else True):
        assert output_shape_error(task, xs, wrong) is not None


@settings(max_examples=30, deadline=None)
@given(any_sequence_example(max_len=12))
def test_any_task_example_is_valid_for_some_task(ex):
    assert any(t.check_input(_xs(ex)) is None and output_shape_error(t, _xs(ex), ex.output) is None
               for t in SEQUENCE_TASKS.values())


@given(sequence_examples("reverse_string", max_len=60))
def test_reverse_is_an_involution(ex):
    assert reverse_string(ex.output) == _xs(ex)


@given(sequence_examples("duplicate_string", max_len=60))
def test_duplicate_is_two_copies(ex):
    n = len(_xs(ex))
    assert len(ex.output) == 2 * n and ex.output[:n] == ex.output[n:] == _xs(ex)


@given(sequence_examples("bucket_sort", max_len=60))
def test_sort_is_sorted_and_a_permutation(ex):
    assert list(ex.output) == sorted(ex.output) and Counter(ex.output) == Counter(_xs(ex))


@given(sequence_examples("odds_first", max_len=60))
def test_odds_first_interleaves_back(ex):
    xs, n = _xs(ex), len(_xs(ex))
    odd, even = ex.output[: n // 2], ex.output[n // 2:]
    assert tuple(even[i // 2] if i % 2 == 0 else odd[i // 2] for i in range(n)) == xs


@given(sequence_examples("binary_addition", min_len=3, max_len=80))
def test_binary_addition_is_integer_addition(ex):
    xs = list(_xs(ex))
    i = xs.index(2)
    end = ex.output.index(2)
    assert _le(ex.output[:end]) == _le(xs[:i]) + _le(xs[i + 1:])
    assert ex.output[end - 1] == 1 and set(ex.output[end + 1:]) <= {0}


@given(sequence_examples("binary_multiplication", min_len=3, max_len=80))
def test_binary_multiplication_is_integer_product(ex):
    xs = list(_xs(ex))
    i = xs.index(2)
    end = ex.output.index(2)
    assert _le(ex.output[:end]) == _le(xs[:i]) * _le(xs[i + 1:]) and len(ex.output) == len(xs)


@given(sequence_examples("compute_sqrt", max_len=120))
def test_sqrt_brackets_the_number(ex):
    n = int("".join(map(str, _xs(ex))), 2)
    r = int("".join(map(str, ex.output)), 2)
    assert r * r <= n < (r + 1) * (r + 1)


@given(sequence_examples("missing_duplicate_string", min_len=2, max_len=60))
def test_filling_the_hole_makes_two_equal_halves(ex):
    xs = list(_xs(ex))
    xs[xs.index(2)] = ex.output
    h = len(xs) // 2
    assert xs[:h] == xs[h:2 * h]


@given(sequence_examples("solve_equation", min_len=3, max_len=60))
def test_the_solution_satisfies_the_equation(ex):
    """Substituted for x and re-encoded for modular_arithmetic_brackets, the left side evaluates to the right."""
    recode = {EQUATION.plus: BRACKETS.plus, EQUATION.minus: BRACKETS.minus, EQUATION.open: BRACKETS.open,
              EQUATION.close: BRACKETS.close, EQUATION.x: ex.output}
    xs = _xs(ex)
    lhs = [recode.get(t, t) for t in xs[:-2]]
    assert modular_arithmetic_brackets(lhs) == xs[-1]


@given(sequence_examples("stack_manipulation", max_len=60))
def test_stack_output_shape(ex):
    out = ex.output
    assert len(out) == len(_xs(ex)) + 1 and out.count(2) == 1 and set(out[out.index(2) + 1:]) <= {0}


@given(sequence_examples("even_pairs", max_len=60), sequence_examples("parity_check", max_len=60))
def test_even_pairs_and_parity(pairs, parity):
    xs = _xs(pairs)
    assert pairs.output == sum(a != b for a, b in zip(xs, xs[1:])) % 2
    assert parity.output == sum(_xs(parity)) % 2


@given(sequence_examples("cycle_navigation", max_len=60), sequence_examples("modular_arithmetic", max_len=61))
def test_mod5_classes(cycle, arith):
    assert cycle.output == (_xs(cycle).count(2) - _xs(cycle).count(0)) % 5
    assert 0 <= arith.output < 5 and len(_xs(arith)) % 2 == 1
