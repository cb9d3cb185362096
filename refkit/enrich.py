"""`refkit enrich` as a library call: turn confident evidence into field edits of the original .bib text.

Only entries identified with a record (Evidence.record set: verified, or a confident match whose fields
disagree) are touched; likely mis-citations, unmatched and unverified entries are left exactly as they are.
Added and corrected fields: DOI, title, journal/booktitle, year, volume, number, pages. Author lists are
never rewritten (a written list may be shortened on purpose); their disagreements stay findings of
`refkit validate`.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from refkit.bib import Bibliography, to_reference
from refkit.bib.edit import apply_edits
from refkit.bib.read import BibEntry
from refkit.checks.verify import Progress, bib_field, field_value, verify
from refkit.config import Settings
from refkit.model import Evidence, Reference, Status
from refkit.sources.base import Source
from refkit.sources.chain import build_source
from refkit.text import unicode_to_latex

# Compared fields enrich may set, with how a record's value is written into BibTeX.
EDITABLE = ("title", "container", "year", "volume", "issue", "page", "doi")
_VERBATIM = {"doi", "year", "volume", "issue"}


@dataclass(frozen=True, slots=True)
class Change:
    key: str
    field: str  # the .bib field name
    old: str | None  # None: the field is added
    new: str  # BibTeX text


@dataclass(slots=True)
class EnrichResult:
    text: str  # the original file text
    new_text: str
    changes: list[Change]
    evidence: list[Evidence] = field(default_factory=list)

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


def _bibtex(name: str, record: Reference, bib_name: str) -> str:
    value = field_value(record, name, written=False)
    if bib_name == "date" and record.month:  # a biblatex date keeps the precision the record has
        return f"{record.year}-{record.month:02d}"
    return value if name in _VERBATIM else unicode_to_latex(value)


def _container_field(entry: BibEntry) -> str | None:
    """Where a venue goes in an entry that has none: journal for articles, booktitle for papers in books."""
    if entry.entry_type in ("article", "periodical"):
        return "journal"
    if entry.entry_type in ("inproceedings", "conference", "incollection", "inbook"):
        return "booktitle"
    return None


def entry_changes(entry: BibEntry, evidence: Evidence) -> dict[str, tuple[str | None, str]]:
    """{.bib field: (old value or None, new BibTeX text)} for one entry identified with a record."""
    record = evidence.record
    if record is None or evidence.status not in (Status.VERIFIED, Status.MISCITED):
        return {}
    changes: dict[str, tuple[str | None, str]] = {}
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
            changes[bib_name] = (entry.fields.get(bib_name), _bibtex(name, record, bib_name))
    return changes


def plan(bibliography: Bibliography, evidence: list[Evidence]) -> list[Change]:
    by_key = {item.key: item for item in evidence}
    return [
        Change(entry.key, name, old, new)
        for entry in bibliography.entries
        if entry.key in by_key
        for name, (old, new) in entry_changes(entry, by_key[entry.key]).items()
    ]


def enrich_bibliography(
    bibliography: Bibliography, source: Source, on_progress: Progress | None = None
) -> EnrichResult:
    """Verify every entry against `source` and apply the confident fixes to the original text. Entries
    with an empty or duplicate key are left alone: edits are addressed by key."""
    pairs = [(entry, to_reference(entry, bibliography.path)) for entry in bibliography.unambiguous_entries()]
    _, evidence = verify(pairs, source, on_progress)
    changes = plan(bibliography, evidence)
    edits: dict[str, dict[str, str]] = {}
    for change in changes:
        edits.setdefault(change.key, {})[change.field] = change.new
    new_text = apply_edits(bibliography.text, bibliography.entries, edits)
    return EnrichResult(bibliography.text, new_text, changes, evidence)


def enrich(bibliography: Bibliography, settings: Settings, on_progress: Progress | None = None) -> EnrichResult:
    """`refkit enrich` over the sources the settings name (snapshots first, then Crossref)."""
    return enrich_bibliography(bibliography, build_source(settings), on_progress)
