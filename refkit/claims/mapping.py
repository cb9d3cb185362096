"""The `map` pipeline: body → blocks → sentences with markers → claims → references ranked and labeled."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Protocol

from refkit.claims.kinds import classify
from refkit.claims.labels import THRESHOLDS, label_for
from refkit.claims.lexical import LexicalIndex
from refkit.claims.markers import find_markers
from refkit.claims.model import Block, Claim, ClaimMap, Kind, Label, Marker, Sentence, Support, Thresholds
from refkit.claims.passages import passages
from refkit.claims.resolve import Resolver, footnote_definitions
from refkit.claims.sentences import item_text_start, line_index, sentence_spans, split_blocks
from refkit.errors import RefkitError
from refkit.model import Reference

RANKERS = ("auto", "lexical", "semantic")
TOP = 3  # references offered per claim, besides the ones it cites


class Ranker(Protocol):
    name: str

    def top_many(self, queries: list[str], count: int) -> list[list[tuple[int, float]]]: ...
    def score(self, query: str, index: int) -> float: ...
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
) -> ClaimMap:
    """Find the claims of a document body and the references that support each. `body_lines` and
    `body_starts` (from refkit.documents) give each body line's file line and the blocks the format
    delimits; without them lines count from `body_start_line` and blocks are recognised by their look."""
    line_of = line_index(body, body_start_line, body_lines)
    blocks = split_blocks(body, line_of, body_starts or {})
    resolver = Resolver(references, footnote_definitions([block.text for block in blocks if block.kind == "footnote"]))
    sentences = read_sentences(body, blocks, resolver, line_of)
    index, notice = build_ranker(ranker, [passages(reference) for reference in references])
    thresholds = thresholds or THRESHOLDS[index.name]
    claim_sentences = [sentence for sentence in sentences if sentence.kind is Kind.CLAIM]
    queries = [query_text(body, sentence) for sentence in claim_sentences]
    ranked = index.top_many(queries, top) if references else [[] for _ in queries]
    positions = {reference.key: position for position, reference in enumerate(references)}
    claims = [
        _claim(sentence, query, matches, index, thresholds, references, positions)
        for sentence, query, matches in zip(claim_sentences, queries, ranked, strict=True)
    ]
    return ClaimMap(body, body_start_line, blocks, sentences, claims, references, index.name, thresholds, notice)


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


def _claim(
    sentence: Sentence,
    query: str,
    matches: list[tuple[int, float]],
    index: Ranker,
    thresholds: Thresholds,
    references: list[Reference],
    positions: dict[str, int],
) -> Claim:
    supports: list[Support] = []
    cited = list(dict.fromkeys(key for marker in sentence.markers for key in marker.keys))
    for key in cited:
        position = positions[key]
        passage, matched = index.evidence(query, position)
        marker = next(marker.text for marker in sentence.markers if key in marker.keys)
        supports.append(Support(key, Label.CITED, round(index.score(query, position), 3), marker, matched, passage))
    for position, score in matches:
        label = label_for(score, thresholds)
        key = references[position].key
        if key in cited or label is Label.NONE or (cited and label is not Label.LIKELY):
            continue  # a cited claim is offered other references only when they likely support it
        passage, matched = index.evidence(query, position)
        supports.append(Support(key, label, round(score, 3), "", matched, passage))
    best = max((support.label for support in supports), key=lambda label: label.rank, default=Label.NONE)
    return Claim(sentence, best, supports)
