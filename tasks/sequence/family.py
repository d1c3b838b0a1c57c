"""The sequence family: task files naming a built-in task of tasks.sequence.tasks.

Such a file says "family": "sequence" and "name": the task; its outputs are
checked against the task's reference, and fresh examples of any length come
from the task's own generator.
"""

from __future__ import annotations

from dataclasses import dataclass

from tasks.core import Example, Task, TaskSpec
from tasks.family import FileHead, summarise_task
from tasks.lego.validate import Summary
from tasks.sequence.io import SequenceSpec, sequence_task
from tasks.sequence.tasks import get_sequence_task


@dataclass(frozen=True)
class SequenceFamily:
    """Files with "family": "sequence"; a file that names no family is never taken for one."""

    name: str = "sequence"
    generates: bool = True

    def recognises(self, head: FileHead) -> bool:
        return False

    def load(self, head: FileHead, *, check: bool) -> Task:
        return sequence_task(head, check=check)

    def fresh_examples(self, spec: TaskSpec, length: int, count: int, seed: int) -> list[Example] | None:
        if not isinstance(spec, SequenceSpec):
            raise TypeError(f"a sequence task needs a SequenceSpec, not {type(spec).__name__}")
        return get_sequence_task(spec.task).examples(length, count, seed)

    def validate(self, head: FileHead, *, skip_bad: bool) -> Summary:
        return summarise_task(head, self.name, lambda: self.load(head, check=True), label=_task_name)


def _task_name(task: Task) -> str:
    spec = task.spec
    return spec.task if isinstance(spec, SequenceSpec) else task.name


SEQUENCE = SequenceFamily()
