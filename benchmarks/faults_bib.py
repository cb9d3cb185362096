"""Hostile bibliographies through every command: cases tried and broken (traceback, timeout, wrong exit
code, damaged output).

    python benchmarks/faults_bib.py [--timeout SECONDS]

Each hostile file (macro bombs, cycles, files that are not BibTeX, duplicate and empty keys, broken blocks)
goes through `validate` (text and JUnit), `export -f` each format, `enrich --dry-run` and `map --bib`, each
as a subprocess with a time limit and a 2 GiB address-space limit, offline, with a throw-away cache.
A run is broken when it prints a traceback, runs past the limit, exports a number of entries other than the
file holds (or gives one entry's DOI to another), or exits with another code than expected (checked in that
order; one reason a run). Target: 0.

    PYTHONPATH=OTHER_CHECKOUT python benchmarks/faults_bib.py   # the same cases against other code
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from refkit.bib import parse_bibliography  # noqa: E402

MEMORY_LIMIT = 2 * 2**30
GOOD = "@article{fine, author = {Roe, Jo}, title = {A Fine Title}, journal = {J}, year = {2020}}\n"


def _bomb(levels: int) -> str:
    lines = ['@string{a0 = "xx"}', *(f"@string{{a{i} = a{i - 1} # a{i - 1}}}" for i in range(1, levels + 1))]
    return "\n".join(lines) + f"\n@article{{bomb, title = {{Boom}}, journal = a{levels}, year = 2020}}\n" + GOOD


@dataclass(frozen=True)
class Case:
    name: str
    text: str
    exit_code: int  # of validate, export and enrich; 2 for files that are not BibTeX
    exported: int | None = None  # entries an export must hold (None: not checked)
    unique_doi: str = ""  # a DOI that must appear in exactly one exported entry


CASES = [
    Case("string-bomb-40-levels", _bomb(40), 1, 2),
    Case(
        "many-values-under-the-cap",
        _bomb(15).split("@article")[0] + "".join(f"@misc{{k{i}, title = a15 # a14}}\n" for i in range(400)),
        1,
        400,
    ),
    Case("string-cycle", "@string{x = y}\n@string{y = x}\n@article{s, title = {T}, journal = x, year = 2020}\n", 1, 1),
    Case("string-self-reference", '@string{x = x # "a"}\n@misc{s, title = x}\n', 1, 1),
    Case(
        "crossref-cycle",
        "@inproceedings{a, title = {Ta}, crossref = {b}, year = 2020}\n@proceedings{b, title = {Tb}, crossref = {a}}\n",
        1,
        2,
    ),
    Case(
        "crossref-cycle-5000",
        "".join(f"@misc{{k{i}, title = {{T{i}}}, crossref = {{k{(i + 1) % 5000}}}}}\n" for i in range(5000)),
        1,
        5000,
    ),
    Case(
        "csl-json",
        json.dumps([{"id": "k1", "type": "article-journal", "title": "Hello", "URL": "mailto:a@b.c"}]),
        2,
    ),
    Case("json-not-csl", '{"config": {"a": 1}}\n', 2),
    Case("prose", "These are my notes, not a bibliography. Mail me at a@b.c {soon}.\n", 2),
    Case(
        "duplicate-keys-10000",
        "".join(f"@article{{same, title = {{T{i}}}, journal = {{J}}, year = 2000}}\n" for i in range(10_000)),
        1,
        10_000,
    ),
    Case(
        "empty-key-between-two",
        "@article{first, title = {First}, journal = {J1}, year = 2001}\n"
        "@article{, title = {Middle}, journal = {J2}, year = 2002, doi = {10.1000/middle}, volume = {42}}\n"
        "@article{last, title = {Last}, journal = {J3}, year = 2003}\n",
        1,
        3,
        "10.1000/middle",
    ),
    Case("broken-block", GOOD + "@article{broken, title = {Unclosed\n", 1, 1),
]

COMMANDS = {
    "validate": ["validate", "--offline", "{bib}"],
    "validate-junit": ["validate", "--offline", "--format", "junit", "{bib}"],
    "export-csl-json": ["export", "-f", "csl-json", "{bib}"],
    "export-bibtex": ["export", "-f", "bibtex", "{bib}"],
    "export-ris": ["export", "-f", "ris", "{bib}"],
    "enrich-dry-run": ["enrich", "--dry-run", "--offline", "--cache-dir", "{cache}", "{bib}"],
    "map": ["map", "{doc}", "--bib", "{bib}"],
}


def _exported(command: str, output: str) -> int:
    """How many entries an export's output holds."""
    if command == "export-csl-json":
        return len(json.loads(output))
    if command == "export-ris":
        return len(re.findall(r"^ER  - ", output, re.MULTILINE))
    return len(parse_bibliography(output).entries)


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run(case: Case, command: str, folder: Path, timeout: float) -> tuple[str, float]:
    """ "" when the run behaved, else what went wrong; and its wall time."""
    bib = folder / f"{case.name}.bib"
    values = {"bib": str(bib), "cache": str(folder / "cache"), "doc": str(folder / "paper.md")}
    args = [part.format(**values) for part in COMMANDS[command]]
    start = time.perf_counter()
    try:
        result = subprocess.run(
            [sys.executable, "-m", "refkit", *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            preexec_fn=_limit_memory,
            cwd=folder,
        )
    except subprocess.TimeoutExpired:
        return "timeout", time.perf_counter() - start
    elapsed = time.perf_counter() - start
    if "Traceback" in result.stderr or "MemoryError" in result.stderr:
        return "traceback", elapsed
    if command.startswith("export") and case.exported is not None:
        try:
            count = _exported(command, result.stdout)
        except ValueError:
            return "damaged output (unreadable)", elapsed
        if count != case.exported:
            return f"damaged output ({count} entries, expected {case.exported})", elapsed
        if case.unique_doi and result.stdout.count(case.unique_doi) != 1:
            return "damaged output (a DOI given to another entry)", elapsed
    expected = case.exit_code if command != "map" or case.exit_code == 2 else 0
    if result.returncode != expected:
        return f"exit {result.returncode} (expected {expected})", elapsed
    return "", elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds a run may take (default 30)")
    options = parser.parse_args()
    broken: Counter[str] = Counter()
    tried = 0
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        (folder / "paper.md").write_text("Imatinib works in chronic myeloid leukaemia [@fine].\n")
        for case in CASES:
            (folder / f"{case.name}.bib").write_text(case.text)
        for case in CASES:
            for command in COMMANDS:
                tried += 1
                problem, elapsed = run(case, command, folder, options.timeout)
                if problem:
                    broken[problem.split(" (")[0]] += 1
                print(f"{case.name:28} {command:16} {elapsed:6.1f} s  {problem or 'ok'}", flush=True)
    print(f"\ncases tried: {tried} ({len(CASES)} files × {len(COMMANDS)} commands)")
    print(f"broken: {sum(broken.values())}" + "".join(f"; {kind}: {n}" for kind, n in sorted(broken.items())))


if __name__ == "__main__":
    main()
