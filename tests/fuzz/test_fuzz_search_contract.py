"""The search's contract (synth.search.strategies) on dearer programs than the default suite draws.

From examples of a program the grammar builds, of cost up to 11, the search
returns one no dearer, with either profile. The fast profile runs a few
dozen draws of each; the long one (`pytest -m fuzz tests/fuzz -k search`)
FUZZ_EXAMPLES (1,000 took 13 s with core and 20 s with list on one core).
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings

from synth.search.solver import synthesize
from synth.search.strategies import Drawn, searchable_tasks


@pytest.mark.parametrize("profile", ["core", "list"])
def test_the_search_misses_no_cheaper_program(fuzz: settings, profile: str) -> None:
    @settings(parent=fuzz)
    @given(searchable_tasks(profile=profile, max_cost=11))
    def check(drawn: Drawn) -> None:
        found = synthesize(drawn.task, max_cost=drawn.cost, profile=profile)
        assert found.program is not None and found.cost <= drawn.cost, (drawn.program, found.stats.stopped)

    check()
