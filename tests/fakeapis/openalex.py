"""A fake OpenAlex API (api.openalex.org) in its 2026 dialect.

`/works/{id}` with an OpenAlex id (W…), `doi:10.…` or `https://doi.org/10.…`: the work, or a 404 with
Flask's HTML page (as recorded). `/works?filter=doi:A|B,title.search:…,publication_year:…&search=…&per_page=`:
a list `{meta, results, group_by}`; an unknown filter or a per_page over 200 is a 400 JSON error. Every
answer costs what the priced API charges (a singleton or list call $0.0001, a search $0.001) against a daily
budget ($1 with an `api_key`, $0.01 without), reported in the `X-RateLimit-*` headers; past the budget: 429
until the daily reset. Past 100 requests a second: 429 with Retry-After.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable
from typing import Any, ClassVar

from refkit.model import Reference
from tests.fakeapis.base import FakeApi, Limit, Reply, Request
from tests.fakeapis.text import overlap

NOT_FOUND_PAGE = (
    b"<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>The requested URL was "
    b"not found on the server. If you entered the URL manually please check your spelling and try again.</p>\n"
)
SINGLETON_COST, LIST_COST, SEARCH_COST = 0.0001, 0.0001, 0.001
BUDGET_WITH_KEY, BUDGET_WITHOUT_KEY = 1.0, 0.01
FILTERS = {"doi", "title.search", "publication_year", "ids.openalex"}
MAX_PER_PAGE = 200
DAY = 86400


def work_of(reference: Reference, number: int) -> dict[str, Any]:
    """A Reference as an OpenAlex work (the fields refkit reads, in OpenAlex's shapes)."""
    first, _, last = reference.page.replace("–", "-").partition("-")
    position: dict[str, list[int]] = {}
    for index, word in enumerate(reference.abstract.split()):
        position.setdefault(word, []).append(index)
    return {
        "id": f"https://openalex.org/W{number}",
        "doi": f"https://doi.org/{reference.doi}" if reference.doi else None,
        "title": reference.title,
        "display_name": reference.title,
        "publication_year": reference.year,
        "publication_date": f"{reference.year}-01-01" if reference.year else None,
        "ids": {"openalex": f"https://openalex.org/W{number}"}
        | ({"pmid": f"https://pubmed.ncbi.nlm.nih.gov/{reference.pmid}"} if reference.pmid else {}),
        "type": {"paper-conference": "article", "book": "book", "article": "preprint"}.get(reference.type, "article"),
        "primary_location": {
            "source": {
                "display_name": reference.container_title,
                "issn": list(reference.issn) or None,
                "type": "conference" if reference.type == "paper-conference" else "journal",
                "host_organization_name": reference.publisher or None,
            }
            if reference.container_title
            else None,
            "landing_page_url": f"https://doi.org/{reference.doi}" if reference.doi else None,
        },
        "authorships": [
            {"author_position": "middle", "author": {"display_name": f"{name.given} {name.full_family}".strip()}}
            for name in reference.authors
        ],
        "biblio": {
            "volume": reference.volume or None,
            "issue": reference.issue or None,
            "first_page": first or None,
            "last_page": last or None,
        },
        "is_retracted": False,
        "abstract_inverted_index": position or None,
    }


class FakeOpenAlex(FakeApi):
    name = "openalex"
    LIMITS: ClassVar[dict[str, Limit]] = {"key": Limit(100, 1.0, 100), "anonymous": Limit(100, 1.0, 100)}

    def __init__(self, works: Iterable[dict[str, Any]], **options: Any) -> None:
        super().__init__(**options)
        self.works = list(works)
        self.by_id = {str(work["id"]).rsplit("/", 1)[-1]: work for work in self.works}
        self.by_doi = {
            str(work["doi"]).lower().removeprefix("https://doi.org/"): work for work in self.works if work.get("doi")
        }
        self.spent: dict[str, float] = {}  # USD by pool today
        self._spend_lock = threading.Lock()

    def pool(self, request: Request) -> str:
        return "key" if request.params.get("api_key") else "anonymous"

    def rejected_reply(self, request: Request, wait: float) -> Reply:
        body = {"error": "Rate limit exceeded", "message": "Too many requests per second; slow down."}
        return Reply(429, json.dumps(body).encode(), headers={"Retry-After": "1"})

    def charge(self, request: Request, cost: float) -> Reply | None:
        """Spend `cost` from the pool's daily budget; a 429 once it is gone."""
        pool = self.pool(request)
        budget = BUDGET_WITH_KEY if pool == "key" else BUDGET_WITHOUT_KEY
        with self._spend_lock:
            spent = self.spent.get(pool, 0.0)
            if spent + cost > budget + 1e-12:
                body = {"error": "Rate limit exceeded", "message": f"Daily budget of ${budget:g} used up."}
                return Reply(
                    429, json.dumps(body).encode(), headers={"Retry-After": str(DAY), **self._usage(budget, spent, 0.0)}
                )
            self.spent[pool] = spent + cost
        request.headers["x-cost"] = str(cost)
        return None

    def _usage(self, budget: float, spent: float, cost: float) -> dict[str, str]:
        return {
            "X-RateLimit-Limit": str(round(budget / SINGLETON_COST)),
            "X-RateLimit-Remaining": str(round((budget - spent) / SINGLETON_COST)),
            "X-RateLimit-Credits-Used": str(round(cost / SINGLETON_COST)),
            "X-RateLimit-Cost-USD": f"{cost:g}",
            "X-RateLimit-Limit-USD": f"{budget:g}",
            "X-RateLimit-Remaining-USD": f"{budget - spent:.4f}",
            "X-RateLimit-Reset": str(DAY),
        }

    def route(self, request: Request) -> Reply:
        if request.path.startswith("/works/"):
            return self._paid(request, SINGLETON_COST, self.singleton)
        if request.path.rstrip("/") == "/works":
            searching = "search" in request.params or ".search:" in request.params.get("filter", "")
            return self._paid(request, SEARCH_COST if searching else LIST_COST, self.listing)
        return Reply(404, NOT_FOUND_PAGE, "text/html; charset=utf-8")

    def _paid(self, request: Request, cost: float, answer: Any) -> Reply:
        refused = self.charge(request, cost)
        if refused:
            return refused
        reply: Reply = answer(request)
        pool = self.pool(request)
        budget = BUDGET_WITH_KEY if pool == "key" else BUDGET_WITHOUT_KEY
        reply.headers.update(self._usage(budget, self.spent.get(pool, 0.0), cost))
        return reply

    def singleton(self, request: Request) -> Reply:
        key = request.path.removeprefix("/works/")
        if key.lower().startswith(("doi:", "https://doi.org/")):
            work = self.by_doi.get(key.lower().removeprefix("doi:").removeprefix("https://doi.org/"))
        else:
            work = self.by_id.get(key)
        if work is None:
            return Reply(404, NOT_FOUND_PAGE, "text/html; charset=utf-8")
        return Reply(200, json.dumps(_select(work, request.params.get("select", ""))).encode())

    def listing(self, request: Request) -> Reply:
        per_page = request.params.get("per_page") or request.params.get("per-page") or "25"
        if not per_page.isdigit() or not 1 <= int(per_page) <= MAX_PER_PAGE:
            return _invalid(f"per-page parameter must be between 1 and {MAX_PER_PAGE}")
        found: list[tuple[float, dict[str, Any]]] = [(1.0, work) for work in self.works]
        for part in filter(None, request.params.get("filter", "").split(",")):
            name, _, value = part.partition(":")
            if name not in FILTERS:
                return _invalid(f"{name} is not a valid field. Valid fields are: {', '.join(sorted(FILTERS))}")
            found = _filtered(found, name, value)
        if request.params.get("search"):
            query = request.params["search"]
            found = sorted(
                ((score, work) for _, work in found if (score := overlap(query, str(work["title"]))) > 0.2),
                key=lambda item: -item[0],
            )
        page = [_select(work, request.params.get("select", "")) for _, work in found[: int(per_page)]]
        meta = {
            "count": len(found),
            "db_response_time_ms": 3,
            "page": 1,
            "per_page": int(per_page),
            "groups_count": None,
            "cost_usd": float(request.headers.get("x-cost", "0")),
        }
        return Reply(200, json.dumps({"meta": meta, "results": page, "group_by": []}).encode())


def _filtered(found: list[tuple[float, dict[str, Any]]], name: str, value: str) -> list[tuple[float, dict[str, Any]]]:
    if name == "doi":
        wanted = {item.lower().removeprefix("https://doi.org/") for item in value.split("|")}
        return [(s, w) for s, w in found if str(w.get("doi") or "").lower().removeprefix("https://doi.org/") in wanted]
    if name == "ids.openalex":
        wanted = {item.rsplit("/", 1)[-1] for item in value.split("|")}
        return [(s, w) for s, w in found if str(w["id"]).rsplit("/", 1)[-1] in wanted]
    if name == "publication_year":
        return [(s, w) for s, w in found if str(w.get("publication_year")) in value.split("|")]
    scored = [(overlap(value, str(w["title"])), w) for _, w in found]
    return sorted(((s, w) for s, w in scored if s > 0.2), key=lambda item: -item[0])


def _select(work: dict[str, Any], select: str) -> dict[str, Any]:
    names = [name.strip() for name in select.split(",") if name.strip()]
    return {name: work.get(name) for name in names} if names else work


def _invalid(message: str) -> Reply:
    return Reply(400, json.dumps({"error": "Invalid query parameters error.", "message": message}).encode())
