"""The synthesizer finds the programs the project promises, and behaves at its limits."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from dsl.ast import Rule
from dsl.errors import UserError
from dsl.printer import show
from synth.cli import main
from synth.report.generalize import generalization, score
from synth.search import bank, solver
from synth.search.solver import synthesize
from tasks.task import Example, Task, agrees, fresh_examples, load_task

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


def _solve(name: str, **kw):
    task = load_task(EXAMPLES / f"{name}.json")
    result = synthesize(task, timeout=120, **kw)
    assert result.program is not None, result.stats
    return task, result


def _exact_at(task: Task, result, lengths, count: int = 3) -> None:
    for n in lengths:
        sc = score(result.program, fresh_examples(task, n, count, seed=n), "fresh", n)
        assert sc.accuracy == 1.0, (n, show(result.program))


def test_lego_z2_from_three_sentences_in_the_papers_token_syntax() -> None:
    task, result = _solve("lego_z2_official")
    assert len(task.train) <= 3
    assert max(len(ex.inputs["clauses"]) for ex in task.train) == 6
    assert isinstance(result.program.body, Rule)
    _exact_at(task, result, [26, 1_000, 10_000], count=2)


def test_lego_in_the_papers_setting_first_6_of_12_labelled() -> None:
    task, result = _solve("lego_z2_paper")
    labelled = {len(ex.output) for ex in task.train}
    assert labelled == {6} and all(len(ex.inputs["clauses"]) == 12 for ex in task.train)
    _exact_at(task, result, [26, 1_000, 10_000], count=2)


@pytest.mark.parametrize(
    "name",
    ["lego_signs", "lego_z5", "lego_s3_chain", "lego_s3_tree", "lego_d4_chain", "lego_d4_tree"],
)
def test_lego_over_every_group_and_structure(name: str) -> None:
    task, result = _solve(name)
    scores = generalization(result.program, task, count=5)
    assert all(s.accuracy == 1.0 for s in scores), [s.to_dict() for s in scores]


def test_non_commutative_groups_compose_in_the_right_order() -> None:
    # In D4, r1 * s0 != s0 * r1: a program with the operands swapped fits no chain of D4.
    task, result = _solve("lego_d4_chain")
    text = show(result.program)
    assert "c.op * " in text, text
    _exact_at(task, result, [100], count=5)


@pytest.mark.parametrize("name", ["parity_check", "cycle_navigation", "even_pairs", "reverse_string"])
def test_sequence_tasks_from_five_short_examples_are_exact_at_length_500(name: str) -> None:
    task, result = _solve(name)
    assert len(task.train) <= 5 and all(len(ex.inputs["xs"]) <= 8 for ex in task.train)
    _exact_at(task, result, [500], count=20)


def test_search_is_deterministic() -> None:
    task = load_task(EXAMPLES / "lego_z5.json")
    a, b = synthesize(task), synthesize(task)
    assert a.program == b.program and a.cost == b.cost
    sa, sb = a.stats.to_dict(), b.stats.to_dict()
    sa.pop("seconds"), sb.pop("seconds")
    assert sa == sb


@pytest.mark.parametrize("args", [
    ["examples/lego_z5.json"],  # symbols, records and a rule: string hashing is everywhere in them
    ["examples/open/ones_mod_3.json", "--profile", "list"],
], ids=["lego", "list-profile"])
def test_search_is_the_same_in_every_process_whatever_the_hash_seed(args) -> None:
    """Python salts str hashes per process: set or dict order by hash must never decide a program or a count."""
    import json
    import os
    import subprocess
    import sys

    root = EXAMPLES.parent
    outs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(root)}
        run = subprocess.run([sys.executable, "-m", "synth", "solve", *args, "--json"], cwd=root, env=env,
                             capture_output=True, text=True, timeout=300)
        assert run.returncode == 0, run.stderr
        out = json.loads(run.stdout)
        out["stats"].pop("seconds")
        outs.append(out)
    assert outs[0] == outs[1]


def test_found_by_names_the_phase_and_each_step_after_it() -> None:
    from synth.search.solver import FOUND_BY, describe_found_by

    assert _solve("parity_check")[1].stats.found_by == "levels"  # the cost order itself
    assert describe_found_by("chains+if+mended") == (
        "the chains' phase (goals.Chain), completed by a root if (repair.py), mended where its fold failed (sturdy.py)")
    for key in FOUND_BY:  # every phase, and every step after one
        assert describe_found_by("chains" + key if key.startswith("+") else key)
    with pytest.raises(KeyError):
        describe_found_by("guessed")


def test_result_is_callable_like_a_function() -> None:
    task, result = _solve("parity_check")
    assert result({"xs": (1, 1, 1)}) == 1
    assert result({"xs": (1, 0, 1, 0)}) == 0


def _tiny_task(outputs) -> Task:
    train = tuple(Example({"xs": tuple(xs)}, out) for xs, out in outputs)
    from dsl.types import INT, ListT
    from tasks.sequence import get_sequence_task
    from tasks.sequence.io import sequence_spec

    return Task("tiny", "sequence", (("xs", ListT(INT)),), INT, train, (), sequence_spec(get_sequence_task("parity_check")))


def test_contradictory_examples_are_named() -> None:
    task = _tiny_task([([1, 0], 1), ([1, 0], 0)])
    with pytest.raises(UserError) as err:
        synthesize(task)
    assert "contradict" in str(err.value)


def test_nothing_found_up_to_the_cost_bound_is_reported() -> None:
    task = _tiny_task([([1, 0], 7), ([0, 0], 3), ([1, 1, 1], 11)])
    result = synthesize(task, max_cost=3)
    assert result.program is None and result.stats.stopped == "exhausted"
    assert result.stats.max_cost_searched == 3 and result.stats.enumerated > 0


def test_memory_cap_stops_the_search() -> None:
    task = load_task(EXAMPLES / "lego_d4_chain.json")
    result = synthesize(task, max_values=5_000)
    assert result.program is None and result.stats.stopped == "memory"


def test_timeout_stops_the_search() -> None:
    task = load_task(EXAMPLES / "reverse_string.json")
    result = synthesize(task, timeout=0.5)
    assert result.stats.stopped == "timeout"
    assert result.stats.seconds < 5  # the precise overshoot is measured by `synth bench`


def test_interrupt_returns_what_was_searched() -> None:
    def interrupt(cost, budget):
        if cost == 5:
            raise KeyboardInterrupt

    task = load_task(EXAMPLES / "lego_z2_official.json")
    result = synthesize(task, on_level=interrupt)
    assert result.stats.stopped == "interrupted" and result.stats.max_cost_searched == 5


def test_all_k_lists_cheapest_programs_and_flags_shortcuts() -> None:
    from synth.report.generalize import is_shortcut

    task = _tiny_task([([1, 0, 1], 0), ([1, 1], 0), ([0, 1, 1, 1], 1)])  # parity, but few examples
    result = synthesize(task, all_k=6)
    assert len(result.found) == 6
    costs = [f.cost for f in result.found]
    assert costs == sorted(costs)
    flags = [is_shortcut(generalization(f.program, _parity_like(task), count=20)) for f in result.found]
    assert any(flags)


def _parity_like(task: Task) -> Task:
    return Task(task.name, task.family, task.input_types, task.output_type, task.train, (), task.spec)


def test_cli_solve_prints_program_stats_and_generalization(tmp_path: Path) -> None:
    out = tmp_path / "found.dsl"
    r = CliRunner().invoke(main, ["solve", str(EXAMPLES / "lego_z2_official.json"), "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert "forall c in clauses" in r.output and "candidates enumerated" in r.output
    assert "100.0%" in r.output
    run = CliRunner().invoke(main, ["run", str(out), "--input-file", str(EXAMPLES / "lego.input.json")])
    assert run.exit_code == 0, run.output


def test_cli_solve_json_has_the_promised_fields() -> None:
    import json

    r = CliRunner().invoke(main, ["solve", str(EXAMPLES / "parity_check.json"), "--json", "--all", "2"])
    assert r.exit_code == 0, r.output
    obj = json.loads(r.output)
    assert {"program", "cost", "stats", "generalization", "programs"} <= set(obj)
    assert len(obj["programs"]) == 2 and "shortcut" in obj["programs"][0]


def test_cli_solve_without_a_program_exits_1(tmp_path: Path) -> None:
    import json

    task = tmp_path / "t.json"
    task.write_text(json.dumps({"family": "sequence", "name": "parity_check", "train": [
        {"input": {"xs": [1, 0]}, "output": 1}, {"input": {"xs": [1, 1]}, "output": 0}]}))
    r = CliRunner().invoke(main, ["solve", str(task), "--max-cost", "2"])
    assert r.exit_code == 1 and "no consistent program" in r.output


def test_cli_solve_bad_task_file_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{ not json")
    r = CliRunner().invoke(main, ["solve", str(bad)])
    assert r.exit_code == 2 and "Traceback" not in r.output


def test_cli_interrupt_exits_130(monkeypatch) -> None:
    import synth.commands.solve as solve_cmd

    real = solve_cmd.synthesize

    def interrupted(task, **kw):
        def stop(cost, budget):
            raise KeyboardInterrupt

        kw["on_level"] = stop
        return real(task, **kw)

    monkeypatch.setattr(solve_cmd, "synthesize", interrupted)
    r = CliRunner().invoke(main, ["solve", str(EXAMPLES / "lego_z2_official.json")])
    assert r.exit_code == 130 and "interrupted" in r.output


def test_demo_runs_on_the_bundled_task() -> None:
    r = CliRunner().invoke(main, ["demo"])
    assert r.exit_code == 0, r.output
    assert "10000" in r.output and "forall" in r.output


@pytest.mark.parametrize("outputs", [
    [([1, 1, 1, 1], 0), ([1, 1, 0, 1, 0], 1), ([0, 1, 1, 0, 1, 0], 1), ([1, 0, 0, 1, 0, 0, 1, 1], 0)],  # parity
    [([3, 1, 2], 2), ([0, 4], 4), ([2, 2, 5, 1], 1)],  # last element
    [([1, 2], 3), ([4, 0, 1], 5), ([2], 2)],  # sum
])
def test_pruning_loses_no_cheapest_program(outputs) -> None:
    """Observational equivalence only drops equivalents: the cheapest cost is the same without it."""
    task = _tiny_task(outputs)
    pruned = synthesize(task, max_cost=9)
    full = synthesize(task, max_cost=9, prune=False)
    assert pruned.program is not None and full.program is not None
    assert pruned.cost == full.cost
    assert full.stats.enumerated > pruned.stats.enumerated


def test_counterexamples_from_the_rest_of_the_training_set_join_the_search() -> None:
    # The first two examples are fitted by "the first element"; the sum rule fits all.
    task = _tiny_task([([1, 0], 1), ([2, 0, 0], 2), ([1, 2], 3), ([0, 4, 1], 5), ([3], 3)])
    result = synthesize(task, max_examples=2)
    assert result.program is not None
    assert result.stats.rounds >= 2 and result.stats.examples_searched >= 3
    assert all(result(ex.inputs) == ex.output for ex in task.train)
    one_shot = synthesize(task, max_examples=None)
    assert one_shot.stats.rounds == 1 and one_shot.stats.examples_searched == 5
    assert result.cost == one_shot.cost


def test_a_round_that_stops_after_the_banks_froze_still_gives_a_result(monkeypatch) -> None:
    # A frozen round's banks are dropped before the next round; a stop (timeout, memory) right then ends the search.
    from synth.search import solver

    searched = solver._search

    def stops_frozen(subset, state, *args):
        found, checks, local, cost, _, _ = searched(subset, state, *args)
        state.top.budget.frozen = True
        return found, checks, local, cost, "timeout", "timeout"

    monkeypatch.setattr(solver, "_search", stops_frozen)
    task = _tiny_task([([1, 0], 1), ([2, 0, 0], 2), ([1, 2], 3), ([0, 4, 1], 5), ([3], 3)])
    result = synthesize(task, max_examples=2)
    assert result.program is None and result.stats.stopped == "timeout" and result.stats.rounds == 1
    assert result.stats.ended_by == "timeout" and result.grammar is not None


def test_a_large_training_file_is_searched_on_a_few_records_and_checked_on_all(tmp_path: Path) -> None:
    from tasks.lego.generate import generate
    from tasks.task import task_from_records

    task = task_from_records(generate(12, 500, seed=9, supervised=6), name="many")
    result = synthesize(task)
    assert result.program is not None and result.stats.examples_searched < 20
    assert all(agrees(ex.output, result(ex.inputs)) for ex in task.train)


def test_weights_change_the_cost_and_bad_weights_exit_2() -> None:
    import json

    path = str(EXAMPLES / "parity_check.json")
    plain = json.loads(CliRunner().invoke(main, ["solve", path, "--json"]).output)
    dear = CliRunner().invoke(main, ["solve", path, "--json", "--weights", '{"xor": 3}'])
    assert dear.exit_code == 0, dear.output
    dear_obj = json.loads(dear.output)
    assert dear_obj["cost"] > plain["cost"] or dear_obj["program"] != plain["program"]
    bad = CliRunner().invoke(main, ["solve", path, "--weights", '{"nope": 2}'])
    assert bad.exit_code == 2 and "unknown weight key" in bad.output


# -- the chains' phase holds a program that fails on a suffix of an input ----------

_STACK = "fold (s, x) -> if x == 2 then {pop} else cons(x, s) from range(0) over xs"
_FRAGILE, _STURDY = _STACK.format(pop="tail(s)"), _STACK.format(pop="drop(s, 1)")


def _stack_task() -> Task:
    """Final stacks (top first) of command lists that never pop an empty stack: tail(s) and drop(s, 1) both fit."""
    from dsl.types import INT, ListT
    from tasks.core import Task as CoreTask
    from tasks.open.spec import OpenSpec

    xss = [(1, 0, 2), (0, 1, 1, 2, 2), (1, 3, 2, 0), (0, 0, 0, 2, 1), (3, 1, 2)]

    def final(xs: tuple) -> tuple:
        stack: tuple = ()
        for x in xs:
            stack = stack[1:] if x == 2 else (x,) + stack
        return stack

    return CoreTask("stack", "open", (("xs", ListT(INT)),), ListT(INT),
                    tuple(Example({"xs": xs}, final(xs)) for xs in xss), (), OpenSpec())


@pytest.mark.parametrize("offered, slack, expected, by", [
    ([(_FRAGILE, 17), (_STURDY, 18)], 1, _STURDY, "chains"),  # the sturdier one, one dearer, wins
    ([(_FRAGILE, 17), (_STURDY, 18)], 0, _FRAGILE, "chains"),  # the tie-break off: the cheapest
    ([(_FRAGILE, 17), (_STURDY, 19)], 1, _FRAGILE, "chains+held"),  # too dear: the held one stands
    ([(_FRAGILE, 17)], 1, _FRAGILE, "chains+held"),  # nothing else comes
], ids=["sturdier", "off", "too-dear", "alone"])
def test_a_chains_program_failing_on_a_suffix_is_held_for_a_sturdier_one(monkeypatch, offered, slack, expected, by) -> None:
    """When its fold cannot be mended (sturdy.py), the chains' phase goes on for a sturdier program."""
    from dsl.parse import parse_expr
    from synth.search import solver

    monkeypatch.setattr(solver, "_chained", lambda *args: ((parse_expr(text), c) for text, c in offered))
    monkeypatch.setattr(solver, "_mended", lambda *args: None)
    result = synthesize(_stack_task(), profile="list", chain_cost=1, sturdy_slack=slack, timeout=60)
    assert result.stats.stopped == "found" and show(result.program.body) == show(parse_expr(expected)), result.text
    assert result.stats.found_by == result.found[0].by == by


def test_a_held_program_is_the_answer_when_the_search_stops(monkeypatch) -> None:
    from dsl.parse import parse_expr
    from synth.search import solver
    from synth.search.bank import SearchStopped

    def offered(*args):
        yield parse_expr(_FRAGILE), 17
        raise SearchStopped("timeout")

    monkeypatch.setattr(solver, "_chained", offered)
    monkeypatch.setattr(solver, "_mended", lambda *args: None)
    result = synthesize(_stack_task(), profile="list", chain_cost=1, timeout=60)
    assert result.stats.stopped == "found" and show(result.program.body) == show(parse_expr(_FRAGILE))


@pytest.mark.parametrize("slack, expected", [(1, _STURDY), (0, _FRAGILE)], ids=["mended", "off"])
def test_a_fragile_chains_program_is_mended_where_its_fold_fails(monkeypatch, slack, expected) -> None:
    """tail(s) fails on the empty stack: drop(s, 1), one node dearer, is the answer with nothing else offered."""
    from dsl.parse import parse_expr
    from synth.search import solver

    def offered(*args):
        yield parse_expr(_FRAGILE), 17
        raise AssertionError("the phase went on after the mend")

    monkeypatch.setattr(solver, "_chained", offered if slack else lambda *args: iter([(parse_expr(_FRAGILE), 17)]))
    result = synthesize(_stack_task(), profile="list", chain_cost=1, sturdy_slack=slack, timeout=60)
    assert result.stats.stopped == "found" and show(result.program.body) == show(parse_expr(expected)), result.text
    assert result.stats.found_by == ("chains+mended" if slack else "chains")


@pytest.mark.parametrize("slack", [1, 0], ids=["mended", "off"])
def test_a_chains_program_failing_on_a_training_example_is_mended_where_its_fold_fails(monkeypatch, slack) -> None:
    """One training example pops the empty stack: tail(s) fails there (an error, not a wrong answer), so it is mended
    into drop(s, 1) at once; before, the phase searched on through the rest of its cost for a dearer fold."""
    from dataclasses import replace

    from dsl.parse import parse_expr
    from synth.search import solver

    base = _stack_task()
    task = replace(base, train=base.train + (Example({"xs": (2, 1, 0)}, (0, 1)),))

    def offered(*args):
        yield parse_expr(_FRAGILE), 17
        if slack:
            raise AssertionError("the phase went on after the mend")

    checked = []  # the programs run on suffixes (`_fragile`)
    fragile = solver._fragile
    monkeypatch.setattr(solver, "_fragile", lambda task, program, settings: checked.append(program) or fragile(task, program, settings))
    monkeypatch.setattr(solver, "_chained", offered)
    result = synthesize(task, profile="list", chain_cost=1, sturdy_slack=slack, timeout=60)
    if slack:
        assert result.stats.stopped == "found" and show(result.program.body) == show(parse_expr(_STURDY)), result.text
        assert result.stats.found_by == "chains+mended"
        assert checked.count(result.program) == 1  # by the mend, which found it sturdy; not once more after
    else:  # no mending: tail(s) is wrong on that example and no dearer fold is offered
        assert result.program is None or show(result.program.body) != show(parse_expr(_FRAGILE)), result.text


def test_a_mended_program_is_never_dearer_than_max_cost(monkeypatch) -> None:
    """Audit 9: drop(s, 1) (18) came back under max_cost=17; the held tail(s) (17) is the answer there."""
    from dsl.parse import parse_expr
    from synth.search import solver

    monkeypatch.setattr(solver, "_chained", lambda *args: iter([(parse_expr(_FRAGILE), 17)]))
    result = synthesize(_stack_task(), profile="list", chain_cost=1, max_cost=17, timeout=60)
    assert [(f.cost, f.by, show(f.program.body)) for f in result.found] == [(17, "chains+held", show(parse_expr(_FRAGILE)))]


def test_a_mended_program_offered_again_is_listed_once(monkeypatch) -> None:
    """Audit 9: --all 2 listed drop(s, 1) twice, mended and then as the phase's own."""
    from dsl.parse import parse_expr
    from synth.search import solver

    offered = [(_FRAGILE, 17), (_STURDY, 18)]
    monkeypatch.setattr(solver, "_chained", lambda *args: ((parse_expr(t), c) for t, c in offered))
    result = synthesize(_stack_task(), profile="list", chain_cost=1, all_k=2, max_cost=18, timeout=60)
    texts = [show(f.program.body) for f in result.found]
    assert texts[0] == show(parse_expr(_STURDY)) and len(texts) == len(set(texts)), texts


@pytest.mark.parametrize("stop", ["interrupted", "timeout"])
def test_a_stop_while_mending_returns_the_confirmed_program(monkeypatch, stop) -> None:
    """Audit 9: Ctrl-C or the deadline inside the mend lost the program already confirmed on every example."""
    from dsl.parse import parse_expr
    from synth.search import solver
    from synth.search.bank import SearchStopped

    def mend_stopped(*args, **kwargs):
        raise KeyboardInterrupt if stop == "interrupted" else SearchStopped("timeout")
        yield  # pragma: no cover

    monkeypatch.setattr(solver, "_chained", lambda *args: iter([(parse_expr(_FRAGILE), 17)]))
    monkeypatch.setattr(solver, "sturdier", mend_stopped)
    result = synthesize(_stack_task(), profile="list", chain_cost=1, timeout=60)
    assert [(f.cost, f.by) for f in result.found] == [(17, "chains+held")]
    assert show(result.program.body) == show(parse_expr(_FRAGILE))


def test_a_program_found_after_a_bank_filled_is_labelled_capped() -> None:
    """Audit 9: a full bank's dearer levels are empty, so the levels are no longer the cost order (was "levels")."""
    task = load_task(EXAMPLES / "even_pairs.json")
    assert synthesize(task).stats.found_by == "levels"
    capped = synthesize(task, bank_values=300)
    assert capped.program is not None and capped.stats.found_by == "capped", capped.stats


def test_a_round_after_a_chains_program_starts_where_the_levels_stopped(monkeypatch) -> None:
    """Audit 9: the next round started at the answer's cost (28 for a chains' stack), skipping the levels in between."""
    from dsl import ast
    from synth.search import solver

    task = _stack_task()
    wrong = solver.Found(solver._program(task, ast.Var("xs")), 28, "chains")  # found at level 8, wrong on an example
    starts: list[int] = []

    def one_round(task, banks, settings, all_k, on_level, first_cost, whole):
        starts.append(first_cost)
        return ([wrong], 1, 0, 8, "found", "enough") if len(starts) == 1 else ([], 0, 0, 9, "exhausted", "max-cost")

    monkeypatch.setattr(solver, "_search", one_round)
    synthesize(task, profile="list", search_examples=1, timeout=60)
    assert starts == [1, 8], starts  # not 28: levels 8..27 were never searched


def test_a_mended_variant_must_fit_every_example_and_not_fail_on_a_suffix(monkeypatch) -> None:
    """Agreeing on the sampled states says nothing of the states a trace reaches: each variant is checked."""
    from dsl.parse import parse_expr
    from synth.search import solver
    from synth.search.sturdy import Sturdier

    wrong = _STACK.format(pop="drop(s, 2)")  # total, but wrong on the examples; then one that fits but is fragile
    variants = [Sturdier(parse_expr(wrong), 18, ()), Sturdier(parse_expr(_FRAGILE), 17, ()), Sturdier(parse_expr(_STURDY), 18, ())]
    monkeypatch.setattr(solver, "sturdier", lambda *args: iter(variants))
    monkeypatch.setattr(solver, "_chained", lambda *args: iter([(parse_expr(_FRAGILE), 17)]))
    result = synthesize(_stack_task(), profile="list", chain_cost=1, timeout=60)
    assert show(result.program.body) == show(parse_expr(_STURDY)) and result.cost == 18, result.text


def _odds_first_task() -> Task:
    import numpy as np

    from dsl.types import INT, ListT
    from tasks.open.spec import OpenSpec

    rng = np.random.default_rng(0)
    xss = [tuple(int(v) for v in rng.integers(0, 3, size=n)) for n in (7, 12, 9, 16, 5, 11)]
    return Task("odds", "open", (("xs", ListT(INT)),), ListT(INT),
                tuple(Example({"xs": xs}, xs[1::2] + xs[0::2]) for xs in xss), (), OpenSpec())


def test_a_probe_composes_a_program_before_the_levels_reach_its_cost() -> None:
    """Settings.probe_values: compositions are tried once, early, over the banks as they stand (no freeze needed)."""
    from dsl.interp import compile_program

    task = _odds_first_task()
    result = synthesize(task, probe_values=50_000, freeze_values=None)
    assert result.program is not None, result.stats
    assert result.cost == 27 and result.stats.max_cost_searched < 20, (result.text, result.stats)
    assert result.stats.found_by == "probe"
    long = tuple((5 * i) % 3 for i in range(101))
    assert compile_program(result.program)({"xs": long}) == long[1::2] + long[0::2], result.text


def test_chains_no_operator_anchors_wait_for_the_probe(monkeypatch) -> None:
    """Chain.anchored: chains with an explaining operator at chain_cost, the others after the probe (or with them, if no probe).

    Odds-first outputs end in whatever the input does, so pad(P, len(xs), v) strips them by chance: searching a fold
    for that before the probe's compositions (in the list profile) took 26 of odds_first's 29 CPU-s.
    """
    from synth.search import solver

    log: list[tuple] = []
    chained, probed = solver._chained, solver._probed

    def chained_logged(goals, task, whole, max_cost, fold_cost, anchored):
        log.append(("chains", anchored, goals.top.budget.stored_values))
        return chained(goals, task, whole, max_cost, fold_cost, anchored)

    def probed_logged(top, task, first, max_cost):
        log.append(("probe", first, top.budget.stored_values))
        return probed(top, task, first, max_cost)

    monkeypatch.setattr(solver, "_chained", chained_logged)
    monkeypatch.setattr(solver, "_probed", probed_logged)
    task = _odds_first_task()
    result = synthesize(task, profile="list", chain_cost=6, probe_values=50_000, freeze_values=None)
    assert result.stats.found_by == "probe", result.stats
    assert [entry[:2] for entry in log] == [("chains", True), ("probe", log[1][1]), ("chains", False)], log
    assert log[0][2] < 50_000 <= log[1][2]
    log.clear()
    synthesize(task, profile="list", chain_cost=6, probe_values=None, freeze_values=None, max_cost=7)
    assert [entry[:2] for entry in log] == [("chains", True), ("chains", False)] and log[0][2] == log[1][2], log


def test_a_probe_that_finds_nothing_leaves_the_search_as_it_was(monkeypatch) -> None:
    """The levels built after a fruitless probe are the ones a search without it builds; so is the answer."""
    from synth.search import solver

    tops = []
    made = solver._banks_for

    def kept(*args):
        state, reused = made(*args)
        tops.append(state.top)
        return state, reused

    monkeypatch.setattr(solver, "_banks_for", kept)
    task = _tiny_task([([1, 0, 2], 3), ([2, 2], 4), ([0, 1, 1, 2], 4), ([3], 3), ([1, 1], 2)])
    probed = synthesize(task, probe_values=1)
    plain = synthesize(task, probe_values=None)
    assert probed.text == plain.text and probed.cost == plain.cost
    a, b = tops
    assert len(a.levels) >= len(b.levels)
    for c in range(1, len(b.levels)):
        assert {t: [e.expr for e in es] for t, es in a.levels[c].items()} == {t: [e.expr for e in es] for t, es in b.levels[c].items()}, c


def test_a_probe_hands_over_at_most_probe_candidates(monkeypatch) -> None:
    """One search example fits compositions by the thousand: the probe stops after Settings.probe_candidates."""
    from synth.search import solver

    handed: list[int] = []
    probed = solver._probed

    def counted(*args):
        handed.append(0)
        for item in probed(*args):
            handed[-1] += 1
            yield item

    monkeypatch.setattr(solver, "_probed", counted)
    task = _tiny_task([([1, 0, 2], 3), ([2, 2], 4), ([0, 1, 1, 2], 4), ([3], 3), ([1, 1], 2), ([2, 0, 1, 3], 6)])
    free = synthesize(task, search_examples=1, probe_values=1, probe_candidates=10_000, max_cost=9)
    assert handed and max(handed) > 3, handed  # uncapped, a probe hands over more
    handed.clear()
    capped = synthesize(task, search_examples=1, probe_values=1, probe_candidates=3, max_cost=9)
    assert handed and max(handed) <= 3, handed
    assert capped.text == free.text


def test_running_out_of_memory_ends_the_search_with_what_it_found(monkeypatch) -> None:
    """A MemoryError (a process cap, synth.memory.MemoryLimit) mid-search is a stop reason, not a crash: found programs stand."""
    task = load_task(EXAMPLES / "parity_check.json")
    uncapped = synthesize(task, timeout=60)
    real = solver.misses
    found = []

    def misses(task, program, fuel, skip=()):
        if found:
            raise MemoryError
        wrong = list(real(task, program, fuel, skip))
        if not wrong:
            found.append(program)
        return iter(wrong)

    monkeypatch.setattr(solver, "misses", misses)
    result = synthesize(task, all_k=3, timeout=60)
    assert result.stats.stopped == "out of memory"
    assert [f.program for f in result.found] == found and len(found) == 1
    assert result.text == uncapped.text  # the first program is the one a search without a cap finds


def test_a_memory_cap_stops_the_search_like_the_timeout(monkeypatch) -> None:
    """Settings.max_memory_mb is read with the timeout's checks: past it the search stops, with what it found."""
    task = load_task(EXAMPLES / "parity_check.json")
    first = synthesize(task, all_k=1, timeout=60)
    resident = [10.0]
    monkeypatch.setattr(bank, "resident_mb", lambda: resident[0])
    assert synthesize(task, all_k=1, timeout=60, max_memory_mb=100).text == first.text  # below the cap: the same search
    resident[0] = 500.0
    capped = synthesize(task, all_k=3, timeout=60, max_memory_mb=100)
    assert capped.stats.stopped == "out of memory" and capped.program is None


@pytest.mark.parametrize("name", ["parity_check", "lego_z2_paper"])
def test_the_search_counts_add_up(name) -> None:
    """Before: --json had enumerated, pruned and kept only, short by the root candidates (~225k on cycle_navigation)."""
    stats = synthesize(load_task(str(EXAMPLES / f"{name}.json"))).stats
    out = stats.to_dict()
    assert out["enumerated"] == out["pruned"] + out["kept"] + out["checked"]
    assert out["checked"] >= 0 and out["pruned"] >= 0 and out["kept"] > 0
    if name == "parity_check":
        assert out["checked"] > 0  # the fold over xs is built at the root and checked there


def test_a_program_repaired_by_a_root_if_is_never_dearer_than_max_cost() -> None:
    """Helper audit: a chain right on the search set but not on two short inputs past it was repaired with a
    root `if` of no ceiling: cost 20 with max_cost 13, where a consistent program of cost 12 exists."""
    from dsl.interp import compile_program
    from dsl.parse import parse_program
    from dsl.types import INT, ListT
    from tasks.core import TaskSpec

    truth = compile_program(parse_program("input xs: List[Int]\nif len(xs) <= 1 then range(0) else "
                                          "append(fold (s, x) -> append(s, x + 1) from range(0) over xs, 2)"))
    inputs = [(0, 2), (3, 1, 2), (1, 1, 0, 3), (2, 2, 2), (0, 1, 3, 1, 2), (3, 3), (1, 0, 2, 3), (2, 0, 1, 1, 3, 0),
              (3, 2, 1), (1, 2, 3, 0), (), (1,)]  # the two short ones past the 10 examples searched
    train = tuple(Example({"xs": xs}, truth({"xs": xs})) for xs in inputs)
    task = Task("t", "drawn", (("xs", ListT(INT)),), ListT(INT), train, (), TaskSpec(family="drawn"))
    found = synthesize(task, max_cost=13, timeout=3, profile="list")  # (the repaired one came in 0.6 CPU-s)
    assert found.cost is None or found.cost <= 13
    if found.program is not None:
        run = compile_program(found.program)
        assert all(run(dict(e.inputs)) == e.output for e in train)


def _doubling_task() -> Task:
    from dsl.types import INT
    from tasks.core import TaskSpec

    train = tuple(Example({"x": x}, 2 * x) for x in (2, 3, 5, 7))
    return Task("double", "open", (("x", INT),), INT, train, (), TaskSpec(family="open"))


def test_a_limit_after_a_round_that_found_right_and_wrong_programs_keeps_the_right_ones() -> None:
    """Audit e: with all_k 3 and one example searched, x + x (right on all four) and a wrong twin came,
    then Ctrl-C: the answer was no program at all, and 2 of 4 examples said searched in 1 round."""

    def interrupt(cost, budget):
        if cost == 3:
            raise KeyboardInterrupt

    result = synthesize(_doubling_task(), all_k=3, max_examples=1, on_level=interrupt)
    assert [f.text for f in result.found] == ["input x: Int\nx + x\n"]
    assert result.stats.stopped == "interrupted" and result.stats.rounds == 1
    assert result.stats.examples_searched == 1 and result.stats.searched == (0,)


@pytest.mark.parametrize("where", ["search", "banks"])
def test_a_later_round_cut_short_keeps_the_programs_an_earlier_round_confirmed(monkeypatch, where) -> None:
    """Audit e: round 1 confirmed x + x on every example; a timeout in round 2 (in its search, or while its
    banks took the new example) before it was found again gave no program."""
    searched, banks_for = solver._search, solver._banks_for
    rounds = []

    def search(subset, state, *args):
        rounds.append(len(subset.train))
        if len(rounds) == 2:
            return [], 0, 0, 3, "timeout", "timeout"
        return searched(subset, state, *args)

    def banks(subset, *args):
        if rounds:
            raise bank.SearchStopped("timeout")
        return banks_for(subset, *args)

    monkeypatch.setattr(solver, "_search", search)
    if where == "banks":
        monkeypatch.setattr(solver, "_banks_for", banks)
    result = synthesize(_doubling_task(), all_k=3, max_examples=1)
    assert [show(f.program.body) for f in result.found] == ["x + x", "x - -x"]  # the two round 1 confirmed
    assert result.stats.stopped == "timeout" and result.stats.rounds == 2


@pytest.mark.parametrize("caps, ended_by", [({"bank_values": 2000, "freeze_values": None}, "capped"),
                                            ({"freeze_values": 5000}, "frozen")])
def test_a_search_past_a_cap_never_says_every_program_up_to_max_cost_was_tried(caps, ended_by) -> None:
    """Audit e: counting the items above 2 ran to max_cost after a bank filled and said ended_by "max-cost"
    (synth solve: "every program up to cost 32 was tried"), though a fold of cost 11 fits every example."""
    from dsl.types import INT, ListT
    from tasks.core import TaskSpec

    inputs = [(-1, -1, -3, -2, 5), (3, 5, 1, 5, 0), (6,), (6, 1, 4), (2, -2, 2), (-2, 4, 6, 2), (0,), ()]
    train = tuple(Example({"xs": xs}, sum(x > 2 for x in xs)) for xs in inputs)
    task = Task("count", "open", (("xs", ListT(INT)),), INT, train, (), TaskSpec(family="open"))
    capped = synthesize(task, max_cost=12, **caps)
    assert capped.program is None and capped.stats.stopped == "exhausted" and capped.stats.ended_by == ended_by
    from dsl.interp import compile_program
    from dsl.parse import parse_program
    from synth.search.grammar import Grammar

    fits = parse_program("input xs: List[Int]\nfold (s, x) -> s + (if 2 < x then 1 else 0) from 0 over xs")  # uncapped, found
    assert Grammar().cost(fits.body) == 11 and all(compile_program(fits)(dict(ex.inputs)) == ex.output for ex in train)


def _and_task() -> Task:
    from dsl.types import BOOL
    from tasks.core import TaskSpec

    train = tuple(Example({"p": p, "q": q}, p and q) for p, q in ((True, True), (True, False), (False, True), (False, False)))
    return Task("and", "open", (("p", BOOL), ("q", BOOL)), BOOL, train, (), TaskSpec(family="open"))


@pytest.mark.parametrize("where, kept", [("extend", ["if q then p else q", "if not q then q else p"]),
                                         ("check", ["if q then p else q"])])
def test_ctrl_c_between_rounds_returns_what_was_searched(monkeypatch, where, kept) -> None:
    """Audit e: Ctrl-C while the banks took a counterexample (or while round 1's programs were checked on the
    rest) escaped synthesize as KeyboardInterrupt: synth solve printed only "interrupted", without the
    statistics or the programs round 1 had confirmed on every example (q, its first, is wrong on one)."""
    first_miss = solver._first_miss

    def stopped(*args, **kwargs):
        raise KeyboardInterrupt

    def checked(task, program, *args):
        if show(program.body) == "if not q then q else p":  # the third: the first two are checked
            raise KeyboardInterrupt
        return first_miss(task, program, *args)

    if where == "extend":
        monkeypatch.setattr(bank.Bank, "extend", stopped)
    else:
        monkeypatch.setattr(solver, "_first_miss", checked)
    result = synthesize(_and_task(), all_k=3, max_examples=2)
    assert [show(f.program.body) for f in result.found] == kept
    assert result.stats.stopped == result.stats.ended_by == "interrupted" and result.stats.rounds == 1 + (where == "extend")
