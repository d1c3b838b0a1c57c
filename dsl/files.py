"""Reading and writing the user's files without tracebacks and without losing data.

Every reader and writer in the project goes through here, so the rules hold
everywhere at once:
- text is UTF-8; a byte-order mark is skipped; a byte that is not UTF-8 is a
  `UserError` naming the file, line and column;
- JSON is parsed with limits (nesting depth, digits per number, no NaN or
  Infinity), each refusal a `UserError` instead of a RecursionError or a
  ValueError from deep inside the json module; a key given twice in one
  object with different values is refused (json would keep the last one);
- outputs are atomic: written to a temporary file in the target's folder and
  renamed into place only on success, so an error, Ctrl-C or SIGTERM leaves
  the previous file (or nothing), never a truncated one; an output that is one
  of the command's inputs is refused before anything is opened for writing,
  and so is an existing SQLite database (a sweep's results, given to `-o` by
  a slip), which no output replaces;
- where the work done before an interrupt is worth keeping, it is kept under a
  name ending in `.partial`, and readers refuse such a file as a complete data
  set (`refuse_partial`).

`dsl` is the lowest layer, so `tasks` and `synth` can both use this module.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import io
import json
import os
import re
import stat
import sys
import tempfile
from dataclasses import dataclass
from typing import IO, Any, Callable, Iterable, Iterator, Sequence

from dsl.errors import Pos, UserError, json_repr

BOM = "\ufeff"
SQLITE_MAGIC = b"SQLite format 3\x00"  # the first 16 bytes of every SQLite database file
PARTIAL_SUFFIX = ".partial"  # the name of an output cut short (and of atomic_output's temporary files)
# What writing (not reading) fails with: disk full, `ulimit -f`, quota. Raised inside an output's block
# they are the output's failure; any OSError of flushing, closing or renaming it is too.
WRITE_ERRNOS = frozenset(code for code in (errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", None)) if code is not None)


@dataclass(frozen=True)
class JsonLimits:
    """How much JSON a reader accepts; past these a file is refused, not crashed on."""

    max_depth: int = 200  # nested arrays/objects; json itself overflows the stack near 1,000
    max_digits: int = 1000  # digits of one number (Python refuses int() past 4,300)


JSON_LIMITS = JsonLimits()
MAX_SHOWN = 120  # characters of an offending line shown in a message
# A file read whole (a program, a task file, a profile, --input-file): past this it is refused before it is
# all in memory; a program, task or profile this large is a mistake (`/dev/zero`, a disk image), and a data set
# that large is read line by line (JSONL).
MAX_TEXT_BYTES = 1 << 30
# One line of a file read line by line (a JSONL record: a LEGO sentence of 1,000,000 clauses is about 20 MB).
# A file with no line end would otherwise be read whole as one line.
MAX_LINE_BYTES = 1 << 28


def shorten(text: str, limit: int = MAX_SHOWN) -> str:
    """`text` cut to `limit` characters, saying how much was cut."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... ({len(text) - limit:,} more characters)"


def counted(n: int, one: str, many: str | None = None) -> str:
    """`n` and a noun in the number it takes, for messages: 1 program, 2 programs (`many`: an irregular plural)."""
    return f"{n:,} {one if n == 1 else many or one + 's'}"


# -- reading ----------------------------------------------------------------


def _decode_error(err: UnicodeDecodeError, data: bytes, file: str, first_line: int = 1) -> UserError:
    before = data[: err.start]
    line = first_line + before.count(b"\n")
    column = err.start - (before.rfind(b"\n") + 1) + 1
    return UserError(
        f"not UTF-8 text: byte 0x{data[err.start]:02x} cannot be decoded",
        file=file,
        pos=Pos(line, column),
    )


def _named(path: str | os.PathLike[str]) -> str:
    """The file name of an input; UserError for an empty one, which names no file (rather than `: cannot read`)."""
    file = os.fspath(path)
    if file == "":
        raise UserError("the file name is empty (an unset shell variable?): give a file name")
    return file


def read_text(path: str | os.PathLike[str]) -> str:
    """The whole file as text: UTF-8, BOM skipped, CRLF kept; UserError on failure, and past MAX_TEXT_BYTES."""
    file = _named(path)
    try:
        with open(file, "rb") as f:
            return read_stream_text(f, file)
    except OSError as err:
        raise UserError(f"cannot read: {err.strerror or err}", file=file) from None


def read_stream_text(stream: IO[bytes], file: str) -> str:
    """As `read_text`, from an open binary stream (e.g. stdin's buffer), which may never end (`/dev/zero`, `yes |`)."""
    try:
        data = stream.read(MAX_TEXT_BYTES + 1)
        if len(data) > MAX_TEXT_BYTES:
            raise UserError(f"more than {MAX_TEXT_BYTES:,} bytes: too large for a file read whole (a program, a task "
                            "file, a profile, inputs); write a data set as JSONL, which is read line by line", file=file)
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise _decode_error(err, data, file) from None
    except MemoryError:
        raise UserError("too large to read into this machine's memory", file=file) from None
    return text[1:] if text.startswith(BOM) else text


def iter_lines(path: str | os.PathLike[str]) -> Iterator[tuple[int, str]]:
    """(line number, line without its end) for each line, streamed; UTF-8, BOM skipped."""
    file = _named(path)
    try:
        f = open(file, "rb")
    except OSError as err:
        raise UserError(f"cannot read: {err.strerror or err}", file=file) from None
    with f:
        yield from iter_stream_lines(f, file)


def iter_stream_lines(stream: IO[bytes], file: str) -> Iterator[tuple[int, str]]:
    """As `iter_lines`, over an open binary stream (e.g. stdin's buffer); a line past MAX_LINE_BYTES is refused."""
    number = 0
    while True:
        try:
            raw = stream.readline(MAX_LINE_BYTES + 1)
        except MemoryError:
            raise UserError("a line too large to read into this machine's memory", file=file, pos=Pos(number + 1, 1)) from None
        if not raw:
            return
        number += 1
        if len(raw) > MAX_LINE_BYTES:
            raise UserError(f"a line of more than {MAX_LINE_BYTES:,} bytes (no line end?): too large for one record",
                            file=file, pos=Pos(number, 1))
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as err:
            raise _decode_error(err, raw, file, number) from None
        if number == 1 and line.startswith(BOM):
            line = line[1:]
        yield number, line.rstrip("\r\n")


class _Refused(ValueError):
    """What the decoder's hooks refuse: kind "digits", "constant" (NaN, Infinity), "key" (given twice), or "depth"."""

    def __init__(self, message: str, kind: str, key: str | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.key = key


def _refuse_constant(name: str) -> Any:
    raise _Refused(f"{name} is not a JSON number", "constant")


def loads_json(text: str, *, file: str | None = None, line: int | None = None, limits: JsonLimits = JSON_LIMITS) -> Any:
    """Parse JSON text within `limits`; every failure is a UserError at file:line:column.

    `line` is the line number of `text` in its file, for one-record-per-line
    formats (JSONL); positions inside the text are added to it.
    """
    if text.startswith(BOM):
        text = text[1:]

    # Cheap first: fewer brackets than the limit cannot nest past it (the usual record).
    depth = 0 if text.count("[") + text.count("{") <= limits.max_depth else _max_depth(text)
    if depth > limits.max_depth:
        where = _refused_at(text, limits, _Refused("", "depth"), line)
        raise UserError(f"JSON nested {depth} deep (at most {limits.max_depth} levels are read)", file=file, pos=where)
    long_run, checked, plain = _DEFAULT_DECODERS if limits is JSON_LIMITS else _decoders(limits)  # no hashing per line
    # Numbers are checked in Python only if the text has a digit run that long somewhere.
    try:
        if text.startswith(BOM):  # a second one: json.loads's own message
            raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", text, 0)
        too_long = len(text) > limits.max_digits and long_run.search(text) is not None
        return _decode(checked if too_long else plain, text)
    except json.JSONDecodeError as err:
        where = Pos((line or 1) + err.lineno - 1, err.colno)
        raise UserError(f"broken JSON: {_explained(err.msg, line)}", file=file, pos=where) from None
    except _Refused as err:
        raise UserError(f"refused JSON: {err}", file=file, pos=_refused_at(text, limits, err, line)) from None
    except (ValueError, RecursionError) as err:
        raise UserError(f"refused JSON: {err}", file=file, pos=Pos(line or 1, 1)) from None


def _refused_at(text: str, limits: JsonLimits, refused: _Refused, line: int | None) -> Pos:
    """Where in `text` (starting on `line` of its file) the refusal is: a scan of the text, on an error only.

    The first spot of the refusal's kind: nested past the limit, a number too
    long, NaN or Infinity, or its key given twice in one object with another
    value. The start of the text if none is found (it cannot be, as a rule).
    """
    index = _refusal_index(text, limits, refused) or 0
    before = text.count("\n", 0, index)
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return Pos((line or 1) + before, column)


def _refusal_index(text: str, limits: JsonLimits, refused: _Refused) -> int | None:
    decoder = json.JSONDecoder()

    def value(at: int) -> Any:
        try:
            return decoder.raw_decode(text, at)[0]
        except (ValueError, RecursionError):
            return None

    opened: list[dict[str, int] | None] = []  # each open container: an object's keys -> where their values start; None for an array
    want_key = False  # the next string is an object's key
    key: tuple[str, int] | None = None  # a key read, and where, until its value starts
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in " \t\r\n:":
            i += 1
            continue
        if ch == ",":
            want_key = bool(opened) and opened[-1] is not None
            i += 1
            continue
        if ch in "]}":
            if opened:
                opened.pop()
            want_key = False
            i += 1
            continue
        if ch == '"':
            end = _string_end(text, i)
            if want_key:
                key, want_key = (value(i), i), False
                i = end
                continue
        if key is not None:  # a value starts at i
            name, at = key
            key = None
            seen = opened[-1] if opened else None
            if seen is not None:
                if name not in seen:
                    seen[name] = i
                elif refused.kind == "key" and name == refused.key and value(seen[name]) != value(i):
                    return at
        if ch in "[{":
            opened.append({} if ch == "{" else None)
            if refused.kind == "depth" and len(opened) > limits.max_depth:
                return i
            want_key = ch == "{"
            i += 1
            continue
        if ch == '"':
            i = _string_end(text, i)
            continue
        end = i
        while end < n and text[end] not in " \t\r\n,:]}":
            end += 1
        token = text[i:end]
        if refused.kind == "constant" and token in ("NaN", "Infinity", "-Infinity"):
            return i
        if refused.kind == "digits" and len(token if any(c in token for c in ".eE") else token.lstrip("-")) > limits.max_digits:
            return i
        i = end
    return None


def _string_end(text: str, i: int) -> int:
    """The index just past the JSON string that starts at `i` (or the end of the text)."""
    i += 1
    n = len(text)
    while i < n and text[i] != '"':
        i += 2 if text[i] == "\\" else 1
    return i + 1


@functools.lru_cache(maxsize=8)
def _decoders(limits: JsonLimits) -> tuple[re.Pattern, json.JSONDecoder, json.JSONDecoder]:
    """For `limits`: the pattern of a too-long digit run, a decoder that checks numbers' lengths, one that does not.

    Built once, not per call: a JSONL file is millions of small `loads_json` calls.
    """

    def parse_int(digits: str) -> int:
        if len(digits.lstrip("-")) > limits.max_digits:
            raise _Refused(f"a number of {len(digits):,} digits (at most {limits.max_digits:,} are read)", "digits")
        return int(digits)

    def parse_float(digits: str) -> float:
        if len(digits) > limits.max_digits:
            raise _Refused(f"a number of {len(digits):,} characters (at most {limits.max_digits:,} are read)", "digits")
        return float(digits)

    def decoder(ints: Any) -> json.JSONDecoder:
        return json.JSONDecoder(parse_int=ints, parse_float=parse_float, parse_constant=_refuse_constant, object_pairs_hook=_object)

    return re.compile("[0-9]{%d}" % (limits.max_digits + 1)), decoder(parse_int), decoder(None)


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object; a key given twice with different values is refused (json keeps the last silently)."""
    obj = dict(pairs)
    if len(obj) != len(pairs):
        for key, value in pairs:
            if obj[key] != value:
                raise _Refused(f"the key {json_repr(key, 44)} appears twice in one object, with different values", "key", key)
    return obj


_DEFAULT_DECODERS = _decoders(JSON_LIMITS)
_SPACE = re.compile(r"[ \t\n\r]*")  # json.decoder.WHITESPACE


def _after_space(text: str, i: int) -> int:
    """The index of the first character at or after `i` that is no JSON whitespace."""
    m = _SPACE.match(text, i)
    return m.end() if m is not None else i


def _explained(msg: str, line: int | None) -> str:
    """json's message, and for text after a whole value, what that usually means."""
    if msg != "Extra data":
        return msg
    if line is None:
        return "more text after the JSON value ends (a .json file holds one value; one record per line is a .jsonl file)"
    return "more text after the JSON value ends (one record per line)"


def _decode(decoder: json.JSONDecoder, text: str) -> Any:
    """`decoder.decode(text)`, the same value and errors, its whitespace matched only where there is any (a JSONL line has none)."""
    start = _after_space(text, 0) if text[:1] in " \t\n\r" else 0
    try:
        obj, end = decoder.scan_once(text, start)  # type: ignore[attr-defined]  # what decode calls
    except StopIteration as err:
        raise json.JSONDecodeError("Expecting value", text, err.value) from None
    if end != len(text):
        end = _after_space(text, end)
        if end != len(text):
            raise json.JSONDecodeError("Extra data", text, end)
    return obj


def _max_depth(text: str) -> int:
    """The deepest nesting of [ and { outside strings (cheap; JSON syntax is checked later)."""
    if "[" not in text and "{" not in text:
        return 0
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
        elif ch in "]}":
            depth -= 1
    return deepest


def load_json(path: str | os.PathLike[str], *, limits: JsonLimits = JSON_LIMITS) -> Any:
    """A whole JSON file, read with `read_text` and parsed with `loads_json`."""
    file = os.fspath(path)
    return loads_json(read_text(file), file=file, limits=limits)


# -- writing ----------------------------------------------------------------


def same_file(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    """True if both paths name one existing file (same inode), or one path once resolved."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.realpath(a) == os.path.realpath(b)


def _is_file_path(path: str | os.PathLike[str] | None) -> bool:
    return path is not None and os.fspath(path) != "-"


def refuse_overwriting_inputs(output: str | os.PathLike[str] | None, inputs: Iterable[str | os.PathLike[str] | None]) -> None:
    """UserError if `output` is one of `inputs`: writing it would destroy what is being read."""
    if output is None or not _is_file_path(output):
        return
    for inp in inputs:
        if inp is None or not _is_file_path(inp):
            continue
        if same_file(output, inp):
            raise UserError(
                f"the output {os.fspath(output)} is also an input ({os.fspath(inp)}); "
                "writing it would destroy the data being read: choose another output file"
            )


def refuse_empty_name(output: str | os.PathLike[str] | None) -> None:
    """UserError if `output` is an empty name (`-o ''`, often an unset shell variable): it names no file."""
    if output is not None and os.fspath(output) == "":
        raise UserError("the output file name is empty (an unset shell variable?): give a file name")


def is_sqlite_database(path: str | os.PathLike[str]) -> bool:
    """True if `path` is a regular file that starts as every SQLite database does; False if it cannot be read."""
    if not os.path.isfile(path):  # not opened: a pipe would block
        return False
    try:
        with open(path, "rb") as f:
            return f.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
    except OSError:
        return False


def refuse_database(output: str | os.PathLike[str] | None) -> None:
    """UserError if `output` is an existing SQLite database: an output replaces its file, and a sweep's results are not to be lost to a slip (`-o results.sqlite` for `--db`).

    Any other existing file is replaced, as `-o` says; a database is deleted or
    renamed by the user, not by a command. (`synth suite run --db` opens its
    database in place and does not come here.)
    """
    if output is None or not _is_file_path(output):
        return
    path = os.fspath(output)
    if is_sqlite_database(path):
        raise UserError("is an SQLite database (a sweep's results?): not replacing it; give another name or delete it first", file=path)


def _written_directly(path: str) -> bool:
    """Whether `path` exists and is not a regular file (a device, a pipe, /dev/stdout): it is written in place.

    `os.stat` follows links as opening does, so /dev/stdout pointing at a
    pipe is a pipe here (its resolved name, /proc/self/fd/pipe:[...], names
    nothing that exists).
    """
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def is_standard_output(path: str | os.PathLike[str] | None) -> bool:
    """Whether an output name means standard output: "-", or a name for the same file (/dev/stdout, /dev/fd/1)."""
    if path is None:
        return False
    if os.fspath(path) == "-":
        return True
    try:
        return os.path.samefile(path, "/dev/stdout")
    except (OSError, ValueError):
        return False


def refuse_unwritable(output: str | os.PathLike[str] | None, *, replaced: bool = True) -> None:
    """UserError if `output` could not be written: no name, a folder, in a folder that is missing or closed to us, or (`replaced`) an SQLite database.

    Checks what `atomic_output` will need (a temporary file beside the target,
    renamed over it) and what it refuses, so the command fails before its
    work, not after. `replaced` False: the output is opened in place, not
    replaced (a results database), so an existing database is what is wanted.
    """
    refuse_empty_name(output)
    if output is None or not _is_file_path(output):
        return
    path = os.fspath(output)
    if _written_directly(path):
        return  # a device or a pipe, written directly
    target = os.path.realpath(path) if os.path.islink(path) else path
    if os.path.isdir(target):
        raise UserError("is a folder, not a file", file=path)
    if replaced:
        refuse_database(path)
    folder = os.path.dirname(os.path.abspath(target))
    if not os.path.exists(folder):
        raise UserError(f"cannot write: the folder {folder} does not exist", file=path)
    if not os.path.isdir(folder):
        raise UserError(f"cannot write: {folder} is not a folder", file=path)
    if not os.access(folder, os.W_OK | os.X_OK):
        raise UserError(f"cannot write: no permission to create files in {folder}", file=path)


def refuse_clashing_outputs(
    outputs: Sequence[str | os.PathLike[str] | None],
    inputs: Iterable[str | os.PathLike[str] | None] = (),
    *,
    replaced: bool = True,
) -> None:
    """Check a command's outputs before it starts: each can be written, none is an input, no two are one file.

    Commands call this first, so a clash or an output that cannot be written
    (a missing folder, a folder given as the file, an SQLite database that
    `atomic_output` would refuse to replace) is reported before any work is
    done (and before anything is opened for writing), not after an hour of
    it. `replaced` False: the outputs are opened in place, not replaced
    (`synth suite run --db`, a database it adds to), so an existing database
    is what is wanted.
    """
    inputs = list(inputs)
    files = [out for out in outputs if out is not None and _is_file_path(out)]
    for k, out in enumerate(files):
        refuse_unwritable(out, replaced=replaced)
        refuse_overwriting_inputs(out, inputs)
        for other in files[:k]:
            if same_file(out, other):
                raise UserError(f"two outputs name one file ({os.fspath(other)} and {os.fspath(out)}): give each its own")


def partial_name(path: str | os.PathLike[str]) -> str:
    """Where the kept part of an interrupted output goes: the name says it is incomplete."""
    return os.fspath(path) + PARTIAL_SUFFIX


def refuse_partial(path: str | os.PathLike[str] | None) -> None:
    """UserError if `path` is named as the partial output of an interrupted command.

    Such a file ends early, on a whole line, so it would pass as a smaller but
    complete data set; it is refused unless the user renames it on purpose.
    """
    if path is not None and _is_file_path(path) and os.fspath(path).endswith(PARTIAL_SUFFIX):
        raise UserError(
            f"the partial output of an interrupted command ('{PARTIAL_SUFFIX}'), not a complete data set; "
            "run the command again, or rename the file to use the records it holds anyway",
            file=os.fspath(path),
        )


@contextlib.contextmanager
def atomic_output(
    path: str | os.PathLike[str] | None,
    *,
    inputs: Iterable[str | os.PathLike[str] | None] = (),
    binary: bool = False,
    newline: str | None = "\n",
    on_partial: Callable[[str], None] | None = None,
) -> Iterator[IO[Any]]:
    """A stream whose content replaces `path` only if the block completes.

    `path` None or "-" means standard output (written as it goes); so does a
    path that exists and is not a regular file (/dev/null, a pipe), which
    cannot be replaced. Otherwise the content goes to a temporary file beside
    `path` (beside the file a symbolic link points to), renamed over it on
    success and removed on any exception (Ctrl-C and SIGTERM included, when
    the CLI turns SIGTERM into KeyboardInterrupt). `inputs` are checked first:
    an output that is one of them is refused before anything is opened, and
    so are an empty name and an existing SQLite database (`refuse_database`).

    A write that fails (disk full, file too large, quota: `WRITE_ERRNOS`), or
    a failed flush, close or rename, is a UserError naming the output and the
    system's reason; the previous file is kept and the temporary one removed.

    With `on_partial`, an exception keeps what was written (if anything) as
    `partial_name(path)` instead, and `on_partial` is called with that name
    before the exception goes on: for long runs whose results are worth
    keeping even when cut short. A failed write keeps nothing: its last
    record may be cut.
    """
    refuse_empty_name(path)
    refuse_overwriting_inputs(path, inputs)
    if path is None or os.fspath(path) == "-":
        out: IO[Any] = sys.stdout.buffer if binary else sys.stdout
        with _write_errors("standard output", closing=False):
            yield out
            out.flush()  # a closed pipe shows here, inside the command, not at exit
        return
    if _written_directly(os.fspath(path)):  # opened by its own name: /dev/stdout's resolved name names nothing
        with _open_special(os.fspath(path), binary, newline) as special:
            yield special
        return
    target = os.path.realpath(path) if os.path.islink(path) else os.fspath(path)
    if os.path.isdir(target):
        raise UserError("is a folder, not a file", file=os.fspath(path))
    refuse_database(path)
    folder = os.path.dirname(os.path.abspath(target))
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=_temporary_prefix(os.path.basename(target)), suffix=PARTIAL_SUFFIX)
    except OSError as err:
        raise UserError(f"cannot write: {err.strerror or err}", file=os.fspath(path)) from None
    try:
        _set_default_mode(fd, target)
        stream: IO[Any]
        if binary:
            stream = os.fdopen(fd, "wb")
        else:
            stream = io.open(fd, "w", encoding="utf-8", newline=newline)
        with _closed_on_error(stream), _write_errors(os.fspath(path), closing=False):
            yield stream
        with _write_errors(os.fspath(path), closing=True):
            stream.close()
            os.replace(tmp, target)
    except WriteFailed:
        _discard(tmp, None, None)
        raise
    except BaseException:
        _discard(tmp, partial_name(path) if on_partial is not None else None, on_partial)
        raise


NAME_MAX = 255  # bytes in one file name (ext4, XFS, APFS): an output's name may use them all, its temporary name too


def _temporary_prefix(name: str) -> str:
    """`.NAME.` for the temporary file beside an output, NAME cut so that the whole temporary name
    (mkstemp's 8 random characters and PARTIAL_SUFFIX after it) stays within NAME_MAX bytes."""
    room = NAME_MAX - len("..") - 8 - len(PARTIAL_SUFFIX)
    while len(os.fsencode(name)) > room:
        name = name[:-1]
    return f".{name}."


class WriteFailed(UserError):
    """An output that could not be written (disk full, file too large, quota, a failed close or rename)."""


@contextlib.contextmanager
def _write_errors(name: str, *, closing: bool) -> Iterator[None]:
    """OSErrors of writing `name` as a `WriteFailed` naming it: those of `WRITE_ERRNOS`, or (`closing`) any but a closed pipe.

    Inside a command's block only the errors that writing alone raises are
    taken: an OSError of reading an input is not the output's failure. A
    closed pipe stays a BrokenPipeError, which the CLI ends quietly.
    """
    try:
        yield
    except BrokenPipeError:
        raise
    except OSError as err:
        if not closing and err.errno not in WRITE_ERRNOS:
            raise
        raise WriteFailed(f"cannot write: {err.strerror or err}", file=name) from None


def _discard(tmp: str, keep_as: str | None, on_partial: Callable[[str], None] | None) -> None:
    """Remove an unfinished temporary file, or keep it as `keep_as` if it holds anything."""
    try:
        if keep_as is not None and on_partial is not None and os.path.getsize(tmp) > 0:
            os.replace(tmp, keep_as)
            on_partial(keep_as)
            return
    except OSError:
        pass
    with contextlib.suppress(OSError):
        os.unlink(tmp)


@contextlib.contextmanager
def _closed_on_error(stream: IO[Any]) -> Iterator[None]:
    """Close `stream` if the block fails; an error of closing it then (the disk still full) does not hide the first."""
    try:
        yield
    except BaseException:
        with contextlib.suppress(OSError):
            stream.close()
        raise


@contextlib.contextmanager
def _open_special(target: str, binary: bool, newline: str | None) -> Iterator[IO[Any]]:
    """A device or pipe, written directly: there is no file to replace."""
    try:
        stream = open(target, "wb") if binary else open(target, "w", encoding="utf-8", newline=newline)
    except OSError as err:
        raise UserError(f"cannot write: {err.strerror or err}", file=target) from None
    with _closed_on_error(stream), _write_errors(target, closing=False):
        yield stream
    with _write_errors(target, closing=True):
        stream.close()


def _set_default_mode(fd: int, target: str) -> None:
    """Give the new file the mode the old one had, else the usual 0666 less the umask."""
    try:
        mode = os.stat(target).st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    with contextlib.suppress(OSError):
        os.fchmod(fd, mode)


def write_text_atomic(path: str | os.PathLike[str], text: str, *, inputs: Iterable[str | os.PathLike[str] | None] = ()) -> None:
    """Write `text` to `path` atomically (see `atomic_output`)."""
    with atomic_output(path, inputs=inputs) as f:
        f.write(text)
