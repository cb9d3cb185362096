"""An author (or editor) list as written in a reference string → Names.

Handles the orders styles use: inverted ("Druker, B. J." / "Nichols, Bill"), Vancouver ("van der Schouw TT"),
natural ("W.-P. de Roever"), and Chicago/MLA mixes (first inverted, the rest natural); lower-case particles,
suffixes (Jr., III), corporate authors, and a trailing "et al." / "and others" (a truncated list).
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from refkit.model import Name

_ET_AL_RE = re.compile(
    r"[,;\s]*(?:\bet\.?\s*al\b\.?|\band\s+(?:others|colleagues)\b|\bu\.\s*a\.|\by\s+cols?\b\.?"
    r"|\bet\s+coll\b\.?|\bm\.\s*fl\.|\[et al\.?\]|…|\.\.\.)[\s.,;]*$",
    re.IGNORECASE,
)
_EDITOR_RE = re.compile(
    r"\(?\b(?:eds?|editors?|edited by|ed\. by|hrsg|hg|dir|trans(?:lated)?(?: by)?)\b\.?\)?[.,:]?", re.IGNORECASE
)
_EDITOR_HINT_RE = re.compile(r"ed|hrsg|hg|dir|trans", re.IGNORECASE)
_SPLIT_RE = re.compile(r"\s*;\s*|\s*,\s*(?:(?:and|&)\s+)?|\s+(?:and|&|und)\s+|\s*&\s*")
# APA's long lists: the first names, an ellipsis, the last name ("Alam, F., … Casillas, M.")
_ELLIPSIS_RE = re.compile(r"\s*(?:…|\.\.\.)\s*(?=\S)")
_SEMICOLON_RE = re.compile(r"\s*;\s*(?:(?:and|&)\s+)?")
_BROKEN_HYPHEN_RE = re.compile(r"(\w)- (\w)")
_INITIAL_RE = re.compile(
    r"^(?:[A-Z]\.?(?:-[A-Z]\.?)?|[A-Z][a-z]?\.|[A-Z]{2,3}|[A-Z]{2,3}-[A-Z]{1,2})$"
    r"|^(?:[A-Z]\.){2,4}$|^(?:[A-Z]\.-){1,2}[A-Z]\.$"
)
_GIVEN_WORD_RE = re.compile(r"^[A-Z][a-zà-ÿ'’\-]+\.?$|^[A-ZÀ-Ý][^\s,]*$")
_SUFFIXES = {"Jr", "Jr.", "jr", "jr.", "Sr", "Sr.", "sr.", "II", "III", "IV", "2nd", "3rd"}  # not "JR": initials
PARTICLES = {
    "van",
    "von",
    "der",
    "den",
    "de",
    "du",
    "da",
    "di",
    "del",
    "della",
    "des",
    "la",
    "le",
    "dos",
    "das",
    "do",
    "ter",
    "ten",
    "van't",
    "bin",
    "al",
    "el",
    "zu",
    "zur",
    "vom",
    "op",
    "het",
    "'t",
    "’t",
    "van’t",
}
# Particles a natural-order name may capitalise ("Richard Van Noorden", "Francisco M. De La Vega"), when
# they stand between the given names and the last word.
_CAPITALISED_PARTICLES = {
    word.capitalize()
    for word in ("van", "von", "der", "den", "de", "du", "da", "di", "del", "della", "des", "la", "le")
}
_ORGANISATION_WORDS = {
    "organization", "organisation", "association", "society", "institute", "institut", "committee", "group",
    "consortium", "foundation", "agency", "council", "department", "collaboration", "center", "centre",
    "office", "board", "commission", "ministry", "university", "network", "inc", "inc.", "ltd", "corporation",
    "corp", "company", "bureau", "service", "services", "team", "working", "panel", "federation", "union",
    "world", "national", "international", "investigators", "authority", "programme", "program", "project",
    "initiative", "trust", "who", "cdc", "nih", "nice", "fda", "oecd", "unesco", "unicef",
}  # fmt: skip
_WORD_EDGES = " .,;:()[]'\"“”"


def _has_organisation_word(chunk: str) -> bool:
    return any(word.strip(_WORD_EDGES).lower() in _ORGANISATION_WORDS for word in chunk.split())


@lru_cache(maxsize=65536)
def _is_initials(word: str) -> bool:
    """ "B.", "TT", "YW-Y" (Vancouver's "Yu YW-Y"), and initials outside ASCII ("Avsec Ž", "Öz Ç.")."""
    if not word.isascii():
        word = "".join(("X" if char.isupper() else "x") if char.isalpha() else char for char in word)
    return bool(_INITIAL_RE.match(word))


@lru_cache(maxsize=65536)
def _looks_given(chunk: str) -> bool:
    words = chunk.split()
    return (
        0 < len(words) <= 3
        and all(_is_initials(w) or _GIVEN_WORD_RE.match(w) for w in words)
        and not _has_organisation_word(chunk)
    )


@lru_cache(maxsize=65536)
def _looks_family(chunk: str) -> bool:
    words = chunk.split()
    core = [w for w in words if w not in PARTICLES]
    return 0 < len(core) <= 2 and not any(_is_initials(w) for w in core) and core[0][:1].isupper()


def _trim(chunk: str) -> str:
    """Drop a sentence period after a name, but keep the period of a final initial ("B. J.")."""
    words = chunk.split()
    if chunk.endswith(".") and words and not _is_initials(words[-1]) and words[-1] not in _SUFFIXES:
        return chunk.rstrip(".").strip()
    return chunk.strip()


def _spaced_initials(given: str) -> str:
    """ "TT" → "T. T." (Vancouver writes initials run together without periods)."""
    if re.fullmatch(r"[A-Z]{1,3}", given):
        return " ".join(letter + "." for letter in given)
    return given


def _family_with_particle(words: list[str], capitalised: bool = False) -> tuple[str, str]:
    index = 0
    while index < len(words) - 1 and (
        words[index] in PARTICLES or (capitalised and words[index] in _CAPITALISED_PARTICLES)
    ):
        index += 1
    return " ".join(words[index:]), " ".join(words[:index])


def _semicolon_name(chunk: str) -> Name:
    """One name of a list that puts semicolons between names (MDPI, Web of Science): "Jong, J. de", "Elsevier"."""
    chunk = _trim(chunk.strip(" ,"))
    family, comma, given = chunk.partition(",")
    if not comma or not given.strip() or _organisation(chunk):
        return _single(chunk)
    given, particle = _particle_last(given.strip())
    name = _inverted(family.strip(), given)
    return replace(name, particle=f"{name.particle} {particle}".strip()) if particle else name


def _particle_last(given: str) -> tuple[str, str]:
    """ "J. de" → ("J.", "de"): APA writes an inverted name's particle after the initials."""
    words = given.split()
    at = len(words)
    while at > 1 and words[at - 1] in PARTICLES:
        at -= 1
    return " ".join(words[:at]), " ".join(words[at:])


def _organisation(chunk: str) -> bool:
    if _has_organisation_word(chunk):
        return True
    words = chunk.split()
    return len(words) > 4 and not any(_is_initials(w) for w in words)


def _single(chunk: str) -> Name:
    """One name written in one piece: Vancouver "van der Schouw TT", natural "W.-P. de Roever"."""
    words = chunk.split()
    if len(words) > 2 and words[-1] in _SUFFIXES:  # "Smith SC Jr", "Martin Luther King Jr."
        return replace(_single(" ".join(words[:-1])), suffix=words[-1])
    if len(words) == 1:
        return Name(family=words[0])
    if _organisation(chunk):
        return Name(literal=chunk)
    if _is_initials(words[-1]) and not _is_initials(words[0]):  # Vancouver: "van der Schouw TT", "Wheeler J A"
        first_initial = len(words) - 1
        while first_initial > 1 and _is_initials(words[first_initial - 1]):
            first_initial -= 1
        family, particle = _family_with_particle(words[:first_initial])
        given = " ".join(_spaced_initials(word) for word in words[first_initial:])
        return Name(family=family, given=given, particle=particle)
    first_particle = next(
        (i for i, w in enumerate(words[1:-1], start=1) if w in PARTICLES or w in _CAPITALISED_PARTICLES),
        len(words) - 1,
    )
    family, particle = _family_with_particle(words[first_particle:], capitalised=True)
    return Name(family=family, given=" ".join(words[:first_particle]), particle=particle)


def _inverted(family_chunk: str, given: str) -> Name:
    family, particle = _family_with_particle(family_chunk.split())
    return Name(family=family, given=_spaced_initials(given), particle=particle)


def parse_names(text: str) -> tuple[list[Name], bool]:
    """Names in a reference string's author list, and whether the list ended with "et al."."""
    if not text.strip():
        return [], False
    text = text.strip()
    if "- " in text:
        text = _BROKEN_HYPHEN_RE.sub(r"\1-\2", text)
    et_al = _ET_AL_RE.search(text, max(0, len(text) - 40))  # it can only be at the end
    truncated = et_al is not None
    if et_al:
        text = text[: et_al.start()]
    if "…" in text or "..." in text:
        text, cuts = _ELLIPSIS_RE.subn(", ", text)
        truncated = truncated or cuts > 0
    if _EDITOR_HINT_RE.search(text):
        text = _EDITOR_RE.sub(" ", text)
    text = _trim(text.strip(" ,;:()[]"))
    if not text:
        return [], truncated
    if "," not in text and ";" not in text and " and " not in text and _organisation(text):
        return [Name(literal=text)], truncated
    if ";" in text and "," in text:  # "Allaire, J.; R Foundation; Broman, K.": each name between semicolons
        return [_semicolon_name(chunk) for chunk in _SEMICOLON_RE.split(text) if chunk.strip(" ,")], truncated
    chunks = [_trim(chunk.strip(" ,")) for chunk in _SPLIT_RE.split(text)]
    chunks = [chunk for chunk in chunks if chunk]
    names: list[Name] = []
    index = 0
    while index < len(chunks):
        chunk = chunks[index]
        following = chunks[index + 1] if index + 1 < len(chunks) else ""
        if chunk in _SUFFIXES and names:
            names[-1] = replace(names[-1], suffix=chunk)
            index += 1
            continue
        pair = (
            following
            and _looks_family(chunk)
            and _looks_given(following)
            and (
                len([w for w in chunk.split() if w not in PARTICLES]) == 1
                or all(_is_initials(w) for w in following.split())
            )
        )
        given, particle = _particle_last(following)
        if particle and _looks_family(chunk) and _looks_given(given):  # APA's "Jong, J. de"
            names.append(replace(_inverted(chunk, given), particle=particle))
            index += 2
        elif pair:
            names.append(_inverted(chunk, following))
            index += 2
        else:
            names.append(_single(chunk))
            index += 1
    return names, truncated
