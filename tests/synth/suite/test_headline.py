"""The headline table: seeds solved, accuracy, CPU, and the networks' figures with their status."""

from __future__ import annotations

import csv
import json

import pytest

from synth.suite.compat import parse_toml
from synth.suite.headline import NEURAL_MODELS, headline, programs, published_for, statuses_of
from synth.suite.render import as_latex, as_markdown, as_text, programs_table, write_csv, write_json
from synth.suite.spec import bundled_text
from synth.suite.store import Row

BUNDLED_TASKS = parse_toml(bundled_text("chomsky"))["generated"][0]["task"]


def row(task: str, seed: int, status: str, exact: float | None, cpu: float = 1.0, size: int = 100, profile: str = "core",
        peak: float | None = None, timeout: float = 60.0) -> Row:
    acc = None if exact is None else {"exact": exact, "mean_exact": exact, "buckets": []}
    settings = {"kind": "generated", "family": "sequence", "task": task, "train_size": size, "train_lengths": "1..40",
                "test_lengths": "41..500", "test_count": 1, "test_seed": 0, "seed": seed, "profile": profile, "timeout": timeout,
                "max_cost": 32, "bucket": 50}
    return Row({"task": task, "profile": profile, "kind": "generated", "train_size": size, "train_lengths": "1..40", "seed": seed,
                "status": status, "accuracy": acc, "cpu_seconds": cpu, "version": "0.1.0", "peak_mb": peak, "settings": settings})


def file_row(path: str, sha: str, status: str, exact: float | None, task: str = "parity_check", seed: int | None = None) -> Row:
    acc = None if exact is None else {"exact": exact, "mean_exact": exact, "buckets": []}
    settings = {"kind": "file", "task": task, "sha256": sha, "profile": "core", "timeout": 60.0, "max_cost": 32, "bucket": 50}
    return Row({"task": task, "profile": "core", "kind": "file", "train_size": None, "train_lengths": None, "seed": seed, "path": path,
                "status": status, "accuracy": acc, "cpu_seconds": 1.0, "version": "0.1.0", "peak_mb": None, "settings": settings})


@pytest.mark.parametrize("task", BUNDLED_TASKS)
def test_every_task_of_the_bundled_spec_has_the_five_published_figures(task: str) -> None:
    figures = published_for(task)
    assert set(figures) == set(NEURAL_MODELS)
    assert statuses_of(figures)


def test_mixed_statuses_name_the_exceptions() -> None:
    assert statuses_of(published_for("cycle_navigation")) == "Transformer in-paper-text, others unverified"
    assert statuses_of(published_for("parity_check")) == "third-party-copy"


def test_seeds_are_grouped_by_task_profile_and_training_set() -> None:
    rows = [
        row("parity_check", 0, "found", 1.0, cpu=0.1),
        row("parity_check", 1, "found", 0.5, cpu=0.3),  # a shortcut: found, not solved
        row("parity_check", 2, "timeout", 0.0, cpu=60.0),
        row("parity_check", 0, "found", 1.0, size=20),
    ]
    big, small = sorted(headline(rows), key=lambda line: line.training)
    assert (big.training, big.seeds, big.found, big.solved, big.other) == ("100 x 1..40", 3, 2, 1, "1 timeout")
    assert big.mean_exact == pytest.approx(50.0) and big.best_exact == 100.0 and big.median_cpu == 0.3
    assert big.neural["Transformer"].value == 52.0
    assert (small.training, small.seeds, small.solved) == ("20 x 1..40", 1, 1)


def test_peak_memory_is_the_largest_of_the_seeds_in_whole_megabytes() -> None:
    (line,) = headline([row("parity_check", 0, "found", 1.0, peak=120.4), row("parity_check", 1, "timeout", 0.0, peak=2048.6),
                        row("parity_check", 2, "found", 1.0)])
    assert line.peak_mb == 2048.6
    header, *rows = [r.split("|") for r in as_markdown([line]).splitlines()[:3:2]]
    assert rows[0][[h.strip() for h in header].index("peak MB")].strip() == "2049"


def test_a_task_without_published_figures_has_empty_columns() -> None:
    (line,) = headline([row("my_task", 0, "found", 1.0)])
    assert line.neural == {} and line.solved == 1 and line.mean_exact == 100.0


def test_cells_that_differ_in_more_than_the_seed_are_separate_lines_told_apart_by_what_differs() -> None:
    # audit #1: two timeouts of one seed were one line "0/2", its median CPU the mean of both budgets
    rows = [row("cycle_navigation", 0, "timeout", 0.0, cpu=0.53, timeout=0.5), row("cycle_navigation", 0, "timeout", 0.0, cpu=8.1, timeout=8.0),
            row("cycle_navigation", 1, "timeout", 0.0, cpu=8.2, timeout=8.0)]
    short, long = headline(rows)
    assert (short.seeds, short.median_cpu, short.training) == (1, 0.53, "100 x 1..40 (timeout 0.5)")
    assert (long.seeds, long.median_cpu, long.training) == (2, pytest.approx(8.15), "100 x 1..40 (timeout 8)")
    (alone,) = headline(rows[1:])  # nothing differs: the label is as before
    assert alone.training == "100 x 1..40"


def test_every_setting_but_the_seed_splits_lines() -> None:
    base = row("parity_check", 0, "found", 1.0)
    for name, value in [("test_lengths", "41..60"), ("max_cost", 10), ("max_memory_mb", 500), ("bucket", 10), ("test_count", 2)]:
        other = Row({**base.values, "seed": 1, "settings": {**base["settings"], "seed": 1, name: value}})
        lines = headline([base, other])
        assert len(lines) == 2 and all(line.seeds == 1 for line in lines), name
        assert any(name in line.training for line in lines), (name, [line.training for line in lines])


def test_file_cells_are_told_apart_by_content_and_path_not_grouped_by_the_file_name() -> None:
    # audit #2: a/parity.json and b/parity.json were two seeds of a task called "parity"
    lines = headline([file_row("a/parity.json", "1" * 64, "found", 1.0), file_row("b/parity.json", "2" * 64, "found", 0.8)])
    assert [line.seeds for line in lines] == [1, 1]
    assert [line.training for line in lines] == [f"file parity.json (path a/parity.json, sha256 {'1' * 12})",
                                                 f"file parity.json (path b/parity.json, sha256 {'2' * 12})"]
    edited = headline([file_row("a/parity.json", "1" * 64, "found", 1.0), file_row("a/parity.json", "2" * 64, "found", 1.0)])
    assert [line.training for line in edited] == [f"file parity.json (sha256 {'1' * 12})", f"file parity.json (sha256 {'2' * 12})"]


def test_an_error_seed_scores_0_counts_as_run_and_stays_out_of_the_cpu_median() -> None:
    # audit #3: mean 100.0 (the error left out) but median CPU 1.59 (the error's 0 s counted)
    (line,) = headline([row("cycle_navigation", 0, "error", None, cpu=0.0), row("cycle_navigation", 1, "found", 1.0, cpu=3.17)])
    assert (line.seeds, line.solved, line.found, line.other) == (2, 1, 1, "1 error")
    assert line.mean_exact == 50.0 and line.best_exact == 100.0 and line.median_cpu == 3.17
    (dead,) = headline([row("cycle_navigation", 0, "error", None, cpu=0.0)])
    assert dead.median_cpu is None and dead.mean_exact == 0.0
    assert "| - |" in as_markdown([dead]).splitlines()[2]
    assert "errors left out" in as_markdown([line]) and "counts as run and not solved" in as_markdown([line])


def test_a_task_without_tests_is_untested_not_solved_in_every_rendering(tmp_path) -> None:
    # audit #4: a file without "test" was "1/1" solved
    (line,) = headline([file_row("notest.json", "3" * 64, "found", None, task="notest")])
    assert not line.tested and line.found == 1 and line.solved == 0 and line.mean_exact is None
    for text in (as_text([line]), as_markdown([line]), as_latex([line])):
        assert "untested" in text and "1/1" in text  # found 1/1; solved: untested
    assert "| untested | 1/1 |" in as_markdown([line])
    write_csv([line], str(tmp_path / "t.csv"), inputs=[])
    (got,) = list(csv.DictReader((tmp_path / "t.csv").open()))
    assert got["solved"] == "" and got["tested"] == "False" and got["found"] == "1"
    write_json([line], str(tmp_path / "t.json"), inputs=[])
    (obj,) = json.loads((tmp_path / "t.json").read_text())["rows"]
    assert obj["solved"] is None and obj["tested"] is False and obj["exact % mean"] is None
    tested = file_row("t.json", "4" * 64, "error", None, task="t")  # an error row says nothing about tests: with a tested seed it is 0
    (both,) = headline([tested, Row({**file_row("t.json", "4" * 64, "found", 1.0, task="t").values, "seed": None, "hash": "x"})])
    assert both.tested and both.mean_exact == 50.0


def test_csv_floats_are_rounded(tmp_path) -> None:
    (line,) = headline([row("parity_check", 0, "found", 1 / 3, cpu=0.005736324000000001, peak=40.123456)])
    write_csv([line], str(tmp_path / "t.csv"), inputs=[])
    (got,) = list(csv.DictReader((tmp_path / "t.csv").open()))
    assert (got["median CPU s"], got["exact % mean"], got["peak MB"]) == ("0.0057", "33.3333", "40.1")


def test_the_programs_table_in_latex_is_a_tabular() -> None:
    rows = [Row({**row("parity_check", 0, "found", 1.0).values, "program": "input xs: List[Int]\nfold (s, x) -> s xor x from 0 over xs"})]
    text = programs_table(programs(rows), "latex")
    assert text.startswith(r"\begin{tabular}{lllll") and r"parity\_check & core & 100 x 1..40 & fold (s, x) -\textgreater{} s xor x" in text
    table, legend = text.rstrip().rsplit("\n", 1)
    assert table.endswith(r"\end{tabular}") and legend.startswith("% found by: levels = ")  # a comment: the file still compiles


def _found(task: str, seed: int, by: str | None) -> Row:
    stats = {} if by is None else {"found_by": by}
    return Row({**row(task, seed, "found", 1.0).values, "program": "input xs: List[Int]\nxs + xs", "stats": stats})


@pytest.mark.parametrize("fmt", [None, "markdown", "latex"])
def test_the_programs_table_says_how_each_program_was_found(fmt) -> None:
    """Each way with its seeds when they differ, "-" for rows stored before searches recorded it, a legend in every format."""
    rows = [_found("duplicate_string", 0, "chains+mended"), _found("duplicate_string", 1, "chains+mended"),
            _found("duplicate_string", 2, "levels"), _found("reverse_string", 0, None), _found("reverse_string", 1, None),
            _found("parity_check", 0, "levels")]
    listed = programs(rows)
    assert [(f.task, f.found_by) for f in listed] == [
        ("duplicate_string", "chains+mended 2, levels 1"), ("parity_check", "levels"), ("reverse_string", "-")]
    text = programs_table(listed, fmt)
    assert "found by" in text.splitlines()[0 if fmt != "latex" else 2] and "chains+mended" in text
    assert "+mended = mended where its fold failed (sturdy.py)" in text  # the search's own words (FOUND_BY)


def test_renderings_keep_the_status_column_and_notes() -> None:
    lines = headline([row("parity_check", 0, "found", 1.0), row("even_pairs", 0, "exhausted", 0.0)])
    for text in (as_text(lines), as_markdown(lines), as_latex(lines)):
        assert "third-party-copy" in text and "unverified" in text and "deletang2023" in text
    md = as_markdown(lines).splitlines()
    assert md[0].startswith("| task | profile |") and len(md[0].split("|")) == len(md[2].split("|"))
    assert "1/1" in md[3] or "1/1" in md[2]
    assert r"\begin{tabular}" in as_latex(lines) and "parity\\_check" in as_latex(lines)


def test_the_plot_legend_is_outside_the_bars_and_untested_lines_are_marked(tmp_path, monkeypatch) -> None:
    # audit #23: the legend covered a bar; audit #4: an untested task must not look scored
    pyplot = pytest.importorskip("matplotlib.pyplot")
    from synth.suite import render

    figures = []

    class Keep:
        def __getattr__(self, name):
            return getattr(pyplot, name)

        def subplots(self, *args, **kwargs):
            fig, ax = pyplot.subplots(*args, **kwargs)
            figures.append((fig, ax))
            return fig, ax

        def close(self, fig):
            pass

    monkeypatch.setattr(render.report_plot, "pyplot", lambda: Keep())
    lines = headline([row("parity_check", 0, "found", 1.0), row("even_pairs", 0, "found", 1.0),
                      file_row("notest.json", "5" * 64, "found", None, task="notest")])
    render.plot(lines, str(tmp_path / "t.png"), inputs=[])
    (fig, ax), = figures
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    legend, axes = ax.get_legend().get_window_extent(renderer), ax.get_window_extent(renderer)
    assert legend.x0 >= axes.x1  # beside the axes, so over no bar
    assert "untested" in [t.get_text() for t in ax.texts]
    pyplot.close(fig)


def test_the_programs_table_is_the_same_whatever_the_order_of_the_rows() -> None:
    """Suite audit: a tie (three programs, one seed each) went to the first row's, so `report A B` and `report B A` (or a
    sharded sweep against an unsharded one) listed different programs: now the most seeds, then the smallest, then the text."""
    rows = []
    for seed, text in enumerate(["input xs: List[Int]\nlen(xs) mod 2", "input xs: List[Int]\nxs[0]", "input xs: List[Int]\nfold (s, x) -> s xor x from 0 over xs"]):
        r = row("parity_check", seed, "found", 1.0)
        rows.append(Row({**r.values, "program": text, "cost": 1, "stats": {"found_by": "levels"}}))
    first, backwards = programs(rows), programs(list(reversed(rows)))
    assert first == backwards and first[0].program == "xs[0]" and first[0].seeds == "1/3"


def test_a_task_file_whose_only_row_is_an_error_is_run_and_not_solved_not_untested() -> None:
    """Suite audit: an error row has no accuracy, which read as "the file has no test examples": `untested`."""
    failed = file_row("t.json", "abc", "error", None)
    failed = Row({**failed.values, "error": "the worker process was killed by SIGKILL"})
    (line,) = headline([failed])
    assert line.tested and line.solved == 0 and line.mean_exact == 0.0
    untested = file_row("u.json", "def", "found", None)  # ran to a result without accuracy: no test examples
    (line,) = headline([untested])
    assert not line.tested and line.mean_exact is None


def _lengths(r: Row, lengths: str) -> Row:
    return Row({**r.values, "train_lengths": lengths, "settings": {**r["settings"], "train_lengths": lengths}})


def test_lines_are_in_numeric_order_of_training_size_lengths_and_settings() -> None:
    """Suite audit: lines were sorted by their label as text, so a sweep of train_size = [5, 20, 100] printed
    100, then 20, then 5, with 1..10 before 1..6 and (timeout 10) before (timeout 8): out of order in a paper's table."""
    rows = [_lengths(row("parity_check", 0, "found", 1.0, size=size), lengths)
            for size in (100, 5, 20) for lengths in ("1..10", "1..6")]
    assert [line.training for line in headline(rows)] == [
        "5 x 1..6", "5 x 1..10", "20 x 1..6", "20 x 1..10", "100 x 1..6", "100 x 1..10"]
    assert [f.training for f in programs([Row({**r.values, "program": "input xs: List[Int]\nxs[0]", "stats": {}}) for r in rows])] == [
        "5 x 1..6", "5 x 1..10", "20 x 1..6", "20 x 1..10", "100 x 1..6", "100 x 1..10"]
    timeouts = [row("parity_check", 0, "found", 1.0, timeout=t) for t in (10.0, 0.5, 8.0)]
    assert [line.training for line in headline(timeouts)] == [
        "100 x 1..40 (timeout 0.5)", "100 x 1..40 (timeout 8)", "100 x 1..40 (timeout 10)"]
