"""Hostile input finishes in linear time and cleanly: no catastrophic backtracking, no tracebacks, nothing executed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from refkit.documents import parse_document
from refkit.extract import extract_document, extract_references, parse_reference
from refkit.extract.features import tokenize
from refkit.extract.identifiers import find_identifiers
from refkit.extract.names import parse_names
from tests.growth import assert_linear

REFERENCE = "Abara, T., & Brunn, K. (2015). Sand budgets of gravel beaches. Coastal Science, 4(2), 10-20."
# Reference strings as modern lists write them (APA 7 and Vancouver with their DOIs, IEEE with its DOI,
# Chicago with a URL), about 250 characters each; written for this test.
LONG_REFERENCES = [
    "Abara, T., Brunn, K., & Chen, L. (2015). Sand budgets of gravel beaches after storm surges: a ten-year "
    "survey of the Baltic coast of Schleswig-Holstein. Coastal Science, 4(2), 10-20. "
    "https://doi.org/10.1000/coastal.2015.04.002",
    "Lindqvist K, Aho M, Okafor NC, et al. Sediment grain size and organic carbon in eelgrass beds of the "
    "northern Kattegat: a comparison of coring methods. Mar Ecol Prog Ser. 2019;612:37-49. "
    "doi:10.3354/meps12873. PMID: 31234567.",
    "A. Kowalczyk, B. Tanaka, and C. Mendes, “Low-latency scheduling for edge inference on heterogeneous "
    "accelerators,” IEEE Trans. Parallel Distrib. Syst., vol. 33, no. 7, pp. 1654–1667, Jul. 2022, "
    "doi: 10.1109/TPDS.2021.3123456.",
    "Ferreira, Lucas, and Ana Beatriz Costa. “The Afterlife of Colonial Maps: Cartographic Memory in Lusophone "
    "Africa after Independence.” Imago Mundi 71, no. 2 (2019): 160–75. "
    "https://www.example.org/imago-mundi/2019/ferreira-costa.",
]


def numbered_list_on_one_line(count: int) -> str:
    """`count` numbered references run together on one line, as a PDF's text layer gives them."""
    parts = [f"[{number}] {LONG_REFERENCES[number % len(LONG_REFERENCES)]}" for number in range(1, count + 1)]
    return "References\n" + " ".join(parts)


def test_a_long_single_line_numbered_list_is_read_in_linear_time() -> None:
    """Hundreds to thousands of references on one line: no pattern backtracks over the line, no step rescans it."""
    references = assert_linear(extract_references, numbered_list_on_one_line, 250)
    assert len(references) % 4 == 0 and len(references) >= 1000
    assert references[0].title.startswith("Sediment grain size and organic carbon")
    assert references[-1].raw.endswith(LONG_REFERENCES[len(references) % len(LONG_REFERENCES)].rstrip())


def test_a_long_reference_without_markers_is_read_in_linear_time() -> None:
    references = assert_linear(extract_references, lambda n: "Abara, T. " * n, 25_000)
    assert len(references) == 1 and references[0].raw.startswith("Abara, T. Abara, T.")


@pytest.mark.parametrize(
    "make_text",
    [
        lambda n: "(" * n,
        lambda n: "10." + "1" * n + "/" + "x" * n,
        lambda n: "https://" + "a." * n,
        lambda n: "ISBN " + "1-" * n,
        lambda n: "arXiv:" + "a" * n,
        lambda n: "A. " * n + "et al.",
        lambda n: "“" * n + "”" * n,
        lambda n: "pp. " + "1-" * n,
        lambda n: "[cited " + " " * n,
        lambda n: "\\emph{" * n + "}" * n,
        lambda n: "." * n,
        lambda n: "Am.1" * n,
        lambda n: "(" * n + "a" * n + ")" * n + "," * (n // 3),
    ],
    ids=[
        "parentheses",
        "doi",
        "url",
        "isbn",
        "arxiv",
        "initials",
        "quotes",
        "pages",
        "cited",
        "macros",
        "dots",
        "abbreviations",
        "nesting",
    ],
)
@pytest.mark.parametrize("function", [find_identifiers, parse_names, parse_reference, tokenize])
def test_pathological_strings_are_linear(make_text: Callable[[int], str], function: Callable[[str], object]) -> None:
    assert_linear(function, make_text, 10_000)


@pytest.mark.parametrize(
    ("make_text", "format"),
    [
        (lambda n: "<li>" * n, "html"),
        (lambda n: "<script>" + "x" * n, "html"),
        (lambda n: "\\bibitem{a}" * n, "latex"),
        (lambda n: "#" * n, "markdown"),
        (lambda n: "References\n" + "- \n" * n, "text"),
    ],
    ids=["list-items", "script", "bibitems", "headings", "empty-items"],
)
def test_pathological_documents_are_linear(make_text: Callable[[int], str], format: str) -> None:
    assert_linear(lambda text: parse_document(text, format), make_text, 5_000)


def test_html_scripts_are_never_run_or_read(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(
        "<h2>References</h2><ol><li>" + REFERENCE + "<script>alert('x')</script>"
        "<img src='https://example.org/track.png'></li></ol>",
        encoding="utf-8",
    )
    references = extract_document(path)
    assert references[0].raw == REFERENCE


def test_latex_macros_in_titles(tmp_path: Path) -> None:
    path = tmp_path / "paper.tex"
    path.write_text(
        "\\begin{thebibliography}{1}\n\\bibitem{k} M.~M{\\\"u}ller and J.~Sm{\\'\\i}th, "
        "\\newblock ``{\\em Stra{\\ss}e} networks of {G}{\\\"o}ttingen,'' \\newblock "
        "\\emph{J. Urban Geogr.}, vol.~3, pp.~1--9, 2001.\n\\end{thebibliography}\n",
        encoding="utf-8",
    )
    reference = extract_document(path)[0]
    assert [str(name) for name in reference.authors] == ["Müller, M.", "Smíth, J."]
    assert reference.title == "Straße networks of Göttingen"
    assert (reference.volume, reference.page, reference.year) == ("3", "1–9", 2001)
