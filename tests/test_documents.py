"""Reading documents of every format into body + reference section (refkit.documents)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from refkit.documents import detect_format, parse_document, read_document
from refkit.documents.sections import heading_name
from refkit.errors import RefkitError
from tests.conftest import shared_file

MARKDOWN = """\
# Coastal erosion after dredging

Dredging changes how sand moves [1].

## Methods

We surveyed 12 beaches.

## References

1. Abara, T. (2015). Sand budgets. Coastal Science, 4(2), 10-20.
2. Brunn, K. (2018). Dune loss. Marine Geology, 402, 1-9.

## Appendix A

Survey sheets.
"""


def test_markdown_heading_splits_body_and_section() -> None:
    document = parse_document(MARKDOWN, "markdown")
    assert document.heading == "References"
    assert document.heading_line == 9
    assert document.references_start_line == 10
    assert "Abara" in document.references_text and "Brunn" in document.references_text
    assert "Survey sheets" not in document.references_text  # the appendix ends the section
    assert document.body.splitlines()[0] == "Coastal erosion after dredging"  # headings kept as lines
    assert "Dredging changes how sand moves [1]." in document.body
    assert document.body_lines[:3] == (1, 2, 3)


@pytest.mark.parametrize(
    "heading",
    [
        "References:",
        "BIBLIOGRAPHY",
        "Works Cited",
        "**Literature Cited**",
        "7. References",
        "VII. Notes and References",
        "Sources",
    ],
)
def test_plain_line_headings_in_any_case(heading: str) -> None:
    text = f"Some prose.\n\n{heading}\n\nAbara, T. (2015). Sand budgets. Coastal Science, 4, 10-20.\n"
    document = parse_document(text, "text")
    assert document.has_references
    assert document.references_text.strip().startswith("Abara")


def test_setext_heading() -> None:
    document = parse_document("Intro\n=====\n\ntext\n\nReferences\n----------\n\nA. Ref 2001.\n", "markdown")
    assert document.heading == "References" and document.references_text.strip() == "A. Ref 2001."


def test_last_matching_heading_wins_over_a_table_of_contents() -> None:
    text = "Contents\nReferences\n\nBody text.\n\nReferences\n\nA. Real reference, 2001.\n"
    document = parse_document(text, "text")
    assert document.heading_line == 6
    assert "Body text." in document.body


def test_no_reference_section() -> None:
    document = parse_document("# Thoughts\n\nJust prose here.\n", "markdown")
    assert not document.has_references
    assert document.references_start_line is None
    assert "Just prose here." in document.body


def test_custom_section_name() -> None:
    text = "Prose.\n\nReading list\n\nAbara, T. (2015). Sand budgets.\n"
    assert not parse_document(text).has_references
    document = parse_document(text, section="reading list")
    assert document.references_text.strip() == "Abara, T. (2015). Sand budgets."


def test_heading_names_ignore_markup_and_numbering() -> None:
    assert heading_name("## 5. References:") == "references"
    assert heading_name("**Works Cited**") == "works cited"
    assert heading_name("x" * 200) == ""


HTML = """<!doctype html>
<html><head><title>References</title><script>document.write("<h2>References</h2>")</script>
<style>h2 { color: red }</style></head>
<body>
<h1>Tide pools</h1>
<p>Tide pools hold many species &amp; are fragile.</p>
<script>fetch("https://example.org/steal")</script>
<h2>References</h2>
<ol>
  <li>Chen, L. (2012). <em>Rock pools</em>. Ocean Press.</li>
  <li>Dube, S., &amp; Ek, M. (2020). Limpet grazing.
      <a href="https://doi.org/10.1000/xyz">Marine Ecology</a>, 7, 1-5.</li>
</ol>
<h2>About the author</h2><p>Someone.</p>
</body></html>
"""


def test_html_items_text_only_no_scripts() -> None:
    document = parse_document(HTML, "html")
    assert document.heading == "References"
    items = [block for block in document.reference_blocks if block.kind == "item"]
    assert [block.text for block in items] == [
        "Chen, L. (2012). Rock pools. Ocean Press.",
        "Dube, S., & Ek, M. (2020). Limpet grazing. Marine Ecology, 7, 1-5.",
    ]
    assert items[0].line == 10
    assert "fetch" not in document.body and "document.write" not in document.body
    assert "Tide pools hold many species & are fragile." in document.body
    assert "Someone" not in document.references_text


LATEX = r"""\documentclass{article}
\begin{document}
\section{Introduction}
Gravel beaches recover slowly~\cite{abara2015,brunn2018}. % a comment with References
\section*{References}
\begin{thebibliography}{9}
\bibitem{abara2015} T.~Abara, \newblock {\em Sand budgets of gravel beaches},
  \newblock Coastal Science \textbf{4} (2015) 10--20.
\bibitem[Brunn(2018)]{brunn2018} K.~Brunn and J.~M{\"u}ller. Dune loss. \emph{Marine Geology}, 402:1--9, 2018.
\end{thebibliography}
\end{document}
"""


def test_latex_thebibliography() -> None:
    document = parse_document(LATEX, "latex")
    items = [block for block in document.reference_blocks if block.kind == "item"]
    assert [block.line for block in items] == [7, 9]
    assert items[0].text == "T. Abara, Sand budgets of gravel beaches, Coastal Science 4 (2015) 10–20."
    assert items[1].text == "K. Brunn and J. Müller. Dune loss. Marine Geology, 402:1–9, 2018."
    assert "Gravel beaches recover slowly [abara2015, brunn2018]." in document.body
    assert "comment" not in document.body


def test_latex_bibitem_text_on_the_lines_after_it() -> None:
    """The layout BibTeX writes into .bbl files (and many templates use): `\\bibitem{key}` alone on its line."""
    document = parse_document(
        "\\begin{thebibliography}{2}\n\\providecommand{\\url}[1]{#1}\n\\bibitem{abara2015}\n"
        "T.~Abara.\n\\newblock Sand budgets.\n\\bibitem[Brunn(2018)]{brunn2018}\n"
        "K.~Brunn. Dune loss. 2018.\n\\end{thebibliography}\n",
        "latex",
    )
    assert [(block.line, block.text, block.key) for block in document.reference_blocks] == [
        (3, "T. Abara. Sand budgets.", "abara2015"),
        (6, "K. Brunn. Dune loss. 2018.", "brunn2018"),
    ]


def test_latex_nocite_leaves_no_citation_point() -> None:
    """\\nocite lists a work without citing it: the body must not gain a marker `map` would count."""
    document = parse_document(
        "Dunes move inland~\\citep[see][p.~4]{brunn2018}.\n\\nocite{abara2015, chen2012}\n", "latex"
    )
    assert document.body.strip() == "Dunes move inland [brunn2018]."


def _docx(path: Path, paragraphs: list[tuple[str, str]]) -> Path:
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = "".join(
        f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>'
        if style
        else f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"
        for style, text in paragraphs
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", f'<w:document xmlns:w="{w}"><w:body>{body}</w:body></w:document>')
    return path


def test_docx_paragraphs_and_heading_styles(tmp_path: Path) -> None:
    path = _docx(
        tmp_path / "paper.docx",
        [
            ("Heading1", "Results"),
            ("", "Yields rose."),
            ("Heading1", "Bibliography"),
            ("", "Abara, T. (2015). Sand budgets."),
            ("ListParagraph", "Brunn, K. (2018). Dune loss."),
        ],
    )
    document = read_document(path)
    assert document.format == "docx" and document.heading == "Bibliography"
    assert document.references_text.splitlines() == ["Abara, T. (2015). Sand budgets.", "Brunn, K. (2018). Dune loss."]
    assert "Yields rose." in document.body


def test_broken_docx_is_a_clean_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.docx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(RefkitError, match=r"not a readable \.docx"):
        read_document(path)


def test_binary_and_missing_files_are_clean_errors(tmp_path: Path) -> None:
    binary = tmp_path / "image.txt"
    binary.write_bytes(bytes(range(256)) * 10)
    with pytest.raises(RefkitError, match="binary"):
        read_document(binary)
    with pytest.raises(RefkitError, match="no such document"):
        read_document(tmp_path / "missing.md")


def test_formats_from_extensions() -> None:
    assert [detect_format(name) for name in ("a.md", "b.TEX", "c.htm", "d.docx", "e.txt", "f.unknown")] == [
        "markdown",
        "latex",
        "html",
        "docx",
        "text",
        "text",
    ]


def test_sample_document() -> None:
    document = read_document(shared_file("samples", "imatinib-blog.txt"))
    assert document.heading == "References:"
    assert document.references_text.count("\n\n") >= 9
    assert document.body_start_line == 1
    assert len(document.body.split("\n")) == len(document.body_lines) == document.heading_line - 1


def test_markdown_markup_is_removed_from_the_reference_section_only() -> None:
    text = (
        "Body with *emphasis* kept.\n\n## References\n\n"
        "1. Abara, T. (2015). Sand budgets. *Coastal Science*, *4*(2), 10-20. "
        "[doi:10.1000/sand.42](https://doi.org/10.1000/sand.42)\n"
        "2. Brunn, K. (2018). **Dune** loss. _Marine Geology_, 402, 1-9. <https://example.org/dunes_2018>\n"
    )
    document = parse_document(text, "markdown")
    assert "*emphasis*" in document.body
    assert document.references_text.splitlines()[1] == (
        "1. Abara, T. (2015). Sand budgets. Coastal Science, 4(2), 10-20. doi:10.1000/sand.42 "
        "https://doi.org/10.1000/sand.42"
    )
    assert document.references_text.splitlines()[2] == (
        "2. Brunn, K. (2018). Dune loss. Marine Geology, 402, 1-9. https://example.org/dunes_2018"
    )


def test_latex_links_keep_text_and_address() -> None:
    document = parse_document(
        "\\begin{thebibliography}{1}\n\\bibitem{a} A. Abara, \\href{https://x.org/s}{Sand}, "
        "\\url{https://y.org/t}.\n\\end{thebibliography}\n",
        "latex",
    )
    assert document.reference_blocks[0].text == "A. Abara, Sand https://x.org/s, https://y.org/t."


def test_enormous_documents_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import refkit.documents

    monkeypatch.setattr(refkit.documents, "MAX_DOCUMENT_BYTES", 1024)
    path = tmp_path / "big.md"
    path.write_text("References\n\n" + "A. Abara, Sand, 2001.\n" * 100, encoding="utf-8")
    with pytest.raises(RefkitError, match="larger than"):
        read_document(path)


CITEPROC_HTML = """<html><body><h1>Notes on dunes</h1><p>Dunes move [1].</p>
<div id="refs" class="references csl-bib-body" role="list">
<div id="ref-abara2015" class="csl-entry" role="listitem">
<div class="csl-left-margin">[1] </div><div class="csl-right-inline">T. Abara, <span>“Sand budgets,”</span>
<em>Coastal Science</em>, vol. 4, no. 2, pp. 10–20, 2015.</div>
</div>
<div id="ref-brunn2018" class="csl-entry" role="listitem">
Brunn, K. (2018). Dune loss. <em>Marine Geology</em>, <em>402</em>, 1–9.
</div>
</div></body></html>"""


def test_citeproc_html_without_a_heading() -> None:
    document = parse_document(CITEPROC_HTML, "html")
    assert document.has_references and "Dunes move [1]." in document.body
    assert [block.text for block in document.reference_blocks] == [
        "[1] T. Abara, “Sand budgets,” Coastal Science, vol. 4, no. 2, pp. 10–20, 2015.",
        "Brunn, K. (2018). Dune loss. Marine Geology, 402, 1–9.",
    ]


def test_unclosed_list_items() -> None:
    document = parse_document(
        "<h2>References</h2><ol><li>A. Abara, Sand, 2015.<li>K. Brunn, Dunes, 2018.</ol><p>Written in 2020.</p>", "html"
    )
    assert [(block.kind, block.text) for block in document.reference_blocks] == [
        ("item", "A. Abara, Sand, 2015."),
        ("item", "K. Brunn, Dunes, 2018."),
        ("text", "Written in 2020."),
    ]


def test_notes_are_read_only_when_there_is_no_reference_heading() -> None:
    notes = (
        "Colonial maps outlived the empires that drew them.1\n\nNotes\n\n"
        "1. Lucas Ferreira, “The Afterlife of Colonial Maps,” Imago Mundi 71, no. 2 (2019): 160–75.\n"
    )
    assert parse_document(notes).heading == "Notes"
    both = notes + "\nBibliography\n\nFerreira, Lucas. “The Afterlife of Colonial Maps.” Imago Mundi 71 (2019).\n"
    assert parse_document(both).heading == "Bibliography"


def test_a_truncated_pdf_is_a_one_line_error(tmp_path: Path) -> None:
    path = tmp_path / "paper.pdf"
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    with pytest.raises(RefkitError, match="damaged PDF"):
        read_document(path)
