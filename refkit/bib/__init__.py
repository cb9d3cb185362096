"""BibTeX ⇄ Reference through bibtexparser 2.x."""

from refkit.bib.convert import to_reference
from refkit.bib.read import BibEntry, Bibliography, load_bibliography, parse_bibliography
from refkit.bib.write import write_references

__all__ = ["BibEntry", "Bibliography", "load_bibliography", "parse_bibliography", "to_reference", "write_references"]
