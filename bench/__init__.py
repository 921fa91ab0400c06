"""Benchmarks of the enrichment run."""
