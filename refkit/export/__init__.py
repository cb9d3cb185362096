"""Exporters: a list of References → text in another bibliographic format."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING

from refkit.errors import RefkitError
from refkit.lazy import LazyFunctions

if TYPE_CHECKING:
    from refkit.model import Reference

# Each takes any iterable, so an export can convert its entries one at a time as the text is made.
EXPORTERS: Mapping[str, Callable[[Iterable[Reference]], str]] = LazyFunctions(
    {
        "csl-json": "refkit.export.csl_json:render",
        "bibtex": "refkit.bib.write:write_references",
        "ris": "refkit.export.ris:render",
    }
)


def export(references: Iterable[Reference], format: str) -> str:
    """The references as text in `format` (a key of EXPORTERS)."""
    if format not in EXPORTERS:
        raise RefkitError(f"unknown export format '{format}' (choose from {', '.join(EXPORTERS)})")
    return EXPORTERS[format](references)


__all__ = ["EXPORTERS", "export"]
