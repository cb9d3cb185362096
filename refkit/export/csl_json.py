"""Reference → CSL-JSON, valid against the official CSL-JSON schema and close to pandoc's own output."""

from __future__ import annotations

from collections.abc import Iterable

from refkit.jsontext import dumps_indented
from refkit.model import Name, Reference


def _name(name: Name) -> dict[str, str]:
    if name.literal:
        return {"literal": name.literal}
    data = {"family": name.family}
    if name.given:
        data["given"] = name.given
    if name.particle:
        data["non-dropping-particle"] = name.particle
    if name.suffix:
        data["suffix"] = name.suffix
    return data


def to_csl(reference: Reference) -> dict:
    """One CSL-JSON item; empty fields are left out."""
    item: dict = {"id": reference.key, "type": reference.type}
    if reference.authors:
        item["author"] = [_name(n) for n in reference.authors]
        if reference.authors_truncated:  # CSL has no "et al.": pandoc writes this, and its citeproc prints it so
            item["author"].append({"literal": "others"})
    if reference.editors:
        item["editor"] = [_name(n) for n in reference.editors]
    if reference.year:
        parts = [reference.year] + ([reference.month] if reference.month else [])
        parts += [reference.day] if reference.month and reference.day else []
        item["issued"] = {"date-parts": [parts]}
    text_fields = {
        "title": reference.title,
        "container-title": reference.container_title,
        "container-title-short": reference.container_title_short,
        "collection-title": reference.collection_title,
        "volume": reference.volume,
        "issue": reference.issue,
        "page": reference.page,
        "edition": reference.edition,
        "DOI": reference.doi,
        "URL": reference.url,
        "ISSN": ", ".join(reference.issn),
        "ISBN": reference.isbn,
        "PMID": reference.pmid,
        "PMCID": reference.pmcid,
        "publisher": reference.publisher,
        "publisher-place": reference.publisher_place,
        "genre": reference.genre,
        "abstract": reference.abstract,
        "keyword": ", ".join(reference.keywords),
        "note": reference.note,
    }
    item.update({name: value for name, value in text_fields.items() if value})
    if reference.arxiv:
        item.setdefault("URL", f"https://arxiv.org/abs/{reference.arxiv}")
        item["number"] = f"arXiv:{reference.arxiv}"
    return item


def to_csl_json(references: Iterable[Reference]) -> list[dict]:
    return [to_csl(reference) for reference in references]


def render(references: Iterable[Reference]) -> str:
    """The JSON array `json.dumps(to_csl_json(references), indent=2)` writes, made an item at a time, so that
    a large export never holds every Reference and every item's dict at once."""
    items = ["  " + dumps_indented(to_csl(reference)).replace("\n", "\n  ") for reference in references]
    return "[\n" + ",\n".join(items) + "\n]\n" if items else "[]\n"
