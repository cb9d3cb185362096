"""`refkit enrich` as a library call: turn confident evidence into field edits of the original .bib text.

Only entries identified with a record (Evidence.record set: verified, or a confident match whose fields
disagree) are touched; likely mis-citations, unmatched and unverified entries are left exactly as they are.
Added and corrected fields: DOI, title, journal/booktitle, year, volume, number, pages. Author lists are
never rewritten (a written list may be shortened on purpose); their disagreements stay findings of
`refkit validate`.

A record is outside data: every value is checked against what its field can hold (a DOI is a DOI, a year a
year, a volume a short string of plausible characters) and encoded for BibTeX before it is written. A value
that does not fit is not written, and the result says so (`EnrichResult.unfit`).
"""

from __future__ import annotations

import datetime
import difflib
import re
import unicodedata
from dataclasses import dataclass, field

from refkit.bib import Bibliography, to_reference
from refkit.bib.edit import apply_edits
from refkit.bib.read import BibEntry
from refkit.checks.lint import DOI_RE
from refkit.checks.verify import bib_field, field_value, verify
from refkit.config import Settings
from refkit.model import Evidence, Reference, Status
from refkit.sources.base import Progress
from refkit.sources.identify import Sources
from refkit.sources.registry import build_sources
from refkit.text import balanced_braces, normalize_doi, unicode_to_latex

# Compared fields enrich may set.
EDITABLE = ("title", "container", "year", "volume", "issue", "page", "doi")

# Volume, number and page values as journals print them: "11", "Pt 2", "S1", "e1234", "1029–1035", "3/4".
_NUMBERING_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9 .,:;/()+&–-]*")
_LONGEST = {"volume": 40, "issue": 40, "page": 80, "title": 2000, "container": 500, "doi": 300}
_SPACES_RE = re.compile(r"\s+")
_REPR_RE = re.compile(r"^\[(['\"]).*\1\]$|^\{['\"].*\}$", re.DOTALL)  # a stringified list or dict
_UNSAFE_DOI_RE = re.compile(r'[{}\\"]')  # braces end the field; a backslash or quote starts LaTeX or a string
_HOSTILE_FORMAT_RE = re.compile("[\u202a-\u202e\u2066-\u2069]")  # bidi overrides: text that reads otherwise
_OLDEST_YEAR = 1000  # older "years" in a record are garbage, not the date of a registered work


class UnfitValue(ValueError):
    """A record's value that its BibTeX field cannot hold; the message says why."""


def _shown(value: object) -> str:
    """A record's value quoted for a message: repr keeps control characters inert, and long ones are cut."""
    text = repr(value)
    return text if len(text) <= 60 else text[:59] + "…"


@dataclass(frozen=True, slots=True)
class Change:
    key: str
    field: str  # the .bib field name
    old: str | None  # None: the field is added
    new: str  # BibTeX text


@dataclass(frozen=True, slots=True)
class Unfit:
    """A record value enrich would have written but did not, because it does not fit the field."""

    key: str
    field: str  # the .bib field name
    reason: str


@dataclass(slots=True)
class EnrichResult:
    text: str  # the original file text
    new_text: str
    changes: list[Change]
    evidence: list[Evidence] = field(default_factory=list)
    unfit: list[Unfit] = field(default_factory=list)

    def diff(self, name: str = "references.bib") -> str:
        """A unified diff from the original to the enriched text ("" when nothing changed)."""
        lines = difflib.unified_diff(
            self.text.splitlines(keepends=True),
            self.new_text.splitlines(keepends=True),
            fromfile=f"a/{name}",
            tofile=f"b/{name}",
        )
        return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)

    def skipped(self) -> list[Evidence]:
        """Entries left alone because nothing confident was known about them."""
        return [item for item in self.evidence if item.record is None]


def _year(record: Reference, bib_name: str) -> str:
    year, month = record.year, record.month
    if not isinstance(year, int) or not _OLDEST_YEAR <= year <= datetime.date.today().year + 2:
        raise UnfitValue(f"{_shown(year)} is not a plausible year")
    if bib_name == "date" and isinstance(month, int) and 1 <= month <= 12:  # a biblatex date keeps the
        return f"{year}-{month:02d}"  # precision the record has
    return str(year)


def _doi(value: str) -> str:
    """A DOI is written as the record spells it (DOI fields are verbatim), so it may hold nothing BibTeX reads."""
    bare = normalize_doi(value)
    if not (DOI_RE.match(bare) and bare == value.lower() and value.isprintable()) or _UNSAFE_DOI_RE.search(value):
        raise UnfitValue(f"{_shown(value)} is not a DOI")
    return value


def _numbering(value: str) -> str:
    if not _NUMBERING_RE.fullmatch(value):
        raise UnfitValue(f"{_shown(value)} has characters a volume, number or page range does not")
    return unicode_to_latex(value)


def _text(value: str) -> str:
    """Titles and venues: one line of printable text, LaTeX specials and braces escaped."""
    value = _SPACES_RE.sub(" ", value).strip()
    if _HOSTILE_FORMAT_RE.search(value) or any(unicodedata.category(c) in ("Cc", "Co", "Cs") for c in value):
        raise UnfitValue(f"{_shown(value)} contains control characters")
    if _REPR_RE.match(value):
        raise UnfitValue(f"{_shown(value)} is a list, not text")
    return unicode_to_latex(value)


_ENCODERS = {
    "doi": _doi,
    "volume": _numbering,
    "issue": _numbering,
    "page": _numbering,
    "title": _text,
    "container": _text,
}


def encode(name: str, record: Reference, bib_name: str) -> str:
    """The record's value for a compared field as BibTeX text for `bib_name`; UnfitValue when it does not fit."""
    if name == "year":
        return _year(record, bib_name)
    value = field_value(record, name, written=False)
    if len(value) > _LONGEST[name]:
        raise UnfitValue(f"{_shown(value)} is too long")
    encoded = _ENCODERS[name](value)
    if not encoded or not balanced_braces(encoded):  # a guard: the encoders above never leave a brace open
        raise UnfitValue(f"{_shown(value)} cannot be encoded for BibTeX")
    return encoded


def _container_field(entry: BibEntry) -> str | None:
    """Where a venue goes in an entry that has none: journal for articles, booktitle for papers in books."""
    if entry.entry_type in ("article", "periodical"):
        return "journal"
    if entry.entry_type in ("inproceedings", "conference", "incollection", "inbook"):
        return "booktitle"
    return None


def entry_changes(entry: BibEntry, evidence: Evidence) -> tuple[dict[str, tuple[str | None, str]], list[Unfit]]:
    """{.bib field: (old value or None, new BibTeX text)} for one entry identified with a record, and the
    record's values that would have been written but do not fit their field."""
    record = evidence.record
    if record is None or evidence.status not in (Status.VERIFIED, Status.MISCITED):
        return {}, []
    changes: dict[str, tuple[str | None, str]] = {}
    unfit: list[Unfit] = []
    for name in EDITABLE:
        if not field_value(record, name, written=False):
            continue
        bib_name = bib_field(entry, name)
        present = bib_name in entry.fields
        if name == "container" and not present:
            bib_name = _container_field(entry) or ""
            if not bib_name:
                continue
        if not present or evidence.agreement.get(name) is False:
            try:
                changes[bib_name] = (entry.fields.get(bib_name), encode(name, record, bib_name))
            except UnfitValue as error:
                unfit.append(Unfit(entry.key, bib_name, str(error)))
    return changes, unfit


def plan(bibliography: Bibliography, evidence: list[Evidence]) -> tuple[list[Change], list[Unfit]]:
    """The field changes to make, and the record values left out because they do not fit."""
    by_key = {item.key: item for item in evidence}
    changes: list[Change] = []
    unfit: list[Unfit] = []
    for entry in bibliography.entries:
        if entry.key in by_key:
            edits, rejected = entry_changes(entry, by_key[entry.key])
            changes += [Change(entry.key, name, old, new) for name, (old, new) in edits.items()]
            unfit += rejected
    return changes, unfit


def enrich_bibliography(
    bibliography: Bibliography, source: Sources, on_progress: Progress | None = None
) -> EnrichResult:
    """Verify every entry against `source` and apply the confident fixes to the original text. Entries
    with an empty or duplicate key are left alone: edits are addressed by key."""
    pairs = [(entry, to_reference(entry, bibliography.path)) for entry in bibliography.unambiguous_entries()]
    _, evidence = verify(pairs, source, on_progress)
    changes, unfit = plan(bibliography, evidence)
    edits: dict[str, dict[str, str]] = {}
    for change in changes:
        edits.setdefault(change.key, {})[change.field] = change.new
    new_text = apply_edits(bibliography.text, bibliography.entries, edits)
    return EnrichResult(bibliography.text, new_text, changes, evidence, unfit)


def enrich(bibliography: Bibliography, settings: Settings, on_progress: Progress | None = None) -> EnrichResult:
    """`refkit enrich` over the sources the settings name (snapshots first, then Crossref)."""
    return enrich_bibliography(bibliography, build_sources(settings), on_progress)
