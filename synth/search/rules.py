"""The recursive-rule skeleton: `forall c in SRC: f[KEY] = BODY`.

Chosen top-down when the task's output is a map (LEGO labels each variable).
SRC comes from the top-level bank; KEY and BODY are enumerated bottom-up over
one context per member of SRC in every example. Inside BODY, `f` is the
examples' labels (an `Oracle`): the labels are BODY's deduced examples
(`deduce.BodyExamples`, the same mechanism as a map's or a scan's), and a body
is checked locally, member by member, against them before the whole program is run. Labels that
the examples leave out (partial supervision) are UNKNOWN and refute nothing;
running the whole program settles those. Since a member reading its own key
is a cycle, each KEY gets its own body bank, whose oracle knows that key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator, Sequence

from dsl import ast
from dsl.check import infer
from dsl.errors import DslTypeError
from dsl.types import ListT, MapT, RecordT, Type
from dsl.values import MapValue, Value
from synth.search.bank import Bank, per_member
from synth.search.deduce import BodyExamples
from synth.search.entry import Entry
from synth.search.loops import fresh_name
from synth.search.semantics import Oracle


@dataclass
class _Members:
    """The per-member contexts for one SRC: a key bank, and a body bank per usable key."""

    keys: Bank
    var: str
    contexts: list[dict]
    slices: list[tuple[int, int]]
    bodies: dict = field(default_factory=dict)


@dataclass(frozen=True)
class _KeyCheck:
    """A usable KEY: the body's examples it implies (the labels of the members' keys), in its body bank."""

    examples: BodyExamples


class RuleSearch:
    """Yields locally consistent rules of total cost c, in a fixed order."""

    def __init__(self, top: Bank, outputs: Sequence[Value], map_type: MapT, fname: str = "val") -> None:
        self.top = top
        self.outputs = outputs
        self.map_type = map_type
        self.fname = fresh_name(fname, top.env_types)
        self._members: dict = {}
        self._key_checks: dict[int, _KeyCheck | None] = {}

    @property
    def local_checks(self) -> int:
        """Bodies checked against the labels, before any whole program was run."""
        return sum(k.examples.checked for k in self._key_checks.values() if k is not None)

    def _labels(self, out: Value):
        return out if isinstance(out, MapValue) else {}

    def _members_for(self, src: Entry) -> _Members:
        if src.values not in self._members:
            var = fresh_name("c", {**self.top.env_types, self.fname: None})
            keys, contexts, slices = per_member(self.top, src, var)
            self._members[src.values] = _Members(keys, var, contexts, slices)
        return self._members[src.values]

    def _body_bank(self, members: _Members, key: Entry) -> Bank:
        if key.values not in members.bodies:
            top = self.top
            env = dict(members.keys.env_types)
            env[self.fname] = self.map_type
            contexts = []
            for (a, b), out in zip(members.slices, self.outputs):
                labels = self._labels(out)
                defined = frozenset(key.values[a:b])
                for j in range(a, b):
                    bc = dict(members.contexts[j])
                    bc[self.fname] = Oracle(labels, key.values[j], defined)
                    contexts.append(bc)
            bank = members.bodies[key.values] = Bank(env, contexts, top.grammar, top.budget, prune=top.prune)
            bank.unknowns_apart = True
        return members.bodies[key.values]

    def _key_check(self, key: Entry, members: _Members) -> _KeyCheck | None:
        """None when KEY cannot work: a failing key, a repeated key, or a labelled variable no member defines."""
        if id(key) in self._key_checks:
            return self._key_checks[id(key)]
        result: _KeyCheck | None = None
        if not key.special:
            labelled: list[tuple[int, Value]] = []
            ok = True
            for (a, b), out in zip(members.slices, self.outputs):
                ks = key.values[a:b]
                labels = self._labels(out)
                if len(set(ks)) != len(ks) or not set(labels).issubset(ks):
                    ok = False
                    break
                labelled.extend((j, labels[key.values[j]]) for j in range(a, b) if key.values[j] in labels)
            if ok:
                result = _KeyCheck(BodyExamples(self._body_bank(members, key), labelled, complete=False))
        self._key_checks[id(key)] = result
        return result

    def candidates(self, c: int) -> Iterator[ast.Rule]:
        """Rules of total cost c whose body agrees with every label it can be checked against."""
        rest = c - self.top.grammar.weight("rule")
        want = self.map_type
        for cs in range(1, rest - 1):
            for styp, srcs in list(self.top.at(cs).items()):
                if not (isinstance(styp, ListT) and isinstance(styp.item, RecordT)):
                    continue
                for src in srcs:
                    if src.special:
                        continue
                    members = self._members_for(src)
                    for ck in range(1, rest - cs):
                        for key in members.keys.of_type(ck, want.key):
                            check = self._key_check(key, members)
                            if check is None:
                                continue
                            for body in check.examples.bodies(rest - cs - ck, want.value):
                                rule = ast.Rule(self.fname, members.var, src.expr, key.expr, body.expr)
                                if self._typed(rule):
                                    yield rule

    def _typed(self, rule: ast.Rule) -> bool:
        """Whether the checker takes the rule: a body that only looks the map up (`val[c.rhs]`, both
        branches of an `if` doing so) says nothing of its values' type, and is refused. Its labels
        cannot refute it where they leave the members it reads unlabelled (helper audit: a traceback)."""
        try:
            infer(rule, self.top.env_types)
        except DslTypeError:
            return False
        return True


def map_output(output_type: Type) -> MapT | None:
    return output_type if isinstance(output_type, MapT) else None
