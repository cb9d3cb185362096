"""Speed of `refkit map`: a generated 2,000-sentence document against 500 references with abstracts.

Targets (issue 11): ≤ 2 s with the lexical ranker and ≤ 15 s with the semantic one, on one core. The semantic
run is skipped when the `semantic` extra is not installed. Model loading is timed apart from mapping.

    python benchmarks/map_speed.py [--sentences 2000] [--references 500]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time

from refkit.claims import map_claims
from refkit.claims.semantic import SemanticUnavailable, load_model
from refkit.model import Name, Reference

TOPICS = (
    "imatinib",
    "metformin",
    "caffeine",
    "neonicotinoid",
    "sea level",
    "code review",
    "melatonin",
    "statin",
    "vaccination",
    "insulin",
    "aspirin",
    "pair programming",
    "glacier",
    "coral reef",
    "antibiotic",
    "tyrosine kinase",
    "remission",
    "altimetry",
    "pollinator",
    "hypertension",
)
OUTCOMES = (
    "overall survival",
    "relapse",
    "sleep time",
    "colony growth",
    "defect density",
    "blood glucose",
    "mortality",
    "response rate",
    "hospital admissions",
    "flood risk",
    "bug reports",
    "memory recall",
)
POPULATIONS = (
    "older adults",
    "children",
    "students",
    "patients with diabetes",
    "wild bees",
    "industrial teams",
    "coastal cities",
    "patients in remission",
    "newly diagnosed patients",
    "honeybee colonies",
)
VERBS = ("reduced", "increased", "improved", "doubled", "halved", "did not change", "delayed", "lowered")


def sentence(rng: random.Random, references: int) -> str:
    text = (
        f"{rng.choice(TOPICS).capitalize()} {rng.choice(VERBS)} {rng.choice(OUTCOMES)} by "
        f"{rng.randint(5, 80)}% in {rng.choice(POPULATIONS)} compared with {rng.choice(TOPICS)}"
    )
    if rng.random() < 0.3:
        return f"{text} [{rng.randint(1, references + 5)}]."
    return text + "."


def generate(sentences: int, references: int, seed: int = 5) -> tuple[str, list[Reference]]:
    rng = random.Random(seed)
    paragraphs, written = [], 0
    while written < sentences:
        size = min(rng.randint(3, 7), sentences - written)
        paragraphs.append(" ".join(sentence(rng, references) for _ in range(size)))
        written += size
    families = [f"Author{number}" for number in rng.sample(range(references), references)]  # not sorted: the
    refs = [  # list may be in citation order, so the list-order cue runs too
        Reference(
            key=f"ref{index}",
            title=f"Effect of {rng.choice(TOPICS)} on {rng.choice(OUTCOMES)} in "
            f"{rng.choice(POPULATIONS)}: a {rng.choice(('randomized', 'cohort', 'field'))} study",
            authors=[Name(family=families[index], given="A.")],
            year=1990 + index % 35,
            abstract=" ".join(sentence(rng, 0).replace(" [", "").split(" [")[0] for _ in range(4)),
        )
        for index in range(references)
    ]
    return "\n\n".join(paragraphs), refs


def timed(body: str, references: list[Reference], ranker: str) -> tuple[float, float, int]:
    """Wall-clock and CPU seconds (the CPU time is what a busy shared machine does not inflate) and claims."""
    start, cpu = time.perf_counter(), time.process_time()
    claim_map = map_claims(body, references, ranker=ranker)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    assert claim_map.ranker == ranker, claim_map.notice
    return elapsed, cpu, len(claim_map.claims)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=2000)
    parser.add_argument("--references", type=int, default=500)
    parser.add_argument("--lexical-only", action="store_true", help="skip the semantic ranker")
    args = parser.parse_args()
    body, references = generate(args.sentences, args.references)
    print(
        f"document: {args.sentences} sentences, {len(body):,} characters; {len(references)} references "
        f"with abstracts; {os.cpu_count()} cores"
    )
    seconds, cpu, claims = timed(body, references, "lexical")
    print(f"lexical:  {seconds:6.2f} s ({cpu:.2f} s CPU) for {claims} claims (target ≤ 2 s)")
    if args.lexical_only:
        return 0
    try:
        start = time.perf_counter()
        load_model()
        print(f"semantic model load: {time.perf_counter() - start:5.2f} s")
    except SemanticUnavailable as error:
        print(f"semantic: skipped ({error})")
        return 0
    seconds, cpu, claims = timed(body, references, "semantic")
    print(f"semantic: {seconds:6.2f} s ({cpu:.2f} s CPU) for {claims} claims (target ≤ 15 s, model load excluded)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
