"""`synth suite run`, `report` and `spec` from the command line."""

from __future__ import annotations

import csv
import os
import re
import shlex
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from synth.cli import main
from synth.commands.suite import _resume_command


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def spec(tmp_path: Path, tiny_spec: str) -> str:
    path = tmp_path / "spec.toml"
    path.write_text(tiny_spec, encoding="utf-8")
    return str(path)


def rows(db: Path) -> int:
    return sqlite3.connect(db).execute("SELECT count(*) FROM cells").fetchone()[0]


def test_run_then_report_in_every_format(tmp_path, spec) -> None:
    db = tmp_path / "r.sqlite"
    first = invoke("suite", "run", spec, "--db", str(db), "--jobs", "2")
    assert first.exit_code == 0, first.output
    assert "4 cells run (0 failed)" in first.output and rows(db) == 4
    again = invoke("suite", "run", spec, "--db", str(db))
    assert again.exit_code == 0 and "0 cells run" in again.output and "4 already in the database" in again.output
    text = invoke("suite", "report", str(db))
    assert text.exit_code == 0 and "parity_check" in text.output and "4/4" in text.output and "third-party-copy" in text.output
    assert invoke("suite", "report", str(db), "--markdown").output.startswith("| task |")
    assert r"\begin{tabular}" in invoke("suite", "report", str(db), "--latex").output
    out = tmp_path / "t.csv"
    assert invoke("suite", "report", str(db), "--csv", str(out)).exit_code == 0
    (line,) = list(csv.DictReader(out.open()))
    assert line["task"] == "parity_check" and line["solved"] == "4" and line["seeds"] == "4" and line["neural status"]
    listed = invoke("suite", "report", str(db), "--markdown", "--programs").output
    programs = listed.split("| task | profile | training | program found |", 1)[1]
    # every seed finds the parity fold: 6 nodes (fold, s, x, xor, 0, xs), 4 of 4 seeds
    assert "| parity_check | core | 10 x 1..6 | `fold (s, x) -> s xor x from 0 over xs` | levels | 6 | 4/4 |" in programs


def test_report_plot(tmp_path, spec) -> None:
    pytest.importorskip("matplotlib")
    db = tmp_path / "r.sqlite"
    invoke("suite", "run", spec, "--db", str(db))
    png = tmp_path / "t.png"
    assert invoke("suite", "report", str(db), "--plot", str(png)).exit_code == 0
    assert png.read_bytes()[:4] == b"\x89PNG"


def test_report_refuses_a_plot_name_of_no_figure_format_before_writing_any_output(tmp_path, spec) -> None:
    db = tmp_path / "r.sqlite"
    invoke("suite", "run", spec, "--db", str(db))
    out = tmp_path / "t.csv"
    out.write_text("kept\n")
    for name in ("t.bmp", "t.gif", "t"):
        result = invoke("suite", "report", str(db), "--csv", str(out), "--plot", str(tmp_path / name))
        assert result.exit_code == 2 and ".pdf, .svg or .png" in result.output
        assert out.read_text() == "kept\n" and not (tmp_path / name).exists()


def test_shards_write_separate_databases_that_report_merges(tmp_path, spec) -> None:
    dbs = [tmp_path / f"s{i}.sqlite" for i in (1, 2)]
    for i, db in enumerate(dbs, start=1):
        assert invoke("suite", "run", spec, "--db", str(db), "--shard", f"{i}/2").exit_code == 0
    assert sum(rows(db) for db in dbs) == 4
    merged = invoke("suite", "report", *map(str, dbs), "--markdown")
    assert "4/4" in merged.output


def test_a_shard_is_called_a_shard_not_the_grid(tmp_path, spec) -> None:
    """Audit 7 G11: a shard's run summary and status said `2 cells in the grid` / `grid: 2 cells` for a 4-cell grid."""
    db = tmp_path / "s.sqlite"
    ran = invoke("suite", "run", spec, "--db", str(db), "--shard", "1/2", "--quiet")
    found = re.search(r"; (\d) cells? in shard 1/2 of the grid", ran.output)  # which cells: by their hashes
    assert ran.exit_code == 0 and found, ran.output
    n = int(found.group(1))
    shown = invoke("suite", "status", str(db), spec, "--shard", "1/2")
    assert shown.exit_code == 0 and f"shard 1/2 of the grid: {n} cell" in shown.output and ", 0 still to run" in shown.output, shown.output
    whole = invoke("suite", "status", str(db), spec)
    assert f"grid: 4 cells, {4 - n} still to run" in whole.output, whole.output
    alone = invoke("suite", "status", str(db), "--shard", "1/2")  # no grid to slice: it was ignored, silently
    assert alone.exit_code == 2 and "--shard takes a slice of a grid" in alone.output, alone.output
    preview = invoke("suite", "status", str(tmp_path / "none.sqlite"), spec, "--shard", "1/2")
    assert "a preview of shard 1/2 of the grid\n" in preview.output and f"shard 1/2 of the grid: {n} cell" in preview.output, preview.output


def test_task_files_alone(tmp_path, root) -> None:
    db = tmp_path / "r.sqlite"
    result = invoke("suite", "run", str(root / "examples" / "parity_check.json"), "--db", str(db))
    assert result.exit_code == 0 and rows(db) == 1
    assert "file" in invoke("suite", "report", str(db)).output


@pytest.mark.parametrize(
    "args, words",
    [
        (["suite", "run", "--db", "x.sqlite"], "give a spec"),
        (["suite", "run", "SPEC", "--db", "x.sqlite", "--shard", "3/2"], "i/N"),
        (["suite", "run", "--ray", "SPEC", "--db", "x.sqlite"], "--ray took"),
    ],
)
def test_option_mistakes_exit_2(tmp_path, spec, monkeypatch, args, words) -> None:
    monkeypatch.chdir(tmp_path)
    result = invoke(*[spec if a == "SPEC" else a for a in args])
    assert result.exit_code == 2 and words in result.output and "Traceback" not in result.output
    assert not (tmp_path / "x.sqlite").exists()


@pytest.mark.parametrize("command", ["run", "status"])
def test_an_empty_shard_is_refused_not_taken_for_the_whole_grid(tmp_path, spec, command) -> None:
    """CLI audit: `--shard "$UNSET"` ran (or showed) the whole grid, exit 0: in a job array every job would run every cell."""
    db = tmp_path / "x.sqlite"
    args = ["suite", "run", spec, "--db", str(db), "--quiet"] if command == "run" else ["suite", "status", str(db), spec]
    result = invoke(*args, "--shard", "")
    assert result.exit_code == 2 and "Traceback" not in result.output, result.output
    assert result.output == "error: --shard is empty (an unset shell variable?): give i/N, e.g. 1/4\n"
    assert not db.exists()


def test_suite_report_names_no_plot_format_option_it_does_not_have(tmp_path, spec) -> None:
    """CLI audit: `suite report --plot fig.xyz` said "(or give --plot-format)", an option of `compare` only."""
    db = tmp_path / "r.sqlite"
    assert invoke("suite", "run", spec, "--db", str(db), "--quiet").exit_code == 0
    result = invoke("suite", "report", str(db), "--plot", str(tmp_path / "fig.xyz"))
    assert result.exit_code == 2 and "cannot write a xyz figure: name the file .pdf, .svg or .png" in result.output, result.output
    assert "--plot-format" not in result.output and not (tmp_path / "fig.xyz").exists()


def test_a_bad_spec_runs_nothing(tmp_path, tiny_spec) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(tiny_spec.replace('"parity_check"', '"parity_chek"'), encoding="utf-8")
    db = tmp_path / "r.sqlite"
    result = invoke("suite", "run", str(bad), "--db", str(db))
    assert result.exit_code == 2 and f"{bad}:5:8: unknown task 'parity_chek'" in result.output
    assert not db.exists()


def test_report_mistakes(tmp_path) -> None:
    missing = invoke("suite", "report", str(tmp_path / "none.sqlite"))
    assert missing.exit_code == 2 and "no such results database" in missing.output
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"x" * 1000)
    assert invoke("suite", "report", str(junk)).exit_code == 2


def test_spec_prints_the_bundled_spec(tmp_path) -> None:
    result = invoke("suite", "spec", "chomsky")
    assert result.exit_code == 0 and "[[generated]]" in result.output and "41..500" in result.output
    out = tmp_path / "c.toml"
    assert invoke("suite", "spec", "chomsky", "-o", str(out)).exit_code == 0 and out.read_text() == result.output


def _crash_seed(monkeypatch, seed: int) -> None:
    """Make the cells of one seed crash in their (forked) worker: an `error` row, as a killed worker leaves."""
    from synth.suite import worker

    real = worker.draw

    def draw(cell):
        if getattr(cell.source, "seed", None) == seed:
            raise RuntimeError("deliberate crash")
        return real(cell)

    monkeypatch.setattr(worker, "draw", draw)


def test_a_run_with_errors_exits_1_and_a_plain_run_retries_only_them(tmp_path, spec, monkeypatch) -> None:
    # audit #10: exit 0 when cells failed, and error rows were never retried
    db = tmp_path / "r.sqlite"
    _crash_seed(monkeypatch, 2)
    first = invoke("suite", "run", spec, "--db", str(db), "--jobs", "2", "--quiet")
    assert first.exit_code == 1 and "4 cells run (1 failed)" in first.output
    assert "1 cell ended in error" in first.output and "suite status" in first.output and "Traceback" not in first.output
    status = invoke("suite", "status", str(db), spec)
    assert status.exit_code == 0, status.output
    assert "3 found" in status.output and "1 error" in status.output and "RuntimeError: deliberate crash" in status.output
    assert "parity_check n=10 len 1..6 seed 2 [core]" in status.output and "1 still to run" in status.output
    monkeypatch.undo()
    again = invoke("suite", "run", spec, "--db", str(db), "--quiet")
    assert again.exit_code == 0 and "1 cell run (0 failed), of which 1 retried (an error or stale row before)" in again.output and "3 already in the database" in again.output
    assert "4/4" in invoke("suite", "report", str(db)).output
    assert "0 still to run" in invoke("suite", "status", str(db), spec).output


def test_run_help_says_errors_are_retried() -> None:
    text = " ".join(invoke("suite", "run", "--help").output.split())
    assert "`error` (a crashed or killed worker, not a search result: retried)" in text and "Exit 1" in text


def test_plurals_in_the_summary(tmp_path, root) -> None:
    db = tmp_path / "r.sqlite"
    result = invoke("suite", "run", str(root / "examples" / "parity_check.json"), "--db", str(db), "--quiet")
    assert "1 cell run (0 failed); 1 cell in the grid" in result.output


@pytest.mark.parametrize("db", ["-", ""])
def test_db_must_be_a_file_name(tmp_path, spec, monkeypatch, db) -> None:
    monkeypatch.chdir(tmp_path)
    result = invoke("suite", "run", spec, "--db", db)
    assert result.exit_code == 2 and "--db needs a file name" in result.output and not (tmp_path / "-").exists()


def test_db_that_is_a_pipe_or_a_device_is_refused_as_such(tmp_path, spec) -> None:
    # `--db FIFO` said "a disk I/O error (a full or failing disk?)", `--db /dev/null` "cannot rollback - no transaction is active"
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    for db in (str(fifo), os.devnull):
        result = invoke("suite", "run", spec, "--db", db, "--quiet")
        assert result.exit_code == 2 and result.output == f"error: {db}: is a pipe or a device, not a regular file: a results database is an SQLite file\n"


def test_run_refuses_an_sqlite_file_that_is_not_ours(tmp_path, spec) -> None:
    # audit #20: run added its tables to someone else's database that report refused
    other = tmp_path / "other.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    result = invoke("suite", "run", spec, "--db", str(other))
    assert result.exit_code == 2 and "not a results database" in result.output and "Traceback" not in result.output
    assert [n for (n,) in sqlite3.connect(other).execute("SELECT name FROM sqlite_master")] == ["t"]


def test_report_on_a_damaged_row_is_one_message(tmp_path, spec) -> None:
    # audit #14
    db = tmp_path / "r.sqlite"
    invoke("suite", "run", spec, "--db", str(db), "--quiet")
    conn = sqlite3.connect(db)
    conn.execute("UPDATE cells SET accuracy = '{bad json' WHERE seed = 1")
    conn.commit()
    conn.close()
    result = invoke("suite", "report", str(db))
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert str(db) in result.output and "accuracy of cell" in result.output and "seed 1" in result.output
    shown = invoke("suite", "status", str(db))  # status reads rows as report does: the same message, not "4 found"
    assert shown.exit_code == 2 and shown.output == result.output


def test_cells_with_other_settings_are_other_lines(tmp_path, tiny_spec) -> None:
    # audit #1: timeouts 0.5 and 8 of one seed were "0/2" seeds with the median of both budgets
    spec = tmp_path / "two.toml"
    spec.write_text(tiny_spec.replace("timeout = 5", "timeout = [4, 5]").replace('seed = "0..3"', "seed = [0, 1]"), encoding="utf-8")
    db = tmp_path / "r.sqlite"
    assert invoke("suite", "run", str(spec), "--db", str(db), "--quiet").exit_code == 0
    table = invoke("suite", "report", str(db), "--markdown").output
    assert "| parity_check | core | 10 x 1..6 (timeout 4) | 2/2 | 2/2 |" in table
    assert "| parity_check | core | 10 x 1..6 (timeout 5) | 2/2 | 2/2 |" in table


def test_task_files_of_one_name_in_two_folders_are_two_lines_named_by_the_file(tmp_path, root) -> None:
    # audit #2: two different files a/parity.json and b/parity.json were one line, task "parity", no neural figures
    data = (root / "examples" / "parity_check.json").read_text(encoding="utf-8")
    for folder, text in (("a", data), ("b", data.replace("\n", "\n\n", 1))):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "parity.json").write_text(text, encoding="utf-8")
    db = tmp_path / "p.sqlite"
    paths = [str(tmp_path / f / "parity.json") for f in "ab"]
    assert invoke("suite", "run", *paths, "--db", str(db), "--quiet").exit_code == 0
    lines = [line for line in invoke("suite", "report", str(db), "--markdown").output.splitlines() if line.startswith("| parity_check |")]
    assert len(lines) == 2 and all("| 1/1 | 1/1 |" in line and "| 52.0 |" in line for line in lines)  # the Transformer's figure
    assert f"(path {paths[0]}, sha256" in lines[0] and f"(path {paths[1]}, sha256" in lines[1]


def test_a_task_file_without_tests_is_reported_untested(tmp_path) -> None:
    # audit #4: a file without "test" was 1/1 solved
    task = tmp_path / "notest.json"
    task.write_text('{"name": "notest", "train": [{"input": {"xs": [1, 2]}, "output": 2}, {"input": {"xs": [3]}, "output": 3}]}', encoding="utf-8")
    db = tmp_path / "r.sqlite"
    assert invoke("suite", "run", str(task), "--db", str(db), "--quiet").exit_code == 0
    table = invoke("suite", "report", str(db), "--markdown").output
    assert "| notest | core | file notest.json | untested | 1/1 |" in table


@pytest.mark.parametrize("ray", [False, True])
def test_the_printed_resume_command_runs_for_an_input_named_like_an_option(tmp_path, tiny_spec, monkeypatch, ray) -> None:
    # `resume with: synth suite run -s.toml --db r.sqlite` ended in "No such option '-s'", exit 2
    monkeypatch.chdir(tmp_path)
    (tmp_path / "-s.toml").write_text(tiny_spec, encoding="utf-8")
    from synth.suite import runner

    def stop(self, cell, outcome):
        raise KeyboardInterrupt

    real = runner.Store.record
    monkeypatch.setattr(runner.Store, "record", stop)
    stopped = invoke("suite", "run", "--db", "r.sqlite", "--quiet", "--", "-s.toml")
    assert stopped.exit_code == 130, stopped.output
    command = shlex.split(stopped.output.split("resume with", 1)[1].splitlines()[1])
    if ray:  # as printed after a --ray run, without starting Ray here: the backend is all that differs
        command = shlex.split(_resume_command(("-s.toml",), (), "r.sqlite", None, None, "", True))
        assert command[-2:] == ["--", "-s.toml"] and "--ray=" in command
        return
    monkeypatch.setattr(runner.Store, "record", real)
    resumed = invoke(*command[1:])
    assert resumed.exit_code == 0 and "4 cells run (0 failed)" in resumed.output, resumed.output


def test_latex_programs_are_latex(tmp_path, spec) -> None:
    # audit #22
    db = tmp_path / "r.sqlite"
    invoke("suite", "run", spec, "--db", str(db), "--quiet")
    text = invoke("suite", "report", str(db), "--latex", "--programs").output
    assert text.count(r"\begin{tabular}") == 2 and r"fold (s, x) -\textgreater{} s xor x from 0 over xs & levels & 6 & 4/4" in text


def test_an_interrupted_redo_resumes_with_the_printed_command(tmp_path, spec, monkeypatch) -> None:
    # audit #9: the printed command (no --redo) kept the pre-redo rows of the cells not redone yet
    db = tmp_path / "r.sqlite"
    assert invoke("suite", "run", spec, "--db", str(db), "--quiet").exit_code == 0
    before = dict(sqlite3.connect(db).execute("SELECT hash, finished || wall_seconds FROM cells"))
    from synth.suite import runner

    real = runner.Store.record
    calls = []

    def record_then_stop(self, cell, outcome):
        if len(calls) == 2:
            raise KeyboardInterrupt
        calls.append(cell.key)
        return real(self, cell, outcome)

    monkeypatch.setattr(runner.Store, "record", record_then_stop)
    stopped = invoke("suite", "run", spec, "--db", str(db), "--redo", "--jobs", "1", "--quiet")
    assert stopped.exit_code == 130 and "finishes the redo" in stopped.output
    command = stopped.output.split("resume with", 1)[1].splitlines()[1].split()
    assert "--redo" not in command
    report = invoke("suite", "report", str(db))
    assert "2 rows shown are stale" in report.output
    monkeypatch.undo()
    redone = set(calls)
    resumed = invoke(*command[1:])
    assert resumed.exit_code == 0 and "2 cells run (0 failed), of which 2 retried (an error or stale row before), 2 already in the database" in resumed.output
    after = dict(sqlite3.connect(db).execute("SELECT hash, finished || wall_seconds FROM cells"))
    assert len(after) == 4 and all(after[h] != before[h] for h in after)  # every row is new
    assert "stale" not in invoke("suite", "report", str(db)).output
    assert redone and len(redone) == 2


@pytest.fixture
def mixed_db(tmp_path, spec) -> Path:
    """4 seeds of one line: 2 found, 1 timeout, 1 error (rewritten in the database after a run)."""
    db = tmp_path / "m.sqlite"
    assert invoke("suite", "run", spec, "--db", str(db)).exit_code == 0
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE cells SET status = 'timeout', program = NULL, accuracy = NULL WHERE seed = 0")
        conn.execute("UPDATE cells SET status = 'error', program = NULL, accuracy = NULL, error = 'boom' WHERE seed = 1")
    conn.close()
    return db


def test_report_json_and_csv_give_not_found_as_plain_data(tmp_path, mixed_db) -> None:
    """Before: the "not found" column held "1 error, 1 timeout" in JSON and CSV (and "-" for none)."""
    import json

    out = tmp_path / "t.json"
    assert invoke("suite", "report", str(mixed_db), "--json", str(out)).exit_code == 0
    (row,) = json.loads(out.read_text())["rows"]
    assert row["not found"] == {"timeout": 1, "error": 1}
    table = tmp_path / "t.csv"
    assert invoke("suite", "report", str(mixed_db), "--csv", str(table)).exit_code == 0
    (line,) = list(csv.DictReader(table.open()))
    assert (line["not found"], line["not found: timeout"], line["not found: error"], line["not found: exhausted"]) == ("2", "1", "1", "0")
    shown = invoke("suite", "report", str(mixed_db)).output
    assert "1 timeout, 1 error" in shown


def test_report_json_to_standard_output_is_parseable(mixed_db) -> None:
    """Before: `--json -` printed the table, then the JSON, on one standard output."""
    import json

    try:
        runner = CliRunner(mix_stderr=False)  # click < 8.2
    except TypeError:
        runner = CliRunner()
    r = runner.invoke(main, ["suite", "report", str(mixed_db), "--json", "-", "--programs"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["rows"][0]["task"] == "parity_check"
    assert "parity_check" in r.stderr and "program found" in r.stderr
    r = runner.invoke(main, ["suite", "report", str(mixed_db), "--csv", "-"])
    assert r.exit_code == 0 and r.stdout.startswith("task,profile,") and "solved / seeds" in r.stderr
    assert invoke("suite", "report", str(mixed_db), "--csv", "-", "--json", "-").exit_code == 2
    for other in ("--csv", "--json"):  # audit 8 H1: the data, then PNG bytes, on one stream
        r = invoke("suite", "report", str(mixed_db), other, "-", "--plot", "-")
        assert r.exit_code == 2 and f"{other} - and --plot - would share standard output" in r.output, r.output


def test_report_programs_with_nothing_found_says_so(tmp_path, mixed_db) -> None:
    """Before: an empty table header."""
    with sqlite3.connect(mixed_db) as conn:
        conn.execute("UPDATE cells SET status = 'exhausted', program = NULL, accuracy = NULL WHERE status = 'found'")
    conn.close()
    r = invoke("suite", "report", str(mixed_db), "--programs")
    assert r.exit_code == 0 and "no programs found" in r.output and "program found  size" not in r.output


def test_status_and_report_read_an_empty_file_as_an_empty_database(tmp_path, spec) -> None:
    """Before: `not a results database`, though `suite run --db` takes a zero-byte file."""
    db = tmp_path / "z0.sqlite"
    db.touch()
    r = invoke("suite", "status", str(db))
    assert r.exit_code == 0 and f"{db}: 0 rows" in r.output
    r = invoke("suite", "status", str(db), spec)
    assert r.exit_code == 0 and "grid: 4 cells, 4 still to run" in r.output
    r = invoke("suite", "report", str(db))
    assert r.exit_code == 2 and f"no results in {db}" in r.output and "not a results database" not in r.output
    assert db.read_bytes() == b""  # read, not written


def test_status_of_a_database_not_made_yet_previews_the_grid(tmp_path, spec) -> None:
    """Before: `no such results database`: a grid could not be previewed before its first run."""
    db = tmp_path / "new.sqlite"
    r = invoke("suite", "status", str(db), spec)
    assert r.exit_code == 0, r.output
    assert "no results database yet" in r.output and "grid: 4 cells, 4 still to run (4 not run):" in r.output
    assert r.output.count(": not run") == 4 and not db.exists()
    r = invoke("suite", "status", str(db))  # without a grid there is nothing to show
    assert r.exit_code == 2 and "no such results database" in r.output


def test_status_of_an_empty_name_names_its_argument(tmp_path) -> None:
    """Before: `--db needs a file name` from a command that has no --db."""
    r = invoke("suite", "status", "")
    assert r.exit_code == 2 and "DATABASE needs a file name" in r.output and "--db" not in r.output
    r = invoke("suite", "report", "")
    assert r.exit_code == 2 and "DATABASES needs a file name" in r.output


@pytest.mark.parametrize("settings", ["{}", '{"kind": "generated"}', '{"kind": "generated", "task": "parity_check", "profile": "core", "seed": 9}'])
def test_report_on_damaged_settings_is_one_message(tmp_path, spec, settings) -> None:
    """Before: settings '{}' passed the check, and the report silently merged two seeds into one ("0/1")."""
    db = tmp_path / "r.sqlite"
    invoke("suite", "run", spec, "--db", str(db), "--quiet")
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE cells SET settings = ? WHERE seed = 1", (settings,))
    conn.close()
    result = invoke("suite", "report", str(db))
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "damaged results database: the settings of cell" in result.output and "seed 1" in result.output


def test_report_and_status_leave_the_folder_of_a_finished_run_as_they_found_it(tmp_path, spec) -> None:
    """Before: the database stayed in WAL mode, and each read-only report or status left empty DB-wal and DB-shm beside it."""
    folder = tmp_path / "results"
    folder.mkdir()
    db = folder / "r.sqlite"
    assert invoke("suite", "run", spec, "--db", str(db), "--quiet").exit_code == 0
    assert [p.name for p in folder.iterdir()] == ["r.sqlite"]
    before = db.read_bytes()
    for args in (["report", str(db)], ["report", str(db), "--programs"], ["status", str(db)], ["status", str(db), spec]):
        assert invoke("suite", *args).exit_code == 0
        assert [p.name for p in folder.iterdir()] == ["r.sqlite"], args
    assert db.read_bytes() == before


@pytest.mark.parametrize("name", ["x#y.sqlite", "w?x.sqlite", "p%20q.sqlite"])
def test_report_and_status_read_a_database_whose_name_has_uri_characters(tmp_path, spec, name) -> None:
    """Before: the name went into an SQLite URI unquoted, so `#` or `?` cut it (an empty file `x` was created and refused) and `%20` was decoded."""
    folder = tmp_path / "results"
    folder.mkdir()
    db = folder / name
    assert invoke("suite", "run", spec, "--db", str(db), "--quiet").exit_code == 0
    for args in (["report", str(db)], ["status", str(db), spec]):
        res = invoke("suite", *args)
        assert res.exit_code == 0 and ("4/4" in res.output or "grid: 4 cells, 0 still to run" in res.output), (args, res.output)
        assert [p.name for p in folder.iterdir()] == [name], args


def test_a_run_that_ends_with_a_reader_on_the_file_says_it_stays_in_wal(tmp_path, spec) -> None:
    """Audit 6 E1: nothing was said; the rows are in the file itself (checkpointed), the -wal goes later."""
    from synth.suite.store import Store

    db = str(tmp_path / "r.sqlite")
    reader = Store(tmp_path / "r.sqlite", readonly=False)  # another process's connection, as a notebook holds one
    try:
        result = invoke("suite", "run", spec, "--db", db, "--quiet")
    finally:
        reader.close()
    assert result.exit_code == 0, result.output
    assert f"note: {db} stays in WAL mode: another process has it open" in result.output
    alone = invoke("suite", "run", spec, "--db", db, "--quiet")  # no one else: at rest, nothing said
    assert alone.exit_code == 0 and "WAL" not in alone.output


def test_status_caps_the_cells_still_to_run_and_all_lists_them(tmp_path, tiny_spec) -> None:
    big = tmp_path / "big.toml"
    big.write_text(tiny_spec.replace("seed = \"0..3\"", "seed = \"0..29\""), encoding="utf-8")
    assert 'seed = "0..29"' in big.read_text()
    db = str(tmp_path / "new.sqlite")
    capped = invoke("suite", "status", db, str(big))
    assert capped.exit_code == 0, capped.output
    assert "grid: 30 cells, 30 still to run (30 not run):" in capped.output
    assert capped.output.count(": not run\n") == 20 and "... and 10 more cells still to run (`synth suite status --all`" in capped.output
    every = invoke("suite", "status", db, str(big), "--all")
    assert every.exit_code == 0 and every.output.count(": not run\n") == 30 and "more cells" not in every.output


@pytest.mark.parametrize("args", [["run", "{dir}", "--db", "{tmp}/r.sqlite"], ["run", "{spec}", "--db", "{dir}"], ["status", "{dir}"],
                                  ["status", "{tmp}/n.sqlite", "{dir}"], ["report", "{dir}"]],
                         ids=["run-input", "run-db", "status-db", "status-input", "report-db"])
def test_a_folder_given_for_a_file_is_named_as_one(tmp_path, spec, args) -> None:
    """Audit 8 H5: `cannot read: Is a directory` and `no such results database` for a folder that exists."""
    folder = tmp_path / "d1"
    folder.mkdir()
    r = invoke("suite", *[a.format(dir=folder, tmp=tmp_path, spec=spec) for a in args])
    assert r.exit_code == 2 and f"error: {folder}: is a folder, not a file" in r.output, r.output


def test_a_ray_address_that_cannot_start_leaves_no_database(tmp_path, tiny_spec) -> None:
    """Audit H: `--ray=nonsense` said it could not reach Ray, exit 2, but had already made an empty results database."""
    pytest.importorskip("ray")
    spec = tmp_path / "s.toml"
    spec.write_text(tiny_spec)
    db = tmp_path / "r.sqlite"
    result = CliRunner().invoke(main, ["suite", "run", str(spec), "--db", str(db), "--ray=nonsense", "--quiet"])
    assert result.exit_code == 2 and "cannot start or reach Ray at nonsense" in result.stderr, result.output
    assert not list(tmp_path.glob("r.sqlite*"))
