"""The semantic ranker (refkit[semantic]); skipped where the extra is not installed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from refkit.claims import Label, Thresholds, map_claims
from refkit.claims.evaluate import empty_scores, evaluate, load_labels
from refkit.claims.labels import THRESHOLDS
from refkit.claims.lexical import LexicalIndex
from refkit.claims.load import map_document
from refkit.claims.semantic import LEXICAL_WEIGHT, SemanticIndex, SemanticUnavailable, load_model
from refkit.model import Reference

DATA = Path(__file__).parent / "data" / "map"


@pytest.fixture(scope="module", autouse=True)
def model():
    try:
        return load_model()
    except SemanticUnavailable as error:
        pytest.skip(str(error))


def test_the_model_loads_from_the_package_with_the_hub_switched_off() -> None:
    assert os.environ["HF_HUB_OFFLINE"] == "1"
    vectors = load_model().encode(["a sentence"], normalize_embeddings=True)
    assert vectors.shape == (1, 384)


REFERENCES = [
    Reference(key="caffeine", title="Caffeine given 0, 3 or 6 hours before going to bed reduces total sleep time"),
    Reference(key="naps", title="Brief afternoon naps improve alertness"),
    Reference(key="apnea", title="Prevalence of sleep-disordered breathing in adults"),
    Reference(key="bees", title="Neonicotinoid seed coating harms wild bees"),
    Reference(key="sea", title="Accelerated sea-level rise detected by satellite altimetry"),
    Reference(key="statins", title="Statins lower LDL cholesterol and cardiovascular events"),
    Reference(key="pairs", title="Pair programming and software defect rates"),
    Reference(key="glacier", title="Mass loss of the Greenland ice sheet since 1972"),
]


def test_a_paraphrase_finds_its_reference_without_shared_words() -> None:
    claim = "Drinking coffee late keeps people awake for longer."
    semantic = map_claims(claim, REFERENCES, ranker="semantic")
    assert semantic.ranker == "semantic" and semantic.notice == ""
    assert semantic.claims[0].candidates[0].key == "caffeine"  # found by meaning…
    lexical = map_claims(claim, REFERENCES, ranker="lexical").claims[0]
    assert lexical.label is Label.NONE and lexical.scores["caffeine"] == 0  # …where no word is shared


def test_scores_stand_out_from_the_lists_median_and_the_words_part_is_the_lexical_score() -> None:
    documents = [[reference.title] for reference in REFERENCES]
    index = SemanticIndex(documents)
    query = "Pesticides on seeds reduce the number of wild bees."  # shares "wild bees" with one title
    ranked = index.score_all([query])[0]
    assert len(ranked) == len(REFERENCES) and max(range(len(ranked)), key=ranked.__getitem__) == 3
    assert sum(1 for score in ranked if score > 0) <= 5  # below the median scores 0 unless words match
    words = LexicalIndex(documents).words(query, 3)
    assert index.words(query, 3) == pytest.approx(words) and words > 0
    assert ranked[3] > LEXICAL_WEIGHT * words  # meaning adds to the words


def test_semantic_scores_on_the_labeled_documents_meet_the_documented_floors() -> None:
    total = empty_scores()
    for path in sorted(DATA.glob("*.labels.json")):
        labels = load_labels(path)
        claim_map = map_document(
            DATA / labels["document"], DATA / labels["bib"], ranker="semantic", thresholds=Thresholds(0.0, 0.0)
        )
        total.add(evaluate(claim_map, labels, THRESHOLDS["semantic"]))
    assert total.support.precision >= 0.90 and total.support.recall >= 0.60
    assert total.top1 >= 0.90
    assert total.unsupported.f1 >= 0.60
