"""What a task family is, and how a file is first looked at (before any family reads it).

A family is anything with the four methods of `Family`; `tasks.families`
keeps the registry. Every command and the library recognise a file the same
way: `read_head` parses it as JSON where it is JSON (never by searching its
text for `"family": "sequence"`), and the registry asks the families in turn.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Callable, Mapping, Protocol, Sequence

from dsl.errors import Pos, UserError, json_repr
from dsl.files import iter_lines, loads_json, read_text
from tasks.core import Example, Task, TaskSpec
from tasks.filekinds import refuse_other_kind
from tasks.jsonpos import value_positions
from tasks.lego.validate import Summary


@dataclass(frozen=True)
class FileHead:
    """A file as first seen: one JSON document (a task file), or a stream of records.

    A file whose first non-blank line is a JSON object followed by more lines
    is a record stream (JSONL) and is not read whole here, nor is a text file:
    they can be gigabytes.
    """

    path: str
    document: Mapping[str, Any] | None = None  # the whole file, when it is one JSON object
    text: str | None = None  # the file's text, with `document`

    @property
    def declared(self) -> str | None:
        """The family a task file names (its "family" key), if it names one."""
        if self.document is None or "family" not in self.document:
            return None
        family = self.document["family"]
        if not isinstance(family, str):
            raise UserError(f'"family" must be a string such as "sequence", not {json_repr(family)}', file=self.path, pos=self.pos("family"))
        return family

    def pos(self, key: str) -> Pos | None:
        """Where the value of a top-level key of the document is (called on an error: it scans the text)."""
        if self.text is None:
            return None
        return value_positions(self.text, depth=1).get((key,))

    @property
    def examples(self) -> Sequence[Any]:
        """The items of the document's "train" and "test" lists (whatever they hold)."""
        if self.document is None:
            return ()
        return [x for split in ("train", "test") if isinstance(self.document.get(split), list) for x in self.document[split]]


def read_head(path: str | bytes | os.PathLike) -> FileHead:
    """Look at a file once: a JSON object document is parsed whole, anything else is left to stream."""
    file = os.fsdecode(path)  # a str, whether the path came as str, bytes or a PathLike
    refuse_other_kind(file)  # a program, a spec or arrays: not the LEGO reader's "no root literal"
    lines = iter_lines(file)  # a generator: dropped (and the file closed) on return
    first = next((line for _, line in lines if line.strip()), "")
    if not first.lstrip().startswith("{"):
        return FileHead(file)
    try:
        one = loads_json(first, file=file)
    except UserError:
        if first.rstrip().endswith("}"):
            return FileHead(file)  # a broken JSONL record: the record reader says where
        one = None  # a document spread over lines: read it whole below
    if isinstance(one, dict) and any(line.strip() for _, line in lines):
        return FileHead(file)  # one object a line: JSONL records
    text = read_text(file)
    document = loads_json(text, file=file)
    if not isinstance(document, dict):
        return FileHead(file)
    return FileHead(file, document, text)


class Family(Protocol):
    """A task family: how to recognise its files, load them, make fresh examples and check files."""

    @property
    def name(self) -> str:
        """The registry name, the value of a task file's "family" key."""
        ...

    @property
    def generates(self) -> bool:
        """Whether fresh_examples makes examples (an open task has no generator)."""
        ...

    def recognises(self, head: FileHead) -> bool:
        """True if a file that names no family is one of this family's files."""
        ...

    def load(self, head: FileHead, *, check: bool) -> Task:
        """The Task of a file of this family; UserError (with file and line) if it is bad."""
        ...

    def fresh_examples(self, spec: TaskSpec, length: int, count: int, seed: int) -> list[Example] | None:
        """`count` fully labelled examples of size `length`, seeded; None if the family has no generator."""
        ...

    def validate(self, head: FileHead, *, skip_bad: bool) -> Summary:
        """Read the whole file and summarise it; errors go into the summary, not raised."""
        ...


def summarise_task(head: FileHead, family: str, load: Callable[[], Task], label: Callable[[Task], str] = lambda t: t.name) -> Summary:
    """The validation summary of a task file read whole by `load` (for families without a streaming reader)."""
    summary = Summary(head.path, family=family, format="task")
    try:
        task = load()
    except UserError as err:
        summary.errors.append(err)
        return summary
    for split, examples in (("train", task.train), ("test", task.test)):
        summary.splits[split] += len(examples)
        for ex in examples:
            summary.records += 1
            summary.lengths[max((len(v) for v in ex.inputs.values() if isinstance(v, tuple)), default=0)] += 1
    summary.groups[label(task)] += summary.records
    return summary
