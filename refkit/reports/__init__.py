"""Renderers for validation reports: each turns a ValidationReport into text for one consumer.

`RENDERERS` maps each format's name to its render function, imported when the format is first used."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from refkit.lazy import LazyFunctions

if TYPE_CHECKING:
    from refkit.validate import ValidationReport

Renderer = Callable[["ValidationReport"], str]

RENDERERS: Mapping[str, Renderer] = LazyFunctions(
    {
        "text": "refkit.reports.text:render",
        "json": "refkit.reports.json_report:render",
        "github": "refkit.reports.github:render",
        "sarif": "refkit.reports.sarif:render",
        "junit": "refkit.reports.junit:render",
    }
)

__all__ = ["RENDERERS"]
