"""Is this record the work the entry cites? Field-by-field agreement and a precision-first decision.

Every source (the Crossref API, a local snapshot) hands its candidates over as References, and this module
alone decides. A record is accepted as the cited work only on strong evidence from several fields; a record
whose title matches while its authors, year and venue do not is a likely mis-citation, not a match; anything
weaker is no match. docs/matching.md explains the scores and thresholds and benchmarks/matching.py measures them.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from rapidfuzz import fuzz

from refkit.model import Name, Reference
from refkit.text import fold, normalize_doi, page_bounds
from refkit.venues import venue_key

# Thresholds (docs/matching.md): title similarity is rapidfuzz's normalised Levenshtein ratio on folded text.
TITLE_SAME = 0.90  # the same title, give or take typos, punctuation and spelling variants
TITLE_CLOSE = 0.75  # a related title: accepted only when everything else agrees
NAME_SAME = 0.88  # family names that differ only by transliteration or a typo
CONTAINER_SAME = 0.88
NUMBERED_SIBLING = 0.85  # the most two titles that differ in a number can score: below TITLE_SAME
DISTINCTIVE_WORDS = 4  # a shorter title ("Introduction", "Reply to Smith") is shared by many works

# Fields compared, in report order. "year" agrees when any of the record's dates gives that year.
FIELDS = ("title", "author", "year", "container", "volume", "issue", "page", "doi")


class Decision(StrEnum):
    ACCEPT = "accept"  # the record is the cited work (its other fields may still disagree with the entry)
    MISCITATION = "miscitation"  # the title belongs to this record, but the rest describes another work
    NO_MATCH = "no-match"  # nothing here is the cited work


@dataclass(slots=True)
class Match:
    """One candidate scored against an entry: `agreement` holds only fields that both of them give."""

    entry: Reference
    record: Reference
    title: float
    agreement: dict[str, bool] = field(default_factory=dict)
    near_year: bool = False  # the years differ by one (online-first vs print): weak agreement
    first_author: bool = False  # the first authors' family names agree
    decision: Decision = Decision.NO_MATCH
    score: float = 0.0

    @property
    def disagreements(self) -> list[str]:
        return [name for name in FIELDS if self.agreement.get(name) is False]


def _fold(text: str) -> str:
    """refkit.text.fold, after decoding the HTML entities that exports from web databases leave in titles
    and names ("D&apos;Hondt", "Allocation &amp; Regularization")."""
    return fold(html.unescape(text) if "&" in text else text)


_SUBTITLE_RE = re.compile(r"\s*(?::|\s[-–—]\s|\.\s)\s*")


def _same_letters(a: str, b: str) -> bool:
    """Two folded texts that differ only in where words break: "multi-timescale" and "multi-time scale",
    "T<sub>H</sub>2" and "TH2", a registry's "intestinalprogenitor" and "intestinal progenitor"."""
    return a.replace(" ", "") == b.replace(" ", "")


def _main_titles(title: str) -> set[str]:
    """The folded title before each of its subtitles: "Deep learning: a review" → {"deep learning"}, and a
    registry's title with a running head appended, "Effects of X: a meta-analysis: X in MS", gives also
    "effects of x a meta analysis"."""
    return {_fold(title[: found.start()]) for found in _SUBTITLE_RE.finditer(title)} - {""}


def _with_subtitle(longer: str, shorter: str) -> bool:
    """Whether the title `longer` is the title `shorter` with one or more subtitles after it."""
    return _fold(shorter) in _main_titles(longer)


def title_similarity(written: str, recorded: str) -> float:
    """0–1 similarity of two titles after folding (case, accents, ß→ss, LaTeX and markup, punctuation).

    A title cited without its subtitle counts as nearly the same (0.95): "Attention is all you need" is
    how people cite the record "Attention is all you need: …"."""
    return title_closeness(written)(recorded)


def title_closeness(written: str) -> Callable[[str], float]:
    """`title_similarity(written, recorded)` as a function of `recorded`, the written title folded once: a
    search compares one cited title with dozens of recorded ones."""
    a = _fold(written)
    numbers = _numbers(a)

    def similarity(recorded: str) -> float:
        b = _fold(recorded)
        if not a or not b:
            return 0.0
        if a == b or _same_letters(a, b):
            return 1.0
        score = fuzz.ratio(a, b) / 100
        shorter, longer_title = (a, recorded) if len(a) < len(b) else (b, written)
        if len(shorter.split()) >= 3 and shorter in _main_titles(longer_title):
            score = max(score, 0.95)
        if numbers != _numbers(b):  # "Part 2" is not "Part 1", nor the "2019 update" the "2018 update"
            score = min(score, NUMBERED_SIBLING)
        return score

    return similarity


_NUMBER_RE = re.compile(r"\b(?:\d+|[ivx]{1,4})\b")


def _numbers(folded: str) -> list[str]:
    """The numbers of a folded title (digits and roman numerals), in order."""
    return _NUMBER_RE.findall(folded)


def _family(name: Name) -> str:
    """The folded family name; a literal name's last word stands for it ("World Health Organization" kept)."""
    if name.family:
        return _fold(name.family)
    words = _fold(name.literal).split()
    return words[-1] if words else ""


_INITIALS_RE = re.compile(r"^[A-Z]{1,3}$")


def _vancouver(name: Name) -> Name | None:
    """The name a MEDLINE or Vancouver form stands for: "Smith JA", "de Vries PS" (family, then initials
    without dots) are read by BibTeX as given "Smith", family "JA"; None for any other form. Only a second
    reading: a name that matches as read is never read this way."""
    words = " ".join((name.given, name.particle, name.family)).split()
    if len(words) < 2 or name.literal or not _INITIALS_RE.match(words[-1]):
        return None
    return Name(family=" ".join(words[:-1]), given=" ".join(words[-1]))


def same_name(a: Name, b: Name) -> bool:
    if _same_name(a, b):
        return True
    read_a, read_b = _vancouver(a), _vancouver(b)
    return bool(read_a or read_b) and _same_name(read_a or a, read_b or b)


def _same_name(a: Name, b: Name) -> bool:
    fa, fb = _family(a), _family(b)
    if not fa or not fb:
        return False
    if _same_letters(fa, fb) or _same_letters(_fold(a.full_family), _fold(b.full_family)):
        return True  # "van Son" as a family name, or "Son" with the particle "van"
    # Compound and particle names: "Gambacorti Passerini" vs "Gambacorti-Passerini" vs "Passerini".
    if fa.split()[-1] == fb.split()[-1] and min(len(fa), len(fb)) >= 4:
        return True
    # Two surnames cited by the first (Spanish, Portuguese): "Castillo-Morales" vs "Castillo".
    if (len(fa.split()) == 1) != (len(fb.split()) == 1) and fa.split()[0] == fb.split()[0] and len(fa.split()[0]) >= 4:
        return True
    if _swapped(a, b) or _swapped(b, a) or _split_elsewhere(a, b) or _split_elsewhere(b, a):
        return True
    return fuzz.ratio(fa, fb) / 100 >= NAME_SAME and min(len(fa), len(fb)) >= 5


def _swapped(a: Name, b: Name) -> bool:
    """Given and family names in the other order, as registries often give East Asian names ("Min Shuai"
    recorded as "S. Min"): a's family is b's given name, and a's initial is b's family name's."""
    given_a, given_b = _fold(a.given), _fold(b.given)
    return bool(given_a and given_b) and _family(a) == given_b and _family(b)[:1] == given_a[:1]


def _split_elsewhere(a: Name, b: Name) -> bool:
    """One person whose two surnames were split in another place, as "First Last" names without a comma are
    read: "Baldomero Oliva Miguel" (family "Miguel") recorded as "B. Oliva", "Jonny E. Duque" cited for the
    record "J. E. Duque Luna" (family "Luna"): b's family is one of a's given names after the first, and the
    first initials agree."""
    given_a, given_b, family_b = _fold(a.given).split(), _fold(b.given).split(), _family(b)
    return (
        len(family_b) >= 3 and bool(given_a and given_b) and family_b in given_a[1:] and given_a[0][0] == given_b[0][0]
    )


def authors_agree(entry: Reference, record: Reference) -> tuple[bool, bool]:
    """(first author agrees, the whole written list agrees).

    A written list agrees when every written name is in the record's list and, unless the entry says
    "et al." / "and others", no recorded author is left out."""
    first = bool(entry.authors and record.authors) and same_name(entry.authors[0], record.authors[0])
    if not first:  # most candidates of a search: skip comparing every name with every name
        return False, False
    complete = entry.authors_truncated or len(entry.authors) >= len(record.authors)
    return True, complete and all(any(same_name(name, other) for other in record.authors) for name in entry.authors)


_STOP = {"the", "of", "and", "for", "in", "on", "a", "an", "de", "la", "des", "und", "fur", "to"}


def _abbreviates(short: str, full: str) -> bool:
    """ISO-4 style abbreviation: "j clin oncol" ↔ "journal of clinical oncology", "n engl j med" ↔ …"""
    words = [w for w in short.split() if w not in _STOP]
    target = [w for w in full.split() if w not in _STOP]
    if not words or len(words) != len(target):
        return False
    return all(
        t.startswith(w) or (len(w) >= 3 and w[0] == t[0] and _ordered_in(w, t))
        for w, t in zip(words, target, strict=True)
    )


def _ordered_in(letters: str, word: str) -> bool:
    """Every letter of an abbreviation appears in order in the word ("hematol" in "hematology", "natl")."""
    position = 0
    for char in letters:
        position = word.find(char, position) + 1
        if position == 0:
            return False
    return True


_QUALIFIER_RE = re.compile(r"\s*\([^()]*\)\s*$")


def _venue_names(reference: Reference) -> list[str]:
    """Folded venue names, without the place or series a catalogue adds to tell journals apart (NLM's
    "Bladder cancer (Amsterdam, Netherlands)")."""
    names = [reference.container_title, reference.container_title_short]
    folded = [_fold(_QUALIFIER_RE.sub("", name) or name) for name in names if name]
    return [name.removeprefix("the ") for name in folded if name]


def container_agrees(entry: Reference, record: Reference) -> bool:
    if set(entry.issn) & set(record.issn):
        return True
    written_keys = {venue_key(name) for name in (entry.container_title, entry.container_title_short)} - {""}
    if written_keys & {venue_key(name) for name in (record.container_title, record.container_title_short)}:
        return True  # one venue under two names: NeurIPS and Advances in Neural Information Processing Systems
    for written in _venue_names(entry):
        for recorded in _venue_names(record):
            if written == recorded or fuzz.ratio(written, recorded) / 100 >= CONTAINER_SAME:
                return True
            if _abbreviates(written, recorded) or _abbreviates(recorded, written):
                return True
            if written.replace(" ", "") == recorded.replace(" ", ""):
                return True
    return False


_PREPRINT_WORDS = ("arxiv", "corr", "rxiv", "preprint", "ssrn", "research square", "openreview", "zenodo")


def is_preprint(record: Reference) -> bool:
    """Crossref `posted-content` (CSL "article"): a preprint, not a journal or proceedings publication."""
    return record.type == "article" and not record.container_title


def is_preprint_venue(venue: str) -> bool:
    """Whether a folded venue name is a preprint server's or says it is one (arXiv, bioRxiv, "preprint")."""
    return any(word in venue for word in _PREPRINT_WORDS)


def _number(value: str) -> str:
    """ "07" and "7" are the same volume; "Suppl 2" keeps its words."""
    return fold(value).lstrip("0") or fold(value)


def pages_agree(written: str, recorded: str) -> bool:
    """First pages must agree; last pages too when both give a range (2408-17 equals 2408–2417)."""
    first_w, last_w = page_bounds(written)
    first_r, last_r = page_bounds(recorded)
    if fold(first_w) != fold(first_r):
        return False
    both_ranges = last_w != first_w and last_r != first_r
    return not both_ranges or fold(last_w) == fold(last_r)


# bioRxiv's and medRxiv's DOIs since December 2019 carry the day the first version was posted.
_POSTED_DOI_RE = re.compile(r"^10\.1101/((?:19|20)\d\d)\.[01]\d\.[0-3]\d\.\d+")


def record_years(record: Reference) -> set[int]:
    """All years the record's dates give (the main year plus print/online years kept by refkit.sources.records),
    and for a bioRxiv or medRxiv preprint every year from its first version's (in its DOI) to the record's: a
    server that describes its latest version gives that version's year, and each version is cited by its own."""
    years = {record.year} if record.year else set()
    years.update(int(y) for y in record.fields.get("other-years", "").split() if y.isdigit())
    posted = _POSTED_DOI_RE.match(normalize_doi(record.doi))
    if posted and years:
        years.update(range(int(posted.group(1)), max(years) + 1))
    return years


def compare(entry: Reference, record: Reference) -> Match:
    """Score one candidate record against an entry and decide whether it is the cited work."""
    match = Match(entry, record, title_similarity(entry.title, record.title))
    agreement = match.agreement
    if entry.title and record.title:
        agreement["title"] = _same_letters(_fold(entry.title), _fold(record.title)) or (
            match.title >= 0.95
            and (_with_subtitle(entry.title, record.title) or _with_subtitle(record.title, entry.title))
        )
    if entry.authors and record.authors:
        match.first_author, whole = authors_agree(entry, record)
        agreement["author"] = whole
    if entry.year and record.year:
        years = record_years(record)
        agreement["year"] = entry.year in years
        match.near_year = not agreement["year"] and any(abs(entry.year - y) == 1 for y in years)
    written_venues = _venue_names(entry)
    if written_venues and _venue_names(record):
        agreement["container"] = container_agrees(entry, record)
    elif is_preprint(record) and written_venues and not any(map(is_preprint_venue, written_venues)):
        agreement["container"] = False  # a preprint cited as published in a journal or proceedings
    for name in ("volume", "issue"):
        written, recorded = getattr(entry, name), getattr(record, name)
        if written and recorded:
            agreement[name] = _number(written) == _number(recorded)
    if entry.page and record.page:
        agreement["page"] = pages_agree(entry.page, record.page)
    if entry.doi and record.doi:
        agreement["doi"] = normalize_doi(entry.doi) == normalize_doi(record.doi)
    match.decision = _decide(match)
    match.score = _score(match)
    return match


def _decide(match: Match) -> Decision:
    """Precision first: the title alone never makes a match; it takes the title plus the first author plus
    the year or the venue (title, year and venue when either side names no authors), or a close title with
    everything else (author, year, venue, and volume or pages)."""
    agree = match.agreement
    first_author = match.first_author
    year = agree.get("year") is True or match.near_year
    venue = agree.get("container") is True
    # Pages place a paper; a volume only narrows it down, so it counts only when no pages are compared.
    locator = agree.get("page") is True or ("page" not in agree and agree.get("volume") is True)
    if match.title >= TITLE_SAME and first_author and (year or venue):
        return Decision.ACCEPT
    if "author" not in agree and match.title >= TITLE_SAME and agree.get("year") and venue:
        return Decision.ACCEPT  # one side names no authors: the title, the year and the venue must all agree
    if match.title >= TITLE_CLOSE and first_author and agree.get("year") and venue and locator:
        return Decision.ACCEPT
    if match.title >= TITLE_SAME and len(_fold(match.record.title).split()) >= DISTINCTIVE_WORDS:
        return Decision.MISCITATION
    return Decision.NO_MATCH


_WEIGHTS = {"author": 0.15, "year": 0.1, "container": 0.1, "volume": 0.05, "issue": 0.025, "page": 0.05, "doi": 0.1}


def _score(match: Match) -> float:
    """A 0–1 ranking score: title similarity carries most weight, each agreeing field adds, each
    disagreeing field subtracts. Used to rank candidates; the decision above does not depend on it."""
    score = 0.45 * match.title + (0.05 if match.first_author else 0.0)
    for name, weight in _WEIGHTS.items():
        agrees = match.agreement.get(name)
        if agrees is not None:
            score += weight if agrees else -weight / 2
    if match.near_year:
        score += 0.05
    return max(0.0, min(1.0, score))


_RANK = {Decision.ACCEPT: 2, Decision.MISCITATION: 1, Decision.NO_MATCH: 0}


def best_match(entry: Reference, records: Iterable[Reference]) -> Match | None:
    """The best candidate: accepted ones before mis-citations before the rest, then by score."""
    return best_of(compare(entry, record) for record in records)


def best_of(matches: Iterable[Match]) -> Match | None:
    """The best of candidates compared already, as `best_match` chooses."""
    return max(matches, key=lambda m: (_RANK[m.decision], m.score), default=None)
