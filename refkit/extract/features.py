"""Tokens of a reference string and the features the sequence tagger sees for each of them.

Tokens are words with their trailing punctuation ("Druker," "B." "2408-2417."); they are also cut after
";" and ":", before "(", and between an abbreviation's period and a number ("Am.66"), so that Vancouver's
"1999;100:1268-75" and APA's "355(23)," give one token per field. A run of plain lower-case words ("of
patients receiving imatinib") is one token: it never spans two fields, and merging it makes tagging 8%
faster for 0.1 point of micro-F1 (benchmarks/extract_accuracy.py). Features are cheap string tests: the
word, its shape, a few small dictionaries, and where it sits (after a year? inside quotes? in which
period-delimited segment?). Per-word features are cached, so tagging costs little more than the tagger.
"""

from __future__ import annotations

import re
from functools import lru_cache

from refkit.text import MONTH_NAMES

# A run of opening brackets is one token (no rescanning: linear time). The second pattern also cuts "Am.66"
# after the period; it is slower, so it is used only on strings that have a letter, a period and a digit.
_TOKEN_RE = re.compile(r"[(\[]*[^\s;:,()\[\]]+[)\]]*[.;:,]*[)\]]*[.;:,]*|[(\[]+|\S")
_TOKEN_CUT_RE = re.compile(
    r"[(\[]*(?:[^\s;:,()\[\].]|\.(?![0-9])|(?<![A-Za-z])\.(?=[0-9]))+[)\]]*[.;:,]*"
    r"[)\]]*[.;:,]*|[(\[]+|\S"
)
_LETTER_PERIOD_DIGIT_RE = re.compile(r"[A-Za-z]\.[0-9]")
_SHAPE_TABLE = str.maketrans(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
    "XXXXXXXXXXXXXXXXXXXXXXXXXXxxxxxxxxxxxxxxxxxxxxxxxxxxdddddddddd",
)
_YEAR_RE = re.compile(r"^[(\[]?(?:1[5-9]\d\d|20[0-4]\d)[a-z]?[)\].,;:]*$")
_PAGES_RE = re.compile(r"^[A-Za-z]?\d+[A-Za-z]?\s*[-–—]+\s*[A-Za-z]?\d+")
_INITIALS_RE = re.compile(r"^(?:[A-Z]\.-?){1,4},?$|^[A-Z]{1,3},?$")
_SEASONS = {"spring", "summer", "autumn", "fall", "winter"}  # issues dated by season: "Summer 2004"
_MONTHS = MONTH_NAMES | _SEASONS
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


_RUNS = [(re.compile(letter + "{3,}"), letter * 2) for letter in "Xxd"]
# word → the dictionaries it is in, as features ("ed" → ("Deditor", "Dedition"))
_VOCABULARY_INDEX = {
    entry: tuple("D" + name for name, entries in _VOCABULARY.items() if entry in entries)
    for entry in set().union(*_VOCABULARY.values())
}


def _shape(token: str) -> str:
    """Letter classes with runs cut to two: "Druker," → "Xxx,", "2408-2417." → "dd-dd." (first 8)."""
    shape = token.translate(_SHAPE_TABLE)
    for pattern, pair in _RUNS:
        shape = pattern.sub(pair, shape)
    return shape[:8]


def tokenize(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the tokens of one reference string; runs of lower-case words are merged."""
    pattern = _TOKEN_CUT_RE if _LETTER_PERIOD_DIGIT_RE.search(text) else _TOKEN_RE
    spans: list[tuple[int, int]] = []
    lower_run = False
    for match in pattern.finditer(text):
        word = match.group()
        lower = word.isalpha() and word.islower()
        if lower and lower_run:
            spans[-1] = (spans[-1][0], match.end())
        else:
            spans.append(match.span())
        lower_run = lower
    return spans


def _run_features(token: str) -> tuple[str, ...]:
    """Features of a run of lower-case words: its first and last words, its length."""
    words = token.split()
    return (
        "w" + words[0][:12],
        "sxx+",
        "l" + token[-1],
        "f" + token[0],
        "n" + str(min(len(words), 5)) + "w",
        "lower",
        "e" + words[-1][:12],
        *_VOCABULARY_INDEX.get(words[0], ()),
        *(name for name in _VOCABULARY_INDEX.get(words[-1], ()) if name not in _VOCABULARY_INDEX.get(words[0], ())),
    )


def word_features(token: str) -> tuple[str, ...]:
    """Features of a token on its own, whatever surrounds it."""
    if " " in token:
        return _run_features(token)
    stripped = token.strip("()[].,;:\"'“”‘’")
    lower = stripped.lower()
    shape = _shape(token)
    features = ["w" + lower[:12], "s" + shape, "l" + token[-1], "f" + token[0], "n" + str(min(len(stripped), 10))]
    if not stripped.isalpha():  # the number tests, skipped for the many plain words
        if _YEAR_RE.match(token):
            features.append("year")
        elif stripped.isdigit():
            features.append("d" + str(min(len(stripped), 5)))
        if _PAGES_RE.match(stripped):
            features.append("range")
    if token[0].isupper() and len(token) < 12 and _INITIALS_RE.match(token):
        features.append("initials")
    if stripped[:1].isupper():
        features.append("cap")
    elif stripped[:1].islower():
        features.append("lower")
    if lower in _MONTHS or (lower[:3] in _MONTHS and len(lower) <= 4):
        features.append("month")
    features.extend(_VOCABULARY_INDEX.get(lower, ()))
    features.extend(name for name in _VOCABULARY_INDEX.get(token.lower(), ()) if name not in features)
    if token[0] in "“\"‘'«":
        features.append("open-quote")
    if token.rstrip(".,;:")[-1:] in "”\"’'»":
        features.append("close-quote")
    return tuple(features)


_POSITION = tuple(f"pos={index}".encode() for index in range(5))
_RELATIVE = tuple(f"rel={decile}".encode() for decile in range(11))
_SEGMENT = tuple(f"seg={segment}".encode() for segment in range(7))
_AFTER_YEAR, _QUOTED, _BOS, _EOS = b"after-year", b"quoted", (b"BOS",), (b"EOS",)


@lru_cache(maxsize=200_000)
def _word(token: str) -> tuple:
    """A token's own features, the forms its neighbours see, and the flags that carry state along. Features
    are handed to the tagger as UTF-8 bytes, which it takes without re-encoding."""
    own = word_features(token)
    encoded = tuple("\0".join(own).encode().split(b"\0"))
    last = ("w" + token.rsplit(" ", 1)[1][:12]).encode() if " " in token else encoded[0]  # a run's last word
    return (
        encoded,
        (b"-1" + last, b"-1" + encoded[1], b"-2" + encoded[1]),
        (b"+1" + encoded[0], b"+1" + encoded[1], b"+2" + encoded[1]),
        "year" in own,
        "open-quote" in own,
        "close-quote" in own,
        token.endswith((".", "?", "!")) and "initials" not in own and len(token) > 3,
    )


def sequence_features(text: str, spans: list[tuple[int, int]]) -> list[list[bytes]]:
    """Features of every token: its own, its neighbours', and where it stands in the string (after a year?
    inside quotes? in which period-delimited segment?)."""
    words = [_word(text[start:end]) for start, end in spans]
    count = len(words)
    result: list[list[bytes]] = []
    seen_year = quoted = False
    segment = 0
    for index, word in enumerate(words):
        features = [
            *word[0],
            _POSITION[index] if index < 5 else _RELATIVE[10 * index // count],
            _SEGMENT[min(segment, 6)],
        ]
        if seen_year:
            features.append(_AFTER_YEAR)
        if quoted or word[4]:
            features.append(_QUOTED)
        if index > 1:
            features.extend(words[index - 1][1])
            features[-1] = words[index - 2][1][2]
        elif index:
            features.extend(words[0][1][:2])
        else:
            features.extend(_BOS)
        if index + 2 < count:
            features.extend(words[index + 1][2])
            features[-1] = words[index + 2][2][2]
        elif index + 1 < count:
            features.extend(words[index + 1][2][:2])
        else:
            features.extend(_EOS)
        result.append(features)
        seen_year = seen_year or word[3]
        if word[4]:
            quoted = True
        if word[5]:
            quoted = False
        segment += word[6]
    return result
