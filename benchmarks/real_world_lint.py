"""Offline lint findings on real bibliographies: how many errors and warnings per 1,000 entries, by rule.

    python benchmarks/real_world_lint.py [CORPUS]

CORPUS defaults to ../shared/data/real-world (skipped with a message when absent). Every .bib file there is
linted as `refkit validate --offline` would, without the verification rules (which need records): the
syntax, field, identifier, date, page, name and duplicate rules and the RK8xx heuristics. Files are grouped
as the corpus README does: the stand-alone files of bib-index.json by the tool that wrote them, the others by
the category of the document they were made for (bbl, markdown, manubot, ...). A well-formed entry should
draw no error; docs/decisions.md says how the remaining ones were checked.
"""

from __future__ import annotations

import collections
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from refkit.bib import load_bibliography, to_reference  # noqa: E402
from refkit.checks.heuristics import heuristics  # noqa: E402
from refkit.checks.lint import lint  # noqa: E402
from refkit.model import Finding, Severity  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "data" / "real-world"
SHOWN = (Severity.ERROR, Severity.WARNING)


def groups(corpus: Path) -> dict[str, list[Path]]:
    """Every .bib file under the corpus, by tool (stand-alone files) or by document category (the rest)."""
    named: dict[Path, str] = {}
    for item in json.loads((corpus / "bib-index.json").read_text(encoding="utf-8")):
        named[corpus / item["path"]] = item["tool"]
    for gold in sorted(corpus.glob("*/*.gold.json")):
        pair = json.loads(gold.read_text(encoding="utf-8"))
        bibs = pair["bib"] if isinstance(pair["bib"], list) else [pair["bib"]]
        for bib in bibs:
            named.setdefault(corpus / bib, f"paired with {pair['category']}")
    grouped: dict[str, list[Path]] = collections.defaultdict(list)
    for path in sorted(corpus.rglob("*.bib")):
        grouped[named.get(path, "other")].append(path)
    return dict(sorted(grouped.items()))


def findings(path: Path) -> tuple[int, list[Finding]]:
    """The entry count and the offline findings of one file, as `validate` computes them."""
    bibliography = load_bibliography(path)
    references = [to_reference(entry, bibliography.path) for entry in bibliography.entries]
    found = lint(bibliography, references)
    found.extend(heuristics(list(zip(bibliography.entries, references, strict=True))))
    return len(bibliography.entries), found


def per_thousand(count: int, entries: int) -> str:
    return f"{1000 * count / entries:.1f}" if entries else "-"


def report(name: str, files: int, entries: int, counts: collections.Counter[tuple[Severity, str]]) -> None:
    errors = sum(n for (severity, _), n in counts.items() if severity is Severity.ERROR)
    warnings = sum(n for (severity, _), n in counts.items() if severity is Severity.WARNING)
    print(
        f"\n{name}: {files} files, {entries} entries; per 1,000 entries: "
        f"{per_thousand(errors, entries)} errors, {per_thousand(warnings, entries)} warnings"
    )
    for (severity, rule), n in sorted(counts.items(), key=lambda item: (-item[0][0].rank, item[0][1])):
        print(f"  {rule} {severity.value:<8} {n:>6}  {per_thousand(n, entries):>7} / 1,000")


def main() -> None:
    corpus = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_CORPUS
    if not (corpus / "bib-index.json").exists():
        print(f"skipped: {corpus} (the real-world corpus) is not present")
        return
    total: collections.Counter[tuple[Severity, str]] = collections.Counter()
    total_files = total_entries = 0
    for name, paths in groups(corpus).items():
        counts: collections.Counter[tuple[Severity, str]] = collections.Counter()
        entries = 0
        for path in paths:
            n, found = findings(path)
            entries += n
            counts.update((f.severity, f.rule) for f in found if f.severity in SHOWN)
        report(name, len(paths), entries, counts)
        total.update(counts)
        total_files += len(paths)
        total_entries += entries
    report("All files", total_files, total_entries, total)


if __name__ == "__main__":
    main()
