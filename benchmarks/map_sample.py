"""`refkit map` on the sample post (../shared/samples/imatinib-blog.txt) against references.bib, with the
abstracts of the shipped Crossref snapshot (cache/crossref-snapshot.jsonl).

Measures (issue 11): among the claims that a listed reference directly supports, the share whose first
candidate is a right one (target ≥ 0.8); and that the invented reference (cortes2019imatinib: no such
paper, see tests/test_sample_validate.py) is never any claim's first candidate.

Which reference directly supports a claim was judged from the works' abstracts in
../shared/samples/imatinib-works.json (what the abstract states, not what the title suggests). The claims
are named by their line in the post and their place among that line's claims, so no text of the post is
copied here; a reference counts as right when its abstract states the claim, and several may.

    python benchmarks/map_sample.py [--ranker lexical|semantic]
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import defaultdict
from pathlib import Path

from refkit.claims.load import map_document

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = Path(os.environ.get("REFKIT_SHARED", ROOT.parent / "shared")) / "samples" / "imatinib-blog.txt"
INVENTED = ("cortes2019imatinib",)
DRUKER, HOCHHAUS, HEHLMANN = "druker2006five", "hochhaus2017long", "hehlmann2017assessment"
SAUSSELE, MAHON, ETIENNE = "saussele2016discontinuation", "mahon2010discontinuation", "etienne2017long"
GAMBACORTI = "gambacortipasserini2011multicenter"
STOPPING = (SAUSSELE, MAHON, ETIENNE)
# (line, n-th claim on that line) → the references whose abstract states it
SUPPORTED: dict[tuple[int, int], tuple[str, ...]] = {
    (17, 3): (DRUKER,),  # the BCR-ABL tyrosine kinase drives CML
    (19, 1): (DRUKER, HOCHHAUS),  # imatinib inhibits that kinase
    (47, 1): (SAUSSELE,),  # many patients reach a deep molecular response
    (47, 3): STOPPING,  # a sustained deep response allows trying to stop
    (47, 4): STOPPING,  # molecular recurrence after stopping, treatment restarted
    (89, 1): (DRUKER, HOCHHAUS, GAMBACORTI),  # complete cytogenetic response rates
    (89, 2): (DRUKER,),  # complete cytogenetic response and a lower risk of progression
    (93, 1): (SAUSSELE, DRUKER),  # deeper (molecular) responses
    (97, 1): STOPPING,  # stopping after a sustained deep response
    (97, 2): STOPPING,  # the share that stays in remission after stopping
    (103, 3): (ETIENNE,),  # restarting after recurrence regains the response
    (117, 1): (HOCHHAUS, HEHLMANN, DRUKER),  # long-term survival
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ranker", choices=("lexical", "semantic"), default="lexical")
    args = parser.parse_args()
    if not SAMPLE.is_file():
        print(f"skipped: {SAMPLE} not found (set REFKIT_SHARED)")
        return 0
    claim_map = map_document(
        SAMPLE, ROOT / "references.bib", ranker=args.ranker, snapshot=[ROOT / "cache" / "crossref-snapshot.jsonl"]
    )
    with_abstract = sum(bool(reference.abstract) for reference in claim_map.references)
    place: dict[int, int] = defaultdict(int)
    hits, invented_first, missing = 0, 0, set(SUPPORTED)
    for claim in claim_map.claims:
        place[claim.sentence.line] += 1
        first = claim.candidates[0].key if claim.candidates else ""
        invented_first += first in INVENTED
        right = SUPPORTED.get((claim.sentence.line, place[claim.sentence.line]))
        if right is None:
            continue
        missing.discard((claim.sentence.line, place[claim.sentence.line]))
        hits += first in right
        where = f"L{claim.sentence.line}#{place[claim.sentence.line]}"
        print(f"  {where}: first {first or '—'} {'right' if first in right else 'WRONG'}")
    print(
        f"sample ({claim_map.ranker}; {with_abstract} of {len(claim_map.references)} references with an abstract): "
        f"right reference first for {hits}/{len(SUPPORTED)} = {hits / len(SUPPORTED):.2f} of the directly "
        f"supported claims (target ≥ 0.8); invented reference first for {invented_first} of "
        f"{len(claim_map.claims)} claims (target 0)"
    )
    if missing:
        print(f"  labeled claims not found as claims: {sorted(missing)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
