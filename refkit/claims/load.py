"""The I/O edge of `refkit map`: read the document and its references, then map."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from refkit.bib import load_bibliography, to_reference
from refkit.claims.abstracts import add_abstracts
from refkit.claims.cues import WEIGHTS, Weights
from refkit.claims.labels import Calibration
from refkit.claims.mapping import TOP, map_claims
from refkit.claims.model import ClaimMap, Thresholds
from refkit.documents import Document, read_document
from refkit.errors import RefkitError
from refkit.extract import extract_references, named_bibliographies
from refkit.model import Reference
from refkit.sources.snapshot import SnapshotSource


def read_references(path: str | Path) -> list[Reference]:
    """The entries of a .bib file, in file order (the order numeric markers count in)."""
    return [to_reference(entry, str(path)) for entry in load_bibliography(path).entries]


def _document_references(path: str | Path, document: Document) -> list[Reference]:
    """The document's own reference list, or else the .bib files it names (LaTeX's `\\bibliography`, pandoc's
    `bibliography:`), as `refkit validate` reads them."""
    references = extract_references(document, document_keys=True) if document.has_references else []
    if references:  # \cite{key} names a \bibitem{key}
        return references
    named = named_bibliographies(path)
    if not named:
        raise RefkitError(f"{path}: no reference list found in the document; give the references with --bib BIB")
    return [reference for bib in named for reference in read_references(bib)]


def map_document(
    path: str | Path,
    bib: str | Path | None = None,
    *,
    ranker: str = "lexical",
    thresholds: Thresholds | None = None,
    snapshot: Sequence[str | Path] = (),
    top: int = TOP,
    weights: Weights = WEIGHTS,
    calibration: Calibration | None = None,
) -> ClaimMap:
    """Map a document's claims to its references: those of `bib`, or else its own reference list. With
    `snapshot` (local Crossref records), references without an abstract get the record's one."""
    document = read_document(path)
    if bib is not None:
        references = read_references(bib)
        if not references:  # every claim would come out unsupported, which would look like an answer
            raise RefkitError(f"{bib}: no BibTeX entries found to map the claims to")
    else:
        references = _document_references(path, document)
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
        top=top,
        weights=weights,
        calibration=calibration,
    )
    for sentence in claim_map.sentences:
        sentence.page = document.page_of(sentence.line)
    return claim_map
