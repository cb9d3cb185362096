"""A fake Crossref REST API for tests, benchmarks and offline development (see docs/fake-crossref.md)."""

from tests.fakecrossref.records import RecordStore, read_records
from tests.fakecrossref.server import LIMITS, FakeCrossref, PoolLimits

__all__ = ["LIMITS", "FakeCrossref", "PoolLimits", "RecordStore", "read_records"]
