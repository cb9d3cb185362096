"""Extraction from real manuscripts: `.bbl` lists in many styles, pandoc/R Markdown/Quarto and Manubot
manuscripts and the Word and HTML files rendered from them, scored against the bibliography they were made
from (../shared/data/real-world, see its README for the gold).

    python benchmarks/real_world_extract.py [--verbose] [--errors NAME]

Per category and style it prints the entries, the field micro-F1 of `refkit.extract.extract_document`
against the paired .bib (or Manubot's references.json), and for manuscripts the cited-key recall: the share
of the keys cited in the text that refkit's marker finder and resolver (refkit/claims) find.

Fields are compared as in benchmarks/extract_accuracy.py (folded; authors as the list of family names), with
the DOI added. A field the document does not print (aasjournal prints no titles, most styles no DOI) is not
scored: a gold value counts only when its folded text occurs in the folded document, and a number (year,
volume, issue, pages) only when it occurs more often than the item's other numbers account for, ISO dates
cut to their year (Vancouver's "1993;6: 861–867" prints volume 6 and no issue 6; Manubot's "(2015-08-10)" no
issue 10). When the document truncates an author list ("et al."), the printed names are compared with as many
gold names. In Manubot's CSL-JSON a one-part name (`literal`, or the `given`-only name it writes for a
consortium) is printed, so it is gold too, and an extracted name written the same in full matches it; the
reverse too: an organisation read whole matches the person a .bib without braces makes of it. Items
are paired by key where the document keeps the keys (`\\bibitem{key}`, biblatex `\\entry{key}`), else in order
along a first-author-and-year alignment. `--errors NAME` prints, for the pairs whose name holds NAME, each
item's text and every field that differs from the gold.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import zipfile
from collections import Counter, defaultdict
from difflib import SequenceMatcher
from pathlib import Path

from extract_accuracy import FIELDS, micro, reference_values, score

from refkit.bib import load_bibliography, to_reference
from refkit.claims.markers import find_markers
from refkit.claims.resolve import Resolver
from refkit.documents import read_document
from refkit.errors import RefkitError
from refkit.extract import extract_document
from refkit.model import Name, Reference
from refkit.sources.records import to_reference as record_to_reference
from refkit.text import fold, latex_to_unicode

_IDENTIFIER_RE = re.compile(r"\b(?:https?://|doi:\s*)?10\.\d{4,9}/\S+|https?://\S+", re.IGNORECASE)
_ISO_DATE_RE = re.compile(r"\b(\d{4})-\d\d(?:-\d\d)?\b")  # Manubot's "(2015-08-10)": no issue 10 printed
NUMBERED = ("year", "volume", "issue", "pages")
_NUMBER_WORD_RE = re.compile(r"^(?:vol|volume|no|number|issue) ")  # a .bib's "Vol. 610" is volume 610
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "data" / "real-world"
SCORED = (*FIELDS, "doi")
Values = dict[str, str]


def _gold_references(gold: dict) -> dict[str, Reference]:
    """The entries the document was made from, by key (Manubot: by references.json id)."""
    found: dict[str, Reference] = {}
    for name in gold["bib"]:
        path = CORPUS / name
        if path.suffix == ".json":
            for record in json.loads(path.read_text(encoding="utf-8")):
                found.setdefault(str(record["id"]), record_to_reference(_csl_names(record)))
        else:
            for entry in load_bibliography(path).entries:
                found.setdefault(entry.key, to_reference(entry, str(path)))
    return found


def _csl_names(record: dict) -> dict:
    """A CSL-JSON record with its one-part names as `name`, which the record reader takes for a literal
    name: CSL's `literal` ("NVIDIA", "Heng Li") and the given-only names Manubot writes for consortia
    ("The 1000 Genomes Project Consortium"), both printed in the list, else missing from the gold."""
    people = []
    for person in record.get("author") or []:
        single = person.get("literal") or ("" if person.get("family") else person.get("given", "").strip())
        people.append({"name": single} if single else person)
    return record | {"author": people}


def _values(reference: Reference, like: Reference | None = None) -> Values:
    """As extract_accuracy compares them, but with whole family names ("van der Marel": the .bib reader
    keeps particles in the family, the string parser apart), volume and issue without a "Vol."/"No." the .bib
    may write. Where the gold `like` has a one-part name
    (CSL's literal "Alexander Ratner"), a name written the same in full counts as that name, and the reverse
    (see _name_value)."""
    golds = like.authors if like is not None else []
    families = " | ".join(
        _name_value(name, golds[index] if index < len(golds) else None) for index, name in enumerate(reference.authors)
    )
    values = reference_values(reference) | {"authors": families, "doi": reference.doi.casefold()}
    return values | {name: _NUMBER_WORD_RE.sub("", values[name]) for name in ("volume", "issue")}


def _name_value(name: Name, like: Name | None) -> str:
    """The family name compared; a one-part name and a two-part one match when they write the same words:
    a gold literal against a person read in full, or an organisation read whole against the person a .bib
    makes of it without braces ("BALL Project Contributors": family "Contributors")."""
    if like is not None and like.literal and fold(f"{name.given} {name.full_family}") == fold(like.literal):
        return fold(like.literal)
    if like is not None and name.literal and fold(f"{like.given} {like.full_family}") == fold(name.literal):
        return fold(like.full_family)
    return fold(name.full_family or name.literal)


def _printed(gold: Reference, shown: str, predicted: Reference | None) -> tuple[Values, Values]:
    """Gold and predicted values of the fields the item prints (its own text when it was paired, else the
    whole document's; see the module docstring), authors cut to the printed count."""
    guess = _values(predicted, gold) if predicted else {}
    gold_values = _values(gold)
    item = f" {fold(_without_identifiers(predicted.raw))} " if predicted and predicted.raw else shown
    kept = {
        name: value
        for name, value in gold_values.items()
        if name == "authors" or guess.get(name) == value or _shown(name, value, gold_values, item)
    }
    if predicted is not None and predicted.authors_truncated and predicted.authors:
        kept["authors"] = " | ".join(kept["authors"].split(" | ")[: len(predicted.authors)])
    return kept, {name: value for name, value in guess.items() if name in kept}


def _shown(name: str, value: str, gold: Values, item: str) -> bool:
    """Whether the item prints a gold value: its folded text occurs in the item's, and a number occurs more
    often than the other numbered fields account for (Vancouver's "1993;6: 861–867" prints volume 6, not
    issue 6; "2022;3: 1–23" no issue 1)."""
    if not value or f" {value} " not in item:
        return False
    if name not in NUMBERED:
        return True
    pattern = re.compile(rf"(?<= ){re.escape(value)}(?= )")
    explained = sum(len(pattern.findall(f" {gold[other]} ")) for other in NUMBERED if other != name and other in gold)
    return len(pattern.findall(item)) > explained


def _without_identifiers(text: str) -> str:
    """The item's text without its DOIs and URLs, whose digits ("10.1016/…") are no printed issue or volume,
    and with its ISO dates cut to the year."""
    return _ISO_DATE_RE.sub(r"\1", _IDENTIFIER_RE.sub(" ", text))


def _signature(reference: Reference) -> str:
    return f"{fold(reference.first_author_family)} {reference.year}"


def _pairs(wanted: list[str], golds: dict[str, Reference], found: list[Reference]) -> list[tuple[str, Reference]]:
    """(gold key, extracted reference): by key where the document kept them, else along the order."""
    if found and sum(reference.key in golds for reference in found) >= 0.9 * len(found):
        return [(reference.key, reference) for reference in found if reference.key in wanted]
    matcher = SequenceMatcher(
        None, [_signature(golds[key]) for key in wanted], [_signature(r) for r in found], autojunk=False
    )
    pairs = []
    for tag, first, last, other, _ in matcher.get_opcodes():
        if tag in ("equal", "replace"):
            pairs.extend(
                (wanted[index], found[other + index - first])
                for index in range(first, last)
                if other + index - first < len(found)
            )
    return pairs


def _document_text(path: Path) -> str:
    """The document's text, folded and padded, for the "is this field printed" test."""
    try:
        text = read_document(path).references_text
    except RefkitError:
        text = ""
    if path.suffix not in (".docx", ".html"):
        raw = path.read_text(encoding="utf-8", errors="replace").replace("\\bibrangedash", "-")
        text += " " + latex_to_unicode(raw)
    return f" {fold(_without_identifiers(text))} "


def extraction_counts(
    path: Path, wanted: list[str], golds: dict[str, Reference], errors: list[str] | None = None
) -> tuple[Counter, int, str]:
    """Field counts for one rendered document, how many items came out, and why nothing did (if so);
    each field that differs from the gold is added to `errors` when it is given."""
    counts: Counter = Counter()
    try:
        found = extract_document(path)
    except RefkitError as error:
        found, problem = [], str(error).splitlines()[0]
    else:
        problem = ""
    shown = _document_text(path)
    paired = dict(_pairs(wanted, golds, found))
    for key in wanted:
        predicted = paired.get(key)
        truth, guess = _printed(golds[key], shown, predicted)
        score(truth, guess, counts, SCORED)
        wrong = [name for name in SCORED if truth.get(name, "") != guess.get(name, "")]
        if errors is not None and wrong:
            errors.append(f"  {key}: {predicted.raw if predicted else '(not found)'}")
            errors.extend(f"    {name}: gold {truth.get(name, '')!r} got {guess.get(name, '')!r}" for name in wrong)
    for reference in found:
        if reference not in paired.values():
            score({}, _values(reference), counts, SCORED)
    return counts, len(found), problem


def cited_recall(path: Path, wanted: list[str], golds: dict[str, Reference], aliases: dict[str, str]) -> float:
    """The share of `wanted` (the keys the text cites) that refkit's markers resolve to."""
    document = read_document(path)
    resolver = Resolver([_keyed(golds[key], key) for key in golds])
    found: set[str] = set()
    for marker in find_markers(document.body):
        for target in marker.targets:
            if target.kind == "key" and target.value in aliases:
                found.add(aliases[target.value])
                continue
            found.update(resolver.keys_for(target))
    return sum(key in found for key in wanted) / len(wanted) if wanted else 1.0


def _keyed(reference: Reference, key: str) -> Reference:
    reference.key = key
    return reference


def _documents(gold: dict, golds: dict[str, Reference]) -> tuple[list[tuple[str, Path, list[str]]], Path | None]:
    """The rendered documents to extract from (kind, path, keys in printed order) and the source to read
    citations from, for one pair."""
    category, document = gold["category"], gold["document"]
    if category in ("bbl", "thebibliography"):
        return [(category, CORPUS / document, gold["keys"])], None
    if category.startswith("manubot"):
        rendered = [(kind, CORPUS / document[kind], gold["keys"]) for kind in ("html", "docx") if kind in document]
        return rendered, CORPUS / document["markdown"]
    listed = gold.get("docx_reference_list") or {}
    rendered = [
        ("docx", CORPUS / name, _bookmarked_keys(CORPUS / name, golds) or listed.get("keys_in_docx_order", []))
        for name in gold.get("rendered", [])
    ]
    return [item for item in rendered if item[2]], CORPUS / document


def _bookmarked_keys(path: Path, golds: dict[str, Reference]) -> list[str]:
    """The keys pandoc wrote as `ref-KEY` bookmarks before each reference of a Word file, in order, when all
    are keys of the .bib: the exact printed order, where the gold's title-matched list has repeats and gaps
    (nwryd19: `chiat2015nonword` eight times, `balladares2016socio` missing)."""
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    keys = re.findall(r'<w:bookmarkStart [^>]*w:name="ref-([^"]+)"', xml)
    return keys if keys and all(key in golds for key in keys) else []


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="print every pair, not only the summary")
    parser.add_argument(
        "--errors",
        metavar="NAME",
        help="print each field that differs from the gold, for the pairs whose name holds NAME",
    )
    args = parser.parse_args()
    golds_files = sorted(CORPUS.glob("*/*.gold.json"))
    if not golds_files:
        print(f"{CORPUS} is absent: nothing to measure")
        return 1
    by_group: dict[str, Counter] = defaultdict(Counter)
    entries: Counter = Counter()
    recalls: dict[str, list[float]] = defaultdict(list)
    by_manuscript: dict[str, float] = {}
    print(f"{'pair':<60} {'kind':<16} {'items':>9} {'F1':>6}  cited-key recall")
    for gold_file in golds_files:
        gold = json.loads(gold_file.read_text(encoding="utf-8"))
        chosen = args.errors is not None and args.errors in gold["name"]
        if args.errors is not None and not chosen:
            continue
        golds = _gold_references(gold)
        rendered, source = _documents(gold, golds)
        recall = None
        if source is not None:
            aliases = gold.get("input_to_short_id", {})
            wanted = gold.get("first_cited_short_ids") or gold["keys"]
            recall = cited_recall(source, wanted, golds, aliases)
            recalls[gold["category"]].append(recall)
            by_manuscript[f"{gold['category']}: {gold['name']}"] = recall
        for kind, path, wanted in rendered:
            wanted = [key for key in wanted if key in golds]
            errors: list[str] | None = [] if chosen else None
            counts, items, problem = extraction_counts(path, wanted, golds, errors)
            group = f"{gold['category']}: {gold['style']}" if kind in ("bbl", "thebibliography") else kind
            by_group[group] += counts
            entries[group] += len(wanted)
            if args.verbose or problem:
                note = f"  ({problem})" if problem else ""
                shown = f"{items:>4}/{len(wanted):<4}"
                print(f"{gold['name'][:60]:<60} {kind:<16} {shown} {micro(counts, SCORED):>6.3f}{note}")
            if errors:
                print("\n".join(errors))
        if recall is not None and args.verbose:
            print(f"{gold['name'][:60]:<60} {'citations':<16} {'':>9} {'':>6}  {recall:.3f}")
    print(f"\n{'category: style':<60} {'entries':>7} {'field micro-F1':>15}")
    for group in sorted(by_group):
        print(f"{group:<60} {entries[group]:>7} {micro(by_group[group], SCORED):>15.3f}")
    total = sum(by_group.values(), Counter())
    print(f"{'all':<60} {sum(entries.values()):>7} {micro(total, SCORED):>15.3f}")
    print("\nper field (all):", ", ".join(f"{name} {micro(total, (name,)):.3f}" for name in SCORED))
    print("\ncited-key recall (mean over manuscripts):")
    for category, values in sorted(recalls.items()):
        mean = sum(values) / len(values)
        print(f"  {category:<16} {len(values):>3} manuscripts  {mean:.3f}  (min {min(values):.3f})")
    print("\ncited-key recall per manuscript:")
    for name, recall in sorted(by_manuscript.items()):
        print(f"  {name:<70} {recall:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
