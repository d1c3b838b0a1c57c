"""lego-synth: enumerative program synthesis as an exact baseline for length generalization.

In a notebook or a training script:

    import synth
    task = synth.load_task("examples/lego_z2_paper.json")
    result = synth.synthesize(task, timeout=60)
    print(result.text, result.cost, result.stats)
    result(task.test[0].inputs)            # run the program on one input

    train = synth.read_records("train.jsonl")             # any format synth reads, or:
    train = [synth.record("a = val 1 ,  b = not a , ", labels={"a": 1, "b": 0})]
    baseline = synth.fit(train)                           # or synth.fit(synth.paper_data(labels, order, supervised=6))
    baseline.predict("a = +1; b = -a")                    # [{"a": 1, "b": -1}]: the sentence's own notation
    report = baseline.score(test_records)                 # by length, by chain position, and both
    report.to_csv("synth_baseline.csv")                   # the tidy schema (synth.report.tidy)

    data = synth.paper_data(y_test, order_test)           # the LEGO paper's arrays (numpy; torch via np.asarray)
    synth.score_predictions(data, pred)                   # your model's per-clause predictions, scored the same way
"""

import os

from dsl.errors import UserError
from synth.report.baseline import (
    Baseline,
    consistency,
    fit,
    fit_task,
    load,
    score_arrays,
    score_predictions,
)
from synth.report.paper import PaperData, paper_data, read_paper_npz
from synth.report.userio import record, records
from synth.search.solver import Result, Stats, synthesize
from synth.version import package_version
from tasks.task import Task, load_task

__version__ = package_version()  # installed, or setup.cfg's in a checkout


def read_records(path: str | os.PathLike, *, skip_bad: bool = False) -> list:
    """Every LEGO record of a file, any format synth reads, each knowing its file's value notation.

    tasks.lego.io.read_records streams them instead (without the notation).
    """
    from synth.report.evaluate import notation_of
    from synth.report.userio import NotatedRecord
    from tasks.lego.io import read_records as stream

    if not isinstance(path, (str, os.PathLike)):
        hint = ": [r for p in paths for r in synth.read_records(p)] reads several" if isinstance(path, (list, tuple)) else ""
        raise UserError(f"read_records takes one path, not {type(path).__name__}{hint}")
    reader = stream(path, skip_bad=skip_bad)
    out = []
    split_counts = {"train": 0, "test": 0}
    for r in reader:
        if reader.split is None:  # a file of lines: FILE:LINE
            where = reader.where()
        else:  # a task file: its lines would cost a scan of positions per record, so "FILE, train record K"
            split_counts[reader.split] = split_counts.get(reader.split, 0) + 1
            where = f"{reader.name}, {reader.split} record {split_counts[reader.split]}"
        out.append(NotatedRecord(r.sentence, r.labels, r.id, r.query, notation_of(reader), where))
    return out


__all__ = [
    "__version__",
    "Baseline",
    "PaperData",
    "Result",
    "Stats",
    "Task",
    "consistency",
    "fit",
    "fit_task",
    "load",
    "load_task",
    "paper_data",
    "read_paper_npz",
    "read_records",
    "record",
    "records",
    "score_arrays",
    "score_predictions",
    "synthesize",
]
