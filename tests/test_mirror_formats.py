"""The bulk-file readers on samples in each real published format (tests/data/mirrors, see SOURCES.md)."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from refkit.errors import RefkitError
from refkit.mirrors.formats import bulk_files, detect, records

SAMPLES = Path(__file__).parent / "data" / "mirrors"


def test_each_sample_is_recognised_by_its_content() -> None:
    kinds = {path.name: detect(path) for path in bulk_files([SAMPLES])}
    assert kinds == {
        "arxiv-metadata-oai-snapshot.json": "arxiv",
        "0.json.gz": "crossref",
        "1.json.gz": "crossref",
        "dblp.xml.gz": "dblp",
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


@pytest.mark.parametrize(
    ("kind", "content", "message"),
    [
        ("crossref", b'{"items": [', "not a Crossref data file"),
        ("dblp", b"<dblp><article><title>x</title>", "not DBLP XML"),
        ("arxiv", b'{"id": "1"}\n{oops\n', "invalid JSON at line 2"),
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
