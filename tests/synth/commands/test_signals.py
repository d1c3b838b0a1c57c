"""Real signals to real `synth` processes: SIGTERM is Ctrl-C, and neither loses or truncates a file.

Each test starts the command, waits until it is demonstrably mid-work (its
temporary output holds data, or its -o file exists), then signals it. Inputs
are large enough that no run can finish first; every wait is bounded.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

import pytest
from click.testing import CliRunner

from dsl.files import PARTIAL_SUFFIX
from synth.benchmarks.eval_bench import write_lego_jsonl
from synth.cli import main

ROOT = Path(__file__).resolve().parents[3]
PROGRAM = ROOT / "examples" / "lego.dsl"
WAIT = 60.0  # seconds: a ceiling on a loaded machine, not an expectation

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")


def _default_sigint() -> None:
    # A child started from a background job inherits SIGINT ignored, and Python
    # then installs no Ctrl-C handler; a terminal user's Ctrl-C is the case tested.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def spawn(*args: object, cwd: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "synth", *map(str, args)],
        cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=_default_sigint,
    )


def signal_when(proc: subprocess.Popen, ready: Callable[[], bool], signum: int) -> tuple[int, str, str]:
    """Send `signum` as soon as `ready()` holds; the exit status and output of the process."""
    deadline = time.monotonic() + WAIT
    while not ready():
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            out, err = proc.communicate()
            pytest.fail(f"never got mid-work (exit {proc.returncode}):\n{out[-2000:]}\n{err[-2000:]}")
        time.sleep(0.01)
    proc.send_signal(signum)
    out, err = proc.communicate(timeout=WAIT)
    return proc.returncode, out, err


def temp_output_has_data(folder: Path, name: str) -> Callable[[], bool]:
    def ready() -> bool:
        return any(p.stat().st_size > 0 for p in folder.glob(f".{name}.*{PARTIAL_SUFFIX}"))

    return ready


def hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


@pytest.mark.parametrize("signum, previous", [(signal.SIGTERM, True), (signal.SIGINT, False)], ids=["SIGTERM", "SIGINT"])
def test_interrupted_gen_leaves_the_previous_file_or_nothing(tmp_path, signum, previous):
    out = tmp_path / "train.jsonl"
    if previous:
        out.write_text("previous\n")
    proc = spawn("gen", "lego", "--count", "10000000", "-o", out, cwd=tmp_path)
    code, _, err = signal_when(proc, temp_output_has_data(tmp_path, out.name), signum)
    assert code == 130 and "interrupted" in err and "Traceback" not in err
    assert (out.read_text() == "previous\n") if previous else not out.exists()
    assert hidden(tmp_path) == [], "no temporary file is left behind"


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_interrupted_predictions_are_kept_whole_under_a_partial_name(tmp_path, signum):
    small = tmp_path / "small.jsonl"
    write_lego_jsonl(small, 1000)
    data = tmp_path / "data.jsonl"
    data.write_text(small.read_text() * 60)  # 60,000 records: minutes of work, cut after the first few hundred
    preds = tmp_path / "preds.jsonl"
    preds.write_text("previous\n")
    proc = spawn("eval", PROGRAM, data, "--predict", "-o", preds, "--no-progress", cwd=tmp_path)
    code, _, err = signal_when(proc, temp_output_has_data(tmp_path, preds.name), signum)
    assert code == 130 and "Traceback" not in err
    partial = tmp_path / ("preds.jsonl" + PARTIAL_SUFFIX)
    lines = partial.read_text().splitlines()
    assert 0 < len(lines) < 60_000
    assert all(set(json.loads(line)) == {"labels"} for line in lines), "whole lines only"
    assert f"kept the {len(lines):,} predictions made before the stop in {partial}" in err
    assert preds.read_text() == "previous\n" and hidden(tmp_path) == []
    r = CliRunner().invoke(main, ["validate", str(partial)])
    assert r.exit_code == 2 and "partial output of an interrupted command" in r.output


def test_sigterm_during_the_generalization_check_prints_what_the_search_found(tmp_path):
    task = tmp_path / "task.json"
    shutil.copy(ROOT / "examples" / "lego_z2_official.json", task)
    found = tmp_path / "found.dsl"
    # --count 10000 makes the check take seconds; -o is written the moment the search ends.
    proc = spawn("solve", task, "-o", found, "--count", "10000", "--no-progress", cwd=tmp_path)
    code, out, err = signal_when(proc, found.exists, signal.SIGTERM)
    assert code == 130, (out, err)
    assert "forall c in clauses" in out and "candidates enumerated" in out
    assert "generalization: not checked (interrupted)" in out
    assert "interrupted" in err and "Traceback" not in err
    assert found.read_text().startswith("# synthesized by lego-synth") and "forall c in clauses" in found.read_text()
