"""The code versions of a database's rows, and which of them a report shows.

Every row carries the code version that produced it (synth.version.code_version).
A report shows all of them by default, each line of one version only (see
`headline`), and says on standard error when there are several or when none is
the running code's; `--code-version V` keeps one. Rows of databases made before
versions carried a fingerprint (plain `0.1.0`) are simply one more version.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Sequence

from dsl.errors import UserError
from synth.suite.compat import code_version
from synth.suite.store import Row

CURRENT = "current"  # --code-version's name for the running code's version


@dataclass(frozen=True)
class VersionRows:
    """How many rows one code version has."""

    version: str
    rows: int
    current: bool  # the running code's version

    def __str__(self) -> str:
        rows = f"{self.rows} row" + ("" if self.rows == 1 else "s")
        return f"{self.version} ({'current code, ' if self.current else ''}{rows})"


def versions(rows: Sequence[Row]) -> tuple[VersionRows, ...]:
    """The code versions present, in sorted order, with their row counts."""
    counts = Counter(str(r["version"]) for r in rows)
    now = code_version()
    return tuple(VersionRows(v, counts[v], v == now) for v in sorted(counts))


def only(rows: Sequence[Row], wanted: str, option: str = "--code-version") -> list[Row]:
    """The rows of code version `wanted` ("current": the running code's); a version with no rows is a UserError naming `option`."""
    if not wanted.strip():
        raise UserError(f"{option} needs a code version (as `synth suite status` lists them) or {CURRENT!r}, not {wanted!r}")
    version = code_version() if wanted == CURRENT else wanted
    kept = [r for r in rows if str(r["version"]) == version]
    if not kept:
        present = ", ".join(str(v) for v in versions(rows))
        where = ", ".join(sorted({r.database for r in rows if r.database}))
        raise UserError(f"no rows of code version {version}{' (the current code)' if wanted == CURRENT else ''}"
                        f"{f' in {where}' if where else ''}; the rows are of {present}")
    return kept


def notes(rows: Sequence[Row]) -> list[str]:
    """What a reader must know about the versions of the rows shown (for standard error): several, or none current."""
    found = versions(rows)
    out = []
    if len(found) > 1:
        out.append(
            f"note: rows of {len(found)} code versions, never pooled into one line (where two lines would share a label, "
            f"the code version follows it): {', '.join(str(v) for v in found)}; --code-version V reports one"
        )
    if not any(v.current for v in found):
        out.append(
            f"note: no row shown is from the current code ({code_version()}): the code has changed since they were run, "
            "and `synth suite run` runs the cells again for it"
        )
    return out
