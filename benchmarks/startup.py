"""Start-up cost of refkit as whole processes, each beside its floor (issue 13's targets):

- `refkit --version` / `python -c "import typer"` (what any typer command pays): target ≤ 1.5×;
- `refkit validate references.bib --offline` (the sample, answered by its snapshot and HTTP cache) / a bare
  script that parses the same file with bibtexparser: target ≤ 2.5×.

Medians of 5 runs after one warm-up, wall time and CPU time (user + system of the child: steadier than wall
time on a shared machine). `--before PATH` measures another checkout too (e.g. main), run from its own folder
with its own config, so the figures read before → after.

    python benchmarks/startup.py
    python benchmarks/startup.py --before ../main
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 5
BARE_PARSE = "import bibtexparser; bibtexparser.parse_file('references.bib')"


@dataclass(frozen=True)
class Timing:
    wall: float
    cpu: float


def measure(command: list[str], checkout: Path, runs: int = RUNS) -> Timing:
    """Median wall and CPU seconds of `command` run from `checkout`, importing refkit from there."""
    # Bytecode caches are written and read as an installed package's are: with PYTHONDONTWRITEBYTECODE set
    # (as in some shells), refkit would be compiled from source on every run while its peers in site-packages
    # load their .pyc files, and the ratios would measure the compiler.
    env = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(checkout)
    walls, cpus = [], []
    for attempt in range(runs + 1):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(command, cwd=checkout, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if attempt:  # the first run writes the bytecode caches
            walls.append(wall)
            cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return Timing(statistics.median(walls), statistics.median(cpus))


def report(name: str, checkout: Path) -> None:
    python = sys.executable
    floors = {
        "python -c pass": [python, "-c", "pass"],
        'python -c "import typer"': [python, "-c", "import typer"],
        "bibtexparser.parse_file(references.bib)": [python, "-c", BARE_PARSE],
    }
    commands = {
        "refkit --version": [python, "-m", "refkit", "--version"],
        "refkit validate references.bib --offline": [python, "-m", "refkit", "validate", "references.bib", "--offline"],
    }
    timings = {label: measure(command, checkout) for label, command in {**floors, **commands}.items()}
    print(f"\n{name} ({checkout}): medians of {RUNS} runs")
    print(f"  {'':<44} {'wall':>8} {'cpu':>8}")
    for label, timing in timings.items():
        print(f"  {label:<44} {timing.wall:>7.3f}s {timing.cpu:>7.3f}s")
    for command, floor, target in (
        ("refkit --version", 'python -c "import typer"', 1.5),
        ("refkit validate references.bib --offline", "bibtexparser.parse_file(references.bib)", 2.5),
    ):
        wall = timings[command].wall / timings[floor].wall
        cpu = timings[command].cpu / timings[floor].cpu
        verdict = "met" if cpu <= target else "NOT met"
        print(f"  {command} / {floor}: {wall:.2f}× wall, {cpu:.2f}× cpu (target ≤ {target}×: {verdict} in cpu)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, help="another checkout to measure first (e.g. main)")
    args = parser.parse_args()
    if args.before:
        report("before", args.before.resolve())
    report("after" if args.before else "this checkout", ROOT)


if __name__ == "__main__":
    main()
