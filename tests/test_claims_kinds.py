"""Which sentences are checkable claims, and why the others are not."""

from __future__ import annotations

import pytest

from refkit.claims.kinds import classify
from refkit.claims.model import Kind
from tests.growth import assert_linear


@pytest.mark.parametrize(
    "sentence, kind, reason",
    [
        ("Overall survival at five years was 89% in the imatinib arm.", Kind.CLAIM, "figure"),
        ("Pair programming produced fewer defects than solo work.", Kind.CLAIM, "comparison"),
        ("Caffeine delays sleep onset by blocking adenosine receptors.", Kind.CLAIM, "causal"),
        ("Metformin is effective and well tolerated in older adults.", Kind.CLAIM, "efficacy"),
        ("Studies have shown that most patients stay in remission after stopping treatment.", Kind.CLAIM, "evidence"),
        ("What types of cancer does imatinib treat?", Kind.QUESTION, "question"),
        ("Talk to your doctor before you stop any medicine.", Kind.ADVICE, "what to do"),
        ("It's crucial for patients to keep regular follow-up appointments.", Kind.ADVICE, "what to do"),
        ("This blog post will delve into the mechanism of action of imatinib.", Kind.FRAMING, "frames"),
        ("In conclusion, the drug changed how the disease is treated.", Kind.FRAMING, "frames"),
        ("Some approaches being studied include:", Kind.FRAMING, "introduces"),
        ("The committee met in the spring.", Kind.FRAMING, "no checkable"),
    ],
)
def test_kinds(sentence: str, kind: Kind, reason: str) -> None:
    found, reasons = classify(sentence)
    assert found is kind
    assert any(reason in item for item in reasons), reasons


def test_a_cited_sentence_is_a_claim_even_without_other_signals() -> None:
    assert classify("The committee met in the spring.", cited=True) == (Kind.CLAIM, ("cited",))


def test_important_to_note_is_not_advice() -> None:
    kind, _ = classify("However, it's important to note that most patients relapse within a year.")
    assert kind is Kind.CLAIM


def test_a_long_run_of_digits_is_classified_in_linear_time() -> None:
    """A figure pattern that could start inside the run took 14 s on 20,000 digits."""
    kind, _ = assert_linear(classify, lambda n: "Sample identifiers: " + "7" * n, 5000)
    assert kind is Kind.FRAMING
