"""From a candidate's score to a calibrated confidence and a label.

A raw score has no fixed meaning: the same 0.3 is a standout in a list of 500 references and noise in a list
of 8, and a sentence about the authors' own results ("we found…") cites less often than one about earlier
work. So a small logistic model turns what is known about a candidate (its score, its lead over the others,
the list's length, whether an author's name is written in the sentence, whether the sentence reports the
authors' own work or earlier work) into the chance that the authors cite it. It is fitted per ranker on the
tuning articles of ../shared/data/citing-sentences by `python benchmarks/map_citing.py --fit`, and the
thresholds on that chance are chosen there too (docs/map.md, "Calibration").
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from refkit.claims.model import Label, Thresholds

FEATURES = ("score", "lead", "list", "author", "own_work", "earlier_work")

_OWN_WORK_RE = re.compile(
    r"\b(?:we|our|us|here|this study|the present study|in this (?:study|work|paper)|figure|fig|table|"
    r"supplementary|data not shown)\b",
    re.IGNORECASE,
)
_EARLIER_WORK_RE = re.compile(
    r"\b(?:previous\w*|prior|earlier|recent\w*|studies|reported|has been|have been|had been|known|"
    r"described|proposed|shown|demonstrated|suggested|et al|reviewed|literature|others|originally)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Calibration:
    """A logistic model over FEATURES and the thresholds on its output."""

    intercept: float
    weights: tuple[float, ...]  # one per FEATURES entry
    thresholds: Thresholds


CALIBRATIONS = {  # printed by `python benchmarks/map_citing.py --fit` (likely: where tuning precision levels off)
    "lexical": Calibration(-4.909, (8.203, 0.336, 0.058, -0.11, -0.666, 0.746), Thresholds(likely=0.73, weak=0.12)),
    # Not yet fitted on the real articles (too slow for the machine it was built on): the lexical model fitted
    # before the list-order cue, with thresholds chosen on the six labeled documents of tests/data/map
    # (benchmarks/map_calibration.py).
    "semantic": Calibration(-4.136, (8.255, 3.294, 0.01, -0.279, -0.711, 0.875), Thresholds(likely=0.8, weak=0.7)),
}
THRESHOLDS = {name: calibration.thresholds for name, calibration in CALIBRATIONS.items()}


def sentence_features(sentence: str) -> tuple[float, float]:
    """Whether a sentence speaks of the authors' own work, and whether of earlier work."""
    return float(bool(_OWN_WORK_RE.search(sentence))), float(bool(_EARLIER_WORK_RE.search(sentence)))


def features(score: float, lead: float, references: int, author: bool, sentence: tuple[float, float]) -> list[float]:
    """FEATURES for one candidate: `lead` is its score minus the best other reference's."""
    return [score, lead, math.log(1 + references), float(author), *sentence]


def confidence(values: list[float], calibration: Calibration) -> float:
    total = calibration.intercept + sum(w * x for w, x in zip(calibration.weights, values, strict=True))
    return 1 / (1 + math.exp(-max(-30.0, min(30.0, total))))


def label_for(value: float, thresholds: Thresholds) -> Label:
    if value >= thresholds.likely:
        return Label.LIKELY
    if value >= thresholds.weak:
        return Label.WEAK
    return Label.NONE
