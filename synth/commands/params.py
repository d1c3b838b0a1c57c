"""Parameter types the commands share.

`INPUT_FILE` is click.Path(dir_okay=False) with the project's message: a
folder given for a file is `error: DIR: is a folder, not a file`, exit 2, as
every reader says it, not click's usage banner.
"""

from __future__ import annotations

import os
from typing import Any

import click

from dsl.errors import UserError


class InputFile(click.ParamType):
    """A file name; a folder is refused as a UserError (one line, exit 2, from `synth.cli.Main.invoke`)."""

    name = "file"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        path = os.fspath(value)
        if os.path.isdir(path):
            raise UserError("is a folder, not a file", file=path)
        return path


INPUT_FILE = InputFile()
