"""lego-synth: enumerative program synthesis as an exact baseline for length generalization.

In a notebook or a training script:

    import synth
    task = synth.load_task("examples/lego_z2_paper.json")
    result = synth.synthesize(task, timeout=60)
    print(result.text, result.cost, result.stats)
    result(task.test[0].inputs)            # run the program on one input

    train = synth.read_records("train.jsonl")             # any format synth reads (a task file: split="train"), or:
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
from synth.report.userio import NotatedRecord, record, records
from synth.search.solver import Result, Stats, synthesize
from synth.version import package_version
from tasks.args import path_of
from tasks.task import Task, load_task

__version__ = package_version()  # installed, or setup.cfg's in a checkout


SPLITS = ("train", "test")


class Records(list[NotatedRecord]):
    """The records `read_records` returns: a list, plus `skipped`, the error of each bad record `skip_bad` left out.

    Each error reads `FILE:LINE[:COL]: message` (a task file's: `FILE:LINE:COL: train record K: ...`),
    as `synth eval --skip-bad` prints it, so a caller can count, list or log what it did not get.
    """

    skipped: tuple[UserError, ...] = ()


def read_records(path: str | os.PathLike, *, split: str | None = None, skip_bad: bool = False) -> Records:
    """Every LEGO record of a file, any format synth reads, each knowing its file's value notation and where it was read.

    A task file holds a training and a test split: `split="train"` or
    `"test"` picks one, and is required for a task file, since fitting on
    both would train on the test records and scoring both would pool them
    (a file of records has no split: `split` is refused there). With
    `skip_bad`, a bad record is left out instead of raising: one warning
    names how many and the first few, and the returned list's `skipped`
    holds every one (FILE:LINE: message). tasks.lego.io.read_records
    streams records instead (without the notation).
    """
    import warnings

    from synth.report.evaluate import notation_of
    from tasks.lego.io import read_records as stream

    if isinstance(path, (list, tuple)):
        raise UserError(f"read_records takes one path, not {type(path).__name__}: [r for p in paths for r in synth.read_records(p)] reads several")
    path = path_of("read_records", path)
    if split is not None and split not in SPLITS:
        raise UserError(f"split must be 'train' or 'test' (the two splits of a task file), not {split!r}")
    seen = dict.fromkeys(SPLITS, 0)  # a task file's records read so far per split, kept or skipped: K of "train record K"

    def count_skip(err: UserError) -> None:
        if reader.split is not None:
            seen[reader.split] += 1

    reader = stream(path, skip_bad=skip_bad, on_skip=count_skip)
    out = Records()
    checked = False
    for r in reader:
        if not checked:  # the first record: the file's format is known
            _check_split(reader.name, reader.format, split)
            checked = True
        if reader.split is None:  # a file of lines: FILE:LINE
            where = reader.where()
        else:  # a task file: its lines would cost a scan of positions per record, so "FILE, train record K"
            seen[reader.split] += 1
            if reader.split != split:
                continue
            where = f"{reader.name}, {reader.split} record {seen[reader.split]}"
        out.append(NotatedRecord(r.sentence, r.labels, r.id, r.query, notation_of(reader), where))
    _check_split(reader.name, reader.format, split)  # again for a file that yielded no record
    # The other split's bad records are not this list's loss; an error of no record (a bad "test" list) is.
    out.skipped = tuple(e for e in reader.skipped if split is None or not str(getattr(e, "where", None) or "").startswith(_other(split)))
    if out.skipped:
        n = len(out.skipped)
        shown = "; ".join(str(err) for err in out.skipped[:SKIPS_SHOWN])
        more = f"; and {n - SKIPS_SHOWN:,} more" if n > SKIPS_SHOWN else ""
        warnings.warn(
            f"read_records skipped {n:,} bad record{'s' if n != 1 else ''} of {reader.name} "
            f"(kept {len(out):,}; the list's .skipped holds every error): {shown}{more}",
            UserWarning,
            stacklevel=2,
        )
    return out


SKIPS_SHOWN = 3  # skipped records named in read_records' warning; `.skipped` holds them all


def _other(split: str) -> str:
    return "test" if split == "train" else "train"


def _check_split(name: str, file_format: str | None, split: str | None) -> None:
    """A task file's records must be read one split at a time; a file of records has no split to pick."""
    if file_format == "task" and split is None:
        raise UserError(
            f"{name} is a task file, with a train and a test split: read one, "
            f"synth.read_records({name!r}, split='train') to fit on, split='test' to score on"
        )
    if file_format != "task" and split is not None:
        raise UserError(f"split={split!r} is for a task file; {name} is a file of records, with no splits: synth.read_records({name!r})")


__all__ = [
    "__version__",
    "Baseline",
    "PaperData",
    "Records",
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
