"""`synth bench --baseline DIR`: a benchmark timed in this tree and another, in alternating rounds of fresh processes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from dsl.errors import UserError
from synth.benchmarks import sidebyside
from synth.benchmarks.sidebyside import Side, SideBySide, baseline_tree, side_by_side
from synth.cli import main


def _fake_tree(root: Path, rows: dict[str, dict]) -> Path:
    """A lego-synth tree whose `synth bench --only NAME --json` prints rows[NAME], or fails as a missing name does."""
    for package in ("synth", "dsl", "tasks"):
        (root / package).mkdir(parents=True)
        (root / package / "__init__.py").write_text("")
    (root / "synth" / "__main__.py").write_text(
        "import json, sys\n"
        f"rows = json.loads({json.dumps(json.dumps(rows))})\n"
        "name = sys.argv[sys.argv.index('--only') + 1]\n"
        "if name not in rows:\n"
        "    print(f\"Error: no benchmark matches {name!r}; see synth bench --list\", file=sys.stderr)\n"
        "    sys.exit(2)\n"
        "print(json.dumps(rows[name]))\n"
    )
    return root


def _row(name: str, median: float, rate: float | None = None, unit: str = "things/s", **more) -> dict:
    row = {"name": name, "claim": "", "clock": "cpu", "repeat": 1, "median_s": median, "min_s": median, "max_s": median, **more}
    if rate is not None:
        row.update(work=rate * median, rate=rate, unit=unit)
    return row


def test_rounds_alternate_which_tree_goes_first(tmp_path, monkeypatch) -> None:
    calls: list[Path] = []

    def run(tree: Path, name: str, repeat: int | None):
        calls.append(tree)
        return _row(name, 1.0 if tree == sidebyside.THIS_TREE else 2.0), None

    monkeypatch.setattr(sidebyside, "_run", run)
    other = _fake_tree(tmp_path / "old", {})
    found = side_by_side("x", other, 4, None)
    this = sidebyside.THIS_TREE
    assert calls == [this, other, other, this, this, other, other, this]
    assert len(found.this.rows) == len(found.baseline.rows) == 4 and found.speedup == pytest.approx(2.0)


def test_a_fresh_process_per_round_in_each_tree(tmp_path) -> None:
    """This tree's real benchmark (a fast one) beside a baseline tree's; a benchmark the baseline lacks is said so."""
    name = "search.lego_z2_demo"
    other = _fake_tree(tmp_path / "old", {name: _row(name, 50.0)})
    found = side_by_side(name, other, 2, 1)
    assert [r["name"] for r in found.this.rows] == [name, name] and found.this.missing is None
    assert found.baseline.median_s == 50.0 and found.speedup == pytest.approx(50.0 / found.this.median_s)
    absent = side_by_side("search.lego_z2_demo", _fake_tree(tmp_path / "older", {}), 2, 1)
    assert absent.baseline.missing == "no benchmark of that name there" and absent.baseline.rows == ()
    assert absent.speedup is None and len(absent.this.rows) == 2


def test_the_speedup_compares_rates_where_work_is_counted_and_never_ratios_of_ratios() -> None:
    fast, slow = _row("b", 1.0, rate=300.0), _row("b", 1.0, rate=100.0)  # the same time, three times the work
    assert SideBySide("b", Side((fast,)), Side((slow,)), "things/s").speedup == pytest.approx(3.0)
    assert SideBySide("t", Side((_row("t", 0.5),)), Side((_row("t", 2.0),)), "").speedup == pytest.approx(4.0)
    ratio = _row("v", 1.0, rate=2.0, unit="x")
    assert SideBySide("v", Side((ratio,)), Side((ratio,)), "x").speedup is None
    failed = _row("t", 0.5, error="no program")
    assert SideBySide("t", Side((failed,)), Side((_row("t", 2.0),)), "").speedup is None


def test_targets_are_judged_on_the_median_of_the_rounds() -> None:
    rows = tuple(_row("t", s, target_s=1.0) for s in (0.5, 2.0, 0.9))
    assert Side(rows).meets_target is True  # the median 0.9; one round alone missed it
    assert Side(rows[1:2]).meets_target is False and Side((_row("t", 3.0),)).meets_target is None
    rated = tuple(_row("r", 1.0, rate=r, target_rate=100.0) for r in (90.0, 120.0, 110.0))
    assert Side(rated).meets_target is True and Side(rated[:1]).meets_target is False


def test_the_baseline_must_be_a_lego_synth_tree(tmp_path) -> None:
    with pytest.raises(UserError, match="no such folder"):
        baseline_tree(str(tmp_path / "none"))
    (tmp_path / "half" / "synth").mkdir(parents=True)
    with pytest.raises(UserError, match=r"not a lego-synth tree: no synth/__init__.py, synth/__main__.py, dsl/__init__.py"):
        baseline_tree(str(tmp_path / "half"))
    (tmp_path / "file").write_text("")
    with pytest.raises(UserError, match="a file, not a folder"):  # before: 'no such folder'
        baseline_tree(str(tmp_path / "file"))
    for empty in ("", "  "):  # before: '' was the current folder's tree, whatever it held
        with pytest.raises(UserError, match="--baseline is empty"):
            baseline_tree(empty)


def test_the_command_prints_both_sides_and_refuses_what_it_cannot_do(tmp_path) -> None:
    name = "search.lego_z2_demo"
    other = _fake_tree(tmp_path / "old", {name: _row(name, 50.0)})
    ran = CliRunner().invoke(main, ["bench", "--only", name, "--baseline", str(other), "--rounds", "1", "--repeat", "1"])
    assert ran.exit_code == 0, ran.output
    assert f"{name} this " in ran.output and "baseline 50.0000 CPU-s  speed-up" in ran.output and "[1 round]" in ran.output
    as_json = CliRunner().invoke(main, ["bench", "--only", name, "--baseline", str(other), "--rounds", "1", "--repeat", "1", "--json"])
    row = json.loads(next(line for line in as_json.output.splitlines() if line.startswith("{")))
    assert row["baseline"][0]["median_s"] == 50.0 and row["speedup"] > 1
    for args, words in [
        (["--rounds", "2"], "--rounds counts the rounds of a side-by-side run: give --baseline DIR too"),
        (["--list", "--baseline", str(other)], "--list runs nothing, so --baseline would do nothing"),
        (["--baseline", str(tmp_path / "none")], "no such folder"),
    ]:
        refused = CliRunner().invoke(main, ["bench", "--only", name, *args])
        assert refused.exit_code == 2 and words in refused.output, (args, refused.output)
