"""The benchmark (python bench/run.py); not part of the hotline or its test suite."""
