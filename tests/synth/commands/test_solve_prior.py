"""`synth solve` names the prior that ran: the profile's weights with --weights over them, in the header and the JSON."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from click.testing import CliRunner

from synth.cli import main

ROOT = Path(__file__).resolve().parents[3]
TASK = str(ROOT / "examples" / "parity_check.json")


def _solve(*args: str) -> str:
    r = CliRunner().invoke(main, ["solve", TASK, "--max-cost", "8", "--count", "3", *args])
    assert r.exit_code in (0, 1), r.output
    return r.stdout


def test_the_header_names_the_weights_given_with_weights():
    """Before: 'profile: core (... every node costs 1)' though xor cost 5."""
    header = _solve("--weights", '{"xor": 5}').splitlines()[1]
    assert header.startswith("profile: core (") and header.endswith("; weights: xor 5, every other node 1")
    assert _solve().splitlines()[1].endswith("every node costs 1)")  # a built-in profile as built: its doc says the weights


def test_the_json_holds_the_effective_weights(tmp_path):
    """Before: profile_detail.weights was {} under --weights."""
    detail = json.loads(_solve("--weights", '{"xor": 5}', "--json"))["profile_detail"]
    assert detail["weights"] == {"xor": 5}
    grammar = tmp_path / "g.toml"
    grammar.write_text('base = "list"\n[weights]\nsort = 4\n')
    detail = json.loads(_solve("--grammar", str(grammar), "--weights", '{"reverse": 5}', "--json"))["profile_detail"]
    assert detail["weights"]["sort"] == 4 and detail["weights"]["reverse"] == 5 and detail["weights"]["head"] == 1


def test_a_grammar_files_weights_are_in_the_header(tmp_path):
    grammar = tmp_path / "g.toml"
    grammar.write_text('[weights]\nif = 3\n')
    assert _solve("--grammar", str(grammar)).splitlines()[1].endswith("; weights: if 3, every other node 1")


def test_a_results_database_given_as_the_grammar_is_named_as_one(tmp_path):
    """Audit: `--grammar results.sqlite` said `not UTF-8 text: byte 0xf8`, where every other file option names a database."""
    database = tmp_path / "results.sqlite"
    with sqlite3.connect(database) as db:
        db.execute("create table cells (hash text)")
    r = CliRunner().invoke(main, ["solve", TASK, "--grammar", str(database)])
    assert r.exit_code == 2
    assert r.output == f"error: {database}: a results database (SQLite), not a grammar profile (TOML or JSON): " \
                       "`synth suite report FILE` reads a database\n"
