"""`synth run` / `synth check` through click: output, and one test per error class (message, position, exit 2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from synth.cli import main

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def run(*args: str, stdin: str | None = None):
    return CliRunner().invoke(main, list(args), input=stdin)


def write(tmp_path: Path, text: str, name: str = "p.dsl") -> str:
    path = tmp_path / name
    path.write_text(text)
    return str(path)


@pytest.mark.parametrize(
    "name,expected",
    [
        ("parity", 1),
        ("cycle_navigation", 3),
        ("reverse_string", [0, 0, 1, 0, 1, 1]),
        ("binary_addition", [1, 0, 0, 0, 1, 2, 0, 0, 0]),
    ],
)
def test_examples_run(name: str, expected) -> None:
    res = run("run", str(EXAMPLES / f"{name}.dsl"), "--input-file", str(EXAMPLES / f"{name}.input.json"))
    assert res.exit_code == 0, res.output
    assert json.loads(res.output) == expected


def test_lego_example_resolves_every_variable() -> None:
    inputs = json.loads((EXAMPLES / "lego.input.json").read_text())
    res = run("run", str(EXAMPLES / "lego.dsl"), "--input-file", str(EXAMPLES / "lego.input.json"))
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert set(out) == {c["lhs"] for c in inputs["clauses"]}
    assert all(v in ("Z2:0", "Z2:1") for v in out.values())


def test_input_from_option_and_stdin() -> None:
    prog = str(EXAMPLES / "parity.dsl")
    assert run("run", prog, "--input", '{"xs": [1, 1, 1]}').output.strip() == "1"
    assert run("run", prog, stdin='{"xs": [1, 1]}').output.strip() == "0"


def test_check_prints_types() -> None:
    res = run("check", str(EXAMPLES / "lego.dsl"))
    assert res.exit_code == 0
    assert res.output.splitlines() == [
        "input clauses: List[{lhs: Sym, op: Elem, rhs: Sym, root: Bool}]",
        "output: Map[Sym, Elem]",
    ]


def test_help_has_an_example() -> None:
    res = run("run", "--help")
    assert res.exit_code == 0 and "synth run examples/parity.dsl --input" in res.output


def _error(res) -> str:
    assert res.exit_code == 2, res.output
    assert "Traceback" not in res.output
    return res.output


def test_syntax_error(tmp_path: Path) -> None:
    path = write(tmp_path, "input x: Int\nif x == 1 then 2 3\n")
    out = _error(run("check", path))
    lines = out.splitlines()
    assert lines[0] == f"error: {path}:2:18: syntax error: unexpected '3'; expected an operator or 'else'"
    assert lines[1] == "  if x == 1 then 2 3"
    assert lines[2] == "  " + " " * 17 + "^"


def test_type_error(tmp_path: Path) -> None:
    path = write(tmp_path, "input x: Int\nx + true\n")
    out = _error(run("run", path, "--input", '{"x": 1}'))
    assert out.strip() == f"error: {path}:2:1: type error: '+' (integer addition; list concatenation) cannot take Int, Bool in `x + true`"


def test_fuel_error(tmp_path: Path) -> None:
    out = _error(run("run", str(EXAMPLES / "parity.dsl"), "--input", '{"xs": [1, 0, 1]}', "--fuel", "2"))
    assert out.strip().endswith("runtime error: out of fuel: evaluation needs more than 2 steps (raise the budget with --fuel)")


def _lego(*clauses: tuple) -> str:
    return json.dumps({"clauses": [{"lhs": lhs, "op": o, "rhs": r, "root": root} for lhs, o, r, root in clauses]})


def test_cycle_error() -> None:
    out = _error(run("run", str(EXAMPLES / "lego.dsl"), "--input", _lego(("a", "Z2:1", "b", False), ("b", "Z2:1", "a", False))))
    assert out.strip().endswith("runtime error: cycle in rule val: 'a' -> 'b' -> 'a'")
    assert len(out.strip().splitlines()) == 1


def test_undefined_key_error() -> None:
    out = _error(run("run", str(EXAMPLES / "lego.dsl"), "--input", _lego(("a", "Z2:1", "zz", False))))
    assert out.strip().endswith("runtime error: undefined key 'zz': no member defines val['zz']")


def test_duplicate_key_error() -> None:
    out = _error(run("run", str(EXAMPLES / "lego.dsl"), "--input", _lego(("a", "Z2:1", "_", True), ("a", "Z2:0", "_", True))))
    assert "runtime error: duplicate key 'a' in rule val: clauses[0] and clauses[1]" in out


def test_index_error(tmp_path: Path) -> None:
    path = write(tmp_path, "input xs: List[Int]\nxs[5]\n")
    out = _error(run("run", path, "--input", '{"xs": [1]}'))
    assert out.strip() == f"error: {path}:2:1: runtime error: index 5 out of range for a list of length 1"


def test_division_by_zero_error(tmp_path: Path) -> None:
    path = write(tmp_path, "input n: Int\nlet a = 1 in\n  a + 10 / n\n")
    out = _error(run("run", path, "--input", '{"n": 0}'))
    assert out.strip() == f"error: {path}:3:10: runtime error: division by zero"  # the `/`; before: no line:column, then the `10`


def test_a_runtime_error_names_the_innermost_failing_node(tmp_path: Path) -> None:
    path = write(tmp_path, "input xs: List[Int]\n[x mod (x - 1) for x in xs]\n")
    assert _error(run("run", path, "--input", '{"xs": [1]}')).strip() == f"error: {path}:2:4: runtime error: mod by zero"  # the `mod`
    path = write(tmp_path, "input xs: List[Int]\nlen(xs) + from_bits(xs)\n")
    assert _error(run("run", path, "--input", '{"xs": [2]}')).strip().startswith(f"error: {path}:2:11: runtime error: from_bits: 2")


@pytest.mark.parametrize("source, column", [
    ("a / b", 3), ("a mod b", 3), ("a - (b / b)", 8), ("(a + b) / (b * 0)", 9), ("a /b", 3), ("a\n  / b", None),
])
def test_a_runtime_error_in_an_infix_operator_points_at_the_operator(tmp_path: Path, source: str, column: int | None) -> None:
    """Before: at the node's start, the left operand (`a` of `a / b`)."""
    path = write(tmp_path, f"input a: Int\ninput b: Int\n{source}\n")
    where = f"3:{column}" if column is not None else "4:3"
    out = _error(run("run", path, "--input", '{"a": 7, "b": 0}')).strip()
    assert out.startswith(f"error: {path}:{where}: runtime error: "), out


@pytest.mark.parametrize("how", [{"stdin": ""}, {"stdin": "  \n"}, {"stdin": None}])
def test_empty_standard_input_says_so(how) -> None:
    """Before: `synth run p.dsl < /dev/null` said `standard input:1:1: broken JSON: Expecting value`."""
    out = _error(run("run", str(EXAMPLES / "parity.dsl"), **how)).strip()
    assert out == 'error: standard input is empty (no --input or --input-file given): expected the program\'s inputs as one JSON object, {"xs": <List[Int]>}'


def test_an_empty_input_file_or_option_says_so(tmp_path: Path) -> None:
    empty = write(tmp_path, "", "empty.json")
    assert _error(run("run", str(EXAMPLES / "parity.dsl"), "--input-file", empty)).strip().startswith(f"error: {empty} is empty: expected")
    assert _error(run("run", str(EXAMPLES / "parity.dsl"), "--input", "")).strip().startswith("error: --input is empty: expected")


def test_bad_input_json_and_missing_file(tmp_path: Path) -> None:
    prog = str(EXAMPLES / "parity.dsl")
    assert "--input:1:2: broken JSON" in _error(run("run", prog, "--input", "{"))
    assert "missing input xs" in _error(run("run", prog, "--input", "{}"))
    assert "expected an integer" in _error(run("run", prog, "--input", '{"xs": ["a"]}'))
    assert "cannot read" in _error(run("check", str(tmp_path / "nope.dsl")))


def test_a_whole_task_file_as_input_points_to_eval() -> None:
    """Before: "missing input(s) xs; unknown input(s) family, name, seed, train, test", which does not say what to run instead."""
    task = str(EXAMPLES / "reverse_string.json")
    program = str(EXAMPLES / "reverse_string.dsl")
    res = CliRunner().invoke(main, ["run", program, "--input-file", task])
    assert res.exit_code == 2
    assert f"{task} is a task file, not one input: `synth eval {program} {task}`" in res.output


def test_a_bad_value_in_an_input_file_is_named_at_its_line(tmp_path: Path) -> None:
    """Before: `li.json: input clauses[5].lhs: expected a variable name (string), got 5`, with no line in a 60-line file."""
    inputs = json.loads((EXAMPLES / "lego.input.json").read_text())
    inputs["clauses"][5]["lhs"] = 5
    text = json.dumps(inputs, indent=1)
    path = write(tmp_path, text, "bad.input.json")
    line = next(i for i, row in enumerate(text.splitlines(), 1) if '"lhs": 5' in row)
    column = text.splitlines()[line - 1].index("5") + 1
    out = _error(run("run", str(EXAMPLES / "lego.dsl"), "--input-file", path)).strip()
    assert out == f"error: {path}:{line}:{column}: input clauses[5].lhs: expected a variable name (string), got 5"


def test_a_bad_value_in_an_example_or_the_option_is_located_too(tmp_path: Path) -> None:
    prog = str(EXAMPLES / "parity.dsl")
    path = write(tmp_path, '{"input": {\n  "xs": [1,\n    "a"]},\n "output": 0}\n', "ex.json")
    assert _error(run("run", prog, "--input-file", path)).strip() == f'error: {path}:3:5: input xs[1]: expected an integer, got "a"'
    assert _error(run("run", prog, "--input", '{"xs": [1, true]}')).strip() == "error: --input:1:12: input xs[1]: expected an integer, got true"


def test_records_one_a_line_given_to_run_point_to_eval(tmp_path: Path) -> None:
    """Audit: `run --input-file data.jsonl` said only that a .jsonl file holds a record a line; the command for it is eval."""
    prog = str(EXAMPLES / "parity.dsl")
    path = write(tmp_path, '{"xs": [1, 0]}\n{"xs": [1]}\n', "data.jsonl")
    out = _error(run("run", prog, "--input-file", path)).strip()
    assert out.startswith(f"error: {path}:2:1: ") and out.endswith(f"synth run takes one input, synth eval {prog} DATA runs the program on every record of a file")


def test_a_program_of_no_inputs_runs_without_any(tmp_path: Path) -> None:
    """Audit e: `synth run two.dsl` of a program with no input line said 'standard input is empty ... {}' (exit 2)."""
    prog = write(tmp_path, "2 + 3\n", "two.dsl")
    result = run("run", prog)
    assert result.exit_code == 0 and result.output.strip() == "5", result.output
    assert _error(run("run", prog, "--input", '{"x": 1}')).strip() == "error: --input: unknown input x (the program declares none)"
