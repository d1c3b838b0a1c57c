"""One test per validation error: each names file, line and clause, and `synth validate` exits 2."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from synth.cli import main

GOOD = "a = val 1 ,  b = not a , "

CASES = {
    # name: (file content, line of the error, clause number or None, words in the message)
    "undefined": (f"{GOOD}\na = val 1 ,  b = not c , \n", 2, 2, "never defined"),
    "defined twice": (f"{GOOD}\n{GOOD}\na = val 1 ,  b = not a ,  a = val 0 , \n", 3, 3, "defined twice"),
    "cycle": ("r = val 0 ,  a = not b ,  b = val a , \n", 1, 2, "cycle"),
    "no root": ("a = not b ,  b = val c ,  c = not a , \n", 1, None, "no root"),
    "two roots": ("a = val 1 ,  b = val 0 , \n", 1, 2, "more than one root"),
    "unknown element": ('{"sentence": "a = Z5:3; b = 7 a;"}\n', 1, 2, 'unknown element "7"'),
    "unknown modifier": (f"{GOOD}\na = val 1 ,  b = maybe a , \n", 2, 2, "unknown modifier"),
    "malformed": ("a = +1; b = -a;\na = +1; b = * a;\n", 2, 2, "malformed"),
    "contradicting labels": ('{"sentence": "a = +1; b = -a;", "labels": {"a": 1, "b": 1}}\n', 1, 2, "contradicts"),
    "broken json": ('{"sentence": "a = +1; b = -a;", "labels": {}}\n{"sentence": "a = +1;", \n', 2, None, "broken JSON"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_validation_error(case, tmp_path):
    content, line, clause, words = CASES[case]
    path = tmp_path / "data.txt"
    path.write_text(content)
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 2, result.output
    err = result.stderr if hasattr(result, "stderr") else result.output
    assert f"{path}:{line}:" in err
    if clause is not None:
        assert f"clause {clause}:" in err
    assert words in err
    assert "Traceback" not in result.output


def test_skip_bad_counts_and_goes_on(tmp_path):
    path = tmp_path / "data.txt"
    path.write_text("\n".join([GOOD, "a = val 1 ,  b = not c , ", GOOD, "{broken", GOOD]) + "\n")
    result = CliRunner().invoke(main, ["validate", "--skip-bad", str(path)])
    assert result.exit_code == 0
    assert "3 records" in result.output and "skipped 2 bad records" in result.stderr


def test_summary(tmp_path):
    path = tmp_path / "d.jsonl"
    runner = CliRunner()
    r = runner.invoke(main, ["gen", "lego", "--n", "12", "--count", "50", "--supervised", "6", "-o", str(path)])
    assert r.exit_code == 0, r.output
    r = runner.invoke(main, ["validate", str(path)])
    assert r.exit_code == 0
    assert "50 records" in r.output and "Z2" in r.output and "official" in r.output and "50.0%" in r.output


def test_task_file_errors_name_the_record(tmp_path):
    path = tmp_path / "t.json"
    path.write_text(json.dumps({"family": "lego", "group": "Z2", "train": [
        {"sentence": GOOD, "labels": {"a": 1}},
        {"sentence": "a = val 1 ,  b = not z , ", "labels": {}},
    ]}, indent=1))
    r = CliRunner().invoke(main, ["validate", str(path)])
    assert r.exit_code == 2 and "train record 2" in r.stderr and "clause 2" in r.stderr
    path.write_text(path.read_text().replace("\n", " "))  # pretty JSON on one line: no line numbers
    r = CliRunner().invoke(main, ["validate", str(path)])
    assert r.exit_code == 2 and "train record 2" in r.stderr


def test_stream_is_read_lazily(tmp_path):
    from tasks.lego.io import read_records

    class Lines:
        """A file that fails if read beyond the first few lines."""

        name = "lazy"

        def __init__(self):
            self.served = 0

        def __iter__(self):
            return self

        def __next__(self):
            self.served += 1
            if self.served > 3:
                raise AssertionError("read too far")
            return GOOD + "\n"

        def read(self):
            raise AssertionError("read whole")

    lines = Lines()
    it = read_records(lines)
    next(it), next(it)
    assert lines.served <= 3


def test_binary_file_is_a_clear_error(tmp_path):
    path = tmp_path / "bin.dat"
    path.write_bytes(b"\xff\xfe\x00garbage\x80\x81\n" * 10)
    r = CliRunner().invoke(main, ["validate", str(path)])
    assert r.exit_code == 2 and "UTF-8" in r.stderr and "Traceback" not in r.output


def test_task_file_written_one_record_a_line_names_the_line(tmp_path):
    from tasks.lego.generate import generate
    from tasks.lego.io import write_task_file

    path = tmp_path / "t.json"
    with open(path, "w") as f:
        write_task_file(generate(6, 3, 0), generate(6, 2, 1), f, group="Z2")
    lines = path.read_text().split("\n")
    lines[11] = lines[11].replace("val", "vol", 1)  # the second test record (line 12)
    path.write_text("\n".join(lines))
    r = CliRunner().invoke(main, ["validate", str(path)])
    assert r.exit_code == 2 and f"{path}:12:18: test record 2: " in r.stderr  # the sentence's column
