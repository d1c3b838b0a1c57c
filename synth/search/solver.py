"""The solve loop: the cheapest program consistent with every training label.

Costs are visited in increasing order. At each cost, candidates come from the
skeleton the output type calls for: a recursive rule when the output is a map
(LEGO), otherwise any expression of the output type from the top-level bank,
loops included. The first candidate that agrees with every training example,
confirmed by running it with the interpreter, is the answer; `all_k` keeps going for the next
consistent ones, so shortcuts that fit short examples can be shown up.
"""

from __future__ import annotations

import numbers
import os
import time
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from typing import Callable, Iterable, Iterator, Mapping, Sequence

from dsl import ast
from dsl.errors import UserError
from dsl.groups import Elem
from dsl.interp import compile_program
from dsl.printer import show
from dsl.types import Type
from dsl.values import Value, from_python, walk
from synth.memory import collections_spaced
from synth.search.bank import Bank, Budget, SearchStopped
from synth.search.deduce import Deduction
from synth.search.goals import Goal, Goals
from synth.search.grammar import Grammar, grammar_for, parse_weights
from synth.search.loops import loop_operators
from synth.search.misses import misses
from synth.search.profiles import CORE, Profile, resolve_profile, with_weights
from synth.search.repair import Repair
from synth.search.rootloops import LoopSearch
from synth.search.rules import RuleSearch, map_output
from synth.search.settings import DEFAULTS, Settings, check_settings
from synth.search.special import Special
from synth.search.sturdy import sturdier
from tasks.task import Task, agrees, contradictions

# Kept for importers (the CLI's option defaults); the values live in Settings.
DEFAULT_MAX_COST = DEFAULTS.max_cost
DEFAULT_SEARCH_EXAMPLES = DEFAULTS.search_examples
DEFAULT_MAX_VALUES = DEFAULTS.max_values


@dataclass(frozen=True)
class Stats:
    """What one search did (all rounds together); the same task gives the same counts.

    Every candidate expression built counts once in `enumerated`, and then
    in exactly one of: `pruned` (its values equal a cheaper kept one's:
    observational equivalence drops it), `kept` (stored in a bank, to build
    larger candidates from), or `checked` (built at the root - a loop over an
    input, a fold, a product of goals - and compared with the wanted outputs
    directly, never stored). So enumerated = pruned + kept + checked.
    `local_checks` counts rule bodies tried against their own examples,
    `full_checks` whole programs run on the training examples.
    """

    enumerated: int
    pruned: int
    kept: int
    local_checks: int
    full_checks: int
    max_cost_searched: int
    seconds: float
    stopped: str  # "found", "exhausted", "timeout", "memory" (max_values), "out of memory" (max_memory_mb, a MemoryError), "interrupted"
    rounds: int = 1  # searches run: each adds one training example the last answer got wrong
    examples_searched: int = 0  # training examples the last search ran on
    levels_reused: int = 0  # bank levels kept (extended, not rebuilt) when a counterexample joined
    searched: tuple[int, ...] = ()  # indices of the training examples searched on, in the order they joined
    # What ended the last round: "enough" (the all_k programs asked for), else the limit that cut it short
    # ("max-cost", "timeout", "memory", "out of memory", "interrupted"): why fewer than all_k programs may be listed.
    # "max-cost" means every program up to max_cost was tried; a search that ran to max_cost after the banks
    # froze or one filled ("frozen", "capped", as in FOUND_BY) tried only compositions of what they held.
    ended_by: str = "enough"
    found_by: str = ""  # how the first program was found (Found.by, FOUND_BY); "" if none was

    @property
    def checked(self) -> int:
        """Candidates built at the root and compared with the outputs directly: neither pruned nor kept."""
        return self.enumerated - self.pruned - self.kept

    def to_dict(self) -> dict:
        out = dict(self.__dict__)
        out["checked"] = self.checked
        out["searched"] = list(self.searched)
        return out


# How a program was found (Found.by, Stats.found_by): the phase, then what was done to it. Only
# "levels" is the cost order itself; every other phase may return a program dearer than one
# the levels would have found later (README, "How the search works").
FOUND_BY: Mapping[str, str] = {
    "levels": "the cost-ordered levels",
    "frozen": "the compositions after the banks froze (Settings.freeze_values)",
    "partial": "the levels above exhaustive_cost (root folds built from parts only)",
    "capped": "the levels after a bank reached bank_values (it offers only what it holds)",
    "chains": "the chains' phase (goals.Chain)",
    "probe": "the probe's compositions (Settings.probe_values)",
    "+if": "completed by a root if (repair.py)",
    "+mended": "mended where its fold failed (sturdy.py)",
    "+held": "held as it fails on a suffix of an input; nothing sturdier came",
}


def describe_found_by(by: str) -> str:
    """`by` in words: 'chains+if' is "the chains' phase (goals.Chain), completed by a root if (repair.py)"."""
    phase, *steps = by.split("+")
    return ", ".join([FOUND_BY[phase], *(FOUND_BY["+" + step] for step in steps)])


@dataclass(frozen=True)
class Found:
    program: ast.Program
    cost: int
    by: str = "levels"  # how it was found: a FOUND_BY phase and its steps, e.g. "chains+mended"

    @property
    def text(self) -> str:
        return show(self.program)


@dataclass(frozen=True)
class Result:
    """The answer to `synthesize`: a program (or None), its cost and the search statistics."""

    task: Task
    found: tuple[Found, ...]
    stats: Stats
    grammar: Grammar = field(repr=False)
    profile: Profile = CORE  # the grammar profile searched with; every report names it

    @property
    def program(self) -> ast.Program | None:
        return self.found[0].program if self.found else None

    @property
    def cost(self) -> int | None:
        return self.found[0].cost if self.found else None

    @property
    def text(self) -> str | None:
        return self.found[0].text if self.found else None

    def __call__(self, inputs: Mapping[str, Value]) -> Value:
        """Run the found program on one input: a dict by input name of DSL values or their plain forms (lists, "Z2:1").

        Each input is checked against the program's signature first, so a
        wrong one is a UserError naming it and the type expected.
        """
        if self.program is None:
            raise UserError("no program was found, so there is nothing to run")
        types = self.program.input_types()
        signature = ", ".join(f"{n}: {t}" for n, t in types.items())
        if not isinstance(inputs, Mapping):
            raise UserError(f"a Result is called with a dict of inputs by name ({signature}), not {type(inputs).__name__}")
        missing = [n for n in types if n not in inputs]
        extra = [str(k) for k in inputs if k not in types]
        if missing or extra:
            what = "; ".join(([f"missing input{'s' * (len(missing) > 1)} {', '.join(missing)}"] if missing else [])
                             + ([f"unknown input{'s' * (len(extra) > 1)} {', '.join(extra)}"] if extra else []))
            raise UserError(f"{what} (the program takes {signature or 'no inputs'})")
        groups = self.groups
        return _compiled(self.program)({n: from_python(inputs[n], t, f"input {n}", groups) for n, t in types.items()})

    @cached_property
    def groups(self) -> frozenset[str]:
        """The groups whose elements the program takes: its literals' and its task's (empty: it names none, any is taken).

        Type Elem does not name a group, so the program's element literals and
        the examples it was found on do; an input element of another group is
        refused when the Result is called, as a Baseline refuses a sentence of
        another group, instead of failing at run time.
        """
        if self.program is None:
            return frozenset()
        declared = getattr(self.task.spec, "group", None)
        if isinstance(declared, str):
            task_groups = {declared}
        else:
            task_groups = {e.group.name for ex in self.task.train for v in ex.inputs.values() for e in walk(v) if isinstance(e, Elem)}
        return frozenset(literal_groups(self.program.body) | task_groups)


def literal_groups(e: ast.Expr) -> set[str]:
    """The groups of an expression's element literals: a program that names Z2:0 is a Z2 program."""
    found = {e.value.group.name} if isinstance(e, ast.ElemLit) else set()
    for child in ast.children(e):
        found |= literal_groups(child)
    return found


@lru_cache(maxsize=64)
def _compiled(program: ast.Program):
    """Compiled once per program, so calling a Result in a loop does not recompile."""
    return compile_program(program)


def _program(task: Task, body: ast.Expr) -> ast.Program:
    return ast.Program(tuple(ast.Param(n, t) for n, t in task.input_types), body)


def _consistent(task: Task, program: ast.Program, fuel: int) -> bool:
    return _first_miss(task, program, fuel=fuel) is None


_UNSET: object = object()

# synth.fit calls search_examples by its old name, max_examples, and checks its budgets through here.
_FIT_NAMES: Mapping[str, str] = {"search_examples": "max_examples"}


def check_budgets(
    settings: Settings, all_k: int = 1, weights: object = None, *, names: Mapping[str, str] | None = None
) -> None:
    """A UserError, before any search, for a setting, `all_k` or `weights` the search cannot use.

    Every setting is checked (settings.check_settings: kind and range), not
    only the budgets: a wrong kind was a TypeError deep in the search and a
    wrong value could be taken silently. `names` maps a setting to the name
    the caller passed it under; by default search_examples is shown as
    max_examples, the name synth.fit takes.
    """
    check_settings(settings, _FIT_NAMES if names is None else names)
    if isinstance(all_k, bool) or not isinstance(all_k, numbers.Integral) or int(all_k) < 1:
        raise UserError(f"all_k must be a whole number of at least 1, not {all_k!r}")
    if weights is not None:
        if not isinstance(weights, Mapping):
            raise UserError(
                f"weights must be a mapping from primitive or node kind to a whole number >= 1 (e.g. {{'head': 2}}), not {type(weights).__name__} {repr(weights)[:40]}"
            )
        parse_weights(weights)


def synthesize(
    task: Task,
    settings: Settings = DEFAULTS,
    *,
    all_k: int = 1,
    weights: Mapping[str, int] | None = None,
    on_level: Callable[[int, Budget], None] | None = None,
    max_examples: object = _UNSET,
    profile: str | Profile | None = None,
    **overrides,
) -> Result:
    """Search the DSL for the cheapest programs consistent with `task.train`.

    `settings` holds the budgets (see `Settings`); keyword `overrides` change
    single settings (`timeout=`, `max_cost=`, `max_values=`, `prune=`, ...;
    `max_examples=` is the old name of `search_examples=`). The search runs
    on the first `search_examples` training examples (all if None); a
    program found there is run on every other training example, and the
    first one it gets wrong joins the search set for another round
    (counterexample-guided), so a large training file costs one check per
    record, not a search over all of them. Stops at the first `all_k`
    consistent programs, at `max_cost`, at `timeout` seconds (for all rounds
    together), or when the banks hold `max_values` values. Ctrl-C stops the
    search too; the partial result is returned with stopped = "interrupted".
    `profile` ("core", "list" or a Profile, default core) gives the
    primitives and their weights; `weights` override the profile's.
    """
    if not isinstance(task, Task):
        hint = f": synth.load_task({task!r}) reads a task file" if isinstance(task, (str, os.PathLike)) else ""
        raise UserError(f"synthesize takes a Task, not {type(task).__name__}{hint}")
    chosen_profile = resolve_profile(profile)
    names: dict[str, str] = {}  # the name each setting was passed under, for a message about it
    if max_examples is not _UNSET:
        if "search_examples" in overrides:
            raise UserError("pass search_examples or its old name max_examples, not both")
        overrides["search_examples"] = max_examples
        names["search_examples"] = "max_examples"
    if not isinstance(settings, Settings):
        raise UserError(f"settings must be a synth.search.settings.Settings (keyword overrides change single settings), not {type(settings).__name__}")
    if on_level is not None and not callable(on_level):
        raise UserError(f"on_level must be a function of (cost, budget) or None, not {type(on_level).__name__}")
    settings = settings.with_overrides(**overrides) if overrides else settings
    check_budgets(settings, all_k, weights, names=names)
    # The prior that runs, as the result names it; a weight for a primitive the profile lacks is refused (as by the CLI).
    chosen_profile = with_weights(chosen_profile, weights)
    if not task.train:
        raise UserError(f"task {task.name!r} has no training examples")
    conflicts = contradictions(task)
    if conflicts:
        raise UserError("contradictory training labels:\n  " + "\n  ".join(conflicts))
    with collections_spaced(settings.collect_every):
        return _rounds(task, settings, all_k, weights, on_level, chosen_profile)


def _rounds(task: Task, settings: Settings, all_k: int, weights: Mapping[str, int] | None,
            on_level: Callable[[int, Budget], None] | None, chosen_profile: Profile) -> Result:
    """The search of `synthesize` (its arguments checked): rounds of search, each joined by a counterexample."""
    timeout, max_values = settings.timeout, settings.max_values
    max_examples = settings.search_examples
    start = time.monotonic()
    deadline = None if timeout is None else start + timeout
    n = len(task.train)
    chosen = list(range(n if max_examples is None else min(n, max_examples)))
    budget = Budget(max_values=max_values, settings=settings)
    state: _Banks | None = None
    full_checks = local_checks = 0
    reused = 0
    rounds = 0
    first_cost = 1
    confirmed: list[Found] = []  # programs of earlier rounds right on every training example
    while True:
        rounds += 1
        subset = replace(task, train=tuple(task.train[i] for i in chosen))
        budget.deadline = deadline
        try:
            state, kept = _banks_for(subset, settings, weights, budget, state, len(chosen) < n, chosen_profile)
        except (SearchStopped, MemoryError, KeyboardInterrupt) as stop:  # extending the banks for a new example
            if rounds == 1:
                raise  # the first round's banks are built empty: no limit strikes there
            reason = stop.reason if isinstance(stop, SearchStopped) else "out of memory" if isinstance(stop, MemoryError) else "interrupted"
            state, found, stopped, ended_by = None, [], reason, reason  # the last round's programs failed an example
            break
        grammar = state.grammar  # kept here: a frozen round resets `state` to None below, then may stop
        reused += kept
        found, checks, locals_, cost, stopped, ended_by = _search(subset, state, settings, all_k, on_level, first_cost, task)
        if stopped == "out of memory":
            state = None  # the banks go now: checking what was found needs memory too
        full_checks += checks
        local_checks += locals_
        if not found or len(chosen) == n:
            break
        firsts: list[int | None] = []
        try:
            for f in found:
                firsts.append(_first_miss(task, f.program, chosen, settings.check_fuel))
        except KeyboardInterrupt:  # Ctrl-C while checking: the programs checked and right stand, the rest are unknown
            found, stopped, ended_by = [f for f, i in zip(found, firsts) if i is None], "interrupted", "interrupted"
            break
        missed = [i for i in firsts if i is not None]
        if not missed:
            break
        right = [f for f, i in zip(found, firsts) if i is None]  # with all_k > 1, some may fit every example
        if stopped not in ("found", "exhausted"):
            found = right  # a limit ended the round: no other round, and the programs that fit stand
            break
        confirmed = _merged(confirmed, right, all_k)
        chosen.append(min(missed))
        # No program of the levels this round went through fits the smaller set, so none fits the
        # larger one. The answer's cost bounds them only if the levels found it: a program of the
        # chains, the probe or a mend may be dearer than the level the round had reached.
        first_cost = min(found[0].cost, cost)
        if budget.frozen:
            # Extending frozen banks would drop the levels a new example splits
            # and never rebuild them: this round's banks start afresh instead.
            state = None
            budget.frozen = False
            budget.stored_values = 0
    if stopped not in ("found", "exhausted"):
        # Cut short by a limit: programs an earlier round confirmed on every example are not lost.
        found = _merged(found, confirmed, all_k)
    stats = Stats(
        enumerated=budget.enumerated,
        pruned=budget.pruned,
        kept=budget.kept,
        local_checks=local_checks,
        full_checks=full_checks,
        max_cost_searched=cost,
        seconds=time.monotonic() - start,
        stopped=stopped,
        rounds=rounds,
        examples_searched=len(chosen),
        levels_reused=reused,
        searched=tuple(chosen),
        ended_by=ended_by,
        found_by=found[0].by if found else "",
    )
    return Result(task, tuple(found), stats, grammar, chosen_profile)


def _merged(found: Sequence[Found], more: Sequence[Found], all_k: int) -> list[Found]:
    """`found`, then the programs of `more` it lacks, in cost order (stable: `found` first at one cost), at most `all_k`."""
    programs = {f.program for f in found}
    return sorted([*found, *(f for f in more if f.program not in programs)], key=lambda f: f.cost)[:all_k]


@dataclass
class _Banks:
    """What one round builds and the next may extend: the grammar and the top-level bank."""

    grammar: Grammar
    top: Bank
    loops: LoopSearch | None  # root loops (loop_depth 0), whose fold body banks are extended too


def _banks_for(task: Task, settings: Settings, weights, budget: Budget, previous: _Banks | None,
               more_to_come: bool, profile: Profile) -> tuple[_Banks, int]:
    """The banks for this round's search set: the last round's, extended, when the grammar is the same.

    Returns them and how many bank levels were kept (not rebuilt): the top
    bank's and the root folds' body banks'.
    """
    input_types = dict(task.input_types)
    grammar = grammar_for(
        input_types,
        task.output_type,
        [v for ex in task.train for v in (*ex.inputs.values(), ex.output)],
        extra_ints=_declared_ints(task),
        weights=weights,
        profile=profile,
        settings=settings,
    )
    contexts = [dict(ex.inputs) for ex in task.train]
    if (
        previous is not None
        and settings.prune
        and previous.grammar == grammar
        and previous.grammar.state_domains == grammar.state_domains
        and len(previous.top.contexts) < len(contexts)
    ):
        top = previous.top
        before = len(top.levels) - 1
        first = len(top.contexts)
        split = top.extend(contexts[first:])
        kept = before if split is None else split - 1
        if previous.loops is not None:
            kept += previous.loops.extend([ex.output for ex in task.train], first, split)
        return previous, kept
    map_type = map_output(task.output_type)
    # A rule's sources are loop-free (LEGO stays as fast as it was); any other
    # output gets loops anywhere, nested up to settings.loop_depth.
    depth = 0 if map_type is not None else settings.loop_depth
    top = Bank(input_types, contexts, grammar, budget, prune=settings.prune, operators=loop_operators, depth=depth)
    # Extending needs to know how dropped candidates were made: only worth it
    # when a counterexample can come (more training examples than searched).
    top.extensible = more_to_come and settings.prune
    top.build_records = True
    outputs = [ex.output for ex in task.train]
    # loop_depth 0: a loop-free bank and one loop at the root, checked example by example.
    loops = LoopSearch(top, task.output_type, outputs, agrees) if map_type is None and depth == 0 else None
    return _Banks(grammar, top, loops), 0


def _first_miss(task: Task, program: ast.Program, skip: Sequence[int] = (), fuel: int = DEFAULTS.check_fuel) -> int | None:
    """The first training example, outside `skip` (the search set), that `program` gets wrong."""
    miss = next(misses(task, program, fuel, skip), None)
    return None if miss is None else miss.index


def _search(task: Task, banks: _Banks, settings: Settings, all_k: int, on_level, first_cost: int, whole: Task):
    """One cost-ordered search over all of `task.train`, from `first_cost` on.

    Programs from the chains' phase and the probe are checked on `whole`
    (every training example), not only the search set: each is dear to find,
    and one that fails elsewhere is passed over there and then instead of
    ending the round; a chains' program may still be completed by a root `if`
    (repair.py), a probe's is not.
    """
    top = banks.top
    budget = top.budget
    outputs = [ex.output for ex in task.train]
    map_type = map_output(task.output_type)
    rules = RuleSearch(top, outputs, map_type) if map_type is not None else None
    loops = banks.loops
    deduction = Deduction(top, task.output_type, outputs, loops.comp_bank if loops else None) if map_type is None else None
    goals = Goals(top, loops.folds_for if loops is not None else None) if deduction is not None else None

    found: list[Found] = []
    full_checks = 0
    cost = 0
    stopped = "exhausted"
    ended_by = "max-cost"  # unless the all_k-th program or a limit ends the search first
    fold_cost = settings.chain_fold_cost
    chained: set[bool] = set()  # the parts of the chains' phase run: anchored (True) or not (False)
    probed = False
    repair = Repair(whole, banks.grammar, budget)
    # A chains' program that fails on a suffix of a training input, held while
    # the phase seeks a sturdier one (Settings.sturdy_slack); the answer if none comes.
    held: Found | None = None
    try:
        for cost in range(first_cost, settings.max_cost + 1):
            budget.check_time()  # a cost with no candidate checks no clock: a max_cost of 10**8 must still stop at the timeout
            if goals is not None:
                # The levels a composition reads (its parts at most goal_part_cost; one more, so that
                # the goals' memos see finished levels), before goals memoize what they hold. Dearer
                # levels are built when a loop or the check below asks for them.
                top.at(min(cost - 1, settings.goal_part_cost + 1))
            # (candidates with their costs, the task that must confirm them, the phase they come from: FOUND_BY)
            batches: list[tuple[Iterable[tuple[ast.Expr, int]], Task, str]] = []
            # The chains' phase (Settings.chain_fold_cost), each part once; every training example must
            # confirm. Anchored chains at chain_cost; the others (Chain.anchored) after the probe's turn.
            ready = budget.frozen or cost >= settings.chain_cost
            if goals is not None and fold_cost is not None and ready and True not in chained:
                chained.add(True)
                batches.append((_chained(goals, task, whole, settings.max_cost, fold_cost, True), whole, "chains"))
            if goals is not None and not probed and not budget.frozen and settings.probe_values is not None \
                    and budget.stored_values >= settings.probe_values:
                probed = True  # once: the frozen phase's compositions, early, the banks as they stand
                batches.append((_probed(top, task, cost, settings.max_cost), whole, "probe"))
            if goals is not None and fold_cost is not None and ready and False not in chained \
                    and (probed or budget.frozen or settings.probe_values is None):
                chained.add(False)
                batches.append((_chained(goals, task, whole, settings.max_cost, fold_cost, False), whole, "chains"))
            level = _candidates(top, rules, deduction, goals, loops, task.output_type, outputs, cost)
            batches.append((((body, cost) for body in _unique(level)), task, "levels"))
            for candidates, judge, phase in batches:
                chains = phase == "chains"
                for body, c in candidates:
                    by = phase
                    if phase == "levels" and budget.frozen:
                        by = "frozen"  # a level cut short by the freeze
                    elif phase == "levels" and budget.capped:
                        by = "capped"  # a full bank's dearer levels are empty
                    elif phase == "levels" and settings.exhaustive_cost is not None and c > settings.exhaustive_cost:
                        by = "partial"  # above exhaustive_cost a level holds root folds from parts only
                    if held is not None and c > held.cost + settings.sturdy_slack:
                        break
                    budget.check_time()
                    program = _program(task, body)
                    full_checks += 1
                    wrong = misses(judge, program, settings.check_fuel)
                    first = next(wrong, None)
                    ok = first is None
                    sturdy = False  # a mended program, which `_mended` found sturdy
                    if first is not None and chains and settings.sturdy_slack \
                            and (first.error or any(m.error for m in wrong)):
                        # An error on a training example (`tail(s)` popping an empty stack): mended where it fails.
                        mended = _mended(whole, body, c, by, loops, banks.grammar, settings)
                        if mended is not None:
                            program, c, by, ok, sturdy = mended.program, mended.cost, mended.by, True, True
                    if not ok and chains:  # the chains' phase: a program wrong on a few examples
                        fixed = repair(body, settings.max_cost - c)
                        if fixed is not None:
                            body, c, by = fixed.expr, c + fixed.extra, by + "+if"
                            program = _program(task, body)
                            ok = _consistent(judge, program, settings.check_fuel)
                    if ok and chains and not sturdy and held is None and not found and settings.sturdy_slack \
                            and _fragile(whole, program, settings):
                        # Held first: a stop (timeout, memory, Ctrl-C) while mending returns it.
                        held = Found(program, c, by + "+held")
                        mended = _mended(whole, body, c, by, loops, banks.grammar, settings)
                        if mended is None:
                            continue
                        held = None
                        program, c, by = mended.program, mended.cost, mended.by
                    if ok and any(f.program == program for f in found):
                        continue  # offered again (a mended program, then the phase's own): listed once
                    if ok:
                        found.append(Found(program, c, by))
                        if len(found) >= all_k:
                            stopped = "found"
                            break
                if held is not None and chains:
                    if not found:
                        found.append(held)
                    held = None
                    if len(found) >= all_k:
                        stopped = "found"
                if stopped == "found":
                    break
            if on_level is not None:
                on_level(cost, budget)
            if stopped == "found":
                ended_by = "enough"
                break
    except SearchStopped as stop:
        stopped = ended_by = stop.reason
    except KeyboardInterrupt:
        stopped = ended_by = "interrupted"
    except MemoryError:  # an OS limit (ulimit) or a full machine: what was found stands
        stopped = ended_by = "out of memory"
    if held is not None and not found:  # stopped while seeking a sturdier program: the held one stands
        found.append(held)
        stopped = "found"
    if ended_by == "max-cost" and (budget.frozen or budget.capped):
        # Past a cap the levels are not every program of their cost (a cheaper one whose parts
        # were never built is missed): "max-cost" would say every program up to it was tried.
        ended_by = "frozen" if budget.frozen else "capped"
    if found and stopped == "exhausted":
        stopped = "found"
    return found, full_checks, rules.local_checks if rules else 0, cost, stopped, ended_by


def _fragile(task: Task, program: ast.Program, settings: Settings) -> bool:
    """Whether the program fails (a runtime error) on a proper suffix of a list input of one of the first training examples.

    A suffix of a command sequence is a command sequence too: `tail(s)` for a
    pop fails on one that starts with a pop, `drop(s, 1)` does not. A wrong
    answer there says nothing (its output is unknown), an error does.
    """
    run = compile_program(program)
    for ex in task.train[: settings.sturdy_examples]:
        for name, value in ex.inputs.items():
            if not isinstance(value, tuple):
                continue
            for k in range(1, len(value)):
                try:
                    run({**ex.inputs, name: value[k:]}, fuel=settings.check_fuel)
                except UserError:
                    return True
    return False


def _mended(task: Task, body: ast.Expr, cost: int, by: str, loops: LoopSearch | None, grammar: Grammar,
            settings: Settings) -> Found | None:
    """The cheapest sturdier variant of a fragile chains' program (sturdy.py) right on every training example, if any.

    `by` is how the fragile program was found; the variant's says it was mended.

    Mending the failing part of its fold body is one look-up in a bank the
    search already holds, where searching the chains up to
    `Settings.sturdy_slack` dearer is most of a search's time.
    """
    if loops is None:
        return None
    for variant in sturdier(body, cost, settings.sturdy_slack, dict(task.input_types), grammar,
                            loops.sample_bank, settings.check_fuel, settings.sample_body_cost):
        if variant.cost > settings.max_cost:
            break  # cheapest first: none of the rest is within max_cost either
        program = _program(task, variant.expr)
        if _consistent(task, program, settings.check_fuel) and not _fragile(task, program, settings):
            return Found(program, variant.cost, by + "+mended")
    return None


def _chained(goals: Goals, task: Task, whole: Task, max_cost: int, fold_cost: int,
             anchored: bool) -> Iterator[tuple[ast.Expr, int]]:
    """The chains' phase on the search set, under the (anchored or other) chains whose fixed operands hold on every training example."""
    every = Goal(task.output_type, tuple(ex.output for ex in whole.train))
    contexts = [dict(ex.inputs) for ex in whole.train]
    goal = Goal(task.output_type, tuple(ex.output for ex in task.train))
    return goals.chained(goal, max_cost, fold_cost, keep=lambda chain: goals.confirmed(chain, every, contexts), anchored=anchored)


def _probed(top: Bank, task: Task, first: int, max_cost: int) -> Iterator[tuple[ast.Expr, int]]:
    """The compositions the frozen phase would try, from cost `first` to `max_cost`, over the banks as they stand.

    Run once, when the banks first hold Settings.probe_values: a program
    composed of cheap parts (odds_first's two index loops joined by `+`,
    cost 27) is otherwise found only after the freeze, when the levels
    below it have been built in vain. The banks are frozen only while a
    cost is composed (`Budget.probing`: unbuilt levels read as empty and stay
    unbuilt), and the composer is a fresh `Goals` whose memos, true only of
    the banks as they stand, go with it. If nothing comes, the levels go on
    as before. A program found here is confirmed on every training example
    and need not be the cheapest consistent one, as in the chains' phase.
    At most Settings.probe_candidates are handed over: a search set that many
    compositions fit (one example, say) cannot guide them.
    No root `if`: split into cases, a handful of examples is fitted by
    chance (the bundled cycle_navigation's five, by `if 5 < len(xs) then
    ... else ...`), where the levels find the rule.
    """
    goals = Goals(top, cases=False)
    goal = Goal(task.output_type, tuple(ex.output for ex in task.train))
    budget = top.budget
    left = budget.settings.probe_candidates
    for cost in range(first, max_cost + 1):
        composed = goals.candidates(goal, cost)
        while left > 0:
            budget.frozen = budget.probing = True  # frozen while composing, not while a candidate is checked
            try:
                expr = next(composed, None)
            finally:
                budget.frozen = budget.probing = False
            if expr is None:
                break
            left -= 1
            yield expr, cost
    # Nothing came: its index-loop bank goes with it. (A level it had a search
    # bank build for a goal stays, and counts: one the levels build anyway.)
    budget.stored_values -= goals.held()


def _candidates(
    top: Bank, rules: RuleSearch | None, deduction: Deduction | None, goals: Goals | None,
    loops: LoopSearch | None, output_type: Type, outputs, cost: int,
) -> Iterator[ast.Expr]:
    """Programs of this cost that agree with every example.

    Deduced root loops and programs composed top-down come first, then
    enumerated root loops: they need only cheaper levels of the top bank, so
    when one fits, the (largest, dearest) level of this cost is never built;
    and the top bank's own candidates of this cost are built for the output
    type only (`Bank.of_type`), the rest of the level when a dearer cost needs it.
    """
    if rules is not None:
        yield from rules.candidates(cost)
        return
    if goals is not None and top.budget.frozen:
        # The banks hold enough: from here on, folds over sampled states (their
        # parts are bounded) and compositions of what the banks hold; other root
        # loops would enumerate every combination of it.
        if loops is not None:
            yield from loops.folds_for(cost, output_type, outputs)
        yield from goals.candidates(Goal(output_type, tuple(outputs)), cost)
        return
    if deduction is not None:
        yield from deduction.candidates(cost)
    if goals is not None:
        yield from goals.candidates(Goal(output_type, tuple(outputs)), cost)
    if loops is not None:
        yield from loops.candidates(cost)
    for entry in top.of_type(cost, output_type):
        if not entry.special and _all_agree(outputs, entry.values):
            yield entry.expr


def _unique(candidates: Iterator[ast.Expr]) -> Iterator[ast.Expr]:
    """Each candidate once (a deduced loop is also built in the bank)."""
    seen: set = set()
    for body in candidates:
        if body not in seen:
            seen.add(body)
            yield body


def _all_agree(outputs, values) -> bool:
    return all(type(v) is not Special and agrees(out, v) for out, v in zip(outputs, values))


def _declared_ints(task: Task) -> tuple[int, ...]:
    """Integers a task declares about itself (e.g. a class count), usable as constants."""
    return tuple(task.spec.constants)
