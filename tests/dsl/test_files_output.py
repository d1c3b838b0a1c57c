"""Contracts of dsl.files on the writing side: whole files or none, inputs never overwritten, partial output named as such."""

from __future__ import annotations

import contextlib
import errno
import io
import os
import re
import sys
from pathlib import Path

import pytest

from dsl.errors import UserError
from dsl.files import (
    PARTIAL_SUFFIX,
    WriteFailed,
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


@pytest.mark.parametrize("name", ["p" * 250 + ".dsl", "é" * 124 + ".jsonl"])  # 254 bytes each: a name cut by bytes would split an é
def test_an_output_named_up_to_the_file_name_limit_is_written(tmp_path, name):
    """Its temporary name beside it went over the limit, so a name `touch` takes was refused (File name too long)."""
    out = tmp_path / name
    write_text_atomic(out, "new\n")
    assert out.read_text() == "new\n" and os.listdir(tmp_path) == [name]


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


class _FullDisk(io.StringIO):
    """A stream that fails as a full disk does, on the n-th write (0: the first)."""

    def __init__(self, fail_at: int = 0, code: int = errno.ENOSPC) -> None:
        super().__init__()
        self.writes, self.fail_at, self.code = 0, fail_at, code

    def write(self, text: str) -> int:
        self.writes += 1
        if self.writes > self.fail_at:
            raise OSError(self.code, os.strerror(self.code))
        return super().write(text)


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EFBIG, errno.EDQUOT])
@pytest.mark.parametrize("on_partial", [None, print])
def test_a_failed_write_is_a_user_error_that_keeps_the_old_file(tmp_path, monkeypatch, code, on_partial):
    """Before: the OSError of a full disk (or `ulimit -f`, or a quota) escaped as a traceback."""
    out = tmp_path / "big.jsonl"
    out.write_text("old\n")
    monkeypatch.setattr(io, "open", lambda *a, **k: _FullDisk(fail_at=1, code=code))
    with pytest.raises(WriteFailed) as caught:
        with atomic_output(out, on_partial=on_partial) as f:
            for _ in range(3):
                f.write("a record\n")
    monkeypatch.undo()
    assert isinstance(caught.value, UserError) and caught.value.file == str(out)
    assert str(caught.value) == f"{out}: cannot write: {os.strerror(code)}"
    assert out.read_text() == "old\n", "the previous file stays whole"
    assert os.listdir(tmp_path) == ["big.jsonl"], "no temporary or partial file is left: its last record may be cut"


def test_a_failed_close_or_rename_is_a_user_error(tmp_path, monkeypatch):
    out = tmp_path / "p.dsl"
    out.write_text("old\n")

    def no_rename(a: str, b: str) -> None:
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(os, "replace", no_rename)
    with pytest.raises(WriteFailed, match="cannot write: Input/output error"):
        write_text_atomic(out, "new\n")
    monkeypatch.undo()
    assert out.read_text() == "old\n" and os.listdir(tmp_path) == ["p.dsl"]


def test_other_errors_of_the_block_are_not_called_write_failures(tmp_path):
    """An OSError of reading an input, raised inside the block, is not the output's failure."""
    with pytest.raises(FileNotFoundError):
        with atomic_output(tmp_path / "out.txt") as f:
            f.write("x")
            open(tmp_path / "missing.txt")  # noqa: SIM115
    assert os.listdir(tmp_path) == []


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="Linux's /dev/full")
def test_a_full_device_is_a_user_error():
    with pytest.raises(WriteFailed, match="/dev/full: cannot write: No space left on device"):
        write_text_atomic("/dev/full", "x" * 100_000)


def test_a_full_standard_output_is_a_user_error(monkeypatch):
    monkeypatch.setattr(sys, "stdout", _FullDisk())
    with pytest.raises(WriteFailed, match="standard output: cannot write"):
        with atomic_output(None) as f:
            f.write("x")


def test_a_closed_pipe_stays_a_broken_pipe(monkeypatch):
    """The CLI ends quietly on BrokenPipeError (`synth gen ... | head`): it is not turned into an error message."""
    monkeypatch.setattr(sys, "stdout", _FullDisk(code=errno.EPIPE))
    with pytest.raises(BrokenPipeError):
        with atomic_output("-") as f:
            f.write("x")


@pytest.mark.parametrize("check", [lambda p: atomic_output(p).__enter__(), refuse_unwritable, lambda p: refuse_clashing_outputs([p])])
def test_an_empty_output_name_is_refused(tmp_path, monkeypatch, check):
    """Before: `-o ''` made a temporary file in the parent folder and failed renaming it (a traceback), or wrote nothing."""
    monkeypatch.chdir(tmp_path)
    with pytest.raises(UserError, match="the output file name is empty"):
        check("")
    assert os.listdir(tmp_path) == [] and not any(n.endswith(PARTIAL_SUFFIX) for n in os.listdir(tmp_path.parent))


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


# -- audit 7 (G5): no output replaces an SQLite database -----------------------------


def _database(path: Path) -> bytes:
    import sqlite3

    with contextlib.closing(sqlite3.connect(path)) as db:
        db.execute("CREATE TABLE results (cell TEXT, status TEXT)")
        db.execute("INSERT INTO results VALUES ('c1', 'found')")
        db.commit()
    return path.read_bytes()


DATABASE_REFUSED = "is an SQLite database (a sweep's results?): not replacing it; give another name or delete it first"


@pytest.mark.parametrize("writer", ["atomic_output", "write_text_atomic", "binary", "on_partial", "refuse_unwritable", "refuse_clashing_outputs"])
@pytest.mark.parametrize("through_link", [False, True], ids=["file", "symlink"])
def test_an_sqlite_database_is_never_replaced(tmp_path, writer, through_link):
    """Before: every output replaced it silently (`synth suite spec chomsky -o results.sqlite`, a slip for --db, lost a sweep)."""
    db = tmp_path / "results.sqlite"
    before = _database(db)
    out = db
    if through_link:
        out = tmp_path / "link.csv"
        out.symlink_to(db)
    ran = []
    with pytest.raises(UserError) as err:
        if writer == "write_text_atomic":
            write_text_atomic(out, "model,seed\n")
        elif writer == "refuse_unwritable":
            refuse_unwritable(out)
        elif writer == "refuse_clashing_outputs":
            refuse_clashing_outputs([None, out], [], replaced=True)
        else:
            kwargs = {"binary": True} if writer == "binary" else {"on_partial": ran.append} if writer == "on_partial" else {}
            with atomic_output(out, **kwargs) as f:
                ran.append("the block")
                f.write(b"x" if writer == "binary" else "x")
    assert str(err.value) == f"{out}: {DATABASE_REFUSED}"
    assert ran == [], "refused before the block runs"
    assert db.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == sorted({db.name, out.name})


def test_a_database_opened_in_place_passes_the_clash_check(tmp_path):
    """`synth suite run --db` checks its database with refuse_clashing_outputs, and opens it in place: not refused there."""
    db = tmp_path / "results.sqlite"
    _database(db)
    refuse_clashing_outputs([db], [tmp_path / "spec.toml"], replaced=False)
    refuse_unwritable(db, replaced=False)
    with pytest.raises(UserError, match="is an SQLite database"):  # the default: an output that is replaced
        refuse_clashing_outputs([db], [tmp_path / "spec.toml"])


@pytest.mark.parametrize("content", [b"", b"SQLite format 3", b"SQLite format 2\x00" + b"x" * 100, b"model,seed\n"],
                         ids=["empty", "magic-cut-short", "other-magic", "csv"])
def test_any_other_existing_file_is_still_replaced(tmp_path, content):
    out = tmp_path / "out.csv"
    out.write_bytes(content)
    refuse_clashing_outputs([out], [], replaced=True)
    write_text_atomic(out, "new\n")
    assert out.read_text() == "new\n"


def test_a_pipe_is_not_opened_to_see_whether_it_is_a_database(tmp_path):
    """A named pipe is written directly, and reading its first bytes would wait for a writer forever."""
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    refuse_unwritable(fifo)


def test_dev_stdout_on_a_pipe_is_written_directly(tmp_path):
    """Audit 8 H2: /dev/stdout resolves to /proc/self/fd/pipe:[...], a name that exists nowhere: `cannot write: No such file`."""
    import subprocess
    import sys

    code = "from dsl.files import refuse_unwritable, write_text_atomic; refuse_unwritable('/dev/stdout'); write_text_atomic('/dev/stdout', 'hello\\n')"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=Path(__file__).resolve().parents[2])
    assert out.returncode == 0 and out.stdout == "hello\n", out.stderr
