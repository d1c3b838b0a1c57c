"""Benchmarks: search_bench."""

from synth.benchmarks import Benchmark

BENCHMARKS: list[Benchmark] = []
