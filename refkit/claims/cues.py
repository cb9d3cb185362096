"""Cues a real document carries besides its words: the authors' family names and the years written in a
sentence ("Mantegna's minimum spanning tree", "in 2006 Druker showed"), numbers it shares with a
reference's abstract, and what its neighbours in the same paragraph are about.

Each cue is a small bonus added to the ranker's score of a reference, with weights fitted on the tuning
articles of benchmarks/map_citing.py; each cue says what it found, so the evidence shows why a reference
rose.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from refkit.model import Reference
from refkit.text import fold

_CAPITALISED_RE = re.compile(r"\b[A-ZÀ-Þ][\w'’-]+")
_YEAR_RE = re.compile(r"(?<![\d.])(1[89]\d\d|20\d\d)(?![\d.])")
_NUMBER_RE = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)?(?:\s?%)?")
_MIN_NAME = 3  # "Li", "Wu" match too many capitalised words at sentence starts
_POSSESSIVE_RE = re.compile(r"['’]s?$")
_NAME_STOP = frozenset(
    [
        "the",
        "this",
        "these",
        "those",
        "with",
        "from",
        "when",
        "where",
        "what",
        "which",
        "while",
        "after",
        "before",
        "during",
    ]
)


@dataclass(frozen=True, slots=True)
class Weights:
    """How much each cue adds to a reference's score (0 switches it off)."""

    first_author: float = 0.35
    coauthor: float = 0.1
    year: float = 0.15
    numbers: float = 0.1
    context: float = 0.3
    order: float = 0.3  # near where a list in citation order would first cite it (refkit.claims.order)
    ahead: float = 0.05  # taken off a reference the list would first cite further on


WEIGHTS = Weights()


def _name_key(name: str) -> str:
    return fold(_POSSESSIVE_RE.sub("", name)).replace(" ", "")


class CueIndex:
    """The references' names, years and abstract numbers, looked up per sentence."""

    def __init__(self, references: list[Reference]) -> None:
        self.first: dict[str, list[int]] = defaultdict(list)
        self.other: dict[str, list[int]] = defaultdict(list)
        self.years: dict[str, list[int]] = defaultdict(list)
        self.numbers: dict[str, list[int]] = defaultdict(list)  # a number written in an abstract → references
        for index, reference in enumerate(references):
            for position, author in enumerate(reference.authors):
                for part in author.family.replace("-", " ").split():
                    if len(part) >= _MIN_NAME:
                        (self.first if position == 0 else self.other)[_name_key(part)].append(index)
            if reference.year:
                self.years[str(reference.year)].append(index)
            for number in set(_numbers(reference.abstract)) if reference.abstract else ():
                self.numbers[number].append(index)

    def cues(self, sentence: str, weights: Weights) -> dict[int, tuple[float, tuple[str, ...]]]:
        """Per reference the bonus this sentence earns it and what earned it."""
        found: dict[int, tuple[float, tuple[str, ...]]] = {}

        def add(index: int, bonus: float, why: str) -> None:
            total, reasons = found.get(index, (0.0, ()))
            if why not in reasons:
                found[index] = (total + bonus, (*reasons, why))

        names = {_name_key(word) for word in _CAPITALISED_RE.findall(sentence) if word.lower() not in _NAME_STOP}
        for name in names:
            for index in self.first.get(name, ()) if weights.first_author else ():
                add(index, weights.first_author, f"author {name}")
            for index in self.other.get(name, ()) if weights.coauthor else ():
                add(index, weights.coauthor, f"co-author {name}")
        for year in set(_YEAR_RE.findall(sentence)) if weights.year else ():
            for index in self.years.get(year, ()):
                add(index, weights.year, f"year {year}")
        if weights.numbers:
            shared: dict[int, list[str]] = defaultdict(list)
            for number in sorted(set(_numbers(_YEAR_RE.sub(" ", sentence)))):
                for index in self.numbers.get(number, ()):
                    shared[index].append(number)
            for index, numbers in shared.items():
                add(index, weights.numbers, "numbers " + ", ".join(numbers[:3]))
        return found


def _numbers(text: str) -> list[str]:
    """Numbers a sentence could share with an abstract: not single digits (every text has those)."""
    found = []
    for number in _NUMBER_RE.findall(text):
        number = number.replace(" ", "").replace(",", ".")
        if len(number.rstrip("%")) >= 2 or number.endswith("%"):
            found.append(number)
    return found
