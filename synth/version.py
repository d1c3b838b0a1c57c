"""The lego-synth version: the installed package's, else (from a checkout) the one in setup.cfg.

`synth --version` prints it and the suite stamps it on every results row.
"""

from __future__ import annotations

import configparser
from functools import lru_cache
from pathlib import Path

SETUP_CFG = Path(__file__).resolve().parents[1] / "setup.cfg"


@lru_cache(maxsize=1)
def package_version() -> str:
    """The installed lego-synth version; from a checkout, the version in setup.cfg ("unknown" if neither)."""
    from importlib import metadata

    try:
        return metadata.version("lego-synth")
    except metadata.PackageNotFoundError:
        pass
    cfg = configparser.ConfigParser()
    try:
        cfg.read(SETUP_CFG, encoding="utf-8")
    except (configparser.Error, OSError, UnicodeDecodeError):
        return "unknown"
    return cfg.get("metadata", "version", fallback="unknown")
