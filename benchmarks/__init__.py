"""Benchmarks of Accord on a large synthetic register (``scripts/bench``); not part of the test suite."""
