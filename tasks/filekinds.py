"""Files given where a task or data file is expected that are something else: a program, a suite spec, arrays, a database.

Without this, a DSL program or a TOML spec reached the LEGO text reader and
got its message ("no root literal ..."), which sends the user to the wrong
fix. The kind is told by the name's extension (`.input.json` included), by
the first bytes (SQLite's header), or by a first line no data file can have
(`input xs: ...`, `[defaults]`), and the message says which command takes
such a file. Checks are cheap: a name, 16 bytes, then one line.
"""

from __future__ import annotations

import os
import re
import zipfile

from dsl.errors import UserError
from dsl.files import is_sqlite_database, iter_lines

PROGRAM = "program"
SPEC = "spec"
ARRAYS = "arrays"
DATABASE = "database"
INPUT = "input"

EXTENSIONS = {".dsl": PROGRAM, ".toml": SPEC, ".npz": ARRAYS}
INPUT_SUFFIX = ".input.json"  # one input's values, as examples/parity.input.json: `synth run --input-file`

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
    DATABASE: f"a results database (SQLite), not a task or data file ({EXPECTED}): "
    "use `synth suite report FILE` or `synth suite status FILE`",
    INPUT: f"an input file (one input's values), not a task or data file ({EXPECTED}): "
    "give it to `synth run PROGRAM --input-file FILE`",
}

# What each kind is, in a message about another expected file (a program, a predictions file).
NAMES = {
    PROGRAM: "a DSL program",
    SPEC: "a TOML file (a suite spec or a grammar profile)",
    ARRAYS: "the LEGO paper's arrays (.npz)",
    DATABASE: "a results database (SQLite): use `synth suite report FILE` or `synth suite status FILE`",
    INPUT: "an input file (one input's values): give it to `synth run PROGRAM --input-file FILE`",
}

TASK_SHAPE = (
    'a task file is one JSON object with a "train" list, e.g. '
    '{"name": "sum", "train": [{"input": {"xs": [1, 2]}, "output": 3}, ...], "test": [...]} '
    '(LEGO records: {"sentence": "a = +1; b = -a", "labels": {"a": 1}})'
)


def kind_of_name(path: str | os.PathLike[str]) -> str | None:
    """PROGRAM, SPEC, ARRAYS or INPUT by the file name's extension; None for any other name."""
    name = os.fspath(path).lower()
    if name.endswith(INPUT_SUFFIX):
        return INPUT
    return EXTENSIONS.get(os.path.splitext(name)[1])


def kind_of_bytes(path: str | os.PathLike[str]) -> str | None:
    """DATABASE if the file starts with SQLite's header; None otherwise, or if it cannot be read (its reader says why).

    A pipe or device is not opened here (reading it would take bytes its reader needs, or wait).
    """
    return DATABASE if is_sqlite_database(path) else None


def kind_of_file(path: str | os.PathLike[str]) -> str | None:
    """The kind by name, else by the first bytes."""
    return kind_of_name(path) or kind_of_bytes(path)


def npz_members(path: str | os.PathLike[str]) -> list[str] | None:
    """The array names of an .npz (a zip of NAME.npy); None if the file is no zip archive (a UserError if it cannot be read).

    Read from the zip's directory, without loading an array: cheap, and a
    file that is not an .npz gets one message instead of numpy's guess at a
    pickle.
    """
    file = os.fspath(path)
    try:
        with zipfile.ZipFile(file) as z:
            return [n[: -len(".npy")] for n in z.namelist() if n.endswith(".npy")]
    except zipfile.BadZipFile:
        return None
    except OSError as err:
        raise UserError(f"cannot read: {err.strerror or err}", file=file) from None


PREDICTION_ARRAYS = ("pred", "ordered_pred")
NOT_NPZ = "not a numpy .npz file (the zip of arrays numpy.savez writes)"


def refuse_npz_of_other_kind(path: str | os.PathLike[str], want: str) -> None:
    """UserError if an .npz wanted as `want` ("data" or "predictions") is no .npz, or holds the other kind of arrays.

    The paper's data arrays (labels, order) and a model's predictions (pred
    or ordered_pred) share the extension; a file of the other kind is named
    as such, with the option that takes it.
    """
    file = os.fspath(path)
    if not os.path.isfile(file):
        return  # the reader says it is missing
    members = npz_members(file)
    if members is None:
        raise UserError(NOT_NPZ, file=file)
    predictions = any(m in PREDICTION_ARRAYS for m in members)
    if want == "data" and predictions and "labels" not in members:
        raise UserError(
            f"a predictions file (arrays: {', '.join(sorted(members))}), not the paper's data arrays (labels, order): "
            "give it to `synth compare DATA --predictions FILE`",
            file=file,
        )
    if want == "predictions" and not predictions and "labels" in members:
        raise UserError(
            f"the paper's data arrays (arrays: {', '.join(sorted(members))}), not predictions (pred or ordered_pred): "
            "give it as DATA",
            file=file,
        )


# A LEGO sentence's first clause (`a = val 1 ,`, `e = +t;`, `k = (02) e;`): no DSL program starts with `NAME = ...,`.
_LEGO_LINE = re.compile(r"[A-Za-z_]\w*\s*=\s*[^=,;{}\[\]]+[,;]")
LEGO_DATA = (
    "looks like LEGO data (sentences, one a line), not a DSL program: check it with `synth validate FILE`, "
    "or score a program on it with `synth eval PROGRAM FILE`"
)


def looks_like_lego(line: str) -> bool:
    """Whether `line` (a file's first line of content) starts as a LEGO sentence or a JSON record of one."""
    text = line.strip()
    return _LEGO_LINE.match(text) is not None or re.match(r'\{\s*"(sentence|clauses)"\s*:', text) is not None


def kind_of_line(line: str) -> str | None:
    """PROGRAM or SPEC if `line` (a file's first line of content) can only start one; else None."""
    text = line.strip()
    if _PROGRAM_LINE.match(text):
        return PROGRAM
    if _SPEC_LINE.match(text):
        return SPEC
    return None


def refuse_other_kind(path: str | os.PathLike[str], kind: str | None = None) -> None:
    """UserError naming the file if it is (by name, header, or `kind` as found) another kind of file, and which command takes it."""
    if kind is None:
        by_bytes = kind_of_bytes(path)  # read once
        kind = kind_of_name(path) or by_bytes
        if kind == PROGRAM and by_bytes is None and starts_as_lego(path):
            return  # LEGO data under a program's name: read as what it holds (`synth check` says the same of it)
    if kind is not None:
        raise UserError(WHAT[kind], file=os.fspath(path))


def starts_as_lego(path: str | os.PathLike[str]) -> bool:
    """Whether a regular file's first line of content is a LEGO sentence or record (a pipe is not read: its reader needs the bytes)."""
    if not os.path.isfile(path):
        return False
    try:
        first = next((line for _, line in iter_lines(os.fspath(path)) if line.strip()), "")
    except UserError:  # not text: no LEGO data either
        return False
    return looks_like_lego(first)
