"""The one place where the suite adapts to what the rest of the project offers.

Some interfaces the suite uses are still being added elsewhere (grammar
profiles in the search, a per-token accuracy for sequence tasks, an installed
package version). Each is looked up here, once, so that when it lands only
this module changes and the rest of the suite stays as it is.
"""

from __future__ import annotations

import configparser
import inspect
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

import synth.search
import tasks.sequence
from synth.search import synthesize

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

TOMLDecodeError = tomllib.TOMLDecodeError
parse_toml = tomllib.loads

FALLBACK_PROFILES: tuple[str, ...] = ("core",)


@lru_cache(maxsize=1)
def known_profiles() -> tuple[str, ...]:
    """Grammar profile names the search knows (`synth.search.PROFILES`), else ("core",)."""
    found = getattr(synth.search, "PROFILES", None)
    if found is None:
        return FALLBACK_PROFILES
    return tuple(found)  # a tuple of names, or a mapping keyed by name


@lru_cache(maxsize=1)
def synthesize_takes_profile() -> bool:
    """Whether `synthesize` has a `profile` parameter (until it does, every search uses its grammar)."""
    return "profile" in inspect.signature(synthesize).parameters


def search_options(profile: str) -> dict[str, Any]:
    """Keyword arguments that carry the profile to `synthesize`, if it takes one."""
    return {"profile": profile} if synthesize_takes_profile() else {}


def token_accuracy() -> Callable[[Any, Any], float] | None:
    """`tasks.sequence.token_accuracy(expected, predicted) -> fraction`, if the tasks offer it."""
    return getattr(tasks.sequence, "token_accuracy", None)


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
