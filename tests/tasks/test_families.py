"""The family registry: one way to recognise a file, typed specs, and a family added in one module."""

from __future__ import annotations

import ast
import json
import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from dsl.errors import UserError
from dsl.types import INT, ListT
from synth.cli import main
from tasks.core import Example, Task, TaskSpec
from tasks.families import (
    FAMILIES,
    family_of,
    fresh_examples,
    has_generator,
    load_task,
    register,
    unregister,
    validate_file,
)
from tasks.family import FileHead, read_head, summarise_task
from tasks.lego.family import LegoSpec
from tasks.lego.validate import Summary
from tasks.open import OpenSpec
from tasks.sequence.io import SequenceSpec

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


def test_the_three_families_are_registered():
    assert {"lego", "sequence", "open"} <= set(FAMILIES)


@pytest.mark.parametrize("separators", [(", ", ": "), (",", ":"), (" , ", " : "), (",\n", " :\n  ")])
def test_family_key_is_parsed_not_sniffed(tmp_path, separators):
    """`{"family" : "sequence"}` is a sequence file for solve, validate and the library alike."""
    obj = json.loads((EXAMPLES / "even_pairs.json").read_text())
    path = tmp_path / "t.json"
    path.write_text(json.dumps(obj, separators=separators))
    assert load_task(path).family == "sequence"
    assert validate_file(str(path)).family == "sequence"
    runner = CliRunner()
    r = runner.invoke(main, ["validate", str(path)])
    assert r.exit_code == 0 and "(sequence, task)" in r.output, r.output + r.stderr
    r = runner.invoke(main, ["solve", str(path), "--timeout", "20", "--count", "2"])
    assert r.exit_code == 0 and "(sequence, " in r.output, r.output + r.stderr


def test_a_file_that_names_no_family(tmp_path):
    lego_task = tmp_path / "lego.json"
    lego_task.write_text(json.dumps({"group": "Z2", "train": [{"sentence": "a = +1; b = -a;", "labels": {"a": 1}}]}))
    open_task = tmp_path / "open.json"
    open_task.write_text(json.dumps({"name": "x", "train": [{"input": {"xs": [1]}, "output": 1}]}))
    jsonl = tmp_path / "d.jsonl"
    jsonl.write_text('{"sentence": "a = +1; b = -a;"}\n{"sentence": "a = -1; b = -a;"}\n')
    text = tmp_path / "d.txt"
    text.write_text("a = val 1 ,  b = not a , \n")
    assert [family_of(read_head(p)).name for p in (lego_task, open_task, jsonl, text)] == ["lego", "open", "lego", "lego"]
    assert read_head(jsonl).document is None  # a record stream is not read whole


def test_specs_are_typed():
    seq = load_task(EXAMPLES / "parity_check.json")
    assert seq.spec == SequenceSpec(task="parity_check", alphabet=2, constants=(0, 1, 2))
    lego = load_task(EXAMPLES / "lego_d4_tree.json")
    assert lego.spec == LegoSpec(group="D4", structure="tree")
    opened = load_task(EXAMPLES / "open" / "last_element.json")
    assert opened.spec == OpenSpec() and not has_generator(opened)
    with pytest.raises(UserError, match="no generator"):
        fresh_examples(opened, 10, 1, 0)


def test_a_task_and_its_spec_agree_on_the_family():
    with pytest.raises(TypeError):
        Task("t", "open", (), INT, (), (), {"family": "open"})  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        Task("t", "lego", (), INT, (), (), OpenSpec())


def test_declared_constants_reach_the_search():
    from synth.search.solver import _declared_ints

    assert _declared_ints(load_task(EXAMPLES / "cycle_navigation.json")) == (0, 1, 2, 5)  # its tokens, its classes


def test_an_unknown_family_is_one_error(tmp_path):
    path = tmp_path / "t.json"
    path.write_text('{"family": "chomsky", "train": []}')
    with pytest.raises(UserError, match='unknown task family "chomsky"'):
        load_task(path)


# -- a toy family: one module's worth of code and one register() call ---------


@dataclass(frozen=True, kw_only=True)
class CountSpec(TaskSpec):
    family: str = "count"
    token: int = 1


@dataclass(frozen=True)
class CountFamily:
    """Count the occurrences of one token: {"family": "count", "token": 1, "lengths": [..]}."""

    name: str = "count"
    generates: bool = True

    def recognises(self, head: FileHead) -> bool:
        return False

    def load(self, head: FileHead, *, check: bool) -> Task:
        assert head.document is not None
        spec = CountSpec(token=int(head.document["token"]))
        train = tuple(self._example(spec, n, seed) for seed, n in enumerate(head.document["lengths"]))
        return Task("count", "count", (("xs", ListT(INT)),), INT, train, (), spec)

    def fresh_examples(self, spec: TaskSpec, length: int, count: int, seed: int) -> list[Example] | None:
        assert isinstance(spec, CountSpec)
        return [self._example(spec, length, seed * 1000 + k) for k in range(count)]

    def validate(self, head: FileHead, *, skip_bad: bool) -> Summary:
        return summarise_task(head, self.name, lambda: self.load(head, check=True))

    @staticmethod
    def _example(spec: CountSpec, length: int, seed: int) -> Example:
        import numpy as np

        xs = tuple(int(x) for x in np.random.default_rng(seed).integers(0, 3, size=length))
        return Example({"xs": xs}, xs.count(spec.token))


@pytest.fixture
def count_family():
    family = register(CountFamily())
    yield family
    unregister(family.name)


def test_a_new_family_is_one_registry_entry(tmp_path, count_family):
    path = tmp_path / "count.json"
    path.write_text('{"family" : "count", "token": 2, "lengths": [3, 5, 6, 4, 7, 2]}')
    task = load_task(path)
    assert task.family == "count" and task.spec == CountSpec(token=2)
    fresh = fresh_examples(task, 50, 3, seed=1)
    assert [len(ex.inputs["xs"]) for ex in fresh] == [50, 50, 50]
    r = CliRunner().invoke(main, ["validate", str(path)])
    assert r.exit_code == 0 and "6 examples (count, task)" in r.output, r.output + r.stderr
    r = CliRunner().invoke(main, ["solve", str(path), "--timeout", "30", "--count", "5", "--json"])
    assert r.exit_code == 0, r.output + r.stderr
    report = json.loads(r.output)
    assert report["fresh_inputs"] and [(g["set"], g["length"]) for g in report["generalization"]] == [("short", None), ("fresh", 14), ("fresh", 70), ("fresh", 700)]
    assert all(g["accuracy"] == 1.0 for g in report["generalization"])


def test_unregistering_the_toy_family(count_family, tmp_path):
    unregister(count_family.name)
    path = tmp_path / "count.json"
    path.write_text('{"family": "count", "token": 2, "lengths": [3]}')
    with pytest.raises(UserError, match='unknown task family "count"'):
        load_task(path)


# -- the import rules: families never import the registry or the public door ----


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return found


def test_tasks_core_imports_no_family():
    assert {m for m in _imports(ROOT / "tasks" / "core.py") if m.startswith("tasks")} == set()


@pytest.mark.parametrize("package", ["lego", "sequence", "open"])
def test_families_do_not_import_the_registry(package):
    for path in sorted((ROOT / "tasks" / package).glob("*.py")):
        assert not {"tasks.task", "tasks.families"} & _imports(path), path
        assert not any(m.startswith("synth") for m in _imports(path)), path


def test_families_do_not_import_one_another():
    for package, others in (("sequence", ("tasks.open", "tasks.lego.family")), ("open", ("tasks.sequence", "tasks.lego.family")),
                            ("lego", ("tasks.open", "tasks.sequence"))):
        for path in sorted((ROOT / "tasks" / package).glob("*.py")):
            assert not [m for m in _imports(path) if m.startswith(others)], path


def test_the_public_door_still_offers_the_old_names():
    import tasks.task as t

    for name in ("Example", "Task", "load_task", "fresh_examples", "task_from_records", "lego_example", "agrees", "contradictions"):
        assert hasattr(t, name), name
    assert os.path.basename(t.__file__) == "task.py"


def test_a_sequence_file_naming_no_built_in_task_points_to_open_files(tmp_path):
    path = tmp_path / "t.json"
    path.write_text('{\n  "family": "sequence",\n  "name": "last",\n  "train": [{"input": {"xs": [1]}, "output": 1}]\n}\n')
    r = CliRunner().invoke(main, ["solve", str(path)])
    assert r.exit_code == 2 and f"{path}:3:" in r.stderr and 'unknown sequence task "last"' in r.stderr
    assert 'leave out "family"' in r.stderr
    path.write_text(path.read_text().replace('"family": "sequence",', '"description": "no family",'))
    assert load_task(path).family == "open"
