"""Citation markers in every style, and their resolution to bibliography entries."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from refkit.claims.markers import find_markers
from refkit.claims.resolve import Resolver, footnote_definitions
from refkit.model import Name, Reference
from tests.growth import assert_linear


def found(text: str) -> list[tuple[str, str, list[str]]]:
    return [(marker.style, marker.text, [target.value for target in marker.targets]) for marker in find_markers(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Shown before [1].", [("numeric", "[1]", ["1"])]),
        ("Shown before [1, 3].", [("numeric", "[1, 3]", ["1", "3"])]),
        ("Shown before [2–4,7].", [("numeric", "[2–4,7]", ["2", "3", "4", "7"])]),
        ("Shown before.¹² Then", [("superscript", "¹²", ["12"])]),
        ("Shown before¹,³ here", [("superscript", "¹,³", ["1", "3"])]),
        ("Shown before^1^ and^2,3^.", [("superscript", "^1^", ["1"]), ("superscript", "^2,3^", ["2", "3"])]),
        ("As seen (Druker et al., 2006).", [("author-year", "(Druker et al., 2006)", ["Druker et al. 2006"])]),
        (
            "As seen (Mahon et al. 2010; Etienne et al. 2017).",
            [("author-year", "(Mahon et al. 2010; Etienne et al. 2017)", ["Mahon et al. 2010", "Etienne et al. 2017"])],
        ),
        (
            "As seen (see Jabbour & Kantarjian, 2018, p. 4).",
            [("author-year", "(see Jabbour & Kantarjian, 2018, p. 4)", ["Jabbour & Kantarjian 2018"])],
        ),
        ("Druker et al. (2006) showed it.", [("narrative", "Druker et al. (2006)", ["Druker et al. 2006"])]),
        ("Smith (2019a, 2019b) agrees.", [("narrative", "Smith (2019a, 2019b)", ["Smith 2019a", "Smith 2019b"])]),
        ("Saußele et al. (2016) stopped it.", [("narrative", "Saußele et al. (2016)", ["Saußele et al. 2016"])]),
        (
            "Pandoc [@druker2006; -@mahon2010, p. 3].",
            [("pandoc", "[@druker2006; -@mahon2010, p. 3]", ["druker2006", "mahon2010"])],
        ),
        (
            r"LaTeX \cite{a1,b2} \citep[p.~3]{c3} \citet{d4}.",
            [
                ("latex", r"\cite{a1,b2}", ["a1", "b2"]),
                ("latex", r"\citep[p.~3]{c3}", ["c3"]),
                ("latex", r"\citet{d4}", ["d4"]),
            ],
        ),
        (
            "As the LaTeX reader writes it [fox2021ocean, kulp2019].",
            [("key", "[fox2021ocean, kulp2019]", ["fox2021ocean", "kulp2019"])],
        ),
        ("A footnote[^2] and another[^note].", [("footnote", "[^2]", ["2"]), ("footnote", "[^note]", ["note"])]),
        (  # eLife: a bracketed citation inside a parenthesis, words before the names
            "The fragment (‘PSE2’ [DeVido et al., 2008]) as in (the Cbx transposition, Peifer et al., 1987).",
            [
                ("author-year", "(‘PSE2’ [DeVido et al., 2008])", ["DeVido et al. 2008"]),
                ("author-year", "(the Cbx transposition, Peifer et al., 1987)", ["Peifer et al. 1987"]),
            ],
        ),
        ("Measured on [2, 5] days after [0, 1] and [3, 6].", [("numeric", "[3, 6]", ["3", "6"])]),
        ("On the interval [10, 20] of the domain [4, 8], as in [4, 8].", [("numeric", "[4, 8]", ["4", "8"])]),
    ],
)
def test_marker_styles(text: str, expected: list) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "An area of 5 m² and 10⁹/L cells.",  # units, not superscript citations
        "Write to me@example.com or see [sic] and (CML, 2006) and (Phase 3, 2019).",
        r"\nocite{hidden} is not a citation in the text.",
        "In (2006) the drug was approved; The (2001) label.",
    ],
)
def test_not_markers(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    ("make_text", "n"),
    [
        (lambda n: "We thank " + "Okafor and Lindqvist, " * n + "for 2019 data", 600),  # names, no citation
        (lambda n: "Contact [" + "@okafor @lindqvist " * n, 1500),  # an unclosed bracket of handles
        # 4n ≥ 5,000 superscript digits: no reference number is that long (int() refuses 4,300 digits)
        (lambda n: "Counts rose" + "⁹" * n + " here.", 1250),
    ],
    ids=["names", "handles", "superscript-digits"],
)
def test_long_paragraphs_without_markers_are_read_in_linear_time(make_text: Callable[[int], str], n: int) -> None:
    """The quadratic patterns took 5 to 12 s on paragraphs of this kind."""
    assert assert_linear(found, make_text, n) == []


def test_a_paragraph_of_many_markers_is_read_in_linear_time() -> None:
    """Checking each marker against all earlier ones took 5 s on 20,000 markers."""
    markers = assert_linear(find_markers, lambda n: "Shown [1] " * n, 5000)
    assert len(markers) % 4 == 0 and len(markers) >= 20000


def ref(key: str, family: str, year: int, second: str = "", suffix: str = "") -> Reference:
    authors = [Name(family=family, given="A.")] + ([Name(family=second, given="B.")] if second else [])
    return Reference(key=key, title=key, authors=authors, year=year, year_suffix=suffix)


REFERENCES = [
    ref("druker2006", "Druker", 2006),
    ref("smith2019first", "Smith", 2019),
    ref("smith2019second", "Smith", 2019),
    ref("jabbour2018", "Jabbour", 2018, "Kantarjian"),
    ref("jabbour2018solo", "Jabbour", 2018, "Cortes"),
    ref("saussele2016", "Saussele", 2016),
    ref("Gambacorti:2011", "Gambacorti-Passerini", 2011),
]


def resolve(text: str, footnotes: dict[str, str] | None = None) -> list[tuple[list[str], list[str]]]:
    resolver = Resolver(REFERENCES, footnotes)
    result = []
    for marker in find_markers(text):
        resolver.resolve(marker)
        result.append((marker.keys, marker.unresolved))
    return result


@pytest.mark.parametrize(
    "text, expected",
    [
        ("[1, 3] [8]", [(["druker2006", "smith2019second"], []), ([], ["8"])]),
        ("[1–2]", [(["druker2006", "smith2019first"], [])]),
        ("Smith (2019b) then (Smith 2019a)", [(["smith2019second"], []), (["smith2019first"], [])]),
        ("(Smith 2019c)", [([], ["Smith 2019c"])]),
        ("(Druker et al., 2007)", [([], ["Druker et al. 2007"])]),
        ("(Jabbour & Kantarjian, 2018)", [(["jabbour2018"], [])]),
        ("Saußele et al. (2016)", [(["saussele2016"], [])]),
        ("Gambacorti-Passerini et al. (2011)", [(["Gambacorti:2011"], [])]),
        ("[@druker2006; @missing2020]", [(["druker2006"], ["missing2020"])]),
        ("Indeed, Jabbour and Kantarjian (2018)", [(["jabbour2018"], [])]),  # a word before the names
        (r"\cite{gambacorti:2011}", [(["Gambacorti:2011"], [])]),
        # a PDF built without its bibliography: LaTeX printed what it could not resolve as "?"
        ("as in [?] and [?, ?].", [([], ["?"]), ([], ["?", "?"])]),
    ],
)
def test_resolution(text: str, expected: list) -> None:
    assert resolve(text) == expected


def test_ambiguous_author_year_without_suffix_resolves_to_every_candidate() -> None:
    assert resolve("(Smith 2019)") == [(["smith2019first", "smith2019second"], [])]


def test_written_year_suffixes_win_over_list_order() -> None:
    references = [ref("late", "Lee", 2020, suffix="b"), ref("early", "Lee", 2020, suffix="a")]
    marker = find_markers("(Lee 2020a)")[0]
    Resolver(references).resolve(marker)
    assert marker.keys == ["early"]


def test_footnotes_resolve_through_their_definitions_then_their_labels() -> None:
    definitions = footnote_definitions(
        ["[^d]: Druker AB. Five-year follow-up. 2006.", "[^k]: See [@saussele2016].", "not a footnote"]
    )
    assert set(definitions) == {"d", "k"}
    assert resolve("a[^d] b[^k] c[^4] d[^druker2006] e[^zz]", definitions) == [
        (["druker2006"], []),
        (["saussele2016"], []),
        (["jabbour2018"], []),
        (["druker2006"], []),
        ([], ["zz"]),
    ]


def test_footnotes_that_point_at_each_other_resolve_once() -> None:
    definitions = footnote_definitions(
        ["[^1]: Druker AB. Five-year follow-up. 2006. See also [^2].", "[^2]: As in [^1] and [^2]; Saussele (2016)."]
    )
    assert [(sorted(keys), unresolved) for keys, unresolved in resolve("a[^1] b[^2]", definitions)] == [
        (["druker2006", "saussele2016"], []),
        (["druker2006", "saussele2016"], []),
    ]
