"""Cells as Ray tasks, on a cluster (`--ray ADDRESS`) or a local Ray instance (`--ray`).

An optional extra (`pip install 'lego-synth[ray]'`). Each task runs one cell
in a Ray worker process used for that task only (`max_calls=1`), as the local
pool does, so a crash or the peak memory belongs to one cell. At most
`jobs` tasks are in flight (the cluster's CPUs by default), so a killed
sweep loses only those. The nodes need lego-synth installed (or a Ray
runtime environment that provides it).
"""

from __future__ import annotations

import importlib
import socket
from typing import Any, Iterable, Iterator

from dsl.errors import UserError
from synth.suite.cell import Cell
from synth.suite.outcome import Outcome, failed
from synth.suite.worker import run_cell

INSTALL_HINT = "pip install 'lego-synth[ray]'"
REACH_SECONDS = 10.0  # how long a cluster's address may take to accept a connection before --ray gives up on it


def import_ray() -> Any:
    try:
        return importlib.import_module("ray")
    except ImportError:
        raise UserError(f"--ray needs Ray, which is not installed; install it with: {INSTALL_HINT}") from None


def check_reachable(address: str, seconds: float = REACH_SECONDS) -> None:
    """Refuse at once a cluster address nothing answers at: Ray itself retries it for minutes, printing only its own warnings.

    Only HOST:PORT (or ray://HOST:PORT) is tried; "auto" and anything else is left to Ray.
    """
    where = address.removeprefix("ray://")
    host, _, port = where.rpartition(":")
    if not host or not port.isdigit():
        return
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=seconds).close()
    except OSError as err:
        raise UserError(f"cannot reach Ray at {address}: {err.strerror or err} "
                        f"(nothing accepted a connection within {seconds:g} s; is the cluster's head node up, at this address?)") from None


class RayTasks:
    name = "ray"

    def __init__(self, jobs: int | None = None, address: str | None = None) -> None:
        self.ray = import_ray()
        self.address = address or None
        if self.address is not None:
            check_reachable(self.address)  # before a results database is opened for the sweep
        self._jobs = jobs
        self._started = False

    def _start(self) -> None:
        if self._started or self.ray.is_initialized():
            self._started = True
            return
        try:
            if self.address is None:
                self.ray.init(num_cpus=self._jobs, include_dashboard=False, log_to_driver=False, configure_logging=False)
            else:
                self.ray.init(address=self.address, log_to_driver=False, configure_logging=False)
        except (ConnectionError, ValueError, RuntimeError) as err:
            raise UserError(f"cannot start or reach Ray at {self.address or 'a local instance'}: {err}") from None
        self._started = True

    def capacity(self) -> int:
        self._start()
        if self._jobs:
            return self._jobs
        return max(1, int(self.ray.cluster_resources().get("CPU", 1)))

    def run(self, cells: Iterable[Cell]) -> Iterator[tuple[Cell, Outcome]]:
        ray = self.ray
        limit = self.capacity()
        remote = ray.remote(num_cpus=1, max_calls=1, max_retries=0)(run_cell)
        todo = iter(cells)
        running: dict[Any, Cell] = {}
        try:
            while True:
                while len(running) < limit:
                    cell = next(todo, None)
                    if cell is None:
                        break
                    running[remote.remote(cell)] = cell
                if not running:
                    return
                ready, _ = ray.wait(list(running), num_returns=1)
                for ref in ready:
                    cell = running.pop(ref)
                    yield cell, self._result(ref)
        finally:
            for ref in running:
                ray.cancel(ref, force=True)

    def _result(self, ref: Any) -> Outcome:
        try:
            outcome: Outcome = self.ray.get(ref)
        except Exception as err:  # a crashed worker, a lost node: that cell's error, not the sweep's
            return failed(f"Ray task failed: {type(err).__name__}: {str(err).splitlines()[0] if str(err) else ''}")
        return outcome

    def close(self) -> None:
        if self._started and self.address is None:
            self.ray.shutdown()
