"""The baseline as a library: fit on training records, predict, score, in the user's own types.

A researcher's training script needs a few lines:

    import synth
    baseline = synth.fit(train)                      # records, or synth.paper_data(labels, order)
    baseline.predict(["a = val 1 ,  b = not a , "])   # [{"a": 1, "b": 0}]: the data's own notation
    report = baseline.score(test)                    # by length, by chain position, and both
    report.to_csv("baseline.csv")                    # the tidy schema of synth.report.tidy

Sentences may be strings in any syntax synth reads, parsed Sentences or
records; predictions come back as plain {variable: value} dicts in the
sentence's notation (0/1 for the paper's token syntax, +1/-1 for signs,
names for other groups), ready for json.dumps. The search is
synth.search.synthesize and the scoring synth.report.evaluate; nothing here
knows how either works.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from dsl.errors import DslRuntimeError, UserError
from dsl.groups import Elem
from synth.report.evaluate import (
    ProgramPredictor,
    Report,
    Scorer,
    evaluate,
    load_program,
    program_from_ast,
)
from synth.report.paper import PaperData, count_cells, from_chain_order, to_chain_order
from synth.report.userio import (
    as_sentence,
    check_notation,
    labels_to_elements,
    labels_to_user,
    notation_for,
    text_predictor,
)
from tasks.lego.sentence import LegoRecord, Sentence


@dataclass(frozen=True)
class Baseline:
    """A LEGO program (synthesized or loaded) used as a predictor."""

    text: str  # the program as DSL source
    program: Any = field(default=None, repr=False)  # dsl.ast.Program when known
    cost: int | None = None
    stats: Mapping[str, Any] | None = None  # what the search did (synth.search.Stats.to_dict())
    predictor: ProgramPredictor | None = field(default=None, repr=False, compare=False)
    group: str | None = None  # the group of the sentences it was fitted on (a loaded program: of its literals); None: any

    def _run(self) -> ProgramPredictor:
        if self.predictor is None:
            raise UserError("this Baseline has no compiled program")
        return self.predictor

    def _check_group(self, sentence: Sentence, which: str = "this sentence") -> None:
        """A sentence over another group than the baseline's is a mistake to name, not a sentence to answer with {}.

        `which` names it among the user's items ("item 3 (record 'x', test.jsonl:4)") when it came in a list.
        """
        if self.group is not None and sentence.group.name != self.group:
            raise UserError(
                f"this baseline was {'fitted on' if self.cost is not None else 'written for'} {self.group} sentences; "
                f"{which} is over {sentence.group.name} (fit a baseline on {sentence.group.name} data for it)"
            )

    def _in_group(self, items: Iterable[Any]) -> Iterator[Any]:
        """`items` (records or sentences), each checked to be over the baseline's group, naming the item that is not."""
        for k, item in enumerate(items, 1):
            self._check_group(item.sentence if isinstance(item, LegoRecord) else item, item_name(k, item))
            yield item

    def elements(self, sentence: Sentence) -> dict[str, Elem]:
        """Every variable's value as group elements; {} if the program fails on this sentence (e.g. a cycle).

        A sentence over another group than the baseline's is a UserError.
        """
        self._check_group(sentence)
        try:
            return dict(self._run()(sentence))
        except DslRuntimeError:
            return {}

    def predict_one(self, sentence: Any, syntax: str | None = None) -> dict[str, int | str]:
        """Every variable's value in the sentence's notation; {} if the program fails on it.

        `sentence`: a string in any syntax synth reads, a Sentence or a record.
        """
        s, notation = as_sentence(sentence, syntax)
        return labels_to_user(self.elements(s), s, notation)

    def predict(self, sentences: Any, syntax: str | None = None) -> list[dict[str, int | str]]:
        """One {variable: value} per sentence, values in each sentence's notation (plain, JSON-ready).

        A single string is one sentence. Records are accepted too (their labels are ignored).
        """
        if isinstance(sentences, (str, bytes, os.PathLike)) and "=" not in os.fsdecode(sentences):
            raise UserError(f"baseline.predict takes sentences, not a path: baseline.predict(synth.read_records({os.fsdecode(sentences)!r}))")
        if isinstance(sentences, (str, Sentence, LegoRecord)):
            return [self.predict_one(sentences, syntax)]
        if not isinstance(sentences, Iterable) or isinstance(sentences, (bytes, Mapping)):
            raise UserError(
                "baseline.predict takes a sentence (a string such as 'a = +1; b = -a', a Sentence or a record) "
                f"or a list of them, not {type(sentences).__name__}"
            )
        out = []
        for k, item in enumerate(sentences, 1):
            try:
                s, notation = as_sentence(item, syntax)
            except UserError as err:
                hint = f" (a path? baseline.predict(synth.read_records({item!r})))" if isinstance(item, str) and "=" not in item else ""
                raise UserError(f"{item_name(k, item)}: {err.message}{hint}") from None
            self._check_group(s, item_name(k, item))
            out.append(labels_to_user(self.elements(s), s, notation))
        return out

    def predict_arrays(self, data: PaperData, order: str = "clause") -> np.ndarray:
        """Predictions for the paper's layout: (B, n) uint8, per clause as written (`clause`) or in chain `order`."""
        if not isinstance(data, PaperData):
            raise UserError(f"predict_arrays takes synth.paper_data(labels, order), not {type(data).__name__}")
        chain = np.zeros(data.shape, dtype=np.uint8)
        for b in range(len(data)):
            s = data.sentence(b)
            values = self.elements(s)
            for i, var in enumerate(data.chain_variables(b, s)):
                v = values.get(var)
                chain[b, i] = 0 if v is None else v.index
        return from_chain_order(data, chain, order)

    def score(self, records: Iterable[LegoRecord] | PaperData, query_only: bool = False) -> Report:
        """Accuracy on labelled records (or the paper's arrays): overall, by length, by position, by both."""
        return evaluate(self._in_group(labelled_records(records, "baseline.score")), self._run(), query_only=query_only)

    def consistency(self, records: Iterable[Any], seed: int = 0) -> Any:
        """Metamorphic consistency (tasks.lego.metamorphic); a correct program scores 1.0 everywhere."""
        from tasks.lego.metamorphic import consistency, per_sentence

        return consistency(per_sentence(self._run()), self._in_group(_records(records, "baseline.consistency")), seed)


def item_name(k: int, item: Any) -> str:
    """Item k of a user's list, with the record's id and FILE:LINE when known: which one a message is about."""
    known = [f"record {item.id!r}"] if getattr(item, "id", None) is not None else []
    if getattr(item, "where", None):
        known.append(item.where)
    return f"item {k}" + (f" ({', '.join(known)})" if known else "")


def labelled_records(records: Any, caller: str) -> Iterator[LegoRecord]:
    """`records`, each checked to be a record (streamed): a path or a sentence string gets a hint, not an AttributeError."""
    if isinstance(records, (str, bytes, os.PathLike)):
        text = os.fsdecode(records)
        if "=" in text:  # a sentence, not a file name
            raise UserError(f"{caller} takes labelled records, not a sentence: [synth.record(sentence, labels={{...}})]")
        raise UserError(f"{caller} takes records, not a path: {caller}(synth.read_records({text!r}))")
    if isinstance(records, (LegoRecord, Mapping)):
        raise UserError(f"{caller} takes a list of records, not one {type(records).__name__}: {caller}([record])")
    for k, item in enumerate(records, 1):
        if not isinstance(item, LegoRecord):
            hint = (
                "a sentence has no labels: make a record with synth.record(sentence, labels={...}), or read a file with synth.read_records(path)"
                if isinstance(item, (str, Sentence))
                else "make records with synth.record(sentence, labels={...}) or synth.read_records(path)"
            )
            raise UserError(f"{caller} takes labelled records; item {k} is {type(item).__name__}: {hint}")
        yield item


def _records(items: Any, caller: str) -> Iterator[LegoRecord | Sentence]:
    """Records or sentences (strings in any syntax, parsed as they come); a path or one string gets a hint."""
    if isinstance(items, (str, bytes, os.PathLike)):
        text = os.fsdecode(items)
        fix = f"[{text!r}]" if "=" in text else f"synth.read_records({text!r})"
        raise UserError(f"{caller} takes a list of records or sentences, not one string: {caller}(..., {fix})")
    for item in items:
        yield item if isinstance(item, (LegoRecord, Sentence)) else as_sentence(item)[0]


def consistency(
    predictor: Callable[[list[str]], Sequence[Mapping[str, Any]]],
    records: Iterable[Any],
    seed: int = 0,
    *,
    notation: str | None = None,
    transformations: Sequence[str] | None = None,
) -> Any:
    """Metamorphic consistency of a model of your own types: sentence strings in, {variable: 0/1 ...} out.

    The model gets lists of sentences written in `notation` (default: the
    paper's token syntax for Z2) and answers in that notation; see
    tasks.lego.metamorphic for the transformations and their laws. An empty
    answer (or None) is a failure, counted apart and never as consistent; so
    is a sentence the model raises on (a batch it raises on is asked again one
    sentence at a time, to find which).
    """
    from tasks.lego.metamorphic import TRANSFORMATIONS
    from tasks.lego.metamorphic import consistency as run

    return run(text_predictor(predictor, notation), _records(records, "synth.consistency"), seed, transformations=transformations or TRANSFORMATIONS)


def fit(
    records: Iterable[LegoRecord] | PaperData,
    *,
    timeout: float | None = None,
    max_cost: int | None = None,
    max_examples: int | None = None,
    name: str = "lego",
) -> Baseline:
    """Synthesize the cheapest program consistent with the training records' labels.

    Partial labels (e.g. the paper's first 6 of 12: `synth.paper_data(...,
    supervised=6)`) are ordinary input. The search runs on the first
    `max_examples` records (default: synth.search.solver's
    DEFAULT_SEARCH_EXAMPLES); every other record checks the answer, and one
    it gets wrong joins the search for another round. So fitting on the
    paper's 120,000 training sentences costs one program run per sentence.
    Records must be LEGO records (synth.record, synth.read_records); with
    no label among them the fit is refused, as `synth solve` refuses it.
    The Baseline keeps the records' group and refuses sentences of another.
    """
    from synth.search.solver import synthesize
    from tasks.lego.io import NO_LABELS
    from tasks.task import task_from_records

    kwargs: dict[str, Any] = {"timeout": timeout}
    if max_cost is not None:
        kwargs["max_cost"] = max_cost
    if max_examples is not None:
        kwargs["max_examples"] = max_examples
    _check_budgets(kwargs)
    train = list(labelled_records(records, "synth.fit"))
    if not train:
        raise UserError("fit needs at least one training record")
    if not any(r.labels for r in train):
        raise UserError(NO_LABELS)  # as `synth solve` says: a program fitted to no label is any program
    task = task_from_records(train, name=name)
    return _from_result(synthesize(task, **kwargs), getattr(task.spec, "group", None))


def _check_budgets(kwargs: Mapping[str, Any]) -> None:
    """The search's own checks, before the records are read (a training set may be large)."""
    from synth.search.settings import DEFAULTS
    from synth.search.solver import check_budgets

    check_budgets(DEFAULTS.with_overrides(**{("search_examples" if k == "max_examples" else k): v for k, v in kwargs.items()}))


def fit_task(task: Any, *, timeout: float | None = None, max_cost: int | None = None) -> Baseline:
    """Like `fit`, from a tasks.task.Task (e.g. `tasks.task.load_task("task.json")`)."""
    from synth.search.solver import synthesize

    kwargs: dict[str, Any] = {"timeout": timeout}
    if max_cost is not None:
        kwargs["max_cost"] = max_cost
    return _from_result(synthesize(task, **kwargs), getattr(getattr(task, "spec", None), "group", None))


def _from_result(result: Any, group: str | None) -> Baseline:
    if result.program is None:
        raise UserError(
            f"no program fits the training records (search stopped: {result.stats.stopped}, "
            f"up to cost {result.stats.max_cost_searched}); try more time or a higher max_cost"
        )
    return Baseline(
        text=result.text,
        program=result.program,
        cost=result.cost,
        stats=result.stats.to_dict(),
        predictor=program_from_ast(result.program, "synthesized program"),
        group=group,
    )


def load(path: str | os.PathLike) -> Baseline:
    """A Baseline from a DSL program file (e.g. examples/lego.dsl), no search."""
    from dsl.files import read_text
    from dsl.parse import load_program as parse_file
    from synth.search.solver import literal_groups

    predictor = load_program(os.fspath(path))
    groups = literal_groups(parse_file(os.fspath(path)).body)
    return Baseline(text=read_text(path), predictor=predictor, group=groups.pop() if len(groups) == 1 else None)


def score_predictions(
    records: Iterable[LegoRecord] | PaperData,
    predictions: Any,
    *,
    notation: str | None = None,
    order: str = "clause",
    logits: bool = False,
    partial: bool = False,
    query_only: bool = False,
) -> Report:
    """Score your own model's predictions exactly as the baseline is scored.

    Two layouts:
    - records and one {variable: value} dict (or None: no answer, a failure) per record, same order; values
      in the sentence's notation (0/1 for the paper's token syntax, +1/-1 for
      signs, names; or group elements): `notation`, else the record's own
      (records from synth.record and synth.read_records know it), else read
      from the values (an all-1 answer about a Z2 sentence is ambiguous: an error). A dict naming a variable its sentence
      does not define is an error; one missing a labelled variable is an
      error unless `partial`, which leaves those labels out and counts them;
    - `synth.paper_data(labels, clause_order)` and an array (B, n) per clause
      as written (`order="clause"`, the model's `pred`) or in chain order
      (`order="chain"`, `ordered_pred`); `logits=True` thresholds at 0.
    """
    check_notation(notation)  # before anything is read, even where no value will be (arrays, no answers)
    dicts = isinstance(predictions, (list, tuple)) and bool(predictions) and isinstance(predictions[0], (Mapping, type(None)))
    if isinstance(records, PaperData) and not dicts:
        return score_arrays(records, predictions, order=order, logits=logits)
    if isinstance(predictions, (str, bytes, os.PathLike, Mapping)) or not isinstance(predictions, Iterable):
        one = "one dict" if isinstance(predictions, Mapping) else type(predictions).__name__
        raise UserError(f"predictions must be a list of dicts, one per record, not {one}" + (": [prediction]" if isinstance(predictions, Mapping) else ""))
    scorer = Scorer(query_only=query_only, partial=partial)
    it = iter(predictions)
    for k, record in enumerate(labelled_records(records, "synth.score_predictions"), 1):
        try:
            raw = next(it)
        except StopIteration:
            raise UserError(f"{k - 1} predictions for more records: no prediction for record {k}") from None
        s = record.sentence
        where = f"prediction {k}"
        if raw is None:  # no answer: a failure, every label of the record wrong, as when a program fails
            scorer.add(s, record.labels, None, record.query)
            continue
        if not isinstance(raw, Mapping):
            raise UserError(f"{where} is {type(raw).__name__} {raw!r}: predictions must be a list of dicts, one per record ({{variable: value}}, or None for no answer)")
        foreign = [v for v in raw if v not in set(s.variables)]
        if foreign:
            raise UserError(f"{where} names {foreign[0]!r}, which record {k}'s sentence does not define (out of step?)")
        if not partial:
            missing = [v for v in record.labels if v not in raw]
            if missing:
                raise UserError(f"{where} has no value for labelled variable {missing[0]!r} (partial=True scores what is there)")
        note = notation_for(record, raw, notation, where)
        scorer.add(s, record.labels, labels_to_elements(raw, s, note, where), record.query)
    if next(it, None) is not None:
        raise UserError("more predictions than records")
    return scorer.report()


def score_arrays(data: PaperData, predictions: Any, *, order: str = "clause", logits: bool = False) -> Report:
    """Score predictions in the paper's layout (see synth.report.paper), vectorized over the batch."""
    chain = to_chain_order(data, predictions, order, logits)
    scorer = Scorer()
    per_position, sentences = count_cells(data, chain, data.supervised)
    scorer.add_cells(data.shape[1], per_position, sentences)
    return scorer.report()


__all__: Sequence[str] = ("Baseline", "consistency", "fit", "fit_task", "load", "score_arrays", "score_predictions")
