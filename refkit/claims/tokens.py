"""Words for matching claims against references: folded, stop words dropped, lightly stemmed.

The stemmer is deliberately small: it only has to make a claim's words meet the same words in a title or
abstract ("inhibits"/"inhibition", "tumour"/"tumor", "leukaemia"/"leukemia", "randomised"/"randomized"),
and it must be fast and predictable, because both rankers and the evidence shown to users go through it.
"""

from __future__ import annotations

import re
from functools import lru_cache

from refkit.text import fold

_STOP_WORD_LIST = """
a about above after again against all almost along already also although am among an and another any are
around as at be because been before being below between both but by can cannot could did do does doing done
down during each either et al eg ie etc even ever every few for from further had has have having he her here
hers him his how however i if in into is it its itself just least less like made make makes many may me
might more most much must my neither no nor not now of off often on once one only or other others our out
over own per perhaps quite rather same several she should since so some still such than that the their
them themselves then there these they this those though through thus to too under until up upon us very via
was we well were what when where whether which while who whom whose why will with within without would yet
you your
"""
STOP_WORDS = frozenset(_STOP_WORD_LIST.split())

_WORD_RE = re.compile(r"\w+")
_BRITISH = (
    (re.compile(r"(?<=[a-z]{2})(?<![aeiou])ae(?=[a-z])"), "e"),  # leukaemia, haematology
    (re.compile(r"(?<=[a-z]{3})our$"), "or"),  # tumour, behaviour
    (re.compile(r"(?<=[a-z]{3})is(e|ed|es|ing|ation|ations)$"), r"iz\1"),
)  # randomised
# Longest first; each strips or rewrites a suffix while at least three letters of stem remain.
_SUFFIXES = (
    ("izations", "iz"),
    ("ization", "iz"),
    ("ations", "at"),
    ("ation", "at"),
    ("ments", ""),
    ("ment", ""),
    ("ingly", ""),
    ("edly", ""),
    ("ness", ""),
    ("ions", ""),
    ("ies", "y"),
    ("ied", "y"),
    ("ion", ""),
    ("ing", ""),
    ("ly", ""),
    ("ed", ""),
    ("es", "e"),
    ("s", ""),
)
_KEEP_S = ("ss", "us", "is", "ys")
_DOUBLED = re.compile(r"([bdfgklmnprt])\1$")


@lru_cache(maxsize=131072)
def stem(word: str) -> str:
    """Reduce a folded word to a matching key: "inhibition", "inhibits" and "inhibited" all give "inhibit"."""
    if len(word) <= 3 or not word.isalpha():
        return word
    for pattern, replacement in _BRITISH:
        word = pattern.sub(replacement, word)
    for suffix, replacement in _SUFFIXES:
        if not word.endswith(suffix) or len(word) - len(suffix) < 3:
            continue
        if suffix == "s" and word.endswith(_KEEP_S):
            break
        word = word[: len(word) - len(suffix)] + replacement
        if suffix in ("ing", "ed", "ingly", "edly"):
            word = _DOUBLED.sub(r"\1", word)  # stopped → stop
        break
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]  # disease/diseases, increase/increased
    return word


def words(text: str) -> list[str]:
    """The folded words of a text, in order, stop words included (for showing matches)."""
    return _WORD_RE.findall(fold(text))


def terms(text: str) -> list[str]:
    """The matching keys of a text: folded, without stop words or lone digits, stemmed."""
    return [stem(word) for word in words(text) if word not in STOP_WORDS and not word.isdigit()]
