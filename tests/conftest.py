"""Settings every test relies on, whatever the runner's environment."""

from __future__ import annotations

import signal
from typing import Iterator

import pytest


@pytest.fixture(autouse=True, scope="session")
def _ctrl_c_raises() -> Iterator[None]:
    """Ctrl-C is Python's KeyboardInterrupt during the tests, as in a terminal.

    Tests of the interrupt handling send SIGINT to themselves. A runner
    started in the background of a script (`cmd &`, nohup) ignores SIGINT,
    and the tests inherit that: the commands rightly leave an ignored signal
    alone (synth.interrupts.signals_taken), so those tests would see nothing.
    """
    old = signal.getsignal(signal.SIGINT)
    if old is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    if old is signal.SIG_IGN:
        signal.signal(signal.SIGINT, old)
