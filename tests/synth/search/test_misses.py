"""The one confirmation check: which training examples a program misses, and whether it failed there or answered wrong."""

from __future__ import annotations

from dsl.parse import parse_program
from dsl.types import INT, ListT
from synth.search.misses import Miss, misses
from tasks.core import Example, Task
from tasks.open.spec import OpenSpec


def _task() -> Task:
    train = (
        Example({"xs": (1, 2)}, 1),  # right
        Example({"xs": ()}, 0),  # xs[0] fails: an error
        Example({"xs": (3,)}, 4),  # a wrong answer
        Example({"xs": (5, 5)}, 5),  # right
    )
    return Task("first", "open", (("xs", ListT(INT)),), INT, train, (), OpenSpec())


PROGRAM = parse_program("input xs: List[Int]\nxs[0]")


def test_misses_says_which_examples_a_program_gets_wrong_and_how_in_order() -> None:
    assert list(misses(_task(), PROGRAM, fuel=10_000)) == [Miss(1, error=True), Miss(2, error=False)]


def test_misses_leaves_out_the_skipped_examples_and_is_lazy() -> None:
    assert list(misses(_task(), PROGRAM, fuel=10_000, skip=(1,))) == [Miss(2, error=False)]
    found = misses(_task(), PROGRAM, fuel=10_000)
    assert next(found) == Miss(1, error=True)  # the rest is run only if asked


def test_running_out_of_fuel_is_an_error_not_a_wrong_answer() -> None:
    program = parse_program("input xs: List[Int]\nfold (s, x) -> s + x from 0 over range(100000)")
    assert list(misses(_task(), program, fuel=100)) == [Miss(i, error=True) for i in range(4)]
