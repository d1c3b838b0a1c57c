"""Deduction: where the output says what a loop body must return, search the body directly.

As in lambda-squared, a loop at the root of a program whose output reveals
its body's results is not enumerated and checked: the body's own examples are
derived from the output, and the body is looked up by its value vector in a
body bank (observational equivalence makes that one dictionary look-up per
cost). Cases:

- a comprehension `[BODY for x in SRC]` (an index-wise loop is one over
  `range(...)`): output element j is BODY on member j of SRC, so the output
  must have SRC's length and BODY's vector is the outputs laid end to end;
- a scan `scan (s, x) -> BODY from INIT over SRC`: state k is output
  element k, so BODY's contexts are (member k, output k-1), with INIT for
  k = 0, and BODY's vector is again the outputs end to end. The state may be
  of any type (a record, a tuple, a list): the states come from the output.

- the recursive rule `forall c in SRC: f[KEY] = BODY` (rules.py): the
  labelled members say what BODY returns (the examples are the oracle for
  the recursive call too); unlabelled members leave holes, so those deduced
  examples are partial and each body of the cost is checked against them
  instead of looked up.

`BodyExamples` is that one mechanism: a body bank plus what the body must
return on its contexts, complete or partial. `GrownExamples` is its
counterexample-guided form for complete examples (Settings.deduce_contexts):
the bank starts on a few contexts, and a context the looked-up body gets wrong
joins it, so a body bank over hundreds of members stays as small as the
examples need.
"""

from __future__ import annotations

from typing import Iterator, Sequence, cast

from dsl import ast
from dsl.types import ListT, RecordT, Type
from dsl.values import Record, Value
from synth.search.bank import Bank, per_member
from synth.search.entry import Entry
from synth.search.grammar import Grammar
from synth.search.loops import fold_env, fresh_name, interpreted
from synth.search.recipes import value_at
from synth.search.special import ERROR, UNKNOWN, Special


class BodyExamples:
    """A loop body's deduced examples: the value it must return on (some of) its bank's contexts.

    Complete examples (a value for every context) find the body by one
    look-up of that vector; partial ones (`pairs` of context index and
    value, the others unconstrained) check each body of the cost, where a
    body value UNKNOWN (an unlabelled recursive call) refutes nothing and an
    ERROR anywhere refutes the body.
    """

    def __init__(self, bank: Bank, pairs: Sequence[tuple[int, Value]], complete: bool) -> None:
        self.bank = bank
        self.pairs = tuple(pairs)
        self.complete = complete and bank.prune
        self.want = tuple(v for _, v in self.pairs) if self.complete else None
        self.checked = 0

    def bodies(self, cost: int, typ: Type) -> Iterator[Entry]:
        """The bodies of exactly this cost that return what the examples say."""
        bodies = self.bank.of_type(cost, typ)  # (the level's other types are not built for this)
        if self.want is not None:
            self.checked += 1
            hit = self.bank.lookup(typ, self.want)
            if hit is not None and hit.cost == cost:
                yield hit
            elif hit is None and isinstance(typ, RecordT) and typ in self.bank.grammar.records:
                # A body bank builds no record literal: a record the bank holds no expression for (`ys[x]`,
                # `if C then s else y` are held) may be one, built field by field.
                yield from self._record(cost, typ, self.want)
            return
        for body in bodies:
            self.checked += 1
            if self._agrees(body):
                yield body

    def _record(self, cost: int, typ: RecordT, want: tuple) -> Iterator[Entry]:
        """A record body, deduced field by field: each field's own examples, each field looked up.

        The cheapest record body costs the record node plus the cheapest
        expression for each field; it is yielded at exactly that cost.
        """
        rest = cost - self.bank.grammar.weight("record")
        n = len(typ.fields)
        if rest < n or any(not isinstance(r, Record) for r in want):
            return
        self.bank.at(rest - n + 1)  # every field's cheapest expression is at most this dear
        parts = []
        for k, (_, ftype) in enumerate(typ.fields):
            self.checked += 1
            hit = self.bank.lookup(ftype, tuple(r.values[k] for r in want))
            if hit is None:
                return
            parts.append(hit)
        if sum(e.cost for e in parts) != rest:
            return
        names = typ.names
        expr = ast.RecordLit(tuple(zip(names, (e.expr for e in parts))))
        yield Entry(expr, typ, cost, want)

    def _agrees(self, body: Entry) -> bool:
        values = body.values
        if body.special and any(v is ERROR for v in values):
            return False
        for j, want in self.pairs:
            v = values[j]
            if v is not UNKNOWN and v != want:
                return False
        return True


class GrownExamples:
    """Complete deduced examples, searched on a growing subset of their contexts (CEGIS inside deduction).

    The bank holds the contexts in `used`. A look-up of the wanted values
    there gives the cheapest body that fits them; it is checked on every
    context, and where it is wrong, that context joins the bank (built again
    over the larger subset). The look-up is repeated
    until its body is right everywhere or nothing fits, so the body found is
    one a bank over every context would find at that cost (in a tie of equal
    cost, possibly another equally right one).
    """

    def __init__(self, top: Bank, env: dict, contexts: list[dict], examples: Sequence[int], want: tuple,
                 first: int, grammar: Grammar | None = None) -> None:
        """`grammar`: the body bank's, if not the top bank's."""
        self.grammar = top.grammar if grammar is None else grammar
        self.contexts = contexts
        self.want = want
        self.used = _round_robin(examples, first)
        self.top = top
        self.env = env
        self.bank = self._new_bank()
        self.fuel = top.budget.settings.body_fuel

    def bodies(self, cost: int, typ: Type) -> Iterator[Entry]:
        """The body of exactly this cost that gives the wanted value on every context, if the cheapest one costs that."""
        bank = self.bank
        while True:
            want = tuple(self.want[j] for j in self.used)
            hit = None
            if len(bank.levels) <= cost:  # level `cost` not built: a body indexing a list may be found without it
                bank.at(cost - 1)
                hit = bank.lookup(typ, want)
                if hit is None:
                    found = bank.first_indexed(cost, typ, want)
                    hit = found if isinstance(found, Entry) else None
            if hit is None:
                bank.of_type(cost, typ)
                hit = bank.lookup(typ, want)
            if hit is None:
                return
            miss = self._miss(hit)
            if miss is None:
                if hit.cost == cost:
                    yield hit
                return
            self.used.append(miss)
            self.top.budget.stored_values -= bank.stored  # its values go with it
            bank = self.bank = self._new_bank()

    def _new_bank(self) -> Bank:
        """A bank over the contexts in `used`: built anew on a counterexample.

        (`Bank.extend` would keep the levels the new context does not split,
        but an extensible bank records every dropped candidate, which costs
        more on these banks than building the few cheap levels again.)
        """
        top = self.top
        bank = Bank(self.env, [self.contexts[j] for j in self.used], self.grammar, top.budget, prune=top.prune,
                    operators=top.operators, depth=top.depth - 1)
        bank.keep_recipes = True  # a found body is checked on the other contexts from its recipe
        return bank

    def _miss(self, body: Entry) -> int | None:
        """The first context outside the bank where the body is not what the examples want."""
        inside = set(self.used)
        for j, (ctx, want) in enumerate(zip(self.contexts, self.want)):
            if j not in inside and self._value(body, ctx) != want:
                return j
        return None

    def _value(self, body: Entry, ctx: dict) -> Value | Special:
        out = value_at(body, ctx)
        return interpreted(self.env, body.expr, self.fuel)(ctx) if out is None else out  # None: a loop inside


def _round_robin(examples: Sequence[int], first: int) -> list[int]:
    """`first` context indices: every example's first member, then every example's second, and so on.

    `examples[j]` is the example context j belongs to; an example's contexts are consecutive.
    """
    runs: list[list[int]] = []
    for j, i in enumerate(examples):
        if not runs or examples[runs[-1][0]] != i:
            runs.append([])
        runs[-1].append(j)
    order = [run[k] for k in range(max(map(len, runs), default=0)) for run in runs if k < len(run)]
    return order[:first]


class Deduction:
    """Root loops of a given cost whose body is found from the output's deduced examples."""

    def __init__(self, top: Bank, output_type: Type, outputs: Sequence[Value], comp_bank=None) -> None:
        self.top = top
        # Comprehension body banks may be shared with the root loop search (same contexts).
        self._shared_comp_bank = comp_bank
        self.output_type = output_type
        # Read only after `candidates` has checked that every output is a list (a tuple).
        self.outputs = cast("list[tuple]", list(outputs))
        self._scan_banks: dict = {}
        self._comp_banks: dict = {}
        self._comp_examples_of: dict = {}  # source -> the comprehension body's examples

    def candidates(self, c: int) -> Iterator[ast.Expr]:
        out = self.output_type
        if not isinstance(out, ListT) or not all(isinstance(o, tuple) for o in self.outputs):
            return
        kinds = self.top.grammar.loops
        if "comp" in kinds:
            yield from self._comps(c, out.item)
        if "scan" in kinds:
            yield from self._scans(c, out.item)

    def _sources(self, cost: int) -> list[Entry]:
        return [e for t, es in list(self.top.at(cost).items()) if isinstance(t, ListT) for e in es if not e.special]

    def _expected(self, src: Entry) -> tuple | None:
        """The outputs end to end, if every output has its source's length."""
        flat: list = []
        for members, out in zip(src.values, self.outputs):
            if len(members) != len(out):
                return None
            flat.extend(out)
        return tuple(flat)

    def _functional(self, src: Entry, states: Entry | None = None) -> bool:
        """False when two runs of the body see the same values but must return different ones.

        Such deduced examples refute every body at once (lambda-squared's
        check): a body over `xs` that must map the same token to two
        different outputs of one example cannot exist.
        """
        for i, (members, out) in enumerate(zip(src.values, self.outputs)):
            seen: dict = {}
            for k, (m, want) in enumerate(zip(members, out)):
                if states is not None:
                    m = (m, states.values[i] if k == 0 else out[k - 1])
                try:
                    if seen.setdefault(m, want) != want:
                        return False
                except TypeError:  # an unhashable member: no refutation
                    return True
        return True

    def _comps(self, c: int, item_type: Type) -> Iterator[ast.Expr]:
        rest = c - self.top.grammar.weight("comp")
        for cs in range(1, rest):
            for src in self._sources(cs):
                want = self._expected(src)
                if want is None or not self._functional(src):
                    continue
                examples, var = self._comp_examples(src, want, item_type)
                for hit in examples.bodies(rest - cs, item_type):
                    yield ast.Comp(var, src.expr, hit.expr)

    def _comp_examples(self, src: Entry, want: tuple, item_type: Type) -> tuple[BodyExamples | GrownExamples, str]:
        key = (src.type, src.values)
        if key not in self._comp_examples_of:
            var = fresh_name("x", self.top.env_types)  # as comp_bank names it
            first = self.top.budget.settings.deduce_contexts
            found: BodyExamples | GrownExamples
            if first is not None and self.top.prune and len(want) > first and not isinstance(item_type, RecordT):
                env = {**self.top.env_types, var: src.type.item}  # type: ignore[attr-defined]
                contexts = [{**ctx, var: m} for ctx, members in zip(self.top.contexts, src.values) for m in members]
                examples = [i for i, members in enumerate(src.values) for _ in members]
                found = GrownExamples(self.top, env, contexts, examples, want, first)
            else:  # (a record body is deduced field by field, on every context)
                found = BodyExamples(self.comp_bank(src)[0], list(enumerate(want)), complete=True)
            self._comp_examples_of[key] = (found, var)
        return self._comp_examples_of[key]

    def comp_bank(self, src: Entry) -> tuple[Bank, str]:
        """A body bank over exactly the members of `src`, so that the body's vector is the output's."""
        if self._shared_comp_bank is not None:
            bank, var, _ = self._shared_comp_bank(src)
            return bank, var
        key = (src.type, src.values)
        if key not in self._comp_banks:
            var = fresh_name("x", self.top.env_types)
            bank, _, _ = per_member(self.top, src, var)
            self._comp_banks[key] = (bank, var)
        return self._comp_banks[key]

    def _scan_examples(self, src: Entry, init: Entry, state_type: Type, want: tuple) -> tuple[BodyExamples | GrownExamples, str, str]:
        """The scan body's examples: contexts (member k, state k-1 from the output, INIT for k = 0), want output k.

        Grown from a few contexts (`GrownExamples`), as a comprehension's are,
        unless the state is a record (deduced field by field, on every context).
        Until the probe (Settings.probe_values), the full scan banks' values
        were what brought the freeze after which odds_first's composition was
        found, so grown banks made that task twice as slow; the probe finds it
        before either.
        """
        key = (src.type, src.values, init.values, state_type)
        if key not in self._scan_banks:
            top = self.top
            env, svar, xvar = fold_env(top, src.type.item, state_type)  # type: ignore[attr-defined]
            contexts = []
            examples = []
            for i, (ctx, members, start, out) in enumerate(zip(top.contexts, src.values, init.values, self.outputs)):
                for k, member in enumerate(members):
                    contexts.append({**ctx, svar: start if k == 0 else out[k - 1], xvar: member})
                    examples.append(i)
            first = top.budget.settings.deduce_contexts
            found: BodyExamples | GrownExamples
            if first is not None and top.prune and len(want) > first and not isinstance(state_type, RecordT):
                found = GrownExamples(top, env, contexts, examples, want, first)
            else:
                bank = Bank(env, contexts, top.grammar, top.budget, prune=top.prune,
                            operators=top.operators, depth=top.depth - 1)
                found = BodyExamples(bank, list(enumerate(want)), complete=True)
            self._scan_banks[key] = (found, svar, xvar)
        return self._scan_banks[key]

    def _scans(self, c: int, state_type: Type) -> Iterator[ast.Expr]:
        top = self.top
        rest = c - top.grammar.weight("scan")
        for cs in range(1, rest - 1):
            for src in self._sources(cs):
                want = self._expected(src)
                if want is None:
                    continue
                for ci in range(1, rest - cs):
                    for init in top.of_type(ci, state_type):
                        if init.special or not self._functional(src, init):
                            continue
                        examples, svar, xvar = self._scan_examples(src, init, state_type, want)
                        for hit in examples.bodies(rest - cs - ci, state_type):
                            yield ast.Fold(svar, xvar, hit.expr, init.expr, src.expr, scan=True)
