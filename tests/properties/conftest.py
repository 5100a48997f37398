"""Hypothesis profiles for the property tests.

Under ``CI=true`` the runs are derandomized and keep no example database, so
a CI failure is the same failure on every rerun and nothing is written next
to the checkout. Locally the examples that failed are kept under
``.pytest_cache`` (ignored by git) and tried first on the next run.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import settings
from hypothesis.database import DirectoryBasedExampleDatabase

from tests.conftest import in_ci

settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.register_profile(
    "dev",
    database=DirectoryBasedExampleDatabase(
        Path(__file__).resolve().parents[2] / ".pytest_cache" / "hypothesis"
    ),
)
settings.load_profile("ci" if in_ci() else "dev")
