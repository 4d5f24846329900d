"""Benchmarks, run by hand (`make bench`), never as timed assertions in tests."""
