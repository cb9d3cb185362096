"""Large .bib files: time and peak memory of `refkit validate --offline` and `refkit export`, each as a ratio
to a bare `bibtexparser.parse_file` of the same file, every command a whole process of its own.

    python benchmarks/large_inputs.py [--full] [--runs N] [tugboat] [200k] [50mb] [junit] [PATH.bib ...]

tugboat: ../shared/data/bibtex/tugboat.bib (4,839 real entries, 3.8 MB); 200k: a generated file (the generator
of benchmarks/bib_speed.py) of 10,000 entries, or 200,000 (64 MB) with --full; 50mb: tugboat.bib's entries
repeated under new keys (real shapes: @string macros, concatenations, long abstracts) up to 5 MB, or 50 MB with
--full; junit: `validate --format junit` on 10,000 entries that share one key. Generated files go to a
temporary folder and are removed. Targets (issue 13): validate and export within 1.3x the time and 1.5x the
peak memory of the bare parse; each ratio is printed beside its target.

The machine's cores are shared, so time is the CPU time (user + system, from os.wait4) of each process, which
other load does not inflate; wall time is printed too. Each figure is the median of --runs runs (default 5, or
1 with --full: a 200,000-entry file takes minutes). Bytecode caches are used as an installed package uses them
(PYTHONDONTWRITEBYTECODE is dropped for the children), so no run measures the compiler.
"""

from __future__ import annotations

import argparse
import compileall
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from bib_speed import generate  # noqa: E402

TUGBOAT = ROOT.parent / "shared" / "data" / "bibtex" / "tugboat.bib"
BARE = "import bibtexparser, sys; bibtexparser.parse_file(sys.argv[1])"
_ENTRY_OPENING_RE = re.compile(r"^@(?!string\b|preamble\b|comment\b)(\w+)\{([^,\s]+),", re.IGNORECASE | re.MULTILINE)


VALIDATE_TIME, EXPORT_TIME, PEAK_MEMORY = 1.3, 1.3, 1.5  # the targets, as ratios to the bare parse
CHILD_ENV = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


@dataclass(frozen=True)
class Usage:
    cpu: float  # seconds, user + system
    wall: float  # seconds
    peak: float  # resident MB


def run(command: list[str], folder: Path) -> Usage:
    """What one child process took, run in `folder` (so that `python -m refkit` takes refkit from PYTHONPATH
    when one is set, e.g. another checkout to compare with)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=folder, env=CHILD_ENV)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) not in (0, 1, 3):
        raise SystemExit(f"{' '.join(command)} failed ({status})")
    return Usage(usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss / 1024)


def median_run(command: list[str], folder: Path, runs: int) -> Usage:
    """The median CPU time, wall time and peak memory of `runs` runs (each median taken on its own)."""
    usages = [run(command, folder) for _ in range(runs)]
    return Usage(*(statistics.median(getattr(u, name) for u in usages) for name in ("cpu", "wall", "peak")))


def verdict(ratio: float, target: float) -> str:
    return f"{ratio:5.2f}x (target <= {target}x: {'met' if ratio <= target else 'NOT met'})"


def repeated(source: Path, target: Path, megabytes: int) -> None:
    """source's @string blocks once, then its entries again and again under new keys, up to `megabytes`."""
    text = source.read_text(encoding="utf-8")
    first = _ENTRY_OPENING_RE.search(text)
    head, body = (text[: first.start()], text[first.start() :]) if first else ("", text)
    parts, size, copy = [head, body], len(head) + len(body), 1
    while size < megabytes * 1_000_000:
        part = _ENTRY_OPENING_RE.sub(rf"@\g<1>{{\g<2>-{copy},", body)
        part = re.sub(r"(crossref\s*=\s*[{\"])([^}\"]+)", rf"\g<1>\g<2>-{copy}", part, flags=re.IGNORECASE)
        parts.append(part)
        size += len(part)
        copy += 1
    target.write_text("".join(parts), encoding="utf-8")


def duplicates(target: Path, count: int) -> None:
    target.write_text(
        "".join(f"@misc{{same,\n  title = {{Entry {n}}},\n  year = {{2020}}\n}}\n" for n in range(count)),
        encoding="utf-8",
    )


def measure(path: Path, folder: Path, runs: int, junit: bool = False) -> None:
    refkit = [sys.executable, "-m", "refkit"]
    cache = folder / "cache"
    bare = median_run([sys.executable, "-c", BARE, str(path.resolve())], folder, runs)
    size = path.stat().st_size / 1e6
    print(
        f"\n{path.name}: {size:.1f} MB, medians of {runs} run(s); bare bibtexparser.parse_file {bare.cpu:.2f} s CPU"
        f" ({bare.wall:.2f} s wall), {bare.peak:.0f} MB peak"
    )
    commands = {
        "validate --offline": [*refkit, "validate", str(path.resolve()), "--offline", "--cache-dir", str(cache)],
        "export --format csl-json": [*refkit, "export", str(path.resolve()), "-o", str(folder / "out.json")],
    }
    if junit:
        commands = {"validate --format junit": [*commands["validate --offline"], "--format", "junit"]}
    for name, command in commands.items():
        used = median_run(command, folder, runs)
        target = EXPORT_TIME if name.startswith("export") else VALIDATE_TIME
        print(
            f"  {name:<26} {used.cpu:7.2f} s CPU ({used.wall:6.2f} s wall) {used.peak:6.0f} MB\n"
            f"  {'':<26} time {verdict(used.cpu / bare.cpu, target)}, wall {used.wall / bare.wall:.2f}x;"
            f" peak memory {verdict(used.peak / bare.peak, PEAK_MEMORY)}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "files", nargs="*", default=["tugboat", "200k", "50mb"], help="tugboat, 200k, 50mb, junit or paths"
    )
    parser.add_argument("--full", action="store_true", help="the full sizes: 200,000 entries and 50 MB")
    parser.add_argument("--runs", type=int, help="runs per figure (default 5, or 1 with --full)")
    args = parser.parse_args()
    runs = args.runs or (1 if args.full else 5)
    entries, megabytes = (200_000, 50) if args.full else (10_000, 5)
    compileall.compile_dir(ROOT / "refkit", quiet=1)  # the bytecode an install writes
    with tempfile.TemporaryDirectory(prefix="refkit-large-") as name:
        folder = Path(name)
        for item in args.files:
            if item == "tugboat":
                measure(TUGBOAT, folder, runs)
            elif item == "200k":
                generate(entries, folder / f"generated-{entries}.bib")
                measure(folder / f"generated-{entries}.bib", folder, runs)
            elif item == "50mb":
                repeated(TUGBOAT, folder / f"tugboat-{megabytes}mb.bib", megabytes)
                measure(folder / f"tugboat-{megabytes}mb.bib", folder, runs)
            elif item == "junit":
                duplicates(folder / "duplicates-10000.bib", 10_000)
                measure(folder / "duplicates-10000.bib", folder, runs, junit=True)
            else:
                measure(Path(item), folder, runs)


if __name__ == "__main__":
    main()
