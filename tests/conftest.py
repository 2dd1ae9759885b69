"""Shared fixtures: repository paths and the notebooks under test."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from notebook_env import notebook_paths  # noqa: E402

NOTEBOOK_PATHS = notebook_paths()

# Property tests draw the same examples on every run (two runs of make test must agree) and keep
# no example database in the working tree.
settings.register_profile("deterministic", derandomize=True, database=None)
settings.load_profile("deterministic")


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT
