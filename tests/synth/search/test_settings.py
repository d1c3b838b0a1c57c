"""check_settings: every search setting is checked for its kind and range, named as the caller named it."""

from __future__ import annotations

import math
from dataclasses import fields

import numpy as np
import pytest

from dsl.errors import UserError
from synth.search.settings import AT_LEAST_ONE, DEFAULTS, Settings, check_settings


@pytest.mark.parametrize(
    "overrides, words",
    [
        ({"exhaustive_cost": "3"}, "^exhaustive_cost must be a whole number, not str '3'$"),
        ({"max_cost": None}, "max_cost must be a whole number, not NoneType None$"),
        ({"prune": "no"}, "prune must be True or False, not str 'no'"),
        ({"prune": 0}, "prune must be True or False, not int 0"),
        ({"check_fuel": 0}, "check_fuel must be positive, not 0"),
        ({"body_fuel": -3}, "body_fuel must be positive, not -3"),
        ({"range_limit": -1}, "range_limit must be a whole number >= 0, not -1"),
        ({"loop_depth": 1.5}, "loop_depth must be a whole number, not float 1.5"),
        ({"sample_states": True}, "sample_states must be a whole number, not bool True"),
        ({"repair_share": 1.5}, "repair_share must be a share between 0 and 1, not 1.5"),
        ({"repair_share": math.nan}, "repair_share must be a share between 0 and 1, not nan"),
        ({"timeout": "5"}, "^timeout must be a number of seconds, not str '5'$"),
        ({"int_constants": "012"}, "int_constants must be a tuple \\(or list\\) of whole numbers, not str '012'"),
        ({"int_constants": (0, 1.5)}, "int_constants must be a tuple \\(or list\\) of whole numbers"),
    ],
)
def test_a_setting_of_the_wrong_kind_or_range_is_refused(overrides, words) -> None:
    with pytest.raises(UserError, match=words):
        check_settings(DEFAULTS.with_overrides(**overrides))


def test_the_message_names_a_setting_as_the_caller_passed_it() -> None:
    with pytest.raises(UserError, match="^search_examples must be positive, not 0$"):
        check_settings(DEFAULTS.with_overrides(search_examples=0))
    with pytest.raises(UserError, match="^max_examples must be positive, not 0$"):
        check_settings(DEFAULTS.with_overrides(search_examples=0), {"search_examples": "max_examples"})


def test_documented_offs_none_and_numpy_numbers_are_taken() -> None:
    check_settings(DEFAULTS)
    check_settings(DEFAULTS.with_overrides(loop_depth=0, sample_states=0, chain_exceptions=0, sturdy_slack=0, range_limit=0))
    optional = ("search_examples", "max_values", "bank_values", "freeze_values", "goal_values", "probe_values", "timeout",
                "max_memory_mb", "deduce_contexts", "chain_fold_cost", "vector_pairs", "exhaustive_cost")
    check_settings(DEFAULTS.with_overrides(**dict.fromkeys(optional)))
    check_settings(DEFAULTS.with_overrides(max_cost=np.int64(7), timeout=np.float32(2.5), repair_share=0, int_constants=[0, 1, np.int64(5)]))


def test_numpy_values_become_the_plain_values_they_mean() -> None:
    """Audit 6 E4, E5: np.int64 constants passed the check and had no DSL literal (a TypeError in the bank); np.True_ was refused."""
    s = DEFAULTS.with_overrides(int_constants=[0, 1, np.int64(2)], prune=np.True_, max_cost=np.int64(7))
    assert s.int_constants == (0, 1, 2) and [type(v) for v in s.int_constants] == [int, int, int]
    assert s.prune is True and type(s.max_cost) is int
    check_settings(s)
    with pytest.raises(UserError, match="prune must be True or False, not ndarray"):
        check_settings(DEFAULTS.with_overrides(prune=np.array([True, False])))


def test_a_search_takes_numpy_constants_and_weights() -> None:
    from synth.search.solver import synthesize
    from tasks.task import load_task

    task = load_task("examples/parity_check.json")
    found = synthesize(task, int_constants=[0, 1, np.int64(2)], prune=np.True_, weights={"mod": np.int64(2)}, max_cost=9)
    plain = synthesize(task, int_constants=(0, 1, 2), prune=True, weights={"mod": 2}, max_cost=9)
    assert found.text == plain.text and found.stats.enumerated == plain.stats.enumerated


def test_a_list_of_constants_is_kept_as_a_tuple() -> None:
    s = DEFAULTS.with_overrides(int_constants=[0, 1, 2, 3])
    assert s.int_constants == (0, 1, 2, 3) and hash(s) == hash(DEFAULTS.with_overrides(int_constants=(0, 1, 2, 3)))


def test_every_setting_has_a_rule_and_no_zero_budget_passes() -> None:
    for name in AT_LEAST_ONE:
        with pytest.raises(UserError, match=f"^{name} must be positive, not 0$"):
            check_settings(DEFAULTS.with_overrides(**{name: 0}))
    for f in fields(Settings):  # a wrong kind is refused for every setting, whatever its type
        with pytest.raises(UserError, match=f"^{f.name} must be"):
            check_settings(DEFAULTS.with_overrides(**{f.name: object()}))


def test_not_a_settings_object_is_refused() -> None:
    with pytest.raises(UserError, match="settings must be a synth.search.settings.Settings, not dict"):
        check_settings({"max_cost": 3})  # type: ignore[arg-type]
