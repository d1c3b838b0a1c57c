"""Grammar profiles: which primitives a search may use and what each costs, i.e. the search's prior.

A cost-ordered search returns the cheapest consistent program, so the set of
primitives and their weights decide which program comes first: they are a
prior, like the function probabilities DeepCoder's network predicts. Two
profiles are built in:

- `core`: the generic primitives of dsl.prims, every node of weight 1; this
  is the search the project always ran, so its answers do not change;
- `list`: core plus the list library of dsl.library (head, last, take, drop,
  slice, count, index_of, min, max, sum, zip, cons, append, pad, split, tail,
  pop, sort, reverse, from_bits, to_bits, to_bits_len). `head` and `last` cost 1 like a
  core node, the other library calls 2 and the rarer ones 3, so a core
  program of the same size still comes first and the library does not crowd
  out what the core finds. It also has the `bisect` loop form (binary search
  over an integer range, Python's `bisect` with a key), which the search only
  deduces from an Int goal (synth/search/bisect.py), at weight 2.

Users give their own profile as a TOML or JSON file (`load_profile`): a base
profile, primitives added or removed, and weights. Every result names the
profile it was searched with, so a reader sees what the prior contributed.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dsl.errors import Pos, UserError
from dsl.files import loads_json, read_text
from dsl.prims import CORE_PRIMS, PRIMS
from synth.search.grammar import DEDUCED_FORMS, NODE_KINDS, parse_weights

if sys.version_info >= (3, 11):  # noqa: UP036 - setup.cfg allows Python 3.10
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib


@dataclass(frozen=True)
class Profile:
    """A named set of primitives with weights (node kind or primitive -> cost >= 1)."""

    name: str
    primitives: tuple[str, ...]
    weights: tuple[tuple[str, int], ...] = ()
    doc: str = ""
    # Loop forms beyond every grammar's comp/filter/fold/scan (grammar.DEDUCED_FORMS).
    forms: tuple[str, ...] = ()

    def weight(self, key: str) -> int:
        return dict(self.weights).get(key, 1)

    def describe(self) -> str:
        """The profile for a report header; its weights too unless it is a built-in one as built (its doc says them)."""
        text = f"{self.name} ({self.doc})"
        if PROFILES.get(self.name) == self:
            return text
        weights = ", ".join(f"{k} {w}" for k, w in self.weights)
        forms = f"; loop forms also: {', '.join(self.forms)}" if self.forms else ""
        return f"{text}; weights: {weights + ', every other node 1' if weights else 'every node costs 1'}{forms}"

    def to_dict(self) -> dict:
        return {"name": self.name, "primitives": list(self.primitives), "weights": dict(self.weights), "doc": self.doc,
                "forms": list(self.forms)}


LIBRARY_PRIMS: tuple[str, ...] = tuple(op for op, s in PRIMS.items() if s.profile == "list")

# head and last cost what a core node does (they are xs[0] and xs[len(xs) - 1]);
# rarer or more specific library functions cost one more than the rest.
_BASIC = ("head", "last")
_RARE = ("slice", "index_of", "to_bits_len")
LIST_WEIGHTS: dict[str, int] = {op: (1 if op in _BASIC else 3 if op in _RARE else 2) for op in LIBRARY_PRIMS} | {"bisect": 2}

CORE = Profile(
    "core",
    CORE_PRIMS,
    (),
    "the generic primitives (arithmetic, comparison, logic, len, range, group operations); every node costs 1",
)
LIST = Profile(
    "list",
    CORE_PRIMS + LIBRARY_PRIMS,
    tuple(sorted(LIST_WEIGHTS.items())),
    "core plus the list library (DeepCoder-like); head/last cost 1, other library calls 2, slice/index_of/to_bits_len 3; "
    "the bisect loop form, 2",
    ("bisect",),
)

PROFILES: dict[str, Profile] = {p.name: p for p in (CORE, LIST)}


def get_profile(name: str) -> Profile:
    try:
        return PROFILES[name]
    except KeyError:
        raise UserError(f"unknown profile {name!r} (known: {', '.join(PROFILES)}; or give a file with --grammar)") from None


def resolve_profile(profile: str | Profile | None) -> Profile:
    """A Profile from a name, a Profile, or None (core).

    A path is refused with the way to read it: in Python the command line's
    --grammar is `load_profile(path)`.
    """
    if profile is None:
        return CORE
    if isinstance(profile, Profile):
        return profile
    if not isinstance(profile, str):
        raise UserError(f"profile must be a built-in profile's name ({', '.join(PROFILES)}), a Profile or None, not "
                        f"{type(profile).__name__} {profile!r}" + (
                            "; read a profile file with synth.search.profiles.load_profile(path)"
                            if isinstance(profile, os.PathLike) else ""))
    return get_profile(profile)


# --- user profile files --------------------------------------------------------

_KEYS = ("name", "base", "doc", "add", "remove", "weights")
_TOML_POS = re.compile(r"\(at line (\d+), column (\d+)\)")


def load_profile(path: str | Path, base: str | Profile | None = None) -> Profile:
    """Read a profile file (TOML, or JSON if it ends in .json); every mistake names the file and line.

    Keys: `name` (default: the file's stem), `base` (a built-in profile, or
    `base` given here, default core), `doc`, `add` and `remove` (lists of
    primitive names, or the loop form `bisect`) and `weights` (a table of node kind or primitive -> whole
    number >= 1; the base profile's weights stay unless overridden).
    A built-in profile's name is refused unless the file is that profile
    exactly: every report names a search's profile, and `core` must mean core.
    """
    if not isinstance(path, (str, os.PathLike)):
        raise UserError(f"load_profile takes the path of a profile file (a str or a Path), not {type(path).__name__} {path!r}")
    file = os.fspath(path)
    text = read_text(file)
    data = _parse(text, file)
    located = _Locator(text, file)
    for key in data:
        if key not in _KEYS:
            raise located.error(key, f"unknown key {key!r} (known: {', '.join(_KEYS)})", key=True)
    start = resolve_profile(base)
    if "base" in data:
        if not isinstance(data["base"], str):
            raise located.error("base", "base must be the name of a profile", key=True)
        try:
            start = get_profile(data["base"])
        except UserError as err:
            raise located.error("base", err.message, key=True) from None
    prims = list(start.primitives)
    forms = list(start.forms)
    for key in ("add", "remove"):
        names = data.get(key, [])
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise located.error(key, f"{key} must be a list of primitive or loop form names", key=True)
        for n in names:
            if n not in PRIMS and n not in DEDUCED_FORMS:
                close = difflib.get_close_matches(n, [*PRIMS, *DEDUCED_FORMS], n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                raise located.error(n, f"unknown primitive {n!r} in {key} (known: {', '.join(PRIMS)}; loop forms: "
                                       f"{', '.join(DEDUCED_FORMS)}){hint}")
            # A loop form is added and removed as a primitive is.
            have, had = (forms, start.forms) if n in DEDUCED_FORMS else (prims, start.primitives)
            if key == "add":
                if n in have:
                    twice = n not in had
                    raise located.error(
                        n, f"add {n!r} is given twice" if twice else f"add {n!r}: the base profile {start.name} already has {n!r}, so there is nothing to add"
                    )
                if n in data.get("remove", []):
                    raise located.error(n, f"{n!r} is both added and removed: give it in add or in remove, not both")
                have.append(n)
            elif key == "remove":
                if n not in have:
                    twice = n in had
                    raise located.error(n, f"remove {n!r} is given twice" if twice else _not_in_base(n, start.name, have))
                have.remove(n)
    weights = dict(start.weights)
    table = data.get("weights", {})
    if not isinstance(table, dict):
        raise located.error("weights", "weights must be a table of primitive or node kind -> whole number >= 1", key=True)
    for key, w in table.items():
        try:
            check_weight(prims + forms, key, w)
        except UserError as err:
            raise located.error(key, err.message, key=True) from None
        weights[key] = w
    weights = {k: w for k, w in weights.items() if k in NODE_KINDS and k not in DEDUCED_FORMS or k in prims or k in forms}
    name = data.get("name", Path(file).stem)
    doc = data.get("doc", f"{start.name} with changes from {file}")
    for key, value in (("name", name), ("doc", doc)):
        if not isinstance(value, str) or not value:
            raise located.error(key, f"{key} must be a non-empty string", key=True)
    profile = Profile(name, tuple(prims), tuple(sorted(weights.items())), doc, tuple(forms))
    if name in PROFILES and profile != PROFILES[name]:
        where = "its name" if "name" in data else "its name (the file's stem; give it a name = ...)"
        raise located.error("name", f"{where} is the built-in profile {name!r}'s, and the file defines another "
                                    f"profile: reports would label its results {name}; name it otherwise", key=True)
    return profile


def check_weight(uses: tuple[str, ...] | list[str], key: str, weight: object) -> None:
    """Refuse a weight a search would ignore or misread: an unknown key, a bad number, a primitive or loop form
    not in `uses` (the profile's primitives and forms)."""
    parse_weights({key: weight})  # type: ignore[dict-item]  # checked there
    if (key in PRIMS or key in DEDUCED_FORMS) and key not in uses:
        raise UserError(f"a weight for {key!r}, which the profile does not use (add it first)")


def with_weights(profile: Profile, table: Mapping[str, int] | None) -> Profile:
    """`profile` with `table`'s weights over its own (checked by check_weight), so a report names the prior that ran."""
    if not table:
        return profile
    for key, w in table.items():
        check_weight(profile.primitives + profile.forms, key, w)
    weights = {**dict(profile.weights), **table}
    return Profile(profile.name, profile.primitives, tuple(sorted(weights.items())), profile.doc, profile.forms)


def _not_in_base(name: str, base: str, prims: list[str]) -> str:
    """Why `remove` cannot take `name` out: the profile does not have it (a typo, or the wrong base)."""
    close = difflib.get_close_matches(name, prims, n=1)
    elsewhere = [p.name for p in PROFILES.values() if name in p.primitives or name in p.forms]
    if close:
        hint = f"; did you mean {close[0]!r}?"
    elif elsewhere:
        hint = f"; it is in the {elsewhere[0]} profile (base = \"{elsewhere[0]}\")"
    else:
        hint = f" (it has: {', '.join(prims)})"
    return f"remove {name!r}: the base profile {base} has no {name!r}, so there is nothing to remove{hint}"


def _parse(text: str, file: str) -> Mapping[str, Any]:
    if file.endswith(".json"):
        data = loads_json(text, file=file)
        if not isinstance(data, dict):
            raise UserError("a profile file holds one JSON object", file=file, pos=Pos(1, 1))
        return data
    try:
        return tomllib.loads(text)
    except RecursionError:
        raise UserError("not valid TOML here: arrays or tables nested too deep", file=file) from None
    except tomllib.TOMLDecodeError as err:
        message = str(err)
        m = _TOML_POS.search(message)
        if m:
            pos = Pos(int(m.group(1)), int(m.group(2)))
        else:  # "(at end of document)"
            lines = text.rstrip().splitlines() or [""]
            pos = Pos(len(lines), len(lines[-1]) + 1)
        message = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", message)
        raise UserError(f"not TOML: {message}", file=file, pos=pos) from None


class _Locator:
    """Errors at the line that defines a key, or first mentions a name (parsers keep no positions)."""

    def __init__(self, text: str, file: str) -> None:
        self.lines = text.splitlines()
        self.file = file

    def error(self, word: str, message: str, *, key: bool = False) -> UserError:
        quoted = r"[\"']?" + re.escape(word) + r"[\"']?"
        if key:  # `word = ...`, dotted `table.word = ...`, `word.sub = ...` or a table `[table.word]` (TOML), `"word": ...` (JSON)
            pattern = re.compile(r"(?:^|[{,\s.])(" + quoted + r")\s*[=:.]|\.(" + quoted + r")\s*\]")
        else:
            pattern = re.compile(r"(?<![\w.])(" + quoted + r")(?!\w)")
        for number, line in enumerate(self.lines, start=1):
            m = pattern.search(line.split("#", 1)[0])
            if m:
                group = 1 if m.group(1) is not None else 2  # `word = ...` or `[table.word]`
                return UserError(message, file=self.file, pos=Pos(number, m.start(group) + 1))
        for number, line in enumerate(self.lines, start=1):  # written with escapes: `"he\u0061d" = 2`
            for m in _QUOTED.finditer(line):
                if _unescaped(m.group()) == word:
                    return UserError(message, file=self.file, pos=Pos(number, m.start() + 1))
        return UserError(message, file=self.file)


_QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"')  # a double-quoted string, escapes and all (TOML's basic strings, JSON's)


def _unescaped(quoted: str) -> str | None:
    """The text a quoted string with escapes stands for (TOML's and JSON's escapes agree but for TOML's \\U), or None."""
    try:
        return tomllib.loads("k = " + quoted)["k"]
    except tomllib.TOMLDecodeError:
        try:
            return json.loads(quoted)
        except ValueError:
            return None
