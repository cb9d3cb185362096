"""`refkit batch` throughput: references per second on 1 and 2 workers against a mirror, Dask beside a plain
process pool, and the online bound (Crossref's polite pool: 3 searches a second).

Bibliographies of 40 references are written from records the mirror holds (as people cite them: 60% with
their DOI, the rest without; one in ten invented), so each reference costs what it costs in a real batch: a
DOI look-up, or a title search ranked by the matcher, and the lint rules. Dask's cluster is started before
the clock starts (its start-up, a few seconds, is printed apart): a conference's batch runs for hours.

    python benchmarks/batch.py --mirror /tmp/m.db [--papers 40] [--workers 1 2] [--repeated 0.13]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from matching import as_cited, invented_title  # noqa: E402
from mirror_lookup import sample_records  # noqa: E402

from refkit.batch import check_path, local_cluster, run_batch  # noqa: E402
from refkit.bib import write_references  # noqa: E402
from refkit.mirrors.store import Mirror  # noqa: E402
from refkit.model import Reference  # noqa: E402
from refkit.sources.records import to_reference  # noqa: E402

ONLINE_SEARCHES_PER_SECOND = 3.0
CONFERENCE = 5000 * 40  # papers × references
# Of the 23,436 titles in the 62 real .bib files of ../shared/data/real-world, 13% are a title written the same
# way in another entry: papers cite the same works (one field's conference more so than these unrelated files).
REAL_WORLD_REPEATS = 0.13


def bibliographies(mirror: Path, folder: Path, papers: int, per_paper: int = 40, repeated: float = 0.0) -> list[Path]:
    """`papers` .bib files; a `repeated` share of the references of each after the first cite, as written
    there, a work an earlier paper cites (0: every reference a work of its own, the same files as before)."""
    rng = random.Random(11)
    records = [to_reference(r) for r in sample_records(Mirror(mirror), papers * per_paper * 2, rng) if r.get("title")]
    paths = []
    earlier: list[Reference] = []
    for number in range(papers):
        chosen = records[number * per_paper : (number + 1) * per_paper]
        cited = []
        for position, record in enumerate(chosen):
            if repeated and earlier and rng.random() < repeated:
                reference = rng.choice(earlier)
            else:
                reference = as_cited(record, rng)
                if rng.random() < 0.6:
                    reference = replace(reference, doi=record.doi)
                if rng.random() < 0.1:
                    reference = replace(reference, title=invented_title(rng), doi="")
            cited.append(replace(reference, key=f"ref{position}"))
        earlier.extend(cited)
        path = folder / f"paper{number:04d}.bib"
        path.write_text(write_references(cited), encoding="utf-8")
        paths.append(path)
    return paths


def per_cpu_second(paths: list[Path], overrides: dict[str, Any]) -> float:
    """References checked per CPU-second in this process, after a first file has opened the chain (as a
    worker has it after its first file)."""
    check_path(str(paths[0]), overrides)
    cpu = time.process_time()
    for path in paths[1:]:
        check_path(str(path), overrides)
    return (len(paths) - 1) * 40 / (time.process_time() - cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mirror", type=Path, required=True)
    parser.add_argument("--papers", type=int, default=40)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--engines", nargs="+", default=["processes", "dask"])
    parser.add_argument(
        "--repeated",
        type=float,
        default=REAL_WORLD_REPEATS,
        help="also measure with this share of references citing a work an earlier paper cites (0: not)",
    )
    args = parser.parse_args()
    overrides = {"mirror": [args.mirror.resolve()], "offline": True}
    with tempfile.TemporaryDirectory() as folder:
        paths = bibliographies(args.mirror, Path(folder), args.papers)
        references = args.papers * 40
        print(f"{args.papers} bibliographies, {references:,} references, mirror {args.mirror}")
        print(
            f"  in this process: {per_cpu_second(paths, overrides):,.0f} references per CPU-second (what one worker "
            "does on an idle core)"
        )
        if args.repeated:
            again = Path(folder) / "repeated"
            again.mkdir()
            shared = bibliographies(args.mirror, again, args.papers, repeated=args.repeated)
            print(
                f"  in this process, {args.repeated:.0%} of the references citing a work an earlier paper cites: "
                f"{per_cpu_second(shared, overrides):,.0f} references per CPU-second"
            )
        best = 0.0
        for engine in args.engines:
            for workers in args.workers:
                output = Path(folder) / f"{engine}-{workers}.jsonl"
                if engine == "dask":
                    started = time.perf_counter()
                    with local_cluster(workers) as address:
                        startup = time.perf_counter() - started
                        stats = run_batch(paths, output, overrides, scheduler=address)
                    note = f" (cluster start-up {startup:.1f} s, not counted)"
                else:
                    stats = run_batch(paths, output, overrides, engine="processes", workers=workers)
                    note = " (pool start-up counted)"
                rate = stats.references / stats.seconds
                best = max(best, rate)
                print(
                    f"  {engine:9} {workers} worker{'s' if workers > 1 else ' '}: {rate:7,.0f} references/s, "
                    f"{rate / workers:6,.0f}/s per worker, {rate / ONLINE_SEARCHES_PER_SECOND:5,.0f}× the online "
                    f"bound{note}"
                )
        hours_online = CONFERENCE / ONLINE_SEARCHES_PER_SECOND / 3600
        print(
            f"5,000 papers × 40 references: online at 3 searches/s {hours_online:.1f} h; "
            f"here at {best:,.0f}/s {CONFERENCE / best / 60:.1f} min"
        )


if __name__ == "__main__":
    main()
