"""`synth solve --weights`: a file or an inline object, checked before the search; every error names its file."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from synth.cli import main
from synth.commands import solve as solve_cmd
from synth.search.profiles import CORE, LIST

ROOT = Path(__file__).resolve().parents[3]
TASK = ROOT / "examples" / "parity_check.json"


@pytest.fixture(autouse=True)
def no_search(monkeypatch):
    monkeypatch.setattr(solve_cmd, "synthesize", lambda *a, **kw: pytest.fail("searched before the weights were checked"))


def _error(*args: object) -> str:
    r = CliRunner().invoke(main, ["solve", str(TASK), *map(str, args)])
    assert r.exit_code == 2, r.output
    lines = r.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in r.output, r.output
    return lines[0].removeprefix("error: ")


@pytest.mark.parametrize("name", ["missing.json", "missing.toml", "sub/weights"])
def test_a_missing_weights_file_is_not_read_as_json(tmp_path, name):
    """Before: --weights:1:1: broken JSON: Expecting value."""
    path = tmp_path / name
    assert _error("--weights", path).startswith(f"{path}: no such file (--weights takes a JSON file")


def test_errors_inside_a_weights_file_name_the_file_and_line(tmp_path):
    path = tmp_path / "w.json"
    path.write_text('{\n  "if": 2,\n  "iff": 2\n}\n')
    message = _error("--weights", path)
    assert message.startswith(f"{path}:3:10: unknown weight key 'iff': use a primitive (")
    assert "or a node kind (var, const, field, index, if, let, record, comp, filter, fold, scan, rule, bisect)" in message
    path.write_text('{"if": 0}')
    assert _error("--weights", path) == f"{path}:1:8: weight of 'if' must be a whole number >= 1, got 0"
    path.write_text("[1]")
    assert _error("--weights", path).startswith(f"{path}:1:1: must be a JSON object")
    path.write_text('{"if": ')
    assert _error("--weights", path).startswith(f"{path}:1:8: broken JSON")


def test_inline_weights(tmp_path):
    assert _error("--weights", '{"iff": 2}').startswith("--weights:1:9: unknown weight key 'iff'")
    assert _error("--weights", '{"if": 2').startswith("--weights:1:9: broken JSON")
    assert _error("--weights", tmp_path).startswith(f"{tmp_path}: is a folder, not a file")
    assert _error("--weights", "").startswith("--weights is empty (an unset shell variable?)")  # not `: is a folder`
    assert solve_cmd._weights('{"/": 2, "fold": 3}', CORE) == {"/": 2, "fold": 3}  # "/" is a primitive, not a path


def test_a_weight_for_a_primitive_the_profile_lacks_is_refused_as_in_a_grammar_file():
    """Before: accepted and ignored (exit 0)."""
    assert _error("--weights", '{"reverse": 2}') == "--weights:1:13: a weight for 'reverse', which the profile does not use (add it first)"
    assert solve_cmd._weights('{"reverse": 2}', LIST) == {"reverse": 2}


def test_a_misspelt_weight_key_gets_a_did_you_mean(tmp_path):
    assert _error("--weights", '{"xorr": 2}').endswith("; did you mean 'xor'?")
    grammar = tmp_path / "g.toml"
    grammar.write_text('base = "core"\n[weights]\nxorr = 2\n')
    message = _error("--grammar", grammar)
    assert message.startswith(f"{grammar}:3:1: unknown weight key 'xorr'") and message.endswith("; did you mean 'xor'?")


@pytest.mark.parametrize("name", ["adir", "weights.json", "sub/dir"])
def test_a_weights_folder_is_named_as_a_folder(tmp_path, name, monkeypatch):
    """Before: a folder named without a slash or suffix was read as inline JSON: `--weights:1:1: broken JSON` (audit 7, G3)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / name).mkdir(parents=True)
    assert _error("--weights", name) == f"{name}: is a folder, not a file (--weights takes a JSON file or an inline object such as '{{\"if\": 2}}')"
