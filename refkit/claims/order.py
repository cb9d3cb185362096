"""The order of the reference list as a cue: most numeric styles number references in the order the text
first cites them, so a sentence tends to cite the references the list puts near "where the text has got to".

Without markers that place is not known, so it is estimated: each reference is assigned to the claim that
first cites it by the best monotone alignment of the list to the claims (reference j+1 is first cited no
earlier than reference j), scored by the rankers' own scores. A reference then earns a bonus that fades
with the distance, in sentences, between the claim and its estimated first citation, and loses a little
when that is further on (a list in citation order cannot be cited ahead of itself). A list sorted by
author, as author–year styles sort it, says nothing about the text's order: no cue then. Weights and the
fade were fitted on the tuning articles of benchmarks/map_citing.py.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from itertools import accumulate, pairwise, repeat
from operator import add, mul, sub

from refkit.model import Reference
from refkit.text import fold

Cues = dict[int, tuple[float, tuple[str, ...]]]

FADE = 5.0  # sentences over which the bonus falls to 1/e
AHEAD = 5  # sentences further on than which a reference counts as not cited yet
SORTED_SHARE = 0.9  # adjacent first authors in alphabetical order: the list is sorted, not in citation order
MIN_REFERENCES = 12  # fitted on lists of 15 to 300; in a list of ten one misplaced step moves them all


def in_citation_order(references: list[Reference]) -> bool:
    """Whether the list may be in citation order: long enough and not sorted by first author."""
    names = [fold(reference.first_author_family or "") for reference in references]
    pairs = [(a, b) for a, b in pairwise(names) if a and b]
    if len(references) < MIN_REFERENCES or not pairs:
        return False
    return sum(a <= b for a, b in pairs) / len(pairs) < SORTED_SHARE


def first_citations(rows: list[list[float]]) -> list[int]:
    """For each reference, the row (claim) of its estimated first citation: the monotone assignment of
    references to rows that maximises the sum of their scores (dynamic programming, O(references × rows),
    each step a pass at C speed). The result never decreases along the list."""
    if not rows or not rows[0]:
        return []
    best: list[list[float]] = []
    for column in zip(*rows, strict=True):  # per reference, its score in every row
        best.append(list(column) if not best else list(map(add, accumulate(best[-1], max), column)))
    assigned = [0] * len(best)
    limit = len(rows)
    for j in range(len(best) - 1, -1, -1):
        assigned[j] = max(range(limit), key=best[j].__getitem__)
        limit = assigned[j] + 1
    return assigned


def alignment_evidence(rows: list[list[float]]) -> list[list[float]]:
    """What the alignment weighs: each score as a share of its claim's best and of its reference's best
    (their geometric mean). Raw scores let a reference with common words, or a wordy claim, pull the
    alignment; as shares, a claim's best reference and a reference's best claim count alike. On the tuning
    articles this places 53% of first citations within a sentence of the truth, raw scores 45%."""
    columns = [1 / math.sqrt(best) if best > 0 else 0.0 for best in map(max, zip(*rows, strict=True))]
    shares = []
    for row in rows:
        best = max(row, default=0.0)
        shares.append(list(map(mul, row, map(mul, columns, repeat(1 / math.sqrt(best))))) if best > 0 else row)
    return shares


def add_order_cue(at: list[int], totals: list[list[float]], cues: list[Cues], weight: float, ahead: float) -> None:
    """Add the cue to each claim's scores (claim i at sentence `at[i]`) in place, and say so in its cues. A
    reference that shares no word with the claim gets it too: near its first citation the place is the
    evidence."""
    first = [at[row] for row in first_citations(alignment_evidence(totals))]
    reach = int(FADE * math.log(weight / 0.01)) if weight > 0.01 else 0  # beyond it the bonus is below 0.01
    for sentence, total, found in zip(at, totals, cues, strict=True):
        start, end = bisect_left(first, sentence - reach), bisect_right(first, sentence + reach)
        for j in range(start, end):
            bonus = weight * math.exp(-abs(first[j] - sentence) / FADE)
            total[j] += bonus
            if abs(first[j] - sentence) <= 1:
                old, why = found.get(j, (0.0, ()))
                found[j] = (old + bonus, (*why, "list order"))
        later = bisect_right(first, sentence + AHEAD)
        if ahead and later < len(total):
            total[later:] = map(sub, total[later:], repeat(ahead))
