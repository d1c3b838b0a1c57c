"""Two fuzz profiles: fast (every run, CI) and long (`pytest -m fuzz tests/fuzz`).

Every fuzz test takes the `fuzz` fixture, a hypothesis `settings` object to
decorate its inner `@given` function with. The fixture is parametrized: the
"fast" case runs in the default suite with a few dozen examples per entry
point; the "long" case carries the `fuzz` marker, which setup.cfg deselects by
default, and runs FUZZ_EXAMPLES examples (10,000 unless the environment says
otherwise) per entry point:

    PYTHONPATH=. python -m pytest -m fuzz tests/fuzz                 # 10,000 per entry point
    FUZZ_EXAMPLES=50000 PYTHONPATH=. python -m pytest -m fuzz tests/fuzz -k readers

The results-database entry points (test_fuzz_results_db.py) cost more per
example (a copy of a database, a report, two status reads and sometimes a
resumed run that forks a search): they take half (damaged database) and a
quarter (two merged) of the count, about 5 s together in the fast profile and
about 10 minutes in the long one on two cores (`-k results_db` to run only them).
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

FAST_EXAMPLES = int(os.environ.get("FUZZ_FAST_EXAMPLES", "40"))
LONG_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "10000"))

_COMMON = dict(
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)


@pytest.fixture(params=[pytest.param("fast"), pytest.param("long", marks=pytest.mark.fuzz)])
def fuzz(request: pytest.FixtureRequest) -> settings:
    """Hypothesis settings for this profile (a costly entry point may take a fraction of the count)."""
    n = FAST_EXAMPLES if request.param == "fast" else LONG_EXAMPLES
    return settings(max_examples=n, **_COMMON)

