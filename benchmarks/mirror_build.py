"""Mirror build rate per format: records per CPU-second (one core) and index size per million records.

Beside each rate, the bare cost of reading the same files (decompress, parse, project to the kept fields,
nothing indexed), so the figure says how much of the time is the index and how much is reading.

    python benchmarks/mirror_data.py scale --records 200000 --into /tmp/bulk            # Crossref
    python benchmarks/mirror_data.py scale --records 30000 --into /tmp/bulk --format dblp
    python benchmarks/mirror_data.py scale --records 30000 --into /tmp/bulk --format arxiv
    python benchmarks/mirror_data.py scale --records 30000 --into /tmp/bulk --format openalex
    python benchmarks/mirror_data.py scale --records 30000 --into /tmp/bulk --format pubmed
    python benchmarks/mirror_build.py /tmp/bulk [--files 40] [--keep /tmp/mirrors]

Each format is built into a fresh mirror, in one build of its first --files files.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from refkit.mirrors.formats import bulk_files, detect, read  # noqa: E402
from refkit.mirrors.store import build, info  # noqa: E402


def calibration() -> float:
    """Seconds of CPU for a fixed pure-Python loop (about 0.2 s on an idle modern core): how slow this
    machine is right now, to read the rates against."""
    started = time.process_time()
    sum(range(10_000_000))
    return time.process_time() - started


def bare_read(paths: list[Path], kind: str) -> tuple[int, float]:
    started = time.process_time()
    count = sum(1 for path in paths for _ in read(kind, path))
    return count, time.process_time() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("bulk", type=Path)
    parser.add_argument("--files", type=int, default=40, help="files of each format built (Crossref: 5,000 each)")
    parser.add_argument("--keep", type=Path, help="keep each mirror as KEEP/<format>.db (for mirror_lookup.py)")
    args = parser.parse_args()
    by_kind: dict[str, list[Path]] = {}
    for path in bulk_files([args.bulk]):
        by_kind.setdefault(detect(path), []).append(path)
    print(f"calibration: sum(range(10**7)) took {calibration():.2f} s of CPU (about 0.2 s on an idle core)")
    for kind, paths in sorted(by_kind.items()):
        with tempfile.TemporaryDirectory() as folder:
            mirror = (args.keep or Path(folder)) / f"{kind}.db"
            mirror.unlink(missing_ok=True)
            chosen = paths[: args.files]
            cpu = time.process_time()
            build(chosen, mirror)  # one build: the word counts are taken once, at its end
            seconds = time.process_time() - cpu
            held = info(mirror)
            count, parse_seconds = bare_read(chosen[:3], kind)
            per_record_parse = parse_seconds / max(count, 1)
            rate = held.records / seconds
            print(
                f"{kind:9} {held.records:>9,} records  {rate:>8,.0f} records/CPU-s (one core)  "
                f"reading alone {1 / per_record_parse:>8,.0f}/s ({rate * per_record_parse:.0%} of the time)  "
                f"{held.size / held.records * 1e6 / 2**30:.2f} GB per million  ({held.size / 2**20:.0f} MB)"
            )


if __name__ == "__main__":
    main()
