"""Command-line options that choose where records come from, shared by `validate` and `enrich`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

SNAPSHOT = typer.Option(
    None,
    "--snapshot",
    help="A local Crossref snapshot (JSON-lines file or folder of JSON "
    "records) to verify against before Crossref; repeatable.",
)
MIRROR = typer.Option(
    None,
    "--mirror",
    help="A local mirror (made by `refkit mirror build`) to verify against first; repeatable.",
)
OFFLINE = typer.Option(None, "--offline/--online", help="Answer from the cache and snapshots only.")
API_URL = typer.Option(None, "--api-url", help="Crossref REST API base URL.")
MAILTO = typer.Option(None, "--mailto", help="Your e-mail address for Crossref's polite pool.")
CACHE_DIR = typer.Option(None, "--cache-dir", help="Where HTTP responses are cached.")
SOURCES = typer.Option(
    None,
    "--sources",
    help="The sources to ask, in order, after any snapshot (crossref,datacite,arxiv,dblp; default: all of them).",
)
DEADLINE = typer.Option(
    None,
    "--deadline",
    metavar="SECONDS",
    help="Stop asking sources after this long; entries left are reported as could not check.",
)


def source_overrides(
    snapshot: list[Path] | None,
    offline: bool | None,
    api_url: str | None,
    mailto: str | None,
    cache_dir: Path | None,
    deadline: float | None = None,
    sources: list[str] | None = None,
    mirror: list[Path] | None = None,
) -> dict[str, Any]:
    """The settings these options override (None = not given, so config and environment apply)."""
    return {
        "snapshot": snapshot,
        "offline": offline,
        "api_url": api_url,
        "mailto": mailto,
        "cache_dir": cache_dir,
        "deadline": deadline,
        "sources": sources,
        "mirror": mirror,
    }
