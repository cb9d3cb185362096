"""Semantic Scholar Graph API papers (api.semanticscholar.org/graph/v1) → Reference.

Semantic Scholar indexes computer science and biomedicine well, conference papers with no DOI included, and
links a paper to its arXiv, DBLP, PubMed and DOI identifiers. Its own id is the 40-hex `paperId`. It records
no retractions, so it has no notices. Error answers are JSON `{"error": "…"}` (404: no such paper, no title
match; 400: bad fields) or `{"message": "Forbidden"}` (403: a bad key).
"""

from __future__ import annotations

import json
from typing import Any

from refkit.model import Reference
from refkit.sources.fields import as_dict, people
from refkit.sources.records import strip_markup
from refkit.text import normalize_doi, normalize_pages

Paper = dict[str, Any]

# The fields refkit asks for (`fields=`): what conversion and matching read, nothing more.
FIELDS = (
    "paperId,externalIds,title,abstract,venue,publicationVenue,year,publicationDate,journal,authors,publicationTypes"
)

# publicationTypes, most specific first → CSL.
TYPE_TO_CSL = (
    ("Conference", "paper-conference"),
    ("JournalArticle", "article-journal"),
    ("Review", "article-journal"),
    ("Book", "book"),
    ("BookSection", "chapter"),
    ("Dataset", "dataset"),
    ("Thesis", "thesis"),
)


class MalformedAnswer(ValueError):
    """The body is not the JSON Semantic Scholar sends."""


def decode(body: bytes | str) -> Any:
    try:
        return json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise MalformedAnswer(f"not JSON: {error}") from error


def error_message(answer: Any) -> str:
    """The error an answer reports ("Paper with id 0 not found", "Forbidden"), or ""."""
    if isinstance(answer, dict):
        return str(answer.get("error") or answer.get("message") or "")
    return ""


def paper_id(paper: Paper) -> str:
    return str(paper.get("paperId") or "")


def csl_type(paper: Paper) -> str:
    kinds = paper.get("publicationTypes") or []
    external = as_dict(paper.get("externalIds"))
    if as_dict(paper.get("publicationVenue")).get("type") == "conference":
        return "paper-conference"
    for kind, csl in TYPE_TO_CSL:
        if kind in kinds:
            return csl
    if external.get("ArXiv") and not external.get("DOI"):
        return "article"
    return "article-journal"


def _date(paper: Paper) -> tuple[int | None, int | None, int | None]:
    year = paper.get("year") if isinstance(paper.get("year"), int) else None
    parts = [int(part) for part in str(paper.get("publicationDate") or "").split("-") if part.isdigit()]
    if len(parts) == 3 and (year is None or parts[0] == year):
        return parts[0], parts[1], parts[2]
    return year, None, None


def _venue(paper: Paper) -> str:
    """The journal's name, else the publication venue's, else the free-text venue."""
    journal, venue = as_dict(paper.get("journal")), as_dict(paper.get("publicationVenue"))
    return str(journal.get("name") or venue.get("name") or paper.get("venue") or "").strip()


def to_reference(paper: Paper) -> Reference:
    """One paper as a Reference. An arXiv-only paper's DOI is arXiv's DataCite one (10.48550/arXiv.ID)
    only when Semantic Scholar gives it; it is never made up here."""
    external, journal = as_dict(paper.get("externalIds")), as_dict(paper.get("journal"))
    year, month, day = _date(paper)
    names = [str(author.get("name") or "") for author in paper.get("authors") or [] if isinstance(author, dict)]
    pmcid = str(external.get("PubMedCentral") or "")
    return Reference(
        key=paper_id(paper),
        type=csl_type(paper),
        title=strip_markup(str(paper.get("title") or "")),
        authors=people(names),
        container_title=_venue(paper),
        year=year,
        month=month,
        day=day,
        volume=str(journal.get("volume") or "").strip(),
        page=normalize_pages(str(journal.get("pages") or "").strip()),
        doi=normalize_doi(str(external.get("DOI") or "")),
        url=str(paper.get("url") or ""),
        pmid=str(external.get("PubMed") or ""),
        pmcid=f"PMC{pmcid}" if pmcid.isdigit() else pmcid,
        arxiv=str(external.get("ArXiv") or ""),
        abstract=strip_markup(str(paper.get("abstract") or "")),
        fields={"dblp": str(external["DBLP"])} if external.get("DBLP") else {},
    )


def papers(answer: Any) -> list[Paper | None]:
    """The papers of any answer: a single paper, a search or match list ({"data": [...]}, none when
    `total` is 0), or a batch array (None where an id was unknown)."""
    if isinstance(answer, list):
        return [item if isinstance(item, dict) else None for item in answer]
    if isinstance(answer, dict) and "paperId" in answer:
        return [answer]
    if isinstance(answer, dict) and not error_message(answer):
        data = answer.get("data") or []
        return [item for item in data if isinstance(item, dict)] if isinstance(data, list) else []
    return []
