"""`synth --version`: installed or run from a checkout (`python -m synth`), never a traceback."""

from __future__ import annotations

import configparser
import os
import subprocess
import sys
from importlib import metadata
from pathlib import Path

from click.testing import CliRunner

import synth
from synth.cli import main
from synth.version import package_version

ROOT = Path(__file__).resolve().parents[2]


def _setup_cfg_version() -> str:
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "setup.cfg", encoding="utf-8")
    return cfg.get("metadata", "version")


def test_version_from_a_checkout_without_installing(monkeypatch):
    """Before: RuntimeError: 'lego-synth' is not installed (click's version_option(package_name=...))."""

    def not_installed(name: str) -> str:
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(metadata, "version", not_installed)
    package_version.cache_clear()
    try:
        r = CliRunner().invoke(main, ["--version"], prog_name="synth")
    finally:
        package_version.cache_clear()
    assert r.exit_code == 0 and r.output == f"synth, version {_setup_cfg_version()}\n"
    assert r.exception is None or isinstance(r.exception, SystemExit)


def test_python_dash_m_synth_version(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    r = subprocess.run([sys.executable, "-m", "synth", "--version"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip().endswith(f"version {package_version()}") and "Traceback" not in r.stderr
    assert synth.__version__ == package_version() != "unknown"
