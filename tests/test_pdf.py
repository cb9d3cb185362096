"""Reading PDFs: reading order, furniture, hyphenation, superscript markers, bad files, and the commands.

The PDFs of tests/data/pdf were made with TeX Live by tests/data/pdf/make.py from a real .bib; their gold
lists (`*.gold.json`) give the printed order and the cited keys."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from refkit.claims.markers import find_markers
from refkit.claims.resolve import Resolver
from refkit.documents import pdf as pdf_reader
from refkit.documents import read_document
from refkit.errors import RefkitError
from refkit.extract import extract_document, extract_references
from tests.cli import run_cli

DATA = Path(__file__).parent / "data" / "pdf"
sys_path_make = DATA / "make.py"
HEADER = "Signals of selection in maize (a test document)"


def gold(name: str) -> dict:
    return json.loads((DATA / f"{name}.gold.json").read_text(encoding="utf-8"))


def sentences() -> list[str]:
    """The sentences the test documents were written from (make.py's SENTENCES)."""
    source = sys_path_make.read_text(encoding="utf-8")
    block = source[source.index("SENTENCES = [") : source.index("]\nPREAMBLE")]
    return ["".join(re.findall(r'"([^"]*)"', item)) for item in block.split(",\n")[:-1] if '"' in item]


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("name", ["two-column", "superscript-natbib", "superscript-cite", "line-numbers"])
def test_the_text_reads_in_order_with_words_whole(name: str) -> None:
    """Every sentence comes out whole (columns in order, hyphenated words joined, no header inside), and the
    sentences of the first paragraph in the order they were written."""
    body = flat(read_document(DATA / f"{name}.pdf").body)
    written = sentences()
    assert len(written) == 12
    for sentence in written:
        assert sentence in body, sentence
    positions = [body.index(sentence) for sentence in written[:4]]
    assert positions == sorted(positions)


def test_running_headers_and_page_numbers_are_dropped() -> None:
    document = read_document(DATA / "two-column.pdf")
    assert max(document.pages) == 3
    text = document.body + "\n" + document.references_text
    assert HEADER not in text
    assert not [block for block in document.body_blocks if block.text.strip().isdigit()]


def test_the_page_of_each_line_and_of_each_reference() -> None:
    document = read_document(DATA / "two-column.pdf")
    assert len(document.pages) == len(document.body_blocks) + 1 + len(document.reference_blocks)
    assert document.page_of(1) == 1 and document.page_of(len(document.pages)) == 3
    references = extract_references(document)
    assert [reference.location.page for reference in references] == sorted(
        reference.location.page for reference in references
    )
    assert {reference.location.page for reference in references} >= {2, 3}
    assert all(reference.location.file == str(DATA / "two-column.pdf") for reference in references)


@pytest.mark.parametrize("name", ["two-column", "superscript-natbib", "superscript-cite", "line-numbers"])
def test_the_list_is_extracted_in_printed_order(name: str) -> None:
    references = extract_document(DATA / f"{name}.pdf")
    printed = gold(name)["references"]
    assert len(references) == len(printed) == 23
    titles = [reference.title.casefold() for reference in references]
    for reference, entry in zip(titles, printed, strict=True):
        assert entry["title"].casefold()[:30] in reference


@pytest.mark.parametrize("name", ["superscript-natbib", "superscript-cite"])
def test_superscript_markers_resolve_to_the_cited_keys(name: str) -> None:
    document = read_document(DATA / f"{name}.pdf")
    references = extract_references(document)
    keys = {reference.key: entry["key"] for reference, entry in zip(references, gold(name)["references"], strict=True)}
    markers = find_markers(document.body)
    assert markers and all(marker.style == "superscript" for marker in markers)
    resolver = Resolver(references)
    found: set[str] = set()
    for marker in markers:
        resolver.resolve(marker)
        found.update(keys[key] for key in marker.keys)
    assert found == set(gold(name)["cited"])


def test_margin_line_numbers_and_footnote_marks_come_off() -> None:
    """lineno's numbers in both outer margins (some read into the line beside them, one between the pieces
    of a line) leave neither digits nor a broken column order; the raised numbers of footnotes are no
    superscript citation markers, their text stays out of the list, and the list's volumes and pages stay."""
    document = read_document(DATA / "line-numbers.pdf")
    lines = [block.text.strip() for block in document.body_blocks + document.reference_blocks if block.text.strip()]
    numbered = [line for line in lines if re.match(r"\d+ [A-Za-z]{2}", line) or re.search(r"[a-z,.] \d+$", line)]
    assert numbered == ["1 Introduction", "2 Results and discussion"]
    assert "the best studied examples [1, 2, 3]. Selective sweeps" in flat(document.body)
    markers = find_markers(document.body)
    assert len(markers) == 24 and {marker.style for marker in markers} == {"numeric"}
    assert document.body.count("A remark of note") == 6 and "A remark" not in document.references_text
    references = extract_references(document)
    assert [(r.volume, r.page) for r in references[:2]] == [("457", "843–848"), ("104", "8641–8648")]


def _lines(text: str, x: float, y: float, size: float = 10.0, raised: str = "") -> list[pdf_reader._Line]:
    """The lines the reader builds from a text's characters; those of `raised` (a suffix or prefix of
    `text`) are set smaller and higher, as TeX sets a superscript."""
    chars = []
    for index, char in enumerate(text):
        up = bool(raised) and (index >= len(text) - len(raised) if text.endswith(raised) else index < len(raised))
        if char != " ":
            chars.append(pdf_reader._Char(char, x, x + 0.5 * size, y + 3 * up, (0.7 if up else 1) * size, False))
        x += 0.5 * size
    return pdf_reader._page_lines(chars, 1, 1000.0)


def _read(*groups: list[pdf_reader._Line]) -> list[pdf_reader._Line]:
    lines = [line for group in groups for line in group]
    pdf_reader._footnotes(lines, 842)
    return lines


def test_raised_numbers_that_are_no_footnotes_stay() -> None:
    """Affiliations numbered under the title, and a list whose labels are raised (AIP), are no footnotes:
    the raised numbers of the text stay superscripts; a footnote's number at the foot comes off."""
    prose = [_lines(f"Line {n} of the text with a marker1", 72, 600 - 12 * n, raised="1") for n in range(30)]
    lines = _read(*prose, _lines("1Department of Plant Sciences", 72, 700, size=8, raised="1"))
    assert [line.text for line in lines[:2]] == [
        "Line 0 of the text with a marker¹",
        "Line 1 of the text with a marker¹",
    ]
    listed = [_lines(f"{n}A. Author, J. Chem. Phys. {n}, 1 (2001)", 72, 300 - 10 * n, 8, str(n)) for n in range(1, 10)]
    lines = _read(*prose, *listed)
    assert lines[0].text.endswith("marker¹") and [line.text for line in lines[-2:]] == [
        "9",
        "A. Author, J. Chem. Phys. 9, 1 (2001)",
    ]
    lines = _read(*prose, _lines("1A remark set at the foot of the page", 72, 100, size=8, raised="1"))
    assert (
        lines[0].text == "Line 0 of the text with a marker" and lines[-1].text == "A remark set at the foot of the page"
    )
    assert lines[-1].footnote and not lines[0].footnote


def test_an_address_at_a_line_end_is_joined_to_its_rest_not_to_the_next_item() -> None:
    """An address cut at the column's edge or at a slash goes on below; a capitalised word below it is the
    next item's first author (ACM lists of one-line items)."""
    lines = [
        *_lines("Agda developers. 2024. Agda documentation. https://agda.readthedocs.io/en/v2.6.4.2/", 72, 700),
        *_lines("Danil Annenkov, Paolo Capriotti, and Nicolai Kraus. 2019. Two-Level Type Theory.", 72, 688),
        *_lines("JuliaIO. JLD2 File Format. https://github.com/", 72, 676),
        *_lines("JuliaIO/JLD2.jl.", 72, 664),
    ]
    pdf_reader._join_hyphenated(lines)
    assert [line.text for line in lines] == [
        "Agda developers. 2024. Agda documentation. https://agda.readthedocs.io/en/v2.6.4.2/",
        "Danil Annenkov, Paolo Capriotti, and Nicolai Kraus. 2019. Two-Level Type Theory.",
        "JuliaIO. JLD2 File Format. https://github.com/JuliaIO/JLD2.jl.",
        "",
    ]


def test_bracketed_ranges_resolve() -> None:
    document = read_document(DATA / "two-column.pdf")
    markers = find_markers(document.body)
    assert any(len(marker.targets) == 3 for marker in markers)  # "[3, 7, 12]" or "[3–5]"
    assert {marker.style for marker in markers} == {"numeric"}


def test_accents_drawn_apart_are_put_back() -> None:
    text = read_document(DATA / "superscript-natbib.pdf").references_text
    assert "Pyhäjärvi" in text  # OT1 fonts draw ¨ over the letter as a glyph of its own


# Bad PDFs: one line, bounded, nothing run


def minimal_pdf(objects: list[bytes], trailer: bytes = b"") -> bytes:
    """A well-formed PDF of the given objects (1 is the catalog), with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer, xref)
    return bytes(out)


PAGE_TREE = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"]


def error_of(path: Path) -> str:
    with pytest.raises(RefkitError) as caught:
        read_document(path)
    message = str(caught.value)
    assert "\n" not in message and message.startswith(str(path))
    return message


def test_a_scan_without_text_needs_ocr(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>"
    drawing = b"0 0 1 rg 100 100 400 600 re f"
    stream = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(drawing), drawing)
    path.write_bytes(minimal_pdf([*PAGE_TREE, page, stream]))
    assert error_of(path).endswith("no text layer: the PDF needs OCR")
    result = run_cli("extract", str(path))
    assert result.returncode == 2
    assert "no text layer: the PDF needs OCR" in result.stderr and "Traceback" not in result.stderr


def test_an_encrypted_pdf_asks_for_its_password(tmp_path: Path) -> None:
    path = tmp_path / "locked.pdf"
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"
    encrypt = b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P -4 >>" % (b"ab" * 32, b"cd" * 32)
    trailer = b"/Encrypt 4 0 R /ID [<0123456789abcdef0123456789abcdef> <0123456789abcdef0123456789abcdef>]"
    path.write_bytes(minimal_pdf([*PAGE_TREE, page, encrypt], trailer))
    assert "encrypted" in error_of(path)


def test_damaged_truncated_and_fake_pdfs(tmp_path: Path) -> None:
    fake = tmp_path / "fake.pdf"
    fake.write_text("not a pdf at all\n", encoding="utf-8")
    assert "not a PDF" in error_of(fake)
    truncated = tmp_path / "truncated.pdf"
    truncated.write_bytes((DATA / "two-column.pdf").read_bytes()[:1500])
    assert "damaged PDF" in error_of(truncated)
    garbage = tmp_path / "garbage.pdf"
    garbage.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40)
    assert "damaged PDF" in error_of(garbage)


def test_page_and_time_limits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_reader, "MAX_PAGES", 2)
    assert "3 pages, more than the 2" in error_of(DATA / "two-column.pdf")
    monkeypatch.setattr(pdf_reader, "MAX_PAGES", 2000)
    monkeypatch.setattr(pdf_reader, "MAX_SECONDS", 0.0)
    assert "reading stopped after" in error_of(DATA / "two-column.pdf")


@pytest.mark.timeout(60)
def test_deep_nesting_and_javascript_are_bounded_and_not_run(tmp_path: Path) -> None:
    """Arrays nested 100,000 deep in a page's resources, and an /OpenAction script: pdfium caps the depth
    (the page reads as empty: no text) and runs no JavaScript without a form environment, which is never
    made. The script would write a file if it ran."""
    path = tmp_path / "hostile.pdf"
    nested = b"[" * 100_000 + b"]" * 100_000
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /X %s >> >>" % nested
    script = b"<< /S /JavaScript /JS (this.exportDataObject({cName: 'x', nLaunch: 2}); app.alert('ran');) >>"
    catalog = b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>"
    path.write_bytes(minimal_pdf([catalog, PAGE_TREE[1], page, script]))
    assert error_of(path).endswith("no text layer: the PDF needs OCR")
    assert sorted(item.name for item in tmp_path.iterdir()) == ["hostile.pdf"]


# The commands on a PDF


def test_extract_a_pdf_to_bibtex(tmp_path: Path) -> None:
    target = tmp_path / "refs.bib"
    result = run_cli("extract", str(DATA / "two-column.pdf"), "-o", str(target))
    assert result.returncode == 0, result.stderr
    text = target.read_text(encoding="utf-8")
    assert text.count("\n@") + text.startswith("@") == 23
    assert "Pyhäjärvi" in text or 'Pyh{\\"a}j{\\"a}rvi' in text


def test_validate_a_pdf_points_at_page_and_item() -> None:
    """Findings on a PDF name the item by its number in the list (as `line`) and say its page."""
    result = run_cli("validate", str(DATA / "superscript-cite.pdf"), "--offline", "--format", "json")
    assert result.returncode == 0, result.stderr  # warnings only: the default --fail-on is error
    findings = json.loads(result.stdout)["findings"]
    truncated = [f for f in findings if f["rule"] == "RK403"]  # "et al." in the printed list
    assert truncated
    for finding in truncated:
        assert finding["file"] == str(DATA / "superscript-cite.pdf")
        page = extract_document(DATA / "superscript-cite.pdf")[finding["line"] - 1].location.page
        assert finding["message"].startswith(f"page {page}, item {finding['line']}: ")


def test_map_a_pdf_with_pages_in_locations() -> None:
    result = run_cli("map", str(DATA / "superscript-cite.pdf"), "--format", "json")
    assert result.returncode == 0, result.stderr
    claims = json.loads(result.stdout)["claims"]
    assert len(claims) == 24 and all(claim["label"] == "cited" for claim in claims)
    assert claims[0]["page"] == 1 and claims[-1]["page"] == 2
    assert claims[0]["markers"][0] == {
        "text": "¹–³",
        "style": "superscript",
        "keys": ["purugganan2009nature", "rossibarra2007plant", "hufford2012comparative"],
        "unresolved": [],
    }
    text = run_cli("map", str(DATA / "superscript-cite.pdf")).stdout
    assert "\np1 L" in text and "\np2 L" in text


def test_acm_bracketed_and_initialled_author_year_markers() -> None:
    """ACM's author–year style: "[Bondorf 1992; Danvy and Nielsen 2001]", "Hofmann [1995]"; a CSL style that
    prints initials first: "(M. H. J. Bollen 2006)"."""
    text = (
        "As shown [Bondorf 1992; Danvy and Nielsen 2001], and by Hofmann [1995] and Smith et al. [2020]; see [12]. "
        "Disturbi (M. H. J. Bollen 2006; R. Dash 2018)."
    )
    found = [(marker.style, [target.value for target in marker.targets]) for marker in find_markers(text)]
    assert found == [
        ("author-year", ["Bondorf 1992", "Danvy & Nielsen 2001"]),
        ("narrative", ["Hofmann 1995"]),
        ("narrative", ["Smith et al. 2020"]),
        ("numeric", ["12"]),
        ("author-year", ["Bollen 2006", "Dash 2018"]),
    ]
