"""What a Crossref answer must look like before anything in it is believed.

An HTML error page, `message: {}`, a list where a record belongs or a page number given as a list are not
evidence about a work: read as if they were, they became "not registered", "may not exist" or mis-citation
findings, and were cached for a month. Every answer is checked here against the shape of the API's
responses, as far as refkit reads them (the fields `records.to_reference` and `records.updates` convert, and
matching compares); one that does not fit is *malformed*: the entry could not be checked, and the answer is
never kept in the cache.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit


class Endpoint(StrEnum):
    """The three answers refkit asks Crossref for, told apart by their path."""

    WORK = "work"  # /works/{doi}
    AGENCY = "work-agency"  # /works/{doi}/agency
    LIST = "work-list"  # /works?filter=… or ?query…


def endpoint(url: str) -> Endpoint:
    path = urlsplit(url).path.rstrip("/")
    if path.endswith("/works"):
        return Endpoint.LIST
    return Endpoint.AGENCY if path.endswith("/agency") else Endpoint.WORK


@dataclass(slots=True)
class Reply:
    """A decoded Crossref answer: the envelope's `message`, a plain 404, or why there is no answer."""

    status: int  # HTTP status; 0 when no response arrived
    message: Any = None
    reason: str = ""
    malformed: bool = False  # an answer arrived but is not one: never cached, never evidence

    @property
    def ok(self) -> bool:
        return self.status == 200 and not self.reason


def malformed(status: int, detail: str) -> Reply:
    return Reply(status, reason=f"{detail}: a malformed answer from Crossref", malformed=True)


def read_answer(kind: Endpoint, status: int, content_type: str, body: bytes, phrase: str = "") -> Reply:
    """The Reply a response with this status, Content-Type and body makes, its shape checked for `kind`."""
    media = content_type.split(";")[0].strip().lower()
    if status == 404:  # Crossref says "Resource not found." in plain text; a web page is someone else's
        return malformed(404, "an HTML page, not Crossref's 404") if "html" in media else Reply(404)
    if status == 400:
        return Reply(400, reason=f"Crossref rejected the request: {_validation_messages(body)}")
    if status != 200:
        return Reply(status, reason=f"HTTP {status} {phrase}".rstrip())
    if "json" not in media:
        return malformed(status, f"expected JSON, got {media or 'no content type'}")
    try:
        envelope = json.loads(body)
    except (ValueError, RecursionError):
        return malformed(status, f"malformed or truncated JSON, {len(body)} bytes")
    if not isinstance(envelope, dict) or envelope.get("status") != "ok" or "message" not in envelope:
        return malformed(status, "unexpected JSON: not a Crossref response")
    if envelope.get("message-type", kind.value) != kind.value:
        return malformed(status, f"a {str(envelope.get('message-type'))[:40]!r} where a {kind.value} belongs")
    problem = _CHECKS[kind](envelope["message"])
    return malformed(status, problem) if problem else Reply(status, envelope["message"])


def _validation_messages(body: bytes) -> str:
    try:
        messages = json.loads(body).get("message")
    except (ValueError, AttributeError, RecursionError):
        return body[:200].decode("utf-8", "replace").strip() or "HTTP 400"
    if isinstance(messages, list):
        return "; ".join(str(m.get("message", m)).strip() if isinstance(m, dict) else str(m) for m in messages)
    return str(messages).strip()


# -- shapes ------------------------------------------------------------------------------------------------

TEXT_FIELDS = (
    "DOI", "URL", "type", "volume", "issue", "page", "article-number", "edition-number", "publisher",
    "publisher-location", "abstract",
)  # fmt: skip
TEXT_LIST_FIELDS = ("title", "subtitle", "container-title", "short-container-title", "ISSN", "ISBN")
PEOPLE_FIELDS = ("author", "editor")
DATE_FIELDS = ("issued", "published-print", "published-online", "published", "posted")
NOTICE_FIELDS = ("update-to", "updated-by")
NAME_PARTS = ("family", "given", "suffix", "name")


def work_problem(record: Any) -> str:
    """What is wrong with one work record, or "" when refkit can read it as Crossref writes it."""
    if not isinstance(record, dict):
        return f"a work is a {_kind(record)}, not an object"
    if not isinstance(record.get("DOI"), str) or not record["DOI"].strip():
        return "a work without a DOI"
    for name in TEXT_FIELDS:
        if record.get(name) is not None and not isinstance(record[name], str):
            return f"{name} is a {_kind(record[name])}, not a string"
    for name in TEXT_LIST_FIELDS:
        if name in record and not _all(record[name], lambda item: isinstance(item, str)):
            return f"{name} is not a list of strings"
    for name in PEOPLE_FIELDS:
        if name in record and not _all(record[name], _person):
            return f"{name} is not a list of people"
    for name in DATE_FIELDS:
        if name in record and not _date(record[name]):
            return f"{name} is not a Crossref date"
    for name in NOTICE_FIELDS:
        if name in record and not _all(record[name], _notice):
            return f"{name} is not a list of update notices"
    if "relation" in record and not _relations(record["relation"]):
        return "relation is not an object of lists"
    score = record.get("score")
    if score is not None and (isinstance(score, bool) or not isinstance(score, int | float)):
        return "score is not a number"
    return ""


def list_problem(message: Any) -> str:
    if not isinstance(message, dict):
        return f"message is a {_kind(message)}, not an object"
    items = message.get("items")
    if not isinstance(items, list):
        return f"items is a {_kind(items)}, not a list"
    for number, item in enumerate(items, start=1):
        if problem := work_problem(item):
            return f"item {number}: {problem}"
    return ""


def agency_problem(message: Any) -> str:
    agency = message.get("agency") if isinstance(message, dict) else None
    if not isinstance(agency, dict) or not isinstance(agency.get("id"), str):
        return "no agency id"
    if agency.get("label") is not None and not isinstance(agency["label"], str):
        return "the agency label is not a string"
    return ""


_CHECKS: dict[Endpoint, Callable[[Any], str]] = {
    Endpoint.WORK: work_problem,
    Endpoint.AGENCY: agency_problem,
    Endpoint.LIST: list_problem,
}


def _kind(value: Any) -> str:
    return {dict: "object", list: "list", str: "string", type(None): "null"}.get(type(value), type(value).__name__)


def _all(value: Any, check: Callable[[Any], bool]) -> bool:
    return isinstance(value, list) and all(check(item) for item in value)


def _person(value: Any) -> bool:
    return isinstance(value, dict) and all(
        value.get(part) is None or isinstance(value[part], str) for part in NAME_PARTS
    )


def _date(value: Any) -> bool:
    """{"date-parts": [[2001, 4, 5]]}; Crossref writes [[null]] for a date it lacks."""
    parts = value.get("date-parts") if isinstance(value, dict) else None
    return _all(parts, lambda part: _all(part, lambda number: number is None or _integer(number)))


def _integer(value: Any) -> bool:
    return (isinstance(value, int) and not isinstance(value, bool)) or (isinstance(value, str) and value.isdigit())


def _notice(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and all(value.get(name) is None or isinstance(value[name], str) for name in ("DOI", "type", "label", "source"))
        and ("updated" not in value or _date(value["updated"]))
    )


def _relations(value: Any) -> bool:
    return isinstance(value, dict) and all(
        _all(items, lambda item: isinstance(item, dict) and isinstance(item.get("id", ""), str))
        for items in value.values()
    )
