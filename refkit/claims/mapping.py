"""The `map` pipeline: body → blocks → sentences with markers → claims → references ranked and labeled."""

from __future__ import annotations

import heapq
import re
from collections.abc import Callable, Mapping
from itertools import repeat
from operator import add, mul
from typing import Protocol

from refkit.claims.cues import WEIGHTS, CueIndex, Weights
from refkit.claims.kinds import classify
from refkit.claims.labels import CALIBRATIONS, Calibration, confidence, features, label_for, sentence_features
from refkit.claims.lexical import LexicalIndex
from refkit.claims.markers import find_markers
from refkit.claims.model import (
    Block,
    Check,
    Claim,
    ClaimMap,
    Kind,
    Label,
    Marker,
    Sentence,
    Support,
    Thresholds,
    Verdict,
)
from refkit.claims.order import Cues, add_order_cue, in_citation_order
from refkit.claims.passages import passages
from refkit.claims.resolve import Resolver, footnote_definitions
from refkit.claims.sentences import item_text_start, line_index, sentence_spans, split_blocks
from refkit.errors import RefkitError
from refkit.model import Reference

RANKERS = ("auto", "lexical", "semantic")
TOP = 3  # candidates shown per claim
SUPPORTED_SCORE, UNRELATED_SCORE = 0.3, 0.1  # a cited reference's words score, judged against its abstract


class Ranker(Protocol):
    name: str

    def score_all(self, queries: list[str]) -> list[list[float]]:
        """Per query the score of every reference, in list order."""
        ...

    def words(self, query: str, index: int) -> float:
        """The lexical (BM25) share of the query's words reference `index` has, whatever the ranker."""
        ...

    def evidence(self, query: str, index: int) -> tuple[str, tuple[str, ...]]: ...


def map_claims(
    body: str,
    references: list[Reference],
    *,
    ranker: str = "lexical",
    body_start_line: int = 1,
    body_lines: tuple[int, ...] = (),
    body_starts: Mapping[int, str] | None = None,
    thresholds: Thresholds | None = None,
    top: int = TOP,
    weights: Weights = WEIGHTS,
    calibration: Calibration | None = None,
) -> ClaimMap:
    """Find the claims of a document body and rank the references for each. `body_lines` and
    `body_starts` (from refkit.documents) give each body line's file line and the blocks the format
    delimits; without them lines count from `body_start_line` and blocks are recognised by their look."""
    line_of = line_index(body, body_start_line, body_lines)
    blocks = split_blocks(body, line_of, body_starts or {})
    resolver = Resolver(references, footnote_definitions([block.text for block in blocks if block.kind == "footnote"]))
    sentences = read_sentences(body, blocks, resolver, line_of)
    index, notice = build_ranker(ranker, [passages(reference) for reference in references])
    calibration = calibration or CALIBRATIONS[index.name]
    thresholds = thresholds or calibration.thresholds
    claim_sentences = [sentence for sentence in sentences if sentence.kind is Kind.CLAIM]
    queries = [query_text(body, sentence) for sentence in claim_sentences]
    scored = _fused_scores(body, sentences, claim_sentences, queries, index, references, weights)
    positions = {reference.key: position for position, reference in enumerate(references)}
    context = _Context(index, references, positions, calibration, thresholds, top)
    claims = [
        _claim(sentence, query, scores, cues, context)
        for sentence, query, (scores, cues) in zip(claim_sentences, queries, scored, strict=True)
    ]
    return ClaimMap(body, body_start_line, blocks, sentences, claims, references, index.name, thresholds, notice)


def _fused_scores(
    body: str,
    sentences: list[Sentence],
    claims: list[Sentence],
    queries: list[str],
    index: Ranker,
    references: list[Reference],
    weights: Weights,
) -> list[tuple[list[float], Cues]]:
    """Per claim, the ranker's score of each reference (in list order) plus the neighbours' share and the
    cues' bonuses, and the cues found. Rows are whole lists so the fusion runs at C speed (`map`)."""
    if not references:
        return [([], {}) for _ in claims]
    neighbours = [_neighbours(sentences, sentence) for sentence in claims]
    wanted = {sentence.index for sentence in claims}
    if weights.context:
        wanted.update(i for group in neighbours for i in group)
    order = sorted(wanted)
    made = {sentence.index: query for sentence, query in zip(claims, queries, strict=True)}
    texts = [made[i] if i in made else query_text(body, sentences[i]) for i in order]  # neighbours: made here
    scored = dict(zip(order, index.score_all(texts), strict=True))
    cue_index = CueIndex(references)
    result: list[tuple[list[float], Cues]] = []
    for sentence, group in zip(claims, neighbours, strict=True):
        total = scored[sentence.index]
        if weights.context and group:
            share = weights.context / len(group)
            for i in group:
                total = list(map(add, total, map(mul, scored[i], repeat(share))))
        else:
            total = list(total)
        cues = cue_index.cues(sentence.text, weights)
        for reference, (bonus, _) in cues.items():
            total[reference] += bonus
        result.append((total, cues))
    if weights.order and claims and in_citation_order(references):
        totals, found = [total for total, _ in result], [cues for _, cues in result]
        add_order_cue([sentence.index for sentence in claims], totals, found, weights.order, weights.ahead)
    return result


def _neighbours(sentences: list[Sentence], sentence: Sentence) -> list[int]:
    """The sentences just before and after this one in the same paragraph."""
    return [
        i
        for i in (sentence.index - 1, sentence.index + 1)
        if 0 <= i < len(sentences) and sentences[i].block == sentence.block
    ]


def read_sentences(body: str, blocks: list[Block], resolver: Resolver, line_of: Callable[[int], int]) -> list[Sentence]:
    """The sentences of the paragraphs and list items, with their markers resolved and their kind decided."""
    sentences: list[Sentence] = []
    for block in blocks:
        if block.kind not in ("paragraph", "item"):
            continue
        start = block.start + (item_text_start(block.text) if block.kind == "item" else 0)
        markers = find_markers(body[start : block.end], start)
        for marker in markers:
            resolver.resolve(marker)
        for begin, end in sentence_spans(body[start : block.end], start):
            own = [marker for marker in markers if begin <= marker.start < end]
            text = " ".join(body[begin:end].split())
            kind, reasons = classify(_without_markers(body, begin, end, own), cited=bool(own))
            sentences.append(
                Sentence(len(sentences), block.index, begin, end, line_of(begin), text, kind, reasons, own)
            )
    return sentences


def _without_markers(body: str, start: int, end: int, markers: list[Marker]) -> str:
    """The sentence's words without its citation markers (narrative markers keep nothing: names do not help)."""
    pieces, position = [], start
    for marker in markers:
        pieces.append(body[position : marker.start])
        position = marker.end
    pieces.append(body[position:end])
    return re.sub(r"\s+([.,;:])", r"\1", " ".join("".join(pieces).split()))


def query_text(body: str, sentence: Sentence) -> str:
    return _without_markers(body, sentence.start, sentence.end, sentence.markers)


def build_ranker(name: str, documents: list[list[str]]) -> tuple[Ranker, str]:
    """The ranker asked for; "auto" is semantic when the extra is installed; an unavailable semantic ranker
    falls back to lexical with a notice."""
    if name not in RANKERS:
        raise RefkitError(f"unknown ranker '{name}': use one of {', '.join(RANKERS)}")
    if name == "lexical":
        return LexicalIndex(documents), ""
    from refkit.claims.semantic import SemanticIndex, SemanticUnavailable

    try:
        return SemanticIndex(documents), ""
    except SemanticUnavailable as error:
        return LexicalIndex(documents), f"{error}; ranked by words (lexical) instead"


class _Context:
    """What every claim is ranked and labeled against."""

    def __init__(
        self,
        index: Ranker,
        references: list[Reference],
        positions: dict[str, int],
        calibration: Calibration,
        thresholds: Thresholds,
        top: int,
    ) -> None:
        self.index, self.references, self.positions = index, references, positions
        self.calibration, self.thresholds, self.top = calibration, thresholds, top
        self.keys = [reference.key for reference in references]


def _claim(sentence: Sentence, query: str, scores: list[float], cues: Cues, context: _Context) -> Claim:
    references = context.references
    best = heapq.nlargest(max(context.top, 2), range(len(scores)), key=scores.__getitem__)  # ties: list order
    order = [(position, scores[position]) for position in best if scores[position] > 0]
    ranked = dict(zip(context.keys, scores, strict=True))
    own = sentence_features(query)
    candidates = []
    for rank, (position, score) in enumerate(order[: context.top]):
        lead = score - (order[0][1] if rank else order[1][1] if len(order) > 1 else 0.0)
        why = cues.get(position, (0.0, ()))[1]
        author = any(cue.startswith("author ") for cue in why)
        chance = confidence(features(score, lead, len(references), author, own), context.calibration)
        passage, matched = context.index.evidence(query, position)
        label = label_for(chance, context.thresholds)
        key = context.keys[position]
        candidates.append(Support(key, label, round(score, 3), "", matched, passage, round(chance, 3), why))
    cited = []
    for key in dict.fromkeys(key for marker in sentence.markers for key in marker.keys):
        position = context.positions[key]
        passage, matched = context.index.evidence(query, position)
        marker = next(marker.text for marker in sentence.markers if key in marker.keys)
        score = round(scores[position], 3) if scores else 0.0
        cited.append(Support(key, Label.CITED, score, marker, matched, passage, 1.0, cues.get(position, (0, ()))[1]))
    checks = [_check(support, query, ranked, candidates, context) for support in cited]
    label = Label.CITED if cited else (candidates[0].label if candidates else Label.NONE)
    return Claim(sentence, label, cited, candidates, ranked, checks)


def _check(cited: Support, query: str, ranked: dict[str, float], candidates: list[Support], context: _Context) -> Check:
    """Does the cited reference's title and abstract say what the claim says? Judged, whatever the ranker, on
    the share of the claim's words its title and abstract have (`Ranker.words`, BM25) and on its place in the
    claim's ranking, and only where an abstract is known."""
    position = context.positions[cited.key]
    own = ranked.get(cited.key, 0.0)
    rank = 1 + sum(map(own.__lt__, ranked.values()))  # the references scoring above it
    words = context.index.words(query, position)
    best = next((c for c in candidates if c.key != cited.key and c.label is Label.LIKELY), None)
    if not context.references[position].abstract:
        verdict = Verdict.NO_ABSTRACT
    elif words >= SUPPORTED_SCORE or (rank == 1 and words >= UNRELATED_SCORE):
        verdict = Verdict.SUPPORTED
    elif words < UNRELATED_SCORE and rank > 1:
        verdict = Verdict.NOT_SUPPORTED
    else:
        verdict = Verdict.UNCLEAR
    better = best.key if best is not None and verdict is Verdict.NOT_SUPPORTED else ""
    return Check(cited.key, verdict, round(words, 3), rank, cited.matched, cited.passage, better)
