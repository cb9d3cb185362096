"""`refkit map` on real articles whose authors' own citation links are the gold
(../shared/data/citing-sentences: 116 PLOS and eLife articles; its README defines the measures).

Split "sha1-70/30": an article is held out when int(sha1(name)) % 10 >= 7 (35 of 116 articles), else it is
a tuning article. Cue weights and the label calibration were chosen on the tuning articles only; every
figure printed is on the held-out articles, macro-averaged over articles:

- stripped task (markers removed): top-1, recall@3 and MRR of the first gold reference in each citing
  sentence's ranking (a sentence that is not taken for a claim has no ranking and scores 0); the share of
  sentences citing nothing that are labeled none (not a claim counts as none); the share of "likely" claims
  whose first candidate is one the authors cited (pooled over sentences);
- marked task (markers kept): precision, recall and F1 of the (sentence, reference) pairs the markers resolve to.

    python benchmarks/map_citing.py                # every ablation, lexical (and semantic when installed)
    python benchmarks/map_citing.py --fit          # refit the calibration on the tuning articles and print it
    python benchmarks/map_citing.py --only shipped # one configuration

The semantic ranker's embeddings are kept in an on-disk cache (--embeddings, default
$REFKIT_BENCH_CACHE or ~/.cache/refkit-bench/minilm.npz): a first held-out semantic pass encodes about 10,000
sentences and titles (47 minutes at this machine's load); every later run and every other configuration only
adds numbers. --subset N fits on the first N tuning articles (by name), for a semantic fit in one sitting.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import hashlib
import json
import math
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from refkit.claims import semantic
from refkit.claims.cues import WEIGHTS, Weights
from refkit.claims.labels import CALIBRATIONS, FEATURES, Calibration, confidence, features, sentence_features
from refkit.claims.load import map_document
from refkit.claims.model import Claim, ClaimMap, Label, Thresholds
from refkit.claims.semantic import SemanticUnavailable, load_model

if TYPE_CHECKING:
    from numpy import ndarray

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("REFKIT_SHARED", ROOT.parent / "shared")) / "data" / "citing-sentences"
SPLIT = "sha1-70/30"
EMBEDDINGS = Path(os.environ.get("REFKIT_BENCH_CACHE", Path.home() / ".cache" / "refkit-bench")) / "minilm.npz"
NO_CUES = Weights(first_author=0, coauthor=0, year=0, numbers=0, context=0, order=0, ahead=0)
CONFIGS = {
    "titles only (no cues)": NO_CUES,
    "+ neighbours": dataclasses.replace(NO_CUES, context=WEIGHTS.context),
    "+ author names": dataclasses.replace(NO_CUES, first_author=WEIGHTS.first_author, coauthor=WEIGHTS.coauthor),
    "+ years": dataclasses.replace(NO_CUES, year=WEIGHTS.year),
    "+ numbers": dataclasses.replace(NO_CUES, numbers=WEIGHTS.numbers),
    "+ list order": dataclasses.replace(NO_CUES, order=WEIGHTS.order, ahead=WEIGHTS.ahead),
    "all cues but list order": dataclasses.replace(WEIGHTS, order=0, ahead=0),
    "shipped (all cues)": WEIGHTS,
}


class EmbeddingCache:
    """The model's `encode` behind a text → vector store kept in an .npz file (embeddings are normalised
    and the ranker asks for nothing else, so the text alone is the key)."""

    def __init__(self, path: Path) -> None:
        import numpy

        self.path, self.vectors = path, {}
        if path.is_file():
            with numpy.load(path) as stored:
                self.vectors = dict(zip(stored["texts"].tolist(), stored["vectors"], strict=True))
        self.fresh = 0
        model = load_model()
        encode = model.encode

        def cached(texts: list[str], **options: object) -> ndarray:
            missing = [text for text in dict.fromkeys(texts) if text not in self.vectors]
            if missing:
                self.vectors.update(zip(missing, encode(missing, **options), strict=True))
                self.fresh += len(missing)
            return numpy.stack([self.vectors[text] for text in texts])

        model.encode = cached

    def save(self) -> None:
        import numpy

        if self.fresh:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            partial = self.path.with_suffix(".partial.npz")
            numpy.savez(
                partial, texts=numpy.array(list(self.vectors)), vectors=numpy.stack(list(self.vectors.values()))
            )
            partial.replace(self.path)
            self.fresh = 0


def held_out(name: str) -> bool:
    return int(hashlib.sha1(name.encode()).hexdigest(), 16) % 10 >= 7


def articles(split: str, subset: int = 0) -> list[str]:
    names = sorted(path.name.removesuffix(".gold.json") for path in DATA.glob("*.gold.json"))
    chosen = [name for name in names if held_out(name) == (split == "held-out")]
    return chosen[:subset] if subset else chosen


def _flat(text: str) -> str:
    return " ".join(text.split())


def aligned(claim_map: ClaimMap, gold: list[dict], field: str) -> list[tuple[dict, int | None]]:
    """Each gold sentence with the index of the tool's sentence of the same text (None: not found)."""
    by_text = {_flat(sentence.text): sentence.index for sentence in claim_map.sentences}
    by_start = {_flat(sentence.text)[:60]: sentence.index for sentence in claim_map.sentences}
    return [(item, by_text.get(_flat(item[field]), by_start.get(_flat(item[field])[:60]))) for item in gold]


def stripped_scores(name: str, ranker: str, weights: Weights, calibration: Calibration | None) -> dict:
    gold = json.loads((DATA / f"{name}.gold.json").read_text())["sentences"]
    claim_map = map_document(
        DATA / f"{name}.stripped.md", DATA / f"{name}.bib", ranker=ranker, weights=weights, calibration=calibration
    )
    claims = {claim.sentence.index: claim for claim in claim_map.claims}
    top1, recall3, reciprocal, none, likely, likely_right = [], [], [], [], 0, 0
    rows: list[tuple[list[list[float]], list[bool]]] = []  # per claim: its candidates' features, and gold
    silent = 0  # sentences citing nothing that are not claims: none whatever the thresholds
    for item, index in aligned(claim_map, gold, "text"):
        claim = claims.get(index) if index is not None else None
        refs = set(item["refs"])
        keys = [key for key, _ in claim.ranking] if claim else []
        if claim and claim.label is Label.LIKELY:
            likely += 1
            likely_right += keys[0] in refs
        if claim:
            rows.append(
                (candidate_features(claim, len(claim_map.references)), [c.key in refs for c in claim.candidates])
            )
        if not refs:
            none.append(claim is None or claim.label is Label.NONE)
            silent += claim is None
            continue
        first = next((place for place, key in enumerate(keys, 1) if key in refs), 0)
        top1.append(first == 1)
        reciprocal.append(1 / first if first else 0.0)
        recall3.append(len(refs & set(keys[:3])) / min(3, len(refs)))
    return {
        "top1": _mean(top1),
        "recall3": _mean(recall3),
        "mrr": _mean(reciprocal),
        "none": _mean(none),
        "likely": likely,
        "likely_right": likely_right,
        "rows": rows,
        "silent": silent,
    }


def candidate_features(claim: Claim, references: int) -> list[list[float]]:
    """The calibration's features of each candidate, as refkit.claims.mapping computes them."""
    own = sentence_features(claim.sentence.text)
    scores = [score for _, score in claim.ranking]
    found = []
    for rank, candidate in enumerate(claim.candidates):
        lead = candidate.score - (scores[0] if rank else scores[1] if len(scores) > 1 else 0.0)
        author = any(why.startswith("author ") for why in candidate.cues)
        found.append(features(candidate.score, lead, references, author, own))
    return found


def marked_scores(name: str) -> tuple[int, int, int]:
    gold = json.loads((DATA / f"{name}.gold.json").read_text())["sentences"]
    claim_map = map_document(DATA / f"{name}.marked.md", DATA / f"{name}.bib", weights=NO_CUES)
    claims = {claim.sentence.index: claim for claim in claim_map.claims}
    hits = found = wanted = 0
    for item, index in aligned(claim_map, gold, "marked_text"):
        claim = claims.get(index) if index is not None else None
        resolved = {support.key for support in claim.cited} if claim else set()
        refs = set(item["refs"])
        hits, found, wanted = hits + len(resolved & refs), found + len(resolved), wanted + len(refs)
    return hits, found, wanted


def _mean(values: list) -> float:
    return sum(values) / len(values) if values else 0.0


def run(split: str, ranker: str, weights: Weights, calibration: Calibration | None = None, subset: int = 0) -> dict:
    per_article = []
    for name in articles(split, subset):
        per_article.append(stripped_scores(name, ranker, weights, calibration))
        if CACHE is not None:
            CACHE.save()  # an interrupted run keeps what it encoded
    likely = sum(article["likely"] for article in per_article)
    return {
        "articles": per_article,
        **{key: _mean([a[key] for a in per_article]) for key in ("top1", "recall3", "mrr", "none")},
        "likely_precision": sum(a["likely_right"] for a in per_article) / likely if likely else 0.0,
        "likely": likely,
        "rows": [row for article in per_article for row in article["rows"]],
    }


def report(title: str, result: dict) -> None:
    print(
        f"  {title:<24} top-1 {result['top1']:.3f}  R@3 {result['recall3']:.3f}  MRR {result['mrr']:.3f}  "
        f"none on non-citing {result['none']:.3f}  likely right {result['likely_precision']:.3f} "
        f"({result['likely']} likely)"
    )


def fit(claims: list[tuple[list[list[float]], list[bool]]], ranker: str) -> Calibration:
    """Logistic regression (Newton's method, a little ridge) of "the authors cite this candidate"."""
    size = len(FEATURES) + 1
    weights = [0.0] * size
    data = [([1.0, *row], float(gold)) for rows, golds in claims for row, gold in zip(rows, golds, strict=True)]
    for _ in range(25):
        gradient = [0.0] * size
        hessian = [[0.0] * size for _ in range(size)]
        for x, y in data:
            p = 1 / (1 + math.exp(-max(-30.0, min(30.0, sum(w * v for w, v in zip(weights, x, strict=True))))))
            error, curvature = y - p, p * (1 - p)
            for i in range(size):
                gradient[i] += error * x[i]
                for j in range(i, size):
                    hessian[i][j] += curvature * x[i] * x[j]
        for i in range(size):
            for j in range(i):
                hessian[i][j] = hessian[j][i]
            gradient[i] -= 1e-3 * weights[i]
            hessian[i][i] += 1e-3
        step = _solve(hessian, gradient)
        weights = [w + s for w, s in zip(weights, step, strict=True)]
        if max(abs(s) for s in step) < 1e-6:
            break
    return Calibration(round(weights[0], 3), tuple(round(w, 3) for w in weights[1:]), CALIBRATIONS[ranker].thresholds)


def _solve(matrix: list[list[float]], vector: list[float]) -> list[float]:
    size = len(vector)
    rows = [[*matrix[i], vector[i]] for i in range(size)]
    for column in range(size):
        pivot = max(range(column, size), key=lambda r: abs(rows[r][column]))
        rows[column], rows[pivot] = rows[pivot], rows[column]
        for r in range(size):
            if r != column and rows[column][column]:
                factor = rows[r][column] / rows[column][column]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[column], strict=True)]
    return [rows[i][size] / rows[i][i] for i in range(size)]


def choose_thresholds(per_article: list[dict], calibration: Calibration) -> Thresholds:
    """The lowest "likely" threshold whose likely claims are right ≥ 75% of the time (pooled), and the lowest
    "weak" one that leaves ≥ 83% of the sentences citing nothing none (macro), on the tuning articles:
    margins over the 70% / 80% targets for the held-out ones."""
    grid = [round(0.01 * step, 2) for step in range(5, 96)]
    firsts = [
        [(confidence(rows[0], calibration), golds[0], any(golds) or None) for rows, golds in article["rows"] if rows]
        for article in per_article
    ]
    likely = next(
        (
            value
            for value in grid
            if _share([gold for article in firsts for chance, gold, _ in article if chance >= value]) >= 0.75
        ),
        grid[-1],
    )
    weak = next((value for value in grid if _none_share(per_article, firsts, value) >= 0.83), grid[-1])
    for value in grid[::5]:  # where the precision levels off, when it never reaches 0.75
        chosen = [gold for article in firsts for chance, gold, _ in article if chance >= value]
        print(f"  likely ≥ {value:.2f}: right {_share(chosen):.3f} of {len(chosen)} (tuning)")
    return Thresholds(likely, min(weak, likely))


def _share(values: list[bool]) -> float:
    return sum(values) / len(values) if values else 0.0


def _none_share(per_article: list[dict], firsts: list[list], weak: float) -> float:
    shares = []
    for article, claims in zip(per_article, firsts, strict=True):
        non_citing = [chance < weak for chance, _, cites in claims if cites is None]
        total = len(non_citing) + article["silent"]
        if total:
            shares.append((sum(non_citing) + article["silent"]) / total)
    return _mean(shares)


CACHE: EmbeddingCache | None = None
MEANING_ONLY = "meaning only (no words)"


@contextlib.contextmanager
def meaning_only() -> Iterator[None]:
    """The semantic ranker without its lexical half: what the embeddings alone rank."""
    kept, semantic.LEXICAL_WEIGHT = semantic.LEXICAL_WEIGHT, 0.0
    try:
        yield
    finally:
        semantic.LEXICAL_WEIGHT = kept


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fit", action="store_true", help="refit the calibration on the tuning articles")
    parser.add_argument("--only", help="only the configurations whose name contains this")
    parser.add_argument("--ranker", choices=("lexical", "semantic", "both"), default="both")
    parser.add_argument("--embeddings", type=Path, default=EMBEDDINGS, help="the semantic ranker's embedding cache")
    parser.add_argument("--subset", type=int, default=0, help="--fit on the first N tuning articles only")
    args = parser.parse_args()
    if not DATA.is_dir():
        print(f"skipped: {DATA} not found (set REFKIT_SHARED)")
        return 0
    rankers = ["lexical", "semantic"] if args.ranker == "both" else [args.ranker]
    if "semantic" in rankers:
        try:
            global CACHE
            CACHE = EmbeddingCache(args.embeddings)
        except SemanticUnavailable as error:
            print(f"semantic: skipped ({error})")
            rankers.remove("semantic")
    if args.fit:
        for ranker in rankers:
            tuning = run("tune", ranker, WEIGHTS, subset=args.subset)
            calibration = fit(tuning["rows"], ranker)
            thresholds = choose_thresholds(tuning["articles"], calibration)
            print(f'"{ranker}": {dataclasses.replace(calibration, thresholds=thresholds)},')
        return 0
    print(f"split {SPLIT}: {len(articles('tune'))} tuning articles, {len(articles('held-out'))} held out")
    for ranker in rankers:
        print(f"{ranker} ranker, stripped task, held-out articles, macro:")
        for title, weights in CONFIGS.items():
            if args.only and args.only not in title:
                continue
            start = time.perf_counter()
            report(title, run("held-out", ranker, weights))
            print(f"  {'':<24} ({time.perf_counter() - start:.1f} s)")
        if ranker == "semantic" and (not args.only or args.only in MEANING_ONLY):
            with meaning_only():
                report(MEANING_ONLY, run("held-out", ranker, NO_CUES))
    hits = found = wanted = 0
    for name in articles("held-out"):
        h, f, w = marked_scores(name)
        hits, found, wanted = hits + h, found + f, wanted + w
    precision, recall = hits / found if found else 1.0, hits / wanted if wanted else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    print(f"marked task, held-out: P {precision:.3f}  R {recall:.3f}  F1 {f1:.3f} (pairs pooled)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
