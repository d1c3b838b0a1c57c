"""`synth eval -o` then `synth compare` on a LEGO task file, as they are; and eval's exit status, as invariance's."""

from __future__ import annotations

import inspect
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from synth.cli import main

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = ROOT / "examples"
LEGO_TASKS = sorted(EXAMPLES.glob("lego_*.json"))
LEGO_PROGRAM = EXAMPLES / "lego.dsl"
HEADER = "type Clause = {lhs: Sym, op: Elem, rhs: Sym, root: Bool}\ninput clauses: List[Clause]\n"
OPS_ONLY = HEADER + "[c.op for c in clauses]\n"  # right only where a value is its clause's operator: wrong answers, no failure
FAILS_WHEN_ROOT_FIRST = HEADER + "[if clauses[0].root then clauses[100].op else c.op for c in clauses]\n"

RUNNER = CliRunner(**({"mix_stderr": False} if "mix_stderr" in inspect.signature(CliRunner).parameters else {}))


def run(*args: object):
    return RUNNER.invoke(main, [str(a) for a in args])


def item_line(path: Path, split: str, index: int) -> int:
    """The line of a split's `index`-th (0-based) item, in a bundled task file that writes one item a line."""
    lines = path.read_text().splitlines()
    start = next(n for n, text in enumerate(lines, 1) if text.strip() == f'"{split}": [')
    assert lines[start + index].lstrip().startswith("{")
    return start + 1 + index


def program(tmp_path: Path, text: str, name: str = "p.dsl") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


@pytest.mark.parametrize("task", LEGO_TASKS, ids=lambda p: p.stem)
def test_eval_output_compares_on_the_test_split_as_eval_scored_it(tmp_path, task):
    """Before: compare refused eval's own file ("out of step"), and the test lines had to be cut out by hand."""
    prog, preds = program(tmp_path, OPS_ONLY), tmp_path / "preds.jsonl"
    r = run("eval", prog, task, "-o", preds, "--json")
    assert r.exit_code == 0, r.stderr
    evaluated = json.loads(r.stdout)["splits"]
    lines = [json.loads(x) for x in preds.read_text().splitlines()]
    cut = tmp_path / "cut.jsonl"  # the test lines alone, in the old format: what users did by hand
    cut.write_text("".join(json.dumps({k: v for k, v in x.items() if k != "split"}) + "\n" for x in lines if x["split"] == "test"))
    for split, args in (("test", []), ("train", ["--split", "train"])):
        r = run("compare", task, "--predictions", preds, "--json", *args)
        assert r.exit_code == 0, r.stderr
        got = json.loads(r.stdout)
        seed = got["models"]["preds"]["seeds"][0]
        assert got["split"] == split
        for key in ("records", "overall", "sentence_accuracy", "by_length"):
            assert seed[key] == evaluated[split][key], key
    direct = json.loads(run("compare", task, "--predictions", cut, "--json").stdout)["models"]["cut"]["seeds"][0]
    assert direct == json.loads(run("compare", task, "--predictions", preds, "--json").stdout)["models"]["preds"]["seeds"][0]


def test_compare_errors_name_the_file_and_line(tmp_path):
    task = EXAMPLES / "lego_z2_paper.json"
    preds = tmp_path / "preds.jsonl"
    assert run("eval", LEGO_PROGRAM, task, "-o", preds).exit_code == 0
    lines = preds.read_text().splitlines(keepends=True)
    cases = {
        "mixed.jsonl": (lines[:5] + [x.replace('"split":"test",', "") for x in lines[5:]], ':6:1: this line has no "split", but line 1 has one'),
        "dev.jsonl": (lines[:2] + [lines[2].replace('"train"', '"dev"')] + lines[3:], ':3:1: unknown split "dev"'),
        "train.jsonl": (lines[:5], ":1:1: missing prediction: the file ends after 0 predictions"),
    }
    for name, (text, message) in cases.items():
        (tmp_path / name).write_text("".join(text))
        r = run("compare", task, "--predictions", tmp_path / name)
        assert r.exit_code == 2 and f"{tmp_path / name}{message}" in r.stderr and "Traceback" not in r.stderr, r.stderr
    assert "(5 lines of the train split, not scored: --split train?)" in run("compare", task, "--predictions", tmp_path / "train.jsonl").stderr
    records = tmp_path / "records.jsonl"
    records.write_text("".join(json.dumps(d) + "\n" for d in json.loads(task.read_text())["test"]))
    r = run("compare", records, "--predictions", preds)
    assert r.exit_code == 2 and f"{preds}:1:1: this line is for the train split of a task file, but the data" in r.stderr


def test_eval_refuses_outputs_compare_could_not_read(tmp_path):
    task = EXAMPLES / "lego_z2_paper.json"
    r = run("eval", LEGO_PROGRAM, task, "-o", tmp_path / "p.npz")
    assert r.exit_code == 2 and "eval writes predictions as JSONL" in r.stderr and not (tmp_path / "p.npz").exists()
    records = tmp_path / "records.jsonl"
    records.write_text("".join(json.dumps(d) + "\n" for d in json.loads(task.read_text())["test"]))
    r = run("eval", LEGO_PROGRAM, task, records, "-o", tmp_path / "p.jsonl")
    assert r.exit_code == 2 and "one predictions file cannot hold both" in r.stderr and not (tmp_path / "p.jsonl").exists()
    assert run("eval", LEGO_PROGRAM, task, records).exit_code == 0  # without -o, as before


def test_eval_exits_1_when_the_program_raised_after_writing_everything(tmp_path):
    task = EXAMPLES / "lego_z5.json"
    prog, preds, csv = program(tmp_path, FAILS_WHEN_ROOT_FIRST), tmp_path / "preds.jsonl", tmp_path / "r.csv"
    r = run("eval", prog, task, "-o", preds, "--csv", csv, "--json")
    assert r.exit_code == 1, r.stderr
    report = json.loads(r.stdout)["splits"]  # the whole report, printed before the exit
    failed = report["train"]["failed"] + report["test"]["failed"]
    records = report["train"]["records"] + report["test"]["records"]
    assert failed and len(preds.read_text().splitlines()) == records and csv.read_text().count("\n") > 1
    first = next(k for k, x in enumerate(json.loads(line) for line in preds.read_text().splitlines()) if "error" in x)
    train = json.loads(task.read_text())["train"]
    line = item_line(task, "train", first) if first < len(train) else item_line(task, "test", first - len(train))
    (message,) = r.stderr.splitlines()
    assert message.startswith(f"the program failed (a run-time error) on {failed} of {records} records, scored as wrong; the first at {task}:{line}: ")
    assert "index 100 out of range" in message


def test_eval_exits_0_when_answers_are_wrong_but_the_program_ran(tmp_path):
    r = run("eval", program(tmp_path, OPS_ONLY), EXAMPLES / "lego_z2_paper.json", "--json")
    assert r.exit_code == 0 and r.stderr == ""
    assert json.loads(r.stdout)["splits"]["test"]["overall"]["accuracy"] < 1


def test_eval_on_a_task_file_of_another_family_exits_1_naming_the_first_failure(tmp_path):
    reverse = EXAMPLES / "reverse_string.json"
    prog = program(tmp_path, "input xs: List[Int]\n[xs[len(xs) - 1 - i] for i in range(len(xs) + (if len(xs) > 12 then 1 else 0))]\n")
    r = run("eval", prog, reverse)
    assert r.exit_code == 1 and "examples where the program failed (scored as wrong): 17" in r.stdout
    doc = json.loads(reverse.read_text())
    first = next(k for k, ex in enumerate(doc["test"]) if len(ex["input"]["xs"]) > 12)
    total = len(doc["train"]) + len(doc["test"])
    assert r.stderr.splitlines() == [
        f"the program failed (a run-time error) on 17 of {total} examples, scored as wrong; "
        f"the first at {reverse}:{item_line(reverse, 'test', first)}: index -1 out of range for a list of length 13"
    ]
    assert run("eval", EXAMPLES / "reverse_string.dsl", reverse).exit_code == 0


def test_help_states_the_exit_status_convention():
    for args in (["eval", "--help"], ["invariance", "--help"]):
        r = run(*args)
        assert r.exit_code == 0 and "Exit status" in r.stdout and "1 when" in r.stdout, args
