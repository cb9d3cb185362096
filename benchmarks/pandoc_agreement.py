"""How often refkit's CSL-JSON agrees with pandoc's own BibTeX → CSL-JSON conversion, field by field.

    python benchmarks/pandoc_agreement.py [BIB ...]

Defaults to references.bib and the large real files in ../shared/data/bibtex. Needs pandoc (Debian: apt-get
install pandoc). Values are compared after the normalisations listed in NORMALISED (documented in
docs/export.md); every remaining disagreement is counted per field and the first few are printed.
"""

from __future__ import annotations

import collections
import json
import subprocess
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from refkit.bib import load_bibliography, to_reference  # noqa: E402
from refkit.export.csl_json import to_csl_json  # noqa: E402
from refkit.text import normalize_doi  # noqa: E402

FIELDS = ["type", "title", "author", "issued", "container-title", "volume", "issue", "page", "DOI"]
NORMALISED = (
    "letter case of titles (pandoc turns English titles into sentence case); typographic quotes "
    "(pandoc makes ' into ’); page dashes (pandoc keeps '-', refkit writes '–'); DOIs as bare "
    "lower-case DOIs (pandoc copies a doi.org URL as written); a name particle counted as part of the "
    "family name (pandoc calls 'van der' dropping, refkit non-dropping); an issue given both as "
    "biblatex `number` and `issue` (pandoc joins them, '1, 1'; refkit takes the number); Unicode NFC"
)
DEFAULT_FILES = [
    ROOT / "references.bib",
    *(
        ROOT.parent / "shared" / "data" / "bibtex" / name
        for name in ("biblatex-examples.bib", "texbook3.bib", "tugboat.bib")
    ),
]


def pandoc_items(path: Path) -> dict[str, dict]:
    dialect = "biblatex" if "biblatex" in path.name else "bibtex"
    output = subprocess.run(
        ["pandoc", str(path), "-f", dialect, "-t", "csljson"], capture_output=True, check=True
    ).stdout
    return {item["id"]: item for item in json.loads(output)}


def normal(field: str, value: object) -> object:
    if isinstance(value, str):
        text = " ".join(unicodedata.normalize("NFC", value.replace("ı\u0301", "í")).split())
        text = text.replace("’", "'").replace("‘", "'")
        if field == "page":
            text = text.replace("–", "-")
        if field == "DOI":
            text = normalize_doi(text)
        if field in ("title", "container-title"):
            text = text.casefold()
        return text
    if field == "author" and isinstance(value, list):
        return [_name(person) for person in value]
    return value


def _name(person: dict) -> dict:
    particle = person.get("dropping-particle") or person.get("non-dropping-particle")
    family = f"{particle} {person.get('family', '')}" if particle else person.get("family")
    name = {"family": family, "given": person.get("given"), "literal": person.get("literal")}
    return {key: normal("name", value) for key, value in name.items() if value}


def _pandoc_issue(item: dict, mine: dict) -> dict:
    """pandoc writes `number` and `issue` joined ("3, 25"); compare its first part when refkit has one value."""
    issue = item.get("issue")
    if isinstance(issue, str) and ", " in issue and ", " not in str(mine.get("issue", "")):
        return {**item, "issue": issue.split(", ")[0]}
    return item


def compare(path: Path) -> tuple[int, collections.Counter, collections.Counter, list[str]]:
    bib = load_bibliography(path)
    ours = {item["id"]: item for item in to_csl_json([to_reference(e) for e in bib.entries])}
    theirs = pandoc_items(path)
    agree: collections.Counter = collections.Counter()
    total: collections.Counter = collections.Counter()
    examples: list[str] = []
    for key, item in theirs.items():
        mine = ours.get(key)
        if mine is None:
            continue
        item = _pandoc_issue(item, mine)
        for field in FIELDS:
            if field not in item and field not in mine:
                continue
            total[field] += 1
            if normal(field, item.get(field)) == normal(field, mine.get(field)):
                agree[field] += 1
            elif len(examples) < 6:
                examples.append(f"  {key} {field}: pandoc={item.get(field)!r} refkit={mine.get(field)!r}")
    return len(theirs), agree, total, examples


def main() -> None:
    files = [Path(p) for p in sys.argv[1:]] or [p for p in DEFAULT_FILES if p.exists()]
    print(f"Normalised before comparing: {NORMALISED}")
    grand_agree = grand_total = 0
    for path in files:
        entries, agree, total, examples = compare(path)
        a, t = sum(agree.values()), sum(total.values())
        grand_agree += a
        grand_total += t
        print(f"\n{path.name}: {entries} entries, {a}/{t} field values agree ({a / t:.2%})")
        for field in FIELDS:
            if total[field]:
                print(f"  {field:<16} {agree[field]:>6}/{total[field]:<6} {agree[field] / total[field]:.2%}")
        if examples:
            print(" first disagreements:")
            print("\n".join(examples))
    print(f"\nAll files: {grand_agree}/{grand_total} field values agree ({grand_agree / grand_total:.2%})")


if __name__ == "__main__":
    main()
