"""Large .bib files: time and peak memory of `refkit validate --offline` and `refkit export`, each as a ratio
to a bare `bibtexparser.parse_file` of the same file, every command a whole process of its own.

    python benchmarks/large_inputs.py [tugboat] [200k] [50mb] [junit] [PATH.bib ...]

tugboat: ../shared/data/bibtex/tugboat.bib (4,839 real entries, 3.8 MB); 200k: a generated 200,000-entry
file (the generator of benchmarks/bib_speed.py, 64 MB); 50mb: tugboat.bib's entries repeated under new keys
up to 50 MB (real shapes: @string macros, concatenations, long abstracts); junit: `validate --format junit` on
10,000 entries that share one key. Generated files go to a temporary folder and are removed. Targets (issue
13): validate and export within 1.3x the time and 1.5x the peak memory of the bare parse. Time is CPU time
(user + system) of the process, which other load on the machine does not inflate; wall time is printed too.
One run each (a 200,000-entry file takes minutes): run one file at a time on a busy machine.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from bib_speed import generate  # noqa: E402

TUGBOAT = ROOT.parent / "shared" / "data" / "bibtex" / "tugboat.bib"
BARE = "import bibtexparser, sys; bibtexparser.parse_file(sys.argv[1])"
_ENTRY_OPENING_RE = re.compile(r"^@(?!string\b|preamble\b|comment\b)(\w+)\{([^,\s]+),", re.IGNORECASE | re.MULTILINE)


def run(command: list[str], folder: Path) -> tuple[float, float, float]:
    """(CPU seconds, wall seconds, peak resident MB) of one child process, run in `folder` (so that `python -m
    refkit` takes refkit from PYTHONPATH when one is set, e.g. another checkout to compare with)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=folder)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) not in (0, 1, 3):
        raise SystemExit(f"{' '.join(command)} failed ({status})")
    return usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss / 1024


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


def measure(path: Path, folder: Path, junit: bool = False) -> None:
    refkit = [sys.executable, "-m", "refkit"]
    cache = folder / "cache"
    bare = run([sys.executable, "-c", BARE, str(path.resolve())], folder)
    size = path.stat().st_size / 1e6
    print(f"\n{path.name}: {size:.1f} MB; bare bibtexparser.parse_file {bare[0]:.1f} s CPU, {bare[2]:.0f} MB peak")
    commands = {
        "validate --offline": [*refkit, "validate", str(path.resolve()), "--offline", "--cache-dir", str(cache)],
        "export --format csl-json": [*refkit, "export", str(path.resolve()), "-o", str(folder / "out.json")],
    }
    if junit:
        commands = {"validate --format junit": [*commands["validate --offline"], "--format", "junit"]}
    for name, command in commands.items():
        cpu, wall, peak = run(command, folder)
        print(
            f"  {name:<26} {cpu:7.1f} s CPU ({wall:6.1f} s wall) {cpu / bare[0]:5.2f}x time   "
            f"{peak:6.0f} MB {peak / bare[2]:5.2f}x peak memory"
        )


def main() -> None:
    wanted = sys.argv[1:] or ["tugboat", "200k", "50mb"]
    with tempfile.TemporaryDirectory(prefix="refkit-large-") as name:
        folder = Path(name)
        for item in wanted:
            if item == "tugboat":
                measure(TUGBOAT, folder)
            elif item == "200k":
                generate(200_000, folder / "generated-200000.bib")
                measure(folder / "generated-200000.bib", folder)
            elif item == "50mb":
                repeated(TUGBOAT, folder / "tugboat-50mb.bib", 50)
                measure(folder / "tugboat-50mb.bib", folder)
            elif item == "junit":
                duplicates(folder / "duplicates-10000.bib", 10_000)
                measure(folder / "duplicates-10000.bib", folder, junit=True)
            else:
                measure(Path(item), folder)


if __name__ == "__main__":
    main()
