"""Benchmarks against the budgets in DESIGN.md; run with `make bench`."""
