"""Options a user can get wrong: each is refused up front with one message and exit status 2, never a traceback.

Seeds (every `--seed` of the command tree), empty output names, full disks,
and `synth gen` options that contradict each other, do not apply to the
chosen format, or would write a file `synth validate` refuses.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator

import click
import pytest
from click.testing import CliRunner

from synth.cli import main

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = ROOT / "examples"


def run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args])


def refused(result, *words: str) -> None:
    """Exit 2 with a message (no traceback) that says `words`."""
    assert result.exit_code == 2, (result.exit_code, result.output)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    for word in words:
        assert word in result.output, (word, result.output)


def _commands(group: click.Group, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            yield from _commands(command, path + (name,))
        else:
            yield path + (name,), command


SEEDED = [(path, param) for path, command in _commands(main) for param in command.params if param.name == "seed"]


def test_the_command_tree_is_walked():
    assert {" ".join(p) for p, _ in SEEDED} >= {"gen lego", "gen sequence", "solve", "invariance run", "invariance transform"}


@pytest.mark.parametrize("path,param", SEEDED, ids=[" ".join(p) for p, _ in SEEDED])
def test_every_seed_option_takes_non_negative_integers_only(path, param):
    """Before: a negative --seed reached numpy (`ValueError: expected non-negative integer`, a traceback)."""
    ctx = click.Context(click.Command(path[-1]))
    assert param.type.convert("0", param, ctx) == 0 and param.type.convert(str(2**70), param, ctx) == 2**70
    with pytest.raises(click.BadParameter):
        param.type.convert("-1", param, ctx)


@pytest.fixture(scope="module")
def lego_data(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("data") / "test.jsonl"
    assert run("gen", "lego", "--n", "6", "--count", "3", "-o", path).exit_code == 0
    return path


@pytest.mark.parametrize("args", [
    ["gen", "lego", "--n", "3", "--count", "1"],
    ["gen", "sequence", "parity_check", "--count", "1"],
    ["solve", EXAMPLES / "parity_check.json"],
    ["solve", EXAMPLES / "lego_z2_paper.json"],
    ["invariance", "run", EXAMPLES / "lego.dsl", "DATA"],
    ["invariance", "transform", "DATA", "-o", "-"],
], ids=lambda a: " ".join(map(str, a[:2])))
def test_a_negative_seed_is_refused_on_the_command_line(args, lego_data):
    args = [lego_data if a == "DATA" else a for a in args]
    refused(run(*args, "--seed", "-1"), "--seed", "-1")


# -- outputs -----------------------------------------------------------------


@pytest.mark.parametrize("args", [
    ["gen", "lego", "--n", "4", "--count", "2", "-o", ""],
    ["gen", "sequence", "parity_check", "--count", "2", "-o", ""],
    ["solve", EXAMPLES / "parity_check.json", "--timeout", "5", "-o", ""],
    ["eval", EXAMPLES / "lego.dsl", "DATA", "--predict", "-o", ""],
    ["eval", EXAMPLES / "lego.dsl", "DATA", "--csv", ""],
    ["invariance", "transform", "DATA", "-o", ""],
], ids=lambda a: " ".join(map(str, a[:2])) + " " + a[-2])
def test_an_empty_output_name_is_refused(args, lego_data, tmp_path, monkeypatch):
    """Before: `gen -o ''` was a FileNotFoundError traceback; `solve -o ''` wrote nothing and exited 0."""
    monkeypatch.chdir(tmp_path)
    args = [lego_data if a == "DATA" else a for a in args]
    refused(run(*args), "output file name is empty")
    assert os.listdir(tmp_path) == [] and not any(n.endswith(".partial") for n in os.listdir(tmp_path.parent))


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="Linux's /dev/full")
@pytest.mark.parametrize("args", [
    ["gen", "lego", "--n", "4", "--count", "2000"],
    ["eval", EXAMPLES / "lego.dsl", "DATA", "--predict"],
], ids=["gen", "eval"])
def test_a_full_disk_is_one_message(args, lego_data):
    """Before: `OSError: [Errno 28] No space left on device`, a traceback."""
    args = [lego_data if a == "DATA" else a for a in args]
    refused(run(*args, "-o", "/dev/full"), "/dev/full: cannot write: No space left on device")


# -- gen: files validate refuses, options that do not apply ---------------------


@pytest.mark.parametrize("args,words", [
    (["lego", "--count", "0", "--format", "task"], ["--count"]),
    (["lego", "--count", "0"], ["--count"]),
    (["lego", "--n", "1", "--format", "kazemnejad"], ["--n 2 or more"]),
    (["lego", "--n", "4", "--supervised", "0", "--format", "task"], ["--supervised 0", "nothing to learn"]),
    (["sequence", "parity_check", "--count", "0"], ["--count"]),
], ids=lambda a: " ".join(a) if isinstance(a, list) and a and a[0] in ("lego", "sequence") else "")
def test_gen_refuses_what_would_write_a_file_validate_refuses(args, words, tmp_path):
    """Before: each wrote a file (exit 0) that `synth validate` then refused."""
    out = tmp_path / "out"
    refused(run("gen", *args, "-o", out), *words)
    assert not out.exists()


@pytest.mark.parametrize("args,words", [
    (["lego", "--n", "4", "--supervised", "9"], ["--supervised 9", "--n 4"]),
    (["lego", "--n", "4", "--supervise", "5"], ["--supervised 5", "--n 4"]),
    (["lego", "--syntax", "signs", "--format", "official"], ["--syntax", "jsonl and task", "--format official"]),
    (["lego", "--syntax", "readable", "--format", "kazemnejad"], ["--syntax"]),
    (["lego", "--test-n", "8"], ["--test-n", "--format task"]),
    (["lego", "--test-count", "8", "--format", "official"], ["--test-count", "--format task"]),
    (["sequence", "parity_check", "--length", "5", "--min-length", "2"], ["--length", "--min-length", "not both"]),
    (["sequence", "parity_check", "--length", "5", "--max-length", "9"], ["--length", "--max-length"]),
    (["sequence", "parity_check", "--test-length", "50", "--test-min-length", "41", "--test-max-length", "60"], ["--test-length", "--test-min-length and --test-max-length"]),
], ids=lambda a: " ".join(a) if isinstance(a, list) and a and a[0] in ("lego", "sequence") else "")
def test_gen_refuses_options_it_would_ignore_or_override(args, words, tmp_path):
    """Before: each was silently ignored or overridden (--length won over --min-length), exit 0."""
    out = tmp_path / "out"
    refused(run("gen", *args, "--count", "2", "-o", out), *words)
    assert not out.exists()


@pytest.mark.parametrize("args", [
    ["lego", "--n", "4", "--supervised", "4"],
    ["lego", "--n", "4", "--supervised", "0"],
    ["lego", "--syntax", "signs", "--format", "jsonl"],
    ["lego", "--syntax", "readable", "--format", "task", "--test-n", "8", "--test-count", "0"],
    ["lego", "--n", "2", "--format", "kazemnejad"],
    ["sequence", "parity_check", "--length", "5", "--test-min-length", "41", "--test-max-length", "60"],
    ["sequence", "parity_check", "--min-length", "2", "--max-length", "3", "--test-length", "50"],
])
def test_gen_still_takes_options_that_fit(args, tmp_path):
    out = tmp_path / "out"
    r = run("gen", *args, "--count", "2", "-o", out)
    assert r.exit_code == 0, r.output
    r = run("validate", out)
    assert r.exit_code == 0, r.output


@pytest.mark.skipif(not hasattr(os, "fork"), reason="a file-size limit on a child process (POSIX)")
def test_a_file_size_limit_is_one_message_and_keeps_the_old_file(tmp_path):
    """Before: `(ulimit -f 4; synth gen lego ... -o big.jsonl)` was `OSError: [Errno 27] File too large`, a traceback."""
    import resource
    import subprocess
    import sys

    out = tmp_path / "big.jsonl"
    out.write_text("old\n")

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    r = subprocess.run([sys.executable, "-m", "synth", "gen", "lego", "--n", "12", "--count", "1000", "-o", str(out)],
                       preexec_fn=limit, capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 2 and r.stderr == f"error: {out}: cannot write: File too large\n", r.stderr
    assert out.read_text() == "old\n" and os.listdir(tmp_path) == ["big.jsonl"]


# -- second audit: gen's refusals are one line; a redundant --syntax is accepted ----


@pytest.mark.parametrize("args,words", [
    (["sequence", "parity_check", "--length", "5", "--min-length", "2"], ["--length sets both bounds"]),
    (["sequence", "parity_check", "--count", "0"], ["--count"]),
    (["sequence", "parity_check", "--test-length", "5", "--test-max-length", "9"], ["--test-length sets both bounds"]),
    (["sequence", "no_such_task"], ["no_such_task", "parity_check"]),
    (["lego", "--count", "0"], ["--count"]),
], ids=lambda a: " ".join(a[1:]) if isinstance(a, list) and a and a[0] in ("sequence", "lego") else "")
def test_gen_refusals_are_one_error_line(args, words):
    """Before: `gen sequence` printed a 7-line usage block (all 15 task names) before `Error:`."""
    r = run("gen", *args)
    refused(r, *words)
    lines = r.output.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Usage:" not in r.output


def test_gen_sequence_help_lists_the_tasks():
    r = run("gen", "sequence", "--help")
    assert r.exit_code == 0 and "[OPTIONS] TASK" in r.output and "binary_multiplication" in r.output


def test_gen_lego_accepts_a_syntax_its_format_already_is(tmp_path):
    """Before: `--format signs --syntax signs` (redundant, consistent) was refused."""
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    assert run("gen", "lego", "--n", "3", "--count", "2", "--format", "signs", "-o", a).exit_code == 0
    r = run("gen", "lego", "--n", "3", "--count", "2", "--format", "signs", "--syntax", "signs", "-o", b)
    assert r.exit_code == 0, r.output
    assert a.read_bytes() == b.read_bytes()
    refused(run("gen", "lego", "--format", "official", "--syntax", "signs"), "--syntax")


# -- audit 7: empty ranges named, NaN timeout, folders as outputs, memory, counts ----


@pytest.mark.parametrize("args,message", [
    (["--test-min-length", "10", "--test-max-length", "5"], "the test range 10..5 is empty: --test-min-length 10 is above --test-max-length 5"),
    (["--test-max-length", "5"], "the test range 41..5 is empty: --test-min-length 41 (the default) is above --test-max-length 5"),
    (["--min-length", "9", "--max-length", "3"], "the training range 9..3 is empty: --min-length 9 is above --max-length 3"),
    (["--min-length", "50"], "the training range 50..40 is empty: --min-length 50 is above --max-length 40 (the default)"),
], ids=["test", "test-default", "training", "training-default"])
def test_an_empty_length_range_names_its_range_and_options(args, message, tmp_path):
    """Before: `length range 10..5 is empty`, the same words for the training and the test range (G11)."""
    r = run("gen", "sequence", "parity_check", *args, "-o", tmp_path / "out")
    refused(r)
    assert r.output == f"error: {message}\n" and not (tmp_path / "out").exists()


@pytest.mark.parametrize("value", ["nan", "NaN", "-nan"])
def test_a_nan_timeout_names_the_option(value, monkeypatch):
    """Before: `timeout must be positive, not nan`, from the search's settings, naming no option (G11)."""
    from synth.commands import solve as solve_cmd

    monkeypatch.setattr(solve_cmd, "synthesize", lambda *a, **kw: pytest.fail("searched"))
    r = run("solve", EXAMPLES / "parity_check.json", "--timeout", value)
    refused(r, "Invalid value for '--timeout'", "is not a number of seconds")


def test_an_infinite_timeout_is_still_taken(monkeypatch):
    from synth.commands import solve as solve_cmd

    seen = {}

    def fake(task, **kw):
        seen.update(kw)
        raise KeyboardInterrupt

    monkeypatch.setattr(solve_cmd, "synthesize", fake)
    run("solve", EXAMPLES / "parity_check.json", "--timeout", "inf")
    assert seen["timeout"] == float("inf")


@pytest.mark.parametrize("args", [["gen", "lego", "--count", "2"], ["gen", "sequence", "parity_check"], ["solve", EXAMPLES / "parity_check.json"]],
                         ids=["gen-lego", "gen-sequence", "solve"])
def test_a_folder_as_the_output_is_one_line_as_elsewhere(args, tmp_path, monkeypatch):
    """Before: `Invalid value for '-o' / '--output': File 'd1' is a directory. (see ...)`, click's form, not the others' (G11)."""
    from synth.commands import solve as solve_cmd

    monkeypatch.setattr(solve_cmd, "synthesize", lambda *a, **kw: pytest.fail("searched"))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "d1").mkdir()
    r = run(*args, "-o", "d1")
    refused(r)
    assert r.output == "error: d1: is a folder, not a file\n"


def _out_of_memory(*a: object, **kw: object):
    raise MemoryError


@pytest.mark.parametrize("args,patch,message", [
    (["lego", "--n", "7"], "iter_generate", "1,000 sentences of up to 7 clauses (--count 1000 (the default), --n 7): give smaller values"),
    (["lego", "--n", "7", "--format", "task", "--test-n", "90"], "iter_generate",
     "1,100 sentences of up to 90 clauses (--count 1000 (the default), --test-count 100 (the default), --test-n 90): give smaller values"),
    (["lego", "--n", "2", "--count", "1", "--format", "task", "--test-n", "3", "--test-count", "1000000000"], "iter_generate",
     "1,000,000,001 sentences of up to 3 clauses (--count 1, --test-count 1000000000, --test-n 3)"),  # audit: --test-count went unnamed
    (["lego", "--n", "3", "--count", "30000000", "--format", "kazemnejad"], "write_records",
     "30,000,000 sentences of up to 3 clauses (--count 30000000, --n 3)"),  # audit 8 H3: the count named, not only --n
    (["sequence", "parity_check", "--length", "30", "--test-count", "0"], "draw_task",
     "20 examples of length up to 30 (--count 20 (the default), --test-count 0, --length 30): give smaller values"),
    (["sequence", "parity_check"], "write_sequence_task",
     "120 examples of length up to 500 (--count 20 (the default), --test-count 100 (the default), --test-max-length 500 (the default))"),
], ids=["lego", "lego-test-n", "lego-test-count", "lego-count", "sequence-length", "sequence-defaults"])
def test_running_out_of_memory_in_gen_is_one_message(args, patch, message, tmp_path, monkeypatch):
    """Before: a numpy MemoryError traceback, exit 1 (G14); the previous file stays, no temporary one is left."""
    from synth.commands import data as data_cmd

    monkeypatch.setattr(data_cmd, patch, _out_of_memory)
    out = tmp_path / "out"
    out.write_text("previous\n")
    r = run("gen", *args, "-o", out)
    refused(r)
    assert r.output == f"error: the process ran out of memory generating {message}" + r.output.split(message, 1)[1]
    assert r.output.endswith(", or run with more memory\n")
    assert out.read_text() == "previous\n" and os.listdir(tmp_path) == ["out"]


def _system_error(*args, **kwargs):
    raise SystemError("error return without exception set")  # how numpy may fail an allocation under RLIMIT_AS


@pytest.mark.parametrize("capped", [True, False], ids=["at-the-cap", "elsewhere"])
def test_a_system_error_at_the_address_space_cap_is_running_out_of_memory(capped, tmp_path, monkeypatch):
    """Before: 1 run in 4 under `ulimit -v` ended in a SystemError traceback (audit 8 H3); elsewhere it stays one."""
    from synth.commands import data as data_cmd

    monkeypatch.setattr(data_cmd, "draw_task", _system_error)
    monkeypatch.setattr(data_cmd, "at_address_limit", lambda: capped)
    r = run("gen", "sequence", "parity_check", "--test-count", "0", "-o", tmp_path / "out.json")
    if capped:
        refused(r)
        assert "the process ran out of memory generating 20 examples" in r.output
    else:
        assert isinstance(r.exception, SystemError) and r.exit_code == 1
    assert os.listdir(tmp_path) == []


@pytest.mark.skipif(not hasattr(os, "fork"), reason="an address-space limit on a child process (POSIX)")
def test_a_length_the_machine_cannot_hold_is_one_message(tmp_path):
    """The real thing, under a 2 GB address-space cap: 10**9 clauses need 8 GB for one sentence's array."""
    import resource
    import subprocess
    import sys

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

    out = tmp_path / "huge.jsonl"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OPENBLAS_NUM_THREADS": "1"}
    r = subprocess.run([sys.executable, "-m", "synth", "gen", "lego", "--n", str(10**9), "--count", "1", "-o", str(out)],
                       preexec_fn=limit, capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 2, r.stderr
    assert r.stderr == ("error: the process ran out of memory generating 1 sentence of up to 1,000,000,000 clauses "
                        "(--count 1, --n 1000000000): give smaller values, or run with more memory\n")
    assert os.listdir(tmp_path) == []


def test_validate_counts_one_bad_record_in_the_singular(tmp_path):
    """Before: `skipped 1 bad records` (G11)."""
    data = tmp_path / "mix.jsonl"
    r = run("gen", "lego", "--n", "3", "--count", "2", "-o", data)
    assert r.exit_code == 0, r.output
    with data.open("a") as f:
        f.write('{"sentence": "a = val 1 , b = not zz ,", "labels": {}}\n')
    r = run("validate", "--skip-bad", data)
    assert r.exit_code == 0, r.output
    assert f"{data}: skipped 1 bad record\n" in r.stderr
    assert "  skipped:  1 bad record\n" in r.output  # the summary's line too (was `1 bad records`)
    one = tmp_path / "one.jsonl"
    one.write_text(data.read_text().splitlines()[0] + "\n")
    assert f"{one}: 1 record (lego, jsonl)" in run("validate", one).output  # audit 8 H8: was `1 records`


@pytest.mark.parametrize(
    "args",
    [["solve", "{dir}"], ["solve", "{task}", "--grammar", "{dir}"], ["validate", "{dir}"], ["run", "{dir}"],
     ["check", "{dir}"], ["run", "{program}", "--input-file", "{dir}"]],
    ids=["solve", "solve-grammar", "validate", "run", "check", "run-input-file"],
)
def test_a_folder_given_as_an_input_file_is_one_line(tmp_path, args):
    """Before: click's usage banner and `Invalid value for 'TASK_FILE': File 'adir' is a directory.` (audit 7 G11)."""
    folder = tmp_path / "adir"
    folder.mkdir()
    root = Path(__file__).resolve().parents[3]
    r = run(*[a.format(dir=folder, task=root / "examples" / "parity_check.json", program=root / "examples" / "parity.dsl") for a in args])
    assert r.exit_code == 2 and r.output.strip().splitlines()[-1] == f"error: {folder}: is a folder, not a file", r.output
    assert "Usage:" not in r.output


@pytest.mark.parametrize("args", [
    ["gen", "sequence", "parity_check", "--max-length", "10000000000000000000", "--count", "2"],
    ["gen", "sequence", "parity_check", "--test-count", "9000000000000000000"],
    ["gen", "sequence", "parity_check", "--length", "10000000000"],
    ["gen", "lego", "--n", "10000000000000000000", "--count", "1"],
    ["gen", "lego", "--format", "task", "--test-n", "10000000000000000000", "--count", "1", "--n", "2"],
])
def test_a_count_or_length_past_any_machine_is_refused_up_front(args):
    """Audit: numpy's own ValueError (high is out of bounds for int64, array is too big) came out as a traceback."""
    refused(run(*args), "is not in the range", "1000000000")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
@pytest.mark.parametrize("args", [
    ["validate", "{pipe}"],
    ["eval", EXAMPLES / "parity_check.dsl", "{pipe}"],
    ["solve", "{pipe}"],
    ["compare", "{pipe}", "--program", EXAMPLES / "parity_check.dsl"],
    ["suite", "status", "{pipe}"],
])
def test_a_pipe_given_as_data_or_a_task_file_is_refused_not_read_twice(args, tmp_path):
    """Audit: `<(cat data.jsonl)` read as `no records`, a task file as broken JSON, and a named pipe hung."""
    pipe = tmp_path / "data.json"
    os.mkfifo(pipe)  # no writer: opening it to read would wait forever
    refused(run(*[str(a).format(pipe=pipe) for a in args]), "is a pipe or a device, not a regular file", "save it to a file first")


def test_a_program_or_json_inputs_may_come_from_a_pipe(tmp_path):
    """Read once, so a pipe is fine there (a shell's `<(...)`)."""
    pipe = tmp_path / "inputs.json"
    os.mkfifo(pipe)
    import threading

    writer = threading.Thread(target=lambda: pipe.write_text('{"xs": [1, 0, 1]}'))
    writer.start()
    result = run("run", EXAMPLES / "parity_check.dsl", "--input-file", pipe)
    writer.join()
    assert result.exit_code == 0 and result.output.strip() == "0", result.output
