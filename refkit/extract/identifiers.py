"""Identifiers found anywhere in a reference string: DOI, URL, PMID, PMCID, arXiv id and ISBN.

They are taken out by pattern before the string is tagged (patterns beat a statistical model on strings
this regular), together with the access notes that usually surround them ("Available from:", "Retrieved
from", "[cited 2020 May 1]", "Accessed 3 June 2021"). Every pattern is linear: bounded repeats, no nesting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from refkit.text import normalize_doi

_TRAILING = ".,;:)]}>\"'”’"
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [  # in priority order: a DOI URL is a DOI, not a URL
    ("doi", re.compile(r"(?:\b(?:doi|DOI)\s*:?\s*|https?://(?:dx\.)?doi\.org/|\bdoi\.org/)?"
                       r"\b(10\.\d{4,9}/[^\s\"<>]{1,300})")),
    ("url", re.compile(r"(?:\b(?:URL|url)\s*:?\s*)?<?\b((?:https?|ftp)://[^\s<>\"]{1,2000}|www\.[^\s<>\"]{3,2000})")),
    ("pmcid", re.compile(r"\b(?:PMCID\s*:?\s*)?(PMC\d{4,9})\b")),
    ("pmid", re.compile(r"\bPMID\s*:?\s*(\d{1,9})\b")),
    ("arxiv", re.compile(r"\b(?:arXiv|arxiv|ArXiv)\s*:?\s*(?:abs/)?(\d{4}\.\d{4,5}(?:v\d+)?|[a-z\-]{2,20}"
                         r"(?:\.[A-Z]{2})?/\d{7}(?:v\d+)?)")),
    ("isbn", re.compile(r"\bISBN(?:-1[03])?\s*:?\s*((?:97[89][\s\-]?)?\d[\d\s\-]{8,14}[\dXx])\b")),
    ("access", re.compile(r"(?:\[(?:cited|accessed|updated)[^\]]{0,40}\]|\b(?:Available|Retrieved|Accessed|"
                          r"Available online|Last accessed|Downloaded)\b(?:\s+(?:on|at|from))?(?:\s*:)?"
                          r"(?:\s+\d{1,2}\s+[A-Z][a-z]{2,8}\.?,?\s+\d{4}|\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2},?\s+\d{4}"
                          r"|\s+\d{4}-\d{2}-\d{2})?(?:,?\s+from)?\s*:?|\[Internet\]|\(Accessed[^)]{0,40}\))")),
]


# Substrings without which a pattern cannot match: most strings skip most patterns (speed).
_TRIGGERS = {"doi": ("10.",), "url": ("://", "www."), "pmcid": ("PMC",), "pmid": ("PMID",),
             "arxiv": ("rxiv", "rXiv"), "isbn": ("ISBN",),
             "access": ("cited", "ccessed", "updated", "Available", "Retrieved", "Downloaded", "Internet")}


@dataclass(frozen=True, slots=True)
class Match:
    kind: str
    value: str
    start: int
    end: int


def _strip_trailing(value: str) -> str:
    """Drop sentence punctuation after an identifier, but keep a ")" that closes one inside it."""
    while value and value[-1] in _TRAILING:
        if value[-1] == ")" and value.count("(") >= value.count(")"):
            break
        value = value[:-1]
    return value


def _normalise(kind: str, value: str) -> str:
    if kind == "doi":
        return normalize_doi(value)
    if kind == "isbn":
        return re.sub(r"[\s\-]", "", value).upper()
    return value


def find_identifiers(text: str) -> list[Match]:
    """Non-overlapping identifier and access-note matches, in order of position."""
    taken: list[Match] = []
    covered = bytearray(len(text))
    for kind, pattern in _PATTERNS:
        if not any(trigger in text for trigger in _TRIGGERS[kind]):
            continue
        for found in pattern.finditer(text):
            if covered.find(1, found.start(), found.end()) >= 0:
                continue
            if pattern.groups:
                raw = _strip_trailing(found.group(1))
                value, end = _normalise(kind, raw), found.start(1) + len(raw)
            else:
                value, end = found.group(0), found.end()
            if (kind == "isbn" and len(value) not in (10, 13)) or not value:
                continue
            taken.append(Match(kind, value, found.start(), end))
            covered[found.start() : end] = b"\x01" * (end - found.start())
    return sorted(taken, key=lambda match: match.start)
