"""Fuzzing every command's input paths through click: exit 0 or 2 (solve: also 1), never a traceback.

Commands run in-process with CliRunner(catch_exceptions=False): any exception
other than SystemExit fails the test with its traceback. Inputs are valid
files first (generated records, programs, inputs, predictions, task files),
then damaged as in dsl.strategies.mutated_bytes / mutated_json.
"""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path

from click.testing import CliRunner, Result
from hypothesis import event, given, settings
from hypothesis import strategies as st

from dsl.printer import show
from dsl.strategies import inputs_for, json_text, mutated_bytes, mutated_json, mutated_json_line, programs
from dsl.values import to_json
from synth.cli import main
from tasks.lego.io import record_to_json, write_records, write_task_file
from tasks.strategies import records

ROOT = Path(__file__).resolve().parents[2]
LEGO_PROGRAM = ROOT / "examples" / "lego.dsl"
WORK = Path(tempfile.mkdtemp(prefix="lego-fuzz-cli-"))


def invoke(*args: str, ok=(0, 2)) -> Result:
    res = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    assert res.exit_code in ok, (args, res.exit_code, res.output[-2000:])
    assert "Traceback" not in res.output, res.output[-2000:]
    if res.exit_code == 2:
        assert res.output.strip(), "exit 2 without a message"
    event(f"{args[0]} exit {res.exit_code}")
    return res


def write(data: bytes, name: str) -> Path:
    path = WORK / name
    path.write_bytes(data)
    return path


@st.composite
def data_bytes(draw, fmt: str | None = None, hostile: bool = True) -> bytes:
    fmt = fmt or draw(st.sampled_from(["jsonl", "kazemnejad", "official", "signs", "readable"]))
    recs = draw(st.lists(records(group="Z2", max_size=6), min_size=1, max_size=4))
    buf = io.StringIO()
    write_records(recs, fmt, buf)
    data = buf.getvalue().encode()
    if not hostile or draw(st.integers(0, 4)) == 0:
        return data
    return draw(st.one_of(mutated_json_line(data), mutated_bytes(data)))


def test_validate(fuzz: settings) -> None:
    @fuzz
    @given(data_bytes(), st.booleans(), st.booleans())
    def check(data, skip_bad, as_json):
        path = write(data, "v.jsonl")
        invoke("validate", path, *(["--skip-bad"] if skip_bad else []), *(["--json"] if as_json else []))

    check()


def test_eval(fuzz: settings) -> None:
    @fuzz
    @given(data_bytes(), st.booleans())
    def check(data, skip_bad):
        path = write(data, "e.jsonl")
        invoke("eval", LEGO_PROGRAM, path, "--predict", "-o", WORK / "e.pred.jsonl", *(["--skip-bad"] if skip_bad else []))

    check()


@st.composite
def predictions(draw) -> tuple[bytes, bytes]:
    recs = draw(st.lists(records(group="Z2", max_size=5), min_size=1, max_size=4))
    buf = io.StringIO()
    write_records(recs, "jsonl", buf)
    lines = [json.dumps({"labels": record_to_json(r)["labels"]}) for r in recs]
    pred = ("\n".join(lines) + "\n").encode()
    if draw(st.booleans()):
        pred = draw(st.one_of(mutated_json_line(pred), mutated_bytes(pred)))
    return buf.getvalue().encode(), pred


def test_compare_predictions(fuzz: settings) -> None:
    @fuzz
    @given(predictions())
    def check(pair):
        data, pred = pair
        invoke("compare", write(data, "c.jsonl"), "--predictions", write(pred, "c.pred.jsonl"), "--program", LEGO_PROGRAM)

    check()


def test_invariance(fuzz: settings) -> None:
    @fuzz
    @given(data_bytes(fmt="jsonl"), predictions())
    def check(data, pair):
        path = write(data, "i.jsonl")
        invoke("invariance", "run", LEGO_PROGRAM, path, ok=(0, 1, 2))  # 1: the predictor failed on a sentence
        out = WORK / "i.t.jsonl"
        if invoke("invariance", "transform", path, "-o", out).exit_code == 0:
            invoke("invariance", "score", out, "--predictions", write(pair[1], "i.pred.jsonl"), ok=(0, 1, 2))

    check()


@st.composite
def program_and_input(draw) -> tuple[bytes, bytes, str]:
    program = draw(programs(max_depth=3))
    inputs = draw(inputs_for(program))
    obj = {k: to_json(v) for k, v in inputs.items()}
    text = show(program).encode()
    inp = json.dumps(obj)
    choice = draw(st.sampled_from(["program", "input", "both", "none"]))
    if choice in ("program", "both"):
        text = draw(mutated_bytes(text))
    if choice in ("input", "both"):
        inp = json_text(draw(mutated_json(obj))) if draw(st.booleans()) else draw(mutated_bytes(inp.encode())).decode("utf-8", "replace")
    return text, inp.encode() if isinstance(inp, str) else inp, choice


def test_run_and_check(fuzz: settings) -> None:
    @fuzz
    @given(program_and_input())
    def check(case):
        text, inp, choice = case
        prog = write(text, "r.dsl")
        invoke("check", prog)
        r1 = invoke("run", prog, "--input-file", write(inp, "r.json"), "--fuel", "100000", "--memory", "100000")
        r2 = invoke("run", prog, "--input", inp.decode("utf-8", "replace"), "--fuel", "100000", "--memory", "100000")
        if choice == "none":  # valid program, valid input: it runs (or fails at run time, exit 2), the same both ways
            assert r1.exit_code == r2.exit_code and r1.output == r2.output

    check()


@st.composite
def task_files(draw) -> bytes:
    recs = draw(st.lists(records(group="Z2", min_size=2, max_size=5, labelled="all"), min_size=2, max_size=3))
    buf = io.StringIO()
    write_task_file(recs[:-1], recs[-1:], buf)
    data = buf.getvalue().encode()
    if draw(st.integers(0, 3)) == 0:
        return data
    if draw(st.booleans()):
        obj = json.loads(data)
        return json_text(draw(mutated_json(obj))).encode()
    return draw(mutated_bytes(data))


def test_solve_task_file_and_weights(fuzz: settings) -> None:
    @fuzz
    @given(task_files(), st.one_of(st.none(), mutated_bytes(b'{"if": 2, "mod": 3}')))
    def check(task, weights):
        args = ["solve", write(task, "t.json"), "--timeout", "2", "--max-cost", "6", "--count", "3"]
        if weights is not None:
            args += ["--weights", write(weights, "w.json")]
        invoke(*args, ok=(0, 1, 2))

    check()

