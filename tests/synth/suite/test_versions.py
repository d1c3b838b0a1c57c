"""Results never outlive the code that produced them: edited code re-runs its cells, and versions are never pooled."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from dsl.errors import UserError
from synth.cli import main
from synth.suite.backends import make_backend
from synth.suite.cell import cell_hash
from synth.suite.headline import headline, programs
from synth.suite.outcome import Outcome
from synth.suite.render import as_latex, as_markdown, as_text, write_csv
from synth.suite.runner import run_sweep
from synth.suite.status import as_text as status_text
from synth.suite.status import status
from synth.suite.store import Store, read_rows
from synth.suite.versions import notes, only, versions

OLD = "0.1.0"  # how databases made before the fingerprint stamped their rows


def _outcome(exact: float = 1.0) -> Outcome:
    return Outcome(status="found", program="input xs: List[Int]\n0", cost=1, candidates=7, cpu_seconds=0.5, wall_seconds=1.0,
                   accuracy={"exact": exact, "mean_exact": exact, "buckets": []}, training={}, stats={"stopped": "found"})


def _runner() -> CliRunner:
    try:
        return CliRunner(mix_stderr=False)  # type: ignore[call-arg]  # click < 8.2
    except TypeError:
        return CliRunner()


def _dump(db: Path) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT * FROM cells ORDER BY hash").fetchall()
    finally:
        conn.close()


def test_a_cells_hash_and_row_carry_the_code_version(tmp_path, cell_maker, code_at) -> None:
    first = code_at("aaaaaaaaaaaa")
    key = cell_maker(0).key
    with Store(tmp_path / "r.sqlite") as store:
        store.record(cell_maker(0), _outcome())
        (row,) = store.rows()
    assert row["version"] == first and first.endswith("+aaaaaaaaaaaa")
    code_at("bbbbbbbbbbbb")
    assert cell_maker(0).key != key


def test_a_resume_after_a_code_change_runs_again_and_keeps_the_old_rows(tmp_path, cell_maker, code_at) -> None:
    db = tmp_path / "r.sqlite"
    cells = [cell_maker(s) for s in range(2)]
    code_at("aaaaaaaaaaaa")
    with Store(db) as store:
        assert run_sweep(cells, store, make_backend("local", 1)).ran == 2
    before = _dump(db)
    with Store(db) as store:
        assert run_sweep(cells, store, make_backend("local", 1)).skipped == 2  # same code: nothing to run
    new = code_at("bbbbbbbbbbbb")
    with Store(db) as store:
        summary = run_sweep(cells, store, make_backend("local", 1))
        assert (summary.ran, summary.skipped, summary.retried, summary.other_code) == (2, 0, 0, 2)
        assert sorted(r["version"] for r in store.rows()).count(new) == 2
    after = _dump(db)
    assert len(after) == 4 and set(before) <= set(after)  # the old rows, byte for byte


def _two_versions(tmp_path, cell_maker, code_at, *, seeds=(0, 1)) -> tuple[Path, str, str]:
    """One database: the same cells run by two codes, the older one exact, the newer one not."""
    db = tmp_path / "r.sqlite"
    a = code_at("aaaaaaaaaaaa")
    with Store(db) as store:
        for s in seeds:
            store.record(cell_maker(s), _outcome(1.0))
    b = code_at("bbbbbbbbbbbb")
    with Store(db) as store:
        for s in seeds:
            store.record(cell_maker(s), _outcome(0.0))
    return db, a, b


def test_two_versions_are_never_pooled(tmp_path, cell_maker, code_at) -> None:
    db, a, b = _two_versions(tmp_path, cell_maker, code_at)
    rows = read_rows([db])
    lines = headline(rows)
    assert [(line.version, line.seeds, line.solved) for line in lines] == [(a, 2, 2), (b, 2, 0)]
    assert all(f"code version {line.version}" in line.training for line in lines)  # the labels tell them apart
    assert [f.seeds for f in programs(rows)] == ["2/2", "2/2"]
    for shown in (as_text(lines), as_markdown(lines), as_latex(lines)):
        assert a in shown and b in shown
    out = tmp_path / "t.csv"
    write_csv(lines, str(out), inputs=[str(db)])
    assert out.read_text().splitlines()[0].endswith(",code version")


def _two_labels(tmp_path, cell_maker, code_at) -> tuple[Path, str, str]:
    """One database: two cells of different settings (so different labels), each run by another code."""
    db = tmp_path / "r.sqlite"
    a = code_at("aaaaaaaaaaaa")
    with Store(db) as store:
        store.record(cell_maker(0), _outcome())
    b = code_at("bbbbbbbbbbbb")
    with Store(db) as store:
        store.record(cell_maker(0, size=12), _outcome())
    return db, a, b


def test_lines_of_different_versions_but_different_labels_show_a_version_column(tmp_path, cell_maker, code_at) -> None:
    db, a, b = _two_labels(tmp_path, cell_maker, code_at)
    lines = headline(read_rows([db]))
    assert [line.version for line in lines] == [a, b]
    assert "code version" not in lines[0].training  # no clash: the label stays short
    header = as_text(lines).splitlines()[0]
    assert header.rstrip().endswith("code version")
    one = headline(only(read_rows([db]), a))
    assert "code version" not in as_text(one).splitlines()[0] and f"code version: {a}" in as_text(one)


def test_merged_databases_keep_both_versions_of_a_cell(tmp_path, cell_maker, code_at) -> None:
    first, second = tmp_path / "a.sqlite", tmp_path / "b.sqlite"
    code_at("aaaaaaaaaaaa")
    with Store(first) as store:
        store.record(cell_maker(0), _outcome(1.0))
    code_at("bbbbbbbbbbbb")
    with Store(second) as store:
        store.record(cell_maker(0), _outcome(0.0))
    rows = read_rows([first, second])
    assert len(rows) == 2 and len(headline(rows)) == 2
    with Store(first) as store:  # the same cell and code in two files still counts once
        store.record(cell_maker(0), _outcome(0.0))
    assert len(read_rows([first, second])) == 2


def test_notes_and_the_filter(tmp_path, cell_maker, code_at) -> None:
    db, a, b = _two_versions(tmp_path, cell_maker, code_at)
    rows = read_rows([db])
    assert [(v.version, v.rows, v.current) for v in versions(rows)] == [(a, 2, False), (b, 2, True)]
    (several,) = notes(rows)
    assert "2 code versions" in several and "never pooled" in several and f"{b} (current code, 2 rows)" in several
    assert {r["version"] for r in only(rows, a)} == {a} and {r["version"] for r in only(rows, "current")} == {b}
    assert notes(only(rows, "current")) == []
    (stale,) = notes(only(rows, a))
    assert "no row shown is from the current code" in stale
    with pytest.raises(UserError, match=f"no rows of code version 9.9 in {db};"):  # the databases read are named
        only(rows, "9.9")


def test_report_command_notes_filters_and_refuses_an_absent_version(tmp_path, cell_maker, code_at) -> None:
    db, a, b = _two_versions(tmp_path, cell_maker, code_at)
    runner = _runner()
    both = runner.invoke(main, ["suite", "report", str(db)])
    assert both.exit_code == 0 and a in both.stdout and b in both.stdout
    assert "note: rows of 2 code versions" in both.stderr and "note:" not in both.stdout
    picked = runner.invoke(main, ["suite", "report", str(db), "--code-version", a])
    assert picked.exit_code == 0 and f"code version: {a}" in picked.stdout and b not in picked.stdout
    assert "no row shown is from the current code" in picked.stderr
    current = runner.invoke(main, ["suite", "report", str(db), "--code-version", "current"])
    assert current.exit_code == 0 and b in current.stdout and a not in current.stdout and current.stderr == ""
    absent = runner.invoke(main, ["suite", "report", str(db), "--code-version", "0.0.1"])
    assert absent.exit_code == 2 and "no rows of code version 0.0.1" in absent.stderr and "Traceback" not in absent.stderr
    helped = " ".join(runner.invoke(main, ["suite", "report", "--help"]).stdout.split())
    assert "never pooled into one line" in helped and "--code-version" in helped


def _stamp_old(db: Path) -> None:
    """Make the rows look like those of a database from before the fingerprint (version `0.1.0`, hashes made with it)."""
    conn = sqlite3.connect(db)
    with conn:
        for h, settings in conn.execute("SELECT hash, settings FROM cells").fetchall():
            conn.execute("UPDATE cells SET version = ?, hash = ? WHERE hash = ?", (OLD, cell_hash(json.loads(settings), OLD), h))
    conn.close()


def test_old_databases_open_report_and_count_as_another_version(tmp_path, cell_maker, code_at) -> None:
    db = tmp_path / "old.sqlite"
    with Store(db) as store:
        store.record(cell_maker(0), _outcome())
        store.record(cell_maker(1), _outcome())
    _stamp_old(db)
    runner = _runner()
    shown = runner.invoke(main, ["suite", "report", str(db)])
    assert shown.exit_code == 0 and "2/2" in shown.stdout and f"code version: {OLD}" in shown.stdout
    assert "no row shown is from the current code" in shown.stderr
    assert runner.invoke(main, ["suite", "report", str(db), "--code-version", OLD]).exit_code == 0
    found = status(db, [cell_maker(0), cell_maker(1), cell_maker(2)])
    assert found.other_versions == {OLD: 2}
    assert [p.reason for p in found.pending] == ["not run for the current code (a row of other code is kept)"] * 2 + ["not run"]
    text = status_text(found)
    assert "2 rows from other code versions" in text and f"{OLD} (2)" in text and "3 still to run" in text
    with Store(db) as store:  # the current code runs them anew, beside the old rows
        summary = run_sweep([cell_maker(0)], store, make_backend("local", 1))
    assert summary.ran == 1 and len(read_rows([db])) == 3
    assert [line.seeds for line in headline(read_rows([db]))] == [2, 1]


def test_status_names_the_current_code_and_counts_none_other_when_all_rows_are_its_own(tmp_path, cell_maker) -> None:
    db = tmp_path / "r.sqlite"
    with Store(db) as store:
        store.record(cell_maker(0), _outcome())
    found = status(db, [cell_maker(0)])
    assert found.other_versions == {} and found.pending == ()
    text = status_text(found)
    assert f"current code version: {found.version}" in text and "other code versions" not in text


class _OtherCode:
    """A backend whose worker runs other code (a Ray node with another install): it stamps another version."""

    name = "other"

    def capacity(self) -> int:
        return 1

    def run(self, cells):
        for cell in cells:
            yield cell, replace(_outcome(), code="9.9.9+ffffffffffff")

    def close(self) -> None:
        pass


def test_a_worker_stamps_its_code_and_a_worker_of_other_code_gives_an_error_row(tmp_path, cell_maker) -> None:
    from synth.suite.compat import code_version
    from synth.suite.worker import run_cell

    assert run_cell(cell_maker(0)).code == code_version()
    db = tmp_path / "r.sqlite"
    with Store(db) as store:
        summary = run_sweep([cell_maker(0)], store, _OtherCode())
        (row,) = store.rows()
    assert summary.failed == 1 and row["status"] == "error" and row["version"] == code_version()
    assert "the worker ran code version 9.9.9+ffffffffffff" in row["error"]
    with Store(db) as store:  # an error row is still to run: the right code replaces it
        assert run_sweep([cell_maker(0)], store, make_backend("local", 1)).retried == 1
        assert [r["status"] for r in store.rows()] == ["found"]


def test_run_says_how_many_cells_it_runs_again_for_a_code_change(tmp_path, cell_maker, code_at) -> None:
    """Before: `2 cells run (0 failed); 2 cells in the grid`, no word of the old rows beside them."""
    from synth.commands.suite import _summary_line

    db = tmp_path / "r.sqlite"
    cells = [cell_maker(s) for s in range(2)]
    code_at("aaaaaaaaaaaa")
    with Store(db) as store:
        first = run_sweep(cells, store, make_backend("local", 1))
    assert first.other_code == 0 and "another code version" not in _summary_line(first)
    code_at("bbbbbbbbbbbb")
    with Store(db) as store:
        again = run_sweep(cells + [cell_maker(2)], store, make_backend("local", 1))
    assert again.other_code == 2
    line = _summary_line(again)
    assert "3 cells run" in line and "2 cells of them had rows of another code version, kept" in line


def test_the_programs_table_names_each_lines_code_version_when_they_differ(tmp_path, cell_maker, code_at) -> None:
    """Before: the headline had a code version column for such lines, the programs table none."""
    from synth.suite.render import programs_table

    db, a, b = _two_labels(tmp_path, cell_maker, code_at)
    rows = read_rows([db])
    for fmt in (None, "markdown", "latex"):
        table = programs_table(programs(rows), fmt)
        assert "code version" in table.splitlines()[0 if fmt != "latex" else 2] and a in table and b in table
    alone = programs_table(programs(only(rows, a)))
    assert "code version" not in alone and b not in alone


def test_an_old_rows_version_is_not_called_a_fingerprint_and_an_empty_version_is_refused(tmp_path, cell_maker) -> None:
    db = tmp_path / "old.sqlite"
    with Store(db) as store:
        store.record(cell_maker(0), _outcome())
    _stamp_old(db)
    shown = _runner().invoke(main, ["suite", "report", str(db)])
    assert f"code version: {OLD} (a package version alone" in shown.stdout and "fingerprint of the code" not in shown.stdout
    empty = _runner().invoke(main, ["suite", "report", str(db), "--code-version", ""])
    assert empty.exit_code == 2 and "--code-version needs a code version" in empty.stderr
