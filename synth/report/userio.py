"""The user's types in, the user's types out.

A training script holds sentences as strings (in any syntax synth reads) and
values as 0/1 (the paper's token syntax), +1/-1 (signs) or strings; it wants
the same back, plain and `json.dumps`-able. This module converts at the edge
so the rest of the library can work with parsed sentences and group elements:

    synth.record("a = +1; b = -a", labels={"a": 1, "b": -1})
    synth.record("a = val 1 ,  b = not a , ", labels={"a": 1, "b": 0}, id="s1")

A sentence's *notation* is the syntax it was written in (official, signs,
readable); values are read and written in it. A parsed `Sentence` without a
known syntax uses its group's default (official, i.e. 0/1, for Z2).
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from dsl.errors import UserError, json_repr
from dsl.files import counted
from dsl.groups import Elem, Group
from tasks.args import flag
from tasks.lego.sentence import LegoRecord, Sentence
from tasks.lego.syntax import (
    SYNTAXES,
    default_syntax,
    format_sentence,
    format_value,
    parse_sentence,
    parse_value,
)

NOTATIONS = (*SYNTAXES, "kazemnejad")  # how values may be written: a sentence syntax's, or Kazemnejad et al.'s +1/-1 or "1"/"0"
NOTATION_HELP = {
    "official": "official (0/1)",
    "signs": "signs (+1/-1)",
    "readable": "readable (element names)",
    "kazemnejad": "kazemnejad (+1/-1, or truth values \"1\"/\"0\")",
}


def check_notation(notation: Any, accepted: Sequence[str] = NOTATIONS) -> str | None:
    """`notation` if it is one of `accepted` (None: not given), else a UserError naming the parameter and the choices.

    Checked before any value is read: a misspelt notation must not fall
    through to another reading of the values, where for Z2 a 1 means the
    opposite (flip in 0/1, keep in +1/-1) and every answer is scored wrong.
    """
    if notation is None or (isinstance(notation, str) and notation in accepted):
        return notation
    choices = [NOTATION_HELP.get(n, n) for n in accepted]
    raise UserError(f"notation {notation!r}: choose {', '.join(choices[:-1])} or {choices[-1]}")


_Z2_ONLY = ("official", "signs", "kazemnejad")  # notations whose values are Z2's two elements


def as_sentence(item: Any, syntax: str | None = None) -> tuple[Sentence, str]:
    """A sentence and its notation, from a string (any syntax), a Sentence or a record (its own notation, if it keeps one)."""
    if isinstance(item, LegoRecord):
        syntax = syntax or getattr(item, "notation", None)
        item = item.sentence
    if isinstance(item, Sentence):
        notation = check_notation(syntax) or default_syntax(item.group)
        if notation in _Z2_ONLY and item.group.name != "Z2":  # its values would be written as Z2's
            raise UserError(f"the {notation} notation is for Z2 only; values about {item.group.name} sentences are written by name (leave syntax out)")
        return item, notation
    if isinstance(item, str):
        return parse_sentence(item, syntax)
    raise UserError(f"expected a sentence (a string such as 'a = +1; b = -a'), a Sentence or a record, not {type(item).__name__}")


def to_element(value: Any, group: Group, notation: str, where: str = "value") -> Elem:
    """One value as a group element: an Elem, an int in the notation (0/1 or +1/-1), a name, "G:name", a numpy scalar."""
    if isinstance(value, Elem):
        if value.group.name != group.name:
            raise UserError(f"{where}: {value} is not an element of {group.name}")
        return value
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()  # numpy and torch scalars
    if notation == "kazemnejad":
        if value in ("0", "1"):
            return group.identity if value == "1" else group.element("1")
        notation = "signs"
    try:
        return parse_value(value, group, notation)
    except UserError as err:
        raise UserError(f"{where}: {err.message}") from None


def to_user(value: Elem, notation: str, group: Group | None = None) -> int | str:
    """A group element in a notation, JSON-ready: 0/1 (official), +1/-1 (signs, kazemnejad), names or ints (readable).

    An element of another group than the sentence's `group` is written with
    its group ("Z2:1"): bare, it would read back as the sentence's element of
    that number or name, and a wrong answer would pass for a right one.
    """
    if group is not None and value.group.name != group.name:
        return str(value)
    return format_value(value, "signs" if notation == "kazemnejad" else notation)


def labels_to_elements(labels: Mapping[str, Any] | None, sentence: Sentence, notation: str, where: str = "labels") -> dict[str, Elem]:
    """A {variable: value} mapping in the user's notation, as group elements."""
    if not labels:
        return {}
    return {str(k): to_element(v, sentence.group, notation, f"{where}, variable {json_repr(k)}") for k, v in labels.items()}


def labels_to_user(values: Mapping[str, Elem], sentence: Sentence, notation: str) -> dict[str, int | str]:
    """Group elements back in the user's notation, variables in clause order."""
    return {v: to_user(values[v], notation, sentence.group) for v in sentence.variables if v in values}


@dataclass(frozen=True)
class NotatedRecord(LegoRecord):
    """A record that remembers the notation its sentence was written in, so answers about it are read in that notation."""

    notation: str = "official"
    where: str | None = field(default=None, compare=False)  # FILE:LINE it was read from, for a message about it (not its content)


def infer_notation(values: Iterable[Any], group: Any) -> str | None:
    """The notation of plain values about a Z2 sentence: signs if one is -1 or signed, official if one is 0; None if undecided.

    For Z2 the value 1 means opposite things in the two notations (flip in
    0/1, keep in +1/-1), so an answer made only of 1s cannot be read without
    being told which.
    """
    if group.name != "Z2":
        return "readable"
    seen = [str(v).strip() if not isinstance(v, bool) else "" for v in values]
    if not seen:
        return "official"  # nothing to misread
    if any(v in ("-1", "+1") for v in seen):
        return "signs"
    if any(v == "0" for v in seen):
        return "official"
    return None


def notation_for(record: Any, values: Mapping[str, Any], given: str | None, where: str) -> str:
    """The notation to read `values` about `record` in: given (checked), else the record's own, else inferred from the values."""
    if given is not None:
        return check_notation(given) or given
    own = getattr(record, "notation", None)
    if own is not None:
        return own
    found = infer_notation(values.values(), record.sentence.group)
    if found is None:
        raise UserError(f"{where}: cannot tell 0/1 from +1/-1 values (every value is 1); pass notation='official' or 'signs'")
    return found


def record(
    sentence: Any,
    labels: Mapping[str, Any] | None = None,
    *,
    id: str | int | None = None,
    query: str | None = None,
    syntax: str | None = None,
    check: bool = True,
) -> LegoRecord:
    """A LEGO record in memory: a sentence in any syntax synth reads, labels in that sentence's notation.

    `labels` values may be 0/1 (the paper's token syntax), +1/-1 (signs),
    element names or "G:name". A variable missing from `labels` is
    unsupervised. `id` is a string or an integer (kept as a string, as a
    predictions file's "id" is read), `query` one variable's name. With
    `check`, a label that contradicts the sentence, a malformed sentence or
    a query that is not a variable is a UserError.
    """
    if labels is not None and not isinstance(labels, Mapping):
        raise UserError(f"labels must be a mapping from variable to value, e.g. {{'a': 1, 'b': -1}}, not {type(labels).__name__}")
    check = flag("check", check)
    rid, query = check_id(id), check_query(query)
    s, notation = as_sentence(sentence, syntax)
    rec = NotatedRecord(s, labels_to_elements(labels, s, notation), rid, query, notation)
    if check:
        from tasks.lego.io import check_record

        check_record(rec)
    return rec


def check_id(rid: Any) -> str | None:
    """A record's id as its string: a string or a whole number (predictions are matched to records by it), else a UserError.

    Any other object used to become its `str`, so a list of ids gave every
    record the same id, the text of the list.
    """
    if rid is None or isinstance(rid, str):
        return None if rid is None else str(rid)
    if isinstance(rid, numbers.Integral) and not isinstance(rid, bool):
        return str(int(rid))
    raise UserError(f"id must be a string or an integer, not {type(rid).__name__} {rid!r}" + _one_per_record(rid, "ids"))


def check_query(query: Any) -> str | None:
    """A record's query: None or one variable's name (a string); anything else a UserError rather than a TypeError deep in a check."""
    if query is None or isinstance(query, str):
        return None if query is None else str(query)
    raise UserError(f"query must be the name of one variable (a string), not {type(query).__name__} {query!r}" + _one_per_record(query, "queries"))


def _one_per_record(value: Any, plural: str) -> str:
    """The hint for a list given where one record's value goes: `synth.records` takes one per sentence under the plural name."""
    if isinstance(value, Iterable) and not isinstance(value, (str, bytes, Mapping)):
        return f" (for one per sentence, synth.records(sentences, labels, {plural}=[...]))"
    return ""


def _per_sentence(values: Any, name: str, count: int) -> list[Any]:
    """`ids` or `queries` of `records`: one per sentence (None for none), checked to be a list of that length."""
    if values is None:
        return [None] * count
    if isinstance(values, (str, bytes, Mapping)) or not isinstance(values, Iterable):
        raise UserError(f"{name} must be a list with one item per sentence (None for none), not {type(values).__name__} {values!r}")
    out = list(values)
    if len(out) != count:
        one = {"ids": "id", "queries": "query"}.get(name, name)
        raise UserError(f"{counted(len(out), one, name)} for {counted(count, 'sentence')}: {name}= gives one per sentence (None for none)")
    return out


RECORDS_KEYWORDS = ("labels", "ids", "queries", "syntax", "check")


def records(
    sentences: Iterable[Any],
    labels: Iterable[Mapping[str, Any] | None] | None = None,
    *,
    ids: Iterable[str | int | None] | None = None,
    queries: Iterable[str | None] | None = None,
    syntax: str | None = None,
    check: bool = True,
    **unknown: Any,
) -> list[LegoRecord]:
    """`record` for each sentence, with the matching labels, id and query (each a list, one per sentence, if given).

    `id=` and `query=` (one value for every record) are refused: an id
    names one record, and one query for sentences of different variables is
    a mistake more often than a wish; `ids=` and `queries=` take a list.
    A mistake in one sentence's record is a UserError naming the item.
    """
    for name, value in unknown.items():
        plural = {"id": "ids", "query": "queries"}.get(name)
        if plural is not None:
            raise UserError(f"records takes {plural}=[...], one per sentence, not {name}={value!r}; synth.record(sentence, {name}=...) makes one record")
        raise UserError(f"records takes no {name}= (it takes {', '.join(k + '=' for k in RECORDS_KEYWORDS)})")
    check = flag("check", check)
    if isinstance(sentences, str):
        raise UserError("records takes a list of sentences; for one sentence, synth.record(sentence, labels=...)")
    if not isinstance(sentences, Iterable):  # None, a number: not "'NoneType' object is not iterable"
        raise UserError(f"records takes a list of sentences, not {type(sentences).__name__}")
    if isinstance(sentences, Mapping):  # {sentence: labels} would be read as its keys, the labels dropped unread
        raise UserError("records takes a list of sentences, not a mapping: for {sentence: labels}, "
                        "synth.records(list(d), labels=list(d.values()))")
    if labels is not None and (isinstance(labels, (str, bytes, Mapping)) or not isinstance(labels, Iterable)):
        one = "one mapping" if isinstance(labels, Mapping) else type(labels).__name__
        raise UserError(f"labels must be a list of mappings, one per sentence (e.g. [{{'a': 1, 'b': -1}}]), not {one}")
    items = list(sentences)
    labs = [None] * len(items) if labels is None else list(labels)
    if len(labs) != len(items):
        raise UserError(f"{len(labs)} label dicts for {len(items)} sentences")
    rids, asked = _per_sentence(ids, "ids", len(items)), _per_sentence(queries, "queries", len(items))
    out = []
    for k, (s, lab, rid, query) in enumerate(zip(items, labs, rids, asked), 1):
        if lab is not None and not isinstance(lab, Mapping):
            raise UserError(f"labels item {k} is {type(lab).__name__}: labels must be a list of mappings, one per sentence (e.g. [{{'a': 1, 'b': -1}}])")
        try:
            out.append(record(s, lab, id=rid, query=query, syntax=syntax, check=check))
        except UserError as err:
            raise UserError(f"sentence {k}: {err.message}") from None
    return out


def text_predictor(
    predict: Callable[[list[str]], Sequence[Mapping[str, Any]]], notation: str | None = None
) -> Callable[[list[Sentence]], list[dict[str, Elem] | Exception | None]]:
    """Adapt a predictor of the user's types (strings in, {var: 0/1 or +1/-1 or names} out) to parsed sentences and elements.

    Sentences are written in `notation` (default: each group's default, the
    paper's token syntax for Z2) and the answers read in the same notation.
    This is what lets `tasks.lego.metamorphic.consistency` score a model that
    returns 0/1. A batch the model raises on (or answers None for) is asked
    again one sentence at a time, so the sentences it fails on are found and
    each is a failure (the error kept), as a per-sentence predictor's are.
    """

    check_notation(notation, SYNTAXES)  # the sentences are written in it, so a sentence syntax

    def batch(sentences: list[Sentence]) -> list[dict[str, Elem] | Exception | None]:
        notes = [notation or default_syntax(s.group) for s in sentences]
        texts = [format_sentence(s, n) for s, n in zip(sentences, notes)]
        try:
            got = predict(texts)
        except Exception:  # the user's model: whatever it raises is its failure, found sentence by sentence
            got = None
        answers = [_one_answer(predict, t) for t in texts] if got is None else _answers(got, len(texts))
        return [
            a if a is None or isinstance(a, Exception) else labels_to_elements({k: v for k, v in a.items() if k in set(s.variables)}, s, n, "prediction")
            for a, s, n in zip(answers, sentences, notes)
        ]

    return batch


def _one_answer(predict: Callable[[list[str]], Any], text: str) -> Any:
    """The model's answer to one sentence: its dict, None, or the error it raised (a failure that keeps its message)."""
    try:
        got = predict([text])
    except Exception as err:
        return err
    return None if got is None else _answers(got, 1)[0]


def _answers(got: Any, count: int) -> list[Any]:
    """The model's answers to `count` sentences, checked to be one dict (or None: no answer) per sentence."""
    if isinstance(got, (str, bytes, Mapping)) or not isinstance(got, Iterable):
        raise UserError(f"the predictor returned {type(got).__name__}, not a list of predictions (one dict, or None, per sentence)")
    answers = list(got)
    if len(answers) != count:
        raise UserError(f"the predictor returned {len(answers)} predictions for {count} sentences")
    for k, a in enumerate(answers, 1):
        if a is not None and not isinstance(a, Mapping):
            raise UserError(f"prediction {k} of a batch is {type(a).__name__} {a!r}: the predictor returns one dict {{variable: value}} (or None) per sentence")
    return answers
