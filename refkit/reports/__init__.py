"""Renderers for validation reports: each turns a ValidationReport into text for one consumer.

`RENDERERS` maps each format's name to its render function. A format's module is imported when the format is
first used, so the command line can offer the formats at start-up without loading any of them."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from refkit.validate import ValidationReport

Renderer = Callable[["ValidationReport"], str]

_MODULES = {"text": "text", "json": "json_report", "github": "github", "sarif": "sarif", "junit": "junit"}


class _Renderers(Mapping[str, Renderer]):
    def __getitem__(self, name: str) -> Renderer:
        render: Renderer = importlib.import_module(f"refkit.reports.{_MODULES[name]}").render
        return render

    def __iter__(self) -> Iterator[str]:
        return iter(_MODULES)

    def __len__(self) -> int:
        return len(_MODULES)


RENDERERS: Mapping[str, Renderer] = _Renderers()

__all__ = ["RENDERERS"]
