"""Metamorphic consistency of a model outside Python: transform the data, read its predictions back, score.

`synth invariance transform` writes each record followed by its transformed
copies (ids `<id>~permute`, ...); the model predicts on every line; `synth
invariance score` reads the file and the predictions back here, group by
group, and checks each copy against the law of its transformation
(tasks.lego.metamorphic).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import IO, Any

from dsl.errors import UserError, json_repr
from dsl.groups import Elem
from synth.report.compare import open_predictions
from synth.report.evaluate import notation_of
from tasks.lego.errors import LegoDataError, quoted
from tasks.lego.metamorphic import ConsistencyCounter, RecordedError, infer_law, split_id, transformed_records
from tasks.lego.sentence import LegoRecord


def output_format(reader: Any, chosen: str | None) -> tuple[str, str | None]:
    """The record format and sentence syntax to write transformed data in (`chosen` None: as the input)."""
    if chosen is not None:
        return chosen, None
    fmt = {"jsonl": "jsonl", "kazemnejad": "kazemnejad", "task": "jsonl"}.get(reader.format or "")
    if fmt is None:
        return notation_of(reader), None
    syntax = notation_of(reader) if fmt == "jsonl" and notation_of(reader) in ("official", "signs", "readable") else None
    return fmt, syntax


def write_transformed(reader: Any, out: IO[str], seed: int, names: Sequence[str], fmt: str | None = None) -> int:
    """Write every record of `reader` followed by its transformed copies; returns the number of originals.

    A record `fmt` cannot hold (a Z5 sentence in a Z2-only format) is refused
    at its file and line in the input (`reader.locate`), where the user can find it.
    """
    from tasks.lego.io import write_records

    count = 0
    chosen: tuple[str, str | None] | None = None
    written: set[str] = set()  # the originals' ids: each names a record and its copies in what is written
    for rec, ts in transformed_records(reader, seed, names):
        if chosen is None:
            chosen = output_format(reader, fmt)
        group = [rec] + [t.record(rec, rec.id or str(count + 1)) for t in ts]
        try:
            if rec.id in written:  # the readers refuse a repeated id, so one record had none and was given its number
                raise LegoDataError(f"id {quoted(str(rec.id))} would be written twice: a record without an id is given its "
                                    "number, and another record has that id: give every record an id, or none")
            written.add(str(rec.id))
            write_records(group, chosen[0], out, syntax=chosen[1])
        except LegoDataError as err:
            raise (reader.locate(err) if hasattr(reader, "locate") else err) from None
        count += 1
    return count


class ModelError(RecordedError):
    """The error a predictions line gives instead of an answer (`eval --predict` writes the program's)."""


def score_transformed(reader: Iterable[LegoRecord], predictions: str, names: Sequence[str], path: str) -> Any:
    """The ConsistencyReport of a model from its predictions on every line of a file `write_transformed` wrote."""
    stream = open_predictions(predictions, any_labels=True)  # an empty line is the model's failure, listed as one
    counter = ConsistencyCounter(tuple(names))
    group: list[tuple[LegoRecord, dict[str, Elem] | ModelError | None, int]] = []
    count = 0
    where: str | None = None  # where the group's original is
    for record in reader:
        count += 1
        if not group and hasattr(reader, "where"):
            where = reader.where()
        answer: dict[str, Elem] | ModelError | None = stream.take(record, count, notation_of(reader))
        given = answer.items() if isinstance(answer, dict) else ()
        other = next(((v, e) for v, e in given if e.group.name != record.sentence.group.name), None)
        if other is not None:  # compare counts it wrong; the laws compose answers in the sentence's group, so no score is possible
            raise UserError(
                f"{predictions}: the prediction for record {count}" + (f" (id {json_repr(record.id)})" if record.id else "")
                + f" answers {other[0]} with {other[1]}, an element of {other[1].group.name}, but the sentence is over "
                f"{record.sentence.group.name}: the consistency laws cannot score it"
            )
        if not answer and stream.error:
            answer = ModelError(stream.error)  # listed with the model's own reason, not just "no answer"
        group.append((record, answer, count))
        if len(group) == 1 + len(names):
            _score_group(group, names, counter, path, where)
            group = []
    stream.finish(count)
    if group:
        raise UserError(
            f"{path}: ends in the middle of a group: each record must be followed by "
            f"{len(names)} transformed copies ({', '.join(names)})"
        )
    return counter.report()


def _score_group(group: list, names: Sequence[str], counter: Any, path: str, where: str | None = None) -> None:
    original, before, number = group[0]
    base, kind = split_id(original.id)
    if kind is not None:
        raise UserError(
            f"{path}: record {number} (id {json_repr(original.id)}) should be an original, not a transformed copy "
            "(give score the same --transform options as transform)"
        )
    copies = []
    for (record, after, k), name in zip(group[1:], names):
        rbase, rkind = split_id(record.id)
        if record.id is not None and (rkind != name or (base is not None and rbase != base)):
            raise UserError(
                f"{path}: record {k} has id {json_repr(record.id)}, expected {base}~{name} (give score the same --transform options as transform)"
            )
        try:
            law = infer_law(name, original.sentence, record.sentence)
        except UserError as err:
            raise UserError(f"{path}: record {k}: {err.message}") from None
        copies.append((name, law, after))
    counter.add_record(counter.records + 1, original.sentence, before, copies, where)
