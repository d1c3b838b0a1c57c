"""The open family: any JSON task file of input/output examples that is not LEGO."""

from __future__ import annotations

from dataclasses import dataclass

from tasks.core import Example, Task, TaskSpec
from tasks.family import FileHead, summarise_task
from tasks.lego.validate import Summary
from tasks.open.load import open_task
from tasks.open.spec import OpenSpec


@dataclass(frozen=True)
class OpenFamily:
    """Files with "family": "open", and every JSON task file that names no family and is not LEGO."""

    name: str = "open"
    generates: bool = False

    def recognises(self, head: FileHead) -> bool:
        return head.document is not None

    def load(self, head: FileHead, *, check: bool) -> Task:
        return open_task(head)

    def fresh_examples(self, spec: TaskSpec, length: int, count: int, seed: int) -> list[Example] | None:
        return None  # no reference, so no generator: the file's test examples are all there is

    def validate(self, head: FileHead, *, skip_bad: bool) -> Summary:
        return summarise_task(head, self.name, lambda: open_task(head))


OPEN = OpenFamily()

__all__ = ["OPEN", "OpenFamily", "OpenSpec"]
