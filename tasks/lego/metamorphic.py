"""Metamorphic checks: LEGO's exact symmetries, applied to any predictor.

Three transformations of a sentence, each with the exact law relating the
values of the transformed sentence to those of the original:

permute  shuffle the clauses: every value is unchanged;
rename   rename the variables by a bijection s: val'(s(x)) = val(x);
act      replace each root literal v by g * v (g a non-identity element):
         every variable x below that root gets val'(x) = val(x) * (v^-1 g v),
         since val(x) = P v for the product P of the ops along its path.
         For an abelian group (Z2, Z<n>) that is g * val(x): in Z2, flipping
         the root flips every value.

A predictor (any callable from a list of sentences to a list of label dicts)
is *consistent* on a variable when its prediction on the transformed sentence
is what the law makes of its prediction on the original, whether or not
either prediction is right. A program that computes the values exactly is
consistent everywhere; a model that leans on clause positions or names is not.
"""

from __future__ import annotations

import string
from collections import deque
from dataclasses import dataclass, field
from typing import AbstractSet, Any, Callable, Iterable, Iterator, Mapping, Sequence, Union

import numpy as np

from dsl.errors import DslRuntimeError, UserError
from dsl.groups import Elem
from tasks.args import whole_number
from tasks.lego.errors import LegoDataError
from tasks.lego.sentence import Clause, LegoRecord, Sentence

TRANSFORMATIONS = ("permute", "rename", "act")
ID_SEPARATOR = "~"  # transformed record ids read `<original id>~<transformation>`

Labels = Mapping[str, Elem]
# One answer: the values, or None or the error raised when the predictor failed on the sentence.
Answer = Union[Labels, None, Exception]
BatchPredictor = Callable[[list[Sentence]], Sequence[Answer]]
FAILURES_KEPT = 100  # failures listed in a report; all are counted


@dataclass(frozen=True)
class Law:
    """How values on the transformed sentence follow from values on the original.

    `rename` maps original variable -> transformed variable (identity if None);
    `right` maps original variable -> c with value' = value * c (unchanged if absent).
    """

    rename: Mapping[str, str] | None = None
    right: Mapping[str, Elem] | None = None

    def apply(self, values: Labels) -> dict[str, Elem]:
        """The values the transformed sentence must have, given the original's."""
        out = {}
        for var, v in values.items():
            name = self.rename.get(var, var) if self.rename else var
            c = self.right.get(var) if self.right else None
            out[name] = v if c is None else v * c
        return out


@dataclass(frozen=True)
class Transformed:
    """A transformed sentence together with its law."""

    name: str
    sentence: Sentence
    law: Law

    def record(self, original: LegoRecord, base_id: str) -> LegoRecord:
        """The transformed record: labels moved by the law, id `<base_id>~<name>`."""
        query = original.query
        if query is not None and self.law.rename:
            query = self.law.rename.get(query, query)
        return LegoRecord(self.sentence, self.law.apply(original.labels), f"{base_id}{ID_SEPARATOR}{self.name}", query)


def _root_of(sentence: Sentence) -> dict[str, str]:
    """The root variable above every variable (variables on a cycle or below an undefined one are left out)."""
    parent = {c.lhs: c.rhs for c in sentence.clauses}
    root: dict[str, str] = {}
    for c in sentence.clauses:
        path = []
        seen = set()
        x: str | None = c.lhs
        found = None
        while x is not None and x in parent and x not in seen:
            if x in root:
                found = root[x]
                break
            seen.add(x)
            path.append(x)
            if parent[x] is None:
                found = x
                break
            x = parent[x]
        if found is not None:
            for y in path:
                root[y] = found
    return root


def permute_clauses(sentence: Sentence, rng: np.random.Generator) -> Transformed:
    """Shuffle the clauses (a different order whenever there are two or more)."""
    n = len(sentence.clauses)
    order = rng.permutation(n)
    if n > 1 and all(int(i) == k for k, i in enumerate(order)):
        order = np.roll(order, 1)
    clauses = tuple(sentence.clauses[int(i)] for i in order)
    return Transformed("permute", Sentence(sentence.group, clauses), Law())


def rename_variables(sentence: Sentence, rng: np.random.Generator) -> Transformed:
    """Rename variables by a random bijection.

    Sentences named with single letters (the paper's a-z) are renamed into
    a-z, so the result can be written in every syntax; others get a
    permutation of their own names.
    """
    names = list(sentence.variables)
    letters = string.ascii_lowercase
    if len(names) <= len(letters) and all(len(x) == 1 and x in letters for x in names):
        pool = list(letters)
    else:
        pool = sorted(set(names))
    chosen = [pool[int(i)] for i in rng.permutation(len(pool))[: len(names)]]
    if len(names) > 1 and chosen == names:
        chosen = chosen[1:] + chosen[:1]
    mapping = dict(zip(names, chosen))
    clauses = tuple(
        Clause(mapping[c.lhs], c.op, None if c.rhs is None else mapping.get(c.rhs, c.rhs)) for c in sentence.clauses
    )
    return Transformed("rename", Sentence(sentence.group, clauses), Law(rename=mapping))


def act_on_root(sentence: Sentence, rng: np.random.Generator, g: Elem | None = None) -> Transformed:
    """Replace each root literal v by g * v, g a random non-identity element unless given."""
    group = sentence.group
    if g is None:
        n = len(group)
        # a random non-identity element without listing the group (Z<n> may be large)
        k = int(rng.integers(n - 1)) if n > 1 else 0
        g = group.elements[k + (k >= group.identity_index)] if n > 1 else group.identity
    clauses = tuple(Clause(c.lhs, g * c.op, None) if c.rhs is None else c for c in sentence.clauses)
    new = Sentence(group, clauses)
    return Transformed("act", new, _act_law(sentence, new))


def _act_law(original: Sentence, transformed: Sentence) -> Law:
    """value' = value * (v^-1 v') for every variable below a root whose literal changed from v to v'."""
    group = original.group
    literal = {c.lhs: c.op for c in original.clauses if c.rhs is None}
    new_literal = {c.lhs: c.op for c in transformed.clauses if c.rhs is None}
    factor = {r: group.inverse(v) * new_literal[r] for r, v in literal.items() if r in new_literal}
    return Law(right={x: factor[r] for x, r in _root_of(original).items() if r in factor})


_TRANSFORMS: dict[str, Callable[[Sentence, np.random.Generator], Transformed]] = {
    "permute": permute_clauses,
    "rename": rename_variables,
    "act": act_on_root,
}


def transform(name: str, sentence: Sentence, rng: np.random.Generator) -> Transformed:
    """Apply the transformation called `name` (one of TRANSFORMATIONS)."""
    try:
        return _TRANSFORMS[name](sentence, rng)
    except KeyError:
        raise LegoDataError(f"unknown transformation {name!r} (known: {', '.join(TRANSFORMATIONS)})") from None


def infer_law(name: str, original: Sentence, transformed: Sentence) -> Law:
    """Recover the law from a pair of sentences written out by `transformed_records`.

    Writers keep clause order, so `rename` and `act` are read clause by
    clause; `permute` only needs the same clauses in any order.
    """
    a, b = original.clauses, transformed.clauses
    if len(a) != len(b):
        raise LegoDataError(f"{name}: the transformed sentence has {len(b)} clauses, the original {len(a)}")
    if name == "permute":
        if sorted(map(_clause_key, a)) != sorted(map(_clause_key, b)):
            raise LegoDataError("permute: the transformed sentence does not have the original's clauses")
        return Law()
    if name == "rename":
        mapping: dict[str, str] = {}
        for k, (x, y) in enumerate(zip(a, b), 1):
            if x.op != y.op or x.root != y.root:
                raise LegoDataError("rename: clauses differ in more than their names", clause=k)
            mapping[x.lhs] = y.lhs
        for k, (x, y) in enumerate(zip(a, b), 1):
            if x.rhs is not None and mapping.get(x.rhs, x.rhs) != y.rhs:
                raise LegoDataError("rename: the renaming is not the same in every clause", clause=k)
        if len(set(mapping.values())) != len(mapping):
            raise LegoDataError("rename: two variables were given the same name")
        return Law(rename=mapping)
    if name == "act":
        for k, (x, y) in enumerate(zip(a, b), 1):
            if x.lhs != y.lhs or x.rhs != y.rhs or (x.rhs is not None and x.op != y.op):
                raise LegoDataError("act: only root literals may change", clause=k)
        return _act_law(original, transformed)
    raise LegoDataError(f"unknown transformation {name!r} (known: {', '.join(TRANSFORMATIONS)})")


def _clause_key(c: Clause) -> tuple:
    return (c.lhs, c.op.index, c.rhs or "")


# --- consistency ---------------------------------------------------------------


@dataclass(frozen=True)
class Rate:
    """`consistent` out of `count`; the fraction is None when nothing was checked."""

    consistent: int
    count: int

    @property
    def fraction(self) -> float | None:
        return self.consistent / self.count if self.count else None

    def to_dict(self) -> dict[str, Any]:
        return {"rate": self.fraction, "consistent": self.consistent, "count": self.count}


@dataclass(frozen=True)
class Failure:
    """A sentence the predictor gave no answer for (it raised, or returned nothing): failed, so not checked."""

    record: int  # 1-based number of the original record
    copy: str  # "original", or the transformation whose copy failed
    where: str | None = None  # FILE:LINE of the record, when read from a file
    error: str | None = None  # the predictor's error, when it raised one

    def to_dict(self) -> dict[str, Any]:
        return {"record": self.record, "copy": self.copy, "where": self.where, "error": self.error}


def no_answer(answer: Answer, sentence: Sentence) -> bool:
    """No answer: None, an error, or an empty answer about a sentence that has variables."""
    return answer is None or isinstance(answer, Exception) or (not answer and bool(sentence.clauses))


@dataclass(frozen=True)
class TransformConsistency:
    """Consistency under one transformation: per variable and per whole sentence, overall and by length.

    `failed` pairs (the predictor gave no answer on the original or the copy)
    are in no rate: a failure is neither consistent nor inconsistent. A
    variable answered on one side of a pair but not the other (or on
    neither) is `unanswered`: not checked, whichever side lacks it, and its
    sentence is left out of the sentence rate, so a partial answer can never
    pass for consistency on a fraction of the variables.
    """

    name: str
    variables: Rate
    sentences: Rate
    by_length: Mapping[int, Rate]
    sentences_by_length: Mapping[int, Rate]
    failed: int = 0
    unanswered: int = 0  # variables of answered pairs not checked: the original or the copy does not answer them
    unanswered_sentences: int = 0  # pairs with an unanswered variable, left out of the sentence rate

    def to_dict(self) -> dict[str, Any]:
        return {
            "variables": self.variables.to_dict(),
            "sentences": self.sentences.to_dict(),
            "failed": self.failed,
            "unanswered": self.unanswered,
            "unanswered_sentences": self.unanswered_sentences,
            "by_length": {str(k): r.to_dict() for k, r in sorted(self.by_length.items())},
            "sentences_by_length": {str(k): r.to_dict() for k, r in sorted(self.sentences_by_length.items())},
        }


@dataclass(frozen=True)
class ConsistencyReport:
    """Consistency of one predictor under each transformation."""

    transformations: Mapping[str, TransformConsistency]
    records: int
    seed: int | None = None
    failed: int = 0  # records on whose original or a copy the predictor failed
    failures: tuple[Failure, ...] = ()  # the first FAILURES_KEPT of them
    partial: int = 0  # records whose original or a copy was answered for some of its variables only
    first_partial: str | None = None  # where the first of them is (FILE:LINE, or record K)

    @property
    def fully_consistent(self) -> bool:
        """Consistent on every pair checked, and no pair or variable left unchecked by a failure or a partial answer."""
        return not self.failed and not self.partial and all(t.variables.consistent == t.variables.count for t in self.transformations.values())

    def to_dict(self) -> dict[str, Any]:
        return {
            "records": self.records,
            "seed": self.seed,
            "fully_consistent": self.fully_consistent,
            "failed": self.failed,
            "failures": [f.to_dict() for f in self.failures],
            "partial": self.partial,
            "first_partial": self.first_partial,
            "transformations": {k: t.to_dict() for k, t in self.transformations.items()},
        }

    def format_text(self, shown: int = 10) -> str:
        """The report `synth invariance` prints; the first `shown` failures are listed."""
        lines = [f"records: {self.records:,}" + (f" (seed {self.seed})" if self.seed is not None else "")]
        for name, t in self.transformations.items():
            lines.append(
                f"{name}: variables {_pct(t.variables)}, sentences {_pct(t.sentences)}"
                + (f", failed {t.failed:,}" if t.failed else "")
                + (f", unanswered variables {t.unanswered:,} (in {counted(t.unanswered_sentences, 'sentence')}, left out)" if t.unanswered else "")
            )
            for n, r in sorted(t.by_length.items()):
                s = t.sentences_by_length.get(n, Rate(0, 0))
                lines.append(f"  length {n:>4}: variables {_pct(r)}, sentences {_pct(s)}")
        if self.failed:
            lines.append(f"the predictor failed on {self.failed:,} of {self.records:,} records (neither consistent nor inconsistent: not checked):")
            listed = _by_record(self.failures)
            lines += [f"  {line}" for line in listed[:shown]]
            if self.failed > min(shown, len(listed)):
                lines.append(f"  ... and {self.failed - min(shown, len(listed)):,} more (--json lists the failures of the first records)")
        if self.partial:
            lines.append(
                f"the predictor answered only some variables of {self.partial:,} of the {counted(self.records, 'record')} "
                f"(the first: {self.first_partial}): those variables are not checked"
            )
        if self.fully_consistent:
            lines.append("fully consistent")
        else:
            why = "the predictor failed" if self.failed else "variables unanswered" if self.partial and self._consistent_where_checked() else "inconsistent under some transformation"
            lines.append("NOT fully consistent: " + why)
        return "\n".join(lines)

    def _consistent_where_checked(self) -> bool:
        return all(t.variables.consistent == t.variables.count for t in self.transformations.values())


def counted(n: int, one: str) -> str:
    """`n` and a noun in the number it takes: 1 sentence, 2 sentences."""
    return f"{n:,} {one if n == 1 else one + 's'}"


def _by_record(failures: Sequence[Failure]) -> list[str]:
    """One line per record: where, which sentences failed, the first error."""
    lines = []
    for k, f in enumerate(failures):
        if k and failures[k - 1].record == f.record:
            continue
        same = [g for g in failures[k:] if g.record == f.record]
        copies = [g.copy for g in same if g.copy != "original"]
        what = ["the original sentence"] if same[0].copy == "original" else []
        if copies:
            what.append(f"its {', '.join(copies)} cop{'y' if len(copies) == 1 else 'ies'}")
        error = next((g.error for g in same if g.error), None) or "no answer"
        lines.append(f"{f.where or f'record {f.record}'}: failed on {' and '.join(what)}: {error}")
    return lines


def _pct(r: Rate) -> str:
    return "-" if r.fraction is None else f"{r.fraction:.4f} ({r.consistent}/{r.count})"


@dataclass
class ConsistencyCounter:
    """Counts consistency as pairs arrive; `report()` freezes them. Memory: counters only."""

    names: tuple[str, ...] = TRANSFORMATIONS
    _vars: dict[str, dict[int, list[int]]] = field(default_factory=dict)
    _sents: dict[str, dict[int, list[int]]] = field(default_factory=dict)
    _failed: dict[str, int] = field(default_factory=dict)
    _unanswered: dict[str, list[int]] = field(default_factory=dict)  # transformation -> [variables, sentences] not checked
    records: int = 0
    failed: int = 0
    failures: list[Failure] = field(default_factory=list)
    partial: int = 0
    first_partial: str | None = None

    def add_record(self, number: int, original: Sentence, before: Answer, copies: Iterable[tuple[str, Law, Answer]], where: str | None = None) -> None:
        """One original with its (transformation, law, answer) copies: each pair checked, each failure counted and kept.

        An answer that breaks the contract (see `check_answer`) is a
        LegoDataError naming the record, the copy and the variable.
        """
        copies = list(copies)
        check_answer(before, original, number, "original", where)
        for name, _, after in copies:
            check_answer(after, original, number, name, where)
        self.records += 1
        found = [Failure(number, "original", where, _error(before))] if no_answer(before, original) else []
        partial = False
        for name, law, after in copies:
            if no_answer(after, original):
                found.append(Failure(number, name, where, _error(after)))
            partial |= self.add(name, original, before, law, after)
        if partial:
            self.partial += 1
            if self.first_partial is None:
                self.first_partial = where or f"record {number}"
        if found:
            self.failed += 1
            self.failures.extend(found[: max(0, FAILURES_KEPT - len(self.failures))])

    def add(self, name: str, original: Sentence, before: Answer, law: Law, after: Answer) -> bool:
        """Check one transformed prediction `after` against the law applied to `before`; True if a variable went unanswered.

        A variable is checked when both sides answer it; one that either
        side leaves unanswered is counted as unanswered (the same whichever
        side lacks it). Its sentence is left out of the sentence rate when
        every checked variable is consistent (undecided), and counted
        inconsistent when one is not (one inconsistency decides it).
        A pair where either answer failed (see `no_answer`) is counted as
        failed, not checked.
        """
        if no_answer(before, original) or no_answer(after, original):
            self._failed[name] = self._failed.get(name, 0) + 1
            return False
        assert isinstance(before, Mapping) and isinstance(after, Mapping)
        n = len(original.clauses)
        known = set(original.variables)
        expected = law.apply({x: v for x, v in before.items() if x in known})
        checked = [(x, v) for x, v in expected.items() if x in after]
        ok = sum(after[x] == v for x, v in checked)
        cell = self._vars.setdefault(name, {}).setdefault(n, [0, 0])
        cell[0] += ok
        cell[1] += len(checked)
        unanswered = len(known) - len(checked)
        if unanswered:
            missing = self._unanswered.setdefault(name, [0, 0])
            missing[0] += unanswered
        if unanswered and ok == len(checked):  # every checked variable consistent, some unchecked: undecided, left out
            missing[1] += 1
            return True
        cell = self._sents.setdefault(name, {}).setdefault(n, [0, 0])  # decided: whole, or one inconsistency is enough
        cell[0] += ok == len(checked) and not unanswered
        cell[1] += 1
        return bool(unanswered)

    def report(self, seed: int | None = None) -> ConsistencyReport:
        out = {}
        for name in self.names:
            v = {k: Rate(*c) for k, c in sorted(self._vars.get(name, {}).items())}
            s = {k: Rate(*c) for k, c in sorted(self._sents.get(name, {}).items())}
            out[name] = TransformConsistency(
                name,
                Rate(sum(r.consistent for r in v.values()), sum(r.count for r in v.values())),
                Rate(sum(r.consistent for r in s.values()), sum(r.count for r in s.values())),
                v,
                s,
                self._failed.get(name, 0),
                *self._unanswered.get(name, (0, 0)),
            )
        return ConsistencyReport(out, self.records, seed, self.failed, tuple(self.failures), self.partial, self.first_partial)


def check_answer(answer: object, sentence: Sentence, number: int, copy: str = "original", where: str | None = None) -> None:
    """Refuse an answer that is not None, an exception, or a mapping from variable names to elements of `sentence`'s group.

    The laws compose answers with group elements (`act`) and compare them
    with `==`: a plain 0/1 or +1/-1 answer would be a TypeError deep in
    `Law.apply` under `act`, and under `permute` and `rename` ints compared
    with ints would be scored without a word, so the contract is checked
    as answers arrive. `number` (1-based) and `copy` ("original" or the
    transformation) say which sentence the answer is about.
    """
    if answer is None or isinstance(answer, Exception):
        return
    about = f"{where}: " if where else ""
    about += f"the predictor's answer for record {number}" + ("" if copy == "original" else f" (its {copy} copy)")
    if not isinstance(answer, Mapping):
        raise LegoDataError(
            f"{about} is {_kind(answer)}, not a mapping from variable to group element "
            "(or None where the predictor failed)"
        )
    group = sentence.group
    for var, value in answer.items():
        if not isinstance(var, str):
            raise LegoDataError(f"{about} has the key {var!r} ({type(var).__name__}), not a variable name (a string)")
        if not isinstance(value, Elem):
            raise LegoDataError(
                f"{about}, variable {var!r}, is {_kind(value)}, not an element of {group.name} "
                "(answer group elements, e.g. sentence.group.elements[i]; synth.consistency reads 0/1 or +1/-1 answers)"
            )
        if value.group.name != group.name:
            raise LegoDataError(f"{about}, variable {var!r}, is {value!r}, an element of {value.group.name}, but the sentence is over {group.name}")


def _kind(value: object) -> str:
    """A value as an error shows it: its type and a short repr."""
    text = repr(value)
    return f"{type(value).__name__} {text if len(text) <= 40 else text[:40] + '...'}"


class RecordedError(Exception):
    """A failure already described where it happened (a predictions line's "error"): shown as it is, without a type."""


def _error(answer: Answer) -> str | None:
    """The message of the error a predictor raised; a Python error (a user's model's) keeps its type: "ZeroDivisionError: ..."."""
    if not isinstance(answer, Exception):
        return None
    return str(answer) if isinstance(answer, (UserError, RecordedError)) else f"{type(answer).__name__}: {answer}"


def per_sentence(predict: Callable[[Sentence], Labels]) -> BatchPredictor:
    """A batch predictor from a one-sentence one; a run-time error is that sentence's failure, kept with its message."""

    def batch(sentences: list[Sentence]) -> list[Answer]:
        out: list[Answer] = []
        for s in sentences:
            try:
                out.append(predict(s))
            except DslRuntimeError as err:
                out.append(err)
        return out

    return batch


def _as_record(x: LegoRecord | Sentence, number: int) -> LegoRecord:
    if isinstance(x, LegoRecord):
        return x
    if isinstance(x, Sentence):
        return LegoRecord(x, {})
    raise LegoDataError(f"record {number}: expected a LegoRecord or a Sentence (read files with read_records, "
                        f"or build records with synth.record), not {type(x).__name__} {x!r:.60}")


def _batches(items: Iterable, size: int) -> Iterator[list]:
    batch: list = []
    for x in items:
        batch.append(x)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def transformed_records(
    records: Iterable[LegoRecord | Sentence],
    seed: int,
    transformations: Iterable[str] | None = TRANSFORMATIONS,
) -> Iterator[tuple[LegoRecord, list[Transformed]]]:
    """Each record (given an id if it had none: its 1-based number) with its transformations.

    One generator seeded by `seed` draws every transformation in a fixed
    order, so the output is the same on every run.
    """
    names = check_transformations((transformations,) if isinstance(transformations, str) else transformations)  # one name, not its letters
    rng = np.random.default_rng(whole_number("seed", seed))
    for i, item in enumerate(records, 1):
        rec = _as_record(item, i)
        if rec.id is None:
            rec = LegoRecord(rec.sentence, rec.labels, str(i), rec.query)
        yield rec, [_TRANSFORMS[name](rec.sentence, rng) for name in names]


def check_transformations(transformations: Any, caller: str = "") -> tuple[str, ...]:
    """The transformations to run, in the order their copies are drawn; a bad list is one UserError naming `caller`.

    None is all of them. A set is run in TRANSFORMATIONS' order: its own
    changes with string hashing from run to run, and the order decides the
    draws, so one seed would give other copies. No name would check nothing,
    and one given twice would count each record twice under one id.
    """
    prefix = f"{caller}: " if caller else ""
    known = ", ".join(TRANSFORMATIONS)
    if transformations is None:
        return TRANSFORMATIONS
    if isinstance(transformations, (str, bytes, Mapping)) or not isinstance(transformations, Iterable):
        raise UserError(f"{prefix}transformations must be a list of names ({known}) or None (all), not {type(transformations).__name__}")
    names = tuple(transformations)  # once: an iterator is used up by reading it
    if not names:
        raise UserError(f"{prefix}transformations=[] would check nothing: name at least one of {known}, or pass None for all")
    for k, name in enumerate(names):
        if name not in TRANSFORMATIONS:
            raise UserError(f"{prefix}unknown transformation {name!r} in transformations (known: {known})")
        if name in names[:k]:
            raise UserError(f"{prefix}transformation {name!r} is given twice: give each once")
    return tuple(n for n in TRANSFORMATIONS if n in names) if isinstance(transformations, AbstractSet) else names


def consistency(
    predictor: BatchPredictor,
    records: Iterable[LegoRecord | Sentence],
    seed: int = 0,
    *,
    transformations: Iterable[str] | None = TRANSFORMATIONS,
    batch_size: int = 256,
    locate: Callable[[], str] | None = None,
) -> ConsistencyReport:
    """Apply each transformation to each record and report how often `predictor` stays consistent.

    `predictor` gets lists of sentences (originals and transformed ones mixed,
    `batch_size` originals at a time) and returns one answer per sentence: a
    label dict, or None (or the error) where it failed; `per_sentence` makes
    one from a one-sentence predictor. `locate`, called as each record is
    read, names where it is (a reader's FILE:LINE) for the failures listed.
    `transformations`: one name, several, or None (all; see
    check_transformations). Streams `records`; memory is one batch.
    """
    if not callable(predictor):
        raise UserError(f"consistency takes a predictor: a function of a list of sentences, not {type(predictor).__name__}")
    if not isinstance(records, Iterable):
        raise UserError(f"consistency takes records or sentences (a list), not {type(records).__name__}")
    seed = whole_number("seed", seed)  # a plain int: the report's JSON holds it
    names = check_transformations((transformations,) if isinstance(transformations, str) else transformations)  # one name, not its letters
    counter = ConsistencyCounter(names)
    places: deque[str | None] = deque()  # where each record read and not yet scored is: at most a batch

    def located() -> Iterator[LegoRecord | Sentence]:
        for item in records:
            places.append(locate() if locate is not None else None)
            yield item

    for batch in _batches(transformed_records(located(), seed, names), batch_size):
        sentences: list[Sentence] = []
        for rec, ts in batch:
            sentences.append(rec.sentence)
            sentences.extend(t.sentence for t in ts)
        answered = predictor(sentences)
        if not isinstance(answered, Iterable) or isinstance(answered, (str, bytes, Mapping)):
            raise LegoDataError(f"the predictor returned {type(answered).__name__}, not a list of {len(sentences)} predictions")
        preds = list(answered)
        if len(preds) != len(sentences):
            raise LegoDataError(f"the predictor returned {len(preds)} predictions for {len(sentences)} sentences")
        k = 0
        for rec, ts in batch:
            copies = [(t.name, t.law, preds[k + 1 + j]) for j, t in enumerate(ts)]
            counter.add_record(counter.records + 1, rec.sentence, preds[k], copies, places.popleft())
            k += 1 + len(ts)
    if not counter.records:
        raise UserError("records is empty, which would check nothing (and call it fully consistent): pass at least one record or sentence")
    return counter.report(seed)


def split_id(record_id: str | None) -> tuple[str | None, str | None]:
    """(base id, transformation) of a record id written by `transformed_records`; transformation None for an original."""
    if record_id is None:
        return None, None
    base, sep, name = record_id.rpartition(ID_SEPARATOR)
    if sep and name in _TRANSFORMS:
        return base, name
    return record_id, None
