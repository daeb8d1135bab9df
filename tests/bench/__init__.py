"""Benchmarks (speed, scale, retrieval quality), run by `python -m tests.bench.run`; not collected by default."""
