"""Readers for the public bulk files, each in its published format, streamed as rows of the mirror's index.

Every reader yields `Row`s whose record is shaped like a Crossref `message` (the one record type of
refkit.sources), cut to the fields verification reads, so a mirror of DBLP, arXiv, OpenAlex or PubMed is
matched by the same code as Crossref:

- Crossref's public data file: gzipped JSON files, each `{"items": [...]}` of full `message` records;
- DBLP's `dblp.xml(.gz)`: one element per publication, non-ASCII letters written as the named entities of
  `dblp.dtd` (`&uuml;`), which are the HTML/ISO-8859-1 entity names;
- arXiv's OAI metadata snapshot (Kaggle `arxiv-metadata-oai-snapshot.json`): JSON lines, one paper a line;
  its record carries the arXiv DOI (10.48550/arXiv.ID) that DataCite registers for every paper;
- OpenAlex's works snapshot (`works/updated_date=…/part_000.gz`): gzipped JSON lines, one work a line, as
  the API gives it (abstracts as inverted indexes, which the mirror does not keep);
- PubMed's baseline and update files (`pubmed25n0001.xml.gz`): a `PubmedArticleSet` of `PubmedArticle`s,
  and in the update files `DeleteCitation`s, read as rows that delete (`deletion`).

A reader reads its file once, front to back, never the whole file into memory (a Crossref data file, a few
megabytes, is parsed whole). Crossref's files, by far the largest dump, are read without building a Python
object per field: msgspec decodes only the kept fields, as raw JSON, and writes them back as the stored record
(about 8 µs a record, where a full parse with orjson or json cost 40-290 µs; docs/decisions.md).
"""

from __future__ import annotations

import html.entities
import io
import re
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any, NamedTuple, cast
from xml.etree import ElementTree

import msgspec

try:  # zlib-ng (`pip install refkit-check[mirror]`) inflates gzip 1.7 times as fast as zlib (mirror_build.py)
    from zlib_ng import gzip_ng as gzip
    from zlib_ng import zlib_ng as zlib
except ImportError:  # pragma: no cover - the standard library's, just slower
    import gzip  # type: ignore[no-redef]
    import zlib  # type: ignore[no-redef]
from refkit.errors import RefkitError
from refkit.model import Reference
from refkit.sources.arxiv import base_id
from refkit.sources.base import Notice, Record
from refkit.sources.records import CROSSREF_TO_CSL, as_list
from refkit.text import normalize_doi

_DAMAGED = (OSError, EOFError, cast(type[Exception], zlib.error))  # a gzip file cut short, or bad deflate data


class Row(NamedTuple):
    """One work as the index stores it: its identifiers (normalised), the title text the title index
    tokenises, and the record as JSON."""

    doi: str | None
    arxiv: str | None
    pmid: str | None
    title: str
    record: bytes


def title_text(record: Record) -> str:
    """The title and subtitle the title index holds for a record."""
    return " ".join(str(part) for part in (*as_list(record.get("title")), *as_list(record.get("subtitle"))))


def row(record: Record) -> Row:
    """A record built by a reader (DBLP, arXiv, OpenAlex, PubMed) as a row of the index."""
    doi = normalize_doi(str(record.get("DOI") or "")) or None
    arxiv, pmid = record.get("arxiv"), record.get("pmid")
    return Row(doi, str(arxiv) if arxiv else None, str(pmid) if pmid else None, title_text(record), encode(record))


def deletion(pmid: str) -> Row:
    """A row that removes rather than adds: PubMed's DeleteCitation of a PMID (a row without a record)."""
    return Row(None, None, pmid, "", b"")


encode = msgspec.json.Encoder().encode
decode = msgspec.json.Decoder().decode


def _open(path: Path) -> IO[bytes]:
    """The file's bytes, decompressed when it is gzipped (by content, not by name)."""
    handle = path.open("rb")
    if handle.read(2) == b"\x1f\x8b":
        handle.seek(0)
        # a large buffer: line by line, a gzip file's own reader was 1.6 times as slow
        return io.BufferedReader(gzip.GzipFile(fileobj=handle), buffer_size=1 << 20)
    handle.seek(0)
    return handle


# --- Crossref public data file ---------------------------------------------------------------------------

# A Crossref work cut to the fields verification reads (refkit.sources.records): each left as the raw JSON it
# is in the file, but for the DOI and titles (read for the index's columns) and the people, cut to their names
# (affiliations and ORCID iDs were 40% of a stored record). Decoding skips every other field without building
# it, and encoding writes back only the fields the work has (omit_defaults).
_RAW = msgspec.Raw()


class _Person(msgspec.Struct, omit_defaults=True, gc=False):
    given: msgspec.Raw = _RAW
    family: msgspec.Raw = _RAW
    name: msgspec.Raw = _RAW
    suffix: msgspec.Raw = _RAW


def _hyphenated(name: str) -> str:
    return name.replace("_", "-")


class _Work(msgspec.Struct, omit_defaults=True, gc=False, rename=_hyphenated):
    DOI: str | None = None
    type: msgspec.Raw = _RAW
    title: list[str] | str | None = None
    subtitle: list[str] | str | None = None
    short_title: msgspec.Raw = _RAW
    author: list[_Person] | None = None
    editor: list[_Person] | None = None
    container_title: msgspec.Raw = _RAW
    short_container_title: msgspec.Raw = _RAW
    issued: msgspec.Raw = _RAW
    published_print: msgspec.Raw = _RAW
    published_online: msgspec.Raw = _RAW
    published: msgspec.Raw = _RAW
    posted: msgspec.Raw = _RAW
    volume: msgspec.Raw = _RAW
    issue: msgspec.Raw = _RAW
    page: msgspec.Raw = _RAW
    article_number: msgspec.Raw = _RAW
    publisher: msgspec.Raw = _RAW
    ISSN: msgspec.Raw = _RAW
    ISBN: msgspec.Raw = _RAW
    update_to: msgspec.Raw = _RAW
    updated_by: msgspec.Raw = _RAW
    relation: msgspec.Raw = _RAW
    subtype: msgspec.Raw = _RAW


class _WorkWithAbstract(_Work, omit_defaults=True, gc=False):
    """A work with its abstract (JATS markup, as Crossref gives it), for mirrors that keep abstracts."""

    abstract: msgspec.Raw = _RAW


class _Works(msgspec.Struct):
    items: list[_Work] | None = None
    message: msgspec.Raw = _RAW


class _WorksWithAbstracts(msgspec.Struct):
    items: list[_WorkWithAbstract] | None = None
    message: msgspec.Raw = _RAW


class _CrossrefDecoders(NamedTuple):
    file: Callable[[bytes], Any]
    works: Callable[[bytes], Sequence[_Work]]
    work: Callable[[bytes], _Work]


_Decoder = msgspec.json.Decoder
_CROSSREF_DECODERS = {  # by whether abstracts are kept
    False: _CrossrefDecoders(_Decoder(_Works).decode, _Decoder(list[_Work]).decode, _Decoder(_Work).decode),
    True: _CrossrefDecoders(
        _Decoder(_WorksWithAbstracts).decode,
        _Decoder(list[_WorkWithAbstract]).decode,
        _Decoder(_WorkWithAbstract).decode,
    ),
}
_encode_work = msgspec.json.Encoder().encode


def read_crossref(path: Path, abstracts: bool = False) -> Iterator[Row]:
    """Works of one file of Crossref's public data file: `{"items": [...]}` (or an API answer, a JSON list,
    or one JSON record a line, as snapshots made with the REST API are)."""
    data = path.read_bytes()
    try:
        works = _works(gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data, _CROSSREF_DECODERS[abstracts])
    except msgspec.DecodeError as error:
        raise RefkitError(f"{path}: not a Crossref data file ({error})") from None
    kept = [work for work in works if work.DOI]
    for work, record in zip(kept, map(_encode_work, kept), strict=True):  # map: encoded in one C loop
        yield Row(_bare_doi(str(work.DOI)), None, None, _title(work), record)


# every DOI of a dump is new: normalize_doi's cache would only miss
_bare_doi = normalize_doi.__wrapped__


def _title(work: _Work) -> str:
    """The title and subtitle, joined (title_text's, without building a list per record)."""
    title, subtitle = work.title, work.subtitle
    text = " ".join(title) if isinstance(title, list) else (title or "")
    if subtitle:
        after = " ".join(subtitle) if isinstance(subtitle, list) else subtitle
        text = f"{text} {after}" if text else after
    return text


def _works(data: bytes, decoders: _CrossrefDecoders) -> Sequence[_Work]:
    """The work list of a data file, an API answer (one work or a page of them), a list, or JSON lines."""
    head = data.lstrip()[:1]
    if head == b"[":
        return decoders.works(data)
    try:
        found = decoders.file(data)
    except msgspec.DecodeError:
        if b"\n" not in data.strip():
            raise
        return [decoders.work(line) for line in data.splitlines() if line.strip()]
    if found.items is not None:
        return cast(list[_Work], found.items)
    if found.message:
        inner = decoders.file(found.message)
        return inner.items if inner.items is not None else [decoders.work(found.message)]
    raise msgspec.DecodeError('no "items" list')


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


def read_dblp(path: Path, abstracts: bool = False) -> Iterator[Row]:
    """Publications of a `dblp.xml(.gz)`, parsed incrementally; each element is freed once read (DBLP has
    no abstracts)."""
    for element in _elements(path, "DBLP XML", _dblp_parser()):
        record = _dblp_record(element)
        if record is not None:
            yield row(record)


def _elements(path: Path, what: str, parser: ElementTree.XMLParser | None = None) -> Iterator[ElementTree.Element]:
    """The children of an XML file's root element, one at a time, each cleared once the caller is done."""
    depth = 0
    root = None
    with _open(path) as handle:
        try:
            for event, element in ElementTree.iterparse(handle, events=("start", "end"), parser=parser):
                if event == "start":
                    root = element if root is None else root
                    depth += 1
                    continue
                depth -= 1
                if depth == 1 and root is not None:  # a publication, a child of the root
                    yield element
                    root.clear()  # the child read, and the root no longer holds it (nor any before it)
        except ElementTree.ParseError as error:
            raise RefkitError(f"{path}: not {what} ({error})") from None


def _json_lines(path: Path, what: str) -> Iterator[dict[str, Any]]:
    """The JSON objects of a JSON-lines file, one a line; a damaged line stops the file with its number."""
    with _open(path) as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                value = decode(line)
            except msgspec.DecodeError:
                raise RefkitError(f"{path}: not {what} (invalid JSON at line {number})") from None
            if isinstance(value, dict):
                yield value


# --- arXiv OAI metadata snapshot -------------------------------------------------------------------------


_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def arxiv_doi(identifier: str) -> str:
    """The DOI DataCite registers for an arXiv paper: 10.48550/arXiv.2104.12255 (no version)."""
    return "10.48550/arXiv." + base_id(identifier)


def _arxiv_record(paper: dict[str, Any], abstracts: bool) -> Record | None:
    identifier = base_id(str(paper.get("id") or "").strip())
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
    if abstracts and paper.get("abstract"):
        record["abstract"] = " ".join(str(paper["abstract"]).split())
    return record


def _arxiv_name(parsed: list[str]) -> dict[str, str]:
    """`authors_parsed` gives [family, given, suffix]: "Jr." stays with the given names."""
    given = f"{parsed[1]} {parsed[2]}".strip() if len(parsed) > 2 else (parsed[1] if len(parsed) > 1 else "")
    return {"given": given, "family": parsed[0]}


def read_arxiv(path: Path, abstracts: bool = False) -> Iterator[Row]:
    """Papers of an arXiv OAI metadata snapshot (JSON lines)."""
    for paper in _json_lines(path, "an arXiv metadata snapshot"):
        record = _arxiv_record(paper, abstracts)
        if record is not None:
            yield row(record)


# --- OpenAlex works snapshot and PubMed baseline: through the sources' own readers ----------------------

# The Crossref type of each CSL type (the inverse of records.CROSSREF_TO_CSL: the first Crossref type of each).
CSL_TO_CROSSREF = {csl: crossref for crossref, csl in reversed(CROSSREF_TO_CSL.items())}


def crossref_shape(reference: Reference, notices: list[Notice], abstracts: bool = False) -> Record:
    """A Reference read by one of refkit's sources as a Crossref-schema record (what records.to_reference
    reads back), with its PMID, its retraction and correction notices as `updated-by`, and its abstract when
    asked for."""
    record: Record = {"type": CSL_TO_CROSSREF.get(reference.type, "other"), "title": [reference.title]}
    fields = {
        "DOI": reference.doi,
        "pmid": reference.pmid,
        "volume": reference.volume,
        "issue": reference.issue,
        "page": reference.page,
        "publisher": reference.publisher,
        "container-title": [reference.container_title] if reference.container_title else [],
        "short-container-title": [reference.container_title_short] if reference.container_title_short else [],
        "ISSN": list(reference.issn),
        "ISBN": [reference.isbn] if reference.isbn else [],
        "author": [_person(name.family, name.given, name.literal) for name in reference.authors],
        "updated-by": [
            {"type": notice.kind, "DOI": notice.doi, "label": notice.label, "source": notice.source}
            for notice in notices
        ],
        "abstract": reference.abstract if abstracts else "",
    }
    record.update((name, value) for name, value in fields.items() if value)
    if reference.year:
        date = [reference.year, *([reference.month] if reference.month else [])]
        date += [reference.day] if reference.month and reference.day else []
        record["issued"] = {"date-parts": [date]}
    return record


def _person(family: str, given: str, literal: str) -> dict[str, str]:
    if not family:
        return {"name": literal}
    return {"given": given, "family": family} if given else {"family": family}


class _OpenAlexWork(msgspec.Struct, gc=False):
    """The fields of an OpenAlex work that refkit.sources.openalex reads; the rest of a work (its abstract,
    concepts, topics, locations, referenced works: most of its bytes) is skipped unread."""

    id: Any = None
    doi: Any = None
    title: Any = None
    display_name: Any = None
    type: Any = None
    publication_year: Any = None
    publication_date: Any = None
    ids: Any = None
    primary_location: Any = None
    biblio: Any = None
    authorships: Any = None
    is_retracted: Any = None


class _OpenAlexWorkWithAbstract(_OpenAlexWork, gc=False):
    abstract_inverted_index: Any = None


_OPENALEX_DECODERS = {
    False: msgspec.json.Decoder(_OpenAlexWork).decode,
    True: msgspec.json.Decoder(_OpenAlexWorkWithAbstract).decode,
}


def read_openalex(path: Path, abstracts: bool = False) -> Iterator[Row]:
    """Works of one part of OpenAlex's works snapshot (gzipped JSON lines of API work objects)."""
    from refkit.sources import openalex

    decode_work = _OPENALEX_DECODERS[abstracts]
    with _open(path) as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                work = msgspec.structs.asdict(decode_work(line))
            except msgspec.DecodeError:
                raise RefkitError(f"{path}: not an OpenAlex works snapshot (invalid JSON at line {number})") from None
            if work["title"] or work["display_name"]:
                yield row(crossref_shape(openalex.to_reference(work), openalex.notices(work), abstracts))


def read_pubmed(path: Path, abstracts: bool = False) -> Iterator[Row]:
    """Articles of a PubMed baseline or update file (`PubmedArticleSet`), element by element."""
    from refkit.sources import pubmed

    for element in _elements(path, "PubMed XML"):
        if element.tag == "DeleteCitation":  # of the update files: PMIDs withdrawn since
            yield from (deletion(pmid.text.strip()) for pmid in element.iter("PMID") if pmid.text and pmid.text.strip())
            continue
        if element.tag != "PubmedArticle":
            continue
        try:
            reference = pubmed.to_reference(element)
        except pubmed.MalformedAnswer as error:
            raise RefkitError(f"{path}: not PubMed XML ({error})") from None
        if reference.title and reference.pmid:
            yield row(crossref_shape(reference, pubmed.notices(element), abstracts))


# --- which reader --------------------------------------------------------------------------------------

READERS: dict[str, Callable[[Path, bool], Iterator[Row]]] = {
    "crossref": read_crossref,
    "dblp": read_dblp,
    "arxiv": read_arxiv,
    "openalex": read_openalex,
    "pubmed": read_pubmed,
}


def read(kind: str, path: Path, abstracts: bool = False) -> Iterator[Row]:
    """The rows of a bulk file of the given format, abstracts kept when asked; a file cut short or damaged
    is one clear error."""
    try:
        yield from READERS[kind](path, abstracts)
    except _DAMAGED as error:
        raise RefkitError(f"{path}: cannot be read to the end ({error})") from None


def records(kind: str, path: Path, abstracts: bool = False) -> Iterator[Record]:
    """The records a reader makes of a file, as the mirror stores them."""
    for each in read(kind, path, abstracts):
        if each.record:  # not a deletion
            yield decode(each.record)


def detect(path: Path) -> str:
    """The format of a bulk file, from its first bytes: XML is PubMed's when its root is a PubmedArticleSet,
    else DBLP's; a JSON object with "items" (or a list) is Crossref; JSON lines are arXiv's when they carry
    "authors_parsed", OpenAlex's when their id is an OpenAlex work's."""
    try:
        with _open(path) as handle:
            head = handle.read(4096).decode("utf-8", errors="replace").lstrip()
    except _DAMAGED as error:
        raise RefkitError(f"{path}: cannot be read ({error})") from None
    if head.startswith("<"):
        return "pubmed" if "<PubmedArticleSet" in head or "DOCTYPE PubmedArticleSet" in head else "dblp"
    first_line = head.split("\n", 1)[0]
    if first_line.startswith("{") and '"items"' not in first_line[:200]:
        if '"authors_parsed"' in head:
            return "arxiv"
        if re.match(r'\{\s*"id"\s*:\s*"https://openalex\.org/W', first_line):
            return "openalex"
    if head.startswith(("{", "[")):
        return "crossref"
    raise RefkitError(f"{path}: not a Crossref, DBLP, arXiv, OpenAlex or PubMed bulk file")


BULK_SUFFIXES = (".json", ".json.gz", ".jsonl", ".jsonl.gz", ".xml", ".xml.gz", ".gz")


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
