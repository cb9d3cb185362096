"""Tagged real reference strings from ../shared/data/tagged-refs, as text with one label per character.

Sources (see ../shared/data/SOURCES.md): AnyStyle's gold set (BSD-2-clause) and GROBID's citation corpus
(CC BY 4.0). Each string is rebuilt from its tagged spans with single spaces; `spans` keeps the fine tags
(journal vs book title, volume vs issue) that the accuracy benchmark scores against, `labels` the coarse
per-character labels the tagger is trained on. `held_out` puts a stable 20% aside for evaluation.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
TAGGED = SHARED / "data" / "tagged-refs"
_TEI = "{http://www.tei-c.org/ns/1.0}"

ANYSTYLE_LABELS = {
    "author": "author", "editor": "editor", "translator": "editor", "title": "title", "journal": "container",
    "container-title": "container", "date": "date", "volume": "volume", "pages": "pages",
    "publisher": "publisher", "location": "location", "edition": "edition", "genre": "genre", "note": "note",
    "citation-number": "number", "collection-title": "note",
}  # fmt: skip


@dataclass(slots=True)
class TaggedRef:
    source: str  # "anystyle", "grobid", or "style:<name>" for rendered records
    text: str
    labels: list[str]  # one coarse label per character of `text`
    spans: list[tuple[str, str]]  # (fine tag, text) in order
    group: str = ""  # strings of one group (one record in several styles) are held out together

    @property
    def held_out(self) -> bool:
        return int(hashlib.sha1((self.group or self.text).encode()).hexdigest()[:8], 16) % 5 == 0


class _Builder:
    """Accumulates (coarse label, fine tag, text) pieces into one normalised string."""

    def __init__(self) -> None:
        self.text: list[str] = []
        self.labels: list[str] = []
        self.spans: list[tuple[str, str]] = []

    def add(self, coarse: str, fine: str | None, piece: str) -> None:
        piece = re.sub(r"\s+", " ", piece)
        if not piece.strip():
            self._space()
            return
        if piece[0] == " ":
            self._space()
        piece_text = piece.strip()
        self.text.append(piece_text)
        self.labels.extend([coarse] * len(piece_text))
        if piece[-1] == " ":
            self._space()
        if fine:
            self.spans.append((fine, piece_text))

    def _space(self) -> None:
        if self.text and self.text[-1] != " ":
            self.text.append(" ")
            self.labels.append("other")

    def build(self, source: str) -> TaggedRef:
        while self.text and self.text[-1] == " ":
            self.text.pop()
            self.labels.pop()
        return TaggedRef(source, "".join(self.text), self.labels, self.spans)


def anystyle() -> list[TaggedRef]:
    root = ElementTree.parse(TAGGED / "anystyle-gold.xml").getroot()
    refs = []
    for sequence in root.iter("sequence"):
        builder = _Builder()
        for child in sequence:
            builder.add(ANYSTYLE_LABELS.get(child.tag, "other"), child.tag, (child.text or "") + " ")
        refs.append(builder.build("anystyle"))
    return refs


def _grobid_tag(element: ElementTree.Element, has_article_title: bool) -> tuple[str, str]:
    tag = element.tag.removeprefix(_TEI)
    kind = element.get("type") or element.get("level") or element.get("unit") or ""
    if tag == "title":
        if kind == "a":
            return "title", "title"
        if kind == "j":
            return "container", "journal"
        if kind == "m":
            return ("container", "container-title") if has_article_title else ("title", "title")
        return "note", "collection-title"
    if tag == "biblScope":
        if kind in ("vol", "volume"):
            return "volume", "volume"
        if kind == "issue":
            return "volume", "issue"
        if kind in ("pp", "page"):
            return "pages", "pages"
        return "note", "note"
    simple = {
        "author": "author",
        "editor": "editor",
        "date": "date",
        "pubPlace": "location",
        "publisher": "publisher",
        "orgName": "publisher",
    }
    if tag in simple:
        return simple[tag], tag
    if tag == "note" and kind == "report":
        return "genre", "genre"
    if tag in ("note", "notes", "idno"):
        return "note", "note"
    return "other", tag


def grobid() -> list[TaggedRef]:
    root = ElementTree.parse(TAGGED / "grobid-citations.tei.xml").getroot()
    refs = []
    for bibl in root.iter(_TEI + "bibl"):
        has_article_title = any(child.get("level") in ("a", "j") for child in bibl if child.tag == _TEI + "title")
        builder = _Builder()
        builder.add("other", None, bibl.text or "")
        for child in bibl:
            coarse, fine = _grobid_tag(child, has_article_title)
            builder.add(coarse, fine if coarse != "other" else None, "".join(child.itertext()))
            builder.add("other", None, child.tail or "")
        refs.append(builder.build("grobid"))
    return [ref for ref in refs if ref.text]


def real_refs() -> list[TaggedRef]:
    """Both real tagged sets; empty when ../shared is absent."""
    if not TAGGED.is_dir():
        return []
    return anystyle() + grobid()
