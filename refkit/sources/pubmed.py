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
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import requests

from refkit.config import Settings, source_url
from refkit.model import Name, Reference
from refkit.sources.base import BaseSource, Candidate, Lookup, LookupStatus, Notice, SearchResult, keyed
from refkit.sources.crossref import OFFLINE_MISS
from refkit.sources.http import HttpClient, Limits
from refkit.sources.services import cached, chunks, environment_key, in_parallel, remember_each
from refkit.sources.web import Fetched, failure, fetch
from refkit.sources.web import base_url as checked_base
from refkit.text import normalize_doi, normalize_pages

MONTHS = {name: number for number, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)}  # fmt: skip
# CommentsCorrections RefType → notice kind (the vocabulary of base.Notice).
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


def notices(pubmed_article: ET.Element) -> list[Notice]:
    """Retractions, errata and expressions of concern PubMed links to this article."""
    found = []
    citation = pubmed_article.find("MedlineCitation")
    types = {_text(kind) for kind in pubmed_article.iter("PublicationType")}
    for item in citation.findall("CommentsCorrectionsList/CommentsCorrections") if citation is not None else []:
        kind = NOTICE_KINDS.get(item.get("RefType", ""))
        if kind:
            found.append(Notice(kind=kind, doi="", label=_text(item.find("RefSource")), source="pubmed"))
    if "Retracted Publication" in types and not any(update.kind == "retraction" for update in found):
        found.append(Notice(kind="retraction", doi="", source="pubmed"))
    return found


@dataclass(slots=True)
class Article:
    """One efetch article: the reference, its notices, and its PMID."""

    pmid: str
    reference: Reference
    notices: list[Notice] = field(default_factory=list)
    xml: bytes = b""  # the <PubmedArticle> as sent, to cache it under its own PMID


def articles(body: bytes | str) -> list[Article]:
    """The articles of an efetch answer (a PubmedArticleSet; an empty set when no PMID was known)."""
    root = parse_xml(body)
    if root.tag != "PubmedArticleSet":
        raise MalformedAnswer(f"expected a PubmedArticleSet, got <{root.tag}>")
    found = []
    for element in root.findall("PubmedArticle"):
        reference = to_reference(element)
        found.append(Article(reference.pmid, reference, notices(element), ET.tostring(element, encoding="utf-8")))
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
    if root.tag != "eSearchResult" and not errors:
        raise MalformedAnswer(f"expected an eSearchResult, got <{root.tag}>")
    count = root.findtext("Count") or "0"
    return SearchAnswer([_text(e) for e in root.findall("IdList/Id")], int(count) if count.isdigit() else 0, errors)


def errors(body: bytes | str) -> list[str]:
    """The <ERROR> messages of an XML answer (esummary without ids, epost with bad ids, …)."""
    try:
        root = parse_xml(body)
    except MalformedAnswer:
        return []
    return [_text(e) for e in root.iter("ERROR") if _text(e)]


# -- the source ---------------------------------------------------------------------------------------------

DEFAULT_URL = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils"
KEY_VARIABLES = ("REFKIT_NCBI_API_KEY", "NCBI_API_KEY")
TOOL = "refkit"  # E-utilities ask every client to name itself (`tool`) and give a contact (`email`)
WITHOUT_KEY = Limits(single=3, list=3, interval=1.0, concurrency=3)  # NCBI: 3 requests a second
WITH_KEY = Limits(single=10, list=10, interval=1.0, concurrency=5)  # 10 with an API key
ARTICLE_SET = b"<PubmedArticleSet>%s</PubmedArticleSet>"
BATCH = 200  # PMIDs per efetch (NCBI suggests POST beyond 200)
_TERM_UNSAFE = re.compile(r"[\[\]()\"]+")  # field tags, grouping and phrases in the query language


def candidate(article: Article) -> Candidate:
    return Candidate(article.reference, "pubmed", id=article.pmid, notices=tuple(article.notices))


def search_term(reference: Reference) -> str:
    """The title's words in the title field ([ti]), each required as PubMed reads an unquoted list."""
    title = " ".join(_TERM_UNSAFE.sub(" ", clean_title(reference.title)).split())
    return f"{title}[ti]" if title else ""


def keep(response: requests.Response) -> bool:
    """Only E-utilities' answers are cached: an article set, or a search result without <ERROR> (which is
    often a passing backend failure sent with a 200); a maintenance page is none."""
    if response.status_code != 200:
        return True
    try:
        if b"<PubmedArticleSet" in response.content[:500]:
            articles(response.content)
            return True
        return not search_answer(response.content).errors
    except MalformedAnswer:
        return False


class PubMedSource(BaseSource):
    """PubMed over E-utilities: PMIDs two hundred to an efetch, PMCIDs turned into PMIDs by one esearch for
    all of them (`PMC1[pmcid] OR PMC2[pmcid]`), titles by esearch then efetch. The key (optional) comes from
    REFKIT_NCBI_API_KEY or NCBI_API_KEY and raises the limit from 3 to 10 requests a second."""

    name = "pubmed"

    def __init__(self, settings: Settings, *, client: HttpClient | None = None, **options: Any) -> None:
        """`options` go to the HTTP client (limits, retry, sleep): the API's own limits unless told."""
        self.base = checked_base(source_url(settings, self.name, DEFAULT_URL), "PubMed")
        key = environment_key(KEY_VARIABLES)
        params = (
            {"tool": TOOL} | ({"email": settings.mailto} if settings.mailto else {}) | ({"api_key": key} if key else {})
        )
        limits = WITH_KEY if key else WITHOUT_KEY
        self.client = client or HttpClient(
            settings, base_url=self.base, keep=keep, **{"limits": limits, "params": params, **options}
        )

    def identifier(self, reference: Reference) -> str:
        return reference.pmid.strip() or reference.pmcid.strip().upper()

    def works(self, ids: Sequence[str]) -> dict[str, Lookup]:
        wanted = list(dict.fromkeys(identifier.strip().upper() for identifier in ids if identifier.strip()))
        pmcids = [identifier for identifier in wanted if identifier.startswith("PMC")]
        pmids = [identifier for identifier in wanted if identifier.isdigit()]
        answers = {
            identifier: Lookup(identifier, LookupStatus.NOT_FOUND, reason="not a PMID or PMCID")
            for identifier in wanted
            if identifier not in pmcids and identifier not in pmids
        }
        resolved, failed = self._pmids_of(pmcids)
        answers |= failed
        by_pmid = self._fetch([*pmids, *resolved.values()])
        for pmid in pmids:
            answers[pmid] = by_pmid[pmid]
        for pmcid in pmcids:
            if pmcid in resolved:
                answers[pmcid] = keyed(by_pmid[resolved[pmcid]], pmcid)
            elif pmcid not in answers:
                answers[pmcid] = Lookup(pmcid, LookupStatus.NOT_FOUND, reason="PubMed holds no article with this PMCID")
        return {identifier: answers[identifier.strip().upper()] for identifier in ids if identifier.strip()}

    def search(self, reference: Reference, rows: int = 5) -> SearchResult:
        term = search_term(reference)
        if not term:
            return SearchResult()
        answer, reason = self._esearch({"db": "pubmed", "term": term, "retmax": str(rows), "retmode": "json"})
        if answer is None:
            return SearchResult(unavailable=True, reason=reason)
        found = self._fetch(answer.ids)
        candidates = [lookup.candidate for pmid in answer.ids if (lookup := found[pmid]).candidate is not None]
        if any(found[pmid].status is LookupStatus.UNAVAILABLE for pmid in answer.ids):
            return SearchResult(
                candidates, unavailable=not candidates, reason="PubMed: some articles could not be fetched"
            )
        return SearchResult(candidates)

    def search_many(self, references: Sequence[Reference], rows: int = 5) -> list[SearchResult]:
        return in_parallel(lambda reference: self.search(reference, rows), references, self.client.limiter.concurrency)

    def close(self) -> None:
        self.client.close()

    def _single(self, pmid: str) -> str:
        return f"{self.base}/efetch.fcgi?db=pubmed&id={pmid}&retmode=xml"

    def _esearch(self, params: dict[str, str]) -> tuple[SearchAnswer | None, str]:
        fetched = fetch(self.client, f"{self.base}/esearch.fcgi", params)
        if fetched.status != 200:
            return None, failure(fetched, "PubMed")
        try:
            answer = search_answer(fetched.body)
        except MalformedAnswer as error:
            return None, f"PubMed sent an answer that is not a search result ({error})"
        if answer.errors:  # often a passing backend failure, sent with a 200: not kept
            return None, f"PubMed: {'; '.join(answer.errors)}"
        return answer, ""

    def _pmids_of(self, pmcids: list[str]) -> tuple[dict[str, str], dict[str, Lookup]]:
        """PMCID → PMID for the PMCIDs PubMed knows, and Lookups for those that could not be asked."""
        if not pmcids:
            return {}, {}
        resolved: dict[str, str] = {}
        failed: dict[str, Lookup] = {}
        for group in chunks(pmcids, BATCH):
            term = " OR ".join(f"{pmcid}[pmcid]" for pmcid in group)
            params = {"db": "pubmed", "term": term, "retmax": str(len(group)), "retmode": "json"}
            answer, reason = self._esearch(params)
            if answer is None:
                failed |= {pmcid: Lookup(pmcid, LookupStatus.UNAVAILABLE, reason=reason) for pmcid in group}
                continue
            for lookup in self._fetch(answer.ids).values():
                if lookup.candidate is not None and lookup.candidate.reference.pmcid.upper() in group:
                    resolved[lookup.candidate.reference.pmcid.upper()] = lookup.doi
        return resolved, failed

    def _fetch(self, pmids: Sequence[str]) -> dict[str, Lookup]:
        """Each PMID's Lookup: from the cache, else from efetch two hundred at a time."""
        wanted = list(dict.fromkeys(pmids))
        answers = {
            pmid: self._settle(pmid, fetched)
            for pmid, fetched in cached(self.client, {p: self._single(p) for p in wanted}).items()
        }
        missing = [pmid for pmid in wanted if pmid not in answers]
        if self.client.offline:
            return answers | {pmid: Lookup(pmid, LookupStatus.UNAVAILABLE, reason=OFFLINE_MISS) for pmid in missing}
        for group in chunks(missing, BATCH):
            answers |= self._efetch(group)
        return answers

    def _settle(self, pmid: str, fetched: Fetched) -> Lookup:
        return self._settled([pmid], fetched)[0][pmid]

    def _settled(self, pmids: list[str], fetched: Fetched) -> tuple[dict[str, Lookup], dict[str, Article] | None]:
        """Each PMID's Lookup from one efetch answer, and the articles it held (None: no usable answer)."""
        reason = failure(fetched, "PubMed") if fetched.status != 200 else ""
        found = None
        if not reason:
            try:
                found = {article.pmid: article for article in articles(fetched.body)}
            except MalformedAnswer as error:
                reason = f"PubMed sent an answer that is not an article set ({error})"
        if found is None:
            return {pmid: Lookup(pmid, LookupStatus.UNAVAILABLE, reason=reason) for pmid in pmids}, None
        return {
            pmid: Lookup(pmid, LookupStatus.FOUND, candidate(found[pmid]))
            if pmid in found
            else Lookup(pmid, LookupStatus.NOT_FOUND, reason="PubMed holds no article with this PMID")
            for pmid in pmids
        }, found

    def _efetch(self, pmids: list[str]) -> dict[str, Lookup]:
        params = {"db": "pubmed", "id": ",".join(pmids), "retmode": "xml"}
        fetched = fetch(self.client, f"{self.base}/efetch.fcgi", params)
        answers, found = self._settled(pmids, fetched)
        if found is not None:  # each PMID's own answer: its article, or the empty set PubMed sends for it
            bodies = ((self._single(pmid), ARTICLE_SET % (found[pmid].xml if pmid in found else b"")) for pmid in pmids)
            remember_each(self.client, bodies, "PubMed")
        return answers
