"""Calibrate and report the `refkit map` label thresholds on the labeled documents in tests/data/map/.

Prints, for each ranker and a sweep of thresholds, on the claims without markers: the F1 of "likely support"
(score ≥ likely, per claim-reference pair), top-1 accuracy (is the best-ranked reference right, whatever
its score), and the F1 of "none" (no score ≥ weak, per
claim, at the best weak threshold); then all scores at the thresholds refkit ships (refkit.claims.labels):
claim detection, marker resolution, ranking.

    python benchmarks/map_calibration.py [--ranker lexical|semantic]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from refkit.claims.evaluate import Scores, empty_scores, evaluate, load_labels
from refkit.claims.labels import THRESHOLDS
from refkit.claims.load import map_document
from refkit.claims.model import ClaimMap, Thresholds
from refkit.claims.semantic import SemanticUnavailable, load_model

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "map"
GRID = [round(0.05 * step, 2) for step in range(1, 20)]


def labeled_maps(ranker: str) -> list[tuple[ClaimMap, dict]]:
    """Each labeled document mapped once with zero thresholds, so every offered reference keeps its score."""
    maps = []
    for path in sorted(DATA.glob("*.labels.json")):
        labels = load_labels(path)
        claim_map = map_document(
            DATA / labels["document"], DATA / labels["bib"], ranker=ranker, thresholds=Thresholds(likely=0.0, weak=0.0)
        )
        maps.append((claim_map, labels))
    return maps


def score_all(maps: list[tuple[ClaimMap, dict]], thresholds: Thresholds) -> Scores:
    total = empty_scores()
    for claim_map, labels in maps:
        total.add(evaluate(claim_map, labels, thresholds))
    return total


def describe(scores: Scores) -> str:
    return (
        f"claims P {scores.claims.precision:.2f} R {scores.claims.recall:.2f} F1 {scores.claims.f1:.2f} | "
        f"markers→keys P {scores.cited.precision:.2f} R {scores.cited.recall:.2f} | "
        f"support P {scores.support.precision:.2f} R {scores.support.recall:.2f} F1 {scores.support.f1:.2f} | "
        f"top-1 {scores.top1:.2f} | none P {scores.unsupported.precision:.2f} "
        f"R {scores.unsupported.recall:.2f} F1 {scores.unsupported.f1:.2f} | "
        f"unlocated {scores.missing} | markers {'ok' if scores.markers_ok else 'WRONG'}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ranker", choices=["lexical", "semantic"], action="append")
    rankers = parser.parse_args().ranker or ["lexical", "semantic"]
    for ranker in rankers:
        if ranker == "semantic":
            try:
                load_model()
            except SemanticUnavailable as error:
                print(f"semantic: skipped ({error})")
                continue
        maps = labeled_maps(ranker)
        print(f"== {ranker}: {len(maps)} documents, {sum(len(m.claims) for m, _ in maps)} detected claims")
        print("likely  support-F1  P     R     top-1 | weak  none-F1  P     R")
        for likely in GRID:
            support = score_all(maps, Thresholds(likely=likely, weak=likely))
            best_weak = max(
                (w for w in GRID if w <= likely), key=lambda w: score_all(maps, Thresholds(likely, w)).unsupported.f1
            )
            none = score_all(maps, Thresholds(likely, best_weak)).unsupported
            print(
                f"{likely:5.2f}   {support.support.f1:.3f}     {support.support.precision:.2f}  "
                f"{support.support.recall:.2f}  {support.top1:.2f}  | {best_weak:4.2f}  {none.f1:.3f}    "
                f"{none.precision:.2f}  {none.recall:.2f}"
            )
        shipped = THRESHOLDS[ranker]
        print(f"shipped thresholds likely={shipped.likely} weak={shipped.weak}:")
        print("  " + describe(score_all(maps, shipped)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
