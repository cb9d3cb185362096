"""Readers for the public bulk files, each in its published format, streamed as Crossref-schema records.

Every reader yields records shaped like a Crossref `message` (the one record type of refkit.sources), cut to
the fields verification reads, so a mirror of DBLP or arXiv is matched by the same code as Crossref:

- Crossref's public data file: gzipped JSON files, each `{"items": [...]}` of full `message` records;
- DBLP's `dblp.xml(.gz)`: one element per publication, non-ASCII letters written as the named entities of
  `dblp.dtd` (`&uuml;`), which are the HTML/ISO-8859-1 entity names;
- arXiv's OAI metadata snapshot (Kaggle `arxiv-metadata-oai-snapshot.json`): JSON lines, one paper a line;
  its record carries the arXiv DOI (10.48550/arXiv.ID) that DataCite registers for every paper.

A reader reads its file once, front to back, never the whole file into memory.
"""

from __future__ import annotations

import gzip
import html.entities
import io
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any
from xml.etree import ElementTree

from refkit.errors import RefkitError
from refkit.mirrors import fastjson as json
from refkit.sources.base import Record

# The fields of a Crossref record that verification reads (refkit.sources.records); the rest is not kept.
KEPT_FIELDS = (
    "DOI",
    "type",
    "title",
    "subtitle",
    "short-title",
    "author",
    "editor",
    "container-title",
    "short-container-title",
    "issued",
    "published-print",
    "published-online",
    "published",
    "posted",
    "volume",
    "issue",
    "page",
    "article-number",
    "publisher",
    "ISSN",
    "ISBN",
    "update-to",
    "updated-by",
    "relation",
    "subtype",
    "arxiv",
    "dblp",
)


def compact(record: Record) -> Record:
    """The record without what verification never reads (references, licences, links, funders, abstracts)."""
    return {name: record[name] for name in KEPT_FIELDS if name in record and record[name] not in (None, "", [])}


def _open(path: Path) -> IO[bytes]:
    """The file's bytes, decompressed when it is gzipped (by content, not by name)."""
    handle = path.open("rb")
    if handle.read(2) == b"\x1f\x8b":
        handle.seek(0)
        return gzip.GzipFile(fileobj=handle)  # type: ignore[return-value]
    handle.seek(0)
    return handle


# --- Crossref public data file ---------------------------------------------------------------------------


def read_crossref(path: Path) -> Iterator[Record]:
    """Records of one file of Crossref's public data file: `{"items": [...]}` (or one JSON record a line)."""
    with _open(path) as handle:
        data = handle.read()
    for item in _items(data, path):
        if isinstance(item, dict) and item.get("DOI"):
            yield compact(item)


def _items(data: bytes, path: Path) -> list[Any]:
    """The work list of a data file, an API answer, or JSON lines (a snapshot made with the REST API)."""
    try:
        value = json.loads(data)
    except json.JSONDecodeError:
        try:
            return [json.loads(line) for line in data.splitlines() if line.strip()]
        except json.JSONDecodeError as error:
            raise RefkitError(f"{path}: not a Crossref data file (invalid JSON at line {error.lineno})") from None
    if isinstance(value, dict) and isinstance(value.get("message"), dict):
        value = value["message"].get("items", [value["message"]])
    items = value.get("items") if isinstance(value, dict) else value
    if not isinstance(items, list):
        raise RefkitError(f'{path}: not a Crossref data file (no "items" list)')
    return items


# --- DBLP ------------------------------------------------------------------------------------------------

DBLP_TYPES = {
    "article": "journal-article",
    "inproceedings": "proceedings-article",
    "proceedings": "proceedings",
    "book": "book",
    "incollection": "book-chapter",
    "phdthesis": "dissertation",
    "mastersthesis": "dissertation",
    "www": "",  # person pages, not publications
    "data": "dataset",
}
_DOI_IN_URL = re.compile(r"^https?://(?:dx\.)?doi\.org/(10\.\S+)$", re.IGNORECASE)
_TRAILING_NUMBER = re.compile(r"\s+\d{4}$")  # DBLP disambiguates homonyms: "Wei Wang 0001"


def _dblp_parser() -> ElementTree.XMLParser:
    """An XML parser that knows dblp.dtd's entities without reading the DTD (it is not shipped beside the
    dump's excerpts, and expat would not fetch it)."""
    parser = ElementTree.XMLParser()  # the encoding the file declares (dblp.xml: ISO-8859-1)
    parser.entity.update({name: chr(code) for name, code in html.entities.name2codepoint.items()})
    return parser


def _dblp_record(element: ElementTree.Element) -> Record | None:
    kind = DBLP_TYPES.get(element.tag, "")
    heading = element.find("title")
    title = "".join(heading.itertext()).strip() if heading is not None else ""
    if not kind or not title:
        return None
    record: Record = {"type": kind, "title": [title.rstrip(".")], "dblp": element.get("key", "")}
    people = [_dblp_name(person.text or "") for person in element.iter("author")]
    if people:
        record["author"] = people
    editors = [_dblp_name(person.text or "") for person in element.iter("editor")]
    if editors:
        record["editor"] = editors
    venue = element.findtext("journal") or element.findtext("booktitle")
    if venue:
        record["container-title"] = [venue]
    year = element.findtext("year")
    if year and year.isdigit():
        record["issued"] = {"date-parts": [[int(year)]]}
    for tag, name in (("volume", "volume"), ("number", "issue"), ("pages", "page"), ("publisher", "publisher")):
        value = element.findtext(tag)
        if value:
            record[name] = value
    for link in element.iter("ee"):
        found = _DOI_IN_URL.match((link.text or "").strip())
        if found:
            record["DOI"] = found.group(1)
            break
    isbns = [isbn.text for isbn in element.iter("isbn") if isbn.text]
    if isbns:
        record["ISBN"] = isbns
    return record


def _dblp_name(name: str) -> dict[str, str]:
    """ "M. Tamer Özsu" → given "M. Tamer", family "Özsu" (DBLP writes names in one piece, family last)."""
    name = _TRAILING_NUMBER.sub("", name.strip())
    given, _, family = name.rpartition(" ")
    return {"given": given, "family": family} if given else {"family": family}


def read_dblp(path: Path) -> Iterator[Record]:
    """Publications of a `dblp.xml(.gz)`, parsed incrementally; each element is freed once read."""
    with _open(path) as handle:
        yield from _read_dblp_stream(handle, path)


def _read_dblp_stream(handle: IO[bytes], path: Path) -> Iterator[Record]:
    parser = _dblp_parser()
    depth = 0
    try:
        for event, element in ElementTree.iterparse(handle, events=("start", "end"), parser=parser):
            if event == "start":
                depth += 1
                continue
            depth -= 1
            if depth == 1:  # a publication, a child of <dblp>
                record = _dblp_record(element)
                element.clear()
                if record is not None:
                    yield record
    except ElementTree.ParseError as error:
        raise RefkitError(f"{path}: not DBLP XML ({error})") from None


# --- arXiv OAI metadata snapshot -------------------------------------------------------------------------


_VERSION = re.compile(r"v\d+$")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def arxiv_doi(identifier: str) -> str:
    """The DOI DataCite registers for an arXiv paper: 10.48550/arXiv.2104.12255 (no version)."""
    return "10.48550/arXiv." + _VERSION.sub("", identifier)


def _arxiv_record(paper: dict[str, Any]) -> Record | None:
    identifier = str(paper.get("id") or "").strip()
    title = " ".join(str(paper.get("title") or "").split())
    if not identifier or not title:
        return None
    record: Record = {"DOI": arxiv_doi(identifier), "arxiv": identifier, "type": "posted-content", "title": [title]}
    names = paper.get("authors_parsed") or []
    record["author"] = [_arxiv_name(name) for name in names if isinstance(name, list) and name and name[0]]
    versions = paper.get("versions") or []
    created = versions[0].get("created", "") if versions and isinstance(versions[0], dict) else ""
    year = _YEAR.search(created)
    if year:
        record["posted"] = record["issued"] = {"date-parts": [[int(year.group(0))]]}
    if paper.get("doi"):  # the journal version's DOI, when the author gave one
        record["relation"] = {"is-preprint-of": [{"id-type": "doi", "id": str(paper["doi"]).split()[0]}]}
    return record


def _arxiv_name(parsed: list[str]) -> dict[str, str]:
    """`authors_parsed` gives [family, given, suffix]: "Jr." stays with the given names."""
    given = f"{parsed[1]} {parsed[2]}".strip() if len(parsed) > 2 else (parsed[1] if len(parsed) > 1 else "")
    return {"given": given, "family": parsed[0]}


def read_arxiv(path: Path) -> Iterator[Record]:
    """Papers of an arXiv OAI metadata snapshot (JSON lines)."""
    with _open(path) as handle:
        for number, line in enumerate(io.TextIOWrapper(handle, encoding="utf-8"), start=1):
            if not line.strip():
                continue
            try:
                paper = json.loads(line)
            except json.JSONDecodeError:
                raise RefkitError(f"{path}: not an arXiv metadata snapshot (invalid JSON at line {number})") from None
            record = _arxiv_record(paper) if isinstance(paper, dict) else None
            if record is not None:
                yield record


# --- which reader --------------------------------------------------------------------------------------

READERS: dict[str, Callable[[Path], Iterator[Record]]] = {
    "crossref": read_crossref,
    "dblp": read_dblp,
    "arxiv": read_arxiv,
}


def detect(path: Path) -> str:
    """The format of a bulk file, from its first bytes: XML is DBLP, a JSON object with "items" (or a list)
    is Crossref, JSON lines with an "id" and "authors_parsed" are arXiv."""
    with _open(path) as handle:
        head = handle.read(4096).decode("utf-8", errors="replace").lstrip()
    if head.startswith("<"):
        return "dblp"
    first_line = head.split("\n", 1)[0]
    if first_line.startswith("{") and '"authors_parsed"' in head and '"items"' not in first_line[:200]:
        return "arxiv"
    if head.startswith(("{", "[")):
        return "crossref"
    raise RefkitError(f"{path}: not a Crossref, DBLP or arXiv bulk file")


BULK_SUFFIXES = (".json", ".json.gz", ".jsonl", ".jsonl.gz", ".xml", ".xml.gz")


def bulk_files(paths: list[Path]) -> list[Path]:
    """The files named, folders expanded to the data files in them (sorted, so a build is repeatable)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                child for child in sorted(path.rglob("*")) if child.is_file() and child.name.endswith(BULK_SUFFIXES)
            )
        elif path.is_file():
            found.append(path)
        else:
            raise RefkitError(f"{path}: no such file or folder")
    return found
