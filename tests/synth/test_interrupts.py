"""WrapUp: the first Ctrl-C stops a search; later ones wait until its result is written and shown, but may cut a check short."""

from __future__ import annotations

import os
import signal

import pytest

from synth.interrupts import WrapUp


def _interrupt() -> None:
    os.kill(os.getpid(), signal.SIGINT)  # delivered to this (main) thread before the next line runs


def test_the_first_interrupt_stops_the_search_and_a_second_waits_for_the_results() -> None:
    done = []
    with pytest.raises(KeyboardInterrupt):
        with WrapUp().installed() as guard:
            try:
                _interrupt()  # the search's Ctrl-C
                done.append("not reached")
            except KeyboardInterrupt:
                done.append("search stopped")
            _interrupt()  # a double tap, still inside the search's return: held
            guard.hold()
            _interrupt()  # while writing: held (only one is kept)
            done.append("written and shown")
    assert done == ["search stopped", "written and shown"]  # then the held interrupt ended the command


def test_interrupts_pass_while_checking_and_wait_again_after() -> None:
    events = []
    with pytest.raises(KeyboardInterrupt):
        with WrapUp().installed() as guard:
            guard.hold()
            with guard.passing():
                try:
                    _interrupt()
                except KeyboardInterrupt:
                    events.append("check cut short")
            assert not guard.held
            _interrupt()
            events.append("report shown")
            assert guard.held
    assert events == ["check cut short", "report shown"]


def test_one_held_before_the_check_is_seen_so_the_check_may_be_skipped() -> None:
    with pytest.raises(KeyboardInterrupt):
        with WrapUp().installed() as guard:
            guard.hold()
            _interrupt()
            with guard.passing():
                assert guard.held  # the caller skips the check; the interrupt still ends the command after the report


def test_an_exit_on_its_way_out_is_not_replaced_and_the_handlers_come_back() -> None:
    before = signal.getsignal(signal.SIGINT)
    with pytest.raises(SystemExit) as info:
        with WrapUp().installed() as guard:
            guard.hold()
            _interrupt()
            raise SystemExit(2)  # e.g. an output that could not be written
    assert info.value.code == 2
    assert signal.getsignal(signal.SIGINT) is before
    with WrapUp().installed():
        pass  # nothing held: nothing delivered
