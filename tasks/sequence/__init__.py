"""The 15 sequence tasks of "Neural Networks and the Chomsky Hierarchy" (Deletang et al. 2023).

Modules: `spec` (the SequenceTask value), `regular`, `dcf`, `cs` (the tasks by
level, each with a seeded generator, an independent reference, input checks and
its code-vs-paper differences), `expr` (the bracket-expression grammar two dcf
tasks share), `tasks` (the table), `scoring` (the paper's per-token accuracy),
`generate` (task files drawn with the paper's length ranges), `strategies`
(hypothesis), `io` (task files). Each task follows the authors' code, not the
paper's prose, where the two differ.
"""

from tasks.sequence.tasks import SEQUENCE_TASKS, SequenceTask, describe, get_sequence_task

__all__ = ["SEQUENCE_TASKS", "SequenceTask", "describe", "get_sequence_task"]
