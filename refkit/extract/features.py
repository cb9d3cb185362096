"""Tokens of a reference string and the features the sequence tagger sees for each of them.

Tokens are words with their trailing punctuation ("Druker," "B." "2408-2417."); they are also cut after
";" and ":" and before "(" so that Vancouver's "1999;100:1268-75" and APA's "355(23)," give one token per
field. Features are cheap string tests: the word, its shape, a few small dictionaries, and where it sits
(after a year? inside quotes? which period-delimited segment?). Per-word features are cached, so tagging
costs little more than the tagger itself.
"""

from __future__ import annotations

import re
from functools import lru_cache

TOKEN_RE = re.compile(r"[(\[]*[^\s;:,()\[\]]+[)\]]*[.;:,]*[)\]]*[.;:,]*|\S")
_SHAPE_TABLE = str.maketrans(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
    "XXXXXXXXXXXXXXXXXXXXXXXXXXxxxxxxxxxxxxxxxxxxxxxxxxxxdddddddddd")
_REPEATS_RE = re.compile(r"(.)\1+")
_YEAR_RE = re.compile(r"^[(\[]?(?:1[5-9]\d\d|20[0-4]\d)[a-z]?[)\].,;:]*$")
_PAGES_RE = re.compile(r"^[A-Za-z]?\d+[A-Za-z]?\s*[-–—]+\s*[A-Za-z]?\d+")
_INITIALS_RE = re.compile(r"^(?:[A-Z]\.-?){1,4},?$|^[A-Z]{1,3},?$")
_MONTHS = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
           "january", "february", "march", "april", "june", "july", "august", "september", "october",
           "november", "december", "spring", "summer", "autumn", "fall", "winter"}
_VOCABULARY = {
    "journal": {"journal", "j", "jour", "proc", "proceedings", "conference", "conf", "symposium", "symp",
                "workshop", "review", "rev", "trans", "transactions", "letters", "lett", "bulletin", "bull",
                "annals", "ann", "quarterly", "magazine", "acta", "archives", "arch", "international", "int",
                "science", "sci", "research", "res", "med", "medicine", "physics", "phys", "chem", "society",
                "soc", "am", "american", "eur", "european", "british", "br", "clin", "clinical", "ieee", "acm",
                "lancet", "nature", "advances", "adv", "studies", "annual", "oncology", "new"},
    "publisher": {"press", "publishing", "publishers", "publisher", "verlag", "springer", "wiley", "elsevier",
                  "academic", "books", "university", "univ", "oxford", "cambridge", "routledge", "sage", "mit",
                  "prentice", "hall", "addison-wesley", "mcgraw-hill", "norton", "penguin", "inc", "ltd", "co",
                  "institute", "department", "dept", "company", "house", "editions", "éditions"},
    "place": {"new", "york", "london", "ny", "ca", "ma", "berlin", "paris", "boston", "chicago", "amsterdam",
              "oxford", "cambridge", "heidelberg", "tokyo", "washington", "dc", "philadelphia", "san",
              "francisco", "los", "angeles", "princeton", "toronto", "leipzig", "wien", "vienna", "madrid",
              "usa", "uk", "germany", "france", "nj", "il", "mass", "calif"},
    "editor": {"ed", "eds", "ed.", "eds.", "editor", "editors", "edited", "hrsg", "hg", "dir", "trans",
               "translated", "(ed.)", "(eds.)", "(ed)", "(eds)"},
    "edition": {"edition", "edn", "ed", "2nd", "3rd", "4th", "5th", "6th", "7th", "8th", "rev", "revised"},
    "genre": {"thesis", "dissertation", "phd", "ph.d", "master's", "masters", "report", "technical", "tech",
              "working", "paper", "preprint", "manuscript", "unpublished", "doctoral", "msc", "diss"},
    "in": {"in", "in:", "in."},
    "pp": {"pp", "pp.", "p", "p.", "pages", "page", "s", "s."},
    "vol": {"vol", "vol.", "volume", "v", "v.", "bd", "bd."},
    "no": {"no", "no.", "nr", "nr.", "issue", "n", "n.", "num", "number"},
    "etal": {"et", "al", "al.", "others"},
    "and": {"and", "&", "und", "et", "y"},
}  # fmt: skip


def tokenize(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the tokens of one reference string."""
    return [match.span() for match in TOKEN_RE.finditer(text)]


@lru_cache(maxsize=200_000)
def word_features(token: str) -> tuple[str, ...]:
    """Features of a token on its own, whatever surrounds it."""
    stripped = token.strip("()[].,;:\"'“”‘’")
    lower = stripped.lower()
    shape = _REPEATS_RE.sub(r"\1\1", token.translate(_SHAPE_TABLE))[:8]
    features = ["w=" + lower[:24], "shape=" + shape, "last=" + token[-1], "first=" + token[0],
                "len=" + str(min(len(stripped), 10))]
    if _YEAR_RE.match(token):
        features.append("year")
    elif stripped.isdigit():
        features.append("digits=" + str(min(len(stripped), 5)))
    if _PAGES_RE.match(stripped):
        features.append("range")
    if _INITIALS_RE.match(token):
        features.append("initials")
    if stripped[:1].isupper():
        features.append("cap")
    elif stripped[:1].islower():
        features.append("lower")
    if lower in _MONTHS or (lower[:3] in _MONTHS and len(lower) <= 4):
        features.append("month")
    for name, words in _VOCABULARY.items():
        if lower in words or token.lower() in words:
            features.append("dict=" + name)
    if token[0] in "“\"‘'«":
        features.append("open-quote")
    if token.rstrip(".,;:")[-1:] in "”\"’'»":
        features.append("close-quote")
    return tuple(features)


def sequence_features(text: str, spans: list[tuple[int, int]]) -> list[list[str]]:
    """Features of every token: its own, its neighbours', and where it stands in the string."""
    words = [text[start:end] for start, end in spans]
    own = [word_features(word) for word in words]
    count = len(words)
    result: list[list[str]] = []
    seen_year = quoted = False
    segment = 0
    for index, word in enumerate(words):
        features = list(own[index])
        features.append("pos=" + str(min(index, 4)) if index < 5 else "rel=" + str(10 * index // count))
        features.append("seg=" + str(min(segment, 6)))
        if seen_year:
            features.append("after-year")
        if quoted or "open-quote" in own[index]:
            features.append("quoted")
        if index:
            features.append("-1" + own[index - 1][0])
            features.append("-1" + own[index - 1][1])
        else:
            features.append("BOS")
        if index + 1 < count:
            features.append("+1" + own[index + 1][0])
            features.append("+1" + own[index + 1][1])
        else:
            features.append("EOS")
        if index > 1:
            features.append("-2" + own[index - 2][1])
        if index + 2 < count:
            features.append("+2" + own[index + 2][1])
        result.append(features)
        if "year" in own[index]:
            seen_year = True
        if "open-quote" in own[index]:
            quoted = True
        if "close-quote" in own[index]:
            quoted = False
        if word.endswith((".", "?", "!")) and "initials" not in own[index] and len(word) > 3:
            segment += 1
    return result
