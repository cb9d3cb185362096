"""One Settings object from, in rising priority: defaults, `[tool.refkit]` in pyproject.toml, REFKIT_*
environment variables, and command-line flags."""

from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from refkit.errors import RefkitError
from refkit.model import Severity

DEFAULT_API_URL = "https://api.crossref.org"


@dataclass(slots=True)
class Settings:
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    fail_on: Severity = Severity.ERROR
    offline: bool = False  # answer from the cache and snapshots only
    api_url: str = DEFAULT_API_URL
    mailto: str = ""
    cache_dir: Path | None = None  # None: the user cache folder (platformdirs)
    snapshot: list[Path] = field(default_factory=list)  # local Crossref records to verify against
    timeout: float = 20.0
    key_pattern: str = "{auth}{year}{title}"  # citation keys made by `refkit extract`
    config_file: Path | None = None  # where [tool.refkit] was read from, if anywhere


_PATH_SETTINGS = {"cache_dir"}
_PATH_LIST_SETTINGS = {"snapshot"}
_ENVIRONMENT = {
    "REFKIT_CROSSREF_URL": "api_url",
    "REFKIT_MAILTO": "mailto",
    "REFKIT_CACHE_DIR": "cache_dir",
    "REFKIT_OFFLINE": "offline",
}


def find_pyproject(start: Path) -> Path | None:
    """The nearest pyproject.toml at or above `start` that has a [tool.refkit] table."""
    folder = start if start.is_dir() else start.parent
    for candidate in [folder.resolve(), *folder.resolve().parents]:
        path = candidate / "pyproject.toml"
        if path.is_file():
            try:
                data = tomllib.loads(path.read_text(encoding="utf-8"))
            except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
                raise RefkitError(f"{path}: cannot read [tool.refkit] ({error})") from error
            if "refkit" in data.get("tool", {}):
                return path
    return None


def _coerce(name: str, value: Any, base: Path) -> Any:
    names = {f.name: f for f in dataclasses.fields(Settings)}
    if name not in names or name == "config_file":
        raise RefkitError(f"unknown setting '{name.replace('_', '-')}' in [tool.refkit]")
    if name in ("select", "ignore"):
        return [value] if isinstance(value, str) else [str(v) for v in value]
    if name == "fail_on":
        try:
            return Severity(str(value).lower())
        except ValueError as error:
            raise RefkitError(f"fail-on must be error, warning or info, not '{value}'") from error
    if name == "offline":
        return value if isinstance(value, bool) else str(value).lower() in ("1", "true", "yes")
    if name == "timeout":
        return float(value)
    if name in _PATH_SETTINGS:
        return (base / Path(os.path.expanduser(str(value)))).resolve()
    if name in _PATH_LIST_SETTINGS:
        values = [value] if isinstance(value, str) else value
        return [(base / Path(os.path.expanduser(str(v)))).resolve() for v in values]
    return str(value)


def load_settings(start: Path, overrides: dict[str, Any] | None = None) -> Settings:
    """Settings for a run on the file at `start`; `overrides` are command-line values (None = not given)."""
    settings = Settings()
    pyproject = find_pyproject(start)
    if pyproject is not None:
        table = tomllib.loads(pyproject.read_text(encoding="utf-8"))["tool"]["refkit"]
        for key, value in table.items():
            name = key.replace("-", "_")
            setattr(settings, name, _coerce(name, value, pyproject.parent))
        settings.config_file = pyproject
    for variable, name in _ENVIRONMENT.items():
        if os.environ.get(variable):
            setattr(settings, name, _coerce(name, os.environ[variable], Path.cwd()))
    for name, value in (overrides or {}).items():
        if value is not None and value != []:
            setattr(settings, name, _coerce(name, value, Path.cwd()))
    return settings
