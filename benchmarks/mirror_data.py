"""Bulk files in each real published format, made from real records: small samples for the tests, and
perturbed copies by the million for the mirror benchmarks.

    python benchmarks/mirror_data.py samples                 # rewrite tests/data/mirrors/ (small, committed)
    python benchmarks/mirror_data.py scale --records 1000000 --into /tmp/bulk [--format crossref|dblp|arxiv|…]
    python benchmarks/mirror_data.py scale --records 1000000 --start 1000000 --lean --into /tmp/bulk  # 1M more

Sources (../shared, or REFKIT_SHARED): the 1,747 real Crossref records of data/crossref-records/works.jsonl, the
DBLP dump excerpt data/api-responses/dblp/dblp_xml_dump_tail_excerpt.xml, the arXiv API answers of
data/api-responses/arxiv (Atom entries, rewritten as lines of arXiv's OAI metadata snapshot), the OpenAlex
works of data/api-responses/openalex and the PubMed efetch answers of data/api-responses/pubmed. Formats:

- Crossref public data file: `N.json.gz`, each `{"items": [...]}` of `message` records (5,000 a file, as
  Crossref ships them);
- DBLP: `dblp.xml.gz`, ISO-8859-1 with non-ASCII letters as dblp.dtd's named entities (`&uuml;`), the
  `<!DOCTYPE dblp SYSTEM "dblp.dtd">` header, one element per publication;
- arXiv: `arxiv-metadata-oai-snapshot.json(.gz)`, JSON lines with `id`, `authors`, `authors_parsed`, `title`,
  `versions`, `doi`, `journal-ref`, `categories`, `update_date`;
- OpenAlex: `works/updated_date=…/part_000.gz`, gzipped JSON lines of work objects as the API gives them
  (`abstract_inverted_index` kept as a field, its words the title's);
- PubMed: `pubmed25n0001.xml.gz`, a `PubmedArticleSet` of `PubmedArticle` elements (abstracts removed).

A scaled copy of a record gets a new identifier and a title with about a third of its words swapped for
words of other real titles, its authors shuffled, its year moved by up to two, so the title index sees a
realistic spread of words rather than a million copies of 1,747 titles. Abstracts are written only with
--abstracts, into scaled folders outside the repository (their prose belongs to the publishers).
"""

from __future__ import annotations

import argparse
import gzip
import html.entities
import json
import os
import random
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import yaml

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("REFKIT_SHARED") or ROOT.parent / "shared") / "data"
SAMPLES = ROOT / "tests" / "data" / "mirrors"
PER_FILE = 5000  # items per file of Crossref's public data file
_ATOM = "{http://www.w3.org/2005/Atom}"
_ARXIV = "{http://arxiv.org/schemas/atom}"
_ENTITY = {code: name for name, code in html.entities.name2codepoint.items()}


def crossref_records(abstracts: bool = False) -> list[dict[str, Any]]:
    """The real Crossref records, without reference lists, and without abstracts unless asked (to measure
    what keeping them costs a mirror, in scaled files outside the repository only)."""
    path = SHARED / "crossref-records" / "works.jsonl"
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for record in records:
        if not abstracts:
            record.pop("abstract", None)
        record.pop("reference", None)
    return records


def arxiv_papers() -> list[dict[str, Any]]:
    """The arXiv API's Atom entries in the recorded answers, as lines of the OAI metadata snapshot."""
    papers: dict[str, dict[str, Any]] = {}
    folder = SHARED / "api-responses" / "arxiv"
    bodies = [json.loads(path.read_text(encoding="utf-8"))["body"] for path in sorted(folder.glob("*.json"))]
    bodies += [path.read_text(encoding="utf-8") for path in sorted(folder.glob("*.xml"))]
    for body in bodies:
        for entry in ElementTree.fromstring(body.encode("utf-8")).iter(_ATOM + "entry"):
            link = entry.findtext(_ATOM + "id") or ""
            if "/abs/" not in link:
                continue  # an error entry
            identifier, _, version = link.split("/abs/")[1].rpartition("v")
            authors = entry.iter(_ATOM + "author")
            names = [" ".join((author.findtext(_ATOM + "name") or "").split()) for author in authors]
            published = entry.findtext(_ATOM + "published") or ""
            papers[identifier] = {
                "id": identifier,
                "submitter": names[0] if names else None,
                "authors": ", ".join(names),
                "title": " ".join((entry.findtext(_ATOM + "title") or "").split()),
                "comments": entry.findtext(_ARXIV + "comment"),
                "journal-ref": entry.findtext(_ARXIV + "journal_ref"),
                "doi": entry.findtext(_ARXIV + "doi"),
                "report-no": None,
                "categories": " ".join(c.get("term", "") for c in entry.iter(_ATOM + "category")),
                "license": None,
                "abstract": "",
                "versions": [{"version": f"v{n}", "created": published} for n in range(1, int(version or 1) + 1)],
                "update_date": (entry.findtext(_ATOM + "updated") or "")[:10],
                "authors_parsed": [_parsed(name) for name in names],
            }
    return list(papers.values())


def openalex_works() -> list[dict[str, Any]]:
    """The OpenAlex work objects of the recorded answers (single works and result pages), each with its
    abstract's inverted index replaced by one of its title's words (the abstracts' prose is not ours)."""
    folder = SHARED / "api-responses" / "openalex"
    bodies = [path.read_text(encoding="utf-8") for path in sorted(folder.glob("*.json"))]
    for path in sorted(folder.glob("*.yaml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8"))["interactions"]:
            body = item["response"]["body"]["string"]
            bodies.append(body if isinstance(body, str) else gzip.decompress(body).decode("utf-8"))
    works: dict[str, dict[str, Any]] = {}
    for body in bodies:
        try:
            answer = json.loads(body)
        except ValueError:
            continue  # an error page
        for work in answer.get("results", [answer]) if isinstance(answer, dict) else []:
            if isinstance(work, dict) and str(work.get("id", "")).startswith("https://openalex.org/W"):
                title = str(work.get("title") or "").split()
                work["abstract_inverted_index"] = {word: [n] for n, word in enumerate(title)} or None
                works[work["id"]] = work
    return list(works.values())


def pubmed_articles() -> list[str]:
    """The <PubmedArticle> elements of the recorded efetch answers, without their abstracts."""
    folder = SHARED / "api-responses" / "pubmed"
    bodies = [path.read_bytes() for path in sorted(folder.glob("*efetch*.xml"))]
    for path in sorted(folder.glob("*efetch*.yaml")):
        bodies += [str(item["response"]["body"]["string"]).encode("utf-8") for item in
                   yaml.safe_load(path.read_text(encoding="utf-8"))["interactions"]]  # fmt: skip
    articles = []
    for body in bodies:
        for article in ElementTree.fromstring(body).iter("PubmedArticle"):
            for parent in article.iter():
                for abstract in parent.findall("Abstract"):
                    parent.remove(abstract)
            articles.append(ElementTree.tostring(article, encoding="unicode"))
    return articles


PUBMED_HEAD = (
    '<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" '
    '"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n<PubmedArticleSet>\n'
)


def write_pubmed(articles: Iterator[str], path: Path) -> int:
    count = 0
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=1) as handle:
        handle.write(PUBMED_HEAD)
        for article in articles:
            handle.write(article + "\n")
            count += 1
        handle.write("</PubmedArticleSet>\n")
    return count


def write_openalex(works: Iterator[dict[str, Any]], path: Path) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=1) as handle:
        for work in works:
            handle.write(json.dumps(work, ensure_ascii=False) + "\n")
            count += 1
    return count


def _parsed(name: str) -> list[str]:
    given, _, family = name.rpartition(" ")
    return [family, given, ""]


def dblp_excerpt() -> str:
    """The DBLP dump excerpt's publication elements (the tail of dblp.xml, up to `</dblp>`)."""
    text = (SHARED / "api-responses" / "dblp" / "dblp_xml_dump_tail_excerpt.xml").read_text(encoding="utf-8")
    return text.replace("</dblp>", "").strip() + "\n"


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _entities(text: str) -> str:
    """XML text with markup escaped and every non-ASCII letter written as dblp.xml writes it."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return "".join(_entity(c) if ord(c) > 127 else c for c in escaped)


def _entity(letter: str) -> str:
    """dblp.dtd's name for a letter (&uuml;), else a character reference (&#322;), as dblp.xml writes them."""
    name = _ENTITY.get(ord(letter))
    return f"&{name};" if name else f"&#{ord(letter)};"


def dblp_element(record: dict[str, Any], key: str) -> str:
    """A Crossref record written as DBLP writes a publication."""
    tag = {"proceedings-article": "inproceedings", "book": "book", "book-chapter": "incollection"}.get(
        record.get("type", ""), "article"
    )
    lines = [f'<{tag} mdate="2024-01-01" key="{key}">']
    for author in record.get("author", []):
        name = " ".join(part for part in (author.get("given"), author.get("family")) if part)
        if name:
            lines.append(f"<author>{_entities(name)}</author>")
    lines.append(f"<title>{_entities((record.get('title') or [''])[0])}.</title>")
    venue = (record.get("container-title") or [""])[0]
    if venue:
        lines.append(f"<{'booktitle' if tag == 'inproceedings' else 'journal'}>{_entities(venue)}</"
                     f"{'booktitle' if tag == 'inproceedings' else 'journal'}>")  # fmt: skip
    for field, name in (("volume", "volume"), ("issue", "number"), ("page", "pages")):
        if record.get(field):
            lines.append(f"<{name}>{_entities(str(record[field]))}</{name}>")
    year = ((record.get("issued") or {}).get("date-parts") or [[None]])[0][0]
    if year:
        lines.append(f"<year>{year}</year>")
    lines.append(f"<ee>https://doi.org/{_entities(record['DOI'])}</ee>")
    lines.append(f"</{tag}>")
    return "\n".join(lines) + "\n"


DBLP_HEAD = '<?xml version="1.0" encoding="ISO-8859-1"?>\n<!DOCTYPE dblp SYSTEM "dblp.dtd">\n<dblp>\n'


# --- perturbed copies ------------------------------------------------------------------------------------


class Perturber:
    """Copies of real records with new identifiers and perturbed titles, authors and years."""

    def __init__(self, records: list[dict[str, Any]], seed: int = 0) -> None:
        self.records = [r for r in records if r.get("title")]
        self.rng = random.Random(seed)
        self.words = [w for r in self.records for w in re.findall(r"[A-Za-z]{3,}", str(r["title"][0]))]
        self.people = [a for r in self.records for a in r.get("author", []) if a.get("family")]

    def title(self, title: str) -> str:
        words = title.split()
        for position in range(len(words)):
            if self.rng.random() < 0.35:
                words[position] = self.rng.choice(self.words)
        return " ".join(words)

    def crossref(self, number: int) -> dict[str, Any]:
        record = dict(self.rng.choice(self.records))
        record["DOI"] = f"10.99999/mirror.{number}"
        record["title"] = [self.title(str(record["title"][0]))]
        authors = list(record.get("author") or [])
        if authors:
            authors[self.rng.randrange(len(authors))] = self.rng.choice(self.people)
            self.rng.shuffle(authors)
            record["author"] = authors
        year = ((record.get("issued") or {}).get("date-parts") or [[None]])[0][0]
        if isinstance(year, int):
            record["issued"] = {"date-parts": [[year + self.rng.randint(-2, 2)]]}
        return record

    def openalex(self, number: int, works: list[dict[str, Any]]) -> dict[str, Any]:
        work = dict(self.rng.choice(works))
        work["id"] = f"https://openalex.org/W{900000000 + number}"
        work["doi"] = f"https://doi.org/10.99998/openalex.{number}"
        work["title"] = work["display_name"] = self.title(str(work.get("title") or "Untitled"))
        work["ids"] = {"openalex": work["id"], "doi": work["doi"], "pmid": f"https://pubmed.ncbi.nlm.nih.gov/{number}"}
        return work

    def pubmed(self, number: int, articles: list[str]) -> str:
        article = re.sub(r"<PMID Version=\"1\">\d+</PMID>", f'<PMID Version="1">{90000000 + number}</PMID>',
                         self.rng.choice(articles), count=1)  # fmt: skip
        article = re.sub(
            r'<ArticleId IdType="doi">[^<]*<', f'<ArticleId IdType="doi">10.99997/pubmed.{number}<', article
        )
        title = re.search(r"<ArticleTitle>([^<]*)</ArticleTitle>", article)
        if title:
            article = article.replace(
                title.group(0), f"<ArticleTitle>{_xml(self.title(title.group(1)))}</ArticleTitle>"
            )
        return article

    def arxiv(self, number: int, papers: list[dict[str, Any]]) -> dict[str, Any]:
        paper = dict(self.rng.choice(papers))
        paper["id"] = f"{9000 + number // 100000 % 1000:04d}.{number % 100000:05d}"
        paper["title"] = self.title(paper["title"])
        paper["doi"] = None
        return paper


def write_crossref(
    records: Iterator[dict[str, Any]], folder: Path, per_file: int = PER_FILE, first_part: int = 0
) -> int:
    """Crossref's public data file layout: folder/0.json.gz, 1.json.gz, … of `{"items": [...]}`."""
    folder.mkdir(parents=True, exist_ok=True)
    count, part = 0, first_part
    batch: list[dict[str, Any]] = []
    for record in records:
        batch.append(record)
        count += 1
        if len(batch) == per_file:
            _write_items(folder / f"{part}.json.gz", batch)
            part, batch = part + 1, []
    if batch:
        _write_items(folder / f"{part}.json.gz", batch)
    return count


def _write_items(path: Path, items: list[dict[str, Any]]) -> None:
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=1) as handle:
        handle.write(json.dumps({"items": items}, ensure_ascii=False))


def write_dblp(elements: Iterator[str], path: Path) -> int:
    count = 0
    with gzip.open(path, "wt", encoding="iso-8859-1", compresslevel=1) as handle:
        handle.write(DBLP_HEAD)
        for element in elements:
            handle.write(element)
            count += 1
        handle.write("</dblp>\n")
    return count


def write_arxiv(papers: Iterator[dict[str, Any]], path: Path) -> int:
    count = 0
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "wt", encoding="utf-8") as handle:  # type: ignore[operator]
        for paper in papers:
            handle.write(json.dumps(paper, ensure_ascii=False) + "\n")
            count += 1
    return count


def samples() -> None:
    """tests/data/mirrors: 120 Crossref records in two files, 8 + 40 DBLP publications, the arXiv papers, the
    OpenAlex works and the PubMed articles of the recorded answers."""
    records = crossref_records()
    chosen = [r for r in records if r.get("title") and r.get("author")][::12][:120]
    for old in (SAMPLES / "crossref").glob("*.json.gz"):
        old.unlink()
    write_crossref(iter(chosen), SAMPLES / "crossref", per_file=60)
    converted = [dblp_element(r, f"sample/crossref/{i}") for i, r in enumerate(chosen[:40])]
    write_dblp(iter([dblp_excerpt(), *converted]), SAMPLES / "dblp.xml.gz")
    write_arxiv(iter(arxiv_papers()), SAMPLES / "arxiv-metadata-oai-snapshot.json")
    write_openalex(iter(openalex_works()), SAMPLES / "openalex" / "updated_date=2025-01-01" / "part_000.gz")
    write_pubmed(iter(pubmed_articles()), SAMPLES / "pubmed25n0001.xml.gz")
    print(f"wrote {SAMPLES}")


# What a lean copy keeps (--lean): the fields a mirror reads, so a large index for the look-up benchmark is
# written in a fraction of the time (the index is the same; only the build's parsing is lighter).
LEAN_FIELDS = ("DOI", "type", "title", "author", "container-title", "issued", "volume", "issue", "page", "ISSN")


def scale(
    count: int, into: Path, kind: str, seed: int, start: int = 0, lean: bool = False, abstracts: bool = False
) -> None:
    records = crossref_records(abstracts)
    if lean:
        records = [{name: r[name] for name in LEAN_FIELDS if name in r} for r in records]
        for record in records:
            record["author"] = [{k: a[k] for k in ("given", "family") if k in a} for a in record.get("author", [])]
    perturber = Perturber(records, seed + start)
    into.mkdir(parents=True, exist_ok=True)
    numbers = range(start, start + count)
    if kind == "crossref":
        copies = (perturber.crossref(n) for n in numbers)
        written = write_crossref(copies, into / "crossref", first_part=start // PER_FILE)
    elif kind == "openalex":
        works = openalex_works()
        written = write_openalex((perturber.openalex(n, works) for n in numbers), into / "openalex" / "part_000.gz")
    elif kind == "pubmed":
        articles = pubmed_articles()
        written = write_pubmed((perturber.pubmed(n, articles) for n in numbers), into / "pubmed25n0001.xml.gz")
    elif kind == "dblp":
        elements = (dblp_element(perturber.crossref(n), f"scaled/{n}") for n in numbers)
        written = write_dblp(elements, into / "dblp.xml.gz")
    else:
        papers = arxiv_papers()
        written = write_arxiv((perturber.arxiv(n, papers) for n in numbers), into / "arxiv.jsonl.gz")
    print(f"wrote {written:,} {kind} records under {into}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("samples")
    scaled = commands.add_parser("scale")
    scaled.add_argument("--records", type=int, default=100_000)
    scaled.add_argument("--into", type=Path, required=True)
    scaled.add_argument("--format", choices=("crossref", "dblp", "arxiv", "openalex", "pubmed"), default="crossref")
    scaled.add_argument("--seed", type=int, default=0)
    scaled.add_argument("--start", type=int, default=0, help="first record number (add files to a scaled folder)")
    scaled.add_argument("--lean", action="store_true", help="Crossref records cut to the fields a mirror reads")
    scaled.add_argument("--abstracts", action="store_true", help="Crossref copies keep the real records' abstracts")
    args = parser.parse_args()
    if not SHARED.is_dir():
        sys.exit(f"mirror_data: {SHARED} not found (set REFKIT_SHARED)")
    if args.command == "samples":
        samples()
    else:
        scale(args.records, args.into, args.format, args.seed, args.start, args.lean, args.abstracts)


if __name__ == "__main__":
    main()
