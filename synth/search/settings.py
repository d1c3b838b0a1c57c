"""Every budget, cap and default of one search, in one frozen object.

Each setting is named once, here, with why it has its value (as TF-Coder
keeps its settings). `synthesize(task, settings=Settings(...), **overrides)`
takes one; the search modules read what they need from it instead of keeping
constants of their own.
"""

from __future__ import annotations

import numbers
import types
from dataclasses import dataclass, fields, replace
from typing import Any, Mapping, get_args, get_type_hints

from dsl.errors import UserError

# The largest max_cost (and exhaustive_cost) `synth solve` and a suite spec take: no program
# the search builds comes near it (the suite's answers cost under 40). A library call may
# pass more; the search still ends at its answer or its timeout.
MAX_COST_OPTION = 200


@dataclass(frozen=True)
class Settings:
    # The largest program cost searched (program size under unit weights).
    max_cost: int = 32
    # The search runs on this many training examples (None: all); the rest
    # only check its answer, and the first one it gets wrong joins the search.
    search_examples: int | None = 10
    # Values stored across all banks of one search. A count, not bytes: a
    # list value counts one whatever its length, so 30M is about 1.5 GB of
    # Int values but 5 GB in the suite's list-heavy searches (binary_multiplication:
    # 21M values holding 174M list elements). synth.memory.MemoryLimit is the hard bound.
    max_values: int | None = 30_000_000
    # One bank holding this many values stops growing: its dearer levels stay
    # empty and the search goes on composing what the banks hold (goals.py),
    # where it used to end at the global cap above. About a quarter of it,
    # so several banks can fill before the global cap stops the search.
    bank_values: int | None = 8_000_000
    # When all banks together hold this many values, the search stops
    # enumerating and composes what it has (goals.py) up to max_cost instead
    # of spending what is left on ever dearer levels. Late enough that what
    # the exhaustive search finds within the cap it still finds (the suite's
    # cycle_navigation needs 22M with the core profile), early enough to leave
    # room for compositions.
    freeze_values: int | None = 24_000_000
    # After the freeze a bank still grows for a goal (goals.py) until all banks
    # hold this many values; then it stops as if full, so that what is left of
    # the cap serves the folds' memos instead of one bank ending the search.
    # Late: the suite's odds_first (seed 1) needs its index-loop bank past 27M.
    goal_values: int | None = 29_000_000
    # When all banks first hold this many values, the compositions the frozen
    # phase would try are tried once over the banks as they stand, then the
    # levels go on (solver._probed): a program made of cheap parts need not
    # wait for the freeze (the suite's odds_first from 20 examples: a median of 2.2 CPU-s, not 18.5).
    # Past the bundled reverse_string's whole search (0.9M), where the probe
    # would only cost time. None: no probe.
    probe_values: int | None = 1_000_000
    # ... and it hands over at most this many programs (each then checked on
    # every training example): one search example fits compositions by the
    # hundred thousand, and checking them all took minutes.
    probe_candidates: int = 100
    # A level asked for one type before it is built builds that type only, the
    # rest when a dearer level needs it (Bank.of_type), while its bank holds
    # less than this share of bank_values and all banks less than this share
    # of freeze_values. A level grows about fourfold, so a level a cap may cut
    # is built in one pass, cut where it always was. None: always one pass.
    typed_passes: float | None = 0.2
    # Where such a pass builds a fold body's state type, the bodies whose
    # every value lies in the state domain are built first and the others
    # only if the search reads past them (Bank.inside, deferral.py): the
    # answer is most often one of the first. The level, once whole, is the
    # same, entry for entry. The rows waiting hold at most this many values
    # (int64 codes: 64 MB; past it they are built at once): the bundled
    # cycle_navigation's reach 1.7M, its 100-example suite cell's 2.1M.
    # None: whole typed passes (to test that the levels are the same).
    inside_first: int | None = 8_000_000
    # ... while this bank holds less than this share of bank_values and all
    # banks less than this share of freeze_values. Wider than typed_passes:
    # the suite's cycle_navigation cells pass that share's 4.8M values
    # before their answer's level, where this rule takes them from 2.05 to
    # 1.75 CPU-s; a level that waits while a cap is crossed may be cut
    # elsewhere than one pass cuts it (the sweeps compare every cell).
    inside_share: float = 0.5
    # ... and only above a level of at least this many entries of the
    # type: a smaller level is cheap to build whole, and two passes over it
    # cost more than they save (the suite's cycle_navigation cell, where no
    # cheap level holds the answer: 2.05 CPU-s with every level in two
    # passes, 1.99 in one).
    inside_from: int = 1_000
    # Wall-clock seconds for the whole search, all rounds together (None: no limit).
    timeout: float | None = None
    # Resident memory of the process, in MB, past which the search stops with
    # what it found (stopped = "out of memory"), read with the timeout's checks
    # (synth.memory). None: no cap; max_values still bounds the banks by count.
    max_memory_mb: int | None = None
    # Observational equivalence on (off only to test that it loses nothing).
    prune: bool = True
    # With pruning, the bank does not build what it would drop as the twin of
    # an expression it built first: `if C then A else B` where `not C` is a
    # condition too, `(a * b) * c` for group elements, `a > b` beside `b < a`
    # (bank._negated, _regrouped, _mirrored_first). Each is counted as
    # enumerated and pruned, so the levels, the counts and every answer are
    # those of a bank that builds them (tests/synth/search/test_bank.py); the
    # LEGO D4 throughput search takes about 15% less CPU. Off only to test that.
    twins: bool = True
    # Interpreter fuel for checking a candidate against one training example.
    check_fuel: int = 10_000_000
    # Interpreter fuel for one run of a loop body outside its precomputed table.
    body_fuel: int = 100_000
    # The longest list `range` may build inside the search; the interpreter
    # allows more, but a candidate that needs a huge list is not worth it.
    range_limit: int = 4096
    # A one-Int-argument primitive that builds a list (range, to_bits) keeps the
    # lists it built, per bank, up to this many items in all: asked again for the
    # same argument, it returns the same tuple (the same candidates; in instructions
    # the LEGO paper task 12% fewer, reverse_string 8%). Past it, lists are built
    # each time. 0: never kept.
    remembered_items: int = 65_536
    # A fold or scan state type gets a finite table of states (its body bank
    # runs on every (element, state) pair) when its domain has at most this
    # many values: Bool, the group, or the span of the integers the task shows.
    max_state_domain: int = 64
    # Small integer constants offered whenever the task's types mention Int.
    int_constants: tuple[int, ...] = (0, 1, 2)
    # Top-down composition (goals.py): operators decomposed below the root,
    # the dearest part a composed program may have, and the dearest Int
    # expression tried as the point where a list output splits in two.
    goal_depth: int = 4
    goal_part_cost: int = 7
    goal_split_cost: int = 5
    # The dearest condition tried for `if C then A else B` over a goal.
    goal_condition_cost: int = 4
    # A `bisect` deduced for an Int goal (bisect.py) has a body of at most this
    # cost (`i * i <= n`: 5) and an upper bound of at most this cost
    # (`from_bits(reverse(xs))`: 5 in the list profile). Every pair of bounds
    # that allows the goal gets a body bank, and a bound of cost 7 has hundreds
    # of such pairs where one of cost 5 has tens.
    bisect_body_cost: int = 5
    bisect_bound_cost: int = 5
    # Index-wise loop bodies deduced for goals are enumerated on the first
    # this many positions of each example (one bank for every goal), then run on all.
    goal_positions: int = 6
    # A comprehension's body deduced from the output (deduce.py) is
    # first sought in a bank over this many of its contexts (the first member
    # of every example, then the second, ...); a body right there is checked on
    # every context, and the first one it gets wrong joins the bank (a
    # counterexample: Bank.extend). The answer is the one a bank over all the
    # contexts gives, for a fraction of the bank. None: every context at once.
    deduce_contexts: int | None = 16
    # Loops as operators anywhere in a program, nested this deep (1: loops
    # inside expressions, loop-free bodies; 2: loops in bodies too). 0: one
    # loop at the root of the program, checked example by example - far
    # cheaper when that is enough, hence the default until the compositional
    # search is fast enough to be the default.
    loop_depth: int = 0
    # A root fold whose state has no finite domain (a list, an Int beyond the
    # small span, a record) gets a body bank on sampled states (samplefolds.py):
    # at most this many states (0: no such folds) ...
    sample_states: int = 16
    # ... a list state is sampled as [], then lists of one and two items drawn
    # from this many of the item values the inputs show ...
    sample_items: int = 3
    # ... and the body sees at most this many distinct members (others run directly).
    sample_members: int = 8
    # Sampled-state bodies are enumerated up to this cost (level 7 is 5x level 6);
    # dearer bodies are `if C then A else B` with C, A and B each at most this dear.
    sample_body_cost: int = 6
    # The source and initial state of a sampled-state fold each cost at most this
    # (every (source, initial state) pair is traced against every body); the
    # source one more when the body is plain, not an `if` (whose branches are
    # searched pair by pair): split(xs, 2) costs 4 in the list profile.
    sample_part_cost: int = 3
    # The goals the output fixes through pad, append, cons and to_bits (goals.Chain)
    # are each searched for a fold over sampled states of at most this cost, once,
    # before the level-by-level search goes on: the stack of stack_manipulation
    # (an 18-node fold under pad and append) is seconds away that way and hours
    # away by levels. Programs found so are checked on every training example
    # and need not be the cheapest. None: no such phase.
    chain_fold_cost: int | None = 18
    # ... that phase runs before the search's level of this cost (or at the
    # freeze, if sooner): the cheaper levels hold the fixed operands (up to
    # goal_part_cost) and the folds' sources and initial states, and take under
    # a second; every suite task the list profile solves by levels is found
    # below it, or has no chain (an Int output). Only the chains an operator with
    # literal operands anchors (goals.Chain.anchored: append(P, 2), to_bits) run
    # here; the others, which strip what random outputs happen to end with, run
    # after the probe (probe_values), or with these if there is no probe.
    chain_cost: int = 8
    # A chain may leave at most this many search examples its operators cannot
    # explain (to_bits of an empty list, say) to the rest of the program: a
    # program found so is completed with a root `if` (repair.py). 0: no such chains.
    chain_exceptions: int = 3
    # ... and each chain is also followed with the search examples whose list
    # inputs hold at most this many items left ANY (base cases: a generator's
    # fixed answers for the shortest inputs, binary_multiplication's [0, 2]).
    base_case_size: int = 2
    # A program right on all but this share of the training examples may be
    # completed by `if C then A else P`: C at most goal_condition_cost and A at
    # most goal_part_cost, from banks over the training examples themselves.
    repair_share: float = 0.2
    # A program of the chains' phase that fails (a runtime error) on a training
    # example, or on a suffix of one of the first `sturdy_examples` training
    # inputs, is mended (sturdy.py:
    # a failing part of its fold body extended, at most this much dearer), else
    # held while the phase looks for one at most this much dearer that does not
    # (a stack's pop as drop(s, 1) rather than tail(s), which fails on an empty
    # stack that few examples show); the held one is the answer if none comes. 0: off.
    sturdy_slack: int = 1
    sturdy_examples: int = 20
    # Values each of repair's banks may hold (a tenth of max_values if less):
    # a full one offers what it holds, and the search goes on.
    repair_values: int = 2_000_000
    # A block of at least this many `a op b` pairs (one primitive, one split of
    # the cost, one typing) is computed on numpy arrays (vector.py) when the
    # primitive has a vector form; smaller blocks cost more to set up than to
    # run one by one. None: never (the scalar path, to compare).
    vector_pairs: int | None = 64
    # Every bank stops at this cost (None: banks grow with the search). Above it
    # the search is no longer exhaustive: programs come only from root folds whose
    # parts are at most this dear, which is how a 14-node fold body is reached at
    # all (the top-level bank's level 11 alone takes minutes).
    exhaustive_cost: int | None = None
    # While a search runs, Python's cycle collector looks at new objects once
    # per this many allocations (Python's default: 700). The search's
    # millions of long-lived objects made the collector a fifth to a quarter
    # of its CPU time, and still a tenth at 10,000; the search makes no cyclic
    # garbage worth collecting (the same peak memory with none collected)
    # (synth.memory.collections_spaced). None: Python's setting.
    collect_every: int | None = 10_000_000

    def __post_init__(self) -> None:
        # What a training script holds is taken as the plain value it means: a list of constants as a
        # tuple (a list would make the settings unhashable), numpy integers and bools as int and bool
        # (a numpy integer constant had no DSL literal). Anything else is left for check_settings.
        for f in fields(self):
            value = getattr(self, f.name)
            plain = _plain(value)
            if isinstance(value, (list, tuple)):
                plain = tuple(_plain(v) for v in value)
            if plain is not value:
                object.__setattr__(self, f.name, plain)

    def with_overrides(self, **overrides: Any) -> "Settings":
        """A copy with some settings changed; an unknown name is a UserError (values are checked by `check_settings`)."""
        known = {f.name for f in fields(self)}
        bad = sorted(k for k in overrides if k not in known)
        if bad:
            raise UserError(f"unknown search setting(s): {', '.join(bad)} (known: {', '.join(sorted(known))})")
        return replace(self, **overrides)


def _plain(value: Any) -> Any:
    """A numpy bool or integer as Python's bool or int (other values as they are)."""
    kind = getattr(getattr(value, "dtype", None), "kind", None)
    if kind == "b" and getattr(value, "shape", None) == ():
        return bool(value)
    if kind in ("i", "u") and getattr(value, "shape", None) == ():
        return int(value)
    return value


# Settings whose 0 would be a search that cannot run or cannot find anything (no cost, no
# example, no value, no fuel, an empty bank): whole numbers >= 1. Every other whole-number
# setting is >= 0, where 0 is a documented "off" (loop_depth, sample_states, chain_exceptions, ...).
AT_LEAST_ONE = frozenset({
    "max_cost", "search_examples", "max_values", "bank_values", "freeze_values", "goal_values",
    "probe_values", "probe_candidates", "max_memory_mb", "check_fuel", "body_fuel", "goal_positions",
    "deduce_contexts", "chain_fold_cost", "repair_values", "vector_pairs", "exhaustive_cost", "collect_every",
})
# Shares, with their closed range.
SHARES = {"repair_share": (0.0, 1.0), "typed_passes": (0.0, 1.0), "inside_share": (0.0, 1.0)}


def _kinds() -> dict[str, tuple[Any, bool]]:
    """Each setting's base type (int, float, bool or tuple) and whether None is allowed, read off the annotations."""
    out: dict[str, tuple[Any, bool]] = {}
    for name, hint in get_type_hints(Settings).items():
        args = get_args(hint)
        if isinstance(hint, types.UnionType):
            base = next(a for a in args if a is not type(None))
            out[name] = (base, type(None) in args)
        else:
            out[name] = (getattr(hint, "__origin__", hint), False)
    return out


_KINDS = _kinds()


def _shown(value: object) -> str:
    text = repr(value)
    return f"{type(value).__name__} {text if len(text) <= 40 else text[:40] + '...'}"


def check_settings(settings: Settings, names: Mapping[str, str] | None = None) -> None:
    """A UserError for the first setting of a kind or range the search cannot use, named as the caller named it.

    The search calls it before it starts (solver.check_budgets), because a
    bad value is otherwise a TypeError deep in the search ("'<=' not
    supported between int and str") or, worse, taken silently: prune="no" is
    true, a fuel of 0 fails every candidate and searches until the timeout.
    It runs there rather than when a Settings is built so that `names` can
    map a setting to the name the caller passed it under (an old alias:
    max_examples for search_examples).
    """
    if not isinstance(settings, Settings):
        raise UserError(f"settings must be a synth.search.settings.Settings, not {type(settings).__name__}")
    names = names or {}
    for name, (base, optional) in _KINDS.items():
        value = getattr(settings, name)
        if value is None and optional:
            continue
        shown = names.get(name, name)
        if base is bool:
            if not isinstance(value, bool):
                raise UserError(f"{shown} must be True or False, not {_shown(value)}")
        elif base is int:
            if isinstance(value, bool) or not isinstance(value, numbers.Integral):
                raise UserError(f"{shown} must be a whole number, not {_shown(value)}")
            if name in AT_LEAST_ONE and value < 1:
                raise UserError(f"{shown} must be positive, not {value!r}")
            if value < 0:
                raise UserError(f"{shown} must be a whole number >= 0, not {value!r}")
        elif base is float:
            what = "a number of seconds" if name == "timeout" else "a number"
            if isinstance(value, bool) or not isinstance(value, numbers.Real):
                raise UserError(f"{shown} must be {what}, not {_shown(value)}")
            try:
                number = float(value)
            except OverflowError:  # an int past a float's range
                raise UserError(f"{shown} must be {what} a float can hold, not an integer of {len(str(value))} digits") from None
            share = SHARES.get(name)
            if share is not None and not share[0] <= number <= share[1]:  # NaN too
                raise UserError(f"{shown} must be a share between {share[0]:g} and {share[1]:g}, not {value!r}")
            if share is None and not number > 0:  # NaN too
                raise UserError(f"{shown} must be positive, not {value!r}")
        elif base is tuple:
            if not isinstance(value, tuple) or any(isinstance(v, bool) or not isinstance(v, numbers.Integral) for v in value):
                raise UserError(f"{shown} must be a tuple (or list) of whole numbers, not {_shown(value)}")
        else:  # a new kind of setting: say so here, not let it through unchecked
            raise AssertionError(f"check_settings does not know the type of setting {name!r}")


DEFAULTS = Settings()
check_settings(DEFAULTS)
