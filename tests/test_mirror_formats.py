"""The bulk-file readers on samples in each real published format (tests/data/mirrors, see SOURCES.md)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from refkit.errors import RefkitError
from refkit.mirrors.formats import bulk_files, detect, records

SAMPLES = Path(__file__).parent / "data" / "mirrors"
OPENALEX = SAMPLES / "openalex" / "updated_date=2025-01-01" / "part_000.gz"


def test_each_sample_is_recognised_by_its_content() -> None:
    kinds = {path.name: detect(path) for path in bulk_files([SAMPLES])}
    assert kinds == {
        "arxiv-metadata-oai-snapshot.json": "arxiv",
        "0.json.gz": "crossref",
        "1.json.gz": "crossref",
        "dblp.xml.gz": "dblp",
        "part_000.gz": "openalex",
        "pubmed25n0001.xml.gz": "pubmed",
    }


def test_crossref_data_file_items_are_kept_without_what_verification_never_reads() -> None:
    found = list(records("crossref", SAMPLES / "crossref" / "0.json.gz"))
    assert len(found) == 60
    assert all(record["DOI"] and record["title"] for record in found)
    assert not any("reference" in record or "license" in record or "indexed" in record for record in found)


def test_dblp_named_entities_are_decoded_and_doi_taken_from_ee() -> None:
    found = list(records("dblp", SAMPLES / "dblp.xml.gz"))
    assert len(found) == 48
    towards = next(r for r in found if r["title"] == ["Towards a Transaction Management System for DOM"])
    assert {"given": "M. Tamer", "family": "Özsu"} in towards["author"]  # &Ouml;zsu in the dump
    curricula = next(r for r in found if r["title"] == ["Computer Science Curricula 2013"])
    assert curricula["DOI"] == "10.1145/2534860" and curricula["type"] == "book"


def test_arxiv_snapshot_lines_carry_the_arxiv_doi() -> None:
    papers = {r["arxiv"]: r for r in records("arxiv", SAMPLES / "arxiv-metadata-oai-snapshot.json")}
    paper = papers["1605.08386"]
    assert paper["DOI"] == "10.48550/arXiv.1605.08386"
    assert paper["title"] == ["Heat-bath random walks with Markov bases"]
    assert "astro-ph/0601001" in papers


def test_openalex_works_become_records_with_their_pmid_and_no_abstract() -> None:
    works = {r["DOI"]: r for r in records("openalex", OPENALEX) if "DOI" in r}
    paper = works["10.1371/journal.pone.0000030"]  # "https://doi.org/…" in the snapshot
    assert paper["title"] == ["Triose Phosphate Isomerase Deficiency Is Caused by Altered Dimerization–Not Catalytic "
                              "Inactivity–of the Mutant Enzymes"]  # fmt: skip
    assert paper["pmid"] == "17183658" and paper["container-title"] == ["PLoS ONE"]
    assert paper["issued"] == {"date-parts": [[2006, 12, 20]]} and paper["author"][0]["family"] == "Ralser"
    assert not any("abstract" in record for record in works.values())


def test_pubmed_articles_become_records_with_their_pmid() -> None:
    articles = {r["pmid"]: r for r in records("pubmed", SAMPLES / "pubmed25n0001.xml.gz")}
    assert set(articles) == {"11748933", "11700088", "1234567", "29915538"}
    first = articles["11748933"]
    assert first["DOI"] == "10.1006/cryo.2001.2328" and first["title"][0].endswith("Diplodus puntazzo (Cetti)")
    assert first["page"] == "244–255" and first["issued"] == {"date-parts": [[2001, 6]]}
    assert first["author"][0] == {"given": "A R", "family": "Taddei"}


def test_a_retraction_openalex_or_pubmed_marks_is_a_notice_of_the_record(tmp_path: Path) -> None:
    from refkit.mirrors.formats import decode, read_openalex
    from refkit.sources.records import updates

    line = gzip.decompress(OPENALEX.read_bytes()).splitlines()[0]
    work = decode(line)
    work["is_retracted"] = True
    path = tmp_path / "part_001.gz"
    path.write_bytes(gzip.compress(json.dumps(work).encode()))
    (row,) = read_openalex(path)
    assert [notice.kind for notice in updates(decode(row.record))] == ["retraction"]


@pytest.mark.parametrize(
    ("kind", "content", "message"),
    [
        ("crossref", b'{"items": [', "not a Crossref data file"),
        ("dblp", b"<dblp><article><title>x</title>", "not DBLP XML"),
        ("arxiv", b'{"id": "1"}\n{oops\n', "invalid JSON at line 2"),
        ("openalex", b'{"id": "https://openalex.org/W1", "title": "A"}\n{oops\n', "invalid JSON at line 2"),
        ("pubmed", b"<PubmedArticleSet><PubmedArticle><MedlineCitation>", "not PubMed XML"),
    ],
)
def test_a_damaged_file_is_one_clear_error(tmp_path: Path, kind: str, content: bytes, message: str) -> None:
    path = tmp_path / "damaged.gz"
    path.write_bytes(gzip.compress(content))
    with pytest.raises(RefkitError, match=message):
        list(records(kind, path))


@pytest.mark.parametrize("kind", ["crossref", "dblp", "arxiv", "openalex", "pubmed"])
def test_a_gzip_file_cut_short_is_one_clear_error(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "cut.gz"
    path.write_bytes(gzip.compress(b'{"items": []}' + b" " * 5000)[:30])
    with pytest.raises(RefkitError, match="cannot be read to the end"):
        list(records(kind, path))


ABSTRACT = "We count the words a mirror keeps when it is asked to keep abstracts."


def _with_abstracts(tmp_path: Path) -> dict[str, Path]:
    """A file of each format whose records carry an abstract (OpenAlex's sample has its inverted indexes)."""
    crossref = tmp_path / "0.json.gz"
    item = {"DOI": "10.5555/abstract", "title": ["Kept abstracts"], "abstract": f"<jats:p>{ABSTRACT}</jats:p>"}
    crossref.write_bytes(gzip.compress(json.dumps({"items": [item]}).encode()))
    arxiv = tmp_path / "arxiv.jsonl"
    paper = json.loads((SAMPLES / "arxiv-metadata-oai-snapshot.json").read_text(encoding="utf-8").splitlines()[0])
    arxiv.write_text(json.dumps({**paper, "abstract": f"  {ABSTRACT}\n"}) + "\n", encoding="utf-8")
    pubmed = tmp_path / "pubmed25n0002.xml.gz"
    text = gzip.decompress((SAMPLES / "pubmed25n0001.xml.gz").read_bytes()).decode()
    text = text.replace(
        "</ArticleTitle>", f"</ArticleTitle><Abstract><AbstractText>{ABSTRACT}</AbstractText></Abstract>", 1
    )
    pubmed.write_bytes(gzip.compress(text.encode()))
    return {"crossref": crossref, "arxiv": arxiv, "pubmed": pubmed, "openalex": OPENALEX}


@pytest.mark.parametrize("kind", ["crossref", "arxiv", "pubmed", "openalex"])
def test_abstracts_are_kept_only_when_asked(tmp_path: Path, kind: str) -> None:
    path = _with_abstracts(tmp_path)[kind]
    assert not any("abstract" in record for record in records(kind, path))
    kept = [record["abstract"] for record in records(kind, path, abstracts=True) if "abstract" in record]
    assert kept, f"no {kind} abstract kept"
    if kind != "openalex":  # OpenAlex's sample abstracts are its own words
        assert ABSTRACT in kept[0]
