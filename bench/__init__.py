"""Benchmarks measured on this machine; each module runs with `python -m bench.<name>`."""
