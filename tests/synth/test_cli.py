"""`synth --version`: installed or run from a checkout (`python -m synth`), never a traceback."""

from __future__ import annotations

import configparser
import json
import os
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest
from click.testing import CliRunner

import synth
from dsl import files
from synth.cli import main
from synth.commands import dslcmds
from synth.version import code_version, package_version

ROOT = Path(__file__).resolve().parents[2]


def _setup_cfg_version() -> str:
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "setup.cfg", encoding="utf-8")
    return cfg.get("metadata", "version")


def test_version_from_a_checkout_without_installing(monkeypatch):
    """Before: RuntimeError: 'lego-synth' is not installed (click's version_option(package_name=...))."""

    def not_installed(name: str) -> str:
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(metadata, "version", not_installed)
    package_version.cache_clear()
    try:
        r = CliRunner().invoke(main, ["--version"], prog_name="synth")
    finally:
        package_version.cache_clear()
    assert r.exit_code == 0 and r.output.splitlines()[0] == f"synth, version {_setup_cfg_version()}"
    assert r.exception is None or isinstance(r.exception, SystemExit)


def test_python_dash_m_synth_version(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    r = subprocess.run([sys.executable, "-m", "synth", "--version"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    first, second = r.stdout.splitlines()
    assert first.endswith(f"version {package_version()}") and "Traceback" not in r.stderr
    assert second == f"code version {code_version()}"  # the version `synth suite` stamps on its rows
    assert synth.__version__ == package_version() != "unknown"


def _commands(cmd=main, path=("synth",)):
    import click

    if isinstance(cmd, click.Group):
        for name, sub in cmd.commands.items():
            yield from _commands(sub, path + (name,))
    yield path, cmd


def test_every_option_has_help():
    import click

    missing = [f"{' '.join(path)} {p.opts[-1]}" for path, cmd in _commands() for p in cmd.params if isinstance(p, click.Option) and not p.help]
    assert missing == []


FILE_OPTIONS = {"--db", "--csv", "--plot", "--output", "--predictions", "--weights", "--grammar", "--input-file"}


def test_file_options_say_file_not_text():
    import click

    shown = []
    for path, cmd in _commands():
        ctx = click.Context(cmd, info_name=path[-1])
        for p in cmd.params:
            if isinstance(p, click.Option) and FILE_OPTIONS & set(p.opts):
                record = p.get_help_record(ctx)
                assert record is not None
                shown.append(f"{' '.join(path)} {record[0]}")
    assert len(shown) >= 14 and not [s for s in shown if "TEXT" in s], shown


def test_group_summaries_are_whole_sentences():
    """click cuts a summary at the first period: 'Generate LEGO sentences (Zhang et al.' was shown for gen lego."""
    for args in (["gen", "--help"], ["--help"], ["invariance", "--help"], ["suite", "--help"]):
        out = CliRunner().invoke(main, args).output
        assert " et al." not in out.split("Commands:")[1], out


def test_invariance_score_does_not_claim_to_apply_transformations():
    out = CliRunner().invoke(main, ["invariance", "score", "--help"], terminal_width=200).output
    assert "to apply" not in out and "TRANSFORMED was written with" in out


def test_top_level_help_names_every_kind_of_task():
    """Before: "an exact, synthesized baseline for length generalization on LEGO", though the Chomsky suite and open tasks are solved too."""
    out = " ".join(CliRunner().invoke(main, ["--help"]).output.split())
    assert "on LEGO." not in out
    assert "LEGO" in out and "Chomsky-hierarchy tasks" in out and "any task you write as a task file" in out


def test_supervised_is_spelled_one_way_in_every_command():
    """`gen lego` had --supervise K where `eval` and `compare` have --supervised K (the chain positions labelled in training)."""
    import click

    shown: dict[str, list[str]] = {}
    for path, cmd in _commands():
        for p in cmd.params:
            if isinstance(p, click.Option) and any("supervise" in o for o in p.opts) and not p.hidden:
                shown.setdefault(" ".join(path), []).extend(p.opts)
    assert shown == {"synth gen lego": ["--supervised"], "synth eval": ["--supervised"], "synth compare": ["--supervised"]}
    out = CliRunner().invoke(main, ["gen", "lego", "--help"]).output
    assert "--supervised K" in out and "--supervise " not in out


def test_gen_lego_reads_the_old_spelling_too(tmp_path):
    outs = []
    for flag in ("--supervised", "--supervise"):
        path = tmp_path / f"{flag.strip('-')}.jsonl"
        r = CliRunner().invoke(main, ["gen", "lego", "--n", "6", "--count", "3", flag, "2", "-o", str(path)])
        assert r.exit_code == 0, r.output
        outs.append(path.read_text())
    assert outs[0] == outs[1] and all(len(json.loads(line)["labels"]) == 2 for line in outs[0].splitlines())
    r = CliRunner().invoke(main, ["gen", "lego", "--count", "3", "--supervised", "2", "--supervise", "3"])
    assert r.exit_code == 2 and "give it once" in r.output
    r = CliRunner().invoke(main, ["gen", "lego", "--count", "3", "--supervised", "2", "--supervise", "2"])
    assert r.exit_code == 0


# -- standard output that cannot be written -----------------------------------


def _synth_to(stdout, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "synth", *args], cwd=ROOT, env=env, stdout=stdout,
                          stderr=subprocess.PIPE, text=True, timeout=120)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="Linux's /dev/full")
@pytest.mark.parametrize("args", [
    ["check", "examples/parity.dsl"],
    ["bench", "--list"],
    ["run", "examples/parity.dsl", "--input-file", "examples/parity.input.json"],
    ["validate", "examples/lego_z5.json"],
    ["gen", "lego", "--count", "2"],
    ["--help"],
    ["--version"],
    ["solve", "--help"],
], ids=lambda a: " ".join(a[:2]))
def test_a_full_standard_output_is_one_message(args):
    """Before: every command but gen ended in `OSError: [Errno 28] No space left on device`, a traceback, exit 1."""
    with open("/dev/full", "w") as full:
        r = _synth_to(full, *args)
    assert r.returncode == 2, r.stderr
    assert r.stderr == "error: standard output: cannot write: No space left on device\n"


def test_a_closed_pipe_still_ends_quietly():
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "synth", "bench", "--list"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader went away before the first line
    err = proc.stderr.read()
    assert proc.wait(timeout=120) == 0 and err == b""


def test_running_out_of_memory_where_no_reader_caught_it_is_one_line_and_exit_2(tmp_path, monkeypatch) -> None:
    """Audit: a MemoryError (an input larger than the machine) was a traceback with exit 1."""

    def exhausted(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(dslcmds, "load_program", exhausted)
    program = tmp_path / "p.dsl"
    program.write_text("input x: Int\nx\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(program)])
    assert result.exit_code == 2, result.output
    assert result.output == "error: check: the process ran out of memory (an input larger than this machine can hold, " \
                            "or a size option too large?)\n"


def test_standard_input_is_read_no_further_than_the_size_limit(tmp_path, monkeypatch) -> None:
    """`synth run P < /dev/zero` read until memory ran out."""
    monkeypatch.setattr(files, "MAX_TEXT_BYTES", 1000)
    program = tmp_path / "p.dsl"
    program.write_text("input x: Int\nx\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["run", str(program)], input=" " * 1001)
    assert result.exit_code == 2 and "error: standard input: more than 1,000 bytes" in result.output, result.output
    result = CliRunner().invoke(main, ["run", str(program)], input='{"x": 3}' + " " * 992)
    assert result.exit_code == 0 and result.output.strip() == "3", result.output
