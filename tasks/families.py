"""The one place that knows the task families, and the only way a file is recognised.

A file that names its family ("family": "sequence") goes to that family; a
file that names none is offered to each family in turn, in `FAMILIES` order
(sequence never takes one, LEGO takes record files and LEGO-looking task
files, open takes any other JSON task file). Adding a family is one module
with a `tasks.family.Family` and one `register` call (or entry below).
"""

from __future__ import annotations

import os

from dsl.errors import UserError, json_repr
from tasks.args import flag, path_of, whole_number
from tasks.core import Example, Task
from tasks.family import Family, FileHead, read_head
from tasks.lego.family import LEGO
from tasks.lego.validate import Summary
from tasks.open.family import OPEN
from tasks.sequence.family import SEQUENCE

FAMILIES: dict[str, Family] = {f.name: f for f in (SEQUENCE, LEGO, OPEN)}


def register(family: Family) -> Family:
    """Add (or replace) a family; it is asked first about files that name no family."""
    others = {name: f for name, f in FAMILIES.items() if name != family.name}
    FAMILIES.clear()
    FAMILIES.update({family.name: family, **others})
    return family


def unregister(name: str) -> None:
    FAMILIES.pop(name, None)


def get_family(name: str) -> Family:
    try:
        return FAMILIES[name]
    except KeyError:
        raise UserError(f"unknown task family {json_repr(name)} (known: {', '.join(FAMILIES)})") from None


def family_of(head: FileHead) -> Family:
    """The family a file belongs to: the one it names, else the first that recognises it."""
    declared = head.declared
    if declared is not None:
        try:
            return get_family(declared)
        except UserError as err:
            raise UserError(err.message, file=head.path, pos=head.pos("family")) from None
    for family in FAMILIES.values():
        if family.recognises(head):
            return family
    raise UserError(f"not a task file of any family ({', '.join(FAMILIES)})", file=head.path)


def load_task(path: str | bytes | os.PathLike, *, check_labels: bool = True) -> Task:
    """Load a task file of any family (LEGO task or record file, sequence, open).

    With `check_labels` (the default), outputs that contradict a family's
    reference (LEGO labels, a built-in sequence task) are an error; turn it off
    to study labels that follow another rule.
    """
    head = read_head(path_of("load_task", path))
    return family_of(head).load(head, check=flag("check_labels", check_labels))


def has_generator(task: Task) -> bool:
    """Whether fresh examples of any length can be made for `task` (an open task has none)."""
    return get_family(task.spec.family).generates


def fresh_examples(task: Task, length: int, count: int, seed: int) -> list[Example]:
    """`count` fully labelled examples of the given size (LEGO: clauses; sequence: list length), seeded."""
    length, count, seed = whole_number("length", length), whole_number("count", count), whole_number("seed", seed)
    out = get_family(task.spec.family).fresh_examples(task.spec, length, count, seed)
    if out is None:
        raise UserError(f"task {task.name}: a {task.spec.family} task has no generator of fresh examples")
    return out


def validate_file(path: str, *, skip_bad: bool = False) -> Summary:
    """Check a data or task file of any family; its errors are in the summary."""
    try:
        head = read_head(path)
        family = family_of(head)
    except UserError as err:
        summary = Summary(path, family="?")
        summary.errors.append(err)
        return summary
    return family.validate(head, skip_bad=skip_bad)
