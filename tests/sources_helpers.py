"""Settings and clients for testing a source against its fake: the fake's address as the source's base URL,
a cache in the test's folder, and quick retries."""

from __future__ import annotations

from pathlib import Path

from refkit.config import Settings
from refkit.sources.http import HttpClient, Limits, RetryPolicy

QUICK = RetryPolicy(attempts=2, backoff=0.01, cap=0.05)


def settings_for(tmp_path: Path, name: str, url: str, **values: object) -> Settings:
    settings = Settings(cache_dir=tmp_path / "cache", mailto="tests@example.org", **values)  # type: ignore[arg-type]
    settings.urls[name] = url
    return settings


def quick_client(settings: Settings, limits: Limits, **options: object) -> HttpClient:
    return HttpClient(settings, limits=limits, retry=QUICK, **options)  # type: ignore[arg-type]


def cache_bytes(tmp_path: Path) -> bytes:
    """Everything the cache wrote to disk, to look for what must never be there (keys)."""
    return b"".join(path.read_bytes() for path in (tmp_path / "cache").rglob("*") if path.is_file())
