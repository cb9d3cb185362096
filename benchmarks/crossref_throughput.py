"""Validate-style DOI look-ups of 1,000 entries against the fake Crossref at 100 ms latency, enforcing the
polite pool's limits (single 10/s, lists 3/s, 3 concurrent; 429 past them).

Prints the cold wall time (empty cache), the warm wall time (everything cached), the ratio to fetching one
DOI per request in sequence at the published 10/s (measured on a subset and extrapolated, as printed), and
how many 429s each provoked. Targets: cold ≤ 10 s, warm ≤ 1 s, ratio ≥ 20×, zero 429s. Then the rate at
which entries without a DOI can be matched: one list request each, so 3 per second at best.

    python benchmarks/crossref_throughput.py [--entries 1000] [--latency 0.1] [--sequential-sample 100]
                                             [--searches 30]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # for tests.fakecrossref when run as a script

from refkit.config import Settings  # noqa: E402
from refkit.model import Name, Reference  # noqa: E402
from refkit.sources.base import LookupStatus  # noqa: E402
from refkit.sources.crossref import CrossrefSource  # noqa: E402
from refkit.sources.http import POLITE  # noqa: E402
from tests.fakecrossref.fixture import SAMPLE_RECORDS  # noqa: E402
from tests.fakecrossref.records import Record, RecordStore, read_records  # noqa: E402
from tests.fakecrossref.server import FakeCrossref  # noqa: E402

WORKS = ROOT.parent / "shared" / "data" / "crossref-records" / "works.jsonl"
MAILTO = "benchmark@example.org"


def records_with_dois(count: int) -> tuple[list[Record], str]:
    """`count` records: real ones from ../shared when there, topped up with synthesized copies."""
    source = WORKS if WORKS.exists() else SAMPLE_RECORDS
    records = [record for record in read_records(source) if record.get("DOI")][:count]
    real = len(records)
    for n in range(count - real):
        model = records[n % real]
        records.append({**model, "DOI": f"10.5555/refkit-benchmark.{n:05d}"})
    made = f", {count - real} synthesized" if count > real else ""
    return records, f"{real} real records from {source.name}{made}"


def polite_source(fake: FakeCrossref, cache: Path) -> CrossrefSource:
    return CrossrefSource(Settings(api_url=fake.url, mailto=MAILTO, cache_dir=cache))


def lookup_all(fake: FakeCrossref, cache: Path, dois: list[str]) -> tuple[float, Counter[str]]:
    source = polite_source(fake, cache)
    start = time.perf_counter()
    found = source.works(dois)
    elapsed = time.perf_counter() - start
    source.close()
    return elapsed, Counter(lookup.status.value for lookup in found.values())


def search_all(fake: FakeCrossref, cache: Path, records: list[Record]) -> float:
    """Entries without a DOI: one bibliographic query each, as concurrently as the limits allow."""
    source = polite_source(fake, cache)
    references = [
        Reference(
            title=" ".join(record.get("title") or ["untitled"]),
            authors=[Name(family=author.get("family", "")) for author in record.get("author", [])],
        )
        for record in records
    ]
    start = time.perf_counter()
    results = source.search_many(references)
    elapsed = time.perf_counter() - start
    assert not any(result.unavailable for result in results)
    source.close()
    return elapsed


def sequential(fake: FakeCrossref, dois: list[str]) -> float:
    """The peer: one /works/{doi} after another, each start at least 1/10 s (plus 5%) after the last."""
    spacing = POLITE.interval / POLITE.single * 1.05
    session = requests.Session()
    start = time.perf_counter()
    next_start = start
    for doi in dois:
        time.sleep(max(0.0, next_start - time.perf_counter()))
        next_start = time.perf_counter() + spacing
        session.get(f"{fake.url}/works/{doi}", params={"mailto": MAILTO}, timeout=30).raise_for_status()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=1000)
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument(
        "--sequential-sample",
        type=int,
        default=100,
        help="DOIs fetched one by one to time the sequential peer (then extrapolated)",
    )
    parser.add_argument(
        "--searches", type=int, default=30, help="entries without a DOI to match by bibliographic search (0: skip)"
    )
    args = parser.parse_args()

    records, provenance = records_with_dois(args.entries)
    dois = [record["DOI"].lower() for record in records]
    with (
        FakeCrossref(RecordStore(records), latency=args.latency, enforce_limits=True) as fake,
        tempfile.TemporaryDirectory() as cache,
    ):
        cold, statuses = lookup_all(fake, Path(cache), dois)
        cold_requests, cold_429 = dict(fake.served), fake.rejected
        warm, warm_statuses = lookup_all(fake, Path(cache), dois)
        warm_requests = sum(fake.served.values()) - sum(cold_requests.values())
        client_429 = fake.rejected
        sample = dois[: args.sequential_sample]
        peer = sequential(fake, sample) * len(dois) / len(sample)
        peer_429 = fake.rejected - client_429
        searching = search_all(fake, Path(cache), records[: args.searches]) if args.searches else 0.0
        search_429 = fake.rejected - client_429 - peer_429

    assert statuses == {LookupStatus.FOUND.value: len(dois)} == warm_statuses, (statuses, warm_statuses)
    ratio = peer / cold
    print(f"Crossref throughput: {len(dois):,} DOIs ({provenance}) against the fake Crossref,")
    print(
        f"  {args.latency * 1000:.0f} ms latency, polite-pool limits enforced "
        "(single 10/s, list 3/s, 3 concurrent, 429 past them)"
    )
    print(
        f"cold (empty cache):        {cold:7.2f} s  {cold_requests.get('list', 0)} list + "
        f"{cold_requests.get('single', 0)} single requests, {cold_429} × 429"
    )
    print(f"warm (cached):             {warm:7.2f} s  {warm_requests} requests")
    print(
        f"sequential one-per-DOI:    {peer:7.2f} s  (measured on {len(sample)} DOIs, "
        f"×{len(dois) / len(sample):g}), {peer_429} × 429"
    )
    print(f"ratio sequential / cold:   {ratio:7.1f} ×")
    print(f"429s provoked by refkit:   {client_429}")
    if args.searches:
        print(
            f"searches (no DOI):         {searching:7.2f} s  for {args.searches}: "
            f"{args.searches / searching:.1f} per second, {search_429} × 429"
        )
    checks = {
        "cold ≤ 10 s": cold <= 10,
        "warm ≤ 1 s": warm <= 1,
        "ratio ≥ 20×": ratio >= 20,
        "zero 429s": client_429 == 0,
    }
    print("targets:", ", ".join(f"{name} {'met' if ok else 'MISSED'}" for name, ok in checks.items()))


if __name__ == "__main__":
    main()
