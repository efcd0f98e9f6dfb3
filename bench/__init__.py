"""Benchmarks (not tests): they read the shared news corpus and print figures."""
