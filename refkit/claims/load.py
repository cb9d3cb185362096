"""The I/O edge of `refkit map`: read the document and its references, then map."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from refkit.bib import load_bibliography, to_reference
from refkit.claims.abstracts import add_abstracts
from refkit.claims.mapping import map_claims
from refkit.claims.model import ClaimMap, Thresholds
from refkit.documents import read_document
from refkit.errors import RefkitError
from refkit.extract import extract_references
from refkit.model import Reference
from refkit.sources.snapshot import SnapshotSource


def read_references(path: str | Path) -> list[Reference]:
    """The entries of a .bib file, in file order (the order numeric markers count in)."""
    return [to_reference(entry, str(path)) for entry in load_bibliography(path).entries]


def map_document(
    path: str | Path,
    bib: str | Path | None = None,
    *,
    ranker: str = "lexical",
    thresholds: Thresholds | None = None,
    snapshot: Sequence[str | Path] = (),
) -> ClaimMap:
    """Map a document's claims to its references: those of `bib`, or else its own reference list. With
    `snapshot` (local Crossref records), references without an abstract get the record's one."""
    document = read_document(path)
    if bib is not None:
        references = read_references(bib)
        if not references:  # every claim would come out unsupported, which would look like an answer
            raise RefkitError(f"{bib}: no BibTeX entries found to map the claims to")
    elif document.has_references:
        references = extract_references(document, document_keys=True)  # \cite{key} names a \bibitem{key}
    else:
        raise RefkitError(f"{path}: no reference list found in the document; give the references with --bib BIB")
    if snapshot:
        references, _ = add_abstracts(references, SnapshotSource(snapshot))
    claim_map = map_claims(
        document.body,
        references,
        ranker=ranker,
        body_start_line=document.body_start_line,
        body_lines=document.body_lines,
        body_starts=document.body_starts,
        thresholds=thresholds,
    )
    for sentence in claim_map.sentences:
        sentence.page = document.page_of(sentence.line)
    return claim_map
