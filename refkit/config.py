"""One Settings object from, in rising priority: defaults, `[tool.refkit]` in pyproject.toml, REFKIT_*
environment variables, and command-line flags."""

from __future__ import annotations

import contextlib
import math
import os
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from refkit.errors import RefkitError
from refkit.model import Severity

DEFAULT_API_URL = "https://api.crossref.org"


@dataclass(slots=True)
class Settings:
    """What a run may be told from outside; load_settings checks every value, so code can trust the types."""

    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    fail_on: Severity = Severity.ERROR
    allow_unverified: bool = False  # entries that could not be checked do not fail the run (exit 0, not 3)
    offline: bool = False  # answer from the cache and snapshots only
    api_url: str = DEFAULT_API_URL
    mailto: str = ""
    cache_dir: Path | None = None  # None: the user cache folder (platformdirs)
    snapshot: list[Path] = field(default_factory=list)  # local Crossref records to verify against
    snapshot_complete: bool = False  # the snapshots hold every work there is: what they lack does not exist
    mirror: list[Path] = field(default_factory=list)  # local mirrors (`refkit mirror build`), asked first
    timeout: float = 20.0
    sources: list[str] = field(default_factory=list)  # the chain after snapshots, in order; [] = the default
    urls: dict[str, str] = field(default_factory=dict)  # base URL by source name (crossref: `api_url`)
    deadline: float | None = None  # seconds for the whole run's look-ups; past it, entries are unverified
    key_pattern: str = "{auth}{year}{title}"  # citation keys made by `refkit extract`
    config_file: Path | None = None  # where [tool.refkit] was read from, if anywhere


_ENVIRONMENT = {
    "REFKIT_CROSSREF_URL": "api_url",
    "REFKIT_MAILTO": "mailto",
    "REFKIT_CACHE_DIR": "cache_dir",
    "REFKIT_OFFLINE": "offline",
    "REFKIT_SOURCES": "sources",
    "REFKIT_DEADLINE": "deadline",
}


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("must be a string")
    return value


def _texts(value: Any) -> list[str]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
        raise ValueError("must be a string or a list of strings")
    return items


def _selectors(value: Any) -> list[str]:
    """Rule ids or prefixes, however written: ["rk1", "RK3,RK501"] → ["RK1", "RK3", "RK501"]."""
    return [part.strip().upper() for item in _texts(value) for part in item.split(",") if part.strip()]


def _severity(value: Any) -> Severity:
    try:
        return Severity(str(value).lower())
    except ValueError:
        raise ValueError("must be error, warning or info") from None


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in ("1", "true", "yes", "on"):
        return True
    if word in ("0", "false", "no", "off"):
        return False
    raise ValueError("must be true or false")


def _seconds(value: Any) -> float:
    seconds = math.nan
    if isinstance(value, int | float | str) and not isinstance(value, bool):
        with contextlib.suppress(ValueError):  # "abc" stays NaN
            seconds = float(value)
    if not (seconds > 0 and math.isfinite(seconds)):
        raise ValueError("must be a positive number of seconds")
    return seconds


def _path(value: Any, base: Path) -> Path:
    if not isinstance(value, str | os.PathLike):
        raise ValueError("must be a path or a list of paths")
    return (base / Path(value).expanduser()).resolve()


def _paths(value: Any, base: Path) -> list[Path]:
    return [_path(item, base) for item in (value if isinstance(value, list) else [value])]


# How each setting's value is read; paths are resolved against the folder of the file that names them.
_READERS: dict[str, Callable[[Any, Path], Any]] = {
    "select": lambda value, _: _selectors(value),
    "ignore": lambda value, _: _selectors(value),
    "fail_on": lambda value, _: _severity(value),
    "allow_unverified": lambda value, _: _flag(value),
    "offline": lambda value, _: _flag(value),
    "api_url": lambda value, _: _text(value),
    "mailto": lambda value, _: _text(value),
    "cache_dir": _path,
    "snapshot": _paths,
    "snapshot_complete": lambda value, _: _flag(value),
    "mirror": _paths,
    "timeout": lambda value, _: _seconds(value),
    "deadline": lambda value, _: _seconds(value),
    "key_pattern": lambda value, _: _text(value),
    "sources": lambda value, _: _names(value),
    "urls": lambda value, _: _urls(value),
}


def _urls(value: Any) -> dict[str, str]:
    """A table of base URLs by source name: urls = {datacite = "http://127.0.0.1:8001"}."""
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise ValueError("must be a table of source names and URLs")
    return {str(name).lower(): url for name, url in value.items()}


def _names(value: Any) -> list[str]:
    """Source names, however written: ["Crossref", "arxiv,dblp"] → ["crossref", "arxiv", "dblp"]."""
    return [part.strip().lower() for item in _texts(value) for part in item.split(",") if part.strip()]


def source_url(settings: Settings, name: str, default: str) -> str:
    """The base URL of source `name`: `<name>-url` in [tool.refkit] or REFKIT_<NAME>_URL, else `default`."""
    return settings.urls.get(name) or default


def _refkit_table(start: Path) -> tuple[Path, dict[str, Any]] | None:
    """The nearest pyproject.toml at or above `start` that has a [tool.refkit] table, and that table."""
    folder = start if start.is_dir() else start.parent
    for candidate in [folder.resolve(), *folder.resolve().parents]:
        path = candidate / "pyproject.toml"
        if not path.is_file():
            continue
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
            raise RefkitError(f"{path}: cannot read [tool.refkit] ({error})") from error
        tool = data.get("tool")
        if not isinstance(tool, dict) or "refkit" not in tool:
            continue
        if not isinstance(tool["refkit"], dict):
            raise RefkitError(f"{path}: [tool.refkit] must be a table")
        return path, tool["refkit"]
    return None


def _apply(settings: Settings, values: dict[str, Any], base: Path, where: str) -> None:
    """Set each value on `settings`; a bad name or value is one RefkitError that says where it came from."""
    for key, value in values.items():
        name = key.replace("-", "_")
        shown = name.replace("_", "-")
        if name.endswith("_url") and name not in ("api_url", "crossref_url"):
            try:
                settings.urls[name.removesuffix("_url")] = _text(value)
            except ValueError as error:
                raise RefkitError(f"{shown} in {where} {error}, not {value!r}") from None
            continue
        if name == "crossref_url":
            name = "api_url"
        if name not in _READERS:
            raise RefkitError(f"unknown setting '{shown}' in {where}")
        try:
            setattr(settings, name, _READERS[name](value, base))
        except ValueError as error:
            raise RefkitError(f"{shown} in {where} {error}, not {value!r}") from None


def load_settings(start: Path, overrides: dict[str, Any] | None = None) -> Settings:
    """Settings for a run on the file at `start`; `overrides` are command-line values (None = not given)."""
    settings = Settings()
    found = _refkit_table(start)
    if found is not None:
        pyproject, table = found
        _apply(settings, table, pyproject.parent, f"[tool.refkit] of {pyproject}")
        settings.config_file = pyproject
    for variable, name in _ENVIRONMENT.items():
        if os.environ.get(variable):
            _apply(settings, {name: os.environ[variable]}, Path.cwd(), variable)
    for variable, value in sorted(os.environ.items()):  # REFKIT_DATACITE_URL, REFKIT_ARXIV_URL, …
        if variable.startswith("REFKIT_") and variable.endswith("_URL") and variable not in _ENVIRONMENT and value:
            _apply(settings, {variable.removeprefix("REFKIT_").lower(): value}, Path.cwd(), variable)
    given = {name: value for name, value in (overrides or {}).items() if value is not None and value != []}
    _apply(settings, given, Path.cwd(), "the command line")
    return settings
