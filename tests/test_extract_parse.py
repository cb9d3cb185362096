"""Parsing one reference string in each supported style (the strings are written for these tests)."""

from __future__ import annotations

import pytest

from refkit.errors import RefkitError
from refkit.extract import extract_references, parse_reference, tagger
from refkit.extract.fields import date_parts, pages, volume_issue
from refkit.extract.identifiers import find_identifiers
from refkit.extract.names import parse_names
from refkit.model import Name


def _names(reference) -> list[str]:
    return [str(name) for name in reference.authors]


ARTICLES = {
    "apa": (
        "Okafor, N. C., van der Linde, P., & Brennan, T. J., Jr. (2019a). Soil moisture memory in semi-arid "
        "grasslands. Journal of Hydrology, 571, 221–233. https://doi.org/10.1016/j.jhydrol.2019.01.045",
        ["Okafor, N. C.", "van der Linde, P.", "Brennan, T. J., Jr."],
        2019,
        "Soil moisture memory in semi-arid grasslands",
        "Journal of Hydrology",
        "571",
        "",
        "221–233",
    ),
    "vancouver": (
        "Lindqvist K, de Groot HJ, Okonkwo A, et al. Early mobilisation after hip fracture surgery: a "
        "cohort study. BMJ Open. 2021;11(4):e043215. doi:10.1136/bmjopen-2020-043215. PMID: 33837095.",
        ["Lindqvist, K.", "de Groot, H. J.", "Okonkwo, A."],
        2021,
        "Early mobilisation after hip fracture surgery: a cohort study",
        "BMJ Open",
        "11",
        "4",
        "e043215",
    ),
    "ama": (
        "Haddad RS, Whitcombe E. Ketamine for refractory status epilepticus. JAMA Neurol. 2018;75(9):1112-8.",
        ["Haddad, R. S.", "Whitcombe, E."],
        2018,
        "Ketamine for refractory status epilepticus",
        "JAMA Neurol",
        "75",
        "9",
        "1112–1118",
    ),
    "harvard": (
        "Moreau, C. and Adeyemi, F. (2015) 'Urban heat islands and tree cover in West African cities', "
        "Landscape and Urban Planning, 140, pp. 45-56.",
        ["Moreau, C.", "Adeyemi, F."],
        2015,
        "Urban heat islands and tree cover in West African cities",
        "Landscape and Urban Planning",
        "140",
        "",
        "45–56",
    ),
    "chicago-author-date": (
        "Castellanos, María, and David R. Whitfield. 2012. “Remittances and Household "
        "Schooling Decisions.” World Development 40 (6): 1207–19.",
        ["Castellanos, María", "Whitfield, David R."],
        2012,
        "Remittances and Household Schooling Decisions",
        "World Development",
        "40",
        "6",
        "1207–1219",
    ),
    "chicago-notes-bibliography": (
        "Ferreira, Lucas. “The Afterlife of Colonial Maps.” Imago Mundi 71, no. 2 (2019): 160–75.",
        ["Ferreira, Lucas"],
        2019,
        "The Afterlife of Colonial Maps",
        "Imago Mundi",
        "71",
        "2",
        "160–175",
    ),
    "ieee": (
        "A. Kowalczyk, B. Tanaka, and C. Mendes, “Low-latency scheduling for edge inference,” IEEE Trans. "
        "Parallel Distrib. Syst., vol. 33, no. 7, pp. 1654–1667, Jul. 2022.",
        ["Kowalczyk, A.", "Tanaka, B.", "Mendes, C."],
        2022,
        "Low-latency scheduling for edge inference",
        "IEEE Trans. Parallel Distrib. Syst",
        "33",
        "7",
        "1654–1667",
    ),
    "nature": (
        "Brandt, J. K., Osei, A. & Lindgren, M. Coherent control of a nuclear spin ensemble. Nature 598, "
        "451–455 (2021).",
        ["Brandt, J. K.", "Osei, A.", "Lindgren, M."],
        2021,
        "Coherent control of a nuclear spin ensemble",
        "Nature",
        "598",
        "",
        "451–455",
    ),
    "science": (
        "R. Achterberg, L. Fang, Rapid uplift of the southern Andes. Science 371, 1132–1136 (2021).",
        ["Achterberg, R.", "Fang, L."],
        2021,
        "Rapid uplift of the southern Andes",
        "Science",
        "371",
        "",
        "1132–1136",
    ),
    "mla": (
        "Whitaker, Joan, et al. “Reading Habits in the Digital Age.” Library Quarterly, vol. 88, no. 3, 2018, "
        "pp. 233-51.",
        ["Whitaker, Joan"],
        2018,
        "Reading Habits in the Digital Age",
        "Library Quarterly",
        "88",
        "3",
        "233–251",
    ),
}


@pytest.mark.parametrize("style", sorted(ARTICLES))
def test_journal_articles_in_every_style(style: str) -> None:
    text, authors, year, title, container, volume, issue, page = ARTICLES[style]
    reference = parse_reference(text)
    assert reference.type == "article-journal"
    assert _names(reference) == authors
    assert (reference.year, reference.title, reference.container_title) == (year, title, container)
    assert (reference.volume, reference.issue, reference.page) == (volume, issue, page)
    assert reference.raw == text


def test_truncation_suffix_and_identifiers() -> None:
    apa = parse_reference(ARTICLES["apa"][0])
    assert apa.year_suffix == "a" and not apa.authors_truncated
    assert apa.authors[1] == Name(family="Linde", given="P.", particle="van der")
    assert apa.doi == "10.1016/j.jhydrol.2019.01.045" and apa.url == ""
    vancouver = parse_reference(ARTICLES["vancouver"][0])
    assert vancouver.authors_truncated
    assert (vancouver.doi, vancouver.pmid) == ("10.1136/bmjopen-2020-043215", "33837095")
    assert parse_reference(ARTICLES["mla"][0]).authors_truncated


def test_book_with_edition_and_publisher() -> None:
    book = parse_reference(
        "Nakamura, H. (2014). Principles of coastal engineering (2nd ed.). Cambridge University Press."
    )
    assert (book.type, book.title, book.edition, book.publisher) == (
        "book",
        "Principles of coastal engineering",
        "2",
        "Cambridge University Press",
    )
    chicago = parse_reference(
        "Delgado, Rosa. 2009. The Quiet Revolution: Rural Cooperatives in Andalusia. "
        "Chicago: University of Chicago Press."
    )
    assert (chicago.type, chicago.publisher_place, chicago.publisher) == (
        "book",
        "Chicago",
        "University of Chicago Press",
    )


def test_chapter_in_edited_book() -> None:
    chapter = parse_reference(
        "Pires, A. (2011) 'Water rights in transition', in Holt, B. and Ngata, R. (eds) "
        "Governing the Commons. 2nd edn. London: Routledge, pp. 88–104."
    )
    assert chapter.type == "chapter"
    assert chapter.title == "Water rights in transition"
    assert chapter.container_title == "Governing the Commons"
    assert [str(name) for name in chapter.editors] == ["Holt, B.", "Ngata, R."]
    assert (chapter.page, chapter.publisher, chapter.publisher_place) == ("88–104", "Routledge", "London")


def test_conference_paper_thesis_and_preprint() -> None:
    paper = parse_reference(
        "L. Ortega and P. Simmons, “Sparse attention for long documents,” in Proc. 37th Int. "
        "Conf. Machine Learning (ICML), 2020, pp. 4410–4419."
    )
    assert paper.type == "paper-conference" and paper.container_title.startswith("Proc. 37th")
    thesis = parse_reference(
        "Kariuki, M. W. (2017). Groundwater recharge in the Rift Valley (Doctoral "
        "dissertation). University of Nairobi, Nairobi, Kenya."
    )
    assert (thesis.type, thesis.genre, thesis.publisher) == ("thesis", "Doctoral dissertation", "University of Nairobi")
    preprint = parse_reference("Vaswani, A., et al. (2017). Attention is all you need. arXiv:1706.03762.")
    assert (preprint.type, preprint.arxiv, preprint.title) == ("article", "1706.03762", "Attention is all you need")


def test_corporate_author_and_web_page() -> None:
    page = parse_reference(
        "World Health Organization. (2021). Malaria fact sheet. Retrieved from "
        "https://www.who.int/news-room/fact-sheets/detail/malaria"
    )
    assert page.authors == [Name(literal="World Health Organization")]
    assert page.url == "https://www.who.int/news-room/fact-sheets/detail/malaria"
    assert page.type == "webpage"


@pytest.mark.parametrize(
    ("text", "expected", "truncated"),
    [
        ("Druker, B. J., et al.", ["Druker, B. J."], True),
        ("Roest M, van der Schouw TT, Smith J.", ["Roest, M.", "van der Schouw, T. T.", "Smith, J."], False),
        ("A. Cau, R. Kuiper, and W.-P. de Roever", ["Cau, A.", "Kuiper, R.", "de Roever, W.-P."], False),
        ("Nichols, Bill.", ["Nichols, Bill"], False),
        ("Smith, John A., and Jane B. Doe.", ["Smith, John A.", "Doe, Jane B."], False),
        ("King, Martin Luther, Jr.", ["King, Martin Luther, Jr."], False),
        (
            "Bergk, V., Martin- Facklam, M. & Haefeli, W. E.",
            ["Bergk, V.", "Martin-Facklam, M.", "Haefeli, W. E."],
            False,
        ),
        ("Smith, A. and others", ["Smith, A."], True),
        ("García, J. y col.", ["García, J."], True),
        ("Sueta CA, Smith SC Jr, Muguia JR.", ["Sueta, C. A.", "Smith, S. C., Jr", "Muguia, J. R."], False),
        ("Regge T, Wheeler J A", ["Regge, T.", "Wheeler, J. A."], False),
        ("Müller, K. u. a.", ["Müller, K."], True),
        ("European Society of Cardiology", ["European Society of Cardiology"], False),
        # natural order with capitalised particles (greenelab/scihub-manuscript, jmonlong/manu-vgsv HTML)
        ("Richard Van Noorden", ["Van Noorden, Richard"], False),
        ("Ernesto Van der Sar", ["Van der Sar, Ernesto"], False),
        ("Francisco M. De La Vega, Chunlin Xiao", ["De La Vega, Francisco M.", "Xiao, Chunlin"], False),
        ("Le Song, Di Wang", ["Song, Le", "Wang, Di"], False),
        # Vancouver initials outside ASCII and with hyphens (Benjamin-Lee/deep-rules, manuscript.html)
        ("Avsec Ž, Kreuzhuber R, et al.", ["Avsec, Ž", "Kreuzhuber, R."], True),
        ("Liu Y-L, Yu YW-Y, Tsai S-J.", ["Liu, Y-L", "Yu, YW-Y", "Tsai, S-J."], False),
        # APA (alecristia/nwryd19, the Word file): a particle after the initials, an ellipsis before the last name
        ("Armon-Lotem, S., Jong, J. de, & Meir, N.", ["Armon-Lotem, S.", "de Jong, J.", "Meir, N."], False),
        ("Bunce, J., Alam, F., … Casillas, M.", ["Bunce, J.", "Alam, F.", "Casillas, M."], True),
        # semicolons between names (aaronpeikert/repro-tutorial, MDPI): a one-word name is no given name
        ("Wickham, H.; Elsevier; Broman, K.; et al.", ["Wickham, H.", "Elsevier", "Broman, K."], True),
        ("Mellor, D.T.; van ’t Veer, A.E.; Vazire, S.", ["Mellor, D.T.", "van ’t Veer, A.E.", "Vazire, S."], False),
    ],
)
def test_name_lists(text: str, expected: list[str], truncated: bool) -> None:
    names, was_truncated = parse_names(text)
    assert ([str(name) for name in names], was_truncated) == (expected, truncated)


def test_field_cleaners() -> None:
    assert volume_issue("355(23),") == ("355", "23")
    assert volume_issue("vol. 36, no. 9") == ("36", "9")
    assert volume_issue("17 (5)") == ("17", "5")
    assert volume_issue("402,") == ("402", "")
    assert volume_issue("18, 3") == ("18", "3")  # ACM: "New Media & Society 18, 3 (2016), 410–428."
    assert volume_issue("6, POPL") == ("6", "POPL")  # PACMPL names its issues after the conference
    assert volume_issue("3.2") == ("3", "2")  # biblatex: "In: Scientific Memoirs 3.2 (1843), pp. 666–731."
    assert pages("pp. 2408-17.") == "2408–2417"
    assert pages("e1234.") == "e1234"
    assert pages("S12–S19") == "S12–S19"
    assert date_parts("(2006b).") == (2006, "b", None)
    assert date_parts("May 1993") == (1993, "", 5)
    assert [date_parts(text)[2] for text in ("juin 1998", "März 2001", "Sept. 2004", "Dezember 2017")] == [6, 3, 9, 12]


def test_long_article_numbers_are_kept_whole() -> None:
    """Article numbers as Manubot's PLOS-like style prints them (Benjamin-Lee/deep-rules, manuscript.html):
    ten digits after a letter, four letters before the digits, eight digits."""
    pnas = "Rives A, Meier J. Biological structure and function emerge. PNAS. 2021;118: e2016239118."
    giga = "Lee AJ, Park Y, Greene CS. Correcting for experiment-specific variability. GigaScience. 2020;9: giaa117."
    assert [parse_reference(text).page for text in (pnas, giga)] == ["e2016239118", "giaa117"]
    assert pages("20170387.") == "20170387"


def test_identifiers_anywhere() -> None:
    text = (
        "Available from: https://example.org/a_(b)/c. PMCID: PMC1234567. ISBN 978-0-12-345678-9. "
        "arXiv:2101.00001v2. https://doi.org/10.1000/ABC(12)3)."
    )
    found = {match.kind: match.value for match in find_identifiers(text)}
    assert found == {
        "access": "Available from: ",
        "url": "https://example.org/a_(b)/c",
        "pmcid": "PMC1234567",
        "isbn": "9780123456789",
        "arxiv": "2101.00001v2",
        "doi": "10.1000/abc(12)3",
    }


def test_latex_and_noise_never_raise() -> None:
    for text in ["", "   ", "....", "(((((", "\\emph{x} {\\'e}", "2001", "“", "et al.", "pp. 1-2", "&&&&"]:
        parse_reference(text)


def test_more_types() -> None:
    report = parse_reference(
        "Marsh, J. (2010). Flood risk in the Thames estuary (Technical Report No. 42). Environment Agency."
    )
    assert (report.type, report.title, report.genre) == (
        "report",
        "Flood risk in the Thames estuary",
        "Technical Report",
    )
    blog = parse_reference(
        "Garcia, M. (2019, March 3). How rivers move. River Blog. https://riverblog.example.org/how-rivers-move"
    )
    assert (blog.type, blog.container_title, blog.month) == ("post-weblog", "River Blog", 3)
    preprint = parse_reference(
        "Chen L, Park S. Deep phenotyping of sepsis. medRxiv. 2020. doi:10.1101/2020.05.01.20087451"
    )
    assert (preprint.type, preprint.title, preprint.container_title, preprint.doi) == (
        "article",
        "Deep phenotyping of sepsis",
        "medRxiv",
        "10.1101/2020.05.01.20087451",
    )
    edited = parse_reference("Smith, J. A. (Ed.). (2012). Handbook of wetland ecology (3rd ed.). Springer.")
    assert (edited.type, edited.authors, [str(name) for name in edited.editors], edited.edition) == (
        "book",
        [],
        ["Smith, J. A."],
        "3",
    )


def test_tokens() -> None:
    from refkit.extract.features import tokenize

    text = "Roest M, van der Schouw TT. Hip loss in older women. Circulation 1999;100:1268-75. J. Opt. Soc. Am.66, 837"
    assert [text[start:end] for start, end in tokenize(text)] == [
        "Roest",
        "M,",
        "van der",
        "Schouw",
        "TT.",
        "Hip",
        "loss in older",
        "women.",
        "Circulation",
        "1999;",
        "100:",
        "1268-75.",
        "J.",
        "Opt.",
        "Soc.",
        "Am.",
        "66,",
        "837",
    ]


def test_chicago_notes_and_repeated_notes() -> None:

    notes = (
        "Notes\n\n"
        "1. Lucas Ferreira, “The Afterlife of Colonial Maps,” Imago Mundi 71, no. 2 (2019): 160–75.\n"
        "2. Ibid., 52.\n"
        "3. Rosa Delgado, The Quiet Revolution: Rural Cooperatives in Andalusia (Chicago: University of "
        "Chicago Press, 2009), 45.\n"
    )
    first, second = extract_references(notes)
    assert (first.key, [str(name) for name in first.authors], first.container_title) == (
        "ferreira2019afterlife",
        ["Ferreira, Lucas"],
        "Imago Mundi",
    )
    assert (second.type, second.title, second.publisher, second.publisher_place, second.year) == (
        "book",
        "The Quiet Revolution: Rural Cooperatives in Andalusia",
        "University of Chicago Press",
        "Chicago",
        2009,
    )


def test_a_rule_for_the_authors_repeats_those_of_the_item_before() -> None:
    """AASTeX, MNRAS and Chicago print "———." for the authors of the entry above: they are its authors."""
    listing = (
        "Mann, A. W., Newton, E. R., Rizzuto, A. C., et al. 2016, The Astronomical Journal, 152, 61\n"
        "———. 2018, The Astronomical Journal, 155, 4\n"
        "—. 2019, Monthly Notices of the Royal Astronomical Society, 484, 8\n"
    )
    first, second, third = extract_references(listing)
    assert [name.family for name in first.authors] == ["Mann", "Newton", "Rizzuto"] and first.authors_truncated
    for repeated in (second, third):
        assert repeated.authors == first.authors and repeated.authors_truncated
    assert (second.year, third.year, second.key, third.key) == (2018, 2019, "mann2018", "mann2019")


def test_place_and_publisher_of_books() -> None:
    for text, place, publisher in [
        ("Lindqvist, Karl. Havets kartor och deras historia. Stockholm: Norstedts, 2004.", "Stockholm", "Norstedts"),
        (
            "Moreau, Claire. 2011. Les villes du fleuve. Lyon: Presses Universitaires de Lyon.",
            "Lyon",
            "Presses Universitaires de Lyon",
        ),
    ]:
        book = parse_reference(text)
        assert (book.type, book.container_title, book.publisher_place, book.publisher) == ("book", "", place, publisher)


def test_titles_give_back_what_they_took_from_their_neighbours() -> None:
    book = parse_reference("Okafor, Ngozi (2012), The Ethics of Coastal Retreat (Oxford: Oxford University Press).")
    assert book.title == "The Ethics of Coastal Retreat"
    kept = parse_reference("Smith, J. (2001). Trial outcomes (Part 2: results). Lancet, 3, 1-2.")
    assert kept.title == "Trial outcomes (Part 2: results)"
    taxon = parse_reference(
        "Urban JM, Cryan JR (2007) Evolution of leafhoppers (Insecta: Hemiptera). Mol Phylogenet Evol 42:556-72."
    )
    assert taxon.title == "Evolution of leafhoppers (Insecta: Hemiptera)"


def test_a_damaged_model_file_is_a_one_line_error(tmp_path, monkeypatch) -> None:
    """An install that holds a Git LFS pointer instead of the model must not end in a traceback."""
    (tmp_path / tagger.MODEL_FILE).write_text("version https://git-lfs.github.com/spec/v1\noid sha256:0\n")
    monkeypatch.setattr(tagger.resources, "files", lambda package: tmp_path)
    tagger._tagger.cache_clear()
    try:
        with pytest.raises(RefkitError, match="missing or damaged"):
            parse_reference("Ek, M. (2020). Limpet grazing. Marine Ecology, 7, 1-5.")
    finally:
        tagger._tagger.cache_clear()


def test_a_preprint_server_printed_twice_stays_out_of_the_title() -> None:
    """Vancouver (Manubot's deep-rules manuscript) prints an arXiv report as "Title. arXiv. arXiv; 2017 Dec.":
    39 of its 127 titles ended in "arXiv"."""
    reference = parse_reference(
        "74. Vaswani A, Shazeer N, Parmar N, et al. Attention Is All You Need. arXiv. arXiv; 2017 Dec. "
        "Report No.: 1706.03762. Available: https://arxiv.org/abs/1706.03762"
    )
    assert (reference.title, reference.container_title) == ("Attention Is All You Need", "arXiv")
    question = parse_reference(
        "24. Cho J, Lee K, Shin E, Choy G, Do S. How much data is needed to train a medical image deep learning "
        "system to achieve necessary high accuracy? arXiv. arXiv; 2016 Jan. Report No.: 1511.06348."
    )
    assert question.title.endswith("necessary high accuracy") and question.container_title == "arXiv"


def test_available_online_and_a_lower_case_accessed_note_are_access_notes() -> None:
    """MDPI's web entries (aaronpeikert/repro-tutorial, manuscript.tex): "Available online:" was cut after
    "on", and "(accessed on 4 December 2021)" was read as a volume and a date."""
    usethis = parse_reference(
        "Wickham, H.; Bryan, J. Usethis: Automate Package and Project Setup. 2021. Available online: "
        "https://usethis.r-lib.org (accessed on 4 December 2021)."
    )
    assert [name.family for name in usethis.authors] == ["Wickham", "Bryan"]
    assert (usethis.title, usethis.year, usethis.volume) == ("Usethis: Automate Package and Project Setup", 2021, "")
    assert usethis.url == "https://usethis.r-lib.org"


def test_a_publication_status_in_the_year_slot_is_a_note_not_title() -> None:
    """APA's "(in press)", "(under review)", "(In preparation)" where the year goes (alecristia/nwryd19)."""
    paper = parse_reference(
        "Casillas, M., & Levinson, S. C. (In preparation). Markedness and minimal pair discrimination in children."
    )
    assert (paper.title, paper.year, paper.note) == (
        "Markedness and minimal pair discrimination in children",
        None,
        "in preparation",
    )
    chapter = parse_reference(
        "Brown, P., & Casillas, M. (in press). Childrearing through social interaction on Rossel Island, PNG. In "
        "A. J. Fentiman & M. Goody (Eds.), Esther Goody revisited (pp. 1–20). New York, NY: Berghahn."
    )
    assert chapter.title == "Childrearing through social interaction on Rossel Island, PNG"


def test_vancouver_fields_the_tagger_misplaces_are_put_back() -> None:
    """Manubot's PLOS-style list (Benjamin-Lee/deep-rules, manuscript.html): a title word in the author
    list, the year read into the volume, a title read into the venue."""
    wetext = parse_reference("Tian S, Lu S, Li C. WeText: Scene Text Detection under Weak Supervision. 2017.")
    assert [name.family for name in wetext.authors] == ["Tian", "Lu", "Li"]
    assert wetext.title == "WeText: Scene Text Detection under Weak Supervision"
    brain = parse_reference(
        "Lillicrap TP, Santoro A, Marris L, Akerman CJ, Hinton G. Backpropagation and the brain. Nature Reviews "
        "Neuroscience. 2020;21: 335–346. doi:10.1038/s41583-020-0277-3"
    )
    assert (brain.year, brain.volume, brain.page) == (2020, "21", "335–346")
    sharing = parse_reference(
        "Beaulieu-Jones BK, Wu ZS, Williams C, Lee R, Bhavnani SP, Byrd JB, et al. Privacy-Preserving Generative "
        "Deep Neural Networks Support Clinical Data Sharing. Circulation: Cardiovascular Quality and Outcomes. "
        "2019;12. doi:10.1161/circoutcomes.118.005122"
    )
    assert sharing.title == "Privacy-Preserving Generative Deep Neural Networks Support Clinical Data Sharing"
    assert sharing.container_title == "Circulation: Cardiovascular Quality and Outcomes"
    chapter = parse_reference(
        "Raschka S, Scott AM, Huertas M, Li W, Kuhn LA. Automated Inference of Chemical Discriminants of Biological "
        "Activity. Methods in Molecular Biology. Springer Science and Business Media LLC; 2018."
    )
    assert chapter.title == "Automated Inference of Chemical Discriminants of Biological Activity"
    assert chapter.container_title == "Methods in Molecular Biology"
    # a natural-order name with a middle initial is no Vancouver list
    kellert = parse_reference("Stephen H. Kellert, In the Wake of Chaos, University of Chicago Press, 1993.")
    assert [name.family for name in kellert.authors] == ["Kellert"]


def test_acm_volume_issue_and_a_conference_acronym_with_its_year() -> None:
    """ACM-Reference-Format prints "Journal 18, 3 (2016)" and "Conference on X (GROUP 2010)": the issue is
    kept, and so is the acronym whose year the tagger reads as a date; a date in parentheses is no acronym."""
    article = parse_reference(
        "Kate Crawford and Tarleton Gillespie. 2016. What Is a Flag For? Social Media Reporting Tools and the "
        "Vocabulary of Complaint. New Media & Society 18, 3 (2016), 410–428."
    )
    assert (article.container_title, article.volume, article.issue, article.page) == (
        "New Media & Society",
        "18",
        "3",
        "410–428",
    )
    group = parse_reference(
        "Jonathan T Morgan and Mark Zachry. 2010. Negotiating With Angry Mastodons: The Wikipedia Policy "
        "Environment As Genre Ecology. In Proceedings of the 16th ACM International Conference on Supporting Group "
        "Work (GROUP 2010). ACM, 165–168."
    )
    assert group.container_title.endswith("Conference on Supporting Group Work (GROUP 2010)")
    assert (group.year, group.page, group.publisher) == (2010, "165–168", "ACM")
    lfp = parse_reference(
        "Anders Bondorf. 1992. Improving Binding Times Without Explicit CPS-Conversion. In Proceedings of the "
        "Conference on Lisp and Functional Programming (LFP 1992). ACM, 1–10."
    )
    assert lfp.container_title == "Proceedings of the Conference on Lisp and Functional Programming (LFP 1992)"
    dated = parse_reference(
        "Mohammed Yahia. 2011. Risk factors for bilirubin encephalopathy defined. Nature Middle East (Oct 2011)."
    )
    assert dated.container_title == "Nature Middle East"


def test_an_article_history_below_the_list_is_no_reference() -> None:
    listing = (
        "Peter Dybjer. 1994. Inductive Families. Formal Aspects Comput. 6, 4 (1994), 440–465.\n"
        "Received 2024-02-28; revised 2024-05-02; accepted 2024-06-18\n"
    )
    assert [reference.title for reference in extract_references(listing)] == ["Inductive Families"]


def test_acm_venues_end_at_their_editors_and_give_back_volume_and_issue() -> None:
    """ACM-Reference-Format from DBLP entries: the booktitle with its place and dates, the editors after it;
    PACMPL's "4, ICFP" volume and issue and its article-numbered pages; a series volume stays."""
    popl = parse_reference(
        "Wontae Choi, Baris Aktemur, Kwangkeun Yi, and Makoto Tatsuta. 2011. Static analysis of multi-staged "
        "programs via unstaging translation. In Proceedings of the 38th ACM SIGPLAN-SIGACT Symposium on "
        "Principles of Programming Languages, POPL 2011, Austin, TX, USA, January 26-28, 2011, Thomas Ball and "
        "Mooly Sagiv (Eds.). ACM, 81–92."
    )
    assert popl.container_title == (
        "Proceedings of the 38th ACM SIGPLAN-SIGACT Symposium on Principles of Programming Languages, POPL 2011, "
        "Austin, TX, USA, January 26-28, 2011"
    )
    assert [str(name) for name in popl.editors] == ["Ball, Thomas", "Sagiv, Mooly"]
    assert (popl.volume, popl.publisher_place, popl.page, popl.publisher) == ("", "", "81–92", "ACM")
    scipy = parse_reference(
        "Wes McKinney. 2010. Data Structures for Statistical Computing in Python. In Proceedings of the 9th Python "
        "in Science Conference, Stéfan van der Walt and Jarrod Millman (Eds.). 51–56."
    )
    assert scipy.container_title == "Proceedings of the 9th Python in Science Conference"
    assert [name.full_family for name in scipy.editors] == ["van der Walt", "Millman"]
    pacmpl = parse_reference(
        "Paul Downen, Zena M. Ariola, Simon Peyton Jones, and Richard A. Eisenberg. 2020. Kinds are calling "
        "conventions. Proc. ACM Program. Lang. 4, ICFP (2020), 104:1–104:29. https://doi.org/10.1145/3408986"
    )
    assert (pacmpl.container_title, pacmpl.volume, pacmpl.issue, pacmpl.page) == (
        "Proc. ACM Program. Lang",
        "4",
        "ICFP",
        "104:1–104:29",
    )
    # two items read as one: the second's "(Eds.)" does not stretch the first's journal
    merged = parse_reference(
        "De Raedt, L., & Bruynooghe, M. (1990). Indirect relevance and bias in inductive concept learning. "
        "Knowledge Acquisition, 2, 365-390. desJardins, M., & Gordon, D. (Eds.). Evaluation of bias. Kluwer."
    )
    assert (merged.container_title, merged.page) == ("Knowledge Acquisition", "365–390")


def test_a_journal_as_the_only_venue_stays_a_journal_and_a_lone_name_is_a_title() -> None:
    """AASTeX prints no titles: a periodical with nothing beside it is no book title; its "arXiv e-prints,
    1908.03222" gives the e-print number. A list item that is one name and an address is a title (a web page
    without authors), but a list of names stays the authors."""
    mnras = parse_reference(
        "Barragán, O., Aigrain, S., Kubyshkina, D., et al. 2019, Monthly Notices of the Royal Astronomical Society"
    )
    assert (mnras.title, mnras.container_title, mnras.year) == (
        "",
        "Monthly Notices of the Royal Astronomical Society",
        2019,
    )
    eprint = parse_reference("Agol, E., Luger, R., & Foreman-Mackey, D. 2019, arXiv e-prints, 1908.03222")
    assert (eprint.container_title, eprint.arxiv, eprint.title) == ("arXiv e-prints", "1908.03222", "")
    form = parse_reference("Loren Terveen and Cliff Lampe. 2013. Call for Participation | Review Form.")
    assert form.title == "Call for Participation | Review Form"
    book = parse_reference("Gardiner, C. 2009, Stochastic Methods: A Handbook for the Natural and Social Sciences")
    assert book.title.startswith("Stochastic Methods") and not book.container_title
    graphviz = parse_reference("Graphviz. https://www.graphviz.org/.")
    assert (graphviz.title, graphviz.authors, graphviz.url) == ("Graphviz", [], "https://www.graphviz.org/")
    names = parse_reference("Maurice J. Frank, Roger B. Nelsen, and Berthold Schweizer.")
    assert [name.family for name in names.authors] == ["Frank", "Nelsen", "Schweizer"] and not names.title


def test_an_abbreviated_journal_gets_back_its_first_word_from_the_title() -> None:
    """APS prints "Title, Annu. Rev. Fluid Mech. 38, 159 (2006)": "Annu." is the journal's, not the title's."""
    yarin = parse_reference(
        "A. L. Yarin, Drop impact dynamics: splashing, spreading, receding, bouncing, Annu. Rev. Fluid Mech. 38, "
        "159 (2006)."
    )
    assert (yarin.title, yarin.container_title, yarin.volume, yarin.page) == (
        "Drop impact dynamics: splashing, spreading, receding, bouncing",
        "Annu. Rev. Fluid Mech",
        "38",
        "159",
    )
    regge = parse_reference(
        "Regge T, Wheeler J A 1957, Stability of a Schwarzschild Singularity, Phys. Rev., 108, 1063-1069."
    )
    assert (regge.title, regge.container_title) == ("Stability of a Schwarzschild Singularity", "Phys. Rev")


def test_aastex_journal_volume_and_page_after_the_year() -> None:
    """AASTeX prints no titles, and often a journal and volume without a page: the tagger, with no title to
    go by, read "ApJ" as a volume and the volume as a page, or a volume and a page as volume and issue."""
    for text, expected in [
        ("Mann, A. W., Gaidos, E., Mace, G. N., et al. 2016a, ApJ, 818", ("ApJ", "818", "", "")),
        ("Fulton, B. J., Petigura, E. A., Howard, A. W., et al. 2017, AJ, 154,", ("AJ", "154", "", "")),
        ("Paxton, B., Bildsten, L., Dotter, A., et al. 2011, ApJS, 192, 3", ("ApJS", "192", "", "3")),
        (
            "Li, J., Jing, Y., Liu, Y., et al. 2021, PeerJ, 9, e11816, doi: 10.7717/peerj.11816",
            ("PeerJ", "9", "", "e11816"),
        ),
    ]:
        reference = parse_reference(text)
        assert (reference.container_title, reference.volume, reference.issue, reference.page) == expected
    # MNRAS prints the DOI between the journal and the volume: its digits are no volume
    wolfer = parse_reference("Wölfer L., Picogna G., Ercolano B., 2019, MNRAS, 10.1093/mnras/stz2939, 490, 5596")
    assert (wolfer.volume, wolfer.page, wolfer.doi) == ("490", "5596", "10.1093/mnras/stz2939")
