"""The headline table: seeds solved, accuracy, CPU, and the networks' figures with their status."""

from __future__ import annotations

import pytest

from synth.suite.compat import parse_toml
from synth.suite.headline import NEURAL_MODELS, headline, published_for, statuses_of
from synth.suite.render import as_latex, as_markdown, as_text
from synth.suite.spec import bundled_text
from synth.suite.store import Row

BUNDLED_TASKS = parse_toml(bundled_text("chomsky"))["generated"][0]["task"]


def row(task: str, seed: int, status: str, exact: float | None, cpu: float = 1.0, size: int = 100, profile: str = "core",
        peak: float | None = None) -> Row:
    acc = None if exact is None else {"exact": exact, "mean_exact": exact, "buckets": []}
    return Row({"task": task, "profile": profile, "kind": "generated", "train_size": size, "train_lengths": "1..40", "seed": seed,
                "status": status, "accuracy": acc, "cpu_seconds": cpu, "version": "0.1.0", "peak_mb": peak})


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
    (line,) = headline([row("my_task", 0, "found", None)])
    assert line.neural == {} and line.solved == 1 and line.mean_exact is None


def test_renderings_keep_the_status_column_and_notes() -> None:
    lines = headline([row("parity_check", 0, "found", 1.0), row("even_pairs", 0, "exhausted", 0.0)])
    for text in (as_text(lines), as_markdown(lines), as_latex(lines)):
        assert "third-party-copy" in text and "unverified" in text and "deletang2023" in text
    md = as_markdown(lines).splitlines()
    assert md[0].startswith("| task | profile |") and len(md[0].split("|")) == len(md[2].split("|"))
    assert "1/1" in md[3] or "1/1" in md[2]
    assert r"\begin{tabular}" in as_latex(lines) and "parity\\_check" in as_latex(lines)
