"""The baseline as a library: fit on training records, predict, score.

A researcher's training script needs a few lines:

    import synth
    baseline = synth.fit(train_records)            # search for the program
    preds = baseline.predict(test_sentences)       # one {variable: value} per sentence
    report = baseline.score(test_records)          # by length, by chain position
    report.to_csv("baseline.csv"); report.to_dict()

This is a thin layer: the search is synth.search.synthesize, the scoring is
synth.report.evaluate; nothing here knows how either works.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence

from dsl.errors import DslRuntimeError, UserError
from dsl.groups import Elem
from synth.report.evaluate import ProgramPredictor, Report, Scorer, load_program, program_from_ast, value_from_json
from tasks.lego.sentence import LegoRecord, Sentence


@dataclass(frozen=True)
class Baseline:
    """A LEGO program (synthesized or loaded) used as a predictor."""

    text: str  # the program as DSL source
    program: Any = field(default=None, repr=False)  # dsl.ast.Program when known
    cost: int | None = None
    stats: Mapping[str, Any] | None = None  # what the search did (synth.search.Stats.to_dict())
    predictor: ProgramPredictor | None = field(default=None, repr=False, compare=False)

    def _run(self) -> ProgramPredictor:
        if self.predictor is None:
            raise UserError("this Baseline has no compiled program")
        return self.predictor

    def predict_one(self, sentence: Sentence | LegoRecord) -> dict[str, Elem]:
        """Every variable's value; {} if the program fails on this sentence (e.g. a cycle)."""
        s = sentence.sentence if isinstance(sentence, LegoRecord) else sentence
        try:
            return dict(self._run()(s))
        except DslRuntimeError:
            return {}

    def predict(self, sentences: Iterable[Sentence | LegoRecord]) -> list[dict[str, Elem]]:
        """One {variable: value} per sentence (records are accepted too; their labels are ignored)."""
        return [self.predict_one(s) for s in sentences]

    __call__ = predict  # a Baseline is itself a batch predictor (e.g. for tasks.lego.metamorphic.consistency)

    def score(self, records: Iterable[LegoRecord]) -> Report:
        """Accuracy on labelled records: overall, by length, by chain position, whole sentence."""
        from synth.report.evaluate import evaluate

        return evaluate(records, self._run())

    def consistency(self, records: Iterable[LegoRecord | Sentence], seed: int = 0) -> Any:
        """Metamorphic consistency (tasks.lego.metamorphic); a correct program scores 1.0 everywhere."""
        from tasks.lego.metamorphic import consistency

        return consistency(self.predict, records, seed)


def fit(
    records: Iterable[LegoRecord],
    *,
    timeout: float | None = None,
    max_cost: int | None = None,
    max_examples: int | None = None,
    name: str = "lego",
) -> Baseline:
    """Synthesize the cheapest program consistent with the training records' labels.

    Partial labels (e.g. the paper's first 6 of 12) are ordinary input. The
    search runs on the first `max_examples` records (default: synth.search.solver's
    DEFAULT_SEARCH_EXAMPLES); every other record checks the answer, and one it
    gets wrong joins the search for another round. So fitting on the paper's
    120,000 training sentences costs one program run per sentence, not a
    search over all of them.
    """
    from synth.search.solver import synthesize
    from tasks.task import task_from_records

    train = list(records)
    if not train:
        raise UserError("fit needs at least one training record")
    task = task_from_records(train, name=name)
    kwargs: dict[str, Any] = {"timeout": timeout}
    if max_cost is not None:
        kwargs["max_cost"] = max_cost
    if max_examples is not None:
        kwargs["max_examples"] = max_examples
    result = synthesize(task, **kwargs)
    return _from_result(result)


def fit_task(task: Any, *, timeout: float | None = None, max_cost: int | None = None) -> Baseline:
    """Like `fit`, from a tasks.task.Task (e.g. `tasks.task.load_task("task.json")`)."""
    from synth.search.solver import synthesize

    kwargs: dict[str, Any] = {"timeout": timeout}
    if max_cost is not None:
        kwargs["max_cost"] = max_cost
    return _from_result(synthesize(task, **kwargs))


def _from_result(result: Any) -> Baseline:
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
    )


def load(path: str | os.PathLike) -> Baseline:
    """A Baseline from a DSL program file (e.g. examples/lego.dsl), no search."""
    predictor = load_program(path)
    with open(path, encoding="utf-8") as f:
        text = f.read()
    return Baseline(text=text, predictor=predictor)


def score_predictions(
    records: Iterable[LegoRecord],
    predictions: Iterable[Mapping[str, Any]],
    *,
    notation: str = "readable",
) -> Report:
    """Score your own model's predictions (one dict per record, same order) exactly as the baseline is scored.

    Values may be group elements, or written as in a predictions file
    (`notation`: readable = element names / integers, 0/1 for Z2 like the
    paper; signs = +1/-1; see synth.report.evaluate.value_from_json).
    """
    scorer = Scorer()
    it = iter(predictions)
    for k, record in enumerate(records, 1):
        try:
            raw = next(it)
        except StopIteration:
            raise UserError(f"{k - 1} predictions for more records: no prediction for record {k}") from None
        group = record.sentence.group
        pred = {
            var: v if isinstance(v, Elem) else value_from_json(v, group, notation, f"prediction {k}, variable {var!r}")
            for var, v in raw.items()
        }
        scorer.add(record.sentence, record.labels, pred)
    if next(it, None) is not None:
        raise UserError("more predictions than records")
    return scorer.report()


__all__: Sequence[str] = ("Baseline", "fit", "fit_task", "load", "score_predictions")
