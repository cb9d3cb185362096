"""One reference string → one Reference: identifiers by pattern, fields by the tagger, values by cleaners."""

from __future__ import annotations

import re

from refkit.documents.plain import markdown_inline
from refkit.extract import fields, venue
from refkit.extract.identifiers import Match
from refkit.extract.names import parse_names
from refkit.extract.tagger import Prepared, prepare, tag
from refkit.model import Location, Reference
from refkit.text import fold

MAX_REFERENCE_CHARS = 2000  # longer strings are not one reference; only their start is tagged
_PROCEEDINGS_RE = re.compile(
    r"\b(?:proc\.?|proceedings|conference|conf\.|symposium|workshop|congress|"
    r"meeting|colloquium)\b",
    re.IGNORECASE,
)
_THESIS_RE = re.compile(r"\b(?:thesis|dissertation|diss\.|doctoral|ph\.?\s?d|m\.?sc|master'?s)\b", re.IGNORECASE)
_REPORT_RE = re.compile(
    r"\b(?:report|working paper|technical|tech\. rep|memo|white paper|discussion paper)\b", re.IGNORECASE
)
_IN_RE = re.compile(r"^\s*in\b\s*:?\s*", re.IGNORECASE)
_EDITED_RE = re.compile(r"\((?:eds?|editors?|hrsg|coords?)\.?\)", re.IGNORECASE)
_SERVER_AT_END_RE = re.compile(
    r"(?:[.?!]\s+(arXiv|bioRxiv|medRxiv|SSRN|Research Square|Preprints|OSF Preprints)(?: preprint)?)+\W*$",
    re.IGNORECASE,
)
_IMPRINT_RE = re.compile(r"^\s*([A-Z][^:,;()]{1,30}?):\s+([A-Z][^:]{1,80}?)[.,;\s]*$")
# What a title span sometimes takes from its neighbours: "(Editors)." before it, "(Cambridge: CUP" after it.
_TITLE_SPILL_RE = re.compile(
    r"^\s*\(?(?i:eds?|editors?)\)?[.,:]?\s+|\s*\([A-Z][^():]{0,30}:(?:\s*|[^()]*(?:Press|"
    r"University|Verlag|Publish\w*|Books|Routledge|Springer|Wiley|Elsevier)[^()]*\)?[.,]?\s*)$"
)
_PREPRINT_RE = re.compile(r"\b(?:preprint|arxiv|biorxiv|medrxiv|ssrn)\b", re.IGNORECASE)
# APA's status where the year goes, "Brown, P. (in press). Title.": a note, which the tagger took for the title.
_STATUS_RE = re.compile(
    r"\(\s*(in press|under review|in review|in preparation|submitted|forthcoming|(?:provisionally )?accepted)\s*\)\.?",
    re.IGNORECASE,
)


# A Vancouver author list that ran on past its closing period: "Tian S, Lu S, Li C. WeText: …". Two names at
# least, so that a natural-order "Stephen H. Kellert" is never cut.
_VANCOUVER_NAME = r"[^\W\d_][^\s,.;]*(?:\s[^\W\d_][^\s,.;]*){0,3}\s[A-Z]{1,3}(?:-[A-Z]{1,2})?"
_VANCOUVER_OVERRUN_RE = re.compile(rf"^((?:{_VANCOUVER_NAME},\s)+{_VANCOUVER_NAME})\.\s+([A-Z0-9].*)$")
# Vancouver's "2020;21: 335–346." read as a volume "2020;21"
_YEAR_VOLUME_RE = re.compile(r"^\s*((?:1[5-9]|20)\d\d)\s*;\s*(\S.*)$")
# Where a title that ran into the venue ends: "…Data Sharing. Circulation: …" (a word of four letters or more
# before the period, so "J. Chem. Phys." is never cut)
_SENTENCE_END_RE = re.compile(r"(?<=[^\W\d_]{4})[.?!]\s+(?=[A-Z])")
_NAME_LIST_RE = re.compile(r",|;|&|\band\b")  # what joins the names of a list: one name alone may be a title
_EDITION_RE = re.compile(r"\b(?:edition|edn|ed)\b", re.IGNORECASE)


def _title_out_of_authors(segments: dict[str, str]) -> None:
    overrun = _VANCOUVER_OVERRUN_RE.match(segments.get("author", ""))
    if overrun:
        segments["author"], rest = overrun.groups()
        segments["title"] = f"{rest} {segments['title']}" if "title" in segments else rest


def _year_out_of_volume(segments: dict[str, str]) -> None:
    dated = _YEAR_VOLUME_RE.match(segments.get("volume", ""))
    if dated and "date" not in segments:
        segments["date"], segments["volume"] = dated.groups()


def _series_out_of_title(segments: dict[str, str]) -> None:
    """ "Title. Series. Publisher; 2018.": the last sentence of the title is the series (no place, no venue)."""
    ends = list(_SENTENCE_END_RE.finditer(segments.get("title", "")))
    if ends and "publisher" in segments and not segments.keys() & {"container", "location"}:
        head, tail = segments["title"][: ends[-1].start()], segments["title"][ends[-1].end() :]
        if len(head.split()) >= 3 and len(tail.split()) >= 2 and not _EDITION_RE.search(tail):
            segments["title"], segments["container"] = head, tail


def _title_out_of_venue(segments: dict[str, str]) -> None:
    container = segments.get("container", "")
    first, end = container.find(". "), _SENTENCE_END_RE.search(container)
    if "title" not in segments and end and end.start() == first and len(container[:first].split()) >= 4:
        segments["title"], segments["container"] = container[:first], container[end.end() :]


# What the tagger misplaces in Vancouver-style strings, put back.
_VANCOUVER_REPAIRS = (_title_out_of_authors, _year_out_of_volume, _series_out_of_title, _title_out_of_venue)
# And in ACM's (see refkit.extract.venue).
_VENUE_REPAIRS = (
    venue.aas_venue_numbers,
    venue.abbreviation_into_venue,
    venue.acronym_into_venue,
    venue.venue_before_editors,
    venue.volume_issue_out_of_venue,
)


def _segments(prepared: Prepared, labels: list[str]) -> dict[str, str]:
    """The text of each field: its first run of tokens, extended over runs of the same label that are
    separated only by a word or two the tagger left unlabelled ("and" between authors). A second, separate
    title run is kept as "title2"."""
    runs: list[tuple[str, int, int]] = []  # label, first token, last token
    for index, label in enumerate(labels):
        if runs and runs[-1][0] == label:
            runs[-1] = (label, runs[-1][1], index)
        else:
            runs.append((label, index, index))
    found: dict[str, tuple[int, int]] = {}
    closed: set[str] = set()
    for position, (label, first, last) in enumerate(runs):
        if label == "other" or label in closed:
            continue
        if label not in found:
            found[label] = (first, last)
        elif (
            runs[position - 1][0] == "other"
            and runs[position - 1][2] - runs[position - 1][1] < 2
            and position >= 2
            and runs[position - 2][0] == label
        ):
            found[label] = (found[label][0], last)
        else:
            closed.add(label)
            if label == "title" and "title2" not in found:
                found["title2"] = (first, last)  # a second title: the book a chapter is in
    spans = prepared.spans
    return {label: prepared.text[spans[first][0] : spans[last][1]] for label, (first, last) in found.items()}


def _identifiers(matches: list[Match]) -> dict[str, str]:
    values: dict[str, str] = {}
    for match in matches:
        if match.kind != "access":
            values.setdefault(match.kind, match.value)
    return values


def infer_type(segments: dict[str, str], ids: dict[str, str], has_editors: bool) -> str:
    """A CSL type from which fields are present and the words around them."""
    genre = segments.get("genre", "") + " " + segments.get("note", "")
    container = segments.get("container", "")
    if _THESIS_RE.search(genre) or _THESIS_RE.search(segments.get("publisher", "")):
        return "thesis"
    if _REPORT_RE.search(genre):
        return "report"
    located = bool(segments.keys() & {"volume", "pages"})
    if container:
        if _PROCEEDINGS_RE.search(container):
            return "paper-conference"
        if _PREPRINT_RE.search(container):
            return "article"
        if (
            has_editors
            or _IN_RE.match(container)
            or "isbn" in ids
            or (segments.get("publisher") and not segments.get("volume"))
        ):
            return "chapter"
        if "url" in ids and "doi" not in ids and not located:
            return "post-weblog" if "blog" in container.lower() else "webpage"
        return "article-journal"
    if "arxiv" in ids or _PREPRINT_RE.search(genre + " " + segments.get("title", "")[-40:]):
        return "article"
    if segments.get("publisher") or segments.get("location") or segments.get("edition") or "isbn" in ids:
        return "book"
    if "url" in ids and not segments.get("volume"):
        return "webpage"
    return "article-journal" if segments.get("volume") or segments.get("pages") else "document"


def parse_reference(text: str, *, file: str | None = None, line: int | None = None) -> Reference:
    """Parse one free-text reference in any supported style; the input is kept in `raw`. Markdown and HTML
    markup (`*Journal,*`, `[title](url)`, `<i>…</i>`) is read as the text it marks, never into a field."""
    raw = " ".join(text.split())
    plain = " ".join(markdown_inline(raw).split())
    status = _STATUS_RE.search(plain)
    if status:
        plain = " ".join((plain[: status.start()] + " " + plain[status.end() :]).split())
    prepared = prepare(plain[:MAX_REFERENCE_CHARS])
    segments = _segments(prepared, tag(prepared))
    ids = _identifiers(prepared.identifiers)
    for repair in _VANCOUVER_REPAIRS:
        repair(segments)
    for venue_repair in _VENUE_REPAIRS:
        venue_repair(segments, prepared.text)
    if "container" not in segments and "title2" in segments:
        segments["container"] = segments["title2"]
    imprint = _IMPRINT_RE.match(segments.get("container", ""))
    if imprint and not segments.keys() & {"publisher", "location", "volume", "pages"}:  # "Düsseldorf: Artemis"
        del segments["container"]
        segments["location"], segments["publisher"] = imprint.groups()
    if segments.keys() <= {"author", "date"} and not _NAME_LIST_RE.search(segments.get("author", ",")):
        segments["title"] = segments.pop("author")  # "Graphviz. https://www.graphviz.org/.": a title alone
    if (
        "title" not in segments
        and "container" in segments
        and not segments.keys() & {"volume", "pages"}
        and not venue.is_periodical(segments["container"])
    ):
        segments["title"] = segments.pop("container")  # a book: its title was taken for a venue
    server = _SERVER_AT_END_RE.search(segments.get("title", ""))
    # "Title. medRxiv": the preprint server ran into the title (Vancouver prints it twice: "Title. arXiv. arXiv;")
    if server and fold(segments.get("container", server.group(1))) == fold(server.group(1)):
        segments["title"], segments["container"] = segments["title"][: server.start()], server.group(1)
    authors, truncated = parse_names(segments.get("author", ""))
    editors, _ = parse_names(_IN_RE.sub("", segments.get("editor", "")))
    if not editors and _EDITED_RE.search(segments.get("author", "")):
        authors, editors = [], authors  # "Smith, J. A. (Ed.)": an edited book
    year, year_suffix, month = fields.date_parts(segments.get("date", ""))
    volume, issue = fields.volume_issue(segments.get("volume", ""))
    kind = infer_type(segments, ids, bool(editors))
    genre = ""
    if kind in ("thesis", "report"):
        genre = next(
            (
                fields.clean(segments[name])
                for name in ("genre", "note")
                if name in segments and (_THESIS_RE.search(segments[name]) or _REPORT_RE.search(segments[name]))
            ),
            "",
        )
    return Reference(
        type=kind,
        title=fields.clean_title(_TITLE_SPILL_RE.sub("", segments.get("title", ""))),
        authors=authors,
        authors_truncated=truncated,
        editors=editors,
        container_title=fields.clean_container(segments.get("container", "")),
        year=year,
        year_suffix=year_suffix,
        month=month,
        volume=volume,
        issue=issue,
        page=fields.pages(segments.get("pages", "")),
        edition=fields.edition(segments["edition"]) if "edition" in segments else "",
        doi=ids.get("doi", ""),
        url=ids.get("url", ""),
        isbn=ids.get("isbn", ""),
        pmid=ids.get("pmid", ""),
        pmcid=ids.get("pmcid", ""),
        arxiv=ids.get("arxiv", ""),
        publisher=fields.clean(segments.get("publisher", "")),
        publisher_place=fields.clean(segments.get("location", "")),
        genre=genre,
        note=fields.clean(segments.get("note", "")) or (status.group(1).lower() if status else ""),
        raw=raw,
        location=Location(file=file, line=line),
    )
