"""What the suite takes from its surroundings: TOML (tomllib, or tomli on
Python 3.10), the package version stamped on every row, the profile names.
"""

from __future__ import annotations

import configparser
import sys
from functools import lru_cache
from pathlib import Path

from synth.search.profiles import PROFILES

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

TOMLDecodeError = tomllib.TOMLDecodeError
parse_toml = tomllib.loads


def known_profiles() -> tuple[str, ...]:
    """The grammar profiles a spec may name: those of the search (synth.search.profiles)."""
    return tuple(PROFILES)


@lru_cache(maxsize=1)
def package_version() -> str:
    """The installed lego-synth version; from a checkout, the version in setup.cfg."""
    from importlib import metadata

    try:
        return metadata.version("lego-synth")
    except metadata.PackageNotFoundError:
        pass
    cfg = configparser.ConfigParser()
    cfg.read(Path(__file__).resolve().parents[2] / "setup.cfg", encoding="utf-8")
    return cfg.get("metadata", "version", fallback="unknown")
