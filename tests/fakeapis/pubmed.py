"""A fake NCBI E-utilities (eutils.ncbi.nlm.nih.gov/entrez/eutils) for db=pubmed.

`efetch.fcgi?db=pubmed&id=A,B&retmode=xml`: a PubmedArticleSet holding the PMIDs it knows (an empty set
when it knows none). `esearch.fcgi?db=pubmed&term=…&retmode=json|xml`: PMIDs for a term of clauses joined by
AND, each `value[tag]` (doi, pmcid, pmid, ti, au, dp) or bare title words; nothing found: count 0 with
`errorlist.phrasesnotfound`. No `db`, or no `id`/`term`: an `<ERROR>` in the body, as E-utilities do.
3 requests a second without an `api_key`, 10 with: past that, 429 with NCBI's JSON error body.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any, ClassVar
from xml.sax.saxutils import escape

from refkit.model import Reference
from tests.fakeapis.base import FakeApi, Limit, Reply, Request
from tests.fakeapis.text import overlap, words

_CLAUSE = re.compile(r"^\s*(.*?)\s*\[(\w+)\]\s*$")
HEADER = '<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n'


def article_of(reference: Reference) -> str:
    """A Reference as a <PubmedArticle> (the elements refkit reads, in PubMed's layout)."""
    first, _, last = reference.page.replace("–", "-").partition("-")
    authors = "".join(
        f'<Author ValidYN="Y"><LastName>{escape(name.full_family)}</LastName><ForeName>{escape(name.given)}'
        f"</ForeName></Author>"
        for name in reference.authors
    )
    ids = f'<ArticleId IdType="pubmed">{reference.pmid}</ArticleId>'
    ids += f'<ArticleId IdType="doi">{escape(reference.doi)}</ArticleId>' if reference.doi else ""
    ids += f'<ArticleId IdType="pmc">{reference.pmcid}</ArticleId>' if reference.pmcid else ""
    pages = f"<StartPage>{first}</StartPage>" + (f"<EndPage>{last}</EndPage>" if last else "") if first else ""
    abstract = (
        f"<Abstract><AbstractText>{escape(reference.abstract)}</AbstractText></Abstract>" if reference.abstract else ""
    )
    return (
        f'<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM"><PMID Version="1">{reference.pmid}</PMID>'
        f'<Article PubModel="Print"><Journal><JournalIssue CitedMedium="Print"><Volume>{escape(reference.volume)}'
        f"</Volume><Issue>{escape(reference.issue)}</Issue><PubDate><Year>{reference.year}</Year></PubDate>"
        f"</JournalIssue><Title>{escape(reference.container_title)}</Title></Journal>"
        f"<ArticleTitle>{escape(reference.title)}.</ArticleTitle><Pagination>{pages}</Pagination>{abstract}"
        f'<AuthorList CompleteYN="Y">{authors}</AuthorList><PublicationTypeList><PublicationType UI="D016428">'
        f"Journal Article</PublicationType></PublicationTypeList></Article></MedlineCitation><PubmedData>"
        f"<ArticleIdList>{ids}</ArticleIdList></PubmedData></PubmedArticle>"
    )


class FakePubMed(FakeApi):
    name = "pubmed"
    LIMITS: ClassVar[dict[str, Limit]] = {"key": Limit(10, 1.0, 10), "anonymous": Limit(3, 1.0, 3)}

    def __init__(self, references: Iterable[Reference], **options: Any) -> None:
        super().__init__(**options)
        self.references = {reference.pmid: reference for reference in references if reference.pmid}
        self.articles = {pmid: article_of(reference) for pmid, reference in self.references.items()}

    def pool(self, request: Request) -> str:
        return "key" if request.params.get("api_key") else "anonymous"

    def rejected_reply(self, request: Request, wait: float) -> Reply:
        limit = self.limits[self.pool(request)].requests
        body = {
            "error": "API rate limit exceeded",
            "api-key": "127.0.0.1",
            "count": str(limit + 1),
            "limit": str(limit),
        }
        return Reply(
            429, json.dumps(body).encode(), headers={"X-RateLimit-Limit": str(limit), "X-RateLimit-Remaining": "0"}
        )

    def rate_headers(self, pool: str, remaining: int) -> dict[str, str]:
        return {"X-RateLimit-Limit": str(self.limits[pool].requests), "X-RateLimit-Remaining": str(remaining)}

    def route(self, request: Request) -> Reply:
        tool = request.path.rsplit("/", 1)[-1]
        if tool not in ("efetch.fcgi", "esearch.fcgi"):
            return Reply(404, b"<html><body>Not Found</body></html>", "text/html")
        if request.params.get("db") != "pubmed":
            return _error(f"{tool.split('.')[0]}", "Database is not supported: " + request.params.get("db", ""))
        return self.efetch(request) if tool == "efetch.fcgi" else self.esearch(request)

    def efetch(self, request: Request) -> Reply:
        ids = [pmid.strip() for pmid in request.params.get("id", "").split(",") if pmid.strip()]
        if not ids:
            return Reply(400, b"<eFetchResult><ERROR>Empty id list - nothing todo</ERROR></eFetchResult>", "text/xml")
        body = HEADER + "<PubmedArticleSet>\n" + "".join(self.articles[pmid] for pmid in ids if pmid in self.articles)
        return Reply(200, (body + "</PubmedArticleSet>").encode(), "text/xml; charset=UTF-8")

    def esearch(self, request: Request) -> Reply:
        term = request.params.get("term", "")
        if not term.strip():
            return _error("esearch", "Empty term and query_key - nothing todo")
        found = [pmid for pmid, reference in self.references.items() if _matches(term, reference)]
        found.sort(key=lambda pmid: -overlap(term, self.references[pmid].title))
        retmax = int(request.params.get("retmax", "20") or 20)
        ids = found[:retmax]
        if request.params.get("retmode") == "json":
            result: dict[str, Any] = {
                "count": str(len(found)),
                "retmax": str(len(ids)),
                "retstart": "0",
                "idlist": ids,
                "translationset": [],
                "querytranslation": term,
            }
            if not found:
                result["errorlist"] = {"phrasesnotfound": [term], "fieldsnotfound": []}
                result["warninglist"] = {
                    "phrasesignored": [],
                    "quotedphrasesnotfound": [],
                    "outputmessages": ["No items found."],
                }
            body = {"header": {"type": "esearch", "version": "0.3"}, "esearchresult": result}
            return Reply(200, json.dumps(body).encode(), "application/json; charset=UTF-8")
        id_list = "".join(f"<Id>{pmid}</Id>" for pmid in ids)
        xml = (
            f'<?xml version="1.0" encoding="UTF-8" ?>\n<eSearchResult><Count>{len(found)}</Count><RetMax>{len(ids)}'
            f"</RetMax><RetStart>0</RetStart><IdList>{id_list}</IdList><TranslationSet/>"
            f"<QueryTranslation>{escape(term)}</QueryTranslation></eSearchResult>"
        )
        return Reply(200, xml.encode(), "text/xml; charset=UTF-8")


def _matches(term: str, reference: Reference) -> bool:
    """Clauses joined by OR (any) of clauses joined by AND (all)."""
    return any(_all_match(alternative, reference) for alternative in term.split(" OR "))


def _all_match(term: str, reference: Reference) -> bool:
    for clause in term.split(" AND "):
        value, tag = (m.group(1), m.group(2).lower()) if (m := _CLAUSE.match(clause)) else (clause, "ti")
        value = value.strip().strip('"')
        if tag == "doi" and value.lower() != reference.doi.lower():
            return False
        if tag in ("pmcid", "pmc") and value.upper() != reference.pmcid.upper():
            return False
        if tag in ("pmid", "uid") and value != reference.pmid:
            return False
        if tag in ("dp", "pdat") and value[:4] != str(reference.year):
            return False
        if tag in ("au", "author") and not words(value) <= {w for n in reference.authors for w in words(n.full_family)}:
            return False
        if tag in ("ti", "title", "tiab") and overlap(value, reference.title) < 0.5:
            return False
    return True


def _error(tool: str, message: str) -> Reply:
    root = {"esearch": "eSearchResult", "efetch": "eFetchResult"}.get(tool, "eResult")
    return Reply(
        200,
        f'<?xml version="1.0" encoding="UTF-8" ?>\n<{root}><ERROR>{escape(message)}</ERROR></{root}>'.encode(),
        "text/xml",
    )
