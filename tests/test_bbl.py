"""`.bbl` reference lists (BibTeX and biber output) read as structure: keys kept, fields exact."""

from __future__ import annotations

from pathlib import Path

import pytest

from refkit.documents import read_document
from refkit.extract import extract_document

DATA = Path(__file__).parent / "data" / "docs"


def _families(reference) -> list[str]:
    return [name.family for name in reference.authors]


def test_biblatex_entry_is_read_as_the_entry_it_is() -> None:
    [epstein] = extract_document(DATA / "biblatex-numeric.bbl")
    assert epstein.key == "epstein"
    assert _families(epstein) == ["Epstein", "Robertson"]
    assert epstein.title.startswith("The search engine manipulation effect (SEME)")
    assert epstein.container_title == "Proceedings of the National Academy of Sciences of the United States of America"
    assert (epstein.year, epstein.volume, epstein.doi) == (2015, "112", "10.1073/pnas.1419828112")
    assert epstein.location.line == 22  # the \entry line of the file


def test_revtex_bibinfo_fields_and_key() -> None:
    [moon] = extract_document(DATA / "apsrev4-2.bbl")
    assert moon.key == "moon_polarization_1969"
    assert _families(moon) == ["Moon", "Riste", "Koehler"]
    assert (moon.container_title, moon.volume, moon.page, moon.year) == ("Phys. Rev.", "181", "920", 1969)
    assert moon.doi.casefold() == "10.1103/physrev.181.920"
    assert moon.location.line == 52


def test_natbib_label_over_two_lines_keeps_the_key_and_newblocks_give_fields() -> None:
    book, paper = extract_document(DATA / "plainnat.bbl")
    assert (book.key, paper.key) == ("andersen2012statistical", "andrew2007scalable")
    assert book.title == "Statistical models based on counting processes"
    assert _families(book) == ["Andersen", "Borgan", "Gill", "Keiding"]
    assert paper.title == "Scalable training of l1-regularized log-linear models"
    assert paper.container_title == "International Conference on Machine Learning"
    assert (paper.page, paper.year) == ("33–40", 2007)
    assert (book.location.line, paper.location.line) == (8, 14)


def test_ieeetran_quoted_title_and_emphasised_journal() -> None:
    [oza] = extract_document(DATA / "ieeetran.bbl")
    assert oza.key == "oza2013trajectory"
    assert oza.title == "A trajectory equation for walking droplets: hydrodynamic pilot-wave theory"
    assert oza.container_title == "Journal of Fluid Mechanics"
    assert (oza.volume, oza.page, oza.year) == ("737", "552–570", 2013)


def test_bbl_is_a_format_of_its_own() -> None:
    assert read_document(DATA / "plainnat.bbl").format == "bbl"


@pytest.mark.parametrize("name", ["biblatex-numeric.bbl", "apsrev4-2.bbl", "plainnat.bbl"])
def test_no_markup_left_in_the_text(name: str) -> None:
    for reference in extract_document(DATA / name):
        for value in (reference.title, reference.container_title, *map(str, reference.authors)):
            assert "\\" not in value and "{" not in value, value


def test_mdpi_layout_with_a_truncated_author_list(tmp_path: Path) -> None:
    """aaronpeikert/repro-tutorial's thebibliography (MDPI): "…; Henry Tessler, M.; et al. Title. \\emph{J.}";
    the title was read as the venue when the list ended in "et al."."""
    path = tmp_path / "paper.tex"
    path.write_text(
        "\\begin{thebibliography}{99}\n\\bibitem[Hardwicke et~al.(2018)]{hardwicke2018}\n"
        "Hardwicke, T.E.; Mathur, M.B.; Henry Tessler, M.; et al. Data Availability, Reusability, and Analytic "
        "Reproducibility. \\emph{R. Soc. Open Sci.} \\textbf{2018}, \\emph{5}, 180448.\n\\end{thebibliography}\n",
        encoding="utf-8",
    )
    [reference] = extract_document(path)
    assert reference.key == "hardwicke2018" and reference.authors_truncated
    assert _families(reference) == ["Hardwicke", "Mathur", "Henry Tessler"]
    assert reference.title == "Data Availability, Reusability, and Analytic Reproducibility"
    assert (reference.container_title, reference.year, reference.volume, reference.page) == (
        "R. Soc. Open Sci.",
        2018,
        "5",
        "180448",
    )


def test_mdpi_layout_with_a_tilde_et_al_an_italic_word_in_the_title_and_a_unicode_dash(tmp_path: Path) -> None:
    """aaronpeikert/repro-tutorial's manuscript.tex (MDPI): `;~et~al.`, "the \\emph{t} and U Tests" and
    "499–514" each broke the layout, leaving the tagger to read the venue as the title."""
    path = tmp_path / "paper.tex"
    path.write_text(
        "\\begin{thebibliography}{99}\n\\bibitem[Sonnenburg(2007)]{sonnenburg2007}\n"
        "Sonnenburg, S.; Braun, M.L.; Rasmussen, C.E.;~et~al. The Need for Open Source Software in Machine "
        "Learning. \\emph{J. Mach. Learn. Res.} \\textbf{2007}, \\emph{8}, 2443--2466.\n"
        "\\bibitem[Stonehouse and Forrester(1998)]{stonehouse1998}\nStonehouse, J.M.; Forrester, G.J. Robustness "
        "of the \\emph{t} and U Tests under Combined Assumption Violations. \\emph{J. Appl. Stat.} "
        "\\textbf{1998}, \\emph{25}, 63--74.\n\\bibitem[DeCoster(2015)]{decoster2015}\nDeCoster, J.; Sparks, E.A. "
        "Opportunistic Biases. \\emph{Am. Psychol.} \\textbf{2015}, \\emph{70}, 499–514.\n\\end{thebibliography}\n",
        encoding="utf-8",
    )
    sonnenburg, stonehouse, decoster = extract_document(path)
    assert _families(sonnenburg) == ["Sonnenburg", "Braun", "Rasmussen"] and sonnenburg.authors_truncated
    assert (sonnenburg.title, sonnenburg.container_title) == (
        "The Need for Open Source Software in Machine Learning",
        "J. Mach. Learn. Res.",
    )
    assert stonehouse.title == "Robustness of the t and U Tests under Combined Assumption Violations"
    assert (stonehouse.container_title, stonehouse.volume, stonehouse.page) == ("J. Appl. Stat.", "25", "63–74")
    assert decoster.page == "499–514"


def test_mdpi_chapter_the_emphasised_book_after_in_is_the_container(tmp_path: Path) -> None:
    """aaronpeikert/repro-tutorial's manuscript.tex (MDPI): "Title. In \\emph{Book}" took the book for the title
    and the chapter's title for authors."""
    path = tmp_path / "paper.tex"
    path.write_text(
        "\\begin{thebibliography}{99}\n\\bibitem[Lanergan and Grasso(1989)]{lanergan1989}\n"
        "Lanergan, R.G.; Grasso, C.A. Software Engineering with Reusable Designs and Code. In \\emph{Software "
        "Reusability: Vol. 2, Applications and Experience}; Association for Computing Machinery: New York, NY, "
        "USA, 1989; pp. 187--195.\n\\end{thebibliography}\n",
        encoding="utf-8",
    )
    [chapter] = extract_document(path)
    assert _families(chapter) == ["Lanergan", "Grasso"]
    assert chapter.title == "Software Engineering with Reusable Designs and Code"
    assert chapter.container_title == "Software Reusability: Vol. 2, Applications and Experience"


def test_springer_nature_chapter_title_is_the_title_and_the_book_its_container(tmp_path: Path) -> None:
    """sn-jnl's `bchapter` (trajana/Approximation_Algorithms_for_the_Robust_Selection_Problem, sn-article.bbl):
    the book's `\\bbtitle` was taken for the chapter's title."""
    path = tmp_path / "sn-article.bbl"
    path.write_text(
        "\\begin{thebibliography}{1}\n\\bibitem[\\protect\\citeauthoryear{Karp}{1972}]{Karp1972}\n"
        "\\begin{bchapter}\n\\bauthor{\\bsnm{Karp}, \\binits{R.M.}}:\n"
        "\\bctitle{Reducibility among combinatorial problems}.\n"
        "In: \\beditor{\\bsnm{Miller}, \\binits{R.E.}} (eds.)\n\\bbtitle{Complexity of Computer Computations},\n"
        "pp. \\bfpage{85}--\\blpage{103}.\n\\bpublisher{Springer},\n\\blocation{Boston}\n(\\byear{1972}).\n"
        "\\end{bchapter}\n\\endbibitem\n\\end{thebibliography}\n",
        encoding="utf-8",
    )
    [karp] = extract_document(path)
    assert (karp.key, _families(karp)) == ("Karp1972", ["Karp"])
    assert (karp.title, karp.container_title) == (
        "Reducibility among combinatorial problems",
        "Complexity of Computer Computations",
    )
    assert (karp.year, karp.page) == (1972, "85–103")


def test_amsplain_a_quoted_name_after_the_emphasised_title_is_no_title(tmp_path: Path) -> None:
    """Ben-McKay/cominiscule-varieties' ms.bbl (amsplain): the quoted school name in the venue was read as the
    title, IEEEtran-fashion."""
    path = tmp_path / "ms.bbl"
    path.write_text(
        "\\begin{thebibliography}{1}\n\\bibitem{Sharpe:2002}\nRichard~W. Sharpe, \\emph{An introduction to "
        "{C}artan geometries}, Proceedings\n  of the 21st Winter School ``Geometry and Physics'' (Srn\\'\\i, 2001), "
        "no.~69,\n  2002, pp.~61--75.\n\\end{thebibliography}\n",
        encoding="utf-8",
    )
    [sharpe] = extract_document(path)
    assert (sharpe.key, _families(sharpe)) == ("Sharpe:2002", ["Sharpe"])
    assert sharpe.title == "An introduction to Cartan geometries"
