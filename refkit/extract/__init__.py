"""From a reference list in free text to References with citation keys.

section ──split──▶ reference strings ──parse (identifiers, tagger, cleaners)──▶ [Reference] ──keys──▶
"""

from __future__ import annotations

import itertools
import re
from dataclasses import replace
from pathlib import Path

from refkit.documents import Document, detect_format, parse_document, read_document
from refkit.documents.blocks import text_blocks
from refkit.documents.plain import markdown_inline
from refkit.errors import RefkitError
from refkit.extract.keys import DEFAULT_KEY_PATTERN, assign_keys, make_key, validate_pattern
from refkit.extract.parse import parse_reference
from refkit.extract.split import Item, split_items
from refkit.extract.structure import apply_marked, entry_reference
from refkit.files import read_text
from refkit.model import Location, Reference

_BIBLIOGRAPHY_COMMAND_RE = re.compile(
    r"^[^%\n]*\\(?:bibliography|addbibresource)\s*(?:\[[^\]]*\])?\s*\{([^{}]*)\}", re.MULTILINE
)
# `bibliography: refs.bib` or `bibliography: [a.bib, b.bib]` / a YAML list, in Markdown front matter
_YAML_BIBLIOGRAPHY_RE = re.compile(r"^bibliography:[ \t]*(.*(?:\n[ \t]+-[ \t]*.+)*)", re.MULTILINE)
# A note that repeats an earlier one ("Ibid., 52.") cites nothing new.
_REPEAT_NOTE_RE = re.compile(r"^(?:ibid|ibidem|id|idem|op\.\s*cit|loc\.\s*cit)\b\.?", re.IGNORECASE)
# The article's history that ACM and other journals print below the list: "Received 2024-02-28; accepted 2024-06-18".
_HISTORY_RE = re.compile(r"^(?:received|submitted)\b.{0,80}?\b(?:revised|accepted|published)\b", re.IGNORECASE)
# "———. 2019, MNRAS …": the authors of the item before (BibTeX styles such as AASTeX's print a rule for them).
_SAME_AUTHORS_RE = re.compile(r"^\s*(?:[—–]{1,3}|-{2,6}|_{2,8})\s*[.,]")


class NoReferenceSection(RefkitError):
    """The document has no heading that names a reference list (or none named as the user asked)."""


def extract_references(
    source: str | Document, *, key_pattern: str = DEFAULT_KEY_PATTERN, document_keys: bool = False
) -> list[Reference]:
    """Parse a Document's reference section, or a text: its section under a reference heading if it has
    one, else the whole text as a list. Locations point into the document or text (1-based lines). Keys
    follow `key_pattern`; with `document_keys`, a reference the document gives a key of its own (LaTeX
    `\\bibitem{key}`) keeps that key, so the document's own citations resolve to it."""
    validate_pattern(key_pattern)
    if isinstance(source, str):
        document = parse_document(source)
        source = document if document.has_references else Document(None, "text", [], text_blocks(source.splitlines()))
    items = [
        item
        for item in split_items(source.reference_blocks)
        if not _REPEAT_NOTE_RE.match(item.text)
        and not _HISTORY_RE.match(item.text)
        and markdown_inline(item.text).strip()  # `<div id="refs">`: no item
    ]
    parsed = [_item_reference(item, source.path) for item in items]
    for previous, reference in itertools.pairwise(parsed):
        written = "".join(name.family + name.given + name.literal for name in reference.authors)
        if _SAME_AUTHORS_RE.match(reference.raw) and not any(char.isalpha() for char in written):
            reference.authors, reference.authors_truncated = list(previous.authors), previous.authors_truncated
    references = assign_keys(parsed, key_pattern)
    if source.pages:
        for reference in references:
            reference.location = replace(reference.location, page=source.page_of(reference.location.line))
    if document_keys:
        for item, reference in zip(items, references, strict=True):
            if item.key:
                reference.key = item.key
                reference.location = replace(reference.location, key=item.key)
    return references


def _item_reference(item: Item, path: str | None) -> Reference:
    """One item as a Reference: a whole entry the format wrote out is read as such; otherwise the string is
    tagged and whatever fields the format marked replace the tagger's guesses."""
    location = Location(file=path, line=item.line)
    if any(name == "entrytype" for name, _ in item.fields):
        return entry_reference(item.fields, item.key, item.text, location)
    return apply_marked(parse_reference(item.text, file=path, line=item.line), item.fields)


def latex_bibliography_files(path: str | Path) -> list[str]:
    """The .bib files a LaTeX document takes its references from, if it does."""
    names = _BIBLIOGRAPHY_COMMAND_RE.findall(read_text(path, what="document"))
    return [
        name.strip() if name.strip().endswith(".bib") else name.strip() + ".bib"
        for group in names
        for name in group.split(",")
        if name.strip()
    ]


def _front_matter_bibliographies(path: str | Path) -> list[str]:
    """The bibliography files a pandoc Markdown / R Markdown / Quarto header names."""
    text = read_text(path, what="document")
    if not text.startswith("---"):
        return []
    end = text.find("\n---", 3)
    found = _YAML_BIBLIOGRAPHY_RE.search(text[: end if end > 0 else len(text)])
    if not found:
        return []
    return [name.strip(" \t'\"") for name in re.split(r"[,\n\[\]]|\s-\s", found.group(1)) if name.strip(" \t'\"-")]


def named_bibliographies(path: str | Path) -> list[Path]:
    """The .bib files a document takes its references from (LaTeX's `\\bibliography`/`\\addbibresource`,
    pandoc's `bibliography:` in the front matter), beside the document. One that is missing is an error: R
    Markdown often names a .bib it builds only when it renders the document."""
    format = detect_format(path)
    if format == "latex":
        names = latex_bibliography_files(path)
    elif format == "markdown":
        names = _front_matter_bibliographies(path)
    else:
        return []
    named = [Path(path).parent / name for name in dict.fromkeys(names) if name.endswith(".bib")]
    missing = [bib for bib in named if not bib.is_file()]
    if missing:
        raise RefkitError(
            f"{missing[0]}: no such BibTeX file (named by {path}; if it is made when the document is rendered, "
            "give the .bib files it is made from)"
        )
    return named


def extract_document(
    path: str | Path, *, section: str | None = None, key_pattern: str = DEFAULT_KEY_PATTERN, document_keys: bool = True
) -> list[Reference]:
    """Read a document, find its reference section and parse it; NoReferenceSection when there is none.
    LaTeX `\\bibitem{key}` keys are kept unless `document_keys` is off (see extract_references)."""
    validate_pattern(key_pattern)
    document = read_document(path, section=section)
    if not document.has_references:
        if section:
            raise NoReferenceSection(f"{path}: no heading '{section}' found; check the spelling given to --section")
        bib_files = latex_bibliography_files(path) if document.format == "latex" else []
        if document.format == "markdown" and _front_matter_bibliographies(path):
            raise NoReferenceSection(
                f"{path}: the reference list is made by pandoc from "
                f"{', '.join(_front_matter_bibliographies(path))} (bibliography: in the front matter): check "
                "that file with `refkit validate`, or extract from the rendered document"
            )
        if bib_files:
            raise NoReferenceSection(
                f"{path}: the references are in {', '.join(bib_files)} (\\bibliography or "
                "\\addbibresource): check that file with `refkit validate`"
            )
        raise NoReferenceSection(
            f"{path}: no reference section found (looked for headings such as References, "
            "Bibliography, Works Cited); name its heading with --section TEXT"
        )
    if document.format == "markdown" and not document.references_text.strip():
        bib_files = _front_matter_bibliographies(path)
        if bib_files:  # pandoc fills the section (`::: {#refs}`) from these when it renders the document
            raise NoReferenceSection(
                f"{path}: the reference list is made by pandoc from {', '.join(bib_files)} (bibliography: in "
                "the front matter): check that file with `refkit validate`, or extract from the rendered document"
            )
    return extract_references(document, key_pattern=key_pattern, document_keys=document_keys)


__all__ = [
    "DEFAULT_KEY_PATTERN",
    "Item",
    "NoReferenceSection",
    "extract_document",
    "extract_references",
    "latex_bibliography_files",
    "make_key",
    "named_bibliographies",
    "parse_reference",
    "split_items",
]
