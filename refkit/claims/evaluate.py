"""Scoring a ClaimMap against hand labels, to calibrate the label thresholds and to keep them honest.

A labels file (JSON) names a document, its .bib, and for each sentence (found by the start of its text)
its kind and, for claims, the keys of the references that support it (empty: nothing in the list does)
and, for claims with markers, the keys the markers must resolve to (`"cited"`). `"unresolved"` lists the
marker targets that must be reported as resolving to nothing.

Ranking is scored on the claims without markers only: a marker's reference is found, not ranked.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from refkit.claims.model import ClaimMap, Kind, Label, Thresholds
from refkit.files import read_text


@dataclass(slots=True)
class Counts:
    """Hits and misses, summed over documents before the ratios are taken."""

    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0

    def add(self, other: Counts) -> None:
        self.true_positive += other.true_positive
        self.false_positive += other.false_positive
        self.false_negative += other.false_negative

    @property
    def precision(self) -> float:
        found = self.true_positive + self.false_positive
        return self.true_positive / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positive + self.false_negative
        return self.true_positive / wanted if wanted else 1.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


@dataclass(slots=True)
class Scores:
    claims: Counts  # sentence is a claim
    cited: Counts  # (claim, reference) pairs its markers resolve to
    support: Counts  # unmarked claims: (claim, reference) pairs offered as likely support
    unsupported: Counts  # unmarked claims labeled "none" (positive = nothing in the list supports it)
    top1_hits: int = 0  # supported unmarked claims whose best-ranked reference is a right one, whatever its score
    supported_claims: int = 0
    missing: int = 0  # labeled sentences the segmenter did not produce
    markers_ok: bool = True

    def add(self, other: Scores) -> None:
        self.claims.add(other.claims)
        self.cited.add(other.cited)
        self.support.add(other.support)
        self.unsupported.add(other.unsupported)
        self.top1_hits += other.top1_hits
        self.supported_claims += other.supported_claims
        self.missing += other.missing
        self.markers_ok = self.markers_ok and other.markers_ok

    @property
    def top1(self) -> float:
        return self.top1_hits / self.supported_claims if self.supported_claims else 1.0


def empty_scores() -> Scores:
    return Scores(Counts(), Counts(), Counts(), Counts())


def load_labels(path: str | Path) -> dict:
    return json.loads(read_text(path, what="labels file"))


def evaluate(claim_map: ClaimMap, labels: dict, thresholds: Thresholds) -> Scores:
    """Compare a map to the labels, as it would be labeled with `thresholds` (on the candidates' confidence)."""
    scores = empty_scores()
    claims = {claim.sentence.index: claim for claim in claim_map.claims}
    for item in labels["sentences"]:
        sentence = next((s for s in claim_map.sentences if s.text.startswith(item["text"])), None)
        if sentence is None:
            scores.missing += 1
            continue
        gold_claim = item["kind"] == Kind.CLAIM.value
        predicted = sentence.kind is Kind.CLAIM
        _count(scores.claims, predicted, gold_claim)
        if not gold_claim:
            continue
        gold = set(item.get("supports", []))
        claim = claims.get(sentence.index)
        supports = claim.supports if claim else []
        cited = {s.key for s in supports if s.label is Label.CITED}
        gold_cited = set(item.get("cited", []))
        for key in cited | gold_cited:
            _count(scores.cited, key in cited, key in gold_cited)
        if sentence.markers:
            continue
        candidates = claim.candidates if claim else []
        offered = [s.key for s in candidates if s.confidence >= thresholds.likely]
        for key in set(offered) | gold:
            _count(scores.support, key in offered, key in gold)
        has_any = any(s.confidence >= thresholds.weak for s in candidates)
        _count(scores.unsupported, not has_any, not gold)
        if gold:
            scores.supported_claims += 1
            scores.top1_hits += bool(candidates) and candidates[0].key in gold
    found = sorted(value for _, marker in claim_map.unresolved for value in marker.unresolved)
    scores.markers_ok = found == sorted(labels.get("unresolved", []))
    return scores


def _count(counts: Counts, predicted: bool, gold: bool) -> None:
    if predicted and gold:
        counts.true_positive += 1
    elif predicted:
        counts.false_positive += 1
    elif gold:
        counts.false_negative += 1
