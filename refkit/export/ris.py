"""Reference → RIS, the tagged format reference managers (Zotero, EndNote, Mendeley) import."""

from __future__ import annotations

from collections.abc import Iterable

from refkit.model import Name, Reference
from refkit.text import page_bounds

_TYPES = {
    "article-journal": "JOUR", "article-magazine": "MGZN", "article-newspaper": "NEWS", "book": "BOOK",
    "chapter": "CHAP", "paper-conference": "CPAPER", "thesis": "THES", "report": "RPRT", "webpage": "ELEC",
    "manuscript": "UNPB", "patent": "PAT", "dataset": "DATA", "software": "COMP", "pamphlet": "PAMP",
    "entry-encyclopedia": "ENCYC", "periodical": "JFULL",
}  # fmt: skip


def _name(name: Name) -> str:
    if name.literal:
        return name.literal
    family = name.full_family
    return ", ".join(part for part in (family, name.given, name.suffix) if part)


def to_ris(reference: Reference) -> str:
    lines = [("TY", _TYPES.get(reference.type, "GEN"))]
    lines += [("AU", _name(n)) for n in reference.authors]
    if reference.authors and reference.authors_truncated:  # RIS has no truncation mark: keep it readable
        lines.append(("AU", "et al."))
    lines += [("ED", _name(n)) for n in reference.editors]
    lines.append(("TI", reference.title))
    lines.append(("T2", reference.container_title))
    lines.append(("J2", reference.container_title_short))
    lines.append(("T3", reference.collection_title))
    if reference.year:
        lines.append(("PY", str(reference.year)))
        month = f"{reference.month:02d}" if reference.month else ""
        day = f"{reference.day:02d}" if reference.day else ""
        lines.append(("DA", f"{reference.year}/{month}/{day}/"))
    lines += [("VL", reference.volume), ("IS", reference.issue)]
    if reference.page:
        first, last = page_bounds(reference.page)
        lines.append(("SP", first))
        lines.append(("EP", last if last != first else ""))
    lines += [
        ("ET", reference.edition),
        ("PB", reference.publisher),
        ("CY", reference.publisher_place),
        ("DO", reference.doi),
        ("UR", reference.url),
        ("SN", "; ".join(reference.issn) or reference.isbn),
        ("AB", reference.abstract),
        ("N1", reference.note),
        ("ID", reference.key),
    ]
    lines += [("KW", keyword) for keyword in reference.keywords]
    if reference.pmid:
        lines.append(("AN", f"PMID:{reference.pmid}"))
    body = "".join(f"{tag}  - {value}\n" for tag, value in lines if value)
    return body + "ER  - \n"


def render(references: Iterable[Reference]) -> str:
    return "\n".join(to_ris(reference) for reference in references)
