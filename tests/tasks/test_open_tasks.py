"""Open task files: type inference, signatures, the CLI and library taking them, and the five-problem demo."""

from __future__ import annotations

import json
import re
import runpy
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import synth
from dsl.errors import UserError
from dsl.groups import parse_elem
from dsl.types import BOOL, ELEM, INT, SYM, ListT, MapT, RecordT
from dsl.values import Record, to_json
from synth.cli import main
from synth.report.generalize import generalization
from tasks.open.infer import UNKNOWN, Mismatch, infer_type, unify
from tasks.task import load_task

ROOT = Path(__file__).resolve().parents[2]
OPEN = ROOT / "examples" / "open"
FAST = ["last_element", "largest_element", "ones_mod_3", "double_each", "pairwise_xor"]


def write(tmp_path: Path, obj: dict, name: str = "t.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(obj, indent=1))
    return path


# -- inference rules ----------------------------------------------------------


@pytest.mark.parametrize("value, typ", [
    (3, INT), (-7, INT), (True, BOOL), (False, BOOL), ("a", SYM), ("Z5:3", ELEM), ("S3:(012)", ELEM), ("D4:r1", ELEM),
    ("x:y", SYM), ("S4:(0123)", SYM), ("Z:1", SYM), ("z5:9", SYM), ([1, 2], ListT(INT)), ([[1], []], ListT(ListT(INT))), ([], ListT(UNKNOWN)),
    ({"a": 1, "b": ["x"]}, RecordT((("a", INT), ("b", ListT(SYM))))), ([True, False], ListT(BOOL)),
])
def test_inferred_types(value, typ):
    assert infer_type(value) == typ


@pytest.mark.parametrize("value, words", [([1, "a"], "mixes Int and Sym"), ([1, True], "mixes Int and Bool"),
                                          (["Z2:1", "a"], "mixes Elem and Sym"), ([[1], ["a"]], "mixes List[Int] and List[Sym]"),
                                          (1.5, "not an integer"), (None, "null"), ({"a b": 1}, "not a DSL name"),
                                          ("Z5:9", "starts with the group Z5 but is not one of its elements")])
def test_values_without_a_type(value, words):
    with pytest.raises(UserError, match=re.escape(words)):
        infer_type(value)


def test_unify_fills_empty_lists_and_refuses_the_rest():
    assert unify(ListT(UNKNOWN), ListT(INT)) == ListT(INT)
    assert unify(ListT(ListT(UNKNOWN)), ListT(ListT(SYM))) == ListT(ListT(SYM))
    assert unify(RecordT((("a", INT), ("b", BOOL))), RecordT((("b", BOOL), ("a", INT)))) == RecordT((("a", INT), ("b", BOOL)))
    with pytest.raises(Mismatch):
        unify(INT, SYM)


json_values = st.recursive(st.integers(-5, 5) | st.booleans() | st.sampled_from(["a", "b", "Z2:1", "Z5:3"]),
                           lambda inner: st.lists(inner, max_size=3), max_leaves=8)


@settings(max_examples=200, deadline=None)
@given(json_values)
def test_an_inferred_type_reads_its_value_back(value):
    """Whatever infer_type accepts, from_json reads under that type and to_json writes back unchanged."""
    from dsl.values import from_json
    from tasks.open.infer import is_complete

    try:
        typ = infer_type(value)
    except UserError:
        return
    if is_complete(typ):
        assert to_json(from_json(value, typ)) == value


# -- loading ------------------------------------------------------------------


def test_several_inputs_of_every_kind(tmp_path):
    path = write(tmp_path, {"train": [
        {"input": {"xs": [1, 2], "k": 3, "flag": True, "who": "a", "g": "Z5:3", "p": {"x": 1, "tags": []}}, "output": {"n": 1}},
        {"input": {"xs": [], "k": 0, "flag": False, "who": "b", "g": "Z5:1", "p": {"tags": ["t"], "x": 2}}, "output": {"n": 2}},
    ]})
    task = load_task(path)
    assert task.family == "open" and task.name == "t" and task.test == ()
    assert dict(task.input_types) == {"xs": ListT(INT), "k": INT, "flag": BOOL, "who": SYM, "g": ELEM,
                                      "p": RecordT((("x", INT), ("tags", ListT(SYM))))}
    assert [n for n, _ in task.input_types] == ["xs", "k", "flag", "who", "g", "p"]
    assert task.output_type == RecordT((("n", INT),))
    assert task.train[0].inputs["g"] == parse_elem("Z5:3") and task.train[1].inputs["p"] == Record(("x", "tags"), (2, ("t",)))


def test_a_signature_decides_the_types(tmp_path):
    path = write(tmp_path, {"name": "lookup", "family": "open",
                            "signature": {"inputs": {"m": "Map[Sym, Int]", "key": "Sym", "g": "Sym"}, "output": "List[Int]"},
                            "train": [{"input": {"m": {"a": 1}, "key": "a", "g": "Z5:3"}, "output": []}]})
    task = load_task(path)
    assert task.name == "lookup" and dict(task.input_types) == {"m": MapT(SYM, INT), "key": SYM, "g": SYM}
    assert task.train[0].inputs["g"] == "Z5:3"  # a Sym, because the signature says so


def test_constants_are_declared(tmp_path):
    task = load_task(write(tmp_path, {"constants": [7], "train": [{"input": {"x": 1}, "output": 1}]}))
    assert task.spec.constants == (7,)


# -- the commands and the library take open files -------------------------------


def test_solve_says_the_check_uses_the_test_examples_only():
    r = CliRunner().invoke(main, ["solve", str(OPEN / "last_element.json")])
    assert r.exit_code == 0, r.output + r.stderr
    assert "(open, 12 training examples)" in r.output
    assert "test examples only: the open family has no generator" in r.output
    assert "fresh" not in r.output


def test_validate_summarises_an_open_file():
    r = CliRunner().invoke(main, ["validate", str(OPEN / "double_each.json")])
    assert r.exit_code == 0, r.output + r.stderr
    assert "22 examples (open, task)" in r.output and "train 12" in r.output and "task:     double_each" in r.output


def test_run_takes_an_example_of_a_task_file(tmp_path):
    program = tmp_path / "last.dsl"
    program.write_text("input xs: List[Int]\nfold (s, x) -> x from 0 over xs\n")
    example = json.loads((OPEN / "last_element.json").read_text())["test"][0]
    path = write(tmp_path, example, "example.json")
    r = CliRunner().invoke(main, ["run", str(program), "--input-file", str(path)])
    assert r.exit_code == 0, r.output + r.stderr
    assert json.loads(r.output) == example["output"]
    r = CliRunner().invoke(main, ["run", str(program), "--input-file", str(write(tmp_path, example["input"], "input.json"))])
    assert json.loads(r.output) == example["output"]


def test_the_library_takes_an_open_file():
    task = synth.load_task(OPEN / "double_each.json")
    result = synth.synthesize(task, timeout=30)
    assert result.program is not None
    assert all(result(ex.inputs) == ex.output for ex in task.test)


# -- the demo: five problems the project had never seen ---------------------------


@pytest.mark.parametrize("name", FAST)
def test_an_unseen_problem_is_solved_from_a_dozen_random_examples(name):
    task = load_task(OPEN / f"{name}.json")
    assert len(task.train) == 12 and max(len(ex.inputs["xs"]) for ex in task.train) <= 6
    assert all(50 <= len(ex.inputs["xs"]) <= 200 for ex in task.test) and len(task.test) == 10
    result = synthesize_quickly(task)
    assert [s.to_dict()["accuracy"] for s in generalization(result.program, task)] == [1.0]


def synthesize_quickly(task):
    result = synth.synthesize(task, timeout=60)
    assert result.program is not None, result.stats
    return result


def test_the_demo_files_are_what_their_seeds_draw(tmp_path):
    draw = runpy.run_path(str(OPEN / "draw.py"))
    for path in draw["write_all"](str(tmp_path)):
        assert Path(path).read_bytes() == (OPEN / Path(path).name).read_bytes(), path
        assert "family" not in json.loads(Path(path).read_text()) and "signature" not in json.loads(Path(path).read_text())


def test_the_worked_example_solves_as_printed_in_the_readme():
    notes = (ROOT / "README.md").read_text()
    printed_file = notes.split("```json\n", 1)[1].split("```", 1)[0]
    assert printed_file == (OPEN / "running_max.json").read_text()
    printed_output = notes.split("$ synth solve examples/open/running_max.json\n", 1)[1].split("```", 1)[0]
    r = CliRunner().invoke(main, ["solve", str(OPEN / "running_max.json")])
    assert r.exit_code == 0, r.output + r.stderr
    shown = r.output.replace(str(OPEN / "running_max.json"), "examples/open/running_max.json")
    without_timing = [line for line in shown.splitlines() if not line.startswith("search")]
    assert without_timing == [line for line in printed_output.splitlines() if not line.startswith("search")]
