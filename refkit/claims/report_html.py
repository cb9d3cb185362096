"""A ClaimMap as one self-contained HTML page: the document with each claim highlighted by how well it is
supported, and beside each paragraph the references offered for its claims.

No scripts, no external assets, and a Content-Security-Policy that forbids both, so the file opens anywhere
offline; every piece of document or reference text goes through `html.escape`, so a document that contains
`<script>` shows it as text instead of running it.
"""

from __future__ import annotations

from collections import defaultdict
from html import escape

from refkit.claims.model import Block, Claim, ClaimMap, Kind, Label, Sentence, Support
from refkit.claims.render import candidate_heading, verdict_text
from refkit.text import escape_controls

LABEL_CLASS = {Label.CITED: "cited", Label.LIKELY: "likely", Label.WEAK: "weak", Label.NONE: "none"}

STYLE = """
:root{--cited:#2563eb;--likely:#15803d;--weak:#b45309;--none:#b91c1c;--ink:#1f2328;--muted:#6b7280}
*{box-sizing:border-box}
body{margin:0;font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:#f6f7f9}
header{padding:24px 32px;background:#fff;border-bottom:1px solid #e5e7eb}
h1{margin:0 0 6px;font-size:22px} .meta{color:var(--muted);font-size:14px}
.chips{display:flex;gap:8px;flex-wrap:wrap;margin-top:12px}
.chip{border-radius:999px;padding:2px 12px;font-size:14px;color:#fff}
.chip.cited{background:var(--cited)} .chip.likely{background:var(--likely)} .chip.weak{background:var(--weak)}
.chip.none{background:var(--none)} .chip.other{background:var(--muted)}
.notice{margin-top:10px;padding:8px 12px;background:#fff7ed;border-left:4px solid var(--weak);font-size:14px}
main{max-width:1400px;margin:0 auto;padding:16px 32px}
.row{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:24px;padding:6px 0;
  border-bottom:1px dashed #e5e7eb}
.text h2{font-size:18px;margin:14px 0 4px} .text p{margin:4px 0}
.text .boilerplate{color:var(--muted);font-size:13px}
.text .item{padding-left:18px}
.s.claim{border-bottom:3px solid;padding:1px 0}
.s.claim.cited{background:#dbeafe;border-color:var(--cited)}
.s.claim.likely{background:#dcfce7;border-color:var(--likely)}
.s.claim.weak{background:#fef3c7;border-color:var(--weak)} .s.claim.none{background:#fee2e2;border-color:var(--none)}
.s.question,.s.advice{font-style:italic} .s.framing{color:#374151}
sup.n a{color:var(--muted);text-decoration:none;font-size:11px}
.notes{font-size:14px}
.card{background:#fff;border:1px solid #e5e7eb;border-left:4px solid;border-radius:6px;padding:8px 10px;margin:6px 0}
.card.cited{border-left-color:var(--cited)} .card.likely{border-left-color:var(--likely)}
.card.weak{border-left-color:var(--weak)} .card.none{border-left-color:var(--none)}
.card .head{font-weight:600} .card .head .label{font-weight:400;color:var(--muted)}
.card ul{margin:4px 0 0;padding-left:18px} .card li{margin:3px 0}
.card .key{font-family:ui-monospace,monospace;font-size:13px}
.card q{display:block;color:#374151;font-style:italic;margin-top:2px}
.card .words{color:var(--muted)}
.marker.bad{color:var(--none);font-weight:600}
section.summary{background:#fff;border:1px solid #e5e7eb;border-radius:6px;padding:12px 20px;margin:24px 0}
section.summary h2{font-size:17px;margin:10px 0 4px}
@media (max-width:900px){.row{grid-template-columns:1fr}}
"""


def render_html(claim_map: ClaimMap, source: str = "") -> str:
    """The whole report as one HTML document."""
    claims = {claim.sentence.index: claim for claim in claim_map.claims}
    by_block: dict[int, list[Sentence]] = defaultdict(list)
    for sentence in claim_map.sentences:
        by_block[sentence.block].append(sentence)
    rows = [_row(claim_map.body, block, by_block.get(block.index, []), claims) for block in claim_map.blocks]
    title = f"Claims and references — {source or 'document'}"
    page = "".join(
        [
            '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">',
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
            '<meta name="viewport" content="width=device-width,initial-scale=1">',
            f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>",
            _header(claim_map, title),
            "<main>",
            *rows,
            _summary(claim_map),
            "</main></body></html>\n",
        ]
    )
    return escape_controls(page, keep="\n")  # the page may be printed to a terminal: no control reaches it


def _header(claim_map: ClaimMap, title: str) -> str:
    counts = claim_map.label_counts()
    chips = "".join(
        f'<span class="chip {LABEL_CLASS[Label(label)]}">{count} {escape(label)}</span>'
        for label, count in counts.items()
    )
    others = len(claim_map.sentences) - len(claim_map.claims)
    chips += f'<span class="chip other">{others} not claims</span>'
    notice = f'<div class="notice">{escape(claim_map.notice)}</div>' if claim_map.notice else ""
    thresholds = claim_map.thresholds
    return (
        f'<header><h1>{escape(title)}</h1><div class="meta">{len(claim_map.sentences)} sentences, '
        f"{len(claim_map.claims)} claims, {len(claim_map.references)} references · ranker "
        f"{escape(claim_map.ranker)} (confidence for likely support ≥ {thresholds.likely:.2f}, "
        f"weak ≥ {thresholds.weak:.2f})"
        f'</div><div class="chips">{chips}</div>{notice}</header>'
    )


def _row(body: str, block: Block, sentences: list[Sentence], claims: dict[int, Claim]) -> str:
    if block.kind == "heading":
        return f'<div class="row"><div class="text"><h2>{escape(block.text.strip())}</h2></div><div></div></div>'
    if block.kind in ("boilerplate", "footnote"):
        return (
            f'<div class="row"><div class="text"><p class="boilerplate">{escape(block.text.strip())}'
            "</p></div><div></div></div>"
        )
    pieces, position = [], block.start
    for sentence in sentences:
        pieces.append(escape(body[position : sentence.start]))
        pieces.append(_sentence(body, sentence, claims.get(sentence.index)))
        position = sentence.end
    pieces.append(escape(body[position : block.end]))
    notes = "".join(_card(claims[s.index]) for s in sentences if s.index in claims)
    css = "item" if block.kind == "item" else ""
    return (
        f'<div class="row"><div class="text"><p class="{css}">{"".join(pieces).strip()}</p></div>'
        f'<div class="notes">{notes}</div></div>'
    )


def _sentence(body: str, sentence: Sentence, claim: Claim | None) -> str:
    text = escape(body[sentence.start : sentence.end])
    reasons = escape("; ".join(sentence.reasons), quote=True)
    if claim is None:
        return f'<span class="s {sentence.kind.value}" title="{sentence.kind.value}: {reasons}">{text}</span>'
    label = LABEL_CLASS[claim.label]
    return (
        f'<span class="s claim {label}" id="s{sentence.index}" title="{escape(claim.label.value)}: '
        f'{reasons}">{text}</span><sup class="n"><a href="#c{sentence.index}">{sentence.index + 1}</a></sup>'
    )


def _item(support: Support, verdict: str = "") -> str:
    why = f'marker <span class="marker">{escape(support.marker)}</span> · ' if support.marker else ""
    words = f' <span class="words">words: {escape(", ".join(support.matched))}</span>' if support.matched else ""
    cues = f' <span class="words">{escape(", ".join(support.cues))}</span>' if support.cues else ""
    passage = f"<q>{escape(support.passage)}</q>" if support.passage else ""
    chance = "" if support.label is Label.CITED else f" (confidence {support.confidence:.2f})"
    return (
        f'<li><span class="key">{escape(support.key)}</span> — {why}'
        f"{escape(support.label.value)} {support.score:.2f}{chance}{escape(verdict)}{words}{cues}{passage}</li>"
    )


def _card(claim: Claim) -> str:
    sentence = claim.sentence
    checks = {check.key: f" · does it say so? {verdict_text(check)}" for check in claim.checks}
    items = [_item(support, checks.get(support.key, "")) for support in claim.cited]
    for marker in sentence.markers:
        if marker.unresolved:
            items.append(
                f'<li><span class="marker bad">{escape(marker.text)}</span> resolves to nothing '
                f"({escape(', '.join(marker.unresolved))})</li>"
            )
    candidates = [_item(support) for support in claim.others]
    body = f"<ul>{''.join(items)}</ul>" if items else ""
    if candidates:
        body += f'<div class="words">{escape(candidate_heading(claim))}:</div><ul>{"".join(candidates)}</ul>'
    body = body or "<div>No reference in the list shares anything with it.</div>"
    return (
        f'<div class="card {LABEL_CLASS[claim.label]}" id="c{sentence.index}"><div class="head">'
        f'<a href="#s{sentence.index}">{sentence.index + 1}</a> · line {sentence.line} '
        f'<span class="label">{escape(claim.label.value)}</span></div>{body}</div>'
    )


def _summary(claim_map: ClaimMap) -> str:
    unsupported = "".join(
        f'<li><a href="#s{c.sentence.index}">line {c.sentence.line}</a>: {escape(c.sentence.text)}</li>'
        for c in claim_map.unsupported
    )
    uncited = "".join(f'<li><span class="key">{escape(r.key)}</span> {escape(r.title)}</li>' for r in claim_map.uncited)
    unresolved = "".join(
        f'<li>line {s.line}: <span class="marker bad">{escape(m.text)}</span> ({escape(", ".join(m.unresolved))})</li>'
        for s, m in claim_map.unresolved
    )
    miscited = "".join(
        f'<li><a href="#s{c.sentence.index}">line {c.sentence.line}</a>: cites <span class="key">'
        f'{escape(k.key)}</span>, but <span class="key">{escape(k.better)}</span> fits better</li>'
        for c, k in claim_map.miscited
    )
    others = [s for s in claim_map.sentences if s.kind is not Kind.CLAIM]
    return (
        '<section class="summary">'
        f"<h2>Unsupported claims ({len(claim_map.unsupported)})</h2><ul>{unsupported}</ul>"
        f"<h2>References nothing cites or supports ({len(claim_map.uncited)})</h2><ul>{uncited}</ul>"
        f"<h2>Likely mis-citations ({len(claim_map.miscited)})</h2><ul>{miscited}</ul>"
        f"<h2>Markers that resolve to nothing ({len(claim_map.unresolved)})</h2><ul>{unresolved}</ul>"
        f'<h2>Not checked ({len(others)})</h2><p class="meta">Framing, questions and advice are not '
        "claims; hover a sentence to see why it was or was not checked.</p></section>"
    )
