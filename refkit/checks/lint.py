"""Offline lint rules: what can be said about a .bib file without asking anyone.

Each rule is registered data (id, name, severity, message) plus one small check below it. Checks are pure:
they read a parsed Bibliography and yield Findings; they never open files or sockets.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

from refkit.bib.read import MAX_CONCATENATED_CHARS, BibEntry, Bibliography
from refkit.checks.registry import Rule, Where, register
from refkit.model import Finding, Reference
from refkit.model import Severity as S
from refkit.text import ARXIV_ID, MONTH_NAMES, balanced_braces, fold, normalize_doi, unbrace

SYNTAX = register(
    Rule(
        "RK101",
        "syntax-error",
        S.ERROR,
        summary="A block of the file cannot be parsed.",
        template="block at line {line} cannot be parsed: {detail}",
        explanation="bibtexparser could not read the block, so BibTeX and biber will also stumble on it or "
        "silently drop "
        "the entry. Usually a missing comma, brace or quote; the line is where the block starts.",
    )
)
DUPLICATE_KEY = register(
    Rule(
        "RK102",
        "duplicate-key",
        S.ERROR,
        summary="Two entries share a citation key.",
        template="{key}: key already used by the entry at line {first_line}",
        explanation="BibTeX keeps only the first entry with a given key; citations of the second silently "
        "resolve to the "
        "first. Rename one of them.",
    )
)
DUPLICATE_FIELD = register(
    Rule(
        "RK103",
        "duplicate-field",
        S.ERROR,
        summary="An entry gives the same field twice.",
        template="{key}: {detail}",
        explanation="With the same field twice, BibTeX tools disagree about which value wins. Keep one.",
    )
)
UNBALANCED = register(
    Rule(
        "RK104",
        "unbalanced-braces",
        S.ERROR,
        summary="A field value has unbalanced braces.",
        template="{key}: braces in {field} do not balance",
        explanation="An unbalanced brace inside a value makes BibTeX read past the end of the field and corrupts the "
        "entries after it.",
    )
)
UNDEFINED_MACRO = register(
    Rule(
        "RK105",
        "undefined-macro",
        S.WARNING,
        summary="A field uses a @string macro that is not defined.",
        template="{key}: {field} uses undefined macro '{macro}'",
        explanation="A bare word as a value is a @string macro; if it is not defined BibTeX prints a warning "
        "and leaves "
        "the field empty. Define the macro or put the value in braces.",
    )
)
UNKNOWN_TYPE = register(
    Rule(
        "RK106",
        "unknown-entry-type",
        S.WARNING,
        summary="The entry type is neither BibTeX nor biblatex.",
        template="{key}: unknown entry type @{entry_type}",
        explanation="Styles do not know how to format an unknown type and fall back to @misc, losing fields. "
        "Use a BibTeX "
        "or biblatex type.",
    )
)
CYCLE = register(
    Rule(
        "RK107",
        "reference-cycle",
        S.ERROR,
        summary="@string macros or crossref parents refer to each other in a cycle.",
        template="{detail}",
        explanation="A macro defined through itself (`@string{a = b} @string{b = a}`), or entries that name "
        "each other as `crossref` parent, have no value BibTeX can compute: BibTeX and biber warn and leave "
        "the fields empty or loop. refkit reads each member once, without following the cycle (the members "
        "inherit nothing from each other). Break the cycle.",
    )
)
TOO_LARGE = register(
    Rule(
        "RK108",
        "expansion-too-large",
        S.ERROR,
        summary="Concatenated @string macros expand to an implausibly large value.",
        template="{detail} is not read: its concatenated @string macros expand past {limit:,} characters",
        explanation="Macros that concatenate each other (`@string{a1 = a0 # a0}`, `a2 = a1 # a1`, …) double "
        "at each level and would fill any memory. A value built by `#` concatenation may hold "
        f"{MAX_CONCATENATED_CHARS:,} characters, and all concatenations of a file together 16 million (or "
        "four times the file's size); past that the value is left out and the rest of the file is read as "
        "usual. Reported once for the first macro too large, and for each entry field that uses one.",
    )
)
EMPTY_KEY = register(
    Rule(
        "RK109",
        "empty-key",
        S.ERROR,
        summary="An entry has no citation key.",
        template="entry at line {line} has no citation key",
        explanation="`@article{,` cannot be cited, and BibTeX tools disagree on what to do with it (some "
        "merge its fields into the entries around it). refkit reads it as an entry of its own, never "
        "edits it, and exports it with an empty key. Give it a key.",
    )
)
MISSING_FIELD = register(
    Rule(
        "RK201",
        "missing-required-field",
        S.WARNING,
        summary="A field the entry type requires is missing.",
        template="{key}: @{entry_type} requires {field}",
        explanation="The BibTeX/biblatex data model requires these fields for the type; styles print an incomplete "
        "reference without them. Alternatives (journal or journaltitle, year or date) are accepted; fields "
        "inherited through crossref count.",
    )
)
EMPTY_FIELD = register(
    Rule(
        "RK202",
        "empty-field",
        S.WARNING,
        summary="A field is present but empty.",
        template="{key}: {field} is empty",
        explanation="An empty field is usually a template left unfilled, and some styles print empty punctuation "
        "for it.",
    )
)
BAD_DOI = register(
    Rule(
        "RK203",
        "malformed-doi",
        S.ERROR,
        summary="The DOI is not of the form 10.NNNN/suffix.",
        template="{key}: malformed DOI '{written}'",
        explanation="A DOI is 10., a registrant code of 4–9 digits, a slash and a suffix without spaces. A "
        "malformed DOI "
        "cannot resolve, and is a common sign of an invented reference.",
    )
)
BAD_ISSN = register(
    Rule(
        "RK204",
        "malformed-issn",
        S.ERROR,
        summary="An ISSN has the wrong form or check digit.",
        template="{key}: invalid ISSN '{written}' ({detail})",
        explanation="An ISSN is NNNN-NNNC where C is a mod-11 check digit (X for 10); a wrong check digit means "
        "a typo.",
    )
)
BAD_ISBN = register(
    Rule(
        "RK205",
        "malformed-isbn",
        S.ERROR,
        summary="An ISBN has the wrong length or check digit.",
        template="{key}: invalid ISBN '{written}' ({detail})",
        explanation="ISBN-10 uses a mod-11 and ISBN-13 a mod-10 check digit; a wrong one means a typo or an invented "
        "ISBN.",
    )
)
BAD_URL = register(
    Rule(
        "RK206",
        "malformed-url",
        S.WARNING,
        summary="A URL is not an absolute http(s)/ftp URL.",
        template="{key}: malformed URL '{written}'",
        explanation="Links must be absolute http(s) or ftp URLs without spaces to work in the printed bibliography.",
    )
)
IDENTIFIER_ELSEWHERE = register(
    Rule(
        "RK207",
        "identifier-in-other-field",
        S.INFO,
        summary="An isbn field holds an ISSN, or an issn field an ISBN.",
        template="{key}: {field} holds {detail} '{written}'",
        explanation="RIS has one tag (SN) for both, so Mendeley, EndNote and PubMed exports write a journal's ISSN "
        "into `isbn` (and ACM a proceedings ISBN into `issn`). The identifier is valid, so this is no error; "
        "move it to the field it belongs in if your style prints it.",
    )
)
FUTURE_YEAR = register(
    Rule(
        "RK301",
        "future-year",
        S.ERROR,
        summary="The year lies in the future.",
        template="{key}: year {written} is in the future",
        explanation="A publication date more than a year ahead cannot be right; invented references often carry "
        "one. Next "
        "year's date is accepted because journals publish issues ahead of their cover date. Both `year` and "
        "biblatex's `date` are read.",
    )
)
ANCIENT_YEAR = register(
    Rule(
        "RK302",
        "implausible-year",
        S.WARNING,
        summary="The year is before 1450.",
        template="{key}: year {written} is implausibly early",
        explanation="Years before printing (1450) are almost always typos (e.g. 1098 for 1998).",
    )
)
BAD_YEAR = register(
    Rule(
        "RK303",
        "malformed-year",
        S.ERROR,
        summary="The year is not a four-digit year.",
        template="{key}: year '{written}' is not a four-digit year",
        explanation="The year field should hold a four-digit year, optionally with an a/b suffix used by author-date "
        "styles; put full dates in `date`.",
    )
)
BAD_MONTH = register(
    Rule(
        "RK304",
        "malformed-month",
        S.WARNING,
        summary="The month is not 1–12, a month name or a BibTeX month macro.",
        template="{key}: month '{written}' is not a month",
        explanation="Use a number 1–12, a month name, or the BibTeX macros jan…dec (without braces).",
    )
)
BAD_PAGES = register(
    Rule(
        "RK305",
        "malformed-pages",
        S.WARNING,
        summary="The pages are not a page, range or list.",
        template="{key}: pages '{written}' is not a page range",
        explanation="Pages should be a page, a range (123--129, S12--S19, e1234) or a list of them.",
    )
)
REVERSED_PAGES = register(
    Rule(
        "RK306",
        "reversed-page-range",
        S.ERROR,
        summary="A page range ends before it starts.",
        template="{key}: page range '{written}' ends before it starts",
        explanation="A range whose last page is before its first is a typo; an abbreviated end (1029--35) is fine.",
    )
)
YEAR_NOT_A_NUMBER = register(
    Rule(
        "RK307",
        "year-not-a-number",
        S.INFO,
        summary="The year is a range, an approximate year, a status such as 'in press', or 'n.d.'.",
        template="{key}: year '{written}' is {reading}; styles print it as written, but it cannot be compared "
        "with a record's year",
        explanation="Humanities and manuscript bibliographies write `1918--1922`, `c. 1850`, `18XX`, `n.d.`, "
        "`forthcoming` or `in press` in `year`. BibTeX prints these as written, so they are accepted; only a "
        "single year can be checked against Crossref. biblatex's `date` field holds ranges and approximate "
        "dates in a form software can read (`date = {1918/1922}`, `date = {1850~}`), and `urldate` the day a web "
        "page was read (Vancouver's `cited 2015`).",
    )
)
ET_AL = register(
    Rule(
        "RK401",
        "et-al-in-authors",
        S.WARNING,
        summary="'et al.' is written as a name; BibTeX wants 'and others'.",
        template="{key}: {field} contains 'et al.' as a name; write 'and others'",
        explanation='`et al.` inside the author field is read by BibTeX as a person called "al., et". '
        "Write `and others` to mark a truncated list.",
    )
)
OTHERS_NOT_LAST = register(
    Rule(
        "RK402",
        "others-not-last",
        S.WARNING,
        summary="'others' is not the last name.",
        template="{key}: 'others' must be the last name in {field}",
        explanation='BibTeX only treats `others` as "et al." when it is the last name.',
    )
)
TRUNCATED = register(
    Rule(
        "RK403",
        "truncated-author-list",
        S.INFO,
        summary="The author list ends with 'and others', so it cannot be checked in full.",
        template="{key}: author list is truncated ('and others')",
        explanation="The entry names only some of its authors. That is legal, but authors cannot be checked in "
        "full; when "
        "verification finds the record, `refkit enrich` can fill the list in.",
    )
)
DUPLICATE_DOI = register(
    Rule(
        "RK501",
        "duplicate-doi",
        S.WARNING,
        summary="Two entries have the same DOI.",
        template="{key}: same DOI as {other} (line {other_line})",
        explanation="Two entries for the same work split citations between two keys and usually disagree in their "
        "details. Merge them.",
    )
)
DUPLICATE_WORK = register(
    Rule(
        "RK502",
        "duplicate-entry",
        S.WARNING,
        summary="Two entries have the same title and year.",
        template="{key}: same title and year as {other} (line {other_line})",
        explanation="Two entries with the same title and year are probably the same work under two keys. Entries with "
        "different DOIs are not reported.",
    )
)

# Required fields per entry type; "a|b" means either will do. BibTeX's classic model plus biblatex's.
REQUIRED: dict[str, tuple[str, ...]] = {
    "article": ("author", "title", "journal|journaltitle", "year|date"),
    "book": ("author|editor", "title", "publisher", "year|date"),
    "mvbook": ("author|editor", "title", "year|date"),
    "inbook": ("author|editor", "title", "chapter|pages", "publisher", "year|date"),
    "bookinbook": ("author", "title", "booktitle", "year|date"),
    "suppbook": ("author", "title", "booktitle", "year|date"),
    "booklet": ("title",),
    "collection": ("editor", "title", "year|date"),
    "mvcollection": ("editor", "title", "year|date"),
    "incollection": ("author", "title", "booktitle", "publisher", "year|date"),
    "suppcollection": ("author", "title", "booktitle", "year|date"),
    "inproceedings": ("author", "title", "booktitle", "year|date"),
    "conference": ("author", "title", "booktitle", "year|date"),
    "proceedings": ("title", "year|date"),
    "mvproceedings": ("title", "year|date"),
    "manual": ("title",),
    "mastersthesis": ("author", "title", "school|institution", "year|date"),
    "phdthesis": ("author", "title", "school|institution", "year|date"),
    "thesis": ("author", "title", "type", "institution|school", "year|date"),
    "techreport": ("author", "title", "institution", "year|date"),
    "report": ("author", "title", "type", "institution", "year|date"),
    "unpublished": ("author", "title", "note|howpublished"),
    "online": ("title", "url|doi|eprint"),
    "www": ("title", "url"),
    "electronic": ("title",),
    "patent": ("author", "title", "number", "year|date"),
    "periodical": ("title", "year|date"),
    "reference": ("editor|author", "title", "year|date"),
    "mvreference": ("editor|author", "title", "year|date"),
    "inreference": ("author|editor", "title", "booktitle", "year|date"),
    "dataset": ("title",),
    "software": ("title",),
    "misc": (),
    "set": (),
    "xdata": (),
    "letter": ("author", "title", "year|date"),
    "artwork": ("title",),
    "audio": ("title",),
    "video": ("title",),
    "image": ("title",),
    "movie": ("title",),
    "music": ("title",),
    "performance": ("title",),
    "standard": ("title",),
    "legislation": ("title",),
    "jurisdiction": ("title",),
    "legal": ("title",),
    "review": ("author", "title", "year|date"),
    "commentary": ("title",),
    "customa": (), "customb": (), "customc": (), "customd": (), "custome": (), "customf": (),
}  # fmt: skip

DOI_RE = re.compile(r"^10\.\d{4,9}(?:\.\d+)*/\S+$")
_ISSN_RE = re.compile(r"^(\d{4})-?(\d{3}[\dXx])$")
_YEAR_RE = re.compile(r"^\d{4}[a-z]?$")
# Year forms BibTeX prints as written and that are no typo: what each is, and the year it starts in.
_YEAR_FORMS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), reading)
    for pattern, reading in (
        (r"^(?:between\s+)?(\d{4})[a-z]?\s*(?:-{1,3}|\u2013|\u2014|/|\s+and\s+)\s*(\d{2}|\d{4})[a-z]?$",
         "a range of years"),
        (r"^(?:(?:c|ca|circa|approx)\.?\s*(\d{4})\??|\[(\d{4})\??\]|(\d{4})\?)$", "an approximate year"),
        (r"^(\d{2})(?:\d[x]|xx)$", "a year with unknown digits"),  # EDTF: 18XX, 185X
        (r"^(?:c(?:a|irca)?\.?\s*)?\d{1,4}\s*b\.?\s?c\.?(?:e\.?)?(?:\s*(?:-{1,3}|\u2013)\s*\d{1,4}\s*b\.?\s?c\.?(?:e\.?)?)?$",
         "a year before the common era"),
        (r"^(?:in\s+(?:press|print|prep(?:aration|\.)?|review|submission)|forthcoming|submitted|to\s+appear"
         r"|under\s+(?:review|revision)|(?:provisionally\s+)?accepted(?:\s+pending\s+revision)?|invited\s+revision"
         r"|unpublished)$", "a publication status"),
        (r"^(?:n\.\s?d\.?|nd|no\s+date|undated|s\.\s?[da]\.?|o\.\s?j\.?)$", "the mark of an undated work"),
        (r"^\[?(?:cited|accessed)\s+(\d{4})\]?$", "the year the work was read (Vancouver's 'cited')"),
    )
)  # fmt: skip
_DATE_YEAR_RE = re.compile(r"^\s*(\d{4})(?:-\d{2}){0,2}[~?%]?(?:/|\s*$)")  # EDTF: 2021-05~, 2021/2022
# 12, S12, e1234, 12a; AGU e2020MS002161, D10S43; Cell Press 101.e5; ACM article:page 61:1; AAS abstracts 415.12
_PAGE = r"[A-Za-z]{0,4}\d+(?:[A-Za-z]{1,2}\d+)?[A-Za-z]?(?:[.:][A-Za-z]{0,2}\d+)?"
_PAGE_ITEM_RE = re.compile(
    rf"^{_PAGE}(?:-{_PAGE})?$"
    r"|^[ivxlcdm]+(?:-[ivxlcdm]+)?$"  # roman front matter
    rf"|^(?:arxiv:)?(?:{ARXIV_ID})$",  # NASA ADS: the arXiv id as page
    re.IGNORECASE,
)
# MathSciNet gives an article number and the page count: "Paper No. A70, 12", "Art. ID 86937, 34".
_ARTICLE_NUMBER_RE = re.compile(
    r"^(?:(?:research\s+)?paper|art(?:icle)?|no)\.?\s*(?:no\.|id)?\s*[\w.]+\s*,\s*\d+$", re.IGNORECASE
)
# MEDLINE pagination names the parts of an item: "1482-7; discussion 1487-91", "918; author reply 918".
_PAGE_PART_RE = re.compile(r"^(?:author\s+reply|reply|discussion|quiz)\s+", re.IGNORECASE)
# Notes around pages that are no page: "(electronic)", "(1980)", "pp.", a final full stop.
_PAGE_NOTE_RE = re.compile(r"\s*\([^()]*\)\s*$|^(?:pp?\.|pages)\s*|\.$", re.IGNORECASE)
_DAY_RE = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?$")
_NAME_FIELDS = ("author", "editor", "translator")
_ET_AL_RE = re.compile(r"(?:^|\band\s+)\{?et\.?\s*al\.?\}?\s*$|,\s*et\.?\s+al\.?", re.IGNORECASE)
_AND_RE = re.compile(r"\s+and\s+", re.IGNORECASE)

EntryCheck = Callable[[BibEntry, str | None], Iterator[Finding]]


def _at(entry: BibEntry, file: str | None, field: str | None = None) -> Where:
    return {"key": entry.key, "file": file, "line": entry.line_of(field), "field": field}


def check_structure(entry: BibEntry, file: str | None) -> Iterator[Finding]:
    if entry.entry_type not in REQUIRED:
        yield UNKNOWN_TYPE.finding(**_at(entry, file), entry_type=entry.entry_type)
    for macro in dict.fromkeys(entry.undefined_macros):
        name = next((n for n, v in entry.fields.items() if macro in v), None)
        yield UNDEFINED_MACRO.finding(**_at(entry, file, name), macro=macro)
    for name, value in entry.fields.items():
        if not value.strip() and not name.startswith("opt"):  # OPTx: a disabled template field (JabRef, Emacs)
            yield EMPTY_FIELD.finding(**_at(entry, file, name))
        elif ("{" in value or "}" in value) and not balanced_braces(value):
            yield UNBALANCED.finding(**_at(entry, file, name))


_ARXIV_RE = re.compile(r"10\.48550/arxiv|arxiv\.org/|^arxiv$", re.IGNORECASE)


def _is_preprint(entry: BibEntry) -> bool:
    """An arXiv preprint typed as @article: it has no journal yet, and that is not a defect."""
    return any(_ARXIV_RE.search(entry.get(name)) for name in ("doi", "url", "archiveprefix", "eprinttype"))


def check_required(entry: BibEntry, file: str | None) -> Iterator[Finding]:
    for requirement in REQUIRED.get(entry.entry_type, ()):
        if any(entry.get(option).strip() for option in requirement.split("|")):
            continue
        if not (requirement.startswith("journal") and _is_preprint(entry)):
            where = _at(entry, file)
            where["field"] = requirement.replace("|", " or ")
            yield MISSING_FIELD.finding(**where, entry_type=entry.entry_type)


def _issn_problem(value: str) -> str | None:
    match = _ISSN_RE.match(value.strip())
    if not match:
        return "expected NNNN-NNNC"
    digits = match.group(1) + match.group(2).upper()
    total = sum(int(d) * w for d, w in zip(digits[:7], range(8, 1, -1), strict=True))
    check = (11 - total % 11) % 11
    expected = "X" if check == 10 else str(check)
    return None if digits[7] == expected else f"check digit should be {expected}"


def _isbn_problem(value: str) -> str | None:
    digits = re.sub(r"[\s-]", "", re.sub(r"^ISBN(?:-1[03])?:?\s*", "", value.strip(), flags=re.IGNORECASE))
    if re.fullmatch(r"\d{9}[\dXx]", digits):
        total = sum((10 - i) * (10 if d in "Xx" else int(d)) for i, d in enumerate(digits))
        return None if total % 11 == 0 else "ISBN-10 check digit is wrong"
    if re.fullmatch(r"97[89]\d{10}", digits):
        total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(digits))
        return None if total % 10 == 0 else "ISBN-13 check digit is wrong"
    return "expected 10 or 13 digits"


# What an isbn or issn field holds besides identifiers: qualifiers ("(Print)", "(Linking)", "(pbk.)", "/e"),
# labels, and the line breaks EndNote and Mendeley escape as `$\backslash$r`.
_IDENTIFIER_NOTE_RE = re.compile(
    r"\([^()]*\)|(?<=[\dXx])/e\b|\$\\backslash\$[rn]|\\[rn](?![a-z])|\bIS[BS]N(?:-1[03])?:?", re.IGNORECASE
)


def _identifiers(value: str) -> list[str]:
    """The ISBNs or ISSNs a field lists. Zotero and Web of Science join several with ',', ';' or a space
    (`978-0-387-84858-7 978-0-387-84857-0`); spaces inside one ISBN (`978 0 387 84858 7`) are kept together."""
    items: list[str] = []
    for chunk in re.split(r"[,;]", _IDENTIFIER_NOTE_RE.sub(" ", unbrace(value))):
        words = chunk.split()
        if len(words) > 1 and all(len(re.sub(r"\D", "", word)) >= 7 for word in words):
            items.extend(words)
        elif words:
            items.append(" ".join(words))
    return items


def _check_numbers(
    entry: BibEntry,
    file: str | None,
    field: str,
    rule: Rule,
    problem_of: Callable[[str], str | None],
    other: tuple[str, Callable[[str], str | None]],
) -> Iterator[Finding]:
    """Each ISSN or ISBN the field lists is checked; valid ones of the other kind are named once, as info."""
    elsewhere: list[str] = []
    for number in _identifiers(entry.fields.get(field, "")):
        problem = problem_of(number)
        if problem and other[1](number) is None:
            elsewhere.append(number)
        elif problem:
            yield rule.finding(**_at(entry, file, field), written=number, detail=problem)
    if elsewhere:
        written = ", ".join(dict.fromkeys(elsewhere))
        yield IDENTIFIER_ELSEWHERE.finding(**_at(entry, file, field), written=written, detail=other[0])


def check_identifiers(entry: BibEntry, file: str | None) -> Iterator[Finding]:
    doi = entry.fields.get("doi", "").strip()
    if doi and not DOI_RE.match(normalize_doi(doi)):
        yield BAD_DOI.finding(**_at(entry, file, "doi"), written=doi)
    yield from _check_numbers(entry, file, "issn", BAD_ISSN, _issn_problem, ("an ISBN", _isbn_problem))
    yield from _check_numbers(entry, file, "isbn", BAD_ISBN, _isbn_problem, ("an ISSN", _issn_problem))
    url = entry.fields.get("url", "").strip()
    if url:
        parts = urlsplit(url)
        if parts.scheme.lower() not in ("http", "https", "ftp") or not parts.netloc or re.search(r"\s", url):
            yield BAD_URL.finding(**_at(entry, file, "url"), written=url)


def _dated_by(entry: BibEntry) -> tuple[str, str]:
    """The field that dates the entry and the year it gives: `year` as written, else the year a biblatex
    `date` starts with (2021, 2021-05-14, 2021-05/2022); ("", "") when neither does."""
    year = unbrace(entry.fields.get("year", ""))
    if year:
        return "year", year
    match = _DATE_YEAR_RE.match(unbrace(entry.fields.get("date", "")))
    return ("date", match.group(1)) if match else ("", "")


def _year_form(year: str) -> tuple[str, str] | None:
    """What a non-numeric year is ("a range of years", …) and the year it starts in ("" when it names
    none); None when it is no year at all (a typo, a page number, a URL)."""
    for pattern, reading in _YEAR_FORMS:
        match = pattern.match(year)
        if not match:
            continue
        start = next((group for group in match.groups() if group), "")
        if reading == "a year with unknown digits":
            start += "00"
        elif reading == "a range of years":
            end = match.group(2)
            if int(start[: 4 - len(end)] + end) < int(start):
                return None
        return reading, start
    words = year.lower().rstrip(".").split()
    if len(words) == 2 and words[0].rstrip(".") in MONTH_NAMES and _YEAR_RE.match(words[1]):
        return "a month and a year", words[1]
    return None


def check_dates(entry: BibEntry, file: str | None, this_year: int) -> Iterator[Finding]:
    field, year = _dated_by(entry)
    if field == "year" and not _YEAR_RE.match(year):
        form = _year_form(year)
        if form is None:
            yield BAD_YEAR.finding(**_at(entry, file, field), written=year)
            year = ""
        else:
            yield YEAR_NOT_A_NUMBER.finding(**_at(entry, file, field), written=year, reading=form[0])
            year = form[1]
    if year and int(year[:4]) > this_year + 1:  # next year's volumes appear online late in the year
        yield FUTURE_YEAR.finding(**_at(entry, file, field), written=year)
    elif year and int(year[:4]) < 1450:
        yield ANCIENT_YEAR.finding(**_at(entry, file, field), written=year)
    month = entry.fields.get("month", "")
    if month.strip() and not _is_month(month):
        yield BAD_MONTH.finding(**_at(entry, file, "month"), written=month)


def _is_month(value: str) -> bool:
    """A month as exporters write it: 6, jun, June, Sept.; Web of Science's {JUN} and {OCT 14}; ranges and
    days (Jan-Feb, 6-10 Sept, November 24th)."""
    text = unbrace(value).lower().rstrip(".")
    if text.isdigit():
        return 1 <= int(text) <= 12
    words = [word for word in re.split(r"[\s,./\u2013-]+", text) if word]
    days = [_DAY_RE.match(word) for word in words if word not in MONTH_NAMES]
    return len(days) < len(words) and all(day and 1 <= int(day.group(1)) <= 31 for day in days)


def _page_items(pages: str) -> list[str]:
    """The pages or ranges a pages field lists (`12-19, 25`; `xviii+354`; `i-xvi and 993-1935`), without
    the notes exporters add; none for a MathSciNet article number with its page count."""
    text = _PAGE_NOTE_RE.sub("", unbrace(pages).replace("\\ ", " ").replace("\u2014", "-").replace("\u2212", "-"))
    if _ARTICLE_NUMBER_RE.match(text):
        return []
    items = re.split(r"\s*[,;+]\s*|\s+and\s+", text)
    return [re.sub(r"\s*(-{1,3}|\u2013)\s*", "-", _PAGE_PART_RE.sub("", item)) for item in items if item]


def check_pages(entry: BibEntry, file: str | None) -> Iterator[Finding]:
    pages = entry.fields.get("pages", "").strip()
    if not pages:
        return
    for item in _page_items(pages):
        if not _PAGE_ITEM_RE.match(item):
            yield BAD_PAGES.finding(**_at(entry, file, "pages"), written=pages)
            return
        first, _, last = item.partition("-")
        if last and first.isdigit() and last.isdigit() and len(last) >= len(first) and int(last) < int(first):
            yield REVERSED_PAGES.finding(**_at(entry, file, "pages"), written=pages)
            return


def check_names(entry: BibEntry, file: str | None) -> Iterator[Finding]:
    for name in _NAME_FIELDS:
        value = entry.fields.get(name, "")
        if not value:
            continue
        people = [p.strip().strip("{}").strip().lower() for p in _AND_RE.split(value.strip())]
        if _ET_AL_RE.search(value) or any(p in ("et al.", "et al", "et. al.") for p in people):
            yield ET_AL.finding(**_at(entry, file, name))
        elif "others" in people[:-1]:
            yield OTHERS_NOT_LAST.finding(**_at(entry, file, name))
        elif name == "author" and people[-1] == "others":
            yield TRUNCATED.finding(**_at(entry, file, name))


def check_problems(bibliography: Bibliography) -> Iterator[Finding]:
    """Blocks bibtexparser could not take, duplicate keys and fields, empty keys, cycles and values too
    large to read: the problems every command reports, not only validate."""
    first_lines: dict[str, int] = {}
    for entry in bibliography.entries:
        first_lines.setdefault(entry.key, entry.line)
    for problem in bibliography.problems:
        where: Where = {"key": problem.key, "file": bibliography.path, "line": problem.line, "field": problem.field}
        if problem.kind == "duplicate-key":
            yield DUPLICATE_KEY.finding(**where, first_line=first_lines.get(problem.key or "", "?"))
        elif problem.kind == "duplicate-field":
            yield DUPLICATE_FIELD.finding(**where, detail=problem.message)
        elif problem.kind == "empty-key":
            yield EMPTY_KEY.finding(**where)
        elif problem.kind == "cycle":
            yield CYCLE.finding(**where, detail=problem.message)
        elif problem.kind == "too-large":
            yield TOO_LARGE.finding(**where, detail=problem.message, limit=MAX_CONCATENATED_CHARS)
        else:
            yield SYNTAX.finding(**where, detail=problem.message)


def check_duplicates(bibliography: Bibliography, references: list[Reference]) -> Iterator[Finding]:
    """Same DOI, or the same folded title and year, in two entries (the later one is reported)."""
    seen_doi: dict[str, Reference] = {}
    seen_work: dict[tuple[str, int | None], Reference] = {}
    for reference in references:
        where: Where = {"key": reference.key, "file": bibliography.path, "line": reference.location.line}
        if reference.doi:
            first = seen_doi.setdefault(reference.doi, reference)
            if first is not reference and first.key != reference.key:
                yield DUPLICATE_DOI.finding(**where, other=first.key, other_line=first.location.line)
                continue
        title = fold(reference.title)
        if len(title) >= 10:
            first = seen_work.setdefault((title, reference.year), reference)
            if (
                first is not reference
                and first.key != reference.key
                and not (first.doi and reference.doi and first.doi != reference.doi)
            ):
                yield DUPLICATE_WORK.finding(**where, other=first.key, other_line=first.location.line)


def lint(bibliography: Bibliography, references: list[Reference], today: datetime.date | None = None) -> list[Finding]:
    """Every offline finding for a parsed bibliography."""
    this_year = (today or datetime.date.today()).year
    file = bibliography.path
    findings = list(check_problems(bibliography))
    entry_checks: list[EntryCheck] = [check_structure, check_required, check_identifiers, check_pages, check_names]
    for entry in bibliography.entries:
        for check in entry_checks:
            findings.extend(check(entry, file))
        findings.extend(check_dates(entry, file, this_year))
    findings.extend(check_duplicates(bibliography, references))
    return findings
