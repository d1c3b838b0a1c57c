"""The shipped published results: every figure with a source and a status, unverified ones kept unverified."""

from __future__ import annotations

import json

import pytest

from synth.report.reference import STATUSES, UNCHECKED, format_listing, load


def test_every_entry_has_a_known_source_and_status():
    refs = load()
    assert set(refs.statuses) == set(STATUSES)
    for r in refs.results:
        assert r.source in refs.sources and r.status in STATUSES
        assert r.value is not None or r.by_length or r.note


def test_kazemnejad_by_length_as_published():
    refs = load()
    nope = next(r for r in refs.lego_by_length() if r.model == "decoder, NoPE, ordered")
    assert nope.by_length == {9: 0.92, 10: 0.86, 11: 0.74, 12: 0.68, 13: 0.60, 14: 0.56, 15: 0.52, 16: 0.54}
    assert nope.status == "from-results-file"
    overall = {r.model: (r.value, r.std, r.seeds) for r in refs.lego_notes() if r.value is not None}
    assert overall["decoder, NoPE, shuffled"] == (0.571, 0.012, 6)
    assert overall["decoder, T5 relative bias, shuffled"] == (0.572, 0.006, 6)


def test_deletang_statuses_follow_the_reference():
    refs = load()
    cell = {(r.task, r.model): r for r in refs.results if r.source == "deletang2023"}
    assert len(cell) == 15 * 5
    assert cell[("Cycle Navigation", "Transformer")].status == "in-paper-text"
    assert cell[("Cycle Navigation", "RNN")].status == "unverified"
    assert cell[("Parity Check", "Transformer")].status == "third-party-copy"
    assert cell[("Even Pairs", "Transformer")].value == 96.4
    assert cell[("Even Pairs", "Transformer")].status == "unverified"


def test_unverified_figures_are_marked_in_text():
    refs = load()
    even = next(r for r in refs.results if r.id == "deletang2023-even-pairs-transformer")
    assert even.unchecked and even.format_value() == "96.4 (unverified)"
    listing = format_listing(refs, "Even Pairs")
    assert listing.count("status unverified") == 5
    assert "unverified: not yet checked against the paper" in listing
    assert "qualitative" in format_listing(refs, "lego")
    assert UNCHECKED == {"third-party-copy", "unverified"}


@pytest.mark.parametrize(
    "name,published",
    [("parity_check", "Parity Check"), ("Parity Check", "Parity Check"), ("modular_arithmetic", "Modular Arithmetic (simple)"),
     ("modular_arithmetic_brackets", "Modular Arithmetic (brackets)"), ("missing_duplicate_string", "Missing Duplicate"), ("LEGO", "lego")],
)
def test_published_takes_the_task_names_gen_and_suite_use(name, published):
    from click.testing import CliRunner

    from synth.cli import main

    r = CliRunner().invoke(main, ["published", "--task", name, "--json"])
    assert r.exit_code == 0, r.output  # before: no published results for task 'parity_check'
    tasks = {x["task"] for x in json.loads(r.output)["results"]}
    assert tasks == {published}


def test_every_kazemnejad_row_states_its_seed_count():
    """Before: the scratchpad rows printed `0.37 ± 0.262` with no count; the count is the results file's num_seed_runs."""
    refs = load()
    rows = [line for line in format_listing(refs, "lego").splitlines() if "source kazemnejad2023" in line]
    assert len(rows) == 12
    assert all(" seeds) | source" in line for line in rows), rows
    scratch = {r.model: r.seeds for r in refs.results if "scratchpad" in r.model}
    assert scratch == {"decoder, scratchpad, NoPE, ordered": 3, "decoder, scratchpad, NoPE, shuffled": 9}
    assert "0.37 ± 0.262 (9 seeds) | source kazemnejad2023" in format_listing(refs, "lego")


def test_a_mean_without_a_count_says_seeds_not_stated():
    from dataclasses import replace

    refs = load()
    mean = next(r for r in refs.results if r.id == "kazemnejad2023-scratchpad-shuffled-overall")
    assert replace(mean, seeds=None).seed_count() == "seeds: not stated"
    by_length = next(r for r in refs.lego_by_length())
    assert replace(by_length, seeds=None).seed_count() == "seeds: not stated"
    best = next(r for r in refs.results if r.id == "deletang2023-even-pairs-transformer")
    assert best.seeds is None and best.seed_count() == "", "a single published figure claims no seeds"
    assert "seeds" not in format_listing(refs, "Even Pairs").split("\n\n")[0]
