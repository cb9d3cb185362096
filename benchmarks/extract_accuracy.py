"""Field-level accuracy of `refkit extract` on held-out tagged reference strings, beside refextract.

    python benchmarks/extract_accuracy.py [--no-peer] [--limit N]

Data (see ../shared/data/SOURCES.md): the held-out 20% of AnyStyle's gold set and GROBID's citation corpus
(real strings), and of real Crossref records rendered in the styles of styled_refs.py (journal styles, and the
BibTeX styles of PDFs for articles, proceedings papers and chapters); the tagger never saw them in training.
For each string and field, the gold value comes from the tagged span, cleaned by the same cleaners the parser
uses (so a field counts as right when the parser found the right span); authors are compared as the list of
family names. A field is a true positive when the prediction equals the gold value after folding (case,
accents, punctuation), a false positive when a value is predicted that is not the gold one, a false negative
when the gold value is not predicted. refextract (PyPI, a benchmark peer only) is scored on the same strings
with its `author`, `title`, `journal_title`, `year`, `journal_volume` and `journal_page` outputs.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable

from styled_refs import styled_refs
from tagged_refs import TaggedRef, real_refs

from refkit.extract import fields
from refkit.extract.names import parse_names
from refkit.extract.parse import parse_reference
from refkit.model import Reference
from refkit.text import fold

FIELDS = ("authors", "title", "container", "year", "volume", "issue", "pages")
Values = dict[str, str]


def _families(text: str) -> str:
    names, _ = parse_names(text)
    return " | ".join(fold(name.family or name.literal) for name in names)


def gold_values(ref: TaggedRef) -> Values:
    spans: dict[str, str] = {}
    for tag, text in ref.spans:
        spans.setdefault(tag, text)
    volume, issue = fields.volume_issue(spans.get("volume", ""))
    if "issue" in spans:
        issue = fields.clean(spans["issue"])
    year = fields.date_parts(spans.get("date", ""))[0]
    return normalise(
        {
            "authors": _families(spans.get("author", "")),
            "title": fields.clean_title(spans.get("title", "")),
            "container": fields.clean_container(spans.get("journal") or spans.get("container-title", "")),
            "year": str(year or ""),
            "volume": volume,
            "issue": issue,
            "pages": fields.pages(spans.get("pages", "")),
        }
    )


def refkit_values(text: str) -> Values:
    return reference_values(parse_reference(text))


def reference_values(reference: Reference) -> Values:
    """A Reference's compared fields, normalised as the gold values are."""
    return normalise(
        {
            "authors": " | ".join(fold(name.family or name.literal) for name in reference.authors),
            "title": reference.title,
            "container": reference.container_title,
            "year": str(reference.year or ""),
            "volume": reference.volume,
            "issue": reference.issue,
            "pages": reference.page,
        }
    )


def refextract_values(text: str) -> Values:
    from refextract import extract_references_from_string

    found: dict[str, list[str]] = defaultdict(list)
    try:
        parts = extract_references_from_string(text, is_only_references=True)
    except Exception:  # a string the peer cannot handle counts as nothing found
        parts = []
    for part in parts:
        for key, value in part.items():
            found[key].extend(value)

    def first(*keys: str) -> str:
        return next((found[key][0] for key in keys if found.get(key)), "")

    return normalise(
        {
            "authors": _families(first("author")),
            "title": first("title"),
            "container": first("journal_title"),
            "year": first("year", "journal_year"),
            "volume": first("journal_volume"),
            "issue": "",
            "pages": fields.pages(first("journal_page")),
        }
    )


def normalise(values: Values) -> Values:
    return {name: fold(value) if name != "authors" else value for name, value in values.items()}


def score(gold: Values, predicted: Values, counts: Counter, names: tuple[str, ...] = FIELDS) -> None:
    for name in names:
        truth, guess = gold.get(name, ""), predicted.get(name, "")
        if truth and guess == truth:
            counts[name, "tp"] += 1
            continue
        if guess:
            counts[name, "fp"] += 1
        if truth:
            counts[name, "fn"] += 1


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return precision, recall, (2 * precision * recall / (precision + recall) if precision + recall else 0.0)


def micro(counts: Counter, names: tuple[str, ...] = FIELDS) -> float:
    return prf(*(sum(counts[name, kind] for name in names) for kind in ("tp", "fp", "fn")))[2]


def run(parser: Callable[[str], Values], refs: list[TaggedRef]) -> tuple[Counter, dict[str, Counter], float]:
    total: Counter = Counter()
    by_source: dict[str, Counter] = defaultdict(Counter)
    started = time.perf_counter()
    for ref in refs:
        predicted = parser(ref.text)
        gold = gold_values(ref)
        score(gold, predicted, total)
        score(gold, predicted, by_source[ref.source])
    return total, by_source, time.perf_counter() - started


def _peer_available() -> str:
    try:
        import refextract  # noqa: F401
    except Exception as error:  # any import failure means the peer cannot run here
        return f"refextract cannot be imported ({type(error).__name__}: {error}); pip install refextract"
    return ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-peer", action="store_true", help="skip refextract (slow: ~60 ms a string)")
    parser.add_argument("--limit", type=int, default=0, help="score only the first N held-out strings")
    args = parser.parse_args()
    refs = [ref for ref in real_refs() + styled_refs() if ref.held_out]
    if not refs:
        print("../shared/data/tagged-refs is absent: nothing to measure")
        return 1
    if args.limit:
        refs = refs[: args.limit]
    ours, ours_by_source, seconds = run(refkit_values, refs)
    peer_problem = "skipped (--no-peer)" if args.no_peer else _peer_available()
    theirs, theirs_by_source = Counter(), {}
    if not peer_problem:
        theirs, theirs_by_source, _ = run(refextract_values, refs)
    print(
        f"held-out strings: {len(refs)} ({Counter(r.source.split(':')[0] for r in refs)}); "
        f"refkit parsed them in {seconds:.2f} s"
    )
    print(f"\n{'field':<10} {'refkit P':>9} {'R':>6} {'F1':>6}   {'refextract P':>12} {'R':>6} {'F1':>6}")
    for name in FIELDS:
        mine = prf(*(ours[name, kind] for kind in ("tp", "fp", "fn")))
        peer = prf(*(theirs[name, kind] for kind in ("tp", "fp", "fn"))) if not peer_problem else None
        peer_text = f"{peer[0]:>12.3f} {peer[1]:>6.3f} {peer[2]:>6.3f}" if peer else f"{'—':>12}"
        print(f"{name:<10} {mine[0]:>9.3f} {mine[1]:>6.3f} {mine[2]:>6.3f}   {peer_text}")
    peer_micro = f"{micro(theirs):.3f}" if not peer_problem else "—"
    print(f"{'micro-F1':<10} {'':>9} {'':>6} {micro(ours):>6.3f}   {'':>12} {'':>6} {peer_micro:>6}")
    real = [source for source in ours_by_source if not source.startswith("style:")]
    real_ours = sum((ours_by_source[source] for source in real), Counter())
    real_theirs = sum((theirs_by_source[source] for source in real), Counter()) if not peer_problem else None
    peer_real = f"{micro(real_theirs):.3f}" if real_theirs is not None else "—"
    print(f"{'micro-F1, real strings only (AnyStyle + GROBID)':<50} {micro(real_ours):.3f}   {peer_real}")
    print("\nmicro-F1 by source/style (n strings)        refkit  refextract")
    sizes = Counter(ref.source for ref in refs)
    for source in sorted(ours_by_source):
        peer_value = f"{micro(theirs_by_source[source]):.3f}" if not peer_problem else "—"
        print(f"  {source:<38} ({sizes[source]:>4})  {micro(ours_by_source[source]):.3f}   {peer_value}")
    if peer_problem:
        print(f"\nrefextract: {peer_problem}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
