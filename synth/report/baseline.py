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
from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np

from dsl.errors import DslRuntimeError, UserError
from dsl.groups import Elem
from dsl.parse import parse_program
from synth.report.evaluate import (
    ProgramPredictor,
    Report,
    Scorer,
    evaluate,
    load_program,
    program_from_ast,
)
from synth.report.paper import PaperData, check_order, count_cells, from_chain_order, to_chain_order
from synth.report.userio import (
    as_sentence,
    check_notation,
    labels_to_elements,
    labels_to_user,
    notation_for,
    text_predictor,
)
from synth.search.profiles import Profile, resolve_profile
from tasks.args import flag, path_of
from tasks.core import Task
from tasks.lego.family import LEGO
from tasks.lego.io import check_record
from tasks.lego.sentence import LegoRecord, Sentence
from tasks.lego.solve import check_chain_labels


@dataclass(frozen=True)
class Baseline:
    """A LEGO program (synthesized or loaded) used as a predictor."""

    text: str  # the program as DSL source
    program: Any = field(default=None, repr=False)  # dsl.ast.Program when known
    cost: int | None = None
    stats: Mapping[str, Any] | None = None  # what the search did (synth.search.Stats.to_dict())
    predictor: ProgramPredictor | None = field(default=None, repr=False, compare=False)
    group: str | None = None  # the group of the sentences it was fitted on (a loaded program: of its literals); None: any
    # The grammar profile the search ran with, as reports name it (Profile.describe()); None: loaded, not searched.
    profile: str | None = None

    def __getstate__(self) -> dict[str, Any]:
        """Pickled without its compiled predictor (closures do not pickle), so a baseline goes to worker processes."""
        return {f.name: (None if f.name == "predictor" else getattr(self, f.name)) for f in fields(self)}

    def __post_init__(self) -> None:
        """A Baseline made from its text alone (a program kept in a results file) compiles it, or says why it cannot."""
        if self.predictor is None:
            if not isinstance(self.text, str):
                raise UserError(f"Baseline takes the program as DSL source (a string), not {type(self.text).__name__}")
            self._compile("Baseline text")

    def __setstate__(self, state: dict[str, Any]) -> None:
        """Unpickled with its predictor compiled again, from the program (or, for a loaded one, its text)."""
        for name, value in state.items():
            object.__setattr__(self, name, value)
        self._compile("the unpickled baseline's program")

    def _compile(self, source: str) -> None:
        """The predictor, from the program or else the text; a mistake in either names `source`."""
        try:
            program = self.program if self.program is not None else parse_program(self.text)
        except UserError as err:
            raise err.located(source) from None
        object.__setattr__(self, "predictor", program_from_ast(program, source))

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

    def elements(self, sentence: Any) -> dict[str, Elem]:
        """Every variable's value as group elements; {} if the program fails on this well-formed sentence.

        `sentence`: a string in any syntax synth reads, a Sentence or a record, as for `predict`.

        A sentence over another group than the baseline's, or one that is no
        LEGO sentence (a variable used but never defined, no root literal, a
        variable defined twice, a cycle), is a UserError, as synth.record and
        `synth validate` say: {} is the program's failure, not the input's.
        """
        s = as_sentence(sentence)[0]
        self._check_group(s)
        check_structure(s)
        return self._values(s)

    def _values(self, sentence: Sentence) -> dict[str, Elem]:
        """`elements` of a sentence already checked."""
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

        A single string is one sentence. Records are accepted too (their
        labels are ignored). {} is the program failing on a well-formed
        sentence; a malformed one is a UserError naming the item.
        """
        if isinstance(sentences, (str, bytes, os.PathLike)) and looks_like_path(sentences):
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
                check_structure(s)
            except UserError as err:
                hint = f" (a path? baseline.predict(synth.read_records({item!r})))" if isinstance(item, str) and looks_like_path(item) else ""
                raise UserError(f"{item_name(k, item)}: {err}{hint}") from None
            self._check_group(s, item_name(k, item))
            out.append(labels_to_user(self._values(s), s, notation))
        return out

    def predict_arrays(self, data: PaperData, order: str = "clause", *, failed: int | None = None) -> np.ndarray:
        """Predictions for the paper's layout: (B, n) uint8, per clause as written (`clause`) or in chain `order`.

        A clause the program gives no value (it fails on the sentence, or
        leaves the variable out) has no 0/1 to stand for it: writing one
        would score as a guess. So it is a UserError naming how many and
        where (`baseline.score(data)` counts those sentences as failures),
        unless `failed` gives a marker for those cells (e.g. -1, never 0 or 1):
        the array is then int8.
        """
        if not isinstance(data, PaperData):
            raise UserError(f"predict_arrays takes synth.paper_data(labels, order), not {type(data).__name__}")
        _check_failed_marker(failed)
        chain = np.zeros(data.shape, dtype=np.uint8 if failed is None else np.int8)
        run = self._run()
        gaps: list[str] = []  # what went without a value, one entry per row: "row 3: <why>"
        rows = 0
        for b in range(len(data)):
            s = data.sentence(b)
            try:
                values = dict(run(s))
                why = ""
            except DslRuntimeError as err:
                values, why = {}, f"the program fails: {err.message}"
            for i, var in enumerate(data.chain_variables(b, s)):
                v = values.get(var)
                if v is not None:
                    chain[b, i] = v.index
                    continue
                chain[b, i] = 0 if failed is None else failed
                why = why or f"no value for {var} (chain position {i + 1})"
            if why:
                rows += 1
                if len(gaps) < GAPS_SHOWN:
                    gaps.append(f"row {b + 1}: {why}")  # 1-based, as the scorer names rows
        if rows and failed is None:
            raise UserError(
                f"the program gives no value for some clauses of {rows:,} of {len(data):,} sentences "
                f"({'; '.join(gaps)}{'; ...' if rows > len(gaps) else ''}): predict_arrays has no 0/1 to write for them; "
                "baseline.score(data) counts those sentences as failures, predict_arrays(data, failed=-1) marks their cells"
            )
        return from_chain_order(data, chain, order)

    def score(self, records: Iterable[LegoRecord] | PaperData, query_only: bool = False) -> Report:
        """Accuracy on labelled records (or the paper's arrays): overall, by length, by position, by both."""
        query_only = flag("query_only", query_only)
        return evaluate(self._in_group(labelled_records(records, "baseline.score")), self._run(), query_only=query_only)

    def consistency(self, records: Iterable[Any], seed: int = 0, *, transformations: Sequence[str] | None = None) -> Any:
        """Metamorphic consistency (tasks.lego.metamorphic); a correct program scores 1.0 everywhere.

        `seed` and `transformations` as for synth.consistency.
        """
        from tasks.lego.metamorphic import consistency, per_sentence

        seed, names = check_consistency_args(seed, transformations, "baseline.consistency")
        return consistency(per_sentence(self._run()), self._in_group(_records(records, "baseline.consistency")), seed, transformations=names)


def item_name(k: int, item: Any) -> str:
    """Item k of a user's list, with the record's id and FILE:LINE when known: which one a message is about."""
    known = [f"record {item.id!r}"] if getattr(item, "id", None) is not None else []
    if getattr(item, "where", None):
        known.append(item.where)
    return f"item {k}" + (f" ({', '.join(known)})" if known else "")


GAPS_SHOWN = 3  # rows named in predict_arrays' refusal


def _check_failed_marker(failed: Any) -> None:
    """`failed` of predict_arrays: None (refuse gaps) or a whole number that cannot pass for a 0/1 prediction."""
    if failed is None:
        return
    if isinstance(failed, bool) or not isinstance(failed, (int, np.integer)):
        raise UserError(f"failed must be a whole number such as -1 (written where the program gives no value), or None, not {type(failed).__name__} {failed!r}")
    if failed in (0, 1) or not -128 <= failed <= 127:
        raise UserError(f"failed must be a whole number from -128 to 127 other than 0 and 1 (a 0 or 1 would pass for a prediction), such as -1, not {failed!r}")


def check_structure(sentence: Sentence) -> None:
    """A UserError for what is no LEGO sentence (undefined operand, no root, a variable defined twice, a cycle), as synth.record says it.

    The fast chain walk first; anything else gets the reference solver's full check, whose error names the clause.
    """
    if not check_chain_labels(sentence, {}):
        check_record(LegoRecord(sentence, {}))


PATH_SUFFIXES = (".jsonl", ".json", ".txt", ".npz", ".csv", ".tsv")


def looks_like_path(text: str | bytes | os.PathLike) -> bool:
    """A file name rather than a sentence: no `=` (every sentence syntax has one) and an existing file or a data file's name.

    "hello world" is a malformed sentence to report as one, not a path to hint at.
    """
    if isinstance(text, os.PathLike):
        return True
    name = os.fsdecode(text)
    if "=" in name:
        return False
    return os.path.exists(name) or (not any(c.isspace() for c in name) and name.lower().endswith(PATH_SUFFIXES))


def labelled_records(records: Any, caller: str) -> Iterator[LegoRecord]:
    """`records`, each checked to be a record (streamed): a path or a sentence string gets a hint, not an AttributeError."""
    if isinstance(records, (str, bytes, os.PathLike)):
        text = os.fsdecode(records)
        if "=" in text:  # a sentence, not a file name
            raise UserError(f"{caller} takes labelled records, not a sentence: [synth.record(sentence, labels={{...}})]")
        raise UserError(f"{caller} takes records, not a path: {caller}(synth.read_records({text!r}))")
    if isinstance(records, (LegoRecord, Mapping)):
        raise UserError(f"{caller} takes a list of records, not one {type(records).__name__}: {caller}([record])")
    if not isinstance(records, Iterable):  # None, a number: not "'NoneType' object is not iterable"
        raise UserError(f"{caller} takes a list of records, not {type(records).__name__}: {caller}(synth.read_records(path))")
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
    """Records or sentences (strings in any syntax, parsed as they come); a path or one string gets a hint.

    No item at all is a UserError once the items run out (they are streamed):
    a report of nothing checked would say "fully consistent", as
    transformations=[] would, and that is refused too.
    """
    if isinstance(items, (str, bytes, os.PathLike)):
        text = os.fsdecode(items)
        fix = f"[{text!r}]" if "=" in text else f"synth.read_records({text!r})"
        raise UserError(f"{caller} takes a list of records or sentences, not one string: {caller}(..., {fix})")
    if not isinstance(items, Iterable):
        raise UserError(f"{caller} takes a list of records or sentences, not {type(items).__name__}")
    empty = True
    for k, item in enumerate(items, 1):
        empty = False
        try:
            s = item.sentence if isinstance(item, LegoRecord) else item if isinstance(item, Sentence) else as_sentence(item)[0]
            check_structure(s)  # no LEGO sentence (a cycle, no root): the input's fault, as predict says, not the model's
        except UserError as err:
            raise UserError(f"{caller}: {item_name(k, item)}: {err}") from None
        yield item if isinstance(item, (LegoRecord, Sentence)) else s
    if empty:
        raise UserError(f"{caller}: records is empty, which would check nothing (and call it fully consistent): pass at least one record or sentence")


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
    from tasks.lego.metamorphic import consistency as run

    if not callable(predictor):  # else every sentence "failed" with a TypeError
        raise UserError(f"synth.consistency takes a model: a function of a list of sentences, not {type(predictor).__name__}")
    seed, names = check_consistency_args(seed, transformations, "synth.consistency")
    return run(text_predictor(predictor, notation), _records(records, "synth.consistency"), seed, transformations=names)


def check_consistency_args(seed: Any, transformations: Any, caller: str) -> tuple[int, tuple[str, ...]]:
    """The seed (a plain int, for the report's JSON) and the transformation names to run, checked as the user gave them.

    A seed must be a whole number >= 0: numpy would take some mistakes
    (and refuse others deep inside), and None would draw a fresh seed, so a
    report could not be reproduced. `transformations` is None (all) or a
    non-empty collection of distinct known names (tasks.lego.metamorphic.check_transformations):
    one string is refused rather than read letter by letter.
    """
    from tasks.lego.metamorphic import TRANSFORMATIONS, check_transformations

    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise UserError(f"{caller}: seed must be a whole number >= 0 (the same seed draws the same transformations), not {type(seed).__name__} {seed!r}")
    if isinstance(transformations, str):
        raise UserError(f"{caller}: transformations must be a list of names ({', '.join(TRANSFORMATIONS)}), not one string: transformations=[{transformations!r}]")
    return int(seed), check_transformations(transformations, caller)


def fit(
    records: Iterable[LegoRecord] | PaperData,
    *,
    timeout: float | None = None,
    max_cost: int | None = None,
    max_examples: int | None = None,
    name: str = "lego",
    profile: str | Profile = "core",
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
    The Baseline keeps the records' group and refuses sentences of another,
    and the profile it was searched with (`profile`: a built-in name or a
    synth.search.profiles.Profile, e.g. from load_profile), for the report.
    """
    from synth.search.solver import synthesize
    from tasks.lego.io import NO_LABELS
    from tasks.task import task_from_records

    if not isinstance(name, str) or not name.strip():  # the task's name in every report of the fit
        raise UserError(f"synth.fit: name must be a non-empty string (the task's name in reports), not {name!r}")
    kwargs: dict[str, Any] = {"timeout": timeout, "profile": resolve_profile(profile)}
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

    check_budgets(DEFAULTS.with_overrides(**{("search_examples" if k == "max_examples" else k): v
                                             for k, v in kwargs.items() if k != "profile"}))


def fit_task(task: Any, *, timeout: float | None = None, max_cost: int | None = None, profile: str | Profile = "core") -> Baseline:
    """Like `fit`, from a LEGO tasks.task.Task (e.g. `synth.load_task("task.json")`), fitted on its training split.

    A Baseline predicts LEGO sentences, so a task of another family is
    refused before any search (which may have no time limit), with the call
    that fits it: synth.synthesize(task).
    """
    from synth.search.solver import synthesize

    if not isinstance(task, Task):
        fix = f"synth.fit_task(synth.load_task({os.fsdecode(task)!r}))" if isinstance(task, (str, bytes, os.PathLike)) else "synth.fit_task(synth.load_task(path))"
        raise UserError(f"fit_task takes a task, not {type(task).__name__}: {fix}; for records, synth.fit(records)")
    if task.family != LEGO.name:
        raise UserError(
            f"fit_task takes a LEGO task (family {LEGO.name!r}); task {task.name!r} is of family {task.family!r}: "
            "synth.synthesize(task) searches for its program"
        )
    kwargs: dict[str, Any] = {"timeout": timeout, "profile": resolve_profile(profile)}
    if max_cost is not None:
        kwargs["max_cost"] = max_cost
    _check_budgets(kwargs)
    return _from_result(synthesize(task, **kwargs), getattr(task.spec, "group", None))


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
        profile=result.profile.describe(),
    )


def load(path: str | os.PathLike) -> Baseline:
    """A Baseline from a DSL program file (e.g. examples/lego.dsl), no search."""
    from dsl.files import read_text
    from dsl.parse import load_program as parse_file
    from synth.search.solver import literal_groups

    path = path_of("synth.load", path)
    predictor = load_program(path)
    groups = literal_groups(parse_file(path).body)
    return Baseline(text=read_text(path), predictor=predictor, group=groups.pop() if len(groups) == 1 else None)


_END = object()  # the end of an iterator, told apart from a None in it


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
      (`order="chain"`, `ordered_pred`); `logits=True` thresholds at 0 (values all in [0, 1]
      are refused as probabilities). These arrays have no query: `query_only` scores none of them.
    """
    check_notation(notation)  # before anything is read, even where no value will be (arrays, no answers)
    check_order(order)  # so too the layout, which dicts do not use: a misspelt one is the user's mistake either way
    logits, partial, query_only = flag("logits", logits), flag("partial", partial), flag("query_only", query_only)
    dicts = isinstance(predictions, (list, tuple)) and bool(predictions) and isinstance(predictions[0], (Mapping, type(None)))
    if isinstance(records, PaperData) and not dicts:
        return score_arrays(records, predictions, order=order, logits=logits, query_only=query_only)
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
    if next(it, _END) is not _END:  # an extra None is a prediction too
        raise UserError("more predictions than records")
    return scorer.report()


def score_arrays(data: PaperData, predictions: Any, *, order: str = "clause", logits: bool = False, query_only: bool = False) -> Report:
    """Score predictions in the paper's layout (see synth.report.paper), vectorized over the batch.

    The paper's arrays have no query: with `query_only` every row is left out
    and counted in `no_query` (query accuracy `-`), as `baseline.score(data,
    query_only=True)` and `compare --query-only` count them, never scored by
    its labels. The predictions are checked all the same.
    """
    if not isinstance(data, PaperData):
        raise UserError(f"score_arrays takes synth.paper_data(labels, order), not {type(data).__name__}")
    logits, query_only = flag("logits", logits), flag("query_only", query_only)
    chain = to_chain_order(data, predictions, order, logits)
    if query_only:
        scorer = Scorer(query_only=True)
        scorer.add_no_query(len(data))
        return scorer.report()
    scorer = Scorer()
    per_position, sentences = count_cells(data, chain, data.supervised)
    scorer.add_cells(data.shape[1], per_position, sentences)
    return scorer.report()


__all__: Sequence[str] = ("Baseline", "consistency", "fit", "fit_task", "load", "score_arrays", "score_predictions")
