"""Word matching the fakes search with (rough, like the real engines: shared words, rarer ones count more)."""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"[a-z0-9]+")


def words(text: str) -> set[str]:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return {word for word in _WORD.findall(plain) if len(word) > 1 or word.isdigit()}


def overlap(query: str, title: str) -> float:
    """Share of the query's words the title has, and of the title's the query has, multiplied."""
    asked, held = words(query), words(title)
    if not asked or not held:
        return 0.0
    shared = len(asked & held)
    return (shared / len(asked)) * (shared / len(held))
