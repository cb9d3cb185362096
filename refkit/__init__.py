"""refkit: keep the references of a document honest.

The library behind the `refkit` command; each command is one call here:

    import refkit
    report = refkit.validate("references.bib")               # findings + per-entry evidence
    references = refkit.extract_document("paper.md")          # free-text reference list → References
    text = refkit.export(references, "csl-json")
    claim_map = refkit.map_document("paper.md")               # claims → supporting references

The names below are imported on first use (PEP 562), so `import refkit` and `refkit --version` load none of
the modules behind them (tests/test_startup.py holds that).
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

from refkit.version import __version__

# Each public name and the module that defines it.
_HOMES = {
    "Evidence": "refkit.model",
    "Finding": "refkit.model",
    "Name": "refkit.model",
    "Reference": "refkit.model",
    "Severity": "refkit.model",
    "Status": "refkit.model",
    "RefkitError": "refkit.errors",
    "Settings": "refkit.config",
    "load_settings": "refkit.config",
    "enrich": "refkit.enrich",
    "export": "refkit.export",
    "extract_document": "refkit.extract",
    "extract_references": "refkit.extract",
    "load_bibliography": "refkit.bib",
    "parse_bibliography": "refkit.bib",
    "to_reference": "refkit.bib",
    "write_references": "refkit.bib",
    "map_claims": "refkit.claims.mapping",
    "map_document": "refkit.claims",
    "read_document": "refkit.documents",
    "validate": "refkit.validate",
    "validate_bibliography": "refkit.validate",
}

# Functions named as their own modules: `refkit.validate` is the function, as users expect, even after the
# module refkit.validate has been imported (which makes the import system set the package's attribute to it).
_SHADOWED = frozenset({"enrich", "export", "validate"})

if TYPE_CHECKING:
    from refkit.bib import load_bibliography, parse_bibliography, to_reference, write_references
    from refkit.claims import map_document
    from refkit.claims.mapping import map_claims
    from refkit.config import Settings, load_settings
    from refkit.documents import read_document
    from refkit.enrich import enrich
    from refkit.errors import RefkitError
    from refkit.export import export
    from refkit.extract import extract_document, extract_references
    from refkit.model import Evidence, Finding, Name, Reference, Severity, Status
    from refkit.validate import validate, validate_bibliography


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'refkit' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    setattr(sys.modules[__name__], name, value)
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_HOMES})


class _Package(types.ModuleType):
    def __setattr__(self, name: str, value: object) -> None:
        if name in _SHADOWED and isinstance(value, types.ModuleType):
            value = getattr(value, name)  # the submodule has finished loading when the import system sets this
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package

__all__ = [
    "Evidence",
    "Finding",
    "Name",
    "Reference",
    "RefkitError",
    "Settings",
    "Severity",
    "Status",
    "__version__",
    "enrich",
    "export",
    "extract_document",
    "extract_references",
    "load_bibliography",
    "load_settings",
    "map_claims",
    "map_document",
    "parse_bibliography",
    "read_document",
    "to_reference",
    "validate",
    "validate_bibliography",
    "write_references",
]  # fmt: skip
