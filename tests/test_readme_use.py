"""The README's "Use" block runs as pasted on a fresh clone, line by line, in order.

Each line runs in bash in a temporary copy of the repository's files, so
files an earlier line makes are there for the later ones and nothing is left
in the checkout. `synth` and `python` are this interpreter (the package from
the copy, not an installed one). `pip` lines are set-up (`.ci/run` covers
them) and are skipped; lines that draw figures are skipped without matplotlib.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BEGIN, END = "<!-- use:begin -->", "<!-- use:end -->"


def use_block() -> list[str]:
    """The shell lines between the markers, comments stripped."""
    for path in (ROOT / "README.md",):
        text = path.read_text(encoding="utf-8")
        if BEGIN in text and END in text:
            block = text.split(BEGIN, 1)[1].split(END, 1)[0]
            lines = []
            for raw in block.splitlines():
                line = re.sub(r"\s+#\s.*$", "", raw).strip()
                if line and not line.startswith(("```", "#")):
                    lines.append(line)
            return lines
    pytest.fail(f"no {BEGIN} ... {END} block in README.md")


def repo_files() -> list[str]:
    try:
        out = subprocess.run(
            ["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout
        return [f for f in out.splitlines() if (ROOT / f).is_file()]
    except (OSError, subprocess.CalledProcessError):
        return [str(p.relative_to(ROOT)) for p in ROOT.rglob("*") if p.is_file() and ".git" not in p.parts and ".venv" not in p.parts]


def shim(folder: Path, name: str, body: str) -> None:
    path = folder / name
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)


@pytest.mark.slow
def test_use_block_runs_in_order(tmp_path):
    lines = use_block()
    assert len(lines) >= 10
    clone = tmp_path / "clone"
    for f in repo_files():
        (clone / f).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / f, clone / f)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim(bin_dir, "python", f'exec "{sys.executable}" "$@"')
    shim(bin_dir, "synth", f'exec "{sys.executable}" -m synth "$@"')
    env = dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}", PYTHONPATH=str(clone))
    try:
        import matplotlib  # noqa: F401

        has_plot = True
    except ImportError:
        has_plot = False
    for line in lines:
        if line.startswith("pip ") or (not has_plot and "--plot" in line):
            continue
        proc = subprocess.run(["bash", "-euo", "pipefail", "-c", line], check=False, cwd=clone, env=env, capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, f"{line}\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}"
