"""Entries per second for reading, `validate --offline` (lint only, and with verification answered from an
empty cache) and `export --format csl-json`, each as a ratio to a bare `bibtexparser.parse_file` of the
same file.

    python benchmarks/bib_speed.py [BIB ...]

Defaults to ../shared/data/bibtex/tugboat.bib (4,839 real entries) and a generated 10,000-entry file.
Target: offline validate costs at most 2× the bare parse. Each figure is the best of 3 runs.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import bibtexparser  # noqa: E402

from refkit.bib import load_bibliography, to_reference  # noqa: E402
from refkit.bib.convert import _parse_names, _parse_person  # noqa: E402
from refkit.config import Settings  # noqa: E402
from refkit.export.csl_json import render  # noqa: E402
from refkit.text import fold, latex_to_unicode  # noqa: E402
from refkit.validate import validate  # noqa: E402

WORDS = [
    "imatinib",
    "leukemia",
    "kinase",
    "trial",
    "outcome",
    "survival",
    "response",
    "remission",
    "therapy",
    "discontinuation",
    "molecular",
    "analysis",
    "cohort",
    "randomized",
    "interim",
    "prospective",
    "multicentre",
    "follow-up",
    "assessment",
    "resistance",
]

FAMILIES = ['M{\\"u}ller', "Sau{\\ss}ele", "Smith", "Nguyen", "Garc{\\'\\i}a", "van der Berg"]


def generate(count: int, path: Path) -> None:
    """A realistic synthetic .bib: articles with accents, macros, DOIs, page ranges and comments."""
    rng = random.Random(7)
    lines = ["% generated for benchmarks/bib_speed.py", "@string{nejm = {New England Journal of Medicine}}", ""]
    for index in range(count):
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 14))).capitalize()
        authors = " and ".join(f"{rng.choice(FAMILIES)}, {rng.choice('ABCDEFGH')}." for _ in range(rng.randint(1, 6)))
        first = rng.randint(1, 3000)
        lines += [
            f"@article{{key{index},",
            f"  author = {{{authors}}},",
            f"  title = {{{title}}},",
            "  journal = nejm,",
            f"  year = {rng.randint(1960, 2025)},",
            f"  volume = {{{rng.randint(1, 400)}}},",
            f"  number = {{{rng.randint(1, 12)}}},",
            f"  pages = {{{first}--{first + rng.randint(1, 30)}}},",
            f"  doi = {{10.{rng.randint(1000, 9999)}/x.{index}}},",
            "}",
            "",
        ]
    path.write_text("\n".join(lines), encoding="utf-8")


def cold_caches() -> None:
    """Empty refkit's memo caches so no run profits from the one before it."""
    for function in (latex_to_unicode, fold, _parse_names, _parse_person):
        function.cache_clear()


def best_of(runs: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        cold_caches()
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def measure(path: Path) -> None:
    entries = len(load_bibliography(path).entries)
    empty_cache = Path(tempfile.mkdtemp(prefix="refkit-bench-cache-"))
    lint_only = Settings(select=["RK1", "RK2", "RK3", "RK4", "RK5"])
    offline = Settings(offline=True, cache_dir=empty_cache)
    bare = best_of(3, lambda: bibtexparser.parse_file(str(path)))
    cases = {
        "read (parse + Reference)": lambda: [to_reference(e) for e in load_bibliography(path).entries],
        "validate --offline, lint rules": lambda: validate(path, lint_only),
        "validate --offline, all, no cache": lambda: validate(path, offline),
        "export --format csl-json": lambda: render([to_reference(e) for e in load_bibliography(path).entries]),
    }
    print(
        f"\n{path.name}: {entries} entries; bare bibtexparser.parse_file {bare:.3f} s ({entries / bare:,.0f} entries/s)"
    )
    for name, work in cases.items():
        seconds = best_of(3, work)
        print(f"  {name:<32} {seconds:7.3f} s  {entries / seconds:>9,.0f} entries/s  {seconds / bare:5.2f}× bare parse")


def main() -> None:
    files = [Path(p) for p in sys.argv[1:]]
    if not files:
        tugboat = ROOT.parent / "shared" / "data" / "bibtex" / "tugboat.bib"
        if tugboat.exists():
            files.append(tugboat)
        generated = Path(tempfile.mkdtemp(prefix="refkit-bench-")) / "generated-10000.bib"
        generate(10_000, generated)
        files.append(generated)
    for path in files:
        measure(path)


if __name__ == "__main__":
    main()
