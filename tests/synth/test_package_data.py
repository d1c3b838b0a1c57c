"""Files shipped inside the package stay copies of the ones in examples/."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "shipped, original",
    [("synth/data/lego.dsl", "examples/lego.dsl"), ("synth/data/demo_lego.json", "examples/lego_z2_official.json")],
)
def test_shipped_copy_matches_the_example(shipped: str, original: str) -> None:
    assert (ROOT / shipped).read_bytes() == (ROOT / original).read_bytes()


def test_every_benchmark_prepares_without_the_source_tree() -> None:
    from synth.benchmarks import all_benchmarks
    from synth.benchmarks.dsl_bench import LEGO_FILE

    assert "examples" not in LEGO_FILE.parts
    names = [b.name for b in all_benchmarks()]
    assert len(names) == len(set(names)) and all(b.claim for b in all_benchmarks())
