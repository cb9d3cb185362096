"""Renderers for validation reports: each turns a ValidationReport into text for one consumer."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from refkit.reports import github, json_report, junit, sarif, text

if TYPE_CHECKING:
    from refkit.validate import ValidationReport

RENDERERS: dict[str, Callable[[ValidationReport], str]] = {
    "text": text.render,
    "json": json_report.render,
    "github": github.render,
    "sarif": sarif.render,
    "junit": junit.render,
}

__all__ = ["RENDERERS"]
