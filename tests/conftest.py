"""Shared test fixtures and the data folders.

`../shared` (read-only, not in the repository; REFKIT_SHARED names another folder) holds the full real data. When
it is absent (a clean clone, CI), tests read the vendored excerpt in tests/data/shared instead: the same layout,
a few hundred real entries and records, sources and licences in tests/data/SOURCES.md. A file that is in neither
(the sample document, whose prose is its author's) makes its test skip: reach such files through `shared_file`.
"""

from __future__ import annotations

import dataclasses
import functools
import os
from pathlib import Path

import pytest

from tests.fakecrossref.fixture import fake_crossref  # noqa: F401  (a fixture: the fake Crossref server)

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("REFKIT_SHARED", ROOT.parent / "shared"))
VENDORED = Path(__file__).resolve().parent / "data" / "shared"


def shared_folder() -> Path:
    """../shared when it is there, else the vendored excerpt of it."""
    return SHARED if SHARED.is_dir() else VENDORED


@pytest.fixture
def shared() -> Path:
    """The data folder (see shared_folder): only for files the excerpt has too; others go through shared_file."""
    return shared_folder()


def shared_file(*parts: str) -> Path:
    """A file under ../shared (or its vendored excerpt), skipping the test when neither has it."""
    path = shared_folder().joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not present")
    return path


@pytest.fixture(autouse=True)
def _no_real_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never reach a real API: the default chain is Crossref alone (which tests point at the fake);
    a test of other sources names them (`Settings(sources=[...])` with their fakes' URLs)."""
    monkeypatch.setattr("refkit.sources.registry.DEFAULT_SOURCES", ("crossref",))


@pytest.fixture
def quick_clients(monkeypatch: pytest.MonkeyPatch) -> None:
    """The HTTP clients a command builds for itself retry as often as ever, under the same breaker and
    Retry-After rules, but back off for milliseconds and keep rate limits 100 times Crossref's: a test of a
    server that never answers would otherwise wait about a second an attempt (anonymous: one list a second)."""
    from refkit.sources import http

    monkeypatch.setattr(http, "RetryPolicy", functools.partial(http.RetryPolicy, backoff=0.005, cap=0.02))
    for name in ("POLITE", "PUBLIC"):
        limits = getattr(http, name)
        monkeypatch.setattr(http, name, dataclasses.replace(limits, single=100 * limits.single, list=100 * limits.list))
