"""The code version: the package version plus a fingerprint of exactly the code that decides a sweep cell's result."""

from __future__ import annotations

import ast
import re
import shutil
from pathlib import Path

import pytest

from synth import version
from synth.version import FINGERPRINTED_FILES, ROOT, code_version, fingerprint, fingerprinted_files, package_version

OURS = ("dsl", "tasks", "synth")


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Path:
    """A copy of the installed packages (never the real tree) to edit."""
    root = tmp_path_factory.mktemp("tree")
    for name in OURS:
        shutil.copytree(ROOT / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    return root


@pytest.fixture
def copy(tree: Path, tmp_path: Path) -> Path:
    root = tmp_path / "copy"
    shutil.copytree(tree, root)
    return root


def test_a_copy_has_the_fingerprint_of_the_original(copy: Path) -> None:
    assert fingerprint(copy) == fingerprint()
    assert re.fullmatch(r"[0-9a-f]{12}", fingerprint())


DECIDING = ["dsl/grammar.lark", "dsl/interp.py", "tasks/core.py", "tasks/sequence/scoring.py", "synth/search/settings.py",
            "synth/suite/worker.py", "synth/suite/draw.py", "synth/report/generalize.py"]
SHOWING = ["synth/report/plot.py", "synth/suite/render.py", "synth/suite/headline.py", "synth/commands/suite.py", "synth/cli.py",
           "synth/version.py", "synth/data/neural_results.json", "synth/data/chomsky_suite.toml"]


@pytest.mark.parametrize(("rel", "decides"), [(r, True) for r in DECIDING] + [(r, False) for r in SHOWING])
def test_editing_result_deciding_code_changes_it_and_reports_cli_or_specs_do_not(copy: Path, rel: str, decides: bool) -> None:
    before = fingerprint(copy)
    with (copy / rel).open("a", encoding="utf-8") as f:
        f.write("\n# edited\n")
    assert (fingerprint(copy) != before) == decides


@pytest.mark.parametrize("rel", ["tasks/data/table.json", "synth/search/extra.py", "dsl/more.lark"])
def test_a_new_source_or_bundled_data_file_changes_it(copy: Path, rel: str) -> None:
    before = fingerprint(copy)
    (copy / rel).parent.mkdir(exist_ok=True)
    (copy / rel).write_text("{}\n", encoding="utf-8")
    assert fingerprint(copy) != before


def test_caches_editor_files_and_notes_keep_it(copy: Path) -> None:
    before = fingerprint(copy)
    (copy / "dsl" / "__pycache__").mkdir()
    (copy / "dsl" / "__pycache__" / "interp.cpython-311.pyc").write_bytes(b"\0")
    (copy / "tasks" / "NOTES.md").write_text("notes\n", encoding="utf-8")
    assert fingerprint(copy) == before


def test_the_path_counts_as_well_as_the_bytes(copy: Path) -> None:
    before = fingerprint(copy)
    (copy / "tasks" / "core.py").rename(copy / "tasks" / "core2.py")
    assert fingerprint(copy) != before
    a, b = copy / "synth" / "search" / "a.py", copy / "synth" / "search" / "b.py"
    a.write_text("xy", encoding="utf-8")
    b.write_text("", encoding="utf-8")
    moved = fingerprint(copy)
    a.write_text("x", encoding="utf-8")
    b.write_text("y", encoding="utf-8")  # the same bytes in the same order, split elsewhere
    assert fingerprint(copy) != moved


def test_code_version_is_the_package_version_plus_the_fingerprint_computed_once(monkeypatch) -> None:
    code_version.cache_clear()
    calls = []

    def counted(*args: object) -> str:
        calls.append(args)
        return "abcdef012345"

    monkeypatch.setattr(version, "fingerprint", counted)
    try:
        assert code_version() == code_version() == f"{package_version()}+abcdef012345"
        assert len(calls) == 1
    finally:
        code_version.cache_clear()
    monkeypatch.undo()
    assert re.fullmatch(re.escape(package_version()) + r"\+[0-9a-f]{12}", code_version())


def _module_file(name: str) -> str | None:
    """The file of one of our modules, relative to ROOT (a package's __init__.py), or None if it is not ours."""
    if name.split(".")[0] not in OURS:
        return None
    base = ROOT.joinpath(*name.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate.relative_to(ROOT).as_posix()
    return None


def _imports(rel: str) -> set[str]:
    """The files of our modules that one file imports (at any depth in it: function-local imports too)."""
    found = set()
    for node in ast.walk(ast.parse((ROOT / rel).read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]  # `from pkg import module` too
        found.update(f for f in map(_module_file, names) if f)
    return found


def test_the_fingerprint_covers_everything_the_cell_worker_imports() -> None:
    """Whatever synth.suite.worker reaches by import (what turns a cell into its row) is fingerprinted.

    Left out: synth/version.py (it names the code, it computes nothing) and
    the `__init__.py` of packages outside the fingerprinted folders, which
    only gather names for importers.
    """
    covered = set(fingerprinted_files())
    seen, todo = set(), ["synth/suite/worker.py"]
    while todo:
        rel = todo.pop()
        if rel not in seen:
            seen.add(rel)
            todo += _imports(rel)
    exempt = {"synth/version.py", "synth/__init__.py", "synth/suite/__init__.py", "synth/report/__init__.py"}
    assert "synth/search/solver.py" in seen and "synth/report/generalize.py" in seen  # the walk does reach them
    assert sorted(seen - covered - exempt) == []


def test_every_listed_file_exists() -> None:
    assert [rel for rel in FINGERPRINTED_FILES if not (ROOT / rel).is_file()] == []
