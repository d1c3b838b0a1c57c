"""The table of the 15 tasks of "Neural Networks and the Chomsky Hierarchy" (Deletang et al., ICLR 2023).

Every task follows the authors' code (github.com/google-deepmind/neural_networks_chomsky_hierarchy,
tasks/regular, tasks/dcf, tasks/cs): token ids, operator encodings, termination
and padding tokens, endianness and the handling of very short lengths. Where
the code and the paper's prose differ, the task's `differences` say so (see
`describe`). Inputs are token lists ``xs: List[Int]`` (the code's integer
tokens before one-hot encoding); outputs are a class index (Int) or a token
list (List[Int]).
"""

from __future__ import annotations

from dsl.errors import UserError, json_repr
from tasks.sequence import cs, dcf, regular
from tasks.sequence.cs import (
    binary_addition,
    binary_multiplication,
    bucket_sort,
    compute_sqrt,
    duplicate_string,
    missing_duplicate_string,
    odds_first,
)
from tasks.sequence.dcf import (
    modular_arithmetic_brackets,
    reverse_string,
    solve_equation,
    stack_manipulation,
)
from tasks.sequence.regular import (
    cycle_navigation,
    even_pairs,
    modular_arithmetic,
    parity_check,
)
from tasks.sequence.spec import MOD, Drawn, SequenceTask

# The paper's order (Table 2): regular, then deterministic context-free, then context-sensitive.
SEQUENCE_TASKS: dict[str, SequenceTask] = {t.name: t for t in regular.TASKS + dcf.TASKS + cs.TASKS}


def get_sequence_task(name: str) -> SequenceTask:
    try:
        return SEQUENCE_TASKS[name]
    except KeyError:
        raise UserError(f"unknown sequence task {json_repr(name)} (known: {', '.join(SEQUENCE_TASKS)})") from None


def describe(task: SequenceTask) -> str:
    """A few lines for people: alphabet, output, and where the code differs from the paper."""
    if task.classes is not None:
        out = f"class 0..{task.classes - 1}"
    else:
        out = f"tokens 0..{(task.output_alphabet or 1) - 1}"
        if task.termination is not None:
            out += f", termination token {task.termination}"
    lines = [f"{task.name} ({task.level}): input tokens 0..{task.alphabet - 1}; output {out}"]
    lines += [f"  - {d}" for d in task.differences]
    return "\n".join(lines)


__all__ = [
    "MOD",
    "SEQUENCE_TASKS",
    "Drawn",
    "SequenceTask",
    "binary_addition",
    "binary_multiplication",
    "bucket_sort",
    "compute_sqrt",
    "cycle_navigation",
    "describe",
    "duplicate_string",
    "even_pairs",
    "get_sequence_task",
    "missing_duplicate_string",
    "modular_arithmetic",
    "modular_arithmetic_brackets",
    "odds_first",
    "parity_check",
    "reverse_string",
    "solve_equation",
    "stack_manipulation",
]
