"""Tasks as the synthesizer sees them: typed examples, whatever the family.

A task is a name, the DSL types of its inputs and output, training and test
examples, and a `spec` saying how to make fresh examples of any length, which
is how a found program's length generalization is measured. LEGO examples are
the sentence's clause records with a partial map of labelled values; sequence
examples (tasks.sequence) are integer lists with an integer or list output.
"""

from __future__ import annotations

import json
import os
from typing import Any, Iterable, Mapping, Sequence

from dsl.errors import UserError
from dsl.types import CLAUSE, ELEM, SYM, ListT, MapT, Type
from dsl.values import MapValue, Value
from tasks.core import Example, Task
from tasks.lego.errors import LegoDataError
from tasks.lego.sentence import LegoRecord


LEGO_INPUT_TYPES: tuple[tuple[str, Type], ...] = (("clauses", ListT(CLAUSE)),)
LEGO_OUTPUT_TYPE: Type = MapT(SYM, ELEM)


def lego_example(record: LegoRecord, *, full: bool = False) -> Example:
    """The example of a record: its clauses, and its labels (all values if `full`)."""
    if full:
        from tasks.lego.solve import solve

        output = MapValue(solve(record.sentence))
    else:
        output = MapValue(dict(record.labels))
    return Example(record.sentence.to_dsl(), output)


def task_from_records(
    records: Iterable[LegoRecord],
    *,
    name: str,
    test: Iterable[LegoRecord] = (),
    structure: str | None = None,
) -> Task:
    """A LEGO task from training records (as labelled) and test records.

    A test record with no labels at all is labelled in full by the reference
    solver, so that any test set measures every variable.
    """
    train = list(records)
    tests = list(test)
    groups = {r.sentence.group.name for r in train + tests}
    if len(groups) > 1:
        raise UserError(f"task {name}: records over different groups ({', '.join(sorted(groups))})")
    group = groups.pop() if groups else "Z2"
    spec: dict[str, object] = {"family": "lego", "group": group, "structure": structure or _guess_structure(train + tests)}
    return Task(
        name=name,
        family="lego",
        input_types=LEGO_INPUT_TYPES,
        output_type=LEGO_OUTPUT_TYPE,
        train=tuple(lego_example(r) for r in train),
        test=tuple(lego_example(r, full=not r.labels) for r in tests),
        spec=spec,
    )


def _guess_structure(records: Sequence[LegoRecord]) -> str:
    """chain if no variable is the operand of two clauses, else tree."""
    for r in records:
        seen: set[str] = set()
        for c in r.sentence.clauses:
            if c.rhs is not None:
                if c.rhs in seen:
                    return "tree"
                seen.add(c.rhs)
    return "chain"


def load_task(path: str | os.PathLike, *, check_labels: bool = True) -> Task:
    """Load a task file: LEGO (task file or any record file of tasks.lego.io) or sequence.

    With `check_labels` (the default), LEGO labels that contradict their
    sentence are an error; turn it off to study labels that follow another rule.
    """
    name = os.path.splitext(os.path.basename(os.fspath(path)))[0]
    family = _peek_family(path)
    if family == "sequence":
        from tasks.sequence.io import load_sequence_task

        return load_sequence_task(path)
    from tasks.lego.io import read_task_file

    meta, train, test = read_task_file(path, check=check_labels)
    if not train:
        raise LegoDataError("the task has no training records", file=os.fspath(path))
    task = task_from_records(train, name=str(meta.get("name", name)), test=test, structure=meta.get("structure"))
    if meta.get("group") and task.spec["group"] != meta["group"]:
        raise LegoDataError(f"records are over {task.spec['group']}, but the file says group {meta['group']}", file=os.fspath(path))
    return task


def _peek_family(path: str | os.PathLike) -> str | None:
    """The "family" of a JSON task file, without reading a large record file whole."""
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            head = f.read(4096)
    except OSError as err:
        raise UserError(f"cannot read: {err.strerror}", file=os.fspath(path)) from None
    stripped = head.lstrip()
    if not stripped.startswith("{"):
        return None
    i = stripped.find('"family"')
    if i < 0:
        return None
    rest = stripped[i + len('"family"'):].lstrip()
    if rest.startswith(":"):
        rest = rest[1:].lstrip()
        if rest.startswith('"sequence"'):
            return "sequence"
        if rest.startswith('"lego"'):
            return "lego"
    return None


def fresh_examples(task: Task, length: int, count: int, seed: int) -> list[Example]:
    """`count` fully labelled examples of the given length (LEGO: clauses; sequence: list length)."""
    spec = task.spec
    family = spec.get("family", task.family)
    if family == "lego":
        from tasks.lego.generate import iter_generate

        group = str(spec.get("group", "Z2"))
        structure = str(spec.get("structure", "chain"))
        return [lego_example(r) for r in iter_generate(length, count, seed, group=group, structure=structure)]
    if family == "sequence":
        from tasks.sequence import get_sequence_task

        return get_sequence_task(str(spec["name"])).examples(length, count, seed)
    raise UserError(f"task {task.name}: cannot make fresh examples for family {family!r}")


def agrees(expected: Value, predicted: Value) -> bool:
    """A partial MapValue agrees if every labelled key is predicted, equal; other values by ==."""
    if isinstance(expected, MapValue):
        if not isinstance(predicted, Mapping):
            return False
        for key, value in expected.items():
            if key not in predicted or predicted[key] != value:
                return False
        return True
    return expected == predicted


def contradictions(task: Task) -> list[str]:
    """Pairs of training examples with the same input but conflicting outputs, described."""
    out: list[str] = []
    first: dict[Any, int] = {}
    for i, ex in enumerate(task.train):
        key = _input_key(ex.inputs)
        j = first.setdefault(key, i)
        if j == i:
            continue
        a, b = task.train[j].output, ex.output
        if isinstance(a, MapValue) and isinstance(b, MapValue):
            clash = sorted(k for k in a if k in b and a[k] != b[k])
            for k in clash:
                out.append(f"training records {j + 1} and {i + 1} have the same sentence but label {k} as {getattr(a[k], 'name', a[k])} and {getattr(b[k], 'name', b[k])}")
        elif a != b:
            out.append(f"training examples {j + 1} and {i + 1} have the same input but outputs {_show(a)} and {_show(b)}")
    return out


def _input_key(inputs: Mapping[str, Value]) -> Any:
    return tuple(sorted(inputs.items(), key=lambda kv: kv[0]))


def _show(v: Value) -> str:
    from dsl.values import to_json

    return json.dumps(to_json(v))
