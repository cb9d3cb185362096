"""Mirror build rate per format: records per CPU-second (one core) and index size per million records.

Beside each rate, the peer: the bare cost of reading the same file (decompress and parse, nothing indexed),
so the figure says how much of the time is the index and how much is JSON/XML parsing that any tool pays.

    python benchmarks/mirror_data.py scale --records 200000 --into /tmp/bulk            # Crossref
    python benchmarks/mirror_data.py scale --records 30000 --into /tmp/bulk --format dblp
    python benchmarks/mirror_data.py scale --records 30000 --into /tmp/bulk --format arxiv
    python benchmarks/mirror_build.py /tmp/bulk [--limit-seconds 180] [--keep /tmp/mirrors]

Each format is built into a fresh mirror; Crossref files are built until --limit-seconds of CPU is spent.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from refkit.mirrors.formats import READERS, bulk_files, detect  # noqa: E402
from refkit.mirrors.store import build, info  # noqa: E402


def calibration() -> float:
    """Seconds of CPU for a fixed pure-Python loop (about 0.2 s on an idle modern core): how slow this
    machine is right now, to read the rates against."""
    started = time.process_time()
    sum(range(10_000_000))
    return time.process_time() - started


def bare_read(paths: list[Path], kind: str) -> tuple[int, float]:
    started = time.process_time()
    count = sum(1 for path in paths for _ in READERS[kind](path))
    return count, time.process_time() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("bulk", type=Path)
    parser.add_argument("--limit-seconds", type=float, default=180)
    parser.add_argument("--keep", type=Path, help="keep each mirror as KEEP/<format>.db (for mirror_lookup.py)")
    args = parser.parse_args()
    files = bulk_files([args.bulk])
    by_kind: dict[str, list[Path]] = {}
    for path in files:
        by_kind.setdefault(detect(path), []).append(path)
    print(f"calibration: sum(range(10**7)) took {calibration():.2f} s of CPU (about 0.2 s on an idle core)")
    for kind, paths in sorted(by_kind.items()):
        with tempfile.TemporaryDirectory() as folder:
            mirror = (args.keep or Path(folder)) / f"{kind}.db"
            mirror.unlink(missing_ok=True)
            cpu = time.process_time()
            built: list[Path] = []
            for path in paths:
                build([path], mirror)
                built.append(path)
                if time.process_time() - cpu > args.limit_seconds:
                    break
            seconds = time.process_time() - cpu
            held = info(mirror)
            count, parse_seconds = bare_read(built[:3], kind)
            per_record_parse = parse_seconds / max(count, 1)
            rate = held.records / seconds
            print(
                f"{kind:9} {held.records:>9,} records  {rate:>8,.0f} records/CPU-s (one core)  "
                f"bare parse {1 / per_record_parse:>8,.0f}/s ({rate * per_record_parse:.0%} of it)  "
                f"{held.size / held.records * 1e6 / 2**30:.2f} GB per million  ({held.size / 2**20:.0f} MB)"
            )


if __name__ == "__main__":
    main()
