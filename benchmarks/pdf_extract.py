"""`refkit extract` and `map` on real PDFs: reference count, field micro-F1 and cited keys against the gold,
then speed and peak memory on a 20-page two-column paper.

    python benchmarks/pdf_extract.py [--verbose] [--no-speed]

(pdfminer.six, if installed, is timed on the same 20 pages as a peer; it is not a dependency.)

Data: ../shared/data/pdf-papers (18 PDFs compiled by their authors, each with the .bbl/.bib it was built
from; its README gives the gold) and tests/data/pdf (the superscript-numbered and two-column PDFs made for
the tests with TeX Live). The 18 are split by name: the TUNE papers were looked at while the reader and
the splitter were written, the HELD_OUT ones only scored; figures are printed for each part apart.

Fields (authors, title, container, year, volume, issue, pages, DOI) are compared as in
benchmarks/real_world_extract.py: folded; authors as the list of family names, cut to the printed count
when the PDF writes "et al." (an organisation read whole, "BALL Project Contributors", matches the person
"Contributors" that its .bib entry, written without braces, makes of it); the "printed" F1 scores only the
gold values the PDF prints (its folded text holds them), the "all" F1 every gold value. Items are paired
with the gold in order when as many were read as the gold has, else along a first-author-and-year
alignment. Cited keys: the keys that the markers of the body (refkit.claims: `[12]`, superscripts,
author–year) resolve to, through the pairing, against the gold's cited keys.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from extract_accuracy import micro, prf, score
from real_world_extract import SCORED, _pairs, _printed, _values

from refkit.bib.convert import to_reference
from refkit.bib.read import BibEntry
from refkit.claims.markers import find_markers
from refkit.claims.resolve import Resolver
from refkit.documents import read_document
from refkit.errors import RefkitError
from refkit.extract import extract_references
from refkit.model import Reference
from refkit.text import fold

ROOT = Path(__file__).resolve().parents[1]
PAPERS = ROOT.parent / "shared" / "data" / "pdf-papers"
MADE = ROOT / "tests" / "data" / "pdf"
TUNE = (
    "aastex-timmy", "acmart-cscw-paper-lengths", "apa7-manuscript", "elsarticle-noise-phenomena",
    "juliacon-biochemicalalgorithms", "juliacon-distributedworkflows", "juliacon-laplaceredux",
    "juliacon-probabilityboundsanalysis", "thesis-music-esprit",
)  # fmt: skip
HELD_OUT = (
    "acl-llm-stylometry", "acmart-icfp24-staged", "article-embedded-mpc", "arxiv-imputing-signatures",
    "easychair-types2022", "ieeetran-parallel-coordinates", "llncs-rkt-heaps", "rescience-negenes",
    "revtex-prl-drop-impact",
)  # fmt: skip
# Where the gold cannot be met by what the PDF prints.
GOLD_NOTES = {
    "juliacon-probabilityboundsanalysis": "gold .bbl has 22 entries, the PDF prints 35",
    "acmart-icfp24-staged": "the PDF prints its citations as [?]: built without its .bbl",
}
# Whose markers no reader can resolve: the cited-key figures are printed with and without them.
UNRESOLVABLE = ("acmart-icfp24-staged",)
SPEED_PAPERS = ("juliacon-probabilityboundsanalysis", "juliacon-distributedworkflows", "juliacon-laplaceredux")
_BIB_FIELDS = {"title": "title", "year": "year", "volume": "volume", "issue": "number", "pages": "pages"}


def gold_reference(entry: dict) -> Reference:
    """A gold list entry read as its .bib entry would be (same name parsing and cleaning as validate)."""
    fields = {name: str(entry[source]) for source, name in _BIB_FIELDS.items() if entry.get(source)}
    if entry.get("authors"):
        fields["author"] = " and ".join(entry["authors"])
    if entry.get("container"):
        fields["journal" if entry.get("type") == "article" else "booktitle"] = entry["container"]
    if entry.get("doi"):
        fields["doi"] = entry["doi"]
    reference = to_reference(BibEntry(key=entry["key"], entry_type=entry.get("type") or "misc", fields=fields, line=1))
    reference.key = entry["key"]
    return reference


def paper_pdf(folder: Path, gold: dict) -> Path:
    return folder / gold["files"]["pdf"]


def evaluate(pdf: Path, references: list[dict], cited: list[str]) -> dict:
    """Counts for one PDF: items, field counts (printed and all), cited-key hits."""
    golds = {entry["key"]: gold_reference(entry) for entry in references}
    wanted = list(dict.fromkeys(entry["key"] for entry in references))  # apa7's .bbl holds its list twice
    try:
        document = read_document(pdf)
        found = extract_references(document, document_keys=True) if document.has_references else []
        problem = "" if document.has_references else "no reference section found"
    except RefkitError as error:
        document, found, problem = None, [], str(error)
    shown = f" {fold(document.references_text)} " if document else ""
    # The gold is in printed order: a list read to the right length pairs item by item.
    paired = dict(zip(wanted, found, strict=True)) if len(found) == len(wanted) else dict(_pairs(wanted, golds, found))
    printed: Counter = Counter()
    every: Counter = Counter()
    for key in wanted:
        predicted = paired.get(key)
        score(*_printed(golds[key], shown, predicted), printed, SCORED)
        score(_values(golds[key]), _values(predicted) if predicted else {}, every, SCORED)
    for reference in found:
        if reference not in paired.values():
            score({}, _values(reference), printed, SCORED)
            score({}, _values(reference), every, SCORED)
    resolved: set[str] = set()
    if document is not None and found:
        gold_of = {id(reference): key for key, reference in paired.items()}
        by_key = {reference.key: gold_of.get(id(reference), f"?{reference.key}") for reference in found}
        resolver = Resolver(found)
        for marker in find_markers(document.body):
            resolver.resolve(marker)
            resolved.update(by_key[key] for key in marker.keys if key in by_key)
    return {
        "items": len(found),
        "gold": len(wanted),
        "printed": printed,
        "all": every,
        "cited": set(cited) & set(wanted),
        "resolved": resolved,
        "problem": problem,
    }


def made_papers() -> list[tuple[str, Path, list[dict], list[str]]]:
    """The PDFs made for the tests: gold entries from their .bib in \\cite order (unsrt styles)."""
    found = []
    for gold_file in sorted(MADE.glob("*.gold.json")):
        gold = json.loads(gold_file.read_text(encoding="utf-8"))
        found.append((gold_file.name.removesuffix(".gold.json"), MADE / gold["pdf"], gold["references"], gold["cited"]))
    return found


def report(rows: list[tuple[str, str, dict]], title: str, verbose: bool) -> None:
    print(f"\n== {title}")
    print(f"{'paper':<36} {'template':<44} {'items':>9} {'F1 pr.':>6} {'F1 all':>6} {'cite R':>6} {'cite P':>6}")
    printed: Counter = Counter()
    every: Counter = Counter()
    exact = 0
    for name, template, result in rows:
        printed += result["printed"]
        every += result["all"]
        exact += result["items"] == result["gold"]
        good = len(result["cited"] & result["resolved"])
        recall = good / len(result["cited"]) if result["cited"] else 1.0
        precision = good / len(result["resolved"]) if result["resolved"] else 0.0
        items = f"{result['items']:>4}/{result['gold']:<4}"
        note = f"  ({result['problem'] or GOLD_NOTES.get(name)})" if result["problem"] or name in GOLD_NOTES else ""
        print(
            f"{name[:36]:<36} {template[:44]:<44} {items} {micro(result['printed'], SCORED):>6.3f} "
            f"{micro(result['all'], SCORED):>6.3f} {recall:>6.3f} {precision:>6.3f}{note}"
        )
        if verbose:
            missed = sorted(result["cited"] - result["resolved"])
            extra = sorted(result["resolved"] - result["cited"])
            print(f"    cited keys missed: {missed[:8]}  resolved not cited: {extra[:8]}")
    print(
        f"reference count exact {exact}/{len(rows)}; field micro-F1 printed {micro(printed, SCORED):.3f}, "
        f"all {micro(every, SCORED):.3f}; cited keys {_cited_figures(result for _, _, result in rows)}"
    )
    left_out = [name for name, _, _ in rows if name in UNRESOLVABLE]
    if left_out:
        kept = (result for name, _, result in rows if name not in UNRESOLVABLE)
        print(f"cited keys without {', '.join(left_out)}: {_cited_figures(kept)}")
    print(
        "per field (printed): "
        + ", ".join(f"{name} {prf(*(printed[name, k] for k in ('tp', 'fp', 'fn')))[2]:.3f}" for name in SCORED)
    )


def _cited_figures(results: Iterable[dict]) -> str:
    """Recall and precision of the cited keys, pooled over the papers."""
    hits = cited = resolved = 0
    for result in results:
        hits += len(result["cited"] & result["resolved"])
        cited += len(result["cited"])
        resolved += len(result["resolved"])
    return f"recall {hits / max(cited, 1):.3f}, precision {hits / max(resolved, 1):.3f}"


def speed() -> None:
    """Pages per second (one process, one core) and peak resident memory for 20 two-column pages."""
    import pypdfium2 as pdfium

    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "twenty.pdf"
        merged = pdfium.PdfDocument.new()
        for name in SPEED_PAPERS:
            gold = json.loads((PAPERS / name / "gold.json").read_text(encoding="utf-8"))
            source = pdfium.PdfDocument(str(paper_pdf(PAPERS / name, gold)))
            take = min(len(source), 20 - len(merged))
            merged.import_pages(source, list(range(take)))
        merged.save(str(target))
        pages = len(merged)
        code = (
            "import sys, time\n"
            "def peak():  # VmHWM starts anew at exec, unlike ru_maxrss, which a child takes over from its parent\n"
            "    status = open('/proc/self/status').read()\n"
            "    return int(status.split('VmHWM:')[1].split()[0])\n"
            "start_rss = peak()\n"
            "from refkit.documents import read_document\n"
            "from refkit.extract import extract_references\n"
            "import pypdfium2\n"
            "base = peak()\n"
            "start = time.process_time()\n"
            "for _ in range(3):\n"
            "    document = read_document(sys.argv[1])\n"
            "read = (time.process_time() - start) / 3\n"
            "start = time.process_time()\n"
            "references = extract_references(document)\n"
            "parse = time.process_time() - start\n"
            "top = peak()\n"
            "try:\n"
            "    from pdfminer.high_level import extract_text\n"
            "except ImportError:\n"
            "    peer = 0.0\n"
            "else:\n"
            "    start = time.process_time()\n"
            "    extract_text(sys.argv[1])\n"
            "    peer = time.process_time() - start\n"
            "print(read, parse, start_rss, base, top, len(references), peer)\n"
        )
        output = subprocess.run(
            [sys.executable, "-c", code, str(target)], capture_output=True, text=True, check=True
        ).stdout.split()
    read, parse = float(output[0]), float(output[1])
    start_rss, base, peak, count, peer = int(output[2]), int(output[3]), int(output[4]), output[5], float(output[6])
    print(f"\n== speed: {pages}-page two-column PDF ({', '.join(SPEED_PAPERS)}), one process")
    print(f"reading: {read:.2f} s CPU, {pages / read:.1f} pages/s; extract ({count} references) {parse:.2f} s CPU")
    if peer:
        print(f"peer pdfminer.six extract_text (text only, no layout kept): {peer:.2f} s, {pages / peer:.1f} pages/s")
    print(
        f"peak resident memory {peak / 1024:.0f} MB: interpreter {start_rss / 1024:.0f} MB, with refkit and pdfium "
        f"imported {base / 1024:.0f} MB, reading and extracting +{(peak - base) / 1024:.0f} MB"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="cited keys missed and extra, per paper")
    parser.add_argument("--no-speed", action="store_true", help="skip the speed and memory run")
    args = parser.parse_args()
    if not PAPERS.is_dir():
        print(f"{PAPERS} is absent: nothing to measure")
        return 1
    started = time.perf_counter()
    for title, names in (("TUNE (looked at while tuning)", TUNE), ("HELD_OUT (scored only)", HELD_OUT)):
        rows = []
        for name in names:
            gold = json.loads((PAPERS / name / "gold.json").read_text(encoding="utf-8"))
            result = evaluate(paper_pdf(PAPERS / name, gold), gold["references"], gold["citation_keys_in_source_order"])
            rows.append((name, gold["template"], result))
        report(rows, title, args.verbose)
    made = made_papers()
    if made:
        rows = [(name, "made with TeX Live", evaluate(pdf, refs, cited)) for name, pdf, refs, cited in made]
        report(rows, "tests/data/pdf (made for the tests)", args.verbose)
    print(f"\n(scored in {time.perf_counter() - started:.0f} s)")
    if not args.no_speed:
        speed()
    print(f"max RSS of this run {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
