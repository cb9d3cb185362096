"""Cleaning the text of one tagged span into the value of one field.

The tagger decides where a field starts and ends; these small functions decide what its value is: the
year and its a/b suffix in a date, volume and issue in "355(23)" or "vol. 36, no. 9", a page range with
its abbreviation expanded, an edition number, and titles without their quotes and closing period.
"""

from __future__ import annotations

import re

from refkit.text import MONTH_NUMBERS, expand_pages

_YEAR_RE = re.compile(r"\b(1[5-9]\d\d|20\d\d)([a-z])?(?![\d])")
_WORD_RE = re.compile(r"[^\W\d_]+")
_ISSUE_RE = re.compile(r"(?:\b(?:no|nr|issue|num|number|n|h|heft)\.?\s*|\()([\w\-–/]{1,20})\)?", re.IGNORECASE)
_VOLUME_RE = re.compile(
    r"(?:\b(?:vol|volume|v|bd|t|tome)\.?\s*)?([A-Za-z]?\d[\w\-–/.]{0,15}|[IVXLC]{1,8}\b)", re.IGNORECASE
)
# ACM's "Journal 18, 3 (2016)": volume, comma, issue (a number, a range "4-5", or an issue named "ICFP");
# biblatex's "Journal 12.3 (2019)": volume, full stop, issue
_COMMA_ISSUE_RE = re.compile(
    r"^([A-Za-z]?\d[\w.]{0,8}),\s*(\d{1,4}(?:[-–/]\d{1,4})?|[A-Z]{2,8})$|^(\d{1,4})\.(\d{1,3}(?:[-–]\d{1,3})?)$"
)
_PAGES_RE = re.compile(r"[A-Za-z]{0,4}\d+[A-Za-z]?(?:\s*(?:-{1,3}|[‐‑‒–—−])\s*[A-Za-z]{0,4}\d+[A-Za-z]?)?")
# ACM's article-numbered pages, "104:1–104:29": article 104, its pages 1 to 29
ARTICLE_PAGES_RE = re.compile(r"\b(\d{1,5}):(\d{1,5})\s*(?:-{1,3}|[‐‑‒–—−])\s*\1:(\d{1,5})\b")
_IN_RE = re.compile(r"^(?:in|dans|en)\s*:?\s+(?=\S)", re.IGNORECASE)
_PAGE_WORD_RE = re.compile(r"^\s*(?:pp?|pages?|s|seiten|str)(?:\.\s*|\s+)", re.IGNORECASE)
_EDITION_WORD_RE = re.compile(r"\b(?:edn|ed|edition)\b\.?", re.IGNORECASE)
_DIGITS_RE = re.compile(r"\d+")
_ORDINALS = {
    "first": "1",
    "second": "2",
    "third": "3",
    "fourth": "4",
    "fifth": "5",
    "sixth": "6",
    "seventh": "7",
    "eighth": "8",
    "ninth": "9",
    "tenth": "10",
}
_URL_IN_TITLE_RE = re.compile(r"\s*<?(?:https?://|www\.)[^\s>]+>?")  # "[Title](https://…)" as Markdown writes it
_QUOTES = "\"'“”‘’«»„"
_OUTER = " \t.,;:" + _QUOTES


def clean(value: str) -> str:
    """A span's text without the punctuation and quotes that separate it from its neighbours."""
    value = value.strip(_OUTER)
    if (value.startswith("(") and value.endswith(")")) or (value.startswith("[") and value.endswith("]")):
        value = value[1:-1].strip(_OUTER)
    if value.count("(") < value.count(")") and value.endswith(")"):
        value = value[:-1].strip(_OUTER)
    if value.count("(") > value.count(")") and value.startswith("("):
        value = value[1:].strip(_OUTER)
    return value


def clean_title(value: str) -> str:
    """Quotes, addresses and the closing period go; a closing "?" or "!" belongs to the title and stays."""
    value = _URL_IN_TITLE_RE.sub("", value).strip().strip(_QUOTES + " ,;:")
    value = value.rstrip(".").strip().strip(_QUOTES + " ,;:")
    for marker in (" [Internet]", "[Internet]", " [online]"):
        value = value.removesuffix(marker)
    return value


def clean_container(value: str) -> str:
    """A journal or book title: "In:"/"In" and a trailing "[Internet]" removed."""
    value = _IN_RE.sub("", value.strip())
    return clean_title(value)


def date_parts(value: str) -> tuple[int | None, str, int | None]:
    """Year, its a/b suffix and the month from a date span ("(2006a)", "May 1993", "2017 Mar;")."""
    year = _YEAR_RE.search(value)
    month = next(
        (MONTH_NUMBERS[word] for word in map(str.lower, _WORD_RE.findall(value)) if word in MONTH_NUMBERS), None
    )
    if not year:
        return None, "", month
    return int(year.group(1)), year.group(2) or "", month


def volume_issue(value: str) -> tuple[str, str]:
    """Volume and issue from "355(23)", "vol. 36, no. 9", "17 (5)", "18, 3" (ACM), "12.3" (biblatex), "Suppl 2"."""
    text = value.strip(" .,;:")
    listed = _COMMA_ISSUE_RE.match(text)
    if listed:
        volume, issue = listed.group(1, 2) if listed.group(1) else listed.group(3, 4)
        return volume, issue
    issue = ""
    found = _ISSUE_RE.search(text)
    if (found and found.start() > 0) or (found and text.lower().startswith(("no", "nr", "issue", "n."))):
        issue = found.group(1).strip("–-/")
        text = text[: found.start()] + " " + text[found.end() :]
    volume = _VOLUME_RE.search(text)
    return (volume.group(1).strip(".") if volume else ""), issue


def pages(value: str) -> str:
    """The first page range (or page / article number, or ACM's "104:1–104:29") in a span, dashes normalised,
    abbreviation expanded."""
    text = _PAGE_WORD_RE.sub("", value.strip())
    numbered = ARTICLE_PAGES_RE.search(text)
    if numbered:
        return "{0}:{1}–{0}:{2}".format(*numbered.groups())
    found = _PAGES_RE.search(text)
    return expand_pages(found.group(0)) if found else ""


def edition(value: str) -> str:
    """ "2nd ed." → "2"; "Second edition" → "2"; anything else as written."""
    found = _DIGITS_RE.search(value)
    if found:
        return found.group(0)
    word = value.strip().split(" ")[0].lower().strip(".,")
    return _ORDINALS.get(word, clean(_EDITION_WORD_RE.sub("", value)))
