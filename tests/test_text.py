import pytest

from refkit.text import (
    ascii_word,
    balanced_braces,
    expand_pages,
    fold,
    latex_to_unicode,
    normalize_doi,
    page_bounds,
    unicode_to_latex,
)


@pytest.mark.parametrize(
    ("latex", "text"),
    [
        (r"F{\"u}nf", "Fünf"),
        (r"Sau{\ss}ele", "Saußele"),
        (r"G{\'e}rard", "Gérard"),
        (r"{\c{C}}etinkaya", "Çetinkaya"),
        (r"Aks{\i}n, {\"O}zge", "Aksın, Özge"),
        (r"\v{S}koda and \'{\i}ndice", "Škoda and índice"),
        (r"pages 2408--2417 --- really", "pages 2408–2417 — really"),
        (r"50\% of A \& B", "50% of A & B"),
        (r"The {\TeX}book and \AmSTeX{}", "The TeXbook and AmSTeX"),
        (r"\emph{In vivo} {RNA} studies", "In vivo RNA studies"),
        ("plain  words\n  wrapped", "plain words wrapped"),
        (r"Imatinib \\ a five-year follow-up", "Imatinib a five-year follow-up"),  # a forced line break
        (r"Part one\\Part two", "Part one Part two"),
        (r"The set \{x\} and a lone \} in \emph{a \{b\}}", "The set {x} and a lone } in a {b}"),
        (r"home~page of \textasciitilde{}user", "home page of ~user"),
    ],
)
def test_latex_to_unicode(latex, text):
    assert latex_to_unicode(latex) == text


def test_unicode_to_latex_round_trips_through_the_decoder():
    for text in [
        "Saußele",
        "Gambacorti-Passerini",
        "Pharmacology & Therapeutics",
        "Čapek – 50% off",
        "Ørsted",
        "Sets {x : x > 0} and a lone } brace",
        "see ~user/notes and C:\\refs",
    ]:
        encoded = unicode_to_latex(text)
        assert encoded.isascii()
        assert latex_to_unicode(encoded) == text


def test_fold_removes_case_accents_markup_and_punctuation():
    assert fold("Saußele, S.") == "saussele s"
    assert fold(r"Sau{\ss}ele") == "saussele"
    assert fold("Long-Term <i>Outcomes</i> of Imatinib") == "long term outcomes of imatinib"
    assert ascii_word("Gambacorti-Passerini") == "gambacortipasserini"


@pytest.mark.parametrize(
    ("written", "expanded"),
    [
        ("2408-17", "2408–2417"),
        ("2408--2417", "2408–2417"),
        ("1029 - 35", "1029–1035"),
        ("S12-S19", "S12–S19"),
        ("e1234", "e1234"),
        ("123-4", "123–124"),
        ("99-101", "99–101"),
    ],
)
def test_expand_pages(written, expanded):
    assert expand_pages(written) == expanded


def test_page_bounds():
    assert page_bounds("2408-17") == ("2408", "2417")
    assert page_bounds("e1234") == ("e1234", "e1234")


def test_normalize_doi():
    assert normalize_doi("https://doi.org/10.1056/NEJMoa062867") == "10.1056/nejmoa062867"
    assert normalize_doi("doi: 10.1016/S1470-2045(10)70233-3.") == "10.1016/s1470-2045(10)70233-3"
    for written in [
        "doi.org/10.1056/NEJMoa062867",
        "https://www.doi.org/10.1056/NEJMoa062867",
        "http://dx.doi.org/10.1056/NEJMoa062867",
        "DOI:10.1056/NEJMoa062867",
    ]:
        assert normalize_doi(written) == "10.1056/nejmoa062867", written
    assert normalize_doi(r"10.1007/978-3-030-58452-8\_13") == "10.1007/978-3-030-58452-8_13"


@pytest.mark.parametrize(
    ("text", "balanced"),
    [
        ("{DNA} repair in {{E. coli}}", True),
        ("no braces", True),
        ("{open", False),
        ("close}", False),
        ("}{", False),  # as many of each, but a brace closes before one opens
    ],
)
def test_balanced_braces(text, balanced):
    assert balanced_braces(text) is balanced
