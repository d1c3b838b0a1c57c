"""Files shipped inside the package (synth/data), found wherever it is installed."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

DEMO_TASK = "demo_lego.json"  # `synth demo`: LEGO over Z2 from 3 sentences of 6 clauses, the paper's token syntax


def data_path(name: str) -> Path:
    """The path of a file in synth/data."""
    return Path(str(resources.files("synth") / "data" / name))


def demo_task_path() -> Path:
    return data_path(DEMO_TASK)
