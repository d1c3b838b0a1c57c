"""What the suite takes from its surroundings: TOML (tomllib, or tomli on
Python 3.10), the code version hashed into every cell and stamped on every row
(synth.version.code_version), the profile names.
"""

from __future__ import annotations

import sys

from synth.search.profiles import PROFILES
from synth.version import code_version

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

TOMLDecodeError = tomllib.TOMLDecodeError
parse_toml = tomllib.loads


__all__ = ["TOMLDecodeError", "code_version", "known_profiles", "parse_toml"]


def known_profiles() -> tuple[str, ...]:
    """The grammar profiles a spec may name: those of the search (synth.search.profiles)."""
    return tuple(PROFILES)
