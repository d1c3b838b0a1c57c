"""Grammar profiles: core is today's search, list adds the library as a prior, users give their own."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from dsl.errors import UserError
from dsl.library import LIBRARY_SPECS
from dsl.prims import CORE_PRIMS
from dsl.types import INT, ListT
from dsl.values import Value
from synth.cli import main
from synth.search.grammar import Grammar, grammar_for
from synth.search.profiles import (
    CORE,
    LIST,
    PROFILES,
    Profile,
    get_profile,
    load_profile,
    with_weights,
)
from synth.search.solver import synthesize
from tasks.core import Example, Task
from tasks.open.spec import OpenSpec
from tasks.task import load_task

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


def _random_task(name: str, fn, *, seed: int, count: int = 20, max_len: int = 10, alphabet: int = 2) -> Task:
    rng = np.random.default_rng(seed)
    train = []
    for _ in range(count):
        xs: tuple[Value, ...] = tuple(int(v) for v in rng.integers(0, alphabet, size=int(rng.integers(1, max_len + 1))))
        train.append(Example({"xs": xs}, fn(xs)))
    return Task(name, "open", (("xs", ListT(INT)),), ListT(INT), tuple(train), (), OpenSpec())


def test_registry_core_is_todays_grammar_and_list_adds_the_library() -> None:
    assert set(PROFILES) >= {"core", "list"}
    assert CORE.primitives == CORE_PRIMS and CORE.weights == ()
    assert Grammar().prims == CORE_PRIMS
    library = {s.op for s in LIBRARY_SPECS}
    assert set(LIST.primitives) == set(CORE_PRIMS) | library
    assert all(LIST.weight(op) >= 2 for op in library - {"head", "last"}) and all(LIST.weight(op) == 1 for op in CORE_PRIMS)
    g = grammar_for({"xs": ListT(INT)}, ListT(INT), [], profile=LIST, weights={"sort": 1})
    assert g.prims == LIST.primitives and g.weight("sort") == 1 and g.weight("reverse") == 2
    with pytest.raises(UserError, match="unknown profile 'nope'"):
        get_profile("nope")


@pytest.mark.parametrize("name, program", [
    ("parity_check", "fold (s, x) -> s xor x from 0 over xs"),
    ("even_pairs", "fold (s, x) -> x xor xs[0] from 0 over xs"),
])
def test_core_finds_todays_programs_with_todays_counts(name: str, program: str) -> None:
    task = load_task(EXAMPLES / f"{name}.json")
    default = synthesize(task, timeout=60)
    core = synthesize(task, timeout=60, profile="core")
    assert default.profile.name == core.profile.name == "core"
    assert core.text is not None and core.text.splitlines()[-1] == program
    assert (default.text, default.stats.enumerated, default.stats.kept) == (core.text, core.stats.enumerated, core.stats.kept)


@pytest.mark.parametrize("name, fn, alphabet, program", [
    ("reverse_string", lambda xs: xs[::-1], 2, "reverse(xs)"),
    ("bucket_sort", lambda xs: tuple(sorted(xs)), 5, "sort(xs)"),
    ("duplicate_string", lambda xs: xs + xs, 2, "xs + xs"),
])
@pytest.mark.parametrize("seed", [0, 1])
def test_list_profile_finds_library_programs_from_random_examples(name, fn, alphabet, program, seed) -> None:
    task = _random_task(name, fn, seed=seed, alphabet=alphabet)
    result = synthesize(task, timeout=60, profile="list")
    assert result.profile is LIST
    assert result.text is not None and result.text.splitlines()[-1] == program


def test_core_does_not_see_the_library() -> None:
    task = _random_task("bucket_sort", lambda xs: tuple(sorted(xs)), seed=0, alphabet=5)
    result = synthesize(task, timeout=20, max_cost=6, profile=CORE)
    assert result.text is None or "sort(" not in result.text


# --- user profile files ----------------------------------------------------------

TOML = """\
# a profile for list tasks that only needs reversing
name = "rev"
base = "core"
add = ["reverse", "head"]
remove = ["xor"]

[weights]
reverse = 1
if = 3
"""


def test_a_toml_profile_file(tmp_path: Path) -> None:
    path = tmp_path / "rev.toml"
    path.write_text(TOML)
    p = load_profile(path)
    assert p.name == "rev"
    assert "reverse" in p.primitives and "head" in p.primitives and "xor" not in p.primitives
    assert dict(p.weights) == {"reverse": 1, "if": 3}


def test_the_bisect_loop_form_comes_with_the_list_profile_and_as_files_say(tmp_path: Path) -> None:
    """A form is part of the prior: the list profile has it, core has not, a file adds or removes it, and a report says so."""
    assert LIST.forms == ("bisect",) and CORE.forms == () and LIST.weight("bisect") == 2
    assert "bisect" in grammar_for({"xs": ListT(INT)}, INT, [1], profile=LIST).loops
    assert "bisect" not in grammar_for({"xs": ListT(INT)}, INT, [1], profile=CORE).loops
    path = tmp_path / "plus.toml"
    path.write_text('base = "core"\nadd = ["bisect"]\n')
    plus = load_profile(path)
    assert plus.forms == ("bisect",) and plus.primitives == CORE.primitives
    assert "loop forms also: bisect" in plus.describe() and plus.to_dict()["forms"] == ["bisect"]
    path.write_text('base = "list"\nremove = ["bisect"]\n')
    without = load_profile(path)
    assert without.forms == () and "bisect" not in dict(without.weights)  # the base's weight goes with the form
    with pytest.raises(UserError, match="a weight for 'bisect', which the profile does not use"):
        with_weights(CORE, {"bisect": 3})
    assert with_weights(LIST, {"bisect": 3}).weight("bisect") == 3


def test_a_json_profile_file_keeps_its_bases_weights(tmp_path: Path) -> None:
    path = tmp_path / "mine.json"
    path.write_text(json.dumps({"base": "list", "remove": ["slice"], "weights": {"sort": 1}}))
    p = load_profile(path)
    assert p.name == "mine" and "slice" not in p.primitives
    assert p.weight("sort") == 1 and p.weight("reverse") == 2 and "slice" not in dict(p.weights)


@pytest.mark.parametrize("text, message, line", [
    ('base = "core"\nadd = ["head", "isqrt"]\n', "unknown primitive 'isqrt' in add", 2),
    ('base = "deepcoder"\n', "unknown profile 'deepcoder'", 1),
    ('add = ["head"]\nextra = 1\n', "unknown key 'extra'", 2),
    ('add = ["head"]\n[weights]\nhead = 0\n', "weight of 'head' must be a whole number >= 1", 3),
    ('[weights]\nsort = 2\n', "does not use", 2),
    ('add = "head"\n', "add must be a list", 1),
    ('add = ["head"\n', "not TOML", 1),
    # Before: removing a primitive the base does not have was accepted silently (audit #22).
    ('base = "core"\nremove = ["head"]\n', "remove 'head': the base profile core has no 'head'", 2),
    ('base = "core"\nremove = ["head"]\n', 'it is in the list profile (base = "list")', 2),
    ('base = "list"\nremove = ["sort", "revers"]\n', "unknown primitive 'revers' in remove", 2),
    ('base = "list"\nremove = ["sort", "revers"]\n', "did you mean 'reverse'?", 2),
    ('base = "core"\nremove = ["len", "len"]\n', "remove 'len' is given twice", 2),
    ('base = "list"\n\nremove = ["xors"]\n', "did you mean 'xor'?", 3),
    # Before: add had none of remove's checks (second audit #14).
    ('base = "core"\n\nadd = ["xor"]\n', "add 'xor': the base profile core already has 'xor'", 3),
    ('base = "core"\nadd = ["reverse", "reverse"]\n', "add 'reverse' is given twice", 2),
    ('base = "core"\nadd = ["reverse"]\nremove = ["reverse"]\n', "'reverse' is both added and removed", 2),
    # The loop form bisect is added and removed as a primitive is.
    ('base = "list"\nremove = ["bisec"]\n', "did you mean 'bisect'?", 2),
    ('base = "list"\nadd = ["bisect"]\n', "add 'bisect': the base profile list already has 'bisect'", 2),
    ('base = "core"\nremove = ["bisect"]\n', 'it is in the list profile (base = "list")', 2),
    # Before, a weight for the form a profile lacks was kept and never read.
    ('base = "core"\n[weights]\nbisect = 3\n', "a weight for 'bisect', which the profile does not use", 3),
    # Before, a dotted key (`weights.if = 0`) gave no line: the key pattern allowed no "." before the key.
    ('name = "g"\nweights.if = 0\n', "weight of 'if' must be a whole number >= 1", "2:9"),
    ('name = "g"\nweights.iff = 2\n', "unknown weight key 'iff'", "2:9"),
    ('name = "g"\nweights.reverse = 2\n', "a weight for 'reverse', which the profile does not use", "2:9"),
    ('name = "g"\nweights . "if" = 0\n', "weight of 'if'", "2:11"),
    ('name = "g"\n\n[weights]\nif = 0\n', "weight of 'if'", "4:1"),  # the table form, as before
    ('name = "g"\n[weights]\nfoo.if = 0\n', "unknown weight key 'foo'", "3:1"),  # audit 8 H6: a dotted key inside the table
    ('name = "g"\n\n[weights.if]\nx = 1\n', "weight of 'if' must be a whole number", "3:10"),  # a sub-table: no line before

    # Audit: a key written with escapes got no line.
    ('base = "list"\n[weights]\n"he\\u0061d" = 0\n', "weight of 'head' must be a whole number", "3:1"),
    ('base = "list"\nremove = ["sort", "\\u0078ors"]\n', "unknown primitive 'xors' in remove", "2:19"),
])
def test_profile_file_errors_name_file_and_line(tmp_path: Path, text: str, message: str, line: int | str) -> None:
    """`line` is the line, or line:column where the position is checked to the column."""
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(UserError) as err:
        load_profile(path)
    assert message in err.value.message
    assert str(err.value).startswith(f"{path}:{line}:")


def test_a_toml_profile_nested_too_deep_for_the_reader_is_one_message(tmp_path: Path) -> None:
    path = tmp_path / "deep.toml"
    path.write_text("add = " + "[" * 3000 + "]" * 3000 + "\n")  # a RecursionError in tomllib before
    with pytest.raises(UserError, match="nested too deep") as err:
        load_profile(path)
    assert str(err.value).startswith(f"{path}:")


def test_json_profile_syntax_error_has_a_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{\n  "add": ["head",]\n}\n')
    with pytest.raises(UserError) as err:
        load_profile(path)
    assert str(err.value).startswith(f"{path}:2:")


# --- the command line ------------------------------------------------------------

def test_cli_names_the_profile_in_text_and_json(tmp_path: Path) -> None:
    task = EXAMPLES / "reverse_string.json"
    runner = CliRunner()
    out = runner.invoke(main, ["solve", str(task), "--profile", "list", "--count", "2"])
    assert out.exit_code == 0, out.output
    assert "profile: list" in out.output and "reverse(xs)" in out.output
    out = runner.invoke(main, ["solve", str(EXAMPLES / "parity_check.json"), "--json", "--count", "2"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["profile"] == "core" and data["profile_detail"]["primitives"] == list(CORE_PRIMS)


def test_cli_grammar_file_and_its_errors(tmp_path: Path) -> None:
    task = EXAMPLES / "reverse_string.json"
    grammar = tmp_path / "rev.toml"
    grammar.write_text(TOML)
    runner = CliRunner()
    out = runner.invoke(main, ["solve", str(task), "--grammar", str(grammar), "--json", "--count", "2"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["profile"] == "rev" and data["program"].splitlines()[-1] == "reverse(xs)" and data["cost"] == 2
    grammar.write_text('add = ["nope"]\n')
    out = runner.invoke(main, ["solve", str(task), "--grammar", str(grammar)])
    assert out.exit_code == 2
    assert f"{grammar}:1:" in out.output and "unknown primitive 'nope'" in out.output
    assert "Traceback" not in out.output
    out = runner.invoke(main, ["solve", str(task), "--profile", "nope"])
    assert out.exit_code == 2


def test_profile_is_a_frozen_value() -> None:
    p = Profile("x", ("+",))
    with pytest.raises(AttributeError):
        p.name = "y"  # type: ignore[misc]


@pytest.mark.parametrize("text, stem, where", [
    ('name = "core"\nadd = ["reverse"]\n', "mine", "1:1"),  # before: its results were labelled core
    ('base = "list"\nremove = ["sort"]\n', "list", None),  # the name from the stem, which the file has no line for
])
def test_a_profile_file_named_like_a_built_in_one_it_is_not_is_refused(tmp_path: Path, text: str, stem: str,
                                                                     where: str | None) -> None:
    path = tmp_path / f"{stem}.toml"
    path.write_text(text)
    with pytest.raises(UserError, match="is the built-in profile '(core|list)''s, and the file defines another") as err:
        load_profile(path)
    assert str(err.value).startswith(f"{path}:{where}:" if where else f"{path}: ")


def test_a_profile_file_that_is_a_built_in_one_exactly_keeps_its_name(tmp_path: Path) -> None:
    path = tmp_path / "core.toml"
    path.write_text(f'doc = "{get_profile("core").doc}"\n')
    assert load_profile(path) == get_profile("core")


@pytest.mark.parametrize("given", [3, None, b"x.toml"])
def test_load_profile_of_no_path_says_what_it_takes(given: object) -> None:
    with pytest.raises(UserError, match=r"load_profile takes the path of a profile file \(a str or a Path\), not"):
        load_profile(given)  # type: ignore[arg-type]


def test_a_profile_given_as_a_path_in_python_points_to_load_profile(tmp_path: Path) -> None:
    task = load_task(EXAMPLES / "reverse_string.json")
    with pytest.raises(UserError, match=r"not \w*Path.*load_profile\(path\)"):
        synthesize(task, profile=tmp_path / "x.toml")  # type: ignore[arg-type]
