"""Mirror build rate per format: records per CPU-second (one core) and index size per million records.

Beside each rate, the bare cost of reading the same files (decompress, parse, project to the kept fields,
nothing indexed), so the figure says how much of the time is the index and how much is reading.

    python benchmarks/mirror_data.py scale --records 200000 --into /tmp/bulk            # Crossref
    python benchmarks/mirror_data.py scale --records 30000 --into /tmp/bulk --format dblp
    python benchmarks/mirror_data.py scale --records 30000 --into /tmp/bulk --format arxiv
    python benchmarks/mirror_data.py scale --records 30000 --into /tmp/bulk --format openalex
    python benchmarks/mirror_data.py scale --records 30000 --into /tmp/bulk --format pubmed
    python benchmarks/mirror_build.py /tmp/bulk [--files 40] [--keep /tmp/mirrors] [--processes 1 2]

Each format is built into a fresh mirror, in one build of its first --files files, once per --processes
value (reading workers beside the writer; 1: none). The rate per CPU-second counts the writer's CPU and its
workers' (getrusage of the process and its children), so it stays a per-core figure however many processes
share the work; the wall-clock rate, and its ratio to the one-process build of the same files, say what the
workers bought on this machine as loaded as it is.
"""

from __future__ import annotations

import argparse
import resource
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


def cpu_seconds() -> tuple[float, float]:
    """CPU (user + system) of this process and of its children waited for: a build's workers, once it ends."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def bare_read(paths: list[Path], kind: str) -> tuple[int, float]:
    started = time.process_time()
    count = sum(1 for path in paths for _ in read(kind, path))
    return count, time.process_time() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("bulk", type=Path)
    parser.add_argument("--files", type=int, default=40, help="files of each format built (Crossref: 5,000 each)")
    parser.add_argument("--keep", type=Path, help="keep each mirror as KEEP/<format>.db (for mirror_lookup.py)")
    parser.add_argument("--processes", type=int, nargs="+", default=[1], help="build once with each")
    args = parser.parse_args()
    by_kind: dict[str, list[Path]] = {}
    for path in bulk_files([args.bulk]):
        by_kind.setdefault(detect(path), []).append(path)
    print(f"calibration: sum(range(10**7)) took {calibration():.2f} s of CPU (about 0.2 s on an idle core)")
    for kind, paths in sorted(by_kind.items()):
        chosen = sorted(paths, key=_number)[: args.files]
        count, parse_seconds = bare_read(chosen[:3], kind)
        per_record_parse = parse_seconds / max(count, 1)
        alone = None
        for processes in args.processes:
            with tempfile.TemporaryDirectory() as folder:
                mirror = (args.keep or Path(folder)) / f"{kind}.db"
                mirror.unlink(missing_ok=True)
                (own, children), wall = cpu_seconds(), time.perf_counter()
                build(chosen, mirror, processes=processes)  # one build: the word counts are taken once, at its end
                (own_after, children_after), wall = cpu_seconds(), time.perf_counter() - wall
                writer, readers = own_after - own, children_after - children
                held = info(mirror)
            rate = held.records / (writer + readers)
            alone = alone or wall
            print(
                f"{kind:9} {held.records:>9,} records  {processes} process(es): {rate:>8,.0f} records/CPU-s "
                f"(writer {writer:.1f} s, readers {readers:.1f} s of CPU)  wall {held.records / wall:>7,.0f}/s "
                f"(x{alone / wall:.2f} of one process)  reading alone {1 / per_record_parse:>8,.0f}/CPU-s  "
                f"{held.size / held.records * 1e6 / 2**30:.2f} GB per million  ({held.size / 2**20:.0f} MB)"
            )


def _number(path: Path) -> tuple[int, str]:
    """Crossref's files in their numeric order (0, 1, 2, … 10), the others by name."""
    stem = path.name.split(".")[0]
    return (int(stem), "") if stem.isdigit() else (0, path.name)


if __name__ == "__main__":
    main()
