"""The Ray backend on a local Ray instance (skipped when Ray is not installed)."""

from __future__ import annotations

import pytest

from synth.suite.backends import make_backend
from synth.suite.runner import run_sweep
from synth.suite.store import Store

ray = pytest.importorskip("ray", reason="Ray is an optional extra: pip install 'lego-synth[ray]'")


def test_cells_run_as_ray_tasks_on_a_local_instance(tmp_path, cell_maker) -> None:
    cells = [cell_maker(i) for i in range(3)] + [cell_maker(0, task="reverse_string", timeout=0.5)]
    backend = make_backend("ray", jobs=2)
    try:
        with Store(tmp_path / "r.sqlite") as store:
            summary = run_sweep(cells, store, backend)
            statuses = sorted(r["status"] for r in store.rows())
    finally:
        backend.close()
    assert summary.ran == 4 and not summary.failed
    assert statuses == ["found", "found", "found", "timeout"]
    assert not ray.is_initialized()
