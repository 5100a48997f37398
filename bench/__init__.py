"""Performance benchmarks of the desk: ``python -m bench.run`` (see README, "Benchmarks").

Not part of the test suite: pytest collects ``tests/`` only.
"""
