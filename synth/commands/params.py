"""Parameter types and checks the commands share.

`INPUT_FILE` is click.Path(dir_okay=False) with the project's message: a
folder given for a file is `error: DIR: is a folder, not a file`, exit 2, as
every reader says it, not click's usage banner. `refuse_shared_stdout`
refuses two outputs sent to standard output ("-" or /dev/stdout) at once.
"""

from __future__ import annotations

import os
import stat
from typing import Any

import click

from dsl.errors import UserError
from dsl.files import is_standard_output


def refuse_folder(path: str | None) -> None:
    """UserError if `path` names a folder where a file is wanted: the one message every command gives for it."""
    if path is not None and path != "-" and os.path.isdir(path):
        raise UserError("is a folder, not a file", file=path)


def refuse_stream(path: str) -> None:
    """UserError if `path` is a pipe or a device: data and task files are read more than once, a pipe only once.

    Their first bytes tell their kind (JSONL, a task file, .npz, SQLite) before
    the reader proper opens them again; from a pipe (`<(cat f)`, /dev/stdin)
    that second read got nothing ("no records"), and from a named pipe it
    waited for a writer that never came.
    """
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return  # missing or unreadable: the reader says so, naming the file
    if stat.S_ISFIFO(mode) or stat.S_ISCHR(mode) or stat.S_ISSOCK(mode):
        raise UserError("is a pipe or a device, not a regular file: data and task files are read twice "
                        "(their first bytes tell their kind), which a pipe allows only once; save it to a file first", file=path)


def refuse_non_utf8(path: str) -> None:
    """UserError for a file name that is not UTF-8 (bytes the file system allows, which Python decodes to lone surrogates).

    Input names are written into outputs as text (program headers, CSV rows,
    a results database's rows), where such a name fails only after the work.
    """
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        raise UserError(f"{os.fsencode(path)!r}: the file name is not valid UTF-8; rename it (file names are written into outputs as text)") from None


class InputFile(click.ParamType):
    """A file name; a folder is refused as a UserError (one line, exit 2, from `synth.cli.Main.invoke`), and so is a pipe unless `streams`."""

    name = "file"

    def __init__(self, streams: bool = True) -> None:
        self.streams = streams

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        path = os.fspath(value)
        refuse_non_utf8(path)
        refuse_folder(path)
        if not self.streams:
            refuse_stream(path)
        return path


INPUT_FILE = InputFile()  # a file read once (a DSL program, JSON inputs, a profile): a pipe will do
DATA_FILE = InputFile(streams=False)  # data, task files, specs, results databases: a regular file

# Said in the help of every option that names an output file: what happens to a file already there.
REPLACES = "An existing file is replaced once the new one is whole; an SQLite database (a sweep's results) is refused."


def refuse_shared_stdout(**outputs: str | None) -> None:
    """Two outputs sent to standard output would interleave two formats in one stream: refused before any work.

    Keys are the options as the user wrote them ("-o", "--csv"); "-" and a
    name for the same file (/dev/stdout) both count.
    """
    shared = [f"{flag} {path}" for flag, path in outputs.items() if is_standard_output(path)]
    if len(shared) > 1:
        raise click.UsageError(f"{' and '.join(shared)} would share standard output: send all but one of them to files")
