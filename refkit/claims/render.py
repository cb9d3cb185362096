"""A ClaimMap as text (terminal), Markdown (review comments, wikis) or JSON (tools); HTML is report_html."""

from __future__ import annotations

import json
import re
from typing import Any

from refkit.claims.model import Check, Claim, ClaimMap, Label, Sentence, Support, Verdict
from refkit.text import escape_controls
from refkit.version import __version__

TEXT_WIDTH = 100


def _short(text: str, width: int = TEXT_WIDTH) -> str:
    """One line of at most `width` characters: a sentence's line breaks are the document's, not the report's."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _summary_line(claim_map: ClaimMap) -> str:
    counts = claim_map.label_counts()
    return f"{len(claim_map.sentences)} sentences, {len(claim_map.claims)} claims: " + ", ".join(
        f"{count} {label}" for label, count in counts.items()
    )


def _where(sentence: Sentence) -> str:
    """ "L12", or "p3 L12" for a PDF (whose lines are those of its text as read out)."""
    return f"p{sentence.page} L{sentence.line}" if sentence.page else f"L{sentence.line}"


def _support_text(support: Support) -> str:
    why = f"marker {support.marker}" if support.marker else ""
    if support.matched:
        why = (why + "; " if why else "") + "words: " + ", ".join(support.matched)
    if support.cues:
        why = (why + "; " if why else "") + ", ".join(support.cues)
    chance = "" if support.label is Label.CITED else f", confidence {support.confidence:.2f}"
    return f"{support.key}  {support.label.value} ({support.score:.2f}{chance}){'  — ' + why if why else ''}"


def verdict_text(check: Check) -> str:
    """The verdict on a cited reference, as every report words it: "supported", "no abstract: only its title
    is known", "not supported; likely mis-citation: X fits better"."""
    text = check.verdict.value + (": only its title is known" if check.verdict is Verdict.NO_ABSTRACT else "")
    return text + (f"; likely mis-citation: {check.better} fits better" if check.better else "")


def _check_text(check: Check) -> str:
    return f"does {check.key} say so? {verdict_text(check)} (words {check.score:.2f}, ranked {check.rank})"


def candidate_heading(claim: Claim) -> str:
    """What the candidates of a claim are: support, or only the closest references."""
    if claim.label is Label.NONE:
        return "closest references (none supports it)"
    return "other candidates" if claim.cited else "candidates"


def render_text(claim_map: ClaimMap, source: str = "") -> str:
    lines = [f"{source or 'document'}: {_summary_line(claim_map)} (ranker: {claim_map.ranker})"]
    if claim_map.notice:
        lines.append(f"note: {claim_map.notice}")
    for claim in claim_map.claims:
        lines.append("")
        lines.append(f"{_where(claim.sentence):<6} {claim.label.value:<15} {_short(claim.sentence.text)}")
        for support in claim.cited:
            lines.append(f"       → {_support_text(support)}")
        for check in claim.checks:
            lines.append(f"         {_check_text(check)}")
        candidates = claim.others
        if candidates:
            lines.append(f"       {candidate_heading(claim)}:")
        for rank, support in enumerate(candidates, 1):
            lines.append(f"       {rank}. {_support_text(support)}")
            if support.passage and not claim.cited:
                lines.append(f"          “{_short(support.passage, TEXT_WIDTH - 10)}”")
    lines += ["", *_summary_lines(claim_map)]
    return "\n".join(escape_controls(line) for line in lines) + "\n"  # one line each, whatever the document holds


def _summary_lines(claim_map: ClaimMap) -> list[str]:
    lines = [f"Unsupported claims: {len(claim_map.unsupported)}"]
    lines += [f"  {_where(claim.sentence):<6} {_short(claim.sentence.text)}" for claim in claim_map.unsupported]
    uncited = claim_map.uncited
    lines.append(f"References nothing cites or supports: {len(uncited)}")
    lines += [f"  {reference.key}  {_short(reference.title, TEXT_WIDTH - 20)}" for reference in uncited]
    miscited = claim_map.miscited
    lines.append(f"Likely mis-citations: {len(miscited)}")
    lines += [
        f"  {_where(claim.sentence):<6} cites {check.key}, but {check.better} fits: {_short(claim.sentence.text, 70)}"
        for claim, check in miscited
    ]
    unresolved = claim_map.unresolved
    lines.append(f"Markers that resolve to nothing: {sum(len(marker.unresolved) for _, marker in unresolved)}")
    lines += [
        f"  {_where(sentence):<6} {marker.text}  ({', '.join(marker.unresolved)})" for sentence, marker in unresolved
    ]
    return lines


# The punctuation that starts Markdown which does something when the report is viewed: an image fetched from
# the document's server (`![](http://…)`), a link (`[x](javascript:…)`, `<http://…>`), raw HTML, an entity,
# and what would break the table (`|`) or restyle it. Any ASCII punctuation may be backslash-escaped
# (CommonMark), so the cell still reads as the document's text.
_MARKDOWN_RE = re.compile(r"[\\`*_\[\]<>!|~&#]")


def _cell(text: str) -> str:
    """Inert text for a Markdown table cell: one line, no control characters, no markup."""
    return _MARKDOWN_RE.sub(r"\\\g<0>", escape_controls(" ".join(text.split())))


def render_markdown(claim_map: ClaimMap, source: str = "") -> str:
    lines = [
        f"# Claims and references: {_cell(source or 'document')}",
        "",
        f"{_summary_line(claim_map)}. Ranker: {claim_map.ranker}.",
        "",
    ]
    if claim_map.notice:
        lines += [f"> {_cell(claim_map.notice)}", ""]
    lines += ["| Line | Claim | Support | References |", "| ---: | --- | --- | --- |"]
    for claim in claim_map.claims:
        checks = {check.key: f"; {verdict_text(check)}" for check in claim.checks}
        cited = [_cell(f"{s.key} (cited{checks.get(s.key, '')})") for s in claim.cited]
        offered = [_cell(f"{s.key} ({s.label.value}, {s.confidence:.2f})") for s in claim.others]
        if offered and claim.label is Label.NONE:
            offered[0] = "closest: " + offered[0]
        references = "<br>".join(cited + offered)
        lines.append(
            f"| {_where(claim.sentence)} | {_cell(claim.sentence.text)} | {claim.label.value} | {references or '—'} |"
        )
    lines += ["", "## Summary", ""]
    lines += [
        f"- {_cell(line.strip())}" if line.startswith("  ") else f"\n**{line}**\n" for line in _summary_lines(claim_map)
    ]
    return "\n".join(lines) + "\n"


def _support_json(support: Support) -> dict[str, Any]:
    return {
        **_evidence_json(support),
        "label": support.label.value,
        "confidence": support.confidence,
        "marker": support.marker,
        "cues": list(support.cues),
    }


def _check_json(check: Check) -> dict[str, Any]:
    return {**_evidence_json(check), "verdict": check.verdict.value, "rank": check.rank, "better": check.better or None}


def _evidence_json(found: Support | Check) -> dict[str, Any]:
    """What a reference offered for a claim and its verdict share: the key, the score and why."""
    return {"key": found.key, "score": found.score, "matched": list(found.matched), "passage": found.passage}


def _page(sentence: Sentence) -> dict[str, int]:
    """A PDF's sentences carry their page; other documents have none to give."""
    return {"page": sentence.page} if sentence.page else {}


def _claim_json(claim: Claim) -> dict[str, Any]:
    sentence = claim.sentence
    return {
        "sentence": sentence.index,
        "line": sentence.line,
        **_page(sentence),
        "text": sentence.text,
        "label": claim.label.value,
        "reasons": list(sentence.reasons),
        "markers": [
            {"text": m.text, "style": m.style, "keys": m.keys, "unresolved": m.unresolved} for m in sentence.markers
        ],
        "references": [_support_json(support) for support in claim.supports],
        "candidates": [_support_json(support) for support in claim.candidates],
        "checks": [_check_json(check) for check in claim.checks],
        "ranking": [{"key": key, "score": round(score, 4)} for key, score in claim.ranking],
    }


def to_json(claim_map: ClaimMap, source: str = "") -> dict[str, Any]:
    """The map as plain data: stable keys, for tools and CI."""
    return {
        "tool": "refkit",
        "version": __version__,
        "command": "map",
        "document": source,
        "ranker": claim_map.ranker,
        "notice": claim_map.notice,
        "thresholds": {"likely": claim_map.thresholds.likely, "weak": claim_map.thresholds.weak},
        "summary": {
            "sentences": len(claim_map.sentences),
            "claims": len(claim_map.claims),
            "labels": claim_map.label_counts(),
            "unsupported": len(claim_map.unsupported),
            "uncited": [reference.key for reference in claim_map.uncited],
            "unresolved": sum(len(marker.unresolved) for _, marker in claim_map.unresolved),
            "miscited": len(claim_map.miscited),
        },
        "claims": [_claim_json(claim) for claim in claim_map.claims],
        "sentences": [
            {
                "index": s.index,
                "line": s.line,
                **_page(s),
                "kind": s.kind.value,
                "reasons": list(s.reasons),
                "text": s.text,
            }
            for s in claim_map.sentences
        ],
        "unresolved": [
            {"line": sentence.line, **_page(sentence), "marker": marker.text, "targets": marker.unresolved}
            for sentence, marker in claim_map.unresolved
        ],
        "references": [
            {
                "key": r.key,
                "title": r.title,
                "year": r.year,
                "supports": [
                    c.sentence.index
                    for c in claim_map.claims
                    if any(s.key == r.key and s.label.rank >= Label.LIKELY.rank for s in c.supports)
                ],
            }
            for r in claim_map.references
        ],
    }


def render_json(claim_map: ClaimMap, source: str = "") -> str:
    # json.dumps leaves DEL, C1 and bidi controls raw: written as \u escapes, the same JSON prints safely.
    return escape_controls(json.dumps(to_json(claim_map, source), ensure_ascii=False, indent=2), keep="\n") + "\n"
