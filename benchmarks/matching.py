"""Precision and recall of the matcher's three decisions (accept / likely mis-citation / no match).

Truth: the 1,747 real Crossref records of ../shared/data/crossref-records/works.jsonl, served as a snapshot.
Cases: references written from a sample of those records, some cited correctly (with the usual liberties:
lower-case titles, abbreviated journals, "and others", 2408-17 page ranges), some with wrong fields, and some
made into mis-citations or inventions:

  exact, no-doi style     → accept (that record)          wrong year / volume / pages → accept (that record)
  truncated authors       → accept                        near-miss title (one word changed) → accept
  year one off            → accept                        no authors written → accept
  swapped authors         → miscitation (title's record)  chimeric (title of A, rest of B) → miscitation
  invented title, real authors/venue/year → no match      invented everything → no match
  numbered sibling (Part 2 for Part 1, other pages) → no match

Each reference is searched through the snapshot's title index and decided by refkit.match, as `refkit validate`
does for entries without a DOI.

    python benchmarks/matching.py [--records PATH] [--sample N] [--seed S]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from refkit.match import Decision, best_match  # noqa: E402
from refkit.model import Name, Reference  # noqa: E402
from refkit.sources.records import to_reference  # noqa: E402
from refkit.sources.snapshot import SnapshotSource, read_records  # noqa: E402
from refkit.text import normalize_doi  # noqa: E402

RECORDS = ROOT.parent / "shared" / "data" / "crossref-records" / "works.jsonl"
REFSTRINGS = ROOT.parent / "shared" / "data" / "refmatch" / "crossref-real-refstrings-2000.json"
INVENTED_WORDS = (
    "adaptive",
    "robust",
    "framework",
    "novel",
    "towards",
    "scalable",
    "analysis",
    "learning",
    "dynamics",
    "assessment",
    "quantum",
    "cellular",
    "networks",
    "patients",
    "outcomes",
    "efficient",
    "inference",
    "structure",
    "evidence",
    "review",
    "model",
    "clinical",
    "systems",
    "theory",
)


def citable(record: dict[str, Any]) -> bool:
    reference = to_reference(record)
    return (
        len(reference.title.split()) >= 4
        and bool(reference.authors)
        and bool(reference.authors[0].family)
        and reference.year is not None
        and bool(reference.container_title)
    )


def as_cited(record: Reference, rng: random.Random) -> Reference:
    """How a careful author cites the record: no DOI, liberties that do not change the facts."""
    pages = record.page
    first, _, last = pages.partition("–")
    if last and len(first) == len(last) and first[:-2] == last[:-2] and rng.random() < 0.5:
        pages = f"{first}–{last[-2:]}"
    truncated = len(record.authors) > 3 and rng.random() < 0.7
    return replace(
        record,
        key="",
        doi="",
        url="",
        issn=(),
        fields={},
        title=record.title.lower() if rng.random() < 0.3 else record.title,
        authors=record.authors[:1] if truncated else list(record.authors),
        authors_truncated=truncated,
        container_title=(record.container_title_short or record.container_title)
        if rng.random() < 0.5
        else record.container_title,
        page=pages,
    )


def near_miss(title: str, rng: random.Random) -> str:
    words = title.split()
    index = rng.randrange(len(words))
    words[index] = rng.choice([w for w in INVENTED_WORDS if w != words[index].lower()])
    return " ".join(words)


def invented_title(rng: random.Random) -> str:
    return " ".join(rng.sample(INVENTED_WORDS, 7)).capitalize()


def cases(records: list[Reference], rng: random.Random, sample: int) -> Iterator[tuple[str, Reference, Decision, str]]:
    """(case kind, reference, expected decision, expected DOI)."""
    chosen = rng.sample(records, min(sample, len(records)))
    for index, record in enumerate(chosen):
        other = chosen[(index + 1) % len(chosen)]
        cited = as_cited(record, rng)
        yield "exact", cited, Decision.ACCEPT, record.doi
        yield "wrong-year", replace(cited, year=(record.year or 2000) - rng.randint(2, 6)), Decision.ACCEPT, record.doi
        if record.volume.isdigit():
            yield "wrong-volume", replace(cited, volume=str(int(record.volume) + 3)), Decision.ACCEPT, record.doi
        if record.page:
            yield "wrong-pages", replace(cited, page="101–115"), Decision.ACCEPT, record.doi
        if len(record.authors) > 1:
            yield (
                "truncated-authors",
                replace(cited, authors=record.authors[:1], authors_truncated=True),
                Decision.ACCEPT,
                record.doi,
            )
        yield "year-one-off", replace(cited, year=(record.year or 2000) + 1), Decision.ACCEPT, record.doi
        yield "no-authors", replace(cited, authors=[], authors_truncated=False), Decision.ACCEPT, record.doi
        yield "near-miss-title", replace(cited, title=near_miss(record.title, rng)), Decision.ACCEPT, record.doi
        if other.first_author_family.casefold() != record.first_author_family.casefold():
            yield "swapped-authors", replace(cited, authors=list(other.authors)), Decision.MISCITATION, record.doi
            yield "chimeric", replace(as_cited(other, rng), title=record.title), Decision.MISCITATION, record.doi
        number = re.search(r"\b\d+\b", record.title)
        if number and record.page:  # Part 2 of a series: same authors, venue and year, another number and pages
            sibling = record.title[: number.start()] + str(int(number.group()) + 1) + record.title[number.end() :]
            yield "numbered-sibling", replace(cited, title=sibling, page="901–915"), Decision.NO_MATCH, ""
        yield "invented-title", replace(cited, title=invented_title(rng)), Decision.NO_MATCH, ""
        yield (
            "invented",
            Reference(
                title=invented_title(rng),
                authors=[Name("Nonesuch", "Q.")],
                year=2019,
                container_title="Journal of Imaginary Results",
                volume="12",
                page="1–9",
            ),
            Decision.NO_MATCH,
            "",
        )


def real_strings(source: SnapshotSource, path: Path) -> None:
    """2,000 real reference strings (Crossref's reference-matching evaluation), parsed by refkit.extract and
    searched in the snapshot with their DOIs removed: a work the snapshot does not hold must not be accepted."""
    from refkit.extract.parse import parse_reference

    rows = json.loads(path.read_text(encoding="utf-8"))
    held = {normalize_doi(str(record.get("DOI", ""))) for record in source.records()}
    outcomes: Counter[str] = Counter()
    for row in rows:
        reference = replace(parse_reference(row["ref_string"]), doi="")
        if not reference.title:
            outcomes["no title parsed"] += 1
            continue
        records = [c.reference for c in source.search(reference, rows=5).candidates]
        match = best_match(reference, records)
        decision = match.decision if match else Decision.NO_MATCH
        truth = normalize_doi(row["gt"] or "")
        if decision is Decision.ACCEPT:
            outcomes["accepted, right DOI" if normalize_doi(match.record.doi) == truth else "accepted, WRONG"] += 1
        elif truth in held:
            outcomes[f"{decision.value} (work is in the snapshot)"] += 1
        else:
            outcomes[decision.value] += 1
    print(f"real reference strings ({len(rows)}, refmatch): " + ", ".join(f"{k} {v}" for k, v in outcomes.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=Path, default=RECORDS)
    parser.add_argument("--sample", type=int, default=400)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    if not args.records.exists():
        sys.exit(f"{args.records} is not present (../shared/data/crossref-records)")
    raw = list(read_records(args.records))
    source = SnapshotSource(records=raw, name="crossref-records")
    truth = [to_reference(record) for record in raw if citable(record)]
    rng = random.Random(args.seed)

    predicted: Counter[Decision] = Counter()
    expected: Counter[Decision] = Counter()
    correct: Counter[Decision] = Counter()
    by_kind: dict[str, Counter[str]] = {}
    started = time.perf_counter()
    total = 0
    for kind, reference, want, doi in cases(truth, rng, args.sample):
        total += 1
        records = [c.reference for c in source.search(reference, rows=5).candidates]
        match = best_match(reference, records)
        got = match.decision if match else Decision.NO_MATCH
        got_doi = normalize_doi(match.record.doi) if match and got is not Decision.NO_MATCH else ""
        right = got is want and got_doi == normalize_doi(doi)
        predicted[got] += 1
        expected[want] += 1
        correct[got] += right
        by_kind.setdefault(kind, Counter())["right" if right else f"→{got.value}"] += 1
    elapsed = time.perf_counter() - started

    print(
        f"matching benchmark: {total} references from {args.sample} real Crossref records "
        f"({len(raw)} records in the snapshot); {elapsed:.1f} s, {1000 * elapsed / total:.1f} ms per reference"
    )
    for decision in Decision:
        precision = correct[decision] / predicted[decision] if predicted[decision] else 0.0
        recall = correct[decision] / expected[decision] if expected[decision] else 0.0
        print(
            f"  {decision.value:12s} precision {precision:.3f}  recall {recall:.3f}  "
            f"(predicted {predicted[decision]}, expected {expected[decision]})"
        )
    print("per case:")
    for kind, counts in by_kind.items():
        n = sum(counts.values())
        wrong = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()) if k != "right")
        print(f"  {kind:18s} {counts['right']:4d}/{n:<4d} right" + (f"  (wrong: {wrong})" if wrong else ""))
    if REFSTRINGS.exists():
        real_strings(source, REFSTRINGS)


if __name__ == "__main__":
    main()
