"""`synth solve --all K` when the search finds fewer than K programs: the output says so, and why."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from synth.cli import main
from synth.commands import solve as solve_cmd
from synth.search import bank
from tasks.task import load_task

PARITY = str(Path(__file__).resolve().parents[3] / "examples" / "parity_check.json")


def test_text_says_how_many_of_k_and_why():
    """parity_check has one consistent program up to cost 7 (the fold), three up to cost 8."""
    r = CliRunner().invoke(main, ["solve", PARITY, "--all", "3", "--max-cost", "7"])
    assert r.exit_code == 0, r.output
    assert "found 1 of the 3 programs asked for (stopped: every program up to cost 7 was tried)\n" in r.output
    r = CliRunner().invoke(main, ["solve", PARITY, "--all", "3", "--max-cost", "8"])
    assert r.exit_code == 0 and "program #3" in r.output and "programs asked for" not in r.output


def test_a_search_above_its_exhaustive_cost_is_not_said_to_have_tried_everything():
    """Audit: `--exhaustive-cost 1` said every program up to cost 32 was tried, where the cost-6 parity fold exists."""
    r = CliRunner().invoke(main, ["solve", PARITY, "--exhaustive-cost", "1", "--max-cost", "10"])
    assert r.exit_code == 1
    assert ("no consistent program found: every program up to cost 1 was tried (--exhaustive-cost), and above it "
            "root folds built from parts at most that dear, up to cost 10") in r.stderr, r.stderr


def test_json_has_the_count_and_the_reason():
    r = CliRunner().invoke(main, ["solve", PARITY, "--all", "3", "--max-cost", "7", "--json"])
    assert r.exit_code == 0, r.output
    obj = json.loads(r.stdout)
    assert (obj["asked"], obj["found_count"], len(obj["programs"])) == (3, 1, 1)
    assert obj["stopped_by"] == "max-cost" and obj["stopped_reason"] == "every program up to cost 7 was tried"
    assert obj["stats"]["ended_by"] == "max-cost"
    r = CliRunner().invoke(main, ["solve", PARITY, "--all", "2", "--json"])
    obj = json.loads(r.stdout)
    assert (obj["asked"], obj["found_count"], obj["stopped_by"], obj["stopped_reason"]) == (2, 2, None, None)
    assert obj["stats"]["ended_by"] == "enough"


def test_none_of_k_still_fails_with_exit_1():
    r = CliRunner().invoke(main, ["solve", PARITY, "--all", "3", "--max-cost", "3"])
    assert r.exit_code == 1
    assert "no program found\nfound 0 of the 3 programs asked for (stopped: every program up to cost 3 was tried)\n" in r.output
    assert "no consistent program found: every program up to cost 3 was tried" in r.stderr


@pytest.mark.parametrize("limit, words", [("timeout", "the 7 s timeout ran out"), ("memory", "the bank of values reached --max-values")])
def test_a_limit_that_cuts_the_search_short_is_named(monkeypatch, limit, words):
    """A timeout or the value cap, after one program was found (the search is cut short by hand: timing is not repeatable)."""
    real = solve_cmd.synthesize

    def cut_short(task, **kw):
        result = real(task, **{**kw, "all_k": 1})
        return replace(result, stats=replace(result.stats, stopped=limit, ended_by=limit))

    monkeypatch.setattr(solve_cmd, "synthesize", cut_short)
    r = CliRunner().invoke(main, ["solve", PARITY, "--all", "3", "--timeout", "7"])
    assert r.exit_code == 0 and f"found 1 of the 3 programs asked for (stopped: {words})\n" in r.output
    obj = json.loads(CliRunner().invoke(main, ["solve", PARITY, "--all", "3", "--timeout", "7", "--json"]).stdout)
    assert (obj["found_count"], obj["stopped_by"], obj["stopped_reason"]) == (1, limit, words)


REVERSE = str(Path(__file__).resolve().parents[3] / "examples" / "reverse_string.json")


def test_max_memory_stops_the_search_and_says_so(monkeypatch):
    """--max-memory reaches the search's checks; the process is made to look past the cap (real memory is not repeatable)."""
    monkeypatch.setattr(bank, "resident_mb", lambda: 3000.0)
    r = CliRunner().invoke(main, ["solve", REVERSE, "--all", "2", "--max-memory", "2000"])
    assert r.exit_code == 1, r.output
    assert "(out of memory)" in r.output
    assert "the search stopped before it found a consistent program: the process reached --max-memory (2000 MB)" in r.output
    monkeypatch.setattr(bank, "resident_mb", lambda: 1000.0)
    r = CliRunner().invoke(main, ["solve", REVERSE, "--max-memory", "2000"])
    assert r.exit_code == 0 and "for x in range(len(xs))]" in r.output


def test_the_stats_line_names_what_ended_a_short_search():
    """Before: "found 1 of the 5 ... (stopped: every program up to cost 7 was tried)" over a stats line ending "(found)"."""
    r = CliRunner().invoke(main, ["solve", PARITY, "--all", "5", "--max-cost", "7"])
    stats = next(line for line in r.output.splitlines() if line.startswith("search ("))
    assert stats.endswith("(max-cost)"), stats
    r = CliRunner().invoke(main, ["solve", PARITY])
    stats = next(line for line in r.output.splitlines() if line.startswith("search ("))
    assert stats.endswith("(found)"), stats


@pytest.mark.parametrize("all_k", [[], ["--all", "1"]])
def test_a_single_printed_shortcut_is_marked(all_k):
    """Before: the cost-8 shortcut that a heavy xor leaves was marked only among several programs (--all 3)."""
    args = ["solve", PARITY, "--weights", '{"xor": 5}', *all_k]
    r = CliRunner().invoke(main, args)
    assert r.exit_code == 0, r.output
    assert "program (cost 8):  <- SHORTCUT: fits the training examples, fails longer ones and some of length 0..2\n" in r.output
    obj = json.loads(CliRunner().invoke(main, [*args, "--json"]).stdout)
    assert obj["shortcut"] is True and obj["programs"][0]["shortcut"] is True
    r = CliRunner().invoke(main, ["solve", PARITY])
    assert "SHORTCUT" not in r.output and json.loads(CliRunner().invoke(main, ["solve", PARITY, "--json"]).stdout)["shortcut"] is False


EVEN_PAIRS = str(Path(__file__).resolve().parents[3] / "examples" / "even_pairs.json")
RUNNING_MAX = str(Path(__file__).resolve().parents[3] / "examples" / "open" / "running_max.json")


def test_programs_with_the_same_outputs_are_marked_in_text_and_json():
    """running_max: scans from 0, 1, 2 and -1. Only the one from -1 is #1's twin: on items 0..9 a start below 0 is never read.

    Before: the scan from 1 was "same outputs as #1" though it answers [1] on [0] (the tried inputs had no list of 0s).
    """
    args = ["solve", RUNNING_MAX, "--all", "4"]
    r = CliRunner().invoke(main, args)
    assert r.exit_code == 0, r.output
    heads = [line for line in r.output.splitlines() if line.startswith("program #")]
    task = load_task(RUNNING_MAX)
    tried = len(task.train) + len(task.test) + 1 + 10 + 10 * 10  # then every list of length 0..2 over the items 0..9
    assert [h.endswith(f"(same outputs as #1 on all {tried} inputs tried)") for h in heads] == [False, False, False, True]
    # An open task has no generator: its test examples are all the evidence, and the mark says no more.
    assert all("(right on the test examples)" in h and "generalizes" not in h for h in heads), heads
    obj = json.loads(CliRunner().invoke(main, [*args, "--json"]).stdout)
    assert [p["program"].splitlines()[-1].split(" from ")[1] for p in obj["programs"]] == ["0 over xs", "1 over xs", "2 over xs", "-(1) over xs"]
    assert [p["same_as"] for p in obj["programs"]] == [None, None, None, {"program": 1, "inputs": tried}]


def test_a_sequence_program_wrong_on_the_shortest_inputs_is_marked_not_generalizing():
    """even_pairs: folds from 1 and 2 give 1 and 2 on [], where the task's answer is 0 (the audit's repro)."""
    r = CliRunner().invoke(main, ["solve", EVEN_PAIRS, "--all", "3", "--count", "5"])
    assert r.exit_code == 0, r.output
    heads = [line for line in r.output.splitlines() if line.startswith("program #")]
    assert heads[0].endswith("(generalizes)")
    assert all(h.endswith("<- WRONG ON SHORT INPUTS: fits the training examples, fails some of length 0..2") for h in heads[1:]), heads
    assert "short     0..2" in r.output
    obj = json.loads(CliRunner().invoke(main, ["solve", EVEN_PAIRS, "--all", "3", "--count", "5", "--json"]).stdout)
    assert [(p["shortcut"], p["fails_short"], p["same_as"]) for p in obj["programs"]] == [(False, False, None), (False, True, None), (False, True, None)]


def test_programs_that_differ_are_not_marked():
    """parity_check: the cost-8 shortcut differs from the fold on longer inputs, so neither is marked."""
    obj = json.loads(CliRunner().invoke(main, ["solve", PARITY, "--all", "2", "--json"]).stdout)
    assert [p["shortcut"] for p in obj["programs"]] == [False, True]
    assert [p["same_as"] for p in obj["programs"]] == [None, None]
    r = CliRunner().invoke(main, ["solve", PARITY, "--all", "2"])
    assert "same outputs" not in r.output


@pytest.mark.parametrize("ended_by", ["frozen", "capped"])
def test_a_search_ended_past_a_cap_is_said_in_words(ended_by) -> None:
    """The search says ended_by "frozen" or "capped" where a cap left cheaper programs untried (audit e); the
    command printed the bare word ("stopped: frozen"), and never that a cheaper program may exist."""
    said = solve_cmd.Limits(all_k=2, max_cost=32, timeout=60).reason(ended_by)
    assert said != ended_by and "up to cost 32" in said and "a cheaper program" in said and "may exist" in said
    assert "every program up to cost" not in said
