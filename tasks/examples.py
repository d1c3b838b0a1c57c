"""Make the bundled task files in examples/ (deterministic: same bytes every run).

    python -m tasks.examples [DIR]      # LEGO files; default DIR: examples/
    python examples/make_tasks.py [DIR] # all files, sequence seeds chosen with the synthesizer

Seeds are searched from 0 upward for files that must be informative: S3/D4
training sets must refute the reversed composition order (val(x) = val(y) * g)
and, for trees, contain branching; sequence training sets must show every
output class and two examples of one length with different classes. The search is deterministic, so the files are too.
"""

from __future__ import annotations

import os
import sys
from typing import Callable

from dsl.files import atomic_output
from tasks.lego.generate import generate
from tasks.lego.io import write_task_file
from tasks.lego.sentence import LegoRecord
from tasks.lego.solve import depths
from tasks.sequence import get_sequence_task
from tasks.sequence.io import write_sequence_task

TEST_COUNT = 20


def _reversed_values(rec: LegoRecord) -> dict:
    """Values under the wrong order val(x) = val(y) * g, to check the data refutes it."""
    s = rec.sentence
    g = s.group
    by = {c.lhs: c for c in s.clauses}
    out: dict = {}
    depth = depths(s)
    for name in sorted(depth, key=lambda v: depth[v]):
        c = by[name]
        out[name] = c.op if c.rhs is None else g.compose(out[c.rhs], c.op)
    return out


def _refutes_reversal(recs: list[LegoRecord]) -> bool:
    return any(any(_reversed_values(r)[k] != v for k, v in r.labels.items()) for r in recs)


def _branching(recs: list[LegoRecord]) -> bool:
    return any(max(depths(r.sentence).values()) < len(r.sentence) for r in recs)


def _search(make: Callable[[int], list[LegoRecord]], ok: Callable[[list[LegoRecord]], bool]) -> list[LegoRecord]:
    for seed in range(1000):
        recs = make(seed)
        if ok(recs):
            return recs
    raise RuntimeError("no seed found")  # pragma: no cover


def _informative_training_set(group: str, structure: str) -> list[LegoRecord]:
    """The first seed's training set that refutes the reversed order (and branches, for trees)."""

    def make(seed: int) -> list[LegoRecord]:
        return generate(6, 4, 1000 + seed, group=group, structure=structure)

    def ok(recs: list[LegoRecord]) -> bool:
        return _refutes_reversal(recs) and (structure == "chain" or _branching(recs))

    return _search(make, ok)


def lego_files() -> dict[str, tuple[list, list, dict]]:
    files: dict[str, tuple[list, list, dict]] = {}
    files["lego_z2_official.json"] = (generate(6, 3, 0), generate(12, TEST_COUNT, 100), {"group": "Z2", "structure": "chain", "syntax": "official"})
    files["lego_z2_paper.json"] = (generate(12, 5, 1, supervised=6), generate(12, TEST_COUNT, 101), {"group": "Z2", "structure": "chain", "syntax": "official"})
    files["lego_signs.json"] = (generate(6, 3, 2), generate(12, TEST_COUNT, 102), {"group": "Z2", "structure": "chain", "syntax": "signs"})
    files["lego_z5.json"] = (generate(6, 4, 3, group="Z5"), generate(12, TEST_COUNT, 103, group="Z5"), {"group": "Z5", "structure": "chain", "syntax": "readable"})
    for group in ("S3", "D4"):
        for structure in ("chain", "tree"):
            train = _informative_training_set(group, structure)
            test = generate(12, TEST_COUNT, 104, group=group, structure=structure)
            files[f"lego_{group.lower()}_{structure}.json"] = (train, test, {"group": group, "structure": structure, "syntax": "readable"})
    return files


# Two examples share a length, so a training set of a class-output task can
# show that the class is not a function of the length alone.
TRAIN_LENGTHS = (4, 6, 6, 7, 8)


def sequence_training_set(name: str, seed: int) -> list:
    """The five training examples drawn with `seed` (lengths TRAIN_LENGTHS)."""
    task = get_sequence_task(name)
    return [task.examples(length, 1, seed * 10 + k)[0] for k, length in enumerate(TRAIN_LENGTHS)]


def sequence_test_set(name: str) -> list:
    task = get_sequence_task(name)
    return [task.examples(length, 1, 500 + length)[0] for length in range(10, 10 + TEST_COUNT)]


def informative(name: str, train: list) -> bool:
    """Every output class shows, and two examples of one length differ (class outputs only)."""
    classes = get_sequence_task(name).classes
    if not classes:
        return True
    outputs = [str(e.output) for e in train]
    return len(set(outputs)) >= classes and outputs[1] != outputs[2]


SEQUENCE_TASKS = ("parity_check", "cycle_navigation", "even_pairs", "reverse_string")


def sequence_files(accept: Callable[[str, list], bool] | None = None) -> dict[str, tuple[str, list, list, int]]:
    """Sequence task files: the first seed whose training set is informative and passes `accept`
    (a criterion of the caller's, see examples/make_tasks.py)."""
    out = {}
    for name in SEQUENCE_TASKS:
        for seed in range(1000):
            train = sequence_training_set(name, seed)
            if informative(name, train) and (accept is None or accept(name, train)):
                break
        else:  # pragma: no cover
            raise RuntimeError(f"no seed gives an acceptable training set for {name}")
        out[f"{name}.json"] = (name, train, sequence_test_set(name), seed)
    return out


def write_lego(directory: str) -> list[str]:
    os.makedirs(directory, exist_ok=True)
    written = []
    for fname, (train, test, meta) in lego_files().items():
        path = os.path.join(directory, fname)
        with atomic_output(path) as f:
            write_task_file(train, test, f, group=meta["group"], structure=meta["structure"], syntax=meta["syntax"])
        written.append(path)
    return written


def write_all(directory: str, accept: Callable[[str, list], bool] | None = None) -> list[str]:
    written = write_lego(directory)
    for fname, (name, train, test, seed) in sequence_files(accept).items():
        path = os.path.join(directory, fname)
        with atomic_output(path) as f:
            write_sequence_task(name, train, test, f, seed=seed)
        written.append(path)
    return written


def main(argv: list[str]) -> None:
    """LEGO files only: the sequence files' seeds are chosen with the synthesizer by examples/make_tasks.py."""
    for path in write_lego(argv[0] if argv else "examples"):
        print(path)


if __name__ == "__main__":
    main(sys.argv[1:])
