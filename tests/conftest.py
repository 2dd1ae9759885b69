"""Shared fixtures: repository paths and the notebooks under test."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from notebook_env import notebook_paths  # noqa: E402

NOTEBOOK_PATHS = notebook_paths()


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT
