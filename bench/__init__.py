"""Benchmarks. ``make bench`` (``python -m bench``) runs them all and writes bench/results.md.

Each benchmark prints its figures next to a floor measured in the same run on the same machine, so the
ratio, not the absolute time, is what to compare across machines.
"""
