"""OpenAlex works (api.openalex.org) → Reference.

OpenAlex holds works Crossref does not (repositories, many conference papers, works with no DOI) and gives
abstracts as an inverted index (word → positions), which `abstract_text` turns back into prose. Its own id is
the work's `W…` number; a retracted work carries `is_retracted`, read here as a retraction notice.
"""

from __future__ import annotations

import re
from typing import Any

from refkit.model import Reference
from refkit.sources.fields import as_dict, people
from refkit.sources.records import Update, strip_markup
from refkit.text import normalize_doi, normalize_pages

Work = dict[str, Any]

# OpenAlex work types → CSL; `article` is refined by where it appeared (see `csl_type`).
OPENALEX_TO_CSL = {
    "article": "article-journal", "book": "book", "book-chapter": "chapter", "dataset": "dataset",
    "dissertation": "thesis", "preprint": "article", "report": "report", "standard": "standard",
    "review": "article-journal", "letter": "article-journal", "editorial": "article-journal",
    "erratum": "article-journal", "retraction": "article-journal", "peer-review": "review",
    "reference-entry": "entry-encyclopedia", "conference-paper": "paper-conference", "software": "software",
    "paratext": "document", "other": "document", "libguides": "document", "grant": "document",
    "supplementary-materials": "document",
}  # fmt: skip
# What an `article` is by the type of its venue (OpenAlex calls proceedings papers articles too).
SOURCE_TYPE_TO_CSL = {"conference": "paper-conference", "repository": "article", "book series": "chapter"}

_ID_URL_RE = re.compile(r"^https?://[^/]+/(?:pmc/articles/)?")


def abstract_text(inverted: Any) -> str:
    """The abstract from OpenAlex's inverted index ({"Today's": [0], "filters,": [1, 199], …}): each word at
    its positions, positions in order. A malformed index gives what can be placed, never an error."""
    if not isinstance(inverted, dict):
        return ""
    placed: dict[int, str] = {}
    for word, positions in inverted.items():
        for position in positions if isinstance(positions, list) else []:
            if isinstance(position, int) and position >= 0:
                placed[position] = str(word)
    return strip_markup(" ".join(placed[position] for position in sorted(placed)))


def work_id(work: Work) -> str:
    """OpenAlex's own id, "W1982728624" (the API gives it as a URL)."""
    return str(work.get("id") or "").rsplit("/", 1)[-1]


def _bare_id(value: Any) -> str:
    """ "https://pubmed.ncbi.nlm.nih.gov/17183658" → "17183658"; "https://www.ncbi.nlm.nih.gov/pmc/articles/
    4101386" → "4101386"."""
    return _ID_URL_RE.sub("", str(value or "")).strip("/")


def _venue(work: Work) -> dict[str, Any]:
    return as_dict(as_dict(work.get("primary_location")).get("source"))


def csl_type(work: Work) -> str:
    kind = str(work.get("type") or "")
    if kind == "article":
        return SOURCE_TYPE_TO_CSL.get(str(_venue(work).get("type") or ""), "article-journal")
    return OPENALEX_TO_CSL.get(kind, "document")


def _date(work: Work) -> tuple[int | None, int | None, int | None]:
    parts = [int(part) for part in str(work.get("publication_date") or "").split("-") if part.isdigit()]
    year = work.get("publication_year") if isinstance(work.get("publication_year"), int) else None
    if parts and (year is None or parts[0] == year):
        parts += [0, 0]
        return parts[0], parts[1] or None, parts[2] or None
    return year, None, None


def _pages(biblio: dict[str, Any]) -> str:
    first, last = str(biblio.get("first_page") or ""), str(biblio.get("last_page") or "")
    if first and last and last != first:
        return normalize_pages(f"{first}-{last}")
    return first or last


def to_reference(work: Work) -> Reference:
    """One OpenAlex work as a Reference; the venue is the primary location's source (or the name the
    publisher deposited, when OpenAlex has not linked a source)."""
    venue = _venue(work)
    location, biblio, ids = as_dict(work.get("primary_location")), as_dict(work.get("biblio")), as_dict(work.get("ids"))
    year, month, day = _date(work)
    authors = [
        str(as_dict(authorship.get("author")).get("display_name") or authorship.get("raw_author_name") or "")
        for authorship in work.get("authorships") or []
        if isinstance(authorship, dict)
    ]
    pmcid = _bare_id(ids.get("pmcid"))
    return Reference(
        key=work_id(work),
        type=csl_type(work),
        title=strip_markup(str(work.get("title") or work.get("display_name") or "")),
        authors=people(authors),
        container_title=str(venue.get("display_name") or location.get("raw_source_name") or ""),
        year=year,
        month=month,
        day=day,
        volume=str(biblio.get("volume") or ""),
        issue=str(biblio.get("issue") or ""),
        page=_pages(biblio),
        doi=normalize_doi(str(work.get("doi") or ids.get("doi") or "")),
        url=str(location.get("landing_page_url") or ""),
        issn=tuple(str(issn) for issn in venue.get("issn") or []),
        pmid=_bare_id(ids.get("pmid")),
        pmcid=f"PMC{pmcid}" if pmcid.isdigit() else pmcid,
        publisher=str(venue.get("host_organization_name") or ""),
        abstract=abstract_text(work.get("abstract_inverted_index")),
    )


def notices(work: Work) -> list[Update]:
    """OpenAlex marks retracted works (from Retraction Watch and Crossref) with `is_retracted`."""
    if work.get("is_retracted") is True:
        return [Update(kind="retraction", doi="", source="openalex")]
    return []


def results(page: Any) -> list[Work]:
    """The works of a list answer ({"meta": …, "results": [...]}); [] for anything else."""
    found = as_dict(page).get("results")
    return [work for work in found if isinstance(work, dict)] if isinstance(found, list) else []


def cost(page: Any) -> float | None:
    """What a list answer says it cost (`meta.cost_usd`, since the 2026 priced API)."""
    value = as_dict(as_dict(page).get("meta")).get("cost_usd")
    return float(value) if isinstance(value, int | float) else None
