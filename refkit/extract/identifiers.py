"""Identifiers found anywhere in a reference string: DOI, URL, PMID, PMCID, arXiv id and ISBN.

They are taken out by pattern before the string is tagged (patterns beat a statistical model on strings
this regular), together with the access notes that usually surround them ("Available from:", "Retrieved
from", "[cited 2020 May 1]", "Accessed 3 June 2021"). Every pattern is linear: bounded repeats, no nesting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from refkit.text import ARXIV_ID, normalize_doi

_TRAILING = ".,;:)]}>\"'”’"
# (kind, the identifier itself, what may stand just before it and belongs to the match). Searching for the
# identifier first and looking back for its prefix keeps every pattern anchored on a literal ("10.", "://"),
# which the regex engine finds fast.
_PATTERNS: list[tuple[str, re.Pattern[str], re.Pattern[str] | None]] = [  # a DOI URL is a DOI, not a URL
    (
        "doi",
        re.compile(r"10\.\d{4,9}/[^\s\"<>]{1,300}"),
        re.compile(r"(?:\b(?:doi|DOI)\s*:?\s*|https?://(?:dx\.)?doi\.org/|\bdoi\.org/)$"),
    ),
    (
        "url",
        re.compile(r"(?:https?|ftp)://[^\s<>\"]{1,2000}|www\.[^\s<>\"]{3,2000}"),
        re.compile(r"(?:\b(?:URL|url)\s*:?\s*)?<$|\b(?:URL|url)\s*:?\s*$"),
    ),
    ("pmcid", re.compile(r"\b(?:PMCID\s*:?\s*)?(PMC\d{4,9})\b"), None),
    ("pmid", re.compile(r"\bPMID\s*:?\s*(\d{1,9})\b"), None),
    (
        "arxiv",
        re.compile(rf"\b(?:arXiv|arxiv|ArXiv)\s*:?\s*(?:abs/)?({ARXIV_ID})"),
        None,
    ),
    # AASTeX and ADS: "2019, arXiv e-prints, 1908.03222": the number alone, the venue left to the tagger
    ("arxiv", re.compile(rf"(?<=rXiv e-prints, )(?:abs/)?({ARXIV_ID})\b"), None),
    ("isbn", re.compile(r"\bISBN(?:-1[03])?\s*:?\s*((?:97[89][\s\-]?)?\d[\d\s\-]{8,14}[\dXx])\b"), None),
    (
        "access",
        re.compile(
            r"(?:\[(?:cited|accessed|updated)[^\]]{0,40}\]|\b(?:Available online|Available|Retrieved|Accessed|"
            r"Last accessed|Downloaded)\b(?:\s+(?:on|at|from)\b)?(?:\s*:)?"
            r"(?:\s+\d{1,2}\s+[A-Z][a-z]{2,8}\.?,?\s+\d{4}|\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2},?\s+\d{4}"
            r"|\s+\d{4}-\d{2}-\d{2})?(?:,?\s+from)?\s*:?|\[Internet\]|\([Aa]ccessed[^)]{0,40}\))"
        ),
        None,
    ),
]
_PREFIX_REACH = 24  # how far back a prefix ("https://dx.doi.org/", "URL: <") can start


# Substrings without which a pattern cannot match: most strings skip most patterns (speed).
_TRIGGERS = {
    "doi": ("10.",),
    "url": ("://", "www."),
    "pmcid": ("PMC",),
    "pmid": ("PMID",),
    "arxiv": ("rxiv", "rXiv"),
    "isbn": ("ISBN",),
    "access": ("cited", "ccessed", "updated", "Available", "Retrieved", "Downloaded", "Internet"),
}
_TRIGGER_RE = re.compile("|".join(re.escape(trigger) for triggers in _TRIGGERS.values() for trigger in triggers))


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
    present = set(_TRIGGER_RE.findall(text))
    if not present:
        return taken
    covered = bytearray(len(text))
    for kind, pattern, prefix in _PATTERNS:
        if present.isdisjoint(_TRIGGERS[kind]):
            continue
        for found in pattern.finditer(text):
            start, value_start = found.start(), found.start(1) if pattern.groups else found.start()
            if prefix is not None:
                if kind == "doi" and start and (text[start - 1].isalnum() or text[start - 1] == "_"):
                    continue  # inside a word: "x10.1234/…" is not a DOI (a URL glued to text still is a URL)
                before = prefix.search(text, max(0, start - _PREFIX_REACH), start)
                start = before.start() if before else start
            if covered.find(1, start, found.end()) >= 0:
                continue
            raw = (
                _strip_trailing(found.group(1) if pattern.groups else found.group(0))
                if kind != "access"
                else found.group(0)
            )
            value, end = (_normalise(kind, raw), value_start + len(raw)) if kind != "access" else (raw, found.end())
            if (kind == "isbn" and len(value) not in (10, 13)) or not value:
                continue
            taken.append(Match(kind, value, start, end))
            covered[start:end] = b"\x01" * (end - start)
    return sorted(taken, key=lambda match: match.start)
