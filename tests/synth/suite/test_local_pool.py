"""The local pool: every cell comes out once; a worker that dies costs its cell only."""

from __future__ import annotations

import faulthandler
import multiprocessing
import os
import signal

from synth.suite.backends import BACKENDS, local, make_backend
from synth.suite.worker import run_cell


def test_every_cell_comes_out_once(cell_maker) -> None:
    cells = [cell_maker(i) for i in range(6)]
    pool = make_backend("local", jobs=2)
    assert pool.capacity() == 2
    results = list(pool.run(cells))
    assert sorted(c.key for c, _ in results) == sorted(c.key for c in cells)
    assert all(o.status == "found" for _, o in results)


def test_a_dead_worker_is_its_cells_error_and_the_rest_go_on(cell_maker, monkeypatch) -> None:
    def dies_on_seed_1(cell):
        if cell.source.seed == 1:
            faulthandler.disable()  # pytest's fault handler would print a dump for this deliberate crash
            os.kill(os.getpid(), signal.SIGSEGV)
        if cell.source.seed == 2:
            os._exit(3)
        return run_cell(cell)

    monkeypatch.setattr(local, "run_cell", dies_on_seed_1)  # forked workers see the patched function
    results = {c.source.seed: o for c, o in local.LocalPool(2).run([cell_maker(i) for i in range(4)])}
    assert results[0].status == results[3].status == "found"
    assert results[1].status == "error" and "SIGSEGV" in (results[1].error or "")
    assert results[2].status == "error" and "exited with status 3" in (results[2].error or "")


def test_closing_the_run_stops_the_cells_in_flight(cell_maker) -> None:
    cells = [cell_maker(0), cell_maker(0, task="reverse_string", timeout=60)]
    run = local.LocalPool(2).run(cells)
    first_cell, first = next(run)
    assert first_cell.task == "parity_check" and first.status == "found"
    assert len(multiprocessing.active_children()) == 1  # the long search is still running
    run.close()  # what Ctrl-C does to the sweep
    assert multiprocessing.active_children() == []


def test_the_registry_names_each_backend() -> None:
    assert set(BACKENDS) >= {"local", "ray"}
