"""A fake arXiv API: `GET /api/query` with `id_list` (comma-separated, old and new ids, with or without a
version) and/or `search_query` (`ti:`, `au:`, `all:` terms joined by AND), `start`, `max_results`; answers an
Atom feed laid out as the 2026 backend writes it. An unknown well-formed id is simply absent (200, total 0); a
malformed one is a 400 with a one-entry error feed. Limits: one request per three seconds, one connection."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, ClassVar
from xml.sax.saxutils import escape

from refkit.text import fold
from tests.fakeapis.base import FakeApi, Limit, Reply, Request

_NEW = re.compile(r"^\d{4}\.\d{4,5}(v\d+)?$")
_OLD = re.compile(r"^[a-z][a-z\-]*(\.[A-Z]{2})?/\d{7}(v\d+)?$")
_TERM = re.compile(r"(ti|au|abs|all):(\"[^\"]*\"|\S+)")
_WORD = re.compile(r"[^\W_]+")


@dataclass(slots=True)
class Entry:
    id: str  # with its version: 2104.12255v1
    title: str
    authors: list[str]  # as arXiv writes them: "Caprice Stanley"
    published: str  # 2016-05-26T17:59:46Z
    summary: str = ""
    categories: list[str] = field(default_factory=lambda: ["cs.LG"])
    journal_ref: str = ""
    doi: str = ""

    @property
    def base(self) -> str:
        return re.sub(r"v\d+$", "", self.id)


def _feed(title: str, entries: list[Entry], total: int, start: int, per_page: int, link: str) -> bytes:
    lines = [
        "<?xml version='1.0' encoding='UTF-8'?>",
        '<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom"'
        ' xmlns="http://www.w3.org/2005/Atom">',
        "  <id>https://arxiv.org/api/fakefeed</id>",
        f"  <title>arXiv Query: {escape(title)}</title>",
        "  <updated>2026-04-12T22:10:19Z</updated>",
        f'  <link href="https://arxiv.org/api/query?{escape(link)}" type="application/atom+xml"/>',
        f"  <opensearch:itemsPerPage>{per_page}</opensearch:itemsPerPage>",
        f"  <opensearch:totalResults>{total}</opensearch:totalResults>",
        f"  <opensearch:startIndex>{start}</opensearch:startIndex>",
    ]
    for entry in entries:
        lines += [
            "  <entry>",
            f"    <id>http://arxiv.org/abs/{entry.id}</id>",
            f"    <title>{escape(entry.title)}</title>",
            f"    <updated>{entry.published}</updated>",
            f'    <link href="https://arxiv.org/abs/{entry.id}" rel="alternate" type="text/html"/>',
            f'    <link href="https://arxiv.org/pdf/{entry.id}" rel="related" type="application/pdf" title="pdf"/>',
            f"    <summary>{escape(entry.summary)}</summary>",
            *(f'    <category term="{c}" scheme="http://arxiv.org/schemas/atom"/>' for c in entry.categories),
            f"    <published>{entry.published}</published>",
            *([f"    <arxiv:journal_ref>{escape(entry.journal_ref)}</arxiv:journal_ref>"] if entry.journal_ref else []),
            *([f"    <arxiv:doi>{escape(entry.doi)}</arxiv:doi>"] if entry.doi else []),
            f'    <arxiv:primary_category term="{entry.categories[0]}"/>',
            *(f"    <author>\n      <name>{escape(name)}</name>\n    </author>" for name in entry.authors),
            "  </entry>",
        ]
    lines.append("</feed>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _error_feed(identifier: str) -> bytes:
    return (
        "<?xml version='1.0' encoding='UTF-8'?>\n"
        '<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom"'
        ' xmlns="http://www.w3.org/2005/Atom">\n'
        "  <id>https://arxiv.org/</id>\n  <title>arXiv Search Results</title>\n"
        "  <updated>2026-04-12T22:59:06Z</updated>\n"
        "  <opensearch:itemsPerPage>1</opensearch:itemsPerPage>\n"
        "  <opensearch:totalResults>1</opensearch:totalResults>\n"
        "  <opensearch:startIndex>0</opensearch:startIndex>\n  <entry>\n"
        f"    <id>https://arxiv.org/api/errors#incorrect_id_format_for_{escape(identifier)}</id>\n"
        "    <title>Error</title>\n    <updated>2026-04-12T22:59:06Z</updated>\n"
        f'    <link href="https://arxiv.org/api/errors#incorrect_id_format_for_{escape(identifier)}" rel="alternate"'
        ' type="text/html"/>\n'
        f"    <summary>incorrect id format for {escape(identifier)}</summary>\n"
        "    <author>\n      <name>arXiv api core</name>\n    </author>\n  </entry>\n</feed>\n"
    ).encode()


def _words(text: str) -> set[str]:
    return set(_WORD.findall(fold(text)))


class FakeArxiv(FakeApi):
    name = "arxiv"
    LIMITS: ClassVar[dict[str, Limit]] = {"default": Limit(1, 3.0, 1)}

    def __init__(self, entries: list[Entry], **options: Any) -> None:
        super().__init__(**{"enforce_limits": False, **options})
        self.entries = entries
        self.by_id: dict[str, Entry] = {}
        for entry in entries:  # the base id names the latest version
            self.by_id[entry.id] = entry
            self.by_id[entry.base] = entry

    def route(self, request: Request) -> Reply:
        path, params = request.path, request.params
        if path.rstrip("/") != "/api/query":
            return Reply(404, b"Not Found", "text/plain")
        start, count = int(params.get("start", "0") or 0), int(params.get("max_results", "10") or 10)
        ids = [part for part in params.get("id_list", "").split(",") if part]
        for identifier in ids:
            if not (_NEW.match(identifier) or _OLD.match(identifier)):
                return Reply(400, _error_feed(identifier), "application/atom+xml; charset=utf-8")
        found = [self.by_id[i] for i in ids if i in self.by_id] if ids else list(self.entries)
        query = params.get("search_query", "")
        if query:
            found = [entry for entry in found if self._matches(entry, query)]
        elif not ids:
            found = []
        page = found[start : start + count]
        link = "&".join(f"{name}={value}" for name, value in params.items())
        body = _feed(link, page, len(found), start, count, link)
        return Reply(200, body, "application/atom+xml; charset=utf-8")

    def _matches(self, entry: Entry, query: str) -> bool:
        """Every term must match: its words all in the field (`all` = title, authors and summary)."""
        for field_name, value in _TERM.findall(query):
            text = {"ti": entry.title, "au": " ".join(entry.authors), "abs": entry.summary}.get(
                field_name, f"{entry.title} {' '.join(entry.authors)} {entry.summary}"
            )
            if not _words(value.strip('"')) <= _words(text):
                return False
        return True
