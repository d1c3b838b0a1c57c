"""Files given where a task or data file is expected that are something else: a program, a suite spec, arrays.

Without this, a DSL program or a TOML spec reached the LEGO text reader and
got its message ("no root literal ..."), which sends the user to the wrong
fix. The kind is told by the name's extension, or by a first line no data
file can have (`input xs: ...`, `[defaults]`), and the message says which
command takes such a file. Checks are cheap: an extension, then one line.
"""

from __future__ import annotations

import os
import re

from dsl.errors import UserError

PROGRAM = "program"
SPEC = "spec"
ARRAYS = "arrays"

EXTENSIONS = {".dsl": PROGRAM, ".toml": SPEC, ".npz": ARRAYS}

# A program's declarations (`input NAME: TYPE`, `type NAME = TYPE`): a LEGO clause is `NAME = ...`.
_PROGRAM_LINE = re.compile(r"(input\s+[A-Za-z_]\w*\s*:|type\s+[A-Za-z_]\w*\s*=[^=])")
# A TOML table header (`[defaults]`, `[[generated]]`) or a key given a string or a list: no LEGO line has brackets or quotes.
_SPEC_LINE = re.compile(r"(\[\[?\s*[A-Za-z_][\w.-]*\s*\]\]?\s*(#.*)?|[A-Za-z_][\w-]*\s*=\s*[\"'\[].*)$")

EXPECTED = "a task file (JSON) or LEGO data (records or sentences, one a line) is read here"
WHAT = {
    PROGRAM: f"a DSL program, not a task or data file ({EXPECTED}): give programs to `synth run`, `synth check` "
    "or `synth eval PROGRAM DATA`",
    SPEC: f"a suite spec (TOML), not a task or data file ({EXPECTED}): run it with `synth suite run SPEC --db FILE`",
    ARRAYS: f"the LEGO paper's arrays (.npz), not a task or data file ({EXPECTED}): `synth eval`, `synth compare`, "
    "`synth invariance run` and `synth validate` read them, as does `synth.read_paper_npz`",
}

TASK_SHAPE = (
    'a task file is one JSON object with a "train" list, e.g. '
    '{"name": "sum", "train": [{"input": {"xs": [1, 2]}, "output": 3}, ...], "test": [...]} '
    '(LEGO records: {"sentence": "a = +1; b = -a", "labels": {"a": 1}})'
)


def kind_of_name(path: str | os.PathLike[str]) -> str | None:
    """PROGRAM, SPEC or ARRAYS by the file name's extension; None for any other name."""
    return EXTENSIONS.get(os.path.splitext(os.fspath(path))[1].lower())


def kind_of_line(line: str) -> str | None:
    """PROGRAM or SPEC if `line` (a file's first line of content) can only start one; else None."""
    text = line.strip()
    if _PROGRAM_LINE.match(text):
        return PROGRAM
    if _SPEC_LINE.match(text):
        return SPEC
    return None


def refuse_other_kind(path: str | os.PathLike[str], kind: str | None = None) -> None:
    """UserError naming the file if it is (by name, or `kind` as found) a program, spec or arrays, and which command takes it."""
    kind = kind or kind_of_name(path)
    if kind is not None:
        raise UserError(WHAT[kind], file=os.fspath(path))
