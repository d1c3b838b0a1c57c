"""Contracts of dsl.files on the writing side: whole files or none, inputs never overwritten, partial output named as such."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from dsl.errors import UserError
from dsl.files import (
    PARTIAL_SUFFIX,
    atomic_output,
    partial_name,
    refuse_clashing_outputs,
    refuse_partial,
    refuse_unwritable,
    write_text_atomic,
)

ROOT = Path(__file__).resolve().parents[2]


def test_interrupted_output_keeps_what_was_written_only_when_asked(tmp_path):
    out = tmp_path / "preds.jsonl"
    out.write_text("old\n")
    kept: list[str] = []
    with pytest.raises(KeyboardInterrupt):
        with atomic_output(out, on_partial=kept.append) as f:
            f.write("a\nb\n")
            raise KeyboardInterrupt
    assert out.read_text() == "old\n", "the previous file stays whole"
    assert kept == [partial_name(out)] and Path(kept[0]).read_text() == "a\nb\n"
    assert sorted(os.listdir(tmp_path)) == ["preds.jsonl", "preds.jsonl" + PARTIAL_SUFFIX]


def test_nothing_written_leaves_no_partial_file(tmp_path):
    out = tmp_path / "preds.jsonl"
    kept: list[str] = []
    with pytest.raises(UserError):
        with atomic_output(out, on_partial=kept.append):
            raise UserError("bad record")
    assert kept == [] and os.listdir(tmp_path) == []


def test_success_replaces_and_keeps_the_mode(tmp_path):
    out = tmp_path / "x.csv"
    out.write_text("old")
    os.chmod(out, 0o640)
    write_text_atomic(out, "new")
    assert out.read_text() == "new" and (out.stat().st_mode & 0o777) == 0o640
    assert os.listdir(tmp_path) == ["x.csv"]


def test_a_symlinked_output_updates_the_file_it_points_to(tmp_path):
    real = tmp_path / "real.txt"
    real.write_text("old")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    write_text_atomic(link, "new")
    assert link.is_symlink() and real.read_text() == "new"


def test_a_device_is_written_directly():
    with atomic_output(os.devnull) as f:  # no temporary file in /dev, no rename over it
        f.write("discarded")


def test_refusals_name_the_clash(tmp_path):
    data = tmp_path / "data.jsonl"
    data.write_text("x")
    hard = tmp_path / "hard.jsonl"
    os.link(data, hard)
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        for output in (data, hard, "./data.jsonl", "data.jsonl", "../" + tmp_path.name + "/data.jsonl"):
            with pytest.raises(UserError, match="also an input"):
                refuse_clashing_outputs([output], [str(data)])
        with pytest.raises(UserError, match="two outputs name one file"):
            refuse_clashing_outputs(["out.csv", "./out.csv"], [])
        refuse_clashing_outputs(["-", None, "new.csv"], ["-", None, "data.jsonl"])  # stdout and stdin never clash
    finally:
        os.chdir(cwd)
    assert data.read_text() == "x"


def test_an_output_that_cannot_be_written_is_refused_up_front(tmp_path):
    afile = tmp_path / "a.txt"
    afile.write_text("x")
    for output, message in (
        (tmp_path / "nodir" / "x.csv", f"cannot write: the folder {tmp_path / 'nodir'} does not exist"),
        (afile / "x.csv", f"cannot write: {afile} is not a folder"),
        (tmp_path, "is a folder, not a file"),
    ):
        with pytest.raises(UserError, match="^" + re.escape(f"{output}: {message}") + "$"):
            refuse_clashing_outputs([output], [])
    (tmp_path / "link").symlink_to(tmp_path / "nodir" / "x")
    with pytest.raises(UserError, match="does not exist"):
        refuse_unwritable(tmp_path / "link")
    for fine in (None, "-", os.devnull, afile, tmp_path / "new.csv", "relative.csv"):
        refuse_unwritable(fine)
    assert afile.read_text() == "x" and sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "link"]


def test_partial_files_are_refused_as_data(tmp_path):
    with pytest.raises(UserError, match="partial output of an interrupted command") as err:
        refuse_partial(tmp_path / ("preds.jsonl" + PARTIAL_SUFFIX))
    assert str(err.value).startswith(str(tmp_path))
    refuse_partial(tmp_path / "preds.jsonl")
    refuse_partial("-")
    refuse_partial(None)


WRITE = re.compile(r"""open\([^)]*['"][wax]b?\+?['"]|\.write_text\(|\.write_bytes\(|savefig\(\s*path""")


def test_every_file_the_packages_write_goes_through_atomic_output():
    """The rule holds by construction: no module but dsl/files.py opens a file for writing."""
    offenders = []
    for package in ("dsl", "tasks", "synth"):
        for path in sorted((ROOT / package).rglob("*.py")):
            if path == ROOT / "dsl" / "files.py":
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if WRITE.search(line):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == [], "write through dsl.files.atomic_output:\n" + "\n".join(offenders)
