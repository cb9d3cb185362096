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
