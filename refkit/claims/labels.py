"""From a ranker's score to a label. The thresholds are calibrated on the labeled documents in
tests/data/map/ (see docs/map.md and benchmarks/map_calibration.py); each ranker has its own scale."""

from __future__ import annotations

from refkit.claims.model import Label, Thresholds

THRESHOLDS = {
    "lexical": Thresholds(likely=0.25, weak=0.15),
    "semantic": Thresholds(likely=0.40, weak=0.35),
}


def label_for(score: float, thresholds: Thresholds) -> Label:
    if score >= thresholds.likely:
        return Label.LIKELY
    if score >= thresholds.weak:
        return Label.WEAK
    return Label.NONE
