"""No command destroys or truncates a file: outputs are whole or absent, inputs are never overwritten.

In-process (click's runner); tests/synth/commands/test_signals.py sends real signals to real processes.
"""

from __future__ import annotations

import inspect
import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from dsl.files import PARTIAL_SUFFIX
from synth.cli import main, sigterm_as_interrupt
from synth.commands import data as data_cmd
from synth.report import evaluate as evaluate_mod

ROOT = Path(__file__).resolve().parents[3]
PROGRAM = ROOT / "examples" / "lego.dsl"
TASK = ROOT / "examples" / "lego_z2_official.json"


def run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def data(tmp_path) -> Path:
    path = tmp_path / "data.jsonl"
    r = run("gen", "lego", "--n", "6", "--count", "40", "--seed", "3", "-o", path)
    assert r.exit_code == 0, r.output
    return path


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


# -- an output that is an input is refused before anything is written ----------------


@pytest.mark.parametrize("form", ["same", "dot", "hardlink"])
def test_eval_predict_into_its_own_data_is_refused(tmp_path, data, form, monkeypatch):
    monkeypatch.chdir(tmp_path)
    before = data.read_bytes()
    output = {"same": str(data), "dot": "./data.jsonl", "hardlink": "link.jsonl"}[form]
    if form == "hardlink":
        os.link(data, tmp_path / "link.jsonl")
    r = run("eval", PROGRAM, "data.jsonl", "--predict", "-o", output)
    assert r.exit_code == 2 and "also an input" in r.output and "Traceback" not in r.output
    assert data.read_bytes() == before and _leftovers(tmp_path) == []


@pytest.mark.parametrize(
    "args",
    [
        ["eval", PROGRAM, "{data}", "--csv", "{data}"],
        ["eval", PROGRAM, "{data}", "--csv", "{program}"],
        ["invariance", "transform", "{data}", "-o", "{data}"],
        ["compare", "{data}", "--program", PROGRAM, "--csv", "{data}"],
        ["compare", "{data}", "--program", PROGRAM, "--plot", "{data}"],
        ["solve", "{task}", "-o", "{task}"],
        ["solve", "{task}", "--weights", "{weights}", "-o", "{weights}"],
    ],
    ids=["eval-csv", "eval-csv-program", "transform", "compare-csv", "compare-plot", "solve", "solve-weights"],
)
def test_every_command_keeps_its_inputs(tmp_path, data, args):
    program = tmp_path / "lego.dsl"
    shutil.copy(PROGRAM, program)
    task = tmp_path / "task.json"
    shutil.copy(TASK, task)
    weights = tmp_path / "weights.json"
    weights.write_text('{"if": 1}')
    files = {"data": data, "program": program, "task": task, "weights": weights}
    before = {name: p.read_bytes() for name, p in files.items()}
    argv = [str(a).format(**files) for a in args]
    argv = [str(program) if a == str(PROGRAM) else a for a in argv]
    r = run(*argv)
    assert r.exit_code == 2, r.output
    assert "also an input" in r.output and "Traceback" not in r.output
    assert "candidates enumerated" not in r.output, "refused before the search, not after"
    assert {name: p.read_bytes() for name, p in files.items()} == before
    assert _leftovers(tmp_path) == []


@pytest.mark.parametrize(
    "args",
    [
        ["solve", "{task}", "-o", "{out}"],
        ["eval", PROGRAM, "{data}", "--csv", "{out}"],
        ["eval", PROGRAM, "{data}", "-o", "{out}"],
        ["compare", "{data}", "--program", PROGRAM, "--csv", "{out}"],
        ["compare", "{data}", "--program", PROGRAM, "--plot", "{out}"],
        ["invariance", "transform", "{data}", "-o", "{out}"],
        ["gen", "lego", "--count", "5", "-o", "{out}"],
        ["gen", "sequence", "parity_check", "-o", "{out}"],
        ["suite", "report", "{data}", "--csv", "{out}"],
        ["suite", "report", "{data}", "--plot", "{out}"],
        ["suite", "spec", "chomsky-quick", "-o", "{out}"],
        ["suite", "run", "{task}", "--db", "{out}"],
    ],
    ids=["solve", "eval-csv", "eval-o", "compare-csv", "compare-plot", "transform", "gen-lego", "gen-sequence",
         "suite-report-csv", "suite-report-plot", "suite-spec", "suite-run-db"],
)
@pytest.mark.parametrize("where", ["missing-folder", "file-as-folder", "folder"])
def test_an_output_that_cannot_be_written_is_refused_before_the_work(tmp_path, data, args, where, monkeypatch):
    from synth.commands import solve as solve_cmd

    def no_search(*a, **kw):
        raise AssertionError("the search ran before the output was checked")

    monkeypatch.setattr(solve_cmd, "synthesize", no_search)
    (tmp_path / "folder").mkdir()
    out = {"missing-folder": tmp_path / "nodir" / "x.out", "file-as-folder": data / "x.out", "folder": tmp_path / "folder"}[where]
    expected = {
        "missing-folder": f"{out}: cannot write: the folder {tmp_path / 'nodir'} does not exist",
        "file-as-folder": f"{out}: cannot write: {data} is not a folder",
        "folder": "is a folder",  # or click's own "is a directory", for an option typed click.Path(dir_okay=False)
    }[where]
    r = run(*[str(a).format(task=TASK, data=data, out=out) for a in args])
    assert r.exit_code == 2, r.output
    assert (expected in r.output or (where == "folder" and "is a directory" in r.output)) and "Traceback" not in r.output
    assert "program" not in r.output.replace(str(PROGRAM), ""), "refused before the search, not after"
    assert not (tmp_path / "nodir").exists() and sorted(p.name for p in tmp_path.iterdir()) == ["data.jsonl", "folder"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_an_output_in_a_closed_folder_is_refused_before_the_search(tmp_path, monkeypatch):
    from synth.commands import solve as solve_cmd

    monkeypatch.setattr(solve_cmd, "synthesize", lambda *a, **kw: pytest.fail("searched"))
    closed = tmp_path / "closed"
    closed.mkdir()
    closed.chmod(0o555)
    try:
        r = run("solve", TASK, "-o", closed / "x.dsl")
    finally:
        closed.chmod(0o755)
    assert r.exit_code == 2 and f"cannot write: no permission to create files in {closed}" in r.output


def test_two_outputs_naming_one_file_are_refused(tmp_path, data):
    r = run("compare", data, "--program", PROGRAM, "--csv", tmp_path / "out", "--plot", tmp_path / "out")
    assert r.exit_code == 2 and "two outputs name one file" in r.output
    assert not (tmp_path / "out").exists()


# -- interrupted writes leave the previous file -----------------------------------------


def test_interrupted_gen_leaves_the_previous_file(tmp_path, monkeypatch):
    out = tmp_path / "train.jsonl"
    out.write_text("previous\n")
    real = data_cmd.write_records

    def half_then_interrupt(records, fmt, stream, **kw):
        real(list(records)[:5], fmt, stream, **kw)
        stream.flush()
        raise KeyboardInterrupt

    monkeypatch.setattr(data_cmd, "write_records", half_then_interrupt)
    r = run("gen", "lego", "--count", "100", "-o", out)
    assert r.exit_code == 130 and "interrupted" in r.output
    assert out.read_text() == "previous\n" and _leftovers(tmp_path) == []


def test_gen_to_a_file_equals_gen_to_stdout(tmp_path):
    out = tmp_path / "t.txt"
    args = ["gen", "lego", "--count", "30", "--format", "official", "--seed", "5"]
    assert run(*args, "-o", out).exit_code == 0
    assert out.read_text() == run(*args).output


def test_report_to_csv_is_whole_or_absent(tmp_path, monkeypatch):
    from synth.report.evaluate import Report, Scorer

    path = tmp_path / "report.csv"
    path.write_text("previous\n")

    real = Report.tidy_rows

    def rows_then_interrupt(self, *args, **kwargs):
        yield from real(self, *args, **kwargs)
        raise KeyboardInterrupt

    monkeypatch.setattr(Report, "tidy_rows", rows_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        Scorer().report().to_csv(path)
    assert path.read_text() == "previous\n" and _leftovers(tmp_path) == []


def test_compare_plot_is_written_whole(tmp_path, data):
    pytest.importorskip("matplotlib")
    png = tmp_path / "acc.png"
    r = run("compare", data, "--program", PROGRAM, "--plot", png)
    assert r.exit_code == 0, r.output
    assert png.read_bytes().startswith(b"\x89PNG") and _leftovers(tmp_path) == []


# -- partial predictions are kept under a name that says so, and refused as data -------


class _StopAfter:
    """attempt_prediction that raises `exc` on call number `n` (the first n-1 predictions are made)."""

    def __init__(self, n: int, exc: BaseException) -> None:
        self.n, self.exc, self.calls = n, exc, 0
        self.real = evaluate_mod.attempt_prediction

    def __call__(self, predictor, sentence):
        self.calls += 1
        if self.calls == self.n:
            raise self.exc
        return self.real(predictor, sentence)


def test_interrupted_predictions_are_kept_as_partial_and_refused_as_data(tmp_path, data, monkeypatch):
    preds = tmp_path / "preds.jsonl"
    preds.write_text("previous\n")
    monkeypatch.setattr(evaluate_mod, "attempt_prediction", _StopAfter(30, KeyboardInterrupt()))
    r = run("eval", PROGRAM, data, "--predict", "-o", preds)
    assert r.exit_code == 130
    partial = tmp_path / ("preds.jsonl" + PARTIAL_SUFFIX)
    lines = partial.read_text().splitlines()
    assert len(lines) == 29 and all("labels" in json.loads(line) for line in lines)
    assert f"kept the 29 predictions made before the stop in {partial}" in r.output
    assert preds.read_text() == "previous\n", "the complete file of an earlier run stays"
    assert _leftovers(tmp_path) == []
    monkeypatch.undo()

    for args in (["validate", partial], ["eval", PROGRAM, partial], ["compare", data, "--predictions", partial],
                 ["invariance", "transform", partial, "-o", tmp_path / "t.jsonl"]):
        r = run(*args)
        assert r.exit_code == 2, args
        assert "partial output of an interrupted command" in r.output and "Traceback" not in r.output


def test_a_bad_record_keeps_the_predictions_before_it(tmp_path, data):
    lines = data.read_text().splitlines()
    bad = tmp_path / "bad.jsonl"
    bad.write_text("\n".join(lines[:7] + ['{"sentence": "a = val"}'] + lines[7:]) + "\n")
    preds = tmp_path / "preds.jsonl"
    r = run("eval", PROGRAM, bad, "--predict", "-o", preds)
    assert r.exit_code == 2 and not preds.exists()
    assert len((tmp_path / ("preds.jsonl" + PARTIAL_SUFFIX)).read_text().splitlines()) == 7


def test_validate_reports_a_partial_file_and_checks_the_others(tmp_path, data):
    partial = tmp_path / ("x.jsonl" + PARTIAL_SUFFIX)
    shutil.copy(data, partial)
    r = run("validate", partial, data)
    assert r.exit_code == 2
    assert "partial output" in r.output and "40" in r.output  # the good file is still summarized


def test_sigterm_becomes_keyboard_interrupt_inside_the_block_only():
    import signal
    import time

    before = signal.getsignal(signal.SIGTERM)
    with pytest.raises(KeyboardInterrupt):
        with sigterm_as_interrupt():
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(5)  # the handler interrupts the sleep at once
    assert signal.getsignal(signal.SIGTERM) == before


# -- audit 7: no output replaces a results database; -o - beside --json ---------------


@pytest.fixture(scope="module")
def results_db(tmp_path_factory) -> Path:
    """A results database as `synth suite run` makes it (one cell)."""
    db = tmp_path_factory.mktemp("sweep") / "results.sqlite"
    r = run("suite", "run", ROOT / "examples" / "parity_check.json", "--db", db, "--jobs", "1", "--quiet")
    assert r.exit_code == 0, r.output
    return db


@pytest.mark.parametrize(
    "args",
    [
        ["solve", TASK, "-o", "{out}"],
        ["gen", "lego", "--count", "5", "-o", "{out}"],
        ["gen", "lego", "--count", "5", "--format", "task", "-o", "{out}"],
        ["gen", "sequence", "parity_check", "-o", "{out}"],
        ["eval", PROGRAM, "{data}", "--csv", "{out}"],
        ["eval", PROGRAM, "{data}", "--predict", "-o", "{out}"],
        ["compare", "{data}", "--program", PROGRAM, "--csv", "{out}"],
        ["invariance", "transform", "{data}", "-o", "{out}"],
        ["suite", "report", "{db}", "--csv", "{out}"],
        ["suite", "spec", "chomsky-quick", "-o", "{out}"],
    ],
    ids=["solve", "gen-lego", "gen-lego-task", "gen-sequence", "eval-csv", "eval-predict", "compare-csv", "transform",
         "suite-report-csv", "suite-spec"],
)
def test_an_output_that_is_a_results_database_is_refused(tmp_path, data, results_db, args, monkeypatch):
    """Before: each exited 0 and the database became a program, JSONL, CSV or a spec (audit 7, G5)."""
    from synth.commands import solve as solve_cmd

    def no_work(*a, **kw):
        raise AssertionError("worked before the output was checked")

    # solve and gen check before their work; the others' outputs are refused when opened, and nothing is lost either way
    monkeypatch.setattr(solve_cmd, "synthesize", no_work)
    monkeypatch.setattr(data_cmd, "iter_generate", no_work)
    monkeypatch.setattr(data_cmd, "draw_task", no_work)
    out = tmp_path / "r.sqlite"
    shutil.copy(results_db, out)
    before = out.read_bytes()
    r = run(*[str(a).format(data=data, out=out, db=results_db) for a in args])
    assert r.exit_code == 2, r.output
    assert f"error: {out}: is an SQLite database (a sweep's results?): not replacing it" in r.output and "Traceback" not in r.output
    assert out.read_bytes() == before and _leftovers(tmp_path) == []


def test_suite_run_still_adds_to_its_database(tmp_path, results_db):
    """`suite run --db` opens a database on purpose: the refusal above is not its."""
    db = tmp_path / "results.sqlite"
    shutil.copy(results_db, db)
    r = run("suite", "run", ROOT / "examples" / "even_pairs.json", "--db", db, "--jobs", "1", "--quiet")
    assert r.exit_code == 0, r.output
    r = run("suite", "status", db)
    assert r.exit_code == 0 and "2 rows" in r.output, r.output


def test_solve_refuses_the_program_and_json_on_one_standard_output(monkeypatch):
    """Before: `solve -o - --json` printed the program, then the JSON object: no JSON reader took the stream (G9)."""
    from synth.commands import solve as solve_cmd

    monkeypatch.setattr(solve_cmd, "synthesize", lambda *a, **kw: pytest.fail("searched before the clash was refused"))
    r = run("solve", TASK, "-o", "-", "--json")
    assert r.exit_code == 2 and r.stdout == ""
    assert r.stderr.startswith("error: -o - and --json would share standard output: write the program to a file")


def test_solve_to_standard_output_prints_the_program_alone_there(tmp_path):
    """Before: the program, then the whole text report, on standard output: `solve -o - > p.dsl` was no program `synth run` took."""
    r = run("solve", ROOT / "examples" / "parity_check.json", "-o", "-", "--timeout", "20")
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith("# synthesized by lego-synth from ") and "generalization" not in r.stdout
    assert "generalization:" in r.stderr and "search (profile core)" in r.stderr, "the report is on stderr, as `eval -o -` puts it"
    program = tmp_path / "p.dsl"
    program.write_text(r.stdout)
    ran = run("run", program, "--input", '{"xs": [1, 0, 1, 1]}')
    assert ran.exit_code == 0 and ran.output.strip() == "1", ran.output


@pytest.mark.parametrize(
    "args",
    [
        ["eval", PROGRAM, "{bad}", "--csv", "{out}"],
        ["eval", PROGRAM, "{bad}", "--predict", "-o", "{out}"],
        ["compare", "{bad}", "--program", PROGRAM, "--csv", "{out}"],
        ["invariance", "transform", "{bad}", "-o", "{out}"],
    ],
    ids=["eval-csv", "eval-predict", "compare-csv", "transform"],
)
def test_a_results_database_as_output_is_refused_before_the_data_is_read(tmp_path, results_db, args):
    """The database is named first, before the data's own mistake (it was refused only when the output was opened, after the scoring)."""
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"sentence": "a = val 1 ,", "labels": {"a": 1}}\nnot a record\n', encoding="utf-8")
    out = tmp_path / "r.sqlite"
    shutil.copy(results_db, out)
    r = run(*[str(a).format(bad=bad, out=out) for a in args])
    assert r.exit_code == 2 and "is an SQLite database (a sweep's results?): not replacing it" in r.output, r.output
    assert "bad.jsonl:2" not in r.output


@pytest.mark.parametrize("command", [["eval"], ["compare"], ["invariance", "transform"], ["suite", "spec"], ["suite", "report"],
                                     ["gen", "lego"], ["gen", "sequence"], ["solve"]])
def test_every_output_option_says_what_happens_to_a_file_already_there(command):
    """Audit 8 H4: only gen's and solve's -o said it; the README says "as -o says" for every output."""
    r = run(*command, "--help")
    text = " ".join(r.output.split())
    assert r.exit_code == 0 and "existing file is replaced" in text and "SQLite database" in text, text


# -- an output that fails to write after the work loses none of its results -----------

FULL = "/dev/full"  # every write to it fails with "No space left on device"
SPLIT = CliRunner(**({"mix_stderr": False} if "mix_stderr" in inspect.signature(CliRunner).parameters else {}))  # stdout apart from stderr


@pytest.mark.skipif(not os.path.exists(FULL), reason="needs /dev/full")
@pytest.mark.parametrize("args, shown", [
    (["solve", ROOT / "examples" / "parity_check.json", "-o", FULL], "fold (s, x) -> s xor x from 0 over xs"),
    (["eval", PROGRAM, "{data}", "--csv", FULL], "label accuracy"),
    (["compare", "{data}", "--program", PROGRAM, "--csv", FULL], "label accuracy"),
])
def test_an_output_that_fails_after_the_work_leaves_the_report_shown(data, args, shown):
    """Audit: the search's program (eval's, compare's table) went nowhere when the disk was full; stdout was empty."""
    r = SPLIT.invoke(main, [str(a).format(data=data) for a in args])
    assert r.exit_code == 2 and "cannot write" in r.stderr and "Traceback" not in r.stderr, (r.exit_code, r.stderr)
    assert shown in r.stdout, r.stdout


# -- file names: written into outputs as text -----------------------------------------


def test_a_file_name_that_is_not_utf8_is_refused_before_any_work(tmp_path) -> None:
    """CLI audit: such a name failed only when written (a program header, a CSV row, a results database's row), after the
    search: `suite run` lost the cell it had run."""
    task = tmp_path / os.fsdecode(b"\xfd.json")
    shutil.copy(ROOT / "examples" / "parity_check.json", task)
    preds = tmp_path / os.fsdecode(b"\xfe.jsonl")
    preds.write_text('{"labels": {"a": 1, "b": 0}}\n')
    data = tmp_path / "d.jsonl"
    data.write_text('{"sentence": "a = val 1 , b = not a ,", "labels": {"a": 1, "b": 0}}\n')
    calls = [
        ("solve", task, "-o", tmp_path / "out.dsl"),
        ("suite", "run", ROOT / "examples" / "parity_check.json", "--db", tmp_path / os.fsdecode(b"\xf1.sqlite"), "--quiet"),
        ("compare", data, "--predictions", preds, "--csv", tmp_path / "out.csv"),
    ]
    for args in calls:
        r = run(*args)
        assert r.exit_code == 2 and "the file name is not valid UTF-8; rename it" in r.output, (args, r.output)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([task.name, preds.name, data.name])  # nothing written


def test_a_task_name_with_a_newline_leaves_the_written_program_a_program(tmp_path) -> None:
    """CLI audit: the name went into the header comment as it was, and its second line into the program."""
    task = tmp_path / "a\ninput zz: Int\n.json"
    shutil.copy(ROOT / "examples" / "parity_check.json", task)
    out = tmp_path / "p.dsl"
    assert run("solve", task, "-o", out).exit_code == 0
    assert out.read_text().splitlines()[0] == f"# synthesized by lego-synth from {json.dumps(str(task))} (cost 6)"
    checked = run("check", out)
    assert checked.exit_code == 0 and "zz" not in checked.output, checked.output
