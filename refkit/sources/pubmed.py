"""PubMed (NCBI E-utilities) answers → Reference.

`efetch` (db=pubmed, retmode=xml) gives the full citation with its abstract, many PMIDs to a request, so it is
what look-ups read; `esearch` turns a query (a PMCID, a DOI, a title and authors) into PMIDs. Its own id is
the PMID. PubMed marks retracted articles with the publication type "Retracted Publication" and links
retraction, erratum and concern notices in CommentsCorrections; both are read as notices. E-utilities report
errors in the body (`<ERROR>` in XML, an "ERROR" key in JSON), often with HTTP 200: `errors` finds them.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from refkit.model import Name, Reference
from refkit.sources.records import Update
from refkit.text import normalize_doi, normalize_pages

MONTHS = {name: number for number, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)}  # fmt: skip
# CommentsCorrections RefType → notice kind (the vocabulary of records.Update).
NOTICE_KINDS = {
    "RetractionIn": "retraction",
    "ErratumIn": "correction",
    "ExpressionOfConcernIn": "expression_of_concern",
    "UpdateIn": "new_version",
}
_YEAR_RE = re.compile(r"\b(1[5-9]\d\d|20\d\d)\b")
_SPACES_RE = re.compile(r"\s+")


class MalformedAnswer(ValueError):
    """The body is not the XML or JSON E-utilities send."""


def _text(element: ET.Element | None) -> str:
    """All text inside an element, inline markup (<i>, <sup>, <b>) included, spaces collapsed."""
    if element is None:
        return ""
    return _SPACES_RE.sub(" ", "".join(element.itertext())).strip()


def parse_xml(body: bytes | str) -> ET.Element:
    try:
        return ET.fromstring(body.encode("utf-8") if isinstance(body, str) else body)
    except ET.ParseError as error:
        raise MalformedAnswer(f"not XML: {error}") from error


def clean_title(title: str) -> str:
    """PubMed ends every title with a period and writes translated titles in brackets ("[Title]."): neither
    is part of the title as cited."""
    title = title.strip()
    if title.startswith("[") and title.rstrip(".").endswith("]"):
        title = title.rstrip(".")[1:-1]
    return title[:-1] if title.endswith(".") and not title.endswith("..") else title


def _month(value: str) -> int | None:
    value = value.strip().lower()
    if value.isdigit():
        return int(value) if 1 <= int(value) <= 12 else None
    return MONTHS.get(value[:3])


def _date(pub_date: ET.Element | None) -> tuple[int | None, int | None, int | None]:
    """PubDate is Year/Month/Day, or a free MedlineDate ("1998 Dec-1999 Jan"): its first year then."""
    if pub_date is None:
        return None, None, None
    year = pub_date.findtext("Year") or ""
    if not year.isdigit():
        found = _YEAR_RE.search(pub_date.findtext("MedlineDate") or "")
        return (int(found.group(1)) if found else None), None, None
    day = pub_date.findtext("Day") or ""
    return int(year), _month(pub_date.findtext("Month") or ""), int(day) if day.isdigit() else None


def _pages(article: ET.Element) -> str:
    """StartPage–EndPage in full when given (MedlinePgn abbreviates: "244-55"), else MedlinePgn, else the
    electronic location (an article number)."""
    start, end = article.findtext("Pagination/StartPage") or "", article.findtext("Pagination/EndPage") or ""
    if start and end and start != end:
        return normalize_pages(f"{start}-{end}")
    if start:
        return start
    medline = article.findtext("Pagination/MedlinePgn") or ""
    if medline:
        return normalize_pages(medline)
    return next((_text(e) for e in article.findall("ELocationID") if e.get("EIdType") == "pii"), "")


def _authors(article: ET.Element) -> tuple[list[Name], bool]:
    names = []
    for author in article.findall("AuthorList/Author"):
        if author.get("ValidYN", "Y") != "Y":
            continue
        family = _text(author.find("LastName"))
        if family:
            given = _text(author.find("ForeName")) or _text(author.find("Initials"))
            names.append(Name(family=family, given=given, suffix=_text(author.find("Suffix"))))
        elif collective := _text(author.find("CollectiveName")):
            names.append(Name(literal=collective))
    author_list = article.find("AuthorList")
    return names, author_list is not None and author_list.get("CompleteYN") == "N"


def _abstract(article: ET.Element) -> str:
    """Structured abstracts keep their section labels ("BACKGROUND: …")."""
    parts = []
    for section in article.findall("Abstract/AbstractText"):
        text, label = _text(section), section.get("Label", "")
        if text:
            parts.append(f"{label}: {text}" if label and not text.startswith(label) else text)
    return " ".join(parts)


def _article_ids(pubmed_article: ET.Element) -> dict[str, str]:
    ids = {}
    for item in pubmed_article.findall("PubmedData/ArticleIdList/ArticleId"):
        kind = item.get("IdType", "")
        if kind and kind not in ids and (item.text or "").strip():
            ids[kind] = (item.text or "").strip()
    return ids


def to_reference(pubmed_article: ET.Element) -> Reference:
    """One <PubmedArticle> as a Reference; the DOI from the article ids, or from the article's ELocationID."""
    citation = pubmed_article.find("MedlineCitation")
    article = citation.find("Article") if citation is not None else None
    if citation is None or article is None:
        raise MalformedAnswer("a PubmedArticle without MedlineCitation/Article")
    ids = _article_ids(pubmed_article)
    doi = ids.get("doi") or next((_text(e) for e in article.findall("ELocationID") if e.get("EIdType") == "doi"), "")
    year, month, day = _date(article.find("Journal/JournalIssue/PubDate"))
    if year is None:  # no issue date at all: the electronic publication date
        year, month, day = _date(article.find("ArticleDate"))
    authors, truncated = _authors(article)
    pmid = _text(citation.find("PMID"))
    return Reference(
        key=pmid,
        type="article-journal",
        title=clean_title(_text(article.find("ArticleTitle")) or _text(article.find("VernacularTitle"))),
        authors=authors,
        authors_truncated=truncated,
        container_title=_text(article.find("Journal/Title")),
        container_title_short=_text(article.find("Journal/ISOAbbreviation")),
        year=year,
        month=month,
        day=day,
        volume=_text(article.find("Journal/JournalIssue/Volume")),
        issue=_text(article.find("Journal/JournalIssue/Issue")),
        page=_pages(article),
        doi=normalize_doi(doi),
        issn=tuple(_text(issn) for issn in article.findall("Journal/ISSN") if _text(issn)),
        pmid=pmid,
        pmcid=ids.get("pmc", ""),
        abstract=_abstract(article),
        keywords=tuple(_text(k) for k in citation.findall("KeywordList/Keyword") if _text(k)),
    )


def notices(pubmed_article: ET.Element) -> list[Update]:
    """Retractions, errata and expressions of concern PubMed links to this article."""
    found = []
    citation = pubmed_article.find("MedlineCitation")
    types = {_text(kind) for kind in pubmed_article.iter("PublicationType")}
    for item in citation.findall("CommentsCorrectionsList/CommentsCorrections") if citation is not None else []:
        kind = NOTICE_KINDS.get(item.get("RefType", ""))
        if kind:
            found.append(Update(kind=kind, doi="", label=_text(item.find("RefSource")), source="pubmed"))
    if "Retracted Publication" in types and not any(update.kind == "retraction" for update in found):
        found.append(Update(kind="retraction", doi="", source="pubmed"))
    return found


@dataclass(slots=True)
class Article:
    """One efetch article: the reference, its notices, and its PMID."""

    pmid: str
    reference: Reference
    notices: list[Update] = field(default_factory=list)


def articles(body: bytes | str) -> list[Article]:
    """The articles of an efetch answer (a PubmedArticleSet; an empty set when no PMID was known)."""
    root = parse_xml(body)
    if root.tag != "PubmedArticleSet":
        raise MalformedAnswer(f"expected a PubmedArticleSet, got <{root.tag}>")
    found = []
    for element in root.findall("PubmedArticle"):
        reference = to_reference(element)
        found.append(Article(reference.pmid, reference, notices(element)))
    return found


@dataclass(slots=True)
class SearchAnswer:
    """An esearch answer: the PMIDs found (best first), how many match in all, and any errors it reports."""

    ids: list[str]
    count: int
    errors: list[str] = field(default_factory=list)


def search_answer(body: bytes | str) -> SearchAnswer:
    """An esearch answer, JSON (retmode=json) or XML; a phrase PubMed did not find is not an error."""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    if text.lstrip().startswith("{"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise MalformedAnswer(f"not JSON: {error}") from error
        result = data.get("esearchresult") if isinstance(data, dict) else None
        if not isinstance(result, dict):
            raise MalformedAnswer("no esearchresult in the answer")
        message = result.get("ERROR") or result.get("error")
        return SearchAnswer(
            [str(pmid) for pmid in result.get("idlist") or []],
            int(result.get("count") or 0),
            [str(message)] if message else [],
        )
    root = parse_xml(text)
    errors = [_text(e) for e in root.iter("ERROR") if _text(e)]
    if root.tag != "eSearchResult":
        return SearchAnswer([], 0, errors or [f"expected an eSearchResult, got <{root.tag}>"])
    count = root.findtext("Count") or "0"
    return SearchAnswer([_text(e) for e in root.findall("IdList/Id")], int(count) if count.isdigit() else 0, errors)


def errors(body: bytes | str) -> list[str]:
    """The <ERROR> messages of an XML answer (esummary without ids, epost with bad ids, …)."""
    try:
        root = parse_xml(body)
    except MalformedAnswer:
        return []
    return [_text(e) for e in root.iter("ERROR") if _text(e)]
