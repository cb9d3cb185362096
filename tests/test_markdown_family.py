"""pandoc Markdown, R Markdown and Quarto: what is not prose is not read as prose; pandoc's citation syntax
is read, its cross-references are not."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from refkit.claims.markers import find_markers
from refkit.claims.resolve import Resolver, footnote_definitions
from refkit.documents import detect_format, parse_document, read_document
from refkit.extract import NoReferenceSection, extract_document
from refkit.model import Name, Reference

DATA = Path(__file__).parent / "data" / "docs"
RMD = DATA / "repro-tutorial-excerpt.Rmd"

QUARTO = """---
title: "Maps"
author:
  - name: Ana Silva
    email: ana.silva@example.org
bibliography: refs.bib
---

As @smith2020 showed, the map in @fig-map agrees [@jones2019; @lee2018, p. 3; -@kim2021].
See @tbl-counts and @sec-methods, and [@eq-model] for the model.

```{python}
#| label: fig-map
plot(x)  # @not2020 a citation
```

~~~
@also2020 inside tildes
~~~

# References {.unnumbered}

::: {#refs}
:::
"""


def _keys(text: str) -> list[str]:
    return [target.value for marker in find_markers(text) for target in marker.targets]


@pytest.mark.parametrize("name", ["paper.Rmd", "paper.rmd", "paper.qmd"])
def test_r_markdown_and_quarto_are_markdown(name: str) -> None:
    assert detect_format(name) == "markdown"


def test_front_matter_and_code_chunks_are_not_prose() -> None:
    document = read_document(RMD)
    assert "peikert@mpib-berlin.mpg.de" not in document.body  # an author's e-mail is no claim
    assert "automate_load_packages" not in document.body and "library(repro)" not in document.body
    assert "obtain identical results" in document.body
    line = "A more extensive treatment of these tools is given in @Peikert2019."
    assert document.body_lines[document.body.splitlines().index(line)] == 129


def test_pandoc_citations_in_text_and_brackets() -> None:
    document = read_document(RMD)
    assert _keys(document.body) == ["Peikert2019", "Peikert2019"]
    body = parse_document(QUARTO, "markdown").body
    assert _keys(body) == ["smith2020", "jones2019", "lee2018", "kim2021"]


def test_quarto_cross_references_and_code_are_not_citations() -> None:
    keys = _keys(parse_document(QUARTO, "markdown").body)
    assert not {"fig-map", "tbl-counts", "sec-methods", "eq-model", "not2020", "also2020"} & set(keys)


def test_an_empty_refs_div_is_no_reference_list(tmp_path: Path) -> None:
    path = tmp_path / "maps.qmd"
    path.write_text(QUARTO, encoding="utf-8")
    with pytest.raises(NoReferenceSection, match=r"refs\.bib"):
        extract_document(path)


def test_heading_attributes_do_not_hide_the_reference_heading() -> None:
    text = "Text.\n\n# References {#refs .unnumbered}\n\nSmith J. A title. Nature. 2020;1:2.\n"
    document = parse_document(text, "markdown")
    assert document.has_references and document.heading == "References"


_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_DOCUMENT = f"""<w:document {_W}><w:body>
<w:p><w:r><w:t>Imatinib kept most patients in remission for five years.</w:t></w:r>
<w:r><w:footnoteReference w:id="1"/></w:r></w:p>
<w:p><w:r><w:t>Nothing is cited here.</w:t></w:r></w:p>
</w:body></w:document>"""
_FOOTNOTES = f"""<w:footnotes {_W}>
<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>
<w:footnote w:id="1"><w:p><w:r><w:t>Druker BJ, Guilhot F, O'Brien SG, et al. Five-year follow-up of patients
receiving imatinib for chronic myeloid leukemia. N Engl J Med. 2006;355:2408-17.</w:t></w:r></w:p></w:footnote>
</w:footnotes>"""


def test_docx_footnote_citations_are_read(tmp_path: Path) -> None:
    path = tmp_path / "notes.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", _DOCUMENT)
        archive.writestr("word/footnotes.xml", _FOOTNOTES)
    body = read_document(path).body
    lines = body.splitlines()
    assert lines[0].endswith("five years.[^1]")
    assert lines[1].startswith("[^1]: Druker BJ") and "separator" not in body
    [marker] = find_markers(body.splitlines()[0])
    druker = Reference(key="druker2006five", authors=[Name(family="Druker", given="B. J.")], year=2006)
    resolver = Resolver([druker], footnote_definitions(lines[1:2]))
    resolver.resolve(marker)
    assert marker.keys == ["druker2006five"]


def _citeproc_docx(path: Path, style: str, references: list[tuple[str, str]]) -> Path:
    """A Word file as pandoc's citeproc writes one: each reference a `style` paragraph after a `ref-KEY`
    bookmark (the runs' XML given as is)."""
    body = "".join(
        f'<w:bookmarkStart w:id="{index}" w:name="ref-{key}"/><w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>'
        f'{runs}</w:p><w:bookmarkEnd w:id="{index}"/>'
        for index, (key, runs) in enumerate(references)
    )
    heading = '<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>References</w:t></w:r></w:p>'
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", f"<w:document {_W}><w:body>{heading}{body}</w:body></w:document>")
    return path


def _run(text: str, mark: str = "") -> str:
    properties = f"<w:rPr><w:{mark}/></w:rPr>" if mark else ""
    return f'<w:r>{properties}<w:t xml:space="preserve">{text}</w:t></w:r>'


def test_manubot_word_references_keep_their_keys_and_marked_fields(tmp_path: Path) -> None:
    """Manubot's Word output (greenelab/iscb-diversity-manuscript): number, bold title, authors, italic
    venue; read as fields, not guessed (field micro-F1 on the corpus's Manubot .docx 0.03 → 0.91)."""
    runs = (
        _run("1.")
        + _run(" ")
        + _run("The Diversity–Innovation Paradox in Science", "b")
        + _run(" ")
        + _run("Bas Hofstra, Vivek V Kulkarni, Dan Jurafsky")
        + _run(" ")
        + _run("Proceedings of the National Academy of Sciences", "i")
        + _run(" (2020-04-28) DOI: 10.1073/pnas.1915378117")
    )
    path = _citeproc_docx(tmp_path / "manuscript.docx", "Bibliography", [("1Slc5L0l", runs)])
    [reference] = extract_document(path)
    assert reference.key == "1Slc5L0l"
    assert reference.title == "The Diversity–Innovation Paradox in Science"
    assert [name.family for name in reference.authors] == ["Hofstra", "Kulkarni", "Jurafsky"]
    assert reference.container_title == "Proceedings of the National Academy of Sciences"
    assert reference.doi == "10.1073/pnas.1915378117"


def test_citeproc_word_references_in_a_german_template_are_items_with_keys(tmp_path: Path) -> None:
    """alecristia/nwryd19: pandoc's "Bibliography" style is "Literaturverzeichnis" in a German reference
    document; each paragraph is one reference even when a title is split over runs."""
    path = _citeproc_docx(
        tmp_path / "manuscript.docx",
        "Literaturverzeichnis",
        [
            (
                "barclay2015within",
                _run("Barclay, K. J. (2015). A within-family analysis of birth order on ")
                + _run("S")
                + _run("wedish men. ")
                + _run("Intelligence", "i")
                + _run(", ")
                + _run("49", "i")
                + _run(", 134–143."),
            ),
            (
                "armon2015assessing",
                _run("Armon-Lotem, S., &amp; Meir, N. (2015). ")
                + _run("Methods for assessing multilingual children", "i")
                + _run(". Bristol: Multilingual matters."),
            ),
        ],
    )
    barclay, armon = extract_document(path)
    assert (barclay.key, armon.key) == ("barclay2015within", "armon2015assessing")
    assert barclay.title == "A within-family analysis of birth order on Swedish men"
    assert (barclay.container_title, barclay.volume, barclay.page) == ("Intelligence", "49", "134–143")
    assert armon.authors[0].family == "Armon-Lotem" and armon.year == 2015
