"""Open task files: any problem a user poses as input/output examples, with no built-in reference.

    {"name": "last_element",
     "signature": {"inputs": {"xs": "List[Int]"}, "output": "Int"},   # optional
     "train": [{"input": {"xs": [3, 1, 4]}, "output": 4}, ...],
     "test": [...]}

Without a signature the types are inferred from the JSON values
(tasks.open.infer). An open task has no generator: its found program is
checked on the file's own test examples only.
"""

from tasks.open.family import OPEN, OpenFamily, OpenSpec
from tasks.open.infer import infer_type
from tasks.open.load import open_task

__all__ = ["OPEN", "OpenFamily", "OpenSpec", "infer_type", "open_task"]
