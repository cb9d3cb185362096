"""Hostile input finishes fast and cleanly: no catastrophic backtracking, no tracebacks, nothing executed."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from refkit.documents import parse_document
from refkit.extract import extract_document, extract_references, parse_reference
from refkit.extract.features import tokenize
from refkit.extract.identifiers import find_identifiers
from refkit.extract.names import parse_names

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


def _timed(function, *args) -> tuple[object, float]:
    """The result and the CPU seconds it took (CPU time: other load on the machine does not count)."""
    started = time.process_time()
    result = function(*args)
    return result, time.process_time() - started


def test_one_megabyte_single_line_numbered_list() -> None:
    """~5,500 references on one line: this is a throughput test as much as a backtracking one, so it takes
    the better of two runs to be fair to a machine busy with other work."""
    parts, size, number = [], 0, 1
    while size < 1024 * 1024:
        parts.append(f"[{number}] {LONG_REFERENCES[number % len(LONG_REFERENCES)]}")
        size += len(parts[-1]) + 1
        number += 1
    text = "References\n" + " ".join(parts)
    references, seconds = _timed(extract_references, text)
    if seconds >= 1.0:
        references, seconds = _timed(extract_references, text)
    assert seconds < 1.0
    assert len(references) == len(parts)
    assert references[0].title.startswith("Sediment grain size and organic carbon")


def test_one_megabyte_single_reference_without_markers() -> None:
    line = ("Abara, T. " * 110_000)[: 1024 * 1024]
    references, seconds = _timed(extract_references, line)
    assert seconds < 1.0 and len(references) == 1
    assert references[0].raw == line.strip()


@pytest.mark.parametrize(
    "text",
    [
        "(" * 100_000,
        "10." + "1" * 50_000 + "/" + "x" * 50_000,
        "https://" + "a." * 50_000,
        "ISBN " + "1-" * 50_000,
        "arXiv:" + "a" * 100_000,
        "A. " * 30_000 + "et al.",
        "“" * 50_000 + "”" * 50_000,
        "pp. " + "1-" * 50_000,
        "[cited " + " " * 100_000,
        "\\emph{" * 20_000 + "}" * 20_000,
        "." * 100_000,
        "Am.1" * 25_000,
        "(" * 30_000 + "a" * 30_000 + ")" * 30_000 + "," * 10_000,
    ],
)
def test_pathological_strings_are_linear(text: str) -> None:
    for function in (find_identifiers, parse_names, parse_reference, tokenize):
        _, seconds = _timed(function, text)
        assert seconds < 1.0, function.__name__


def test_pathological_documents() -> None:
    for text, format in [
        ("<li>" * 50_000, "html"),
        ("<script>" + "x" * 100_000, "html"),
        ("\\bibitem{a}" * 30_000, "latex"),
        ("#" * 100_000, "markdown"),
        ("References\n" + "- \n" * 100_000, "text"),
    ]:
        _, seconds = _timed(parse_document, text, format)
        assert seconds < 1.0, format


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
