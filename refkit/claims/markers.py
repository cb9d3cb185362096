"""Finding citation markers in body text: numeric, superscript, author–year, narrative, pandoc, LaTeX and
Markdown footnotes. Markers are found on whole blocks, so a marker never straddles a sentence cut."""

from __future__ import annotations

import re
from collections.abc import Iterator

from refkit.claims.model import Marker, Target
from refkit.documents.latex import CITE_RE, cite_keys

_MAX_RANGE = 200  # "[1–3]" expands; a "[1–5000]" is not a citation
_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")

_NUMERIC = r"\[(\d{1,4}(?:\s*[-–—]\s*\d{1,4})?(?:\s*[,;]\s*\d{1,4}(?:\s*[-–—]\s*\d{1,4})?)*)\]"
# Whole runs of one to four digits, like the numbers in brackets: a longer run is no reference number.
_SUPERSCRIPT_DIGITS = r"(?<![⁰¹²³⁴⁵⁶⁷⁸⁹])[⁰¹²³⁴⁵⁶⁷⁸⁹]{1,4}(?:[,⁻–-][⁰¹²³⁴⁵⁶⁷⁸⁹]{1,4})*(?![⁰¹²³⁴⁵⁶⁷⁸⁹])"
_CARET = r"\^(\d{1,4}(?:[,–-]\d{1,4})*)\^"
_FOOTNOTE = r"\[\^([^\]\s]+)\](?!:)"
# The markers written after a full stop ("…leukemia.[3] Next", "…leukemia.¹² Next"): the sentence splitter
# keeps them with the sentence they close.
NUMBER_MARKER = "|".join((_NUMERIC, _FOOTNOTE, _CARET, _SUPERSCRIPT_DIGITS))
FOOTNOTE_DEFINITION_RE = re.compile(r"^\s*\[\^([^\]\s]+)\]:\s*(.*)", re.DOTALL)  # "[^2]: Druker BJ, … 2006."
_NUMERIC_RE = re.compile(_NUMERIC)
# What LaTeX prints for a citation it could not resolve (the document was built without its bibliography):
# "[?]", "[?, ?]". A marker that resolves to nothing, so that the map reports it.
_UNDEFINED_RE = re.compile(r"\[\?(?:\s*,\s*\?)*\]")
_BRACKETED_RANGE_RE = re.compile(r"\[(\d{1,4})\]\s*[-–—]\s*\[(\d{1,4})\]")  # PLOS: "[18]–[21]"
_SUPERSCRIPT_RE = re.compile(r"(?:(?<=[^\W\d_]{3})|(?<=[.,;:)\]’”\"']))" + _SUPERSCRIPT_DIGITS)
_CARET_RE = re.compile(_CARET)
_FOOTNOTE_RE = re.compile(_FOOTNOTE)
_PANDOC_RE = re.compile(r"\[([^\[\]@]*@[^\[\]]+)\]")  # no lazy prefix: one pass over an unclosed "["
_PANDOC_KEY_RE = re.compile(r"(?<![\w.])-?@\{?(\w[\w:.#$%&+?<>~/-]*)")
# "@smith2020 shows": a pandoc in-text citation; not an e-mail address (a word character before the @). Outside
# brackets a key needs a digit or a colon (`@doi:…`), so that "@okafor" handles in prose are no citations.
_PANDOC_TEXT_RE = re.compile(r"(?<![\w.+@-])@\{?([A-Za-z_][\w.#$%&+?<>~/-]*(?:[\d:][\w:.#$%&+?<>~/-]*))")
# Quarto and pandoc-crossref cross-references (@fig-map, @tbl:data) point at figures, not references.
_CROSS_REFERENCE_RE = re.compile(r"^(?:fig|tbl|sec|eq|lst|thm|lem|cor|prp|cnj|def|exm|exr|sol|rem)[-:]", re.I)
_KEY = r"(?:[A-Za-z][\w:.+/-]*\d[\w:.+/-]*|[A-Za-z][\w.-]*:[\w:.+/-]+)"
_KEY_LIST_RE = re.compile(rf"\[({_KEY}(?:\s*[,;]\s*{_KEY})*)\]")  # \cite{a,b} as the LaTeX reader writes it

# Names are bounded (three particles, ten names): a longer run is no citation, and an unbounded one would
# be rescanned from each of its words, which takes minutes on a long paragraph of names.
_NAME = r"(?:(?:van|von|de|der|den|da|di|du|le|la|del|dos|ten|ter)\s+){0,3}[A-ZÀ-ÖØ-ÞĀ-Ž][\w'’-]*[a-zß-ÿ]"
_AUTHORS = (
    rf"(?P<authors>{_NAME}(?:(?:\s*,\s*|\s+(?:and|&)\s+|\s*,\s*(?:and|&)\s+){_NAME}){{0,9}}"
    r"(?P<etal>\s+et\s+al\.?)?)"
)
_YEAR = r"\d{4}[a-z]?"
_YEARS = rf"(?P<years>{_YEAR}(?:\s*,\s*{_YEAR})*)"
_LOCATOR = r"(?:\s*,\s*(?:p|pp|ch|chap|sec|fig)\.?\s*[\w–-]+)?"
_PREFIX = r"(?:(?:see|see also|e\.g\.,?|cf\.|for example,?|reviewed in|for a review,? see)\s+)?"
_CITE_RE = re.compile(rf"^{_PREFIX}{_AUTHORS},?\s+{_YEARS}{_LOCATOR}$")
# Words around the citation inside the brackets: "(as in the Cbx transposition, Peifer et al., 1987)",
# "(‘PSE2’ [DeVido et al., 2008])".
_CITE_IN_WORDS_RE = re.compile(rf"(?<![\w-]){_AUTHORS},\s+{_YEARS}\b(?![-–/]\d)")
# ACM's author–year style brackets them: "[Bondorf 1992; Danvy and Nielsen 2001]", "Bondorf [1992]".
_PARENS_RE = re.compile(rf"\(([^()]*?\b{_YEAR}\b[^()]*)\)|\[([^\[\]]*?\b{_YEAR}\b[^\[\]]*)\]")
_NARRATIVE_RE = re.compile(
    rf"\b{_AUTHORS}\s+(?:\((?P<years>{_YEAR}(?:\s*[,;]\s*{_YEAR})*){_LOCATOR}\)"
    rf"|\[(?P<bracketed>{_YEAR}(?:\s*[,;]\s*{_YEAR})*){_LOCATOR}\])"
)
_NOT_NAMES = frozenset(
    {
        "The",
        "This",
        "These",
        "That",
        "Those",
        "In",
        "On",
        "At",
        "As",
        "By",
        "For",
        "From",
        "Since",
        "Until",
        "After",
        "Before",
        "During",
        "Between",
        "And",
        "Or",
        "But",
        "If",
        "When",
        "While",
        "Table",
        "Figure",
        "Fig",
        "Section",
        "Chapter",
        "Phase",
        "Trial",
        "Study",
        "Version",
        "Year",
        "Years",
    }
)


def find_markers(text: str, offset: int = 0) -> list[Marker]:
    """Every citation marker in `text`, in order; offsets are shifted by `offset` (the text's body start)."""
    markers: list[Marker] = []
    taken = bytearray(len(text))  # 1 where an earlier finder's marker stands: later finders keep off it
    finders = (_latex, _pandoc, _pandoc_text, _footnotes, _numeric, _key_list, _caret, _superscript)
    for finder in (*finders, _parenthetical, _narrative):
        for marker in finder(text):
            if taken.find(1, marker.start, marker.end) < 0:
                taken[marker.start : marker.end] = b"\x01" * (marker.end - marker.start)
                markers.append(marker)
    markers.sort(key=lambda marker: marker.start)
    for marker in markers:
        marker.start += offset
        marker.end += offset
    return markers


def _numbers(spec: str) -> tuple[Target, ...]:
    """ "1, 3–5" → targets 1, 3, 4, 5."""
    targets: list[Target] = []
    for part in re.split(r"[,;]", spec):
        bounds = [int(number) for number in re.findall(r"\d+", part)]
        if not bounds:
            continue
        first, last = bounds[0], bounds[-1]
        numbers = range(first, last + 1) if 0 <= last - first <= _MAX_RANGE else (first, last)
        targets.extend(Target("number", str(number)) for number in numbers)
    return tuple(targets)


# Some CSL styles put the first author's initials before the name: "(M. H. J. Bollen 2006)".
_INITIALS_RE = re.compile(r"^(?:[A-Z]\.[\s-]?){1,4}\s*(?=[A-Z][a-z])")
_NAME_THEN_YEAR_RE = re.compile(r"(?:[A-Z][\w'’-]*[a-z]|\bet al\.)\s+\[(?:1[5-9]|20)\d\d\]$")


# "[0, 1]", "the interval [10, 20] mm", "[30, 60] degrees": intervals and coordinates, not reference numbers.
_INTERVAL_BEFORE_RE = re.compile(r"\b(?:intervals?|ranges?|domains?|=|∈)\s*$", re.I)
_UNIT_AFTER_RE = re.compile(r"^\s*(?:[mcµμnk]?m|mm|degrees?|°|h|hours?|s|ms|min|days?|years?|%|Hz|kHz|K)\b", re.I)


def _numeric(text: str) -> Iterator[Marker]:
    for match in _BRACKETED_RANGE_RE.finditer(text):  # first: find_markers keeps later finds off them
        spec = f"{match.group(1)}–{match.group(2)}"
        yield Marker(match.group(0), "numeric", match.start(), match.end(), _numbers(spec))
    for match in _NUMERIC_RE.finditer(text):
        if _NAME_THEN_YEAR_RE.search(text, max(0, match.start() - 60), match.end()):
            continue  # "Bondorf [1992]": a narrative author–year citation, not item 1992
        targets = _numbers(match.group(1))
        if _is_interval(text, match, targets):
            continue
        yield Marker(match.group(0), "numeric", match.start(), match.end(), targets)
    for match in _UNDEFINED_RE.finditer(text):
        targets = tuple(Target("key", "?") for _ in range(match.group(0).count("?")))  # a key LaTeX lacked
        yield Marker(match.group(0), "numeric", match.start(), match.end(), targets)


def _is_interval(text: str, match: re.Match[str], targets: tuple[Target, ...]) -> bool:
    """A bracketed pair that reads as an interval: it holds a 0 (lists count from 1), a unit follows it, or a
    word such as "interval" or "domain" comes just before a pair of two numbers."""
    if any(target.value == "0" for target in targets):
        return True
    if "," not in match.group(1) or len(re.findall(r"\d+", match.group(1))) != 2:
        return False
    return bool(_UNIT_AFTER_RE.match(text[match.end() : match.end() + 12])) or bool(
        _INTERVAL_BEFORE_RE.search(text[max(0, match.start() - 20) : match.start()])
    )


def _caret(text: str) -> Iterator[Marker]:
    for match in _CARET_RE.finditer(text):
        yield Marker(match.group(0), "superscript", match.start(), match.end(), _numbers(match.group(1)))


def _superscript(text: str) -> Iterator[Marker]:
    for match in _SUPERSCRIPT_RE.finditer(text):
        spec = match.group(0).translate(_SUPERSCRIPT)
        yield Marker(match.group(0), "superscript", match.start(), match.end(), _numbers(spec))


def _footnotes(text: str) -> Iterator[Marker]:
    for match in _FOOTNOTE_RE.finditer(text):
        yield Marker(match.group(0), "footnote", match.start(), match.end(), (Target("footnote", match.group(1)),))


def _citation_keys(keys: list[str]) -> list[str]:
    """Keys as pandoc reads them (a trailing full stop or colon is punctuation), cross-references left out."""
    stripped = [key.rstrip(".:-}") for key in keys]
    return [key for key in stripped if key and not _CROSS_REFERENCE_RE.match(key)]


def _pandoc(text: str) -> Iterator[Marker]:
    for match in _PANDOC_RE.finditer(text):
        keys = _citation_keys(_PANDOC_KEY_RE.findall(match.group(1)))
        if keys:
            yield Marker(
                match.group(0), "pandoc", match.start(), match.end(), tuple(Target("key", key) for key in keys)
            )


def _pandoc_text(text: str) -> Iterator[Marker]:
    """ "@smith2020 shows …": pandoc's in-text citation, outside brackets."""
    for match in _PANDOC_TEXT_RE.finditer(text):
        keys = _citation_keys([match.group(1)])
        if keys:
            end = match.start() + 1 + len(keys[0]) + (1 if match.group(0)[1:2] == "{" else 0)
            yield Marker(text[match.start() : end], "pandoc", match.start(), end, (Target("key", keys[0]),))


def _latex(text: str) -> Iterator[Marker]:
    for match in CITE_RE.finditer(text):
        keys = cite_keys(match)
        if keys:
            yield Marker(match.group(0), "latex", match.start(), match.end(), tuple(Target("key", key) for key in keys))


def _key_list(text: str) -> Iterator[Marker]:
    for match in _KEY_LIST_RE.finditer(text):
        keys = [key.strip() for key in re.split(r"[,;]", match.group(1))]
        yield Marker(match.group(0), "key", match.start(), match.end(), tuple(Target("key", key) for key in keys))


def _author_year_targets(authors: str, et_al: bool, years: str) -> tuple[Target, ...]:
    names = tuple(
        name.strip()
        for name in re.split(
            r"\s*,\s*(?:and|&)?\s*|\s+(?:and|&)\s+", authors.replace("et al.", "").replace("et al", "")
        )
        if name.strip()
    )
    shown = f"{names[0]} et al." if et_al else " & ".join(names)
    return tuple(Target("author-year", f"{shown} {year}", names, year) for year in re.findall(_YEAR, years))


def _parenthetical(text: str) -> Iterator[Marker]:
    """ "(Druker et al., 2006)", "(Mahon et al. 2010; Etienne et al. 2017)", "(see Smith 2019a, 2019b)",
    "[Bondorf 1992]", "(M. H. J. Bollen 2006)"."""
    for match in _PARENS_RE.finditer(text):
        targets: list[Target] = []
        for part in (match.group(1) or match.group(2)).split(";"):
            cite = _CITE_RE.match(_INITIALS_RE.sub("", part.strip())) or _CITE_IN_WORDS_RE.search(part)
            if cite and _is_name(cite.group("authors")):
                targets.extend(
                    _author_year_targets(cite.group("authors"), bool(cite.group("etal")), cite.group("years"))
                )
        if targets:
            yield Marker(match.group(0), "author-year", match.start(), match.end(), tuple(targets))


def _narrative(text: str) -> Iterator[Marker]:
    """ "Druker et al. (2006)", "Jabbour and Kantarjian (2018)", "Bondorf [1992]"."""
    for match in _NARRATIVE_RE.finditer(text):
        if _is_name(match.group("authors")):
            yield Marker(
                match.group(0),
                "narrative",
                match.start(),
                match.end(),
                _author_year_targets(
                    match.group("authors"), bool(match.group("etal")), match.group("years") or match.group("bracketed")
                ),
            )


def _is_name(authors: str) -> bool:
    first = authors.split()[0].strip(",")
    return first not in _NOT_NAMES and not first.isupper()
