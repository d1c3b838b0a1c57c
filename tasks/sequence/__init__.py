"""Sequence tasks from "Neural Networks and the Chomsky Hierarchy" (Deletang et al. 2023).

Each follows the authors' code (google-deepmind/neural_networks_chomsky_hierarchy,
tasks/regular/*.py and tasks/dcf/reverse_string.py) for token meanings and
outputs; where the code and the paper's prose differ, the docstring says so.
"""

from tasks.sequence.tasks import SEQUENCE_TASKS, SequenceTask, get_sequence_task

__all__ = ["SEQUENCE_TASKS", "SequenceTask", "get_sequence_task"]
