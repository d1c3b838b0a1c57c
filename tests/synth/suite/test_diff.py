"""Two sweeps side by side (`synth suite diff`): the cells whose result changed, matched by their settings."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from dsl.errors import UserError
from synth.cli import main
from synth.suite.diff import as_text, diff, one_version
from synth.suite.outcome import Outcome
from synth.suite.store import Store, read_rows


def _found(program: str = "xs[0]", candidates: int = 7, cpu: float = 0.5, status: str = "found") -> Outcome:
    return Outcome(status=status, program=None if status != "found" else f"input xs: List[Int]\n{program}\n", cost=2,
                   candidates=candidates, cpu_seconds=cpu, accuracy={"exact": 1.0, "mean_exact": 1.0, "buckets": []},
                   stats={"stopped": status})


def _db(path: Path, cells, outcomes) -> str:
    with Store(path) as store:
        for cell, outcome in zip(cells, outcomes):
            store.record(cell, outcome)
    return str(path)


def _sides(a: str, b: str):
    old, _ = one_version(read_rows([a]), None, "--before-version", a)
    new, _ = one_version(read_rows([b]), None, "--after-version", b)
    return diff(old, new, a, b)


def test_cells_are_matched_by_their_settings_and_sorted_into_what_changed(tmp_path, cell_maker) -> None:
    c = [cell_maker(i) for i in range(7)]
    before = _db(tmp_path / "a.sqlite", c[:6], [
        _found(), _found("xs[1]"), _found(candidates=100), _found(cpu=2.0), _found(), _found(status="timeout")])
    with Store(before) as store:  # the stale row of a redo not finished
        store.mark_stale([c[4].key])
    after = _db(tmp_path / "b.sqlite", c, [
        _found(), _found("xs[2]"), _found(candidates=80), _found(cpu=3.0), _found(), _found(), _found()])
    found = _sides(before, after)
    assert found.both == 5 and found.not_done == (c[4].describe(),)
    assert [(x.cell, x.before, x.after) for x in found.changed] == [
        (c[1].describe(), "found: xs[1]", "found: xs[2]"), (c[5].describe(), "timeout", "found: xs[0]")]
    assert [(r.cell, r.before, r.after) for r in found.recounted] == [(c[2].describe(), 100, 80)]
    assert found.only_before == () and found.only_after == (c[6].describe(),)
    assert found.cpu_before == pytest.approx(0.5 * 4 + 2.0) and found.cpu_after == pytest.approx(0.5 * 4 + 3.0)
    assert found.ratio == pytest.approx(1.5) and found.ratio_cells == 1  # only the cell of a second or more on both sides
    assert found.differs() and found.differs(counts=True)
    text = as_text(found)
    assert "5 cells in both compared: 3 with the same result (status, program, accuracy), 2 changed; of the same run to their end (found, exhausted), 1 from another number of candidates" in text
    assert f"  {c[2].describe()}: 100 -> 80 (-20.0%)" in text
    assert "1 cell only after:" in text and "1 cell in both but not compared" in text and "only before" not in text
    assert "after / before, the median over the 1 cell run to their end in at least 1 CPU-s on both sides: 1.50" in text


def test_a_status_change_is_a_change_and_counts_alone_differ_only_with_counts(tmp_path, cell_maker) -> None:
    cells = [cell_maker(i) for i in range(2)]
    before = _db(tmp_path / "a.sqlite", cells, [_found(status="timeout"), _found(candidates=5)])
    after = _db(tmp_path / "b.sqlite", cells, [_found(), _found(candidates=5)])
    (changed,) = _sides(before, after).changed
    assert (changed.before, changed.after) == ("timeout", "found: xs[0]")
    recount = _db(tmp_path / "c.sqlite", cells, [_found(status="timeout"), _found(candidates=6)])
    only_counts = _sides(before, recount)
    assert not only_counts.changed and not only_counts.differs() and only_counts.differs(counts=True)


def test_the_same_program_scored_otherwise_is_a_change(tmp_path, cell_maker) -> None:
    """Its tests or the scoring changed: the program alone would hide it."""
    cells = [cell_maker(0)]
    before = _db(tmp_path / "a.sqlite", cells, [_found()])
    rescored = replace(_found(), accuracy={"exact": 0.5, "mean_exact": 0.5, "buckets": []})
    (changed,) = _sides(before, _db(tmp_path / "b.sqlite", cells, [rescored])).changed
    assert (changed.before, changed.after) == ("found: xs[0] (exact on 100.0% of its tests)", "found: xs[0] (exact on 50.0% of its tests)")


def test_a_search_cut_by_its_limit_on_a_side_has_no_count_nor_speed_to_compare(tmp_path, cell_maker) -> None:
    """A timeout stops wherever the machine's speed put it: its candidates and CPU seconds say nothing of the search."""
    cells = [cell_maker(i) for i in range(3)]
    before = _db(tmp_path / "a.sqlite", cells, [_found(status="timeout", candidates=5, cpu=60.0), _found(status="memory", candidates=5, cpu=2.0),
                                                _found(candidates=5, cpu=2.0)])
    after = _db(tmp_path / "b.sqlite", cells, [_found(status="timeout", candidates=9, cpu=61.0), _found(status="memory", candidates=9, cpu=4.0),
                                               _found(candidates=5, cpu=3.0)])
    found = _sides(before, after)
    assert found.both == 3 and not found.changed and not found.recounted and not found.differs(counts=True)
    assert found.ratio == pytest.approx(1.5) and found.ratio_cells == 1
    assert found.cpu_before == pytest.approx(64.0) and found.cpu_after == pytest.approx(68.0)  # the totals hold every compared cell


def test_one_database_holds_both_sides_as_two_code_versions(tmp_path, cell_maker, code_at) -> None:
    db = tmp_path / "r.sqlite"
    old = code_at("aaaaaaaaaaaa")
    _db(db, [cell_maker(0)], [_found("xs[0]")])
    new = code_at("bbbbbbbbbbbb")
    _db(db, [cell_maker(0)], [_found("xs[1]")])
    rows = read_rows([db])
    with pytest.raises(UserError, match=r"rows of 2 code versions: .*pick one with --before-version V \(or --before-version current\)"):
        one_version(rows, None, "--before-version", str(db))
    before, version = one_version(rows, old, "--before-version", str(db))
    after, now = one_version(rows, "current", "--after-version", str(db))
    assert (version, now) == (old, new)
    for option in ("--before-version", "--after-version"):  # an empty version names the option it was given to
        with pytest.raises(UserError, match=f"^{option} needs a code version"):
            one_version(rows, " ", option, str(db))
    (changed,) = diff(before, after, str(db), str(db)).changed
    assert (changed.before, changed.after) == ("found: xs[0]", "found: xs[1]")


def test_long_lists_are_capped(tmp_path, cell_maker) -> None:
    cells = [cell_maker(i) for i in range(25)]
    found = _sides(_db(tmp_path / "a.sqlite", cells, [_found("xs[0]")] * 25), _db(tmp_path / "b.sqlite", cells, [_found("xs[1]")] * 25))
    text = as_text(found)
    assert text.count("    before: ") == 20 and "  ... and 5 more changed cells (`synth suite diff --all` lists every one)" in text
    assert as_text(found, None).count("    before: ") == 25


def _invoke(*args: str):
    return CliRunner().invoke(main, ["suite", "diff", *args])


def test_the_command_exits_0_when_alike_1_when_not_2_on_bad_input(tmp_path, cell_maker, code_at) -> None:
    cells = [cell_maker(i) for i in range(2)]
    a = _db(tmp_path / "a.sqlite", cells, [_found(), _found(candidates=5)])
    b = _db(tmp_path / "b.sqlite", cells, [_found(), _found(candidates=6)])
    c = _db(tmp_path / "c.sqlite", cells, [_found(), _found("xs[1]")])
    alike = _invoke(a, b)
    assert alike.exit_code == 0, alike.output
    assert "2 cells in both compared: 2 with the same result (status, program, accuracy), 0 changed; of the same run to their end (found, exhausted), 1 from another" in alike.output
    assert _invoke(a, b, "--counts").exit_code == 1
    differ = _invoke(a, c)
    assert differ.exit_code == 1 and "changed:" in differ.output and "after:  found: xs[1]" in differ.output
    out = tmp_path / "diff.json"
    assert _invoke(a, c, "--json", str(out)).exit_code == 1
    written = json.loads(out.read_text(encoding="utf-8"))
    assert written["both"] == 2 and [x["after"] for x in written["changed"]] == ["found: xs[1]"] and written["before"]["cells"] == 2
    for args, words in [
        ((a, str(tmp_path / "none.sqlite")), "no such results database"),
        ((a, str(tmp_path)), "is a folder, not a file"),
        ((a, a), "BEFORE and AFTER are the same rows"),
        ((a, _db(tmp_path / "d.sqlite", [cell_maker(9)], [_found()])), "have no cell in common"),
        ((a, b, "--after-version", "0.0.0+nothing"), "no rows of code version 0.0.0+nothing"),
        ((a, b, "--json", b), "is an SQLite database (a sweep's results?): not replacing it"),
    ]:
        result = _invoke(*args)
        assert result.exit_code == 2 and words in result.output and "Traceback" not in result.output, (args, result.output)


def test_a_grid_run_twice_is_the_same_sweep(tmp_path, tiny_spec) -> None:
    """The determinism check the command is for: the same cells run into two databases, nothing changed, same counts."""
    spec = tmp_path / "spec.toml"
    spec.write_text(tiny_spec, encoding="utf-8")
    for name in ("a.sqlite", "b.sqlite"):
        ran = CliRunner().invoke(main, ["suite", "run", str(spec), "--db", str(tmp_path / name), "--jobs", "1", "--quiet"])
        assert ran.exit_code == 0, ran.output
    same = _invoke(str(tmp_path / "a.sqlite"), str(tmp_path / "b.sqlite"), "--counts")
    assert same.exit_code == 0 and "4 cells in both compared: 4 with the same result (status, program, accuracy), 0 changed; of the same run to their end (found, exhausted), 0" in same.output
