"""A fake DBLP publication search: `GET /search/publ/api?q=…&format=json&h=…&f=…` answers DBLP's JSON, laid
out one key per line as DBLP prints it, with its XML-to-JSON convention (one hit or one author is an object,
several a list). Every query word must be a prefix of a word of the record (title, authors, venue, year), as
DBLP's implicit `word*` search does. Limits: DBLP asks for a second between requests; past that, 429 with
Retry-After."""

from __future__ import annotations

import json
import re
from typing import Any, ClassVar

from refkit.text import fold
from tests.fakeapis.base import FakeApi, Limit, Reply, Request

_WORD = re.compile(r"[^\W_]+")


def info(
    key: str,
    title: str,
    authors: list[str],
    venue: str,
    year: int | str,
    *,
    kind: str = "Conference and Workshop Papers",
    doi: str = "",
    pages: str = "",
) -> dict[str, Any]:
    """A hit's `info` in DBLP's shape (title with its closing full stop; authors as {"@pid", "text"})."""
    record: dict[str, Any] = {
        "authors": {"author": [{"@pid": f"00/{n}", "text": name} for n, name in enumerate(authors)]},
        "title": title if title.endswith((".", "?", "!")) else title + ".",
        "venue": venue,
        "year": str(year),
        "type": kind,
        "access": "closed",
        "key": key,
    }
    if pages:
        record["pages"] = pages
    if doi:
        record["doi"], record["ee"] = doi, f"https://doi.org/{doi}"
    record["url"] = f"https://dblp.org/rec/{key}"
    return record


def _one_or_many(items: list[Any]) -> Any:
    return items[0] if len(items) == 1 else items


def dblp_json(value: Any, depth: int = 0) -> str:
    """DBLP's layout: every key of the envelope on its own line, each hit's `info` compact."""
    if isinstance(value, dict) and depth < 4:
        inner = ",\n".join(
            f"{json.dumps(key)}:" + (json.dumps(item, ensure_ascii=False, separators=(",", ":")) if key == "info"
                                      else dblp_json(item, depth + 1))
            for key, item in value.items()
        )  # fmt: skip
        return "{\n" + inner + "\n}"
    if isinstance(value, list) and depth < 4:
        return "[" + ",\n".join(dblp_json(item, depth + 1) for item in value) + "\n]"
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class FakeDblp(FakeApi):
    name = "dblp"
    LIMITS: ClassVar[dict[str, Limit]] = {"default": Limit(1, 1.0, 2)}

    def __init__(self, records: list[dict[str, Any]], **options: Any) -> None:
        super().__init__(**{"enforce_limits": False, **options})
        self.records = records
        self._words = [self._record_words(record) for record in records]

    @staticmethod
    def _record_words(record: dict[str, Any]) -> list[str]:
        authors = record.get("authors", {}).get("author", [])
        names = " ".join(a["text"] for a in (authors if isinstance(authors, list) else [authors]))
        return _WORD.findall(fold(f"{record['title']} {names} {record.get('venue', '')} {record.get('year', '')}"))

    def route(self, request: Request) -> Reply:
        path, params = request.path, request.params
        if path.rstrip("/") != "/search/publ/api":
            return Reply(404, b"Not Found", "text/html")
        words = _WORD.findall(fold(params.get("q", "")))
        first, size = int(params.get("f", "0") or 0), min(1000, int(params.get("h", "30") or 30))
        found = [
            record
            for record, own in zip(self.records, self._words, strict=True)
            if words and all(any(w.startswith(word) for w in own) for word in words)
        ]
        page = found[first : first + size]
        hits: dict[str, Any] = {
            "@total": str(len(found)), "@computed": str(min(len(found), 1000)), "@sent": str(len(page)),
            "@first": str(first),
        }  # fmt: skip
        if page:
            hits["hit"] = _one_or_many(
                [
                    {"@score": str(len(words)), "@id": str(1000 + index), "info": self._shown(record),
                     "url": f"URL#{1000 + index}"}
                    for index, record in enumerate(page)
                ]
            )  # fmt: skip
        answer = {
            "result": {
                "query": " ".join(f"{word}*" for word in words),
                "status": {"@code": "200", "text": "OK"},
                "time": {"@unit": "msecs", "text": "1.00"},
                "completions": {"@total": "0", "@computed": "0", "@sent": "0"},
                "hits": hits,
            }
        }
        return Reply(200, dblp_json(answer).encode("utf-8"), "application/json")

    @staticmethod
    def _shown(record: dict[str, Any]) -> dict[str, Any]:
        """One author is an object, not a list of one (DBLP's XML-to-JSON convention)."""
        authors = record.get("authors", {}).get("author", [])
        if isinstance(authors, list) and len(authors) == 1:
            return {**record, "authors": {"author": authors[0]}}
        return record
