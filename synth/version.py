"""The lego-synth version, and the code identity the suite stamps on its rows.

`package_version` is the installed package's version (from a checkout, the
one in setup.cfg); `synth --version` prints it. It does not change when the
code does, so it cannot tell a sweep's results apart from those of edited
code. `code_version` can: the package version plus a short sha256 of the
files that decide what a sweep's cell computes (`0.1.0+3f9a2c1d0b7e`). The
suite hashes it into every cell and stamps it on every row, so edited code
makes new cells (run again, the old rows kept) and rows of two codes are
never pooled.

What is fingerprinted, and why these files: `dsl/` (the language and its
interpreter run every candidate and every test), `tasks/` (generators,
readers and scoring make a cell's examples and its score) and
`synth/search/` (the search decides which program is found), whole, with
their bundled data; plus the suite's own cell-running code (drawing the
data, the worker, scoring) and what it imports from outside those folders.
Reports, plots, the CLI, specs and docs only show or choose cells, and a
cell's settings are hashed on their own, so editing them keeps the results.
The files are read from where the packages are installed (a checkout or
site-packages alike): no git needed.
"""

from __future__ import annotations

import configparser
import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Iterable

ROOT = Path(__file__).resolve().parents[1]  # the folder holding dsl/, tasks/ and synth/
SETUP_CFG = ROOT / "setup.cfg"

FINGERPRINTED_FOLDERS = ("dsl", "tasks", "synth/search")
# Outside those folders, what turns a cell into its outcome: synth.suite.worker and
# its imports of our own code (a test checks this list covers them).
FINGERPRINTED_FILES = (
    "synth/memory.py",
    "synth/report/counts.py",
    "synth/report/generalize.py",
    "synth/suite/cell.py",
    "synth/suite/compat.py",
    "synth/suite/draw.py",
    "synth/suite/outcome.py",
    "synth/suite/worker.py",
)
SOURCE_SUFFIXES = (".py", ".lark")
DATA_FOLDER = "data"  # bundled data files (setup.cfg's package_data) live in a `data/` folder of a package
FINGERPRINT_HEX = 12


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


def _counted(path: Path, folder: Path) -> bool:
    """A source file, or a bundled data file; never a compiled cache."""
    parts = path.relative_to(folder).parts
    if "__pycache__" in parts or not path.is_file():
        return False
    return path.suffix in SOURCE_SUFFIXES or DATA_FOLDER in parts[:-1]


def fingerprinted_files(root: Path = ROOT, folders: Iterable[str] = FINGERPRINTED_FOLDERS,
                        files: Iterable[str] = FINGERPRINTED_FILES) -> list[str]:
    """The relative (POSIX) paths the fingerprint covers, sorted."""
    found = set(files)
    for name in folders:
        folder = root / name
        found.update(p.relative_to(root).as_posix() for p in folder.rglob("*") if _counted(p, folder))
    return sorted(found)


def fingerprint(root: Path = ROOT, folders: Iterable[str] = FINGERPRINTED_FOLDERS, files: Iterable[str] = FINGERPRINTED_FILES) -> str:
    """sha256 over the sorted relative paths and bytes of the fingerprinted files, shortened.

    Each file enters as its path, its length and its bytes, so no two trees
    hash alike by moving bytes across a file boundary; a listed file that is
    missing enters as missing.
    """
    digest = hashlib.sha256()
    for rel in fingerprinted_files(root, folders, files):
        try:
            data = (root / rel).read_bytes()
        except OSError:
            digest.update(f"{rel}\0missing\0".encode())
            continue
        digest.update(f"{rel}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()[:FINGERPRINT_HEX]


@lru_cache(maxsize=1)
def code_version() -> str:
    """The package version plus the fingerprint of the code that decides a cell's result, computed once per process."""
    return f"{package_version()}+{fingerprint()}"
