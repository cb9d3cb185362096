"""Validate-style DOI look-ups of 1,000 entries against the fake Crossref at 100 ms latency, enforcing the
polite pool's limits (single 10/s, lists 3/s, 3 concurrent; 429 past them).

Prints the cold wall time (empty cache) beside the limits themselves (10 lists of 100 DOIs at 3 lists/s, 3 at
once, each answered after the latency: about 3.1 s), the warm wall time (everything cached) in-process and as a
whole `refkit validate` process, the ratio to fetching one DOI per request in sequence at the published 10/s
(measured on a subset and extrapolated, as printed), and how many 429s each provoked. Targets (issue 13):
cold ≤ 1.2× the limits, warm whole process ≤ 0.5 s, ratio ≥ 20×, zero 429s. Then the rate at which entries
without a DOI can be matched: one list request each, so 3 per second at best.

    python benchmarks/crossref_throughput.py [--entries 1000] [--latency 0.1] [--sequential-sample 100]
                                             [--searches 30]
"""

from __future__ import annotations

import argparse
import math
import os
import resource
import statistics
import subprocess
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
from refkit.sources.crossref import MAX_BATCH, CrossrefSource  # noqa: E402
from refkit.sources.http import POLITE  # noqa: E402
from tests.fakecrossref.fixture import SAMPLE_RECORDS  # noqa: E402
from tests.fakecrossref.records import Record, RecordStore, read_records  # noqa: E402
from tests.fakecrossref.server import FakeCrossref  # noqa: E402

WORKS = ROOT.parent / "shared" / "data" / "crossref-records" / "works.jsonl"
MAILTO = "benchmark@example.org"
CPU: list[float] = []  # CPU seconds of each lookup_all, in order


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


def cpu_seconds() -> float:
    """CPU time of this process (the client and the in-process fake alike): what a loaded machine's wall
    clock hides."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def lookup_all(fake: FakeCrossref, cache: Path, dois: list[str]) -> tuple[float, Counter[str]]:
    source = polite_source(fake, cache)
    start, cpu = time.perf_counter(), cpu_seconds()
    found = source.works(dois)
    elapsed = time.perf_counter() - start
    CPU.append(cpu_seconds() - cpu)
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


def as_bibtex(records: list[Record]) -> str:
    """The records as the entries of a bibliography: title, first author, year and DOI."""
    entries = []
    for number, record in enumerate(records):
        title = " ".join(record.get("title") or ["Untitled"]).replace("{", "").replace("}", "")
        family = next((a.get("family", "") for a in record.get("author", []) if a.get("family")), "Anonymous")
        year = ((record.get("issued") or {}).get("date-parts") or [[None]])[0][0] or 2000
        entries.append(f"@article{{e{number},\n  title = {{{title}}},\n  author = {{{family}, A.}},\n"
                       f"  year = {{{year}}},\n  doi = {{{record['DOI']}}}\n}}\n")  # fmt: skip
    return "\n".join(entries)


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def whole_process(fake: FakeCrossref, cache: Path, records: list[Record], runs: int = 3) -> tuple[float, float, float]:
    """`refkit validate` of the records as one .bib, Crossref the only source, as a whole process (interpreter,
    imports, parsing, verdicts, report): the median of `runs` warm runs (the cold run before them fills the
    cache), its median CPU seconds (what a loaded machine's wall clock hides), and `python -c pass` beside it."""
    bib = cache / "throughput.bib"
    bib.write_text(as_bibtex(records), encoding="utf-8")
    command = [sys.executable, "-m", "refkit", "validate", str(bib), "--sources", "crossref", "--mailto", MAILTO,
               "--cache-dir", str(cache), "--format", "json"]  # fmt: skip
    environment = {**os.environ, "REFKIT_CROSSREF_URL": fake.url}
    subprocess.run(command, env=environment, capture_output=True, check=False)  # cold: fills the cache
    served = sum(fake.served.values())
    timings, cpu = [], []
    for _ in range(runs):
        start, used = time.perf_counter(), children_cpu()
        subprocess.run(command, env=environment, capture_output=True, check=False)
        timings.append(time.perf_counter() - start)
        cpu.append(children_cpu() - used)
    assert sum(fake.served.values()) == served, "the warm runs made requests"
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    return statistics.median(timings), statistics.median(cpu), time.perf_counter() - start


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


def ideal_seconds(dois: int, latency: float) -> float:
    """Lists of MAX_BATCH DOIs started at exactly the polite list rate, each answered after `latency`."""
    lists = math.ceil(dois / MAX_BATCH)
    return (lists - 1) / POLITE.list * POLITE.interval + latency


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
    with (
        FakeCrossref(RecordStore(records), latency=args.latency, enforce_limits=True) as fake,
        tempfile.TemporaryDirectory() as cache,
    ):
        process_warm, process_cpu, bare_python = whole_process(fake, Path(cache), records)

    assert statuses == {LookupStatus.FOUND.value: len(dois)} == warm_statuses, (statuses, warm_statuses)
    ratio = peer / cold
    print(f"Crossref throughput: {len(dois):,} DOIs ({provenance}) against the fake Crossref,")
    print(
        f"  {args.latency * 1000:.0f} ms latency, polite-pool limits enforced "
        "(single 10/s, list 3/s, 3 concurrent, 429 past them)"
    )
    print(
        f"cold (empty cache):        {cold:7.2f} s  {cold_requests.get('list', 0)} list + "
        f"{cold_requests.get('single', 0)} single requests, {cold_429} × 429; {CPU[0]:.2f} CPU s"
    )
    print(f"warm (cached):             {warm:7.2f} s  {warm_requests} requests; {CPU[1]:.2f} CPU s")
    print(f"load average at the end:   {os.getloadavg()[0]:7.2f}  (wall times stretch with it)")
    print(
        f"warm, whole process:       {process_warm:7.2f} s  `refkit validate` of the {len(dois):,} as one .bib "
        f"(median of 3; {process_cpu:.2f} CPU s; `python -c pass` {bare_python:.2f} s)"
    )
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
    ideal = ideal_seconds(len(dois), args.latency)
    print(
        f"the limits themselves:     {ideal:7.2f} s  ({math.ceil(len(dois) / MAX_BATCH)} lists of {MAX_BATCH} at "
        f"{POLITE.list:g}/s, {POLITE.concurrency} at once, {args.latency * 1000:.0f} ms each); cold / that "
        f"{cold / ideal:.2f}×"
    )
    checks = {
        "cold ≤ 1.2× the limits": cold <= 1.2 * ideal,
        "warm whole process ≤ 0.5 s": process_warm <= 0.5,
        "ratio ≥ 20×": ratio >= 20,
        "zero 429s": client_429 == 0,
    }
    print("targets:", ", ".join(f"{name} {'met' if ok else 'MISSED'}" for name, ok in checks.items()))


if __name__ == "__main__":
    main()
