"""Resolving marker targets to bibliography entries: list numbers, citation keys, author and year (with
a/b suffixes), and Markdown footnotes through their definitions."""

from __future__ import annotations

import re
from collections import defaultdict

from refkit.claims.markers import FOOTNOTE_DEFINITION_RE, find_markers
from refkit.claims.model import Marker, Target
from refkit.model import Reference
from refkit.text import ascii_word


class Resolver:
    """Looks targets up in one reference list; built once per document."""

    def __init__(self, references: list[Reference], footnotes: dict[str, str] | None = None) -> None:
        self.references = references
        self.by_key = {reference.key: reference.key for reference in references}
        self.by_folded_key = {reference.key.casefold(): reference.key for reference in references}
        self.by_author_year: dict[tuple[str, int], list[Reference]] = defaultdict(list)
        for reference in references:
            if reference.year is not None:
                self.by_author_year[(ascii_word(reference.first_author_family), reference.year)].append(reference)
        self.footnotes = footnotes or {}

    def resolve(self, marker: Marker) -> None:
        """Fill `marker.keys` and `marker.unresolved`."""
        for target in marker.targets:
            keys = self.keys_for(target)
            if keys:
                marker.keys.extend(key for key in keys if key not in marker.keys)
            else:
                marker.unresolved.append(target.value)

    def keys_for(self, target: Target, reading: frozenset[str] = frozenset()) -> list[str]:
        """The keys one target resolves to; `reading` holds the footnotes whose definitions are being read."""
        if target.kind == "number":
            number = int(target.value)
            return [self.references[number - 1].key] if 1 <= number <= len(self.references) else []
        if target.kind == "key":
            key = self.by_key.get(target.value) or self.by_folded_key.get(target.value.casefold())
            return [key] if key else []
        if target.kind == "footnote":
            return self._footnote(target.value, reading)
        return self._author_year(target)

    def _footnote(self, label: str, reading: frozenset[str]) -> list[str]:
        """A footnote resolves through the citations its definition carries, else by its label. A definition
        that points back at a footnote being read ("[^1]: as in [^2]", "[^2]: see [^1]") adds nothing."""
        if label in reading:
            return []
        definition = self.footnotes.get(label)
        if definition:
            keys = [
                key
                for marker in find_markers(definition)
                for target in marker.targets
                for key in self.keys_for(target, reading | {label})
            ]
            keys += self._named_in(definition)
            if keys:
                return list(dict.fromkeys(keys))
        if label.isdigit():
            return self.keys_for(Target("number", label))
        return self.keys_for(Target("key", label))

    def _named_in(self, text: str) -> list[str]:
        """References whose first author and year both appear in a footnote ("Druker BJ, … 2006")."""
        folded = {ascii_word(word) for word in re.findall(r"[^\W\d_][\w'’-]*", text)}
        years = {int(year) for year in re.findall(r"\b(\d{4})[a-z]?\b", text)}
        return [
            reference.key
            for (family, year), group in self.by_author_year.items()
            if family in folded and year in years
            for reference in group
        ]

    def _author_year(self, target: Target) -> list[str]:
        match = re.match(r"(\d{4})([a-z]?)$", target.year)
        if not match or not target.authors:
            return []
        year = int(match.group(1))
        candidates = self.by_author_year.get((ascii_word(target.authors[0]), year), [])
        if not candidates and len(target.authors) > 1:  # "Indeed, Papp and Müller (2006)": a word led the names
            return self._author_year(Target(target.kind, target.value, target.authors[1:], target.year))
        if len(target.authors) > 1:
            second = ascii_word(target.authors[1])
            narrowed = [
                ref for ref in candidates if len(ref.authors) > 1 and ascii_word(ref.authors[1].full_family) == second
            ]
            candidates = narrowed or candidates
        suffix = match.group(2)
        if suffix and len(candidates) > 1:
            written = [ref for ref in candidates if ref.year_suffix == suffix]
            if written:
                return [ref.key for ref in written]
            position = ord(suffix) - ord("a")  # no suffixes written: a, b, … in list order
            return [candidates[position].key] if position < len(candidates) else []
        if suffix and candidates and candidates[0].year_suffix not in ("", suffix):
            return []
        return [ref.key for ref in candidates]


def footnote_definitions(texts: list[str]) -> dict[str, str]:
    """`[^label]: text` blocks → {label: text}."""
    definitions = {}
    for text in texts:
        match = FOOTNOTE_DEFINITION_RE.match(text)
        if match:
            definitions[match.group(1)] = " ".join(match.group(2).split())
    return definitions
