"""HALLMARK's development split through the whole `refkit validate` pipeline (offline lint + verification).

The benchmark's pool of 950 real works (../shared/data/hallmark/raw_valid_entries.jsonl) is served as a local
Crossref snapshot: each work becomes a Crossref `message` (works without a DOI get a stable made-up one,
10.0000/hallmark.<key>; arXiv preprints become `posted-content`). For DOIs the pool does not hold, the source
answers the way Crossref would without knowing more than the pool: arXiv's 10.48550 prefix is registered
with DataCite ("elsewhere"), a prefix that real works in the pool use is unknown here (unverified), and any
other prefix is not registered (not found). An entry counts as flagged when any finding of severity warning or
error is reported for it, or only those of `--rules` when given.

    python benchmarks/hallmark.py [--split PATH] [--pool PATH] [--show TYPE] [--rules RK6,RK3]
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from refkit.bib import parse_bibliography  # noqa: E402
from refkit.bib.convert import parse_names  # noqa: E402
from refkit.config import Settings  # noqa: E402
from refkit.model import Finding, Reference, Severity  # noqa: E402
from refkit.sources.base import BaseSource, Lookup, LookupStatus, SearchResult, UnavailableSource  # noqa: E402
from refkit.sources.snapshot import SnapshotSource  # noqa: E402
from refkit.text import latex_to_unicode, normalize_doi  # noqa: E402
from refkit.validate import validate_bibliography  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "hallmark"
CROSSREF_RECORDS = ROOT.parent / "shared" / "data" / "crossref-records" / "works.jsonl"
_DBLP_NUMBER_RE = re.compile(r"\s+\d{4}(?=\s+and\s|$)")


def to_message(work: dict[str, Any]) -> dict[str, Any]:
    """One pool entry (DBLP facts) as a Crossref `message`; DBLP's homonym numbers ("Jie Wen 0001") and HTML
    entities are removed from names, as Crossref does not carry them."""
    fields = work["fields"]
    names, _ = parse_names(_DBLP_NUMBER_RE.sub("", html.unescape(fields.get("author", ""))))
    preprint = "arxiv" in (fields.get("note", "") + fields.get("doi", "")).lower() and not fields.get("booktitle")
    message: dict[str, Any] = {
        "DOI": fields.get("doi") or f"10.0000/hallmark.{work['bibtex_key']}",
        "type": "posted-content" if preprint else "proceedings-article",
        "title": [latex_to_unicode(fields["title"])],
        "author": [{"family": n.full_family, "given": n.given} if n.family else {"name": n.literal} for n in names],
        "issued": {"date-parts": [[int(fields["year"])]]} if fields.get("year", "").isdigit() else {},
    }
    venue = fields.get("booktitle") or fields.get("journal")
    if venue:
        message["container-title"] = [venue]
    return message


def _prefix(doi: str) -> str:
    return normalize_doi(doi).split("/")[0]


class PoolSource(BaseSource):
    """The pool as a snapshot, answering unknown DOIs as Crossref would by their prefix (see module doc).

    Registrant prefixes known to exist: those of the pool and of the 1,747 real Crossref records in
    ../shared/data/crossref-records; a DOI under any other prefix is not registered."""

    def __init__(self, records: list[dict[str, Any]], known_prefixes: set[str]) -> None:
        self.snapshot = SnapshotSource(records=records, name="hallmark-pool", complete=True)  # the universe
        self.name = self.snapshot.name
        self.complete = True
        self.prefixes = known_prefixes | {_prefix(r["DOI"]) for r in records if not r["DOI"].startswith("10.0000/")}

    def works(self, dois: Sequence[str]) -> dict[str, Lookup]:
        result = self.snapshot.works(dois)
        for doi, lookup in result.items():
            if lookup.status is LookupStatus.FOUND:
                continue
            prefix = _prefix(doi)
            if prefix == "10.48550":
                result[doi] = Lookup(doi, LookupStatus.ELSEWHERE, agency="DataCite")
            elif prefix in self.prefixes:
                result[doi] = Lookup(doi, LookupStatus.UNAVAILABLE, reason="not in the pool")
        return result

    def search(self, reference: Reference, rows: int = 5) -> SearchResult:
        return self.snapshot.search(reference, rows)


def to_bibtex(entries: list[dict[str, Any]]) -> str:
    blocks = []
    for entry in entries:
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in entry["fields"].items() if value)
        blocks.append(f"@{entry['bibtex_type']}{{{entry['bibtex_key']},\n{body}\n}}\n")
    return "\n".join(blocks)


def flagged_keys(findings: Iterable[Finding], rules: list[str]) -> dict[str, set[str]]:
    """Rule ids of warnings and errors by entry key, only those of `rules` (id prefixes) when given."""
    by_key: dict[str, set[str]] = defaultdict(set)
    for finding in findings:
        if finding.key is None or finding.severity.rank < Severity.WARNING.rank:
            continue
        if rules and not any(finding.rule.startswith(prefix) for prefix in rules):
            continue
        by_key[finding.key].add(finding.rule)
    return by_key


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", type=Path, default=DATA / "dev_public.jsonl")
    parser.add_argument("--pool", type=Path, default=DATA / "raw_valid_entries.jsonl")
    parser.add_argument("--show", default="", help="print the entries of this type (or VALID) that were missed")
    parser.add_argument("--rules", default="", help="count only findings of these rule-id prefixes")
    parser.add_argument(
        "--no-records", action="store_true", help="serve no records at all: what the offline rules alone detect"
    )
    args = parser.parse_args()
    if not args.split.exists():
        sys.exit(f"{args.split} is not present (../shared/data/hallmark)")
    pool = [json.loads(line) for line in args.pool.open(encoding="utf-8")]
    entries = [json.loads(line) for line in args.split.open(encoding="utf-8")]
    known = (
        {_prefix(json.loads(line)["DOI"]) for line in CROSSREF_RECORDS.open(encoding="utf-8")}
        if CROSSREF_RECORDS.exists()
        else set()
    )
    started = time.perf_counter()
    source = (
        UnavailableSource("no records (--no-records)")
        if args.no_records
        else PoolSource([to_message(work) for work in pool], known)
    )
    findings = []
    for entry in entries:  # one bibliography per entry: the split repeats works, which is no duplicate
        bibliography = parse_bibliography(to_bibtex([entry]), "hallmark.bib")
        findings.extend(validate_bibliography(bibliography, Settings(), source=source).findings)
    elapsed = time.perf_counter() - started
    described = "no records (offline rules only)" if args.no_records else f"pool of {len(pool)} works as the snapshot"
    print(f"HALLMARK {args.split.name}: {len(entries)} entries, {described}; {elapsed:.1f} s")
    summarise(entries, findings, args.rules, args.show)


def summarise(entries: list[dict[str, Any]], findings: list[Finding], rules: str = "", show: str = "") -> None:
    """Detection rate, false-positive rate, F1, per hallucination type and the rules that fired."""
    flagged = flagged_keys(findings, [r.strip().upper() for r in rules.split(",") if r.strip()])
    per_type: dict[str, Counter[str]] = defaultdict(Counter)
    rule_counts: dict[str, Counter[str]] = {"VALID": Counter(), "HALLUCINATED": Counter()}
    true_pos = false_pos = positives = negatives = 0
    for entry in entries:
        hit = entry["bibtex_key"] in flagged
        kind = entry.get("hallucination_type") or "VALID"
        per_type[kind]["hit" if hit else "miss"] += 1
        rule_counts[entry["label"]].update(flagged.get(entry["bibtex_key"], ()))
        if entry["label"] == "HALLUCINATED":
            positives += 1
            true_pos += hit
        else:
            negatives += 1
            false_pos += hit
        if show and kind == show and hit == (kind == "VALID"):
            print(f"  {entry['bibtex_key']}: {json.dumps(entry['fields'])[:220]}")
            for finding in findings:
                if finding.key == entry["bibtex_key"]:
                    print(f"      {finding.rule} {finding.message[:200]}")
    detection = true_pos / positives if positives else 0.0
    precision = true_pos / (true_pos + false_pos) if true_pos + false_pos else 0.0
    f1 = 2 * precision * detection / (precision + detection) if precision + detection else 0.0
    print(
        f"{positives} hallucinated, {negatives} valid: "
        f"detection rate {detection:.3f}   false-positive rate {false_pos / negatives:.3f}   "
        f"precision {precision:.3f}   F1 {f1:.3f}"
    )
    print("detection per hallucination type:")
    for kind in sorted(per_type, key=lambda k: (k == "VALID", k)):
        counts = per_type[kind]
        total = counts["hit"] + counts["miss"]
        label = "flagged (false positives)" if kind == "VALID" else "detected"
        print(f"  {kind:24s} {counts['hit']:4d}/{total:<4d} {label} {counts['hit'] / total:.2f}")
    for label, counts in rule_counts.items():
        print(f"rules on {label.lower()} entries: " + ", ".join(f"{r} {n}" for r, n in sorted(counts.items())))


if __name__ == "__main__":
    main()
