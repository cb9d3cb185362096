"""Body → blocks → sentences: the splitter must survive scientific prose and keep file lines right."""

from __future__ import annotations

import zipfile
from collections.abc import Callable

import pytest

from refkit.claims import map_document
from refkit.claims.sentences import item_text_start, line_index, sentence_spans, split_blocks
from tests.growth import assert_linear


def sentences(text: str) -> list[str]:
    return [text[start:end] for start, end in sentence_spans(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "Druker et al. showed a benefit. The trial ran for five years.",
            ["Druker et al. showed a benefit.", "The trial ran for five years."],
        ),
        (
            "Some kinases, e.g. KIT and PDGFRA, are mutated. Imatinib blocks them.",
            ["Some kinases, e.g. KIT and PDGFRA, are mutated.", "Imatinib blocks them."],
        ),
        (
            "Imatinib vs. Interferon was the comparison. It won.",
            ["Imatinib vs. Interferon was the comparison.", "It won."],
        ),
        (
            "The hazard ratio was 0.43 in the trial. Survival was 89.4 percent.",
            ["The hazard ratio was 0.43 in the trial.", "Survival was 89.4 percent."],
        ),
        (
            "The trial was led by B. J. Druker in Portland. It enrolled 1106 patients.",
            ["The trial was led by B. J. Druker in Portland.", "It enrolled 1106 patients."],
        ),
        (
            "Remission lasted (see Fig. 2) for years. Relapse was rare.",
            ["Remission lasted (see Fig. 2) for years.", "Relapse was rare."],
        ),
        (
            "Responses were deep.[3] Most patients stayed in remission.¹² Why? Nobody knows!",
            ["Responses were deep.[3]", "Most patients stayed in remission.¹²", "Why?", "Nobody knows!"],
        ),
        (
            "Responses were deep.[3; 5] Relapse was rare.[2—4] Cost fell.^1,2^ Dosing varied.[^n1] It ended.",
            [
                "Responses were deep.[3; 5]",
                "Relapse was rare.[2—4]",
                "Cost fell.^1,2^",
                "Dosing varied.[^n1]",
                "It ended.",
            ],
        ),  # every marker the finder knows stays with the sentence it closes
        (
            "It works (Mahon et al. 2010; Etienne et al. 2017). Next sentence.",
            ["It works (Mahon et al. 2010; Etienne et al. 2017).", "Next sentence."],
        ),
        ("He said “it works.” Then he left.", ["He said “it works.”", "Then he left."]),
        ("No final stop here", ["No final stop here"]),
        (
            "Tsai et al (Ref. [16]) measured it as in Refs. [20,21]. Next sentence.",
            ["Tsai et al (Ref. [16]) measured it as in Refs. [20,21].", "Next sentence."],
        ),
    ],
)
def test_sentence_splitting(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_blocks_separate_headings_items_footnotes_and_boilerplate() -> None:
    body = (
        "Knowledge\n\n2024-09-02 10:24:31\n\nImatinib blocks BCR-ABL. It was approved in 2001.\n"
        "A second line of the same paragraph.\n\nChronic Myeloid Leukemia (CML):\n\n"
        "Several factors matter to patients:\n\n1. Disease response: good responders may stop.\n"
        "   continued item text.\n2. Side effects: some patients need dose changes.\n\n"
        "[^1]: Druker BJ, N Engl J Med 2006.\n\n"
        "Questions? Please contact sales@example.com for details.\n"
    )
    blocks = split_blocks(body, line_index(body))
    assert [(block.kind, block.line) for block in blocks] == [
        ("heading", 1),
        ("boilerplate", 3),
        ("paragraph", 5),
        ("heading", 8),
        ("paragraph", 10),
        ("item", 12),
        ("item", 14),
        ("footnote", 16),
        ("boilerplate", 18),
    ]
    assert blocks[5].text.endswith("continued item text.")
    assert blocks[5].text[item_text_start(blocks[5].text) :].startswith("Disease response")


def test_question_line_in_sentence_case_is_not_a_heading() -> None:
    body = "What types of cancer does it treat?\n\nHow Does It Work in Practice?\n"
    kinds = [block.kind for block in split_blocks(body, line_index(body))]
    assert kinds == ["paragraph", "heading"]


@pytest.mark.parametrize(
    "line", ["Imatinib cut deaths by 40%.[1]", "Imatinib cut deaths by 40%.¹²", "Imatinib cut deaths by 40%.[^n1]"]
)
def test_a_one_line_paragraph_ending_in_a_marker_after_its_stop_is_not_a_heading(line: str) -> None:
    assert [block.kind for block in split_blocks(line, line_index(line))] == ["paragraph"]


def test_markdown_and_latex_headings_and_commands() -> None:
    body = "## Results\n\\section{Methods}\n\\begin{document}\n% a comment\nText here.\n"
    kinds = [block.kind for block in split_blocks(body, line_index(body))]
    assert kinds == ["heading", "heading", "boilerplate", "boilerplate", "paragraph"]


def test_line_index_counts_from_the_first_line_or_follows_the_readers_map() -> None:
    body = "one\ntwo\nthree"
    assert [line_index(body, 10)(offset) for offset in (0, 4, 8)] == [10, 11, 12]
    assert [line_index(body, 1, (3, 7, 20))(offset) for offset in (0, 4, 8)] == [3, 7, 20]


@pytest.mark.parametrize(
    ("name", "text"),
    [
        (
            "paper.md",
            "# Grazing\n## Why Limpets Matter.\nLimpets cut algal cover by 40% on exposed shores [1].\n\n"
            "## References\n1. Ek M. Limpet grazing. Mar Ecol. 2020;7:1-5.\n",
        ),
        (
            "paper.html",
            "<h1>Grazing</h1>\n<h2>Why Limpets Matter.</h2>\n<p>Limpets cut algal cover by 40% on exposed "
            "shores [1].</p>\n<h2>References</h2><ol><li>Ek M. Limpet grazing. Mar Ecol. 2020;7:1-5.</li>"
            "</ol>\n",
        ),
        (
            "paper.tex",
            "\\section{Grazing}\n\\subsection{Why Limpets Matter.}\nLimpets cut algal cover by 40\\% on exposed "
            "shores [1].\n\\begin{thebibliography}{1}\n\\bibitem{ek} Ek M. Limpet grazing. Mar Ecol. "
            "2020;7:1-5.\n\\end{thebibliography}\n",
        ),
    ],
)
def test_a_heading_the_reader_found_is_not_read_into_the_paragraph_under_it(tmp_path, name: str, text: str) -> None:
    document = tmp_path / name
    document.write_text(text, encoding="utf-8")
    claim_map = map_document(document)
    assert [(sentence.line, sentence.text) for sentence in claim_map.sentences] == [
        (3, "Limpets cut algal cover by 40% on exposed shores [1].")
    ]


def test_list_items_and_paragraphs_the_reader_delimited_stay_apart(tmp_path) -> None:
    """HTML and Word give no blank line between paragraphs, and list items often end without a full stop."""
    html = tmp_path / "findings.html"
    html.write_text(
        "<h2>Findings</h2><ul><li>Limpets cut algal cover by 40%</li><li>Barnacles doubled in number"
        "</li></ul><p>Grazing pressure fell after 2010.</p><p>Cover recovered within a year.</p>\n"
        "<h2>References</h2><ol><li>Ek M. Limpet grazing. Mar Ecol. 2020;7:1-5.</li></ol>\n",
        encoding="utf-8",
    )
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    bullet = "<w:pPr><w:numPr/></w:pPr>"
    paragraphs = [
        (bullet, "Limpets cut algal cover by 40%"),
        (bullet, "Barnacles doubled in number"),
        ("", "References"),
        ("", "Ek M. Limpet grazing. Mar Ecol. 2020;7:1-5."),
    ]
    docx = tmp_path / "findings.docx"
    with zipfile.ZipFile(docx, "w") as archive:
        archive.writestr(
            "word/document.xml",
            f'<w:document xmlns:w="{w}"><w:body>'
            + "".join(f"<w:p>{style}<w:r><w:t>{text}</w:t></w:r></w:p>" for style, text in paragraphs)
            + "</w:body></w:document>",
        )
    assert [sentence.text for sentence in map_document(html).sentences] == [
        "Limpets cut algal cover by 40%",
        "Barnacles doubled in number",
        "Grazing pressure fell after 2010.",
        "Cover recovered within a year.",
    ]
    assert [(sentence.line, sentence.text) for sentence in map_document(docx).sentences] == [
        (1, "Limpets cut algal cover by 40%"),
        (2, "Barnacles doubled in number"),
    ]


@pytest.mark.parametrize(
    "make_text",
    [
        lambda n: "Contents" + "." * n + " see page five",  # a leader of dots
        lambda n: "Signed by " + "A. " * n + "and others",  # a run of initials, each stop checked for an abbreviation
        lambda n: "Checksum " + "f" * n + " noted",  # one very long word, searched for an e-mail address
    ],
    ids=["leader", "initials", "long-word"],
)
def test_long_paragraphs_are_split_in_linear_time(make_text: Callable[[int], str]) -> None:
    """The quadratic patterns took 5 s and more on 20,000 characters."""
    assert_linear(lambda text: split_blocks(text, line_index(text)), make_text, 5000)
    assert len(assert_linear(sentence_spans, make_text, 5000)) <= 2
