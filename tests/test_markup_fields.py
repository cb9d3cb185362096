"""Markdown and HTML markup never reaches an extracted field, and citeproc HTML is read by its layout."""

from __future__ import annotations

from pathlib import Path

import pytest

from refkit.extract import extract_document, extract_references, parse_reference

DATA = Path(__file__).parent / "data" / "docs"

APA_MARKDOWN = """References

<div id="refs">

Smith, J. (2020). A study of things. *Journal of Things,* *3*(2), 1–10. https://doi.org/10.1000/xyz

Doe, A., & Roe, B. (2019). [Another title](https://example.org/paper). <em>Nature Methods</em>, 16, 5–9.

</div>
"""


def _families(reference) -> list[str]:
    return [name.family for name in reference.authors]


def test_emphasis_links_and_tags_stay_out_of_fields() -> None:
    first, second = extract_references(APA_MARKDOWN)  # the div lines are no entries
    assert (first.title, first.container_title, first.volume, first.issue) == (
        "A study of things",
        "Journal of Things",
        "3",
        "2",
    )
    assert (second.title, second.container_title, second.volume) == ("Another title", "Nature Methods", "16")
    assert second.url == "https://example.org/paper"


@pytest.mark.parametrize(
    "text",
    [
        "Smith, J. (2020). A study of things. *Journal of Things,* *3*(2), 1–10.",
        "Smith, J. (2020). A study of things. <i>Journal of Things</i>, <b>3</b>(2), 1–10.",
        "Smith, J. (2020). A study of things. _Journal of Things_, 3(2), 1–10.",
    ],
)
def test_a_single_reference_string_with_markup(text: str) -> None:
    reference = parse_reference(text)
    assert reference.container_title == "Journal of Things"
    for value in (reference.title, reference.container_title):
        assert not set(value) & set("*_<>[]"), value


def test_manubot_html_entries_are_read_by_their_layout() -> None:
    references = extract_document(DATA / "manubot-bitcoin-refs.html")
    assert [reference.key for reference in references] == [
        "PBY14TLl", "tThtmQZB", "zk5okH1t", "1Gw6LBfXO", "10yGvxo1W",
    ]  # fmt: skip
    stamping = references[3]
    assert stamping.title == "Improving the Efficiency and Reliability of Digital Time-Stamping"
    assert _families(stamping) == ["Bayer", "Haber", "Stornetta"]
    assert (stamping.container_title, stamping.year, stamping.doi) == (
        "Sequences II",
        1993,
        "10.1007/978-1-4613-9323-8_24",
    )
    assert references[0].title == "b-money"


def test_older_manubot_html_with_line_breaks() -> None:
    chiang, weischenfeldt = extract_document(DATA / "manubot-vgsv-refs.html")
    assert chiang.key == "2gpKwL67"
    assert chiang.title == "The impact of structural variation on human gene expression"
    assert _families(chiang)[:3] == ["Chiang", "Scott", "Davis"]
    assert (chiang.container_title, chiang.year, chiang.doi) == ("Nature Genetics", 2017, "10.1038/ng.3834")
    assert weischenfeldt.title.startswith("Phenotypic impact of genomic structural variation: insights from")
    assert _families(weischenfeldt) == ["Weischenfeldt", "Symmons", "Spitz", "Korbel"]
    # the ISO date after the venue, which the tagger missed in 21 of manu-vgsv's 46 references
    assert (weischenfeldt.container_title, weischenfeldt.year) == ("Nature Reviews Genetics", 2013)
