"""Shared test fixtures. `shared` points at ../shared (read-only data); tests using it skip when it is absent."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fakecrossref.fixture import fake_crossref  # noqa: F401  (a fixture: the fake Crossref server)

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared is not present")
    return SHARED


def shared_file(*parts: str) -> Path:
    """A file under ../shared, skipping the test when it is not there."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not present")
    return path
