"""Mirror look-ups: the same verdicts as the snapshot path, and how fast DOI and title look-ups are.

1. Parity: benchmarks/matching.py's references (written from the 1,747 real Crossref records, cited right,
   wrongly, or invented) decided with candidates from the snapshot (the path the online tests take, records
   served by the fake Crossref) and from a mirror built from the same records in Crossref's data-file format.
2. Speed on a large mirror (`refkit mirror build` of benchmarks/mirror_data.py's scaled copies): DOI look-up
   p50/p95 (half held, half not), candidate search p50/p95 (FTS5 shortlist), and the whole search with the
   matcher's ranking, for cited titles written as people write them (lower case, a word dropped).
   With --grow: one mirror built up to each of --sizes in turn, measured at each, and the growth fitted on a
   log scale to say what 10 million records would give (an extrapolation, labelled so).
3. With --duckdb: the same records in DuckDB (records table with a primary key on the DOI, a title-word
   table ranked by idf-weighted overlap, DuckDB having no FTS extension offline), the same queries.

    python benchmarks/mirror_lookup.py --mirror /tmp/m.db [--queries 300] [--duckdb 200000]
    python benchmarks/mirror_lookup.py --grow /tmp/bulk --mirror /tmp/grown.db --sizes 250000 1000000 2000000
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from matching import RECORDS, cases, citable  # noqa: E402
from mirror_build import cpu_seconds  # noqa: E402

from refkit.match import Decision, best_match  # noqa: E402
from refkit.mirrors.source import MirrorSource  # noqa: E402
from refkit.mirrors.store import Mirror, build, info  # noqa: E402
from refkit.model import Reference  # noqa: E402
from refkit.sources.records import to_reference  # noqa: E402
from refkit.sources.snapshot import SnapshotSource, read_records, title_tokens  # noqa: E402
from refkit.text import normalize_doi  # noqa: E402


def decided(source: Any, reference: Reference) -> tuple[Decision, str]:
    match = best_match(reference, [c.reference for c in source.search(reference, rows=5).candidates])
    if match is None or match.decision is Decision.NO_MATCH:
        return Decision.NO_MATCH, ""
    return match.decision, normalize_doi(match.record.doi)


def parity(sample: int) -> None:
    raw = list(read_records(RECORDS))
    snapshot = SnapshotSource(records=raw, name="crossref-records", complete=True)
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "crossref" / "0.json.gz"
        data.parent.mkdir()
        data.write_bytes(gzip.compress(json.dumps({"items": raw}).encode("utf-8")))
        build([data.parent], Path(folder) / "m.db", complete=True)
        mirror = MirrorSource(Path(folder) / "m.db")
        truth = [to_reference(record) for record in raw if citable(record)]
        outcome: Counter[str] = Counter()
        for kind, reference, _, _ in cases(truth, random.Random(7), sample):
            same = decided(snapshot, reference) == decided(mirror, reference)
            outcome["same" if same else f"differs ({kind})"] += 1
        mirror.mirror.close()
    total = sum(outcome.values())
    print(f"parity with the snapshot path: {outcome['same']}/{total} references decided alike " + str(dict(outcome)))


def percentiles(samples: list[float], cpu: list[float] | None = None) -> str:
    """Wall-clock p50/p95, and the p50 of CPU time (what a lookup costs without the 7 other engineers' jobs
    queueing for the same 2 cores)."""
    ordered = sorted(samples)
    p95 = ordered[int(0.95 * (len(ordered) - 1))]
    text = f"p50 {1000 * statistics.median(ordered):.2f} ms, p95 {1000 * p95:.2f} ms"
    return text + (f" (CPU p50 {1000 * statistics.median(cpu):.2f} ms)" if cpu else "")


def timed(call: Any, *args: Any) -> tuple[Any, float, float]:
    wall, cpu = time.perf_counter(), time.thread_time()
    result = call(*args)
    return result, time.perf_counter() - wall, time.thread_time() - cpu


def as_written(title: str, rng: random.Random) -> str:
    words = title.lower().split()
    if len(words) > 4:
        del words[rng.randrange(len(words))]
    return " ".join(words)


def sample_records(mirror: Mirror, count: int, rng: random.Random) -> list[dict[str, Any]]:
    top = mirror.connection.execute("SELECT max(id) FROM works").fetchone()[0]
    ids = [rng.randint(1, top) for _ in range(count)]
    marks = ",".join("?" * len(ids))
    rows = mirror.connection.execute(f"SELECT record FROM works WHERE id IN ({marks})", ids)
    return [json.loads(row[0]) for row in rows]


@dataclass(slots=True)
class Speeds:
    records: int
    size: int
    doi: tuple[float, float, float]  # wall p50, wall p95, CPU p50 (seconds)
    candidates: tuple[float, float, float]
    search: tuple[float, float, float]
    found: int  # searches whose 5 results hold the cited record
    asked: int


def _summary(pairs: list[tuple[float, float]]) -> tuple[float, float, float]:
    walls = sorted(wall for wall, _ in pairs)
    return statistics.median(walls), walls[int(0.95 * (len(walls) - 1))], statistics.median(c for _, c in pairs)


def measure(path: Path, queries: int) -> tuple[Speeds, list[dict[str, Any]]]:
    rng = random.Random(3)
    source = MirrorSource(path)
    held = info(path)
    records = [r for r in sample_records(source.mirror, queries, rng) if r.get("title") and r.get("DOI")]
    dois = [r["DOI"] if n % 2 else r["DOI"] + "x" for n, r in enumerate(records)]
    doi_times = [timed(source.works, [doi])[1:] for doi in dois]
    titles = [as_written(str(r["title"][0]), rng) for r in records]
    candidate_times = [timed(source.mirror.candidates, title)[1:] for title in titles]
    search_times, found = [], 0
    for record, title in zip(records, titles, strict=True):
        reference = Reference(title=title, authors=to_reference(record).authors[:1], year=to_reference(record).year)
        result, wall, cpu = timed(source.search, reference)
        search_times.append((wall, cpu))
        found += any(c.reference.doi == normalize_doi(record["DOI"]) for c in result.candidates)
    source.close()
    speeds = Speeds(held.records, held.size, _summary(doi_times), _summary(candidate_times), _summary(search_times),
                    found, len(records))  # fmt: skip
    return speeds, records


def _ms(figures: tuple[float, float, float]) -> str:
    return f"p50 {1000 * figures[0]:.2f} ms, p95 {1000 * figures[1]:.2f} ms (CPU p50 {1000 * figures[2]:.2f} ms)"


def speed(path: Path, queries: int) -> list[dict[str, Any]]:
    speeds, records = measure(path, queries)
    print(f"sqlite fts5 on {speeds.records:,} records ({speeds.size / 2**20:.0f} MB):")
    print(f"  DOI look-up        {_ms(speeds.doi)}")
    print(f"  candidate search   {_ms(speeds.candidates)}")
    print(f"  search + ranking   {_ms(speeds.search)}  (the cited record among the 5 returned: "
          f"{speeds.found}/{speeds.asked})")  # fmt: skip
    return records


def growth(bulk: Path, into: Path, sizes: list[int], queries: int, processes: int) -> None:
    """Build one mirror up to each size in turn (Crossref files of mirror_data.py, 5,000 records each, read
    by `processes` workers; the build rate counts their CPU) and measure at each; when 10 million was not
    reached, fit p50 = a + b·log10(records) to the sizes built and say what it gives at 10 million, as an
    extrapolation (the index is a B-tree and inverted lists: its costs grow with the log of its size, and
    with the postings a query reads, which POSTINGS_BUDGET caps)."""
    files = sorted((bulk / "crossref").glob("*.json.gz"), key=lambda path: int(path.name.split(".")[0]))
    rows: list[Speeds] = []
    print(
        f"{'records':>10} {'MB':>6} {'build/CPU-s':>11}  DOI p50/p95 (CPU)      candidates p50/p95 (CPU)  "
        "search+rank p50/p95 (CPU)  found"
    )
    for size in sizes:
        wanted = files[: -(-size // 5000)]
        if len(wanted) * 5000 < size:
            print(f"{size:>10,}: only {len(wanted) * 5000:,} records under {bulk}; stopping")
            break
        before = cpu_seconds()
        build(wanted, into, processes=processes)
        after = cpu_seconds()
        rate = (size - (rows[-1].records if rows else 0)) / (after[0] + after[1] - before[0] - before[1])
        speeds, _ = measure(into, queries)
        rows.append(speeds)
        print(f"{speeds.records:>10,} {speeds.size / 2**20:>6,.0f} {rate:>11,.0f}  "
              + "  ".join(f"{1000 * f[0]:5.2f}/{1000 * f[1]:6.2f} ({1000 * f[2]:5.2f})"
                          for f in (speeds.doi, speeds.candidates, speeds.search))
              + f"  {speeds.found}/{speeds.asked}")  # fmt: skip
    if len(rows) < 2 or rows[-1].records >= 10_000_000:
        return
    print("extrapolated to 10,000,000 records (NOT built here; a + b·log10(n) fitted to the sizes above):")
    for label, pick in (("DOI look-up", 0), ("candidate search", 1), ("search + ranking", 2)):
        for which, index in (("wall p50", 0), ("CPU p50", 2)):
            points = [(math.log10(r.records), (r.doi, r.candidates, r.search)[pick][index]) for r in rows]
            slope, intercept = _fit(points)
            print(f"  {label:18} {which}: {1000 * (intercept + slope * 7):.2f} ms "
                  f"(+{1000 * slope:.2f} ms per tenfold)")  # fmt: skip


def _fit(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Least-squares slope and intercept."""
    mean_x = statistics.fmean(x for x, _ in points)
    mean_y = statistics.fmean(y for _, y in points)
    spread = sum((x - mean_x) ** 2 for x, _ in points)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in points) / spread if spread else 0.0
    return slope, mean_y - slope * mean_x


def duckdb_comparison(path: Path, count: int, records: list[dict[str, Any]]) -> None:
    import duckdb

    mirror = Mirror(path)
    rows = mirror.connection.execute("SELECT id, doi, title, record FROM works WHERE id <= ?", (count,)).fetchall()
    with tempfile.TemporaryDirectory() as folder:
        lines = Path(folder) / "works.jsonl"
        with lines.open("w", encoding="utf-8") as handle:
            for row_id, doi, title, record in rows:
                words = sorted(title_tokens(title))
                handle.write(json.dumps({"id": row_id, "doi": doi, "record": record.decode(), "words": words}) + "\n")
        database = Path(folder) / "m.duckdb"
        connection = duckdb.connect(str(database))
        cpu = time.process_time()
        wall = time.perf_counter()
        connection.execute(
            f"CREATE TABLE works AS SELECT id, doi, record FROM read_json('{lines}', format='newline_delimited')"
        )
        connection.execute("CREATE UNIQUE INDEX works_doi ON works(doi)")
        connection.execute(
            "CREATE TABLE words AS SELECT unnest(words) AS word, id"
            f" FROM read_json('{lines}', format='newline_delimited')"
        )
        connection.execute(
            "CREATE TABLE idf AS SELECT word, ln(1 + (SELECT count(*) FROM works) / count(*)) AS w"
            " FROM words GROUP BY word"
        )
        build_seconds = time.perf_counter() - wall
        build_cpu = time.process_time() - cpu
        connection.execute("CHECKPOINT")
        size = database.stat().st_size
        held = {r["DOI"] for r in records}
        dois = [d for d in (r["DOI"] for r in records) if d in held][:200]
        doi_times = []
        for doi in dois:
            started = time.perf_counter()
            connection.execute("SELECT record FROM works WHERE doi = ?", (normalize_doi(doi),)).fetchall()
            doi_times.append(time.perf_counter() - started)
        search_times = []
        for record in records[:200]:
            tokens = sorted(title_tokens(as_written(str(record["title"][0]), random.Random(1))))
            if not tokens:
                continue
            started = time.perf_counter()
            connection.execute(
                "SELECT w.id, sum(i.w) AS s FROM words w JOIN idf i USING (word) WHERE w.word IN (SELECT unnest(?))"
                " GROUP BY w.id ORDER BY s DESC LIMIT 40",
                (tokens,),
            ).fetchall()
            search_times.append(time.perf_counter() - started)
        connection.close()
    print(
        f"duckdb on {len(rows):,} records ({size / 2**20:.0f} MB, {size / len(rows) * 1e6 / 2**30:.2f} GB per million):"
    )
    print(
        f"  build              {len(rows) / build_seconds:,.0f} records/s wall "
        f"({len(rows) / max(build_cpu, 1e-9):,.0f}/CPU-s of this process; from compact JSON lines)"
    )
    print(f"  DOI look-up        {percentiles(doi_times)}")
    print(f"  candidate search   {percentiles(search_times)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mirror", type=Path)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--sample", type=int, default=200, help="records whose references test parity")
    parser.add_argument("--duckdb", type=int, default=0, help="also load this many records into DuckDB")
    parser.add_argument("--grow", type=Path, help="a mirror_data.py scale folder: build --mirror up to each --sizes")
    parser.add_argument("--sizes", type=int, nargs="+", default=[250_000, 1_000_000, 2_000_000])
    parser.add_argument("--processes", type=int, default=2, help="reading workers of each --grow build")
    args = parser.parse_args()
    if args.grow:
        growth(args.grow, args.mirror, args.sizes, args.queries, args.processes)
        return
    if RECORDS.exists() and args.sample:
        parity(args.sample)
    if args.mirror:
        records = speed(args.mirror, args.queries)
        if args.duckdb:
            duckdb_comparison(args.mirror, args.duckdb, records)


if __name__ == "__main__":
    main()
