"""BM25 over the references (title + abstract + keywords), normalised so a score reads as "how much of the
claim's distinctive vocabulary this reference shares", from 0 to 1.

Raw BM25 grows with query length and has no fixed scale, so labels could not use one threshold for every
claim. Dividing by the sum of the query terms' idf (what a reference of average length containing each
query term once would score) gives a number near 1 when a reference has all of the claim's words and near 0
when it shares only words every reference has. Terms absent from every reference keep their (high) idf in
the denominator: a claim about something no reference mentions scores low, as it should.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from itertools import repeat
from operator import add, mul

from refkit.claims.tokens import stem, terms, words

K1 = 1.2
B = 0.75
DENSE_SHARE = 0.25  # a term in at least this share of the references is added as a whole row (at C speed)


class LexicalIndex:
    """An inverted index of the references' passages; built once, queried once per claim. Each posting
    carries its term's whole BM25 contribution to its reference, so a query only adds numbers: a term most
    references share is kept as one row of every reference's contribution, added with `map` in one pass."""

    name = "lexical"

    def __init__(self, documents: list[list[str]]) -> None:
        self.documents = documents
        self.size = len(documents)
        self.passage_terms = [[set(terms(passage)) for passage in passages] for passages in documents]
        counts = [Counter(term for passage in passages for term in terms(passage)) for passages in documents]
        lengths = [sum(count.values()) for count in counts]
        average = (sum(lengths) / len(lengths)) if lengths and sum(lengths) else 1.0
        frequency_of = Counter(term for count in counts for term in count)
        self.idf = {term: _idf(len(documents), containing) for term, containing in frequency_of.items()}
        self.unseen_idf = _idf(len(documents), 0)
        self.weights: list[dict[str, float]] = []  # per reference: term → BM25 contribution
        postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for index, count in enumerate(counts):
            saturation = K1 * (1 - B + B * lengths[index] / average)
            weights = {term: self.idf[term] * tf * (K1 + 1) / (tf + saturation) for term, tf in count.items()}
            self.weights.append(weights)
            for term, weight in weights.items():
                postings[term].append((index, weight))
        self.postings: dict[str, list[tuple[int, float]]] = {}  # rarer terms: (reference, contribution)
        self.rows: dict[str, list[float]] = {}  # common terms: every reference's contribution
        for term, found in postings.items():
            if len(found) >= DENSE_SHARE * self.size:
                row = [0.0] * self.size
                for index, weight in found:
                    row[index] = weight
                self.rows[term] = row
            else:
                self.postings[term] = found

    def _norm(self, unique: set[str]) -> float:
        return sum(self.idf.get(term, self.unseen_idf) for term in unique)

    def scores(self, query: str) -> list[float]:
        """Normalised BM25 of every reference (in list order; 0 where no term is shared)."""
        unique = set(terms(query))
        norm = self._norm(unique)
        raw = [0.0] * self.size
        if not norm:
            return raw
        for term in unique:
            row = self.rows.get(term)
            if row is not None:
                raw = list(map(add, raw, row))
                continue
            for index, weight in self.postings.get(term, ()):
                raw[index] += weight
        if max(raw) <= norm:  # the usual case: no reference has more than the query's words' worth
            return list(map(mul, raw, repeat(1 / norm)))
        return [value if value < 1.0 else 1.0 for value in map(mul, raw, repeat(1 / norm))]

    def score_all(self, queries: list[str]) -> list[list[float]]:
        return [self.scores(query) for query in queries]

    def words(self, query: str, index: int) -> float:
        """How much of the query's distinctive vocabulary reference `index` shares (its normalised BM25)."""
        unique = set(terms(query))
        norm = self._norm(unique)
        weights = self.weights[index]
        return min(1.0, sum(weights.get(term, 0.0) for term in unique) / norm) if norm else 0.0

    def evidence(self, query: str, index: int) -> tuple[str, tuple[str, ...]]:
        """The passage of reference `index` sharing the most distinctive words with the query, and those words."""
        query_words = [word for word in words(query) if stem(word) in self.idf]
        weights = {stem(word): self.idf[stem(word)] for word in query_words}
        best, best_weight, best_terms = "", 0.0, set()
        for passage, passage_terms in zip(self.documents[index], self.passage_terms[index], strict=True):
            shared = passage_terms & weights.keys()
            weight = sum(weights[term] for term in shared)
            if weight > best_weight:
                best, best_weight, best_terms = passage, weight, shared
        return best, tuple(dict.fromkeys(word for word in query_words if stem(word) in best_terms))


def _idf(total: int, containing: int) -> float:
    return math.log(1 + (total - containing + 0.5) / (containing + 0.5))
