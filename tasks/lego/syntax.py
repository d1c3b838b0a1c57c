"""Reading and writing LEGO sentences in the three text syntaxes in use.

official (the paper's token syntax, Z2 only)
    ``a = val 1 ,  b = not a , ``. The paper's generator (yizhangzzz/
    transformers-lego, ``lego_data.py``, function ``generate_data``) formats
    the root clause as ``'<x> = val <0|1> , '`` and every other clause as
    ``' <x> = <val|not> <y> , '`` (note the leading space), then concatenates
    the clauses in a shuffled order. Our writer produces exactly those bytes;
    our reader splits on commas and whitespace, so any spacing is accepted.
    Values are 0/1: `val` keeps the value, `not` flips it. As a lenient
    extension the reader also accepts ``x = not 1`` as a root (value 0).

signs (Z2 only)
    ``a = +1; b = -a;`` and ``a = +1, b = - a``: either separator, with or
    without a space after the sign, optional trailing separator. Values are
    +1/-1, `+` keeps and `-` flips. The Kazemnejad et al. JSONL data writes
    each clause alone in this syntax (``x = - d``, ``n = +1``).

readable (any group: Z2, Z<n>, S3, D4)
    ``a = S3:(012); b = (01) a; c = e b;``. Clauses are separated by ``;``.
    The root clause's literal is written ``GROUP:NAME``, which names the
    group of the whole sentence, so the syntax is self-describing; every other
    clause is ``x = NAME y`` with NAME an element name of that group (as in
    dsl.groups: Z<n> ``0..n-1``; S3 in cycle notation ``e (01) (012) ...``;
    D4 ``e r1 r2 r3 s0 s1 s2 s3``) and whitespace between NAME and y.
    ``x = NAME y`` means val(x) = NAME * val(y).

Auto-detection looks at what follows the first ``=``: ``val``/``not`` is the
official syntax, a ``GROUP:`` literal anywhere makes it readable, a sign
(``+``/``-``) makes it signs, and anything else is read as readable.

Variable names are identifiers starting with a letter (``[A-Za-z][A-Za-z0-9_]*``; "_" is the DSL's no-operand mark); clause positions
disambiguate them from element names, so a variable may even be called
``val`` or ``e``.
"""

from __future__ import annotations

import re

from dsl.groups import Elem, Group, get_group
from tasks.lego.errors import LegoDataError, quoted
from tasks.lego.sentence import Clause, Sentence

SYNTAXES = ("official", "signs", "readable")

_VAR = r"[A-Za-z][A-Za-z0-9_]*"
_VAR_RE = re.compile(_VAR)
_SIGN_CLAUSE = re.compile(rf"\s*({_VAR})\s*=\s*([+-])\s*(1|{_VAR})\s*")
_READ_ROOT = re.compile(rf"\s*({_VAR})\s*=\s*([A-Za-z][A-Za-z0-9]*):(\S+)\s*")
_READ_CLAUSE = re.compile(rf"\s*({_VAR})\s*=\s*(\S+)\s+({_VAR})\s*")
_SEP = re.compile(r"[;,]")

_DETECT_OFFICIAL = re.compile(r"=\s*(?:val|not)\s")
_DETECT_READABLE = re.compile(r"=\s*[A-Za-z][A-Za-z0-9]*:\S")
_DETECT_SIGNS = re.compile(r"=\s*[+-]")

Z2 = get_group("Z2")
_KEEP = Z2.identity
_FLIP = Z2.element("1")


def detect_syntax(text: str) -> str:
    """The syntax a sentence is written in (see the module docstring)."""
    first = max(text.find("="), 0)  # match at `first`, not on a copy of the rest of the text
    if _DETECT_OFFICIAL.match(text, first):
        return "official"
    if _DETECT_READABLE.search(text):
        return "readable"
    if _DETECT_SIGNS.match(text, first):
        return "signs"
    if _DETECT_OFFICIAL.search(text):  # the token syntax with a broken first clause (`a = 1 , b = not a ,`)
        return "official"
    return "readable"


def parse_sentence(text: str, syntax: str | None = None, group: Group | None = None) -> tuple[Sentence, str]:
    """Parse one sentence; returns it with the syntax it was read in.

    `group` is a hint for the readable syntax (a task file's group); the root
    literal's own group must agree with it. Raises LegoDataError naming the
    clause for malformed clauses and unknown elements.
    """
    if syntax is None:
        clauses = _official_hits(text)
        if clauses is not None:  # every clause read before in the token syntax, so `detect_syntax` would say official
            return Sentence(Z2, clauses), "official"
        syntax = detect_syntax(text)
    if syntax == "official":
        return Sentence(Z2, _parse_official(text)), syntax
    if syntax == "signs":
        return Sentence(Z2, tuple(parse_sign_clause(c, i + 1) for i, c in enumerate(_pieces(text, _SEP)))), syntax
    if syntax == "readable":
        return _parse_readable(text, group), syntax
    raise LegoDataError(f"unknown sentence syntax {syntax!r} (known: {', '.join(SYNTAXES)})", kind="syntax")


def _pieces(text: str, sep: re.Pattern) -> list[str]:
    """Clause texts; a trailing separator is dropped, an empty clause before it refused."""
    pieces = sep.split(text)
    if not pieces[-1].strip():
        pieces.pop()
    for number, piece in enumerate(pieces, 1):
        if not piece.strip():
            raise _empty(number)
    return pieces


def _empty(number: int) -> LegoDataError:
    return LegoDataError("empty clause (two separators in a row, or one at the start)", clause=number, kind="malformed")


def _malformed(piece: str, number: int, expect: str) -> LegoDataError:
    return LegoDataError(f"malformed clause {quoted(piece)} (expected {expect})", clause=number, kind="malformed")


_CACHE_MAX = 1 << 16
_official_cache: dict[str, Clause] = {}


def _official_hits(text: str) -> tuple[Clause, ...] | None:
    """The clauses if every one was read before in the token syntax (clauses repeat a lot across a dataset), else None.

    Then the first `=` is followed by `val` or `not` and a space (a cached
    clause is `x = val|not y` with its tokens split on whitespace), so the
    text is in the token syntax: no detection and no loop in Python.
    """
    pieces = text.split(",")
    if not pieces[-1].strip():  # the usual trailing separator
        pieces.pop()
    hits: tuple = tuple(map(_official_cache.get, pieces))
    return hits if all(hits) and hits else None


def _parse_official(text: str) -> tuple[Clause, ...]:
    hits = _official_hits(text)
    if hits is not None:
        return hits
    pieces = text.split(",")
    if not pieces[-1].strip():  # the usual trailing separator
        pieces.pop()
    out: list[Clause] = []
    cache = _official_cache
    for piece in pieces:
        hit = cache.get(piece)
        if hit is not None:
            out.append(hit)
        elif not piece.strip():
            raise _empty(len(out) + 1)
        else:
            clause = _parse_official_clause(piece, len(out) + 1)
            if len(cache) >= _CACHE_MAX:
                cache.clear()
            cache[piece] = clause
            out.append(clause)
    return tuple(out)


def _parse_official_clause(piece: str, number: int) -> Clause:
    """One clause of the token syntax (clauses repeat a lot across a dataset: the caller caches)."""
    tokens = piece.split()
    if len(tokens) != 4 or tokens[1] != "=" or not _VAR_RE.fullmatch(tokens[0]):
        if ";" in piece:
            raise _malformed(piece, number, "clauses separated by ',' in the token syntax; ';' is the signs syntax's")
        if len(tokens) == 3 and tokens[1] == "=" and tokens[2] in ("0", "1"):
            raise _malformed(piece, number, f"'val' or 'not' before the value in the token syntax: '{tokens[0]} = val {tokens[2]}'")
        raise _malformed(piece, number, "'x = val y' or 'x = not y' or 'x = val 0|1'")
    lhs, _, mod, arg = tokens
    if mod not in ("val", "not"):
        raise LegoDataError(
            f"unknown modifier {quoted(mod)} in {quoted(piece)} (the token syntax has \"val\" and \"not\")",
            clause=number, kind="element",
        )
    op = _KEEP if mod == "val" else _FLIP
    if arg in ("0", "1"):
        return Clause(lhs, Z2.compose(op, Z2.element(arg)))
    if _VAR_RE.fullmatch(arg):
        return Clause(lhs, op, arg)
    raise LegoDataError(f"unknown value {quoted(arg)} in {quoted(piece)} (values are 0 and 1)", clause=number, kind="element")


_sign_cache: dict[str, Clause] = {}


def parse_sign_clause(piece: str, number: int = 1) -> Clause:
    """One clause of the sign syntax, e.g. ``x = - d`` or ``n = +1``."""
    hit = _sign_cache.get(piece)
    if hit is not None:
        return hit
    clause = _parse_sign_clause(piece, number)
    if len(_sign_cache) >= _CACHE_MAX:
        _sign_cache.clear()
    _sign_cache[piece] = clause
    return clause


def _parse_sign_clause(piece: str, number: int) -> Clause:
    m = _SIGN_CLAUSE.fullmatch(piece)
    if not m:
        if re.fullmatch(rf"\s*{_VAR}\s*=\s*[+-]\s*[0-9]+\s*", piece):
            raise LegoDataError(f"unknown value in {quoted(piece)} (the sign syntax has +1 and -1)", clause=number, kind="element")
        raise _malformed(piece, number, "'x = +1', 'x = -1', 'x = +y' or 'x = -y'")
    lhs, sign, arg = m.groups()
    op = _KEEP if sign == "+" else _FLIP
    return Clause(lhs, op) if arg == "1" else Clause(lhs, op, arg)


_readable_cache: dict[tuple[str, str], Clause] = {}


def _parse_readable(text: str, hint: Group | None) -> Sentence:
    pieces = _pieces(text, re.compile(";"))
    group = hint
    # The root's literal names the group; find it first so ops can be resolved.
    for number, piece in enumerate(pieces, 1):
        m = _READ_ROOT.fullmatch(piece)
        if m:
            try:
                root_group = get_group(m.group(2))
            except Exception as err:  # UserError from get_group
                raise LegoDataError(str(err), clause=number, kind="element") from None
            if group is not None and root_group.name != group.name:
                raise LegoDataError(
                    f"root literal {m.group(2)}:{m.group(3)} is in group {root_group.name}, but the sentence is over {group.name}",
                    clause=number, kind="element",
                )
            group = root_group
            break
    if group is None:
        raise LegoDataError(
            "no root literal (the readable syntax names the group in the root clause, e.g. 'a = S3:(012)')",
            kind="no-root",
        )
    out = []
    for number, piece in enumerate(pieces, 1):
        m = _READ_ROOT.fullmatch(piece)
        if m:
            if m.group(2) != group.name:
                raise LegoDataError(f"root literal {m.group(2)}:{m.group(3)} is not in group {group.name}", clause=number, kind="element")
            out.append(Clause(m.group(1), _element(group, m.group(3), piece, number)))
            continue
        key = (group.name, piece)
        hit = _readable_cache.get(key)
        if hit is None:
            m = _READ_CLAUSE.fullmatch(piece)
            if not m:
                raise _malformed(piece, number, f"'x = GROUP:NAME' or 'x = NAME y', NAME an element of {group.name}: {element_names(group)}")
            hit = Clause(m.group(1), _element(group, m.group(2), piece, number), m.group(3))
            if len(_readable_cache) >= _CACHE_MAX:
                _readable_cache.clear()
            _readable_cache[key] = hit
        out.append(hit)
    return Sentence(group, tuple(out))


def element_names(group: Group) -> str:
    """The group's element names as a message lists them: every group's, so a misspelt element can be put right.

    Z<n> beyond 12 elements as the range 0..n-1; S3's cycles with the word
    that they are written without spaces.
    """
    names = list(group.names)
    if len(names) > 12:
        return f"{names[0]}, {names[1]}, ..., {names[-1]}"
    cycles = " (cycles written without spaces)" if any(n.startswith("(") for n in names) else ""
    return ", ".join(names) + cycles


def _element(group: Group, name: str, piece: str, number: int) -> Elem:
    if not group.has_name(name):
        raise LegoDataError(
            f"unknown element {quoted(name)} of group {group.name} in {quoted(piece)} (elements: {element_names(group)})", clause=number, kind="element",
        )
    return group.element(name)


# ---------------------------------------------------------------- writers

def _require_z2(sentence: Sentence, syntax: str) -> None:
    if sentence.group.name != "Z2":
        raise LegoDataError(f"the {syntax} syntax is for Z2 only; write {sentence.group.name} sentences in the readable syntax", kind="syntax")


def format_official(sentence: Sentence) -> str:
    """The paper's bytes: root ``'x = val D , '``, others ``' x = val|not y , '``."""
    _require_z2(sentence, "official")
    parts = []
    for c in sentence.clauses:
        if c.rhs is None:
            parts.append(f"{c.lhs} = val {c.op.index} , ")
        else:
            parts.append(f" {c.lhs} = {'val' if c.op.index == 0 else 'not'} {c.rhs} , ")
    return "".join(parts)


def format_sign_clause(clause: Clause, space: bool = False) -> str:
    """``x = +1`` / ``x = -y``; with `space`, ``x = - y`` as Kazemnejad et al. write it."""
    sign = "+" if clause.op.index == 0 else "-"
    if clause.rhs is None:
        return f"{clause.lhs} = {sign}1"
    return f"{clause.lhs} = {sign}{' ' if space else ''}{clause.rhs}"


def format_signs(sentence: Sentence) -> str:
    _require_z2(sentence, "signs")
    return "; ".join(format_sign_clause(c) for c in sentence.clauses) + ";"


def format_readable(sentence: Sentence) -> str:
    g = sentence.group
    names = g.names
    parts = []
    for c in sentence.clauses:
        if c.rhs is None:
            parts.append(f"{c.lhs} = {g.name}:{names[c.op.index]}")
        else:
            parts.append(f"{c.lhs} = {names[c.op.index]} {c.rhs}")
    return "; ".join(parts) + ";"


def format_sentence(sentence: Sentence, syntax: str) -> str:
    if syntax == "official":
        return format_official(sentence)
    if syntax == "signs":
        return format_signs(sentence)
    if syntax == "readable":
        return format_readable(sentence)
    raise LegoDataError(f"unknown sentence syntax {syntax!r} (known: {', '.join(SYNTAXES)})", kind="syntax")


def default_syntax(group: Group) -> str:
    """The paper's token syntax for Z2, the readable syntax for every other group."""
    return "official" if group.name == "Z2" else "readable"


# ----------------------------------------------------------- label values

def format_value(value: Elem, syntax: str) -> int | str:
    """A label value in a syntax's own notation (JSON-ready)."""
    if syntax == "official":
        return value.index
    if syntax == "signs":
        return 1 if value.index == 0 else -1
    if value.group.name.startswith("Z"):
        return value.index
    return value.name


ACCEPTED_VALUES = {
    "official": "0 or 1",
    "signs": "+1 or -1 (1 for +1)",
}


# Every spelling the Z2 notations accept (GROUP:NAME aside); bools are kept out before lookup.
_NOTATION_VALUES: dict[str, dict[object, Elem]] = {
    "official": {0: _KEEP, 1: _FLIP, "0": _KEEP, "1": _FLIP},
    "signs": {1: _KEEP, -1: _FLIP, "1": _KEEP, "+1": _KEEP, "-1": _FLIP},
}


def parse_labels(raw: dict, group: Group, syntax: str) -> dict[str, Elem]:
    """`{str(var): parse_value(value, group, syntax)}`, with parse_value's common case inline (a record has many labels)."""
    table = _NOTATION_VALUES.get(syntax)
    if table is None:
        return {str(k): parse_value(v, group, syntax) for k, v in raw.items()}
    out: dict[str, Elem] = {}
    get = table.get
    for k, v in raw.items():
        c = v.__class__
        hit = get(v) if c is int or c is str else None
        out[k if k.__class__ is str else str(k)] = hit if hit is not None else parse_value(v, group, syntax)
    return out


def parse_value(raw: object, group: Group, syntax: str) -> Elem:
    """Inverse of `format_value`, strict: each notation accepts only its own values.

    official: 0, 1 (numbers or strings); signs: 1/+1 and -1; readable: the
    group's element names (Z<n>: 0..n-1, also as numbers; `e` for the
    identity). ``GROUP:NAME`` (e.g. ``Z2:1``) names its element explicitly and
    is accepted in every notation. Anything else is a LegoDataError listing
    the accepted spellings, so a 0 in sign data is not silently read as +1.
    """
    table = _NOTATION_VALUES.get(syntax)
    if table is not None and (raw.__class__ is int or raw.__class__ is str):  # the common case, fast
        hit = table.get(raw)
        if hit is not None:
            return hit
    if isinstance(raw, str) and ":" in raw:
        gname, _, name = raw.strip().partition(":")
        if gname != group.name or not group.has_name(name):
            raise _bad_value(raw, group, syntax, f"not an element of {group.name}")
        return group.element(name)
    if isinstance(raw, bool) or not isinstance(raw, (int, str)):
        raise _bad_value(raw, group, syntax)
    text = str(raw).strip() if isinstance(raw, str) else str(raw)
    if syntax == "official":
        if text in ("0", "1"):
            return group.element(text)
    elif syntax == "signs":
        if text in ("1", "+1"):
            return _KEEP
        if text == "-1":
            return _FLIP
    else:
        index = group.index_of(text)
        if index is not None and (text == "e" or text == group.names[index]):
            return group.element(text)
    raise _bad_value(raw, group, syntax)


def _bad_value(raw: object, group: Group, syntax: str, why: str | None = None) -> LegoDataError:
    shown = quoted(raw)
    accepted = ACCEPTED_VALUES.get(syntax) or f"an element of {group.name}: {element_names(group)}"
    if why is None and isinstance(raw, (int, str)) and not isinstance(raw, bool) and not group.has_name(str(raw).strip()):
        what = f"unknown element {quoted(str(raw))} of group {group.name} in the labels"
    else:
        what = f"label value {shown} is {why or f'not a value of the {syntax} notation'}"
    return LegoDataError(f"{what} (accepted: {accepted}; or {group.name}:NAME)", kind="element")
