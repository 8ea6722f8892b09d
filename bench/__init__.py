"""Benchmarks of Chính quyền số: `python -m bench` (or `make bench`). Not collected by pytest."""
