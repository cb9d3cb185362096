"""refkit: keep the references of a document honest.

The library behind the `refkit` command; each command is one call here:

    import refkit
    report = refkit.validate("references.bib")               # findings + per-entry evidence
    references = refkit.extract_document("paper.md")          # free-text reference list → References
    text = refkit.export(references, "csl-json")
    claim_map = refkit.map_document("paper.md")               # claims → supporting references
"""

__version__ = "0.1.0"

# The functions below share their names with their modules (refkit.validate, refkit.export, refkit.enrich):
# importing them here, eagerly, makes `refkit.validate` the function, as users expect.
from refkit.bib import load_bibliography, parse_bibliography, to_reference, write_references
from refkit.claims import map_document
from refkit.claims.mapping import map_claims
from refkit.config import Settings, load_settings
from refkit.documents import read_document
from refkit.enrich import enrich
from refkit.errors import RefkitError
from refkit.export import export
from refkit.extract import extract_document, extract_references
from refkit.model import Evidence, Finding, Name, Reference, Severity, Status
from refkit.validate import validate, validate_bibliography

__all__ = [
    "Evidence",
    "Finding",
    "Name",
    "Reference",
    "RefkitError",
    "Settings",
    "Severity",
    "Status",
    "__version__",
    "enrich",
    "export",
    "extract_document",
    "extract_references",
    "load_bibliography",
    "load_settings",
    "map_claims",
    "map_document",
    "parse_bibliography",
    "read_document",
    "to_reference",
    "validate",
    "validate_bibliography",
    "write_references",
]  # fmt: skip
