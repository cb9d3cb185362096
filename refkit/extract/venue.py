"""Where a venue ends, put right where the tagger misplaces it in the BibTeX styles PDFs print.

ACM-Reference-Format writes "In Proceedings of X (GROUP 2010), Jane Doe and Ann Lee (Eds.). ACM, 1–10." and
"Proc. ACM Program. Lang. 4, ICFP (2020), 104:1–104:29.": a conference's acronym whose year reads as a date,
editors that run on from the venue, and a volume and a named issue that stay in it. Each repair takes the
tagger's segments (field → text) and the string they were cut from, and changes them in place.
"""

from __future__ import annotations

import re

from refkit.extract.fields import ARTICLE_PAGES_RE
from refkit.extract.names import PARTICLES
from refkit.text import MONTH_NUMBERS

# A conference's acronym and year, "(GROUP 2010)", "(LFP 1992)", "(FIRE’18)": the rest of one the venue opened,
# whose year the tagger read as a date, or one right after the venue (two capitals at least: no "(Jan 2026)")
_ACRONYM = r"[A-Z][A-Za-z]*[A-Z][\w@]*"
_ACRONYM_YEAR_RE = re.compile(r"[ '’]*(?:\d{4}|\d{2})\)")
_ACRONYM_AFTER_RE = re.compile(rf" \({_ACRONYM}(?:[ '’]+\d{{4}}|[ ]?['’]\d{{2}}| \d{{4}})?\)")
_OPEN_ACRONYM_RE = re.compile(rf"\({_ACRONYM}$")
_YEAR_RE = re.compile(r"^\s*(?:1[5-9]|20)\d\d\W*$")
_EDITORS_MARK_RE = re.compile(r"\s*\((?:eds?|editors?)\.?\)", re.IGNORECASE)
_NAME_WORD_RE = re.compile(r"^(?:[A-ZÀ-Ý][^\s,;:()\d]*|(?:[A-Z]\.-?){1,3})$")
# "Journal 4, ICFP" / "Journal 3, CSCW, Article": ACM's volume and issue (PACMPL and PACMHCI name issues after
# conferences) left at the end of the venue
_VOLUME_ISSUE_END_RE = re.compile(r"^(.*\S)\s+(\d{1,4}),\s*([A-Z]{2,10}|\d{1,4}(?:[-–]\d{1,4})?)(?:,\s*Article)?$")


# Words only a periodical's name has ("Monthly Notices of the Royal Astronomical Society", "ApJ Letters",
# "arXiv e-prints"), or one of the one-word journals
_PERIODICAL_RE = re.compile(
    r"\b(?:journal|notices|letters|transactions|annals|bulletin|e-prints|quarterly|magazine|proceedings|acta)\b"
    r"|\b(?:j|lett|rev|trans|proc|ann|bull)\.|^(?:nature|science|cell|apj|aj|a&a|mnras|pnas)$",
    re.IGNORECASE,
)


def is_periodical(name: str) -> bool:
    """Whether a venue with no title beside it names a journal (AASTeX prints no titles: "Barragán, O., et
    al. 2019, Monthly Notices of the Royal Astronomical Society") rather than being a book's title."""
    return bool(_PERIODICAL_RE.search(name.strip(" .,;:")))


def _span(segments: dict[str, str], name: str, text: str) -> tuple[int, int]:
    """Where a segment's text is in the string (its first occurrence), or (-1, -1)."""
    start = text.find(segments.get(name, "\0"))
    return (start, start + len(segments[name])) if start >= 0 else (-1, -1)


# A title that ends in the first word of an abbreviated journal: "…, bouncing, Annu." + "Rev. Fluid Mech."
_ABBREVIATION_AT_END_RE = re.compile(r",\s+([A-Z][a-z]{0,5})(\.?)$")


def abbreviation_into_venue(segments: dict[str, str], text: str) -> None:
    """APS and AIP print "Title, Annu. Rev. Fluid Mech. 38, 159 (2006)": an abbreviation the tagger gave
    the title, right before the abbreviated journal, is the journal's."""
    title_end = _span(segments, "title", text)[1]
    start, _ = _span(segments, "container", text)
    word = _ABBREVIATION_AT_END_RE.search(segments.get("title", ""))
    between = text[title_end:start].strip() if start > title_end >= 0 else "-"
    if word and between == ("" if word.group(2) else ".") and "." in segments["container"]:
        segments["title"] = segments["title"][: word.start()]
        segments["container"] = f"{word.group(1)}. {segments['container']}"


# AASTeX and MNRAS, which print no titles: "2016a, ApJ, 818" / "2011, ApJS, 192, 3": after the year, the
# journal (MNRAS may print the DOI after it), its volume and the first page
_AAS_PAGE = r"[A-Za-z]{0,2}\d{1,8}"
_AAS_VENUE_RE = re.compile(
    rf",?\s*([A-Z][^,\d()]{{0,60}}?),\s*(?:10\.\d{{4,9}}/[^\s,]+,\s*)?(\d{{1,5}})(?![.\d/])(?:,\s*({_AAS_PAGE}(?:\s*[-–]\s*{_AAS_PAGE})?))?(?=[,.;\s]|$)"
)


def aas_venue_numbers(segments: dict[str, str], text: str) -> None:
    """ "Mann, A. W., et al. 2016a, ApJ, 818": journal, volume and page where the tagger, with no title to
    go by, shifted them (the journal read as a volume, the volume as a page)."""
    end = _span(segments, "date", text)[1]
    found = _AAS_VENUE_RE.match(text, end) if end > 0 and "title" not in segments else None
    if found:
        segments["container"], segments["volume"] = found.group(1), found.group(2)
        if found.group(3):
            segments["pages"] = found.group(3)
        else:
            segments.pop("pages", None)


def acronym_into_venue(segments: dict[str, str], text: str) -> None:
    """ "Conference on Supporting Group Work (GROUP 2010).": the venue keeps its acronym and its year."""
    start, end = _span(segments, "container", text)
    if start < 0:
        return
    pattern = _ACRONYM_YEAR_RE if _OPEN_ACRONYM_RE.search(segments["container"]) else _ACRONYM_AFTER_RE
    rest = pattern.match(text, end)
    if rest:
        segments["container"] += rest.group(0)


def _is_name_list(piece: str) -> bool:
    """ "Stéfan van der Walt and Jarrod Millman", "F. Loizides": natural-order names of two words or more."""
    names = re.split(r"\s+and\s+", piece.removeprefix("and ").strip())
    for name in names:
        words = name.split()
        if not 2 <= len(words) <= 5 or not all(_NAME_WORD_RE.match(w) or w in PARTICLES for w in words):
            return False
        if words[-1] in PARTICLES:
            return False
    return True


def venue_before_editors(segments: dict[str, str], text: str) -> None:
    """ "In Proceedings of X, Austin, TX, USA, Jane Doe and Ann Lee (Eds.).": the venue runs up to the
    editors' names (place and dates included, as the .bib's booktitle holds them), which are the editors."""
    start, _ = _span(segments, "container", text)
    mark = _EDITORS_MARK_RE.search(text, max(start, 0))
    if start < 0 or not mark:
        return
    pages = _span(segments, "pages", text)[0]
    month = text[max(start, pages - 10) : pages].split()[-1:]
    if start <= pages < mark.start() and not (month and month[0].strip(".").lower() in MONTH_NUMBERS):
        return  # pages before the editors (but for the days of "May 26-28"): the "(Eds.)" is another item's
    pieces = text[start : mark.start()].split(", ")
    editors: list[str] = []
    while len(pieces) > 1 and _is_name_list(pieces[-1]):
        editors.insert(0, pieces.pop())
    if not editors:
        return
    for name in ("volume", "location", "date", "pages", "publisher", "note", "editor"):
        first, last = _span(segments, name, text)
        inside = first >= start and last <= mark.start()  # what the tagger read in the venue or the names
        if inside and (name != "volume" or _YEAR_RE.match(segments[name])):  # "Vol. 8843" of a series stays
            del segments[name]
    segments["container"], segments["editor"] = ", ".join(pieces), ", ".join(editors)


def volume_issue_out_of_venue(segments: dict[str, str], text: str) -> None:
    """ACM's "Proc. ACM Program. Lang. 4, ICFP (2020), 104:1–104:29": volume 4, issue ICFP, the pages whole."""
    found = _VOLUME_ISSUE_END_RE.match(segments.get("container", ""))
    if found:
        segments["container"], volume, issue = found.groups()
        segments["volume"] = f"{volume}, {issue}"
    pages = ARTICLE_PAGES_RE.search(text)
    if pages:
        segments["pages"] = pages.group(0)
