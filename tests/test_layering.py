"""The house rules on imports, checked on the source (function-local imports included).

Data flows one way: `dsl` imports nothing of ours, `tasks` imports only `dsl`;
in `synth` the search never imports reporting, suite, benchmark or CLI code;
nothing but `synth.cli` (and `python -m synth`) imports the commands; and no
two modules import each other, directly or through others.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("dsl", "tasks", "synth")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports() -> dict[str, set[str]]:
    """Every module of ours -> the modules of ours it imports anywhere in its body."""
    modules = {_module_name(p): p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets: set[str] = set()
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
                found = [base] + [f"{base}.{a.name}" for a in node.names]
            else:
                continue
            targets.update(t for t in found if t in modules)
        graph[name] = targets - {name}
    return graph


GRAPH = _imports()


def _violations(source_prefix: str, forbidden: tuple[str, ...]) -> list[str]:
    return sorted(
        f"{m} imports {t}"
        for m, ts in GRAPH.items()
        if m == source_prefix or m.startswith(source_prefix + ".")
        for t in ts
        if any(t == f or t.startswith(f + ".") for f in forbidden)
    )


def test_the_graph_is_read() -> None:
    assert "dsl.prims" in GRAPH["dsl.interp"] and "synth.search.solver" in GRAPH["synth.search"]


def test_dsl_knows_nothing_of_the_rest() -> None:
    assert _violations("dsl", ("tasks", "synth")) == []


def test_tasks_import_only_dsl() -> None:
    assert _violations("tasks", ("synth",)) == []


def test_the_search_imports_no_reporting_suite_benchmark_or_cli_code() -> None:
    assert _violations("synth.search", ("synth.report", "synth.suite", "synth.benchmarks", "synth.commands", "synth.cli")) == []


def test_only_the_cli_imports_the_commands() -> None:
    importers = sorted(m for m, ts in GRAPH.items() if any(t.startswith("synth.commands") for t in ts))
    assert [m for m in importers if not (m == "synth.cli" or m.startswith("synth.commands"))] == []
    assert sorted(m for m, ts in GRAPH.items() if "synth.cli" in ts) == ["synth.__main__"]


def test_no_import_cycles() -> None:
    """Cycles between modules, packages' __init__ re-exports aside (a package importing its own modules)."""

    def edges(m: str) -> set[str]:
        # `import a.b.c` also runs a/__init__ and a/b/__init__, but those are the
        # package's own re-exports: a cycle through them is not a design cycle.
        return {t for t in GRAPH[m] if not m.startswith(t + ".")}

    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(m: str, path: list[str]) -> None:
        state[m] = 1
        for t in sorted(edges(m)):
            if state.get(t) == 1:
                cycles.append(path[path.index(t):] + [t])
            elif t not in state:
                visit(t, path + [t])
        state[m] = 2

    for m in sorted(GRAPH):
        if m not in state:
            visit(m, [m])
    assert cycles == []
