"""Reading other services' JSON: objects that may be missing or null, and names written as one string.

OpenAlex, Semantic Scholar and Open Library give authors as display names ("Ashish Vaswani"), not split
ones; they go through the same BibTeX name grammar a .bib file does, so "Ludwig van Beethoven" keeps its
particle. A name with " and " in it is an organisation ("Society for Science and the Public"): BibTeX would
split it, so it stays whole.
"""

from __future__ import annotations

from typing import Any

from refkit.bib.convert import parse_names
from refkit.model import Name


def person(text: str) -> Name | None:
    """The Name for a display name; None for an empty one."""
    text = " ".join(text.split())
    if not text:
        return None
    if " and " in f" {text.lower()} " or any(char in text for char in "{}\\"):
        return Name(literal=text)
    names, _ = parse_names(text)
    return names[0] if len(names) == 1 else Name(literal=text)


def people(texts: list[str]) -> list[Name]:
    return [name for text in texts if (name := person(text))]


def as_dict(value: Any) -> dict[str, Any]:
    """An object field, or {} when it is missing, null or not an object (`"journal": null` is common)."""
    return value if isinstance(value, dict) else {}
