"""pytest fixtures: a fake Crossref on a free port, serving a few records written for the tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakecrossref.records import RecordStore
from tests.fakecrossref.server import FakeCrossref

SAMPLE_RECORDS = Path(__file__).with_name("sample_records.jsonl")


@pytest.fixture
def fake_crossref() -> Iterator[FakeCrossref]:
    """Started for the test and stopped after it; tune `latency`, `enforce_limits`, `limits` or `script()`."""
    with FakeCrossref(RecordStore.load(SAMPLE_RECORDS)) as fake:
        yield fake
