"""HALLMARK's development split against the whole default chain — fake Crossref, DataCite, arXiv and DBLP
servers on 127.0.0.1 — with its real works spread over them as the real world spreads them, beside the
Crossref-only run of benchmarks/hallmark.py (the pool as one complete snapshot).

- DBLP holds every real work (the benchmark's works were scraped from DBLP), under DBLP's venue names, its
  arXiv preprints as CoRR ("Informal and Other Publications").
- Crossref holds the works with a Crossref DOI (10.1609 AAAI, 10.1109 CVPR, …) under Crossref's long
  container titles ("Proceedings of the AAAI Conference on Artificial Intelligence").
- arXiv and DataCite hold the works with an arXiv DOI (10.48550): arXiv by id, DataCite by DOI.
- Nothing holds a hallucinated entry, and a DOI no fake holds is answered as Crossref answers an unregistered
  one (404, no agency), except arXiv's prefix, which Crossref calls DataCite's.

The real works (`--world`): by default ("pool") the pool's works (raw_valid_entries.jsonl, DBLP's facts) as
the pool describes them, then the split's VALID works the pool lacks (59 of the 513 dev ones; real works the
benchmark verified), as the benchmark describes them: the world holds every real work, and a work the pool
holds is described as the pool describes it, so variant titles, names, venues and years are tested. "valid"
puts the VALID entries' own descriptions first (every VALID entry then agrees with its record); "pool-only"
serves the pool alone, so the VALID works it lacks are absent and their registered DOIs answer 404, which
the real registries would not do. The fakes do not enforce the APIs' limits and the clients' limiters are
relaxed: this measures verdicts, not waiting (requests per entry are printed; benchmarks/sources_requests.py
measures the waiting). An entry counts as flagged when any warning or error is reported for it.

    python benchmarks/hallmark_sources.py [--crossdomain] [--split PATH] [--world pool|valid|pool-only]
        [--show TYPE] [--limit N]

With --crossdomain, the cross-domain split (PubMed and bioRxiv works, all with Crossref DOIs) against the same
chain: its real works are in Crossref (bioRxiv's as posted-content), none in DataCite, arXiv or DBLP. Its VALID
entries are Crossref's own descriptions, so `--world valid` is the real Crossref; the default `pool` serves
instead the pool's descriptions, which come from bioRxiv's API (one version of each preprint, often not the
one Crossref describes) and from PubMed as the benchmark's scraper wrote them ("Kakhki B Rezvani" for PubMed's
"Rezvani Kakhki B"): no VALID work is then missed (every one is found by its DOI), but where the only record
is another version or a garbled name, the entry's fields disagree with it, and that is reported.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.hallmark import CROSSREF_RECORDS, DATA, PoolSource, _prefix, summarise, to_bibtex, to_message  # noqa: E402
from refkit.bib import parse_bibliography  # noqa: E402
from refkit.bib.convert import parse_names  # noqa: E402
from refkit.config import Settings  # noqa: E402
from refkit.sources import registry  # noqa: E402
from refkit.sources.base import Source  # noqa: E402
from refkit.sources.http import HttpClient, Limits  # noqa: E402
from refkit.text import latex_to_unicode, normalize_doi  # noqa: E402
from refkit.validate import validate_bibliography  # noqa: E402
from tests.fakeapis import FakeArxiv, FakeDataCite, FakeDblp  # noqa: E402
from tests.fakeapis.arxiv import Entry  # noqa: E402
from tests.fakeapis.datacite import attributes  # noqa: E402
from tests.fakeapis.dblp import info  # noqa: E402
from tests.fakecrossref import FakeCrossref  # noqa: E402

FAST = Limits(single=1000, list=1000, interval=1.0, concurrency=4)
CHAIN = ("crossref", "datacite", "arxiv", "dblp")
# The container titles Crossref gives these venues' proceedings (DBLP uses the short names).
CROSSREF_VENUES = {
    "AAAI": "Proceedings of the AAAI Conference on Artificial Intelligence",
    "CVPR": "{year} IEEE/CVF Conference on Computer Vision and Pattern Recognition (CVPR)",
    "ICCV": "{year} IEEE/CVF International Conference on Computer Vision (ICCV)",
}
_ARXIV_DOI = re.compile(r"^10\.48550/arxiv\.(.+)$", re.IGNORECASE)
_HOMONYM = re.compile(r"\s+\d{4}(?=\s+and\s|$)")


def universe(pool: list[dict[str, Any]], split: list[dict[str, Any]], setting: str) -> list[dict[str, Any]]:
    """The real works, one record per DOI (else per title), the first description winning, as a registry holds
    one: "pool" the pool's (DBLP's) descriptions first, then the split's VALID works the pool lacks, as the
    benchmark describes them (the honest setting: the world holds every real work, and describes those the
    pool has as the pool does); "valid" the VALID entries' descriptions first; "pool-only" the pool alone (the
    VALID works it lacks are then absent from the world, their registered DOIs unregistered)."""
    # A registry names every author: of two descriptions of one work, one that ends "and others" is the last choice.
    valid = sorted(
        (e for e in split if e["label"] == "VALID"), key=lambda e: "and others" in e["fields"].get("author", "")
    )
    order = {"pool": [*pool, *valid], "valid": [*valid, *pool], "pool-only": pool}[setting]
    works, seen = [], set()
    for work in order:
        title = re.sub(r"\W", "", work["fields"].get("title", "").lower())
        doi = normalize_doi(work["fields"].get("doi", ""))
        key = doi or title  # a DOI is one record; a work without one is known by its title
        if title and key not in seen:
            seen.add(key)
            works.append(work)
    return works


def _names(fields: dict[str, str]) -> list[tuple[str, str]]:
    names, _ = parse_names(_HOMONYM.sub("", html.unescape(fields.get("author", ""))))
    return [(name.full_family, name.given) if name.family else (name.literal, "") for name in names]


def _arxiv(fields: dict[str, str]) -> str:
    found = _ARXIV_DOI.match(fields.get("doi", "").strip())
    return found.group(1) if found else ""


def dblp_record(work: dict[str, Any]) -> dict[str, Any]:
    fields = work["fields"]
    venue = fields.get("booktitle") or fields.get("journal") or "CoRR"
    kind = (
        "Conference and Workshop Papers"
        if fields.get("booktitle")
        else "Journal Articles"
        if fields.get("journal")
        else "Informal and Other Publications"
    )
    authors = [" ".join(part for part in (given, family) if part) for family, given in _names(fields)]
    doi = "" if _arxiv(fields) and venue != "CoRR" else fields.get("doi", "")
    return info(f"dblp/{work['bibtex_key']}", latex_to_unicode(fields["title"]), authors, venue, fields["year"],
                kind=kind, doi=doi)  # fmt: skip


def crossref_record(work: dict[str, Any]) -> dict[str, Any]:
    """A Crossref `message`: proceedings under Crossref's container titles, journal articles, and bioRxiv
    preprints as Crossref registers them (posted-content, no container, Cold Spring Harbor Laboratory)."""
    message = to_message(work)
    fields = work["fields"]
    venue = fields.get("booktitle", "")
    if venue in CROSSREF_VENUES:
        message["container-title"] = [CROSSREF_VENUES[venue].format(year=fields.get("year", ""))]
    if fields.get("journal"):
        message["type"] = "journal-article"
    if "rxiv" in fields.get("journal", "").lower() or normalize_doi(fields.get("doi", "")).startswith("10.1101/"):
        message.update(type="posted-content", publisher="Cold Spring Harbor Laboratory")
        message.pop("container-title", None)
    return message


def arxiv_entry(work: dict[str, Any]) -> Entry:
    fields = work["fields"]
    identifier = _arxiv(fields)
    versioned = identifier if re.search(r"v\d+$", identifier) else identifier + "v1"
    authors = [" ".join(part for part in (given, family) if part) for family, given in _names(fields)]
    return Entry(versioned, latex_to_unicode(fields["title"]), authors, f"{fields.get('year', '2020')}-01-01T00:00:00Z")


def datacite_record(work: dict[str, Any]) -> dict[str, Any]:
    fields = work["fields"]
    identifier = re.sub(r"v\d+$", "", _arxiv(fields))
    year = int(fields["year"]) if fields.get("year", "").isdigit() else None
    return attributes(f"10.48550/arxiv.{identifier}", latex_to_unicode(fields["title"]), _names(fields), year,
                      publisher="arXiv", arxiv=identifier, url=f"https://arxiv.org/abs/{identifier}")  # fmt: skip


def run_chain(entries: list[dict[str, Any]], works: list[dict[str, Any]]) -> tuple[list, dict[str, int], float]:
    """Validate every entry (one bibliography each) against the four fakes; findings, requests per fake."""
    doi_works = [w for w in works if w["fields"].get("doi") and not _arxiv(w["fields"])]
    arxiv_works = [w for w in works if _arxiv(w["fields"])]
    datacite = {}
    for work in arxiv_works:
        record = datacite_record(work)
        datacite[record["doi"]] = record
        # The split cites versions' DOIs (…v1) and marks them resolving: served as registered, under their own DOI.
        cited = normalize_doi(work["fields"]["doi"])
        datacite[cited] = {**record, "doi": cited, "suffix": cited.partition("/")[2]}
    fakes = {
        "crossref": FakeCrossref([crossref_record(w) for w in doi_works], send_rate_headers=False),
        "datacite": FakeDataCite(datacite),
        "arxiv": FakeArxiv([arxiv_entry(w) for w in arxiv_works]),
        "dblp": FakeDblp([dblp_record(w) for w in works]),
    }
    findings = []
    with tempfile.TemporaryDirectory() as cache:
        for fake in fakes.values():
            fake.start()
        try:
            settings = Settings(
                api_url=fakes["crossref"].url,
                urls={name: fake.url for name, fake in fakes.items()},
                cache_dir=Path(cache),
                mailto="benchmark@example.org",
                sources=list(CHAIN),
            )
            crossref = registry.factory("crossref")(settings, client=HttpClient(settings, limits=FAST))  # type: ignore[call-arg]
            sources: list[Source] = [
                crossref,
                *(registry.factory(name)(settings, limits=FAST) for name in CHAIN[1:]),  # type: ignore[call-arg]
            ]
            started = time.perf_counter()
            for entry in entries:
                bibliography = parse_bibliography(to_bibtex([entry]), "hallmark.bib")
                findings.extend(validate_bibliography(bibliography, settings, source=sources).findings)
            elapsed = time.perf_counter() - started
            registry.close_all(sources)
        finally:
            for fake in fakes.values():
                fake.stop()
    return findings, {name: len(fake.requests) for name, fake in fakes.items()}, elapsed


def run_crossref_only(entries: list[dict[str, Any]], pool: list[dict[str, Any]]) -> list:
    """benchmarks/hallmark.py's run: the real works as one complete Crossref snapshot."""
    known = (
        {_prefix(json.loads(line)["DOI"]) for line in CROSSREF_RECORDS.open(encoding="utf-8")}
        if CROSSREF_RECORDS.exists()
        else set()
    )
    source = PoolSource([to_message(work) for work in pool], known)
    findings = []
    for entry in entries:
        bibliography = parse_bibliography(to_bibtex([entry]), "hallmark.bib")
        findings.extend(validate_bibliography(bibliography, Settings(), source=source).findings)
    return findings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", type=Path, default=None, help="default: dev_public.jsonl")
    parser.add_argument("--pool", type=Path, default=None, help="default: raw_valid_entries.jsonl")
    parser.add_argument(
        "--crossdomain", action="store_true", help="the cross-domain split (PubMed, bioRxiv) and its pool"
    )
    parser.add_argument(
        "--world", choices=("pool", "valid", "pool-only"), default="pool", help="whose descriptions are the records"
    )
    parser.add_argument("--show", default="", help="print the entries of this type (or VALID) that were missed")
    parser.add_argument("--limit", type=int, default=0, help="only the first N entries of the split")
    parser.add_argument("--no-baseline", action="store_true", help="skip the Crossref-only run")
    args = parser.parse_args()
    crossdomain = ("crossdomain_matched.jsonl", "crossdomain_matched_pool.jsonl")
    split_name, pool_name = crossdomain if args.crossdomain else ("dev_public.jsonl", "raw_valid_entries.jsonl")
    args.split, args.pool = args.split or DATA / split_name, args.pool or DATA / pool_name
    if not args.split.exists():
        sys.exit(f"{args.split} is not present (../shared/data/hallmark)")
    pool = [json.loads(line) for line in args.pool.open(encoding="utf-8")]
    entries = [json.loads(line) for line in args.split.open(encoding="utf-8")]
    entries = entries[: args.limit] if args.limit else entries
    works = universe(pool, entries, args.world)
    findings, requests, elapsed = run_chain(entries, works)
    spread = ", ".join(f"{name} {count}" for name, count in requests.items())
    print(
        f"HALLMARK {args.split.name}, chain {'+'.join(CHAIN)}: {len(works)} real works "
        f"(world: {args.world}); {elapsed:.1f} s; "
        f"requests per entry {sum(requests.values()) / len(entries):.2f} ({spread})"
    )
    summarise(entries, findings, show=args.show)
    if not args.no_baseline:
        print(f"\nbeside it, Crossref only (benchmarks/hallmark.py's run: the same {len(works)} works as one complete")
        print("Crossref snapshot, so that only the sources differ):")
        summarise(entries, run_crossref_only(entries, works))


if __name__ == "__main__":
    main()
