"""Remake the excerpts in tests/data/shared from ../shared (see tests/data/SOURCES.md): python -m tests.data.excerpt

An excerpt keeps the original bytes of what it keeps: a file's header (comments, @string and @preamble blocks)
and whole entries cut at block boundaries, so byte-preservation tests still read the original text.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import bibtexparser
from bibtexparser.model import Block, Entry

from tests.conftest import ROOT

SHARED = ROOT.parent / "shared"
VENDORED = Path(__file__).parent / "shared"

COPIED = [  # unchanged copies of small files
    "data/bibtex/biblatex-examples.bib",
    "data/csl/csl-data.json",
    "data/crossref/index.json",
    "data/crossref/work_10.1038_srep16696.json",
    "data/crossref/work_10.1371_notarealdoi.404.txt",
    "data/crossref/works_sample200.400.json",
    "data/crossref/work_10.1371_journal.pone.0033693_query.author.400.json",
    "data/crossref/work_10.1371_journal.pone.0033693.json",
    "data/crossref/work_10.1109_icdcsw.2003.1203662.json",
    "data/crossref/work_10.3892_ijo_00000353.json",
    "data/api-responses/openalex/bvitamins_W2741809807.json",
    "data/api-responses/pubmed/biopython_efetch_pubmed_11748933_11700088.xml",
    "data/api-responses/pubmed/biopython_epost_invalid_id_error.xml",
    "data/api-responses/pubmed/biopython_esearch_notfound_abcXYZ.xml",
    "data/api-responses/pubmed/biopython_esearch_pubmed_biopython.xml",
    "data/api-responses/pubmed/biopython_esummary_error_no_id.xml",
    "data/api-responses/pubmed/findpapers_esearch_pubmed_json.json",
    "data/api-responses/semanticscholar/test_bad_query_parameters.yaml",
    "data/api-responses/semanticscholar/test_debug.yaml",
    "data/api-responses/semanticscholar/test_empty_paginated_results.yaml",
    "data/api-responses/semanticscholar/test_get_papers_return_not_found.yaml",
    "data/api-responses/semanticscholar/test_not_found.yaml",
    "data/api-responses/semanticscholar/test_search_paper_match_title.yaml",
]
TRICKY = "data/bibtex/tricky-bibtexparser-v1"
# Records the tests look up by DOI, kept whatever the sampling picks.
RECORDS_KEPT = {"10.1007/s12195-021-00671-2", "10.1371/annotation/53374aad-bc04-4c64-b313-8ff9b881d0da"}
RECORDS = 120


def block_key(block: Block) -> str | None:
    """An entry's key, also for an entry that failed to parse (a repeated field): bibtexparser keeps its key
    on the entry it would have made."""
    return getattr(block, "key", None) or getattr(getattr(block, "ignore_error_block", None), "key", None)


def block_offsets(text: str, blocks: list[Block]) -> list[int]:
    """Where each block's text starts (found from its raw text: bibtexparser's line numbers drift in some
    files)."""
    offsets, position = [], 0
    for block in blocks:
        position = text.index(block.raw, position)
        offsets.append(position)
        position += len(block.raw)
    return offsets


def excerpt_bibtex(text: str, first: int, also: frozenset[str] = frozenset()) -> str:
    """The header, the first `first` entries, the blocks whose keys are in `also` (parsed or failed), and the
    entries the kept ones cross-reference."""
    library = bibtexparser.parse_string(text)
    blocks = library.blocks
    starts = [*block_offsets(text, blocks), len(text)]
    entries = [index for index, block in enumerate(blocks) if isinstance(block, Entry)]
    kept = set(entries[:first])
    kept |= {index for index, block in enumerate(blocks) if block_key(block) in also}
    parents = {
        blocks[index].fields_dict["crossref"].value.lower()
        for index in kept
        if isinstance(blocks[index], Entry) and "crossref" in blocks[index].fields_dict
    }
    kept |= {index for index in entries if blocks[index].key.lower() in parents}
    return text[: starts[entries[0]]] + "".join(text[starts[index] : starts[index + 1]] for index in sorted(kept))


def excerpt_records(path: Path) -> str:
    """RECORDS records with a title of three words or more and no abstract (abstracts can carry a publisher's
    copyright; bibliographic facts are free to reuse), spread over the file, plus RECORDS_KEPT."""
    lines = path.read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    eligible = [
        index
        for index, record in enumerate(records)
        if "abstract" not in record and len(((record.get("title") or [""])[0]).split()) >= 3
    ]
    step = len(eligible) / RECORDS
    chosen = {eligible[int(n * step)] for n in range(RECORDS)}
    chosen |= {index for index, record in enumerate(records) if record["DOI"] in RECORDS_KEPT}
    return "".join(lines[index] + "\n" for index in sorted(chosen))


def without_abstracts(path: Path) -> str:
    """A recorded list answer with its items' abstracts removed (publisher copyright), otherwise as recorded."""
    answer = json.loads(path.read_bytes())
    for item in answer["message"]["items"]:
        item.pop("abstract", None)
    return json.dumps(answer, ensure_ascii=False)


def main() -> None:
    for name in COPIED:
        (VENDORED / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(SHARED / name, VENDORED / name)
    (VENDORED / TRICKY).mkdir(parents=True, exist_ok=True)
    for path in (SHARED / TRICKY).glob("*.bib"):
        shutil.copyfile(path, VENDORED / TRICKY / path.name)
    bibtex = SHARED / "data" / "bibtex"
    tugboat = bibtex.joinpath("tugboat.bib").read_text(encoding="utf-8")
    # The two blocks that repeat a field (they fail to parse): real-world messiness the lint rules report.
    messy = frozenset({"Anonymous:TB10-3-445", "Anonymous:TB10-3-461"})
    (VENDORED / "data/bibtex/tugboat.bib").write_text(excerpt_bibtex(tugboat, 150, messy), encoding="utf-8")
    texbook = bibtex.joinpath("texbook3.bib").read_text(encoding="utf-8")
    (VENDORED / "data/bibtex/texbook3.bib").write_text(excerpt_bibtex(texbook, 150), encoding="utf-8")
    records = VENDORED / "data/crossref-records/works.jsonl"
    records.parent.mkdir(parents=True, exist_ok=True)
    records.write_text(excerpt_records(SHARED / "data/crossref-records/works.jsonl"), encoding="utf-8")
    rows = "data/crossref/works_query_ecology_rows2.json"
    (VENDORED / rows).write_text(without_abstracts(SHARED / rows), encoding="utf-8")


if __name__ == "__main__":
    main()
