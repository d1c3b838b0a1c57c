"""Record files: auto-detection of every format, task files, skipping bad records."""

from __future__ import annotations

import io
import json

from tasks.lego.generate import generate
from tasks.lego.io import read_records, read_task_file, task_file_object, write_records, write_task_file


def test_single_line_and_pretty_task_files_are_detected(tmp_path):
    train, test = generate(6, 3, 0), generate(12, 2, 1)
    obj = task_file_object(train, test, group="Z2")
    for name, text in (("one.json", json.dumps(obj)), ("pretty.json", json.dumps(obj, indent=2))):
        path = tmp_path / name
        path.write_text(text)
        meta, tr, te = read_task_file(path)
        assert meta["group"] == "Z2" and [r.sentence for r in tr] == [r.sentence for r in train]
        assert [dict(r.labels) for r in te] == [dict(r.labels) for r in test]


def test_reader_reports_format_and_syntax():
    buf = io.StringIO()
    write_records(generate(5, 4, 0, group="D4"), "jsonl", buf)
    reader = read_records(io.StringIO(buf.getvalue()))
    assert len(list(reader)) == 4 and reader.format == "jsonl" and reader.syntaxes == {"readable": 4}
    buf = io.StringIO()
    write_records(generate(5, 4, 0), "kazemnejad", buf)
    reader = read_records(io.StringIO(buf.getvalue()))
    assert len(list(reader)) == 4 and reader.format == "kazemnejad"


def test_skip_bad_calls_back_with_located_errors():
    lines = "a = +1; b = -a;\na = +1; b = -q;\n{oops\na = +1; b = +a;\n"
    seen = []
    reader = read_records(io.StringIO(lines), skip_bad=True, on_skip=seen.append)
    assert len(list(reader)) == 2
    assert [e.line for e in seen] == [2, 3] and seen[0].clause == 2 and seen[0].kind == "undefined"


def test_task_file_bytes_are_stable(tmp_path):
    recs = generate(6, 3, 0, group="S3", structure="tree")
    a, b = io.StringIO(), io.StringIO()
    write_task_file(recs, recs[:1], a, group="S3", structure="tree")
    write_task_file(recs, recs[:1], b, group="S3", structure="tree")
    assert a.getvalue() == b.getvalue() and a.getvalue().count("\n") == 13


def test_a_task_file_says_what_structure_its_records_have(tmp_path):
    """The writer and the reader agree: trees are written as "tree" (and read back), never as the reader-refused "chain"."""
    import pytest

    from dsl.errors import UserError

    chains, trees = generate(6, 3, 0), generate(8, 20, 1, structure="tree")
    assert task_file_object(chains)["structure"] == "chain" and task_file_object(trees, chains)["structure"] == "tree"
    path = tmp_path / "trees.json"
    with open(path, "w") as f:
        write_task_file(trees, chains, f)
    meta, tr, _ = read_task_file(path)
    assert meta["structure"] == "tree" and [r.sentence for r in tr] == [r.sentence for r in trees]
    with pytest.raises(UserError, match="cannot be written as"):
        task_file_object(trees, structure="chain")
    assert task_file_object(chains, structure="tree")["structure"] == "tree"  # a chain is a tree
