"""face-compat benchmarks: ``python benchmarks/run.py [--quick] [--json]`` (not part of the test suite)."""
