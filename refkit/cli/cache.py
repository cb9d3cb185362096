"""`refkit cache info|clear`: look at or empty the HTTP cache that Crossref answers are kept in."""

from __future__ import annotations

from pathlib import Path

import typer

from refkit.cli.app import app, human_size, write_stdout
from refkit.cli.sources import CACHE_DIR

cache_app = typer.Typer(help="Inspect or empty the HTTP cache of Crossref responses.", no_args_is_help=True)
app.add_typer(cache_app, name="cache")


def _cache_path(cache_dir: Path | None) -> Path:
    """The cache file the other commands would use from this folder (flag, REFKIT_CACHE_DIR, config)."""
    from refkit.config import load_settings
    from refkit.sources.http import cache_file

    return cache_file(load_settings(Path.cwd(), {"cache_dir": str(cache_dir) if cache_dir else None}))


@cache_app.command("info")
def info_command(cache_dir: Path | None = CACHE_DIR) -> None:
    """Where the cache is, what backs it, how big it is and how many responses it holds (an answer fetched on
    its own is kept in both files and counted once)."""
    from refkit.sources.http import cache_stats

    stats = cache_stats(_cache_path(cache_dir))
    state = "" if stats.exists else " (not created yet)"
    write_stdout(
        f"path:      {stats.path}{state}\n"
        f"backend:   {stats.backend}\n"
        f"store:     {stats.store_path}\n"
        f"size:      {human_size(stats.size)}\n"
        f"responses: {stats.responses}\n"
        f"held:      {stats.stored} in the answer store, {stats.in_requests_cache} in requests-cache\n"
    )


@cache_app.command("clear")
def clear_command(cache_dir: Path | None = CACHE_DIR) -> None:
    """Remove every cached response (snapshots are not touched)."""
    from refkit.sources.http import clear_cache

    path = _cache_path(cache_dir)
    removed = clear_cache(path)
    write_stdout(f"removed {removed} cached response{'s' if removed != 1 else ''} from {path}\n")
