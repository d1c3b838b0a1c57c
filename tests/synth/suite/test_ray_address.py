"""--ray ADDRESS: an address nothing answers at is refused at once (Ray retries it for minutes); needs no Ray."""

from __future__ import annotations

import socket

import pytest

from dsl.errors import UserError
from synth.suite.backends.ray_tasks import check_reachable


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("scheme", ["", "ray://"])
def test_an_address_nothing_listens_at_is_refused_at_once(scheme) -> None:
    address = f"{scheme}127.0.0.1:{_closed_port()}"
    with pytest.raises(UserError, match=f"cannot reach Ray at {address}: .*is the cluster's head node up"):
        check_reachable(address)


def test_an_address_that_answers_and_addresses_ray_resolves_itself_pass() -> None:
    with socket.socket() as listening:
        listening.bind(("127.0.0.1", 0))
        listening.listen()
        check_reachable(f"127.0.0.1:{listening.getsockname()[1]}")
    for address in ("auto", "local", "head-node"):  # not HOST:PORT: left to Ray
        check_reachable(address)
