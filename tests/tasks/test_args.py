"""Whole-number arguments of the generators: refused by name before numpy takes or mangles them (library audit)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from dsl.errors import UserError
from synth.report.generalize import short_examples
from tasks.args import flag, whole_number
from tasks.lego.generate import generate, iter_generate
from tasks.task import fresh_examples, load_task

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
BAD = [(1.5, "float 1.5"), ("2", "str '2'"), (True, "bool True"), (-1, "int -1"), (None, "NoneType None")]


@pytest.mark.parametrize("value, shown", BAD)
def test_whole_number_refuses_what_is_not_one_naming_the_argument(value, shown) -> None:
    with pytest.raises(UserError, match=f"^seed must be a whole number >= 0, not {shown}$"):
        whole_number("seed", value)


def test_whole_number_takes_numpy_integers_as_plain_ints() -> None:
    assert whole_number("n", np.int64(5), least=1) == 5 and type(whole_number("n", np.uint8(5))) is int


@pytest.mark.parametrize("value, shown", BAD)
@pytest.mark.parametrize("name", ["seed", "supervised", "count"])
def test_generate_refuses_a_bad_seed_count_or_supervised_count(name, value, shown) -> None:
    args = {"n": 6, "count": 2, "seed": 0, "supervised": 3, name: value}
    if name == "supervised" and value is None:  # None: every position supervised
        assert all(len(r.labels) == 6 for r in generate(**args))
        return
    with pytest.raises(UserError, match=f"^{name} must be a whole number >= 0, not {shown}$"):
        generate(**args)
    with pytest.raises(UserError, match=f"^{name} must be a whole number >= 0"):
        next(iter_generate(**args))


def test_generate_takes_numpy_integers_and_gives_what_plain_ints_give() -> None:
    plain = generate(6, 3, 4, supervised=2)
    assert generate(np.int64(6), np.int32(3), np.int64(4), supervised=np.int8(2)) == plain


def test_fresh_and_short_examples_refuse_a_negative_seed_instead_of_returning_nothing() -> None:
    task = load_task(EXAMPLES / "parity_check.json")
    with pytest.raises(UserError, match="^seed must be a whole number >= 0, not int -1$"):
        fresh_examples(task, 5, 2, -1)
    with pytest.raises(UserError, match="^seed must be a whole number >= 0, not int -1$"):
        short_examples(task, seed=-1)  # each length's error was taken for "too short", and nothing came back
    assert fresh_examples(task, 5, 2, np.int64(3)) == fresh_examples(task, 5, 2, 3)


@pytest.mark.parametrize("value", ["no", 1, None, np.array([True])])
def test_flag_refuses_what_is_not_a_bool_naming_it(value) -> None:
    with pytest.raises(UserError, match=f"^skip_bad must be True or False, not {type(value).__name__}"):
        flag("skip_bad", value)


def test_flag_takes_numpy_bools_as_plain_bools() -> None:
    assert flag("check", np.True_) is True and flag("check", False) is False
