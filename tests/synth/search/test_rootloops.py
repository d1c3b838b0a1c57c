"""Root loops: which comprehension skeletons can fit, the fold tables, and the answers they give."""

from __future__ import annotations

from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from dsl import ast
from dsl.printer import show
from dsl.types import BOOL, INT, ListT
from synth.search import rootloops
from synth.search.bank import Bank, Budget
from synth.search.entry import Entry
from synth.search.grammar import grammar_for
from synth.search.loops import fold_can_fit
from synth.search.rootloops import _CLOSED, LoopSearch, _filter_can_fit, closed_table
from synth.search.solver import synthesize
from synth.search.special import Special
from tasks.core import Example, Task
from tasks.open.spec import OpenSpec
from tasks.task import agrees

XSS = [(3, 1, 4), (1, 5), (9, 2, 6, 5), (), (8,)]


def _source(values) -> Entry:
    return Entry(None, ListT(INT), 1, tuple(values))  # type: ignore[arg-type]


def test_a_filter_never_lengthens_and_is_skipped_where_it_would_keep_everything() -> None:
    src = _source(XSS)
    assert not _filter_can_fit(src, [xs + (0,) for xs in XSS], plain_cheaper=True)  # an output longer than its source
    assert not _filter_can_fit(src, [xs + (0,) for xs in XSS], plain_cheaper=False)
    assert not _filter_can_fit(src, list(XSS), plain_cheaper=True)  # keeps all: the plain comprehension is no dearer
    assert _filter_can_fit(src, list(XSS), plain_cheaper=False)  # a profile where the filter is the cheaper form
    assert _filter_can_fit(src, [xs[:1] for xs in XSS], plain_cheaper=True)  # drops something somewhere
    assert not _filter_can_fit(src, [1, 2, 3, 4, 5], plain_cheaper=True)  # not lists at all


def _task(f) -> Task:
    train = tuple(Example({"xs": xs}, f(xs)) for xs in XSS)
    return Task("t", "open", (("xs", ListT(INT)),), ListT(INT), train, (), OpenSpec())


def test_a_filter_is_still_found_and_a_map_is_found_without_one() -> None:
    evens = synthesize(_task(lambda xs: tuple(x for x in xs if x % 2 == 0)))
    assert evens.text is not None and " if " in evens.text, evens.text
    doubled = synthesize(_task(lambda xs: tuple(x + x for x in xs)))
    assert doubled.text is not None and " if " not in doubled.text, doubled.text


def test_a_closed_table_has_one_context_per_member_and_state() -> None:
    slots: dict = {}
    contexts, where = closed_table([(1, 2), (2, 3)], (0, 1), "s", "x", slots)
    assert [(c["x"], c["s"]) for c in contexts] == [(1, 0), (1, 1), (2, 0), (2, 1), (3, 0), (3, 1)]
    assert where[(0, 2, 1)] == where[(1, 2, 1)] == 3  # the member 2 of both examples: one context
    assert len(where) == 8
    more, where2 = closed_table([(3, 1)], (0, 1), "s", "x", slots, first=2)
    assert more == [] and where2[(2, 1, 0)] == 0  # a new example of members already met: no new context
    more, _ = closed_table([(4,)], (0, 1), "s", "x", slots, first=3)
    assert [(c["x"], c["s"]) for c in more] == [(4, 0), (4, 1)] and slots[(4, 1)] == 7


XS5 = [(2, 0, 0, 0), (2, 0, 2, 1, 1, 2), (0, 0, 0, 0, 2, 0), (0, 2, 2, 0, 1, 0, 1), (1, 2, 0, 1, 0, 2, 0, 2)]


def _fold_search(outs) -> LoopSearch:
    env = {"xs": ListT(INT)}
    out = INT if type(outs[0]) is int else BOOL
    grammar = grammar_for(env, out, [*XS5, *outs], extra_ints=(5,))
    top = Bank(env, [{"xs": xs} for xs in XS5], grammar, Budget())
    return LoopSearch(top, out, outs, agrees)


def test_a_closed_body_is_found_before_the_open_bank_builds_its_cost() -> None:
    loops = _fold_search([sum(x - 1 for x in xs) % 5 for xs in XS5])
    cost, found = next((c, e) for c in range(1, 11) for e in loops.candidates(c))
    assert isinstance(found, ast.Fold) and cost == 10, (cost, found)
    body_cost = ast.size(found.body)
    tables = list(loops._fold_banks.values())
    assert any(t.closed and t.bank.reached >= body_cost for t in tables)
    assert all(t.bank.reached < body_cost for t in tables if not t.closed)  # fails with one pass over open banks


def test_a_body_that_reads_the_input_is_still_found() -> None:
    outs = [xs[-1] ^ xs[0] for xs in XS5]  # the last member against the first
    loops = _fold_search(outs)
    found = [show(e.body) for c in range(1, 10) for e in loops.candidates(c)]
    assert any("xs" in body for body in found), found


def test_sources_with_the_same_members_share_one_body_bank_and_part_when_they_differ() -> None:
    loops = _fold_search([sum(x - 1 for x in xs) % 5 for xs in XS5])
    domain = tuple(range(6))
    xs, rev = _source(XS5), _source([tuple(reversed(x)) for x in XS5])  # the same members, other orders
    other = _source([(0,) for _ in XS5])  # fewer members
    for closed in (True, False):
        a, b, c = (loops._fold_table(s, INT, domain, closed) for s in (xs, rev, other))
        assert a.bank is b.bank and a.bank is not c.bank
        assert a.where == b.where  # each member of each example sits where the other source's does
    # A new example where the two sources' members differ (the reversed one gets a 4):
    # the bank stays with the first source, the second is built again on demand.
    xs.values += ((1, 2),)
    rev.values += ((4, 2),)
    other.values += ((0,),)
    loops.top.extend([{"xs": (1, 2)}])
    loops.extend([*loops.outputs, 1], len(XS5), None)
    closed_a, closed_b = (loops._fold_table(s, INT, domain, True) for s in (xs, rev))
    assert closed_a.bank is not closed_b.bank
    assert {c["x"] for c in closed_b.bank.contexts} == {0, 1, 2, 4}
    assert all(closed_a.where[(5, m, s)] == closed_a.slots[(m, s)] for m in (1, 2) for s in domain)


def test_a_fold_is_traced_on_the_shortest_example_first_and_what_it_finds_is_unchanged(monkeypatch) -> None:
    """A wrong fold is dropped at its cheapest trace; the order only saves work, every fit is still checked on all examples."""
    xss = [(2, 0, 1, 1, 2, 0, 2, 1), (1,), (0, 2, 2, 1), (), (1, 1, 0, 2, 0, 2)]
    outs = [sum(x - 1 for x in xs) % 5 for xs in xss]
    env = {"xs": ListT(INT)}
    grammar = grammar_for(env, INT, [*xss, *outs], extra_ints=(5,))
    loops = LoopSearch(Bank(env, [{"xs": xs} for xs in xss], grammar, Budget()), INT, outs, agrees)
    runs: list[list[tuple[int, int]]] = []  # per candidate: (example, length of its source there), in the order traced
    real = LoopSearch._trace

    def spy(self, i, ctx, items, state, body, *rest):
        if not runs or runs[-1][0] != (id(body), -1) or any(i == j for j, _ in runs[-1][1:]):
            runs.append([(id(body), -1)])  # a new candidate (a body, or the same body from another init)
        runs[-1].append((i, len(items)))
        return real(self, i, ctx, items, state, body, *rest)

    monkeypatch.setattr(LoopSearch, "_trace", spy)
    found = [show(e) for c in range(1, 11) for e in loops.candidates(c)]
    assert "fold (s, x) -> (s + (x - 1)) mod 5 from 0 over xs" in found
    for run in runs:
        lengths = [n for _, n in run[1:]]
        assert lengths == sorted(lengths), run  # never a longer trace before a shorter one
    over_xs = [[i for i, _ in run[1:]] for run in runs if [n for _, n in run[1:]] == [0, 1, 4, 6, 8]]
    assert over_xs and all(order == [3, 1, 2, 4, 0] for order in over_xs)  # the answer's and others', on every example


def _inside(body: Entry, domain: tuple) -> bool:
    return all(type(v) is not Special and v in domain for v in body.values)


def test_bodies_that_keep_the_state_in_the_domain_come_first_within_a_cost(monkeypatch) -> None:
    """A tie-break among bodies of one cost: every body is still offered once, inside-domain ones first, each class in bank order."""
    outs = [sum(x - 1 for x in xs) % 5 for xs in XS5]
    loops = _fold_search(outs)
    domain = loops.top.grammar.state_domain(INT)
    assert domain is not None
    table = loops._fold_table(_source(XS5), INT, domain, True)
    both = 0  # levels with bodies of both kinds
    for cost in range(1, 7):
        level = table.bank.of_type(cost, INT)
        ordered = loops._ordered_bodies(table.bank, cost, INT, domain)
        flags = [_inside(b, domain) for b in ordered]
        assert flags == sorted(flags, reverse=True)
        both += any(flags) and not all(flags)
        assert [b for b in ordered if _inside(b, domain)] == [b for b in level if _inside(b, domain)]
        assert [b for b in ordered if not _inside(b, domain)] == [b for b in level if not _inside(b, domain)]
        assert loops._ordered_bodies(table.bank, cost, INT, domain) is ordered  # memoized per level
        assert list(loops._bodies(table.bank, cost, INT, domain)) == ordered
    assert both >= 3

    traced: list[Entry] = []  # the bodies checked at cost 10, up to the answer
    real = LoopSearch._trace

    def spy(self, i, ctx, items, state, body, *rest):
        traced.append(body)
        return real(self, i, ctx, items, state, body, *rest)

    loops = _fold_search(outs)
    for c in range(1, 10):
        list(loops.candidates(c))
    monkeypatch.setattr(LoopSearch, "_trace", spy)
    found = next(loops.candidates(10))
    assert show(found) == "fold (s, x) -> (s + (x - 1)) mod 5 from 0 over xs"
    assert traced and all(_inside(b, domain) for b in traced)  # bank order tries ~35,000 other bodies first


def test_the_bodies_order_follows_a_body_bank_extended_by_a_new_example() -> None:
    loops = _fold_search([sum(x - 1 for x in xs) % 5 for xs in XS5])
    domain = tuple(range(6))
    xs = _source(XS5)
    table = loops._fold_table(xs, INT, domain, True)
    before = loops._ordered_bodies(table.bank, 4, INT, domain)
    xs.values += ((4, 3),)  # new members: new (member, state) contexts in the closed bank
    loops.top.extend([{"xs": (4, 3)}])
    loops.extend([*loops.outputs, 1], len(XS5), None)
    table = loops._fold_table(xs, INT, domain, True)
    after = loops._ordered_bodies(table.bank, 4, INT, domain)
    assert list(loops._bodies(table.bank, 4, INT, domain)) == after
    assert {c["x"] for c in table.bank.contexts} == {0, 1, 2, 3, 4}
    assert sorted(map(id, after)) == sorted(map(id, table.bank.of_type(4, INT)))
    assert all(len(b.values) == len(table.bank.contexts) for b in after) and after is not before
    flags = [_inside(b, domain) for b in after]  # read on the new contexts too
    assert flags == sorted(flags, reverse=True) and flags != [_inside(b, domain) for b in table.bank.of_type(4, INT)]


@given(st.data())
def test_a_start_is_refused_exactly_where_no_fold_body_can_reach_every_output(data) -> None:
    """Against the definition (no members and an output other than the start; for a closed body also examples alike in
    members and start with unequal outputs); never a start some closed body fits from."""
    n = data.draw(st.integers(1, 8))
    members = [tuple(data.draw(st.lists(st.integers(0, 2), max_size=3))) for _ in range(n)]
    starts = tuple(data.draw(st.integers(0, 2)) for _ in range(n))
    table = data.draw(st.dictionaries(st.tuples(st.integers(0, 2), st.integers(0, 2)), st.integers(0, 2)))

    def fold(state: int, ms: tuple) -> int:  # a closed body: a function of the state and the member only
        for m in ms:
            state = table.get((m, state), 0)
        return state

    folded = [fold(s, ms) for s, ms in zip(starts, members)]
    outputs = data.draw(st.sampled_from([folded, [data.draw(st.integers(0, 2)) for _ in range(n)]]))
    empty = any(not ms and s != o for ms, s, o in zip(members, starts, outputs))  # no body folds an empty source
    alike = any(members[i] == members[j] and starts[i] == starts[j] and outputs[i] != outputs[j] for i in range(n) for j in range(i))
    assert fold_can_fit(_source(members), _source(starts), outputs, agrees) == (not (empty or alike))
    assert fold_can_fit(_source(members), _source(starts), outputs, agrees, closed=False) == (not empty)  # a body reading the inputs
    if outputs is folded:
        assert fold_can_fit(_source(members), _source(starts), outputs, agrees)


def test_closed_folds_over_a_source_alike_on_two_examples_with_other_outputs_start_only_where_those_differ(monkeypatch) -> None:
    """`range(len(xs))` is one list on XS5's two examples of length 6, whose outputs differ: a constant start is refused."""
    outs = [sum(x - 1 for x in xs) % 5 for xs in XS5]
    assert len(XS5[1]) == len(XS5[2]) and outs[1] != outs[2]
    loops = _fold_search(outs)
    entries = {show(e.expr): e for c in range(1, 4) for es in loops.top.at(c).values() for e in es}
    span, xs = entries["range(len(xs))"], entries["xs"]
    consts = [e for e in loops.top.of_type(1, INT) if not e.special]
    assert consts and not any(fold_can_fit(span, e, outs, agrees) for e in consts)
    assert fold_can_fit(span, entries["xs[0]"], outs, agrees)  # 2 and 0 on the two examples: they start apart
    assert all(fold_can_fit(xs, e, outs, agrees) for e in consts)  # no two examples alike

    def run(check) -> tuple[list[str], Counter, Counter]:
        """The folds found up to cost 10, and the closed and open traces (example, members, start) made."""
        traces: dict[bool, Counter] = {True: Counter(), False: Counter()}
        real = LoopSearch._trace

        def spy(self, i, ctx, items, state, body, *rest):
            traces[ctx is _CLOSED][(i, items, state)] += 1
            return real(self, i, ctx, items, state, body, *rest)

        with monkeypatch.context() as m:
            m.setattr(LoopSearch, "_trace", spy)
            m.setattr(rootloops, "fold_can_fit", check)
            search = _fold_search(outs)
            found = [show(e) for c in range(1, 11) for e in search.candidates(c)]
        return found, traces[True], traces[False]

    found, closed, opened = run(fold_can_fit)
    found_all, closed_all, opened_all = run(lambda *args: True)  # every start tried
    assert "fold (s, x) -> (s + (x - 1)) mod 5 from 0 over xs" in found
    assert found == found_all and not opened - opened_all  # open bodies, which read xs, only from starts an empty source keeps
    assert not closed - closed_all and sum(closed.values()) < sum(closed_all.values())
    assert closed_all[(1, tuple(range(6)), 0)] > closed[(1, tuple(range(6)), 0)]  # e.g. range(len(xs)) from 0


def test_an_open_table_is_offered_only_the_bodies_that_read_an_input_in_the_closed_order() -> None:
    loops = _fold_search([sum(x - 1 for x in xs) % 5 for xs in XS5])
    domain = tuple(range(6))
    table = loops._fold_table(_source(XS5), INT, domain, False)
    for cost in range(1, 6):
        offered = list(loops._bodies(table.bank, cost, INT, domain, table))  # the level's rows inside first, then the rest
        every = loops._ordered_bodies(table.bank, cost, INT, domain)
        assert offered == [b for b in every if "xs" in ast.free_names(b.expr)]
        assert loops._ordered_bodies(table.bank, cost, INT, domain, table) == offered
        assert loops._ordered_bodies(table.bank, cost, INT, domain, table) is loops._ordered_bodies(
            table.bank, cost, INT, domain, table)  # one list per level
    assert offered and len(offered) < len(every)
