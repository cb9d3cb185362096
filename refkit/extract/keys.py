"""Citation keys, Better-BibTeX-like: `{auth}{year}{title}` → "saussele2016discontinuation".

A pattern is text with placeholders: {auth} first author's family name (no particle) folded to ASCII,
{authors} up to three family names, {year}, {title} the first significant title word, {shorttitle} the first
three, {journal} the container's initials. Keys are made unique in order: the first keeps the plain key,
later ones get a, b, c… appended.
"""

from __future__ import annotations

import re
import string
from dataclasses import replace

from refkit.errors import RefkitError
from refkit.model import Name, Reference
from refkit.text import ascii_word, fold

DEFAULT_KEY_PATTERN = "{auth}{year}{title}"
STOPWORDS = frozenset({
    "a", "an", "the", "of", "on", "in", "at", "to", "for", "from", "with", "without", "and", "or", "but", "by",
    "as", "is", "are", "was", "were", "be", "been", "into", "onto", "over", "under", "about", "between",
    "through", "via", "towards", "toward", "against", "among", "upon", "versus", "vs", "do", "does", "how",
    "what", "why", "when", "which", "who", "whom", "whose", "where", "can", "could", "should", "would", "will",
    "may", "might", "must", "than", "then", "that", "this", "these", "those", "its", "it", "their", "our",
    "your", "his", "her", "not", "no", "nor", "so", "too", "very", "le", "la", "les", "der", "die", "das",
    "den", "des", "ein", "eine", "el", "los", "las", "un", "une", "du", "de", "et", "und"
})  # fmt: skip


def _family(name: Name) -> str:
    if name.literal:
        words = [word for word in fold(name.literal).split() if word not in STOPWORDS]
        return ascii_word(words[0]) if words else ""
    return ascii_word(name.family)


def _title_words(title: str) -> list[str]:
    return [word for word in fold(title).split() if word not in STOPWORDS and not word.isdigit()]


def _journal(reference: Reference) -> str:
    return "".join(word[0] for word in fold(reference.container_title).split() if word not in STOPWORDS)


def _placeholders(reference: Reference) -> dict[str, str]:
    words = _title_words(reference.title)
    return {
        "auth": _family(reference.authors[0]) if reference.authors else "",
        "authors": "".join(_family(name) for name in reference.authors[:3]),
        "year": str(reference.year) if reference.year else "",
        "title": words[0] if words else "",
        "shorttitle": "".join(words[:3]),
        "journal": _journal(reference),
    }


def validate_pattern(pattern: str) -> None:
    """Refuse, before any key is made, a pattern `make_key` could not fill: malformed braces, no placeholder,
    or a placeholder that is unknown or carries a conversion or format spec ("{auth!r}", "{year:d}")."""
    known = set(_placeholders(Reference()))
    try:
        fields = [
            (name, conversion, spec)
            for _, name, spec, conversion in string.Formatter().parse(pattern)
            if name is not None
        ]
    except ValueError as error:
        raise RefkitError(f"key pattern '{pattern}': {error}") from error
    unknown = [
        "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
        for name, conversion, spec in fields
        if name not in known or conversion or spec
    ]
    if unknown or not fields:
        raise RefkitError(
            f"key pattern '{pattern}': unknown placeholder {unknown[0] if unknown else '{}'}; "
            f"use {', '.join('{' + name + '}' for name in sorted(known))}"
        )


def make_key(reference: Reference, pattern: str = DEFAULT_KEY_PATTERN) -> str:
    """The key for one reference; "ref" plus the year when the pattern yields nothing usable."""
    key = re.sub(r"[^A-Za-z0-9_\-:.]", "", pattern.format(**_placeholders(reference)))
    return key or f"ref{reference.year or ''}"


def _suffix(number: int) -> str:
    letters = ""
    while True:
        letters = chr(ord("a") + number % 26) + letters
        number = number // 26 - 1
        if number < 0:
            return letters


def assign_keys(references: list[Reference], pattern: str = DEFAULT_KEY_PATTERN) -> list[Reference]:
    """Set `key` on every reference, unique in order (saussele2016discontinuation, …a, …b)."""
    validate_pattern(pattern)
    taken: set[str] = set()
    counts: dict[str, int] = {}
    for reference in references:
        base = make_key(reference, pattern)
        key = base
        while key in taken:
            key = base + _suffix(counts.get(base, 0))
            counts[base] = counts.get(base, 0) + 1
        taken.add(key)
        reference.key = key
        reference.location = replace(reference.location, key=key)
    return references
