"""The matcher: field agreement and the precision-first decision, on BibTeX entries written here and records
in Crossref's shape (one real record from ../shared/data/crossref-records, the rest typed from public facts)."""

from __future__ import annotations

import json

import pytest

from refkit.bib import parse_bibliography, to_reference
from refkit.match import (
    Decision,
    best_match,
    compare,
    container_agrees,
    pages_agree,
    same_name,
    title_similarity,
)
from refkit.model import Name, Reference
from refkit.sources.records import to_reference as record_reference
from tests.conftest import shared_file
from tests.records import STIM_RECORD

STIM = record_reference(STIM_RECORD)


def entry(bibtex: str) -> Reference:
    [parsed] = parse_bibliography(bibtex).entries
    return to_reference(parsed)


def stim_entry(**fields: str) -> Reference:
    values = {
        "author": "Mahon, F.-X. and others",
        "journal": "Lancet Oncol",
        "year": "2010",
        "volume": "11",
        "number": "11",
        "pages": "1029--35",
        "title": "Discontinuation of imatinib in patients with chronic myeloid leukaemia who have maintained "
        "complete molecular remission for at least 2 years: the prospective, multicentre Stop "
        "Imatinib ({STIM}) trial",
    }
    values.update(fields)
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in values.items() if value)
    return entry(f"@article{{k,\n{body}\n}}\n")


def test_titles_fold_case_accents_latex_and_markup():
    assert title_similarity(r"Die {\"U}bersetzung von Stra{\ss}en", "Die Übersetzung von Strassen") == 1.0
    assert title_similarity("Growth of <i>E. coli</i>", "Growth of E. Coli") == 1.0
    assert title_similarity("Attention is all you need", "Attention is all you need: a study") == 0.95
    assert title_similarity("Deep learning", "Deep learning: a review") < 0.9  # too short to count as a main title
    assert title_similarity("Mechanisms of resistance", "A survey of graph neural networks") < 0.5


def test_titles_that_differ_only_in_word_breaks_are_the_same_title():
    # bioRxiv's record and Crossref's of one preprint (HALLMARK's cross-domain pool): JATS markup splits
    # "T<sub>H</sub>2", and registries join or split compound words.
    crossref = (
        "Identification of a novel enhancer essential for\n  <i>Satb1</i>\n  expression in T\n  <sub>H</sub>\n  2 cells"
    )
    assert (
        title_similarity(crossref, "Identification of a novel enhancer essential for Satb1 expression in TH2 cells")
        == 1.0
    )
    written = entry("@article{k, title={Consequences of a learned multi-timescale strategy}, year=2021}")
    recorded = Reference(title="Consequences of a learned multi-time scale strategy", year=2021)
    assert compare(written, recorded).agreement["title"] is True
    assert title_similarity("Part 2 of the study", "Part 3 of the study") < 0.9  # letters differ: not this rule


@pytest.mark.parametrize(
    ("written", "recorded", "agree"),
    [
        ("2408-17", "2408–2417", True),
        ("2408--2417", "2408-2417", True),
        ("2408", "2408–2417", True),
        ("2408-2418", "2408–2417", False),
        ("e33693", "e33693", True),
        ("685--693", "747–757", False),
    ],
)
def test_pages(written, recorded, agree):
    assert pages_agree(written, recorded) is agree


@pytest.mark.parametrize(
    ("written", "recorded", "agree"),
    [
        ("N Engl J Med", "New England Journal of Medicine", True),
        ("J Natl Cancer Inst", "Journal of the National Cancer Institute", True),
        ("Hematol Oncol Clin North Am", "Hematology/Oncology Clinics of North America", True),
        ("Lancet Oncology", "The Lancet Oncology", True),
        ("Journal of Clinical Oncology", "Journal of Clinical Investigation", False),
        ("Leukemia", "Leukemia Research", False),
    ],
)
def test_container_names_and_abbreviations(written, recorded, agree):
    assert container_agrees(Reference(container_title=written), Reference(container_title=recorded)) is agree


def test_container_agrees_by_issn():
    assert container_agrees(
        Reference(container_title="PLOS 1", issn=("1932-6203",)),
        Reference(container_title="PLoS ONE", issn=("1932-6203",)),
    )


def test_names():
    assert same_name(Name("Gambacorti-Passerini", "C."), Name("Gambacorti Passerini", "Carlo"))
    assert same_name(Name("Sau\u00dfele"), Name("Saussele"))
    assert same_name(Name("Réa"), Name("Rea"))
    assert not same_name(Name("Smith"), Name("Smyth"))
    assert not same_name(Name("Patel"), Name("Jabbour"))


def test_names_with_a_particle_on_one_side_only_two_surnames_or_swapped_order():
    assert same_name(Name("Son", "Dana", particle="van"), Name("van Son", "Dana"))  # BibTeX's vs Crossref's
    assert same_name(Name("Castillo-Morales", "Ruth Mariela"), Name("Castillo", "R. M."))  # the first surname
    assert same_name(Name("Shuai", "Min"), Name("min", "s."))  # East Asian order, given name as family
    assert not same_name(Name("Shuai", "Min"), Name("min", "t."))
    assert not same_name(Name("Son", "Dana"), Name("Sonne", "Dana"))
    assert not same_name(Name("Castillo"), Name("Castro Morales"))


def test_catalogue_qualifiers_of_a_venue_are_not_part_of_its_name():
    nlm = Reference(container_title="Bladder cancer (Amsterdam, Netherlands)")
    assert container_agrees(Reference(container_title="Bladder Cancer"), nlm)
    assert not container_agrees(Reference(container_title="Kidney Cancer"), nlm)


def test_exact_citation_is_accepted_with_no_disagreement():
    match = compare(stim_entry(), STIM)
    assert match.decision is Decision.ACCEPT
    assert match.disagreements == []
    assert match.agreement["page"] and match.agreement["container"]


def test_wrong_year_volume_issue_pages_still_identify_the_work():
    match = compare(stim_entry(year="2012", volume="13", number="2", pages="100--110"), STIM)
    assert match.decision is Decision.ACCEPT
    assert match.disagreements == ["year", "volume", "issue", "page"]


def test_title_of_one_work_with_authors_year_venue_of_another_is_a_miscitation():
    match = compare(
        stim_entry(
            author="Patel, A. B. and others",
            journal="Pharmacology {\\&} Therapeutics",
            year="2017",
            volume="173",
            number="",
            pages="1--17",
        ),
        STIM,
    )
    assert match.decision is Decision.MISCITATION


def test_same_author_and_venue_but_another_title_is_no_match():
    match = compare(
        stim_entry(
            title="Imatinib for newly diagnosed chronic-phase chronic myeloid leukemia: results "
            "from the randomized STIM-IV study"
        ),
        STIM,
    )
    assert match.title < 0.9
    assert match.decision is Decision.NO_MATCH


def test_close_title_needs_everything_else():
    near = (
        "Stopping imatinib in patients with chronic myeloid leukaemia who have maintained complete molecular "
        "remission for 2 years: the multicentre STIM trial"
    )
    assert 0.75 < compare(stim_entry(title=near), STIM).title < 0.9
    assert compare(stim_entry(title=near), STIM).decision is Decision.ACCEPT  # author, year, venue, pages agree
    assert compare(stim_entry(title=near, year="2011", pages=""), STIM).decision is Decision.NO_MATCH


def test_online_first_year_is_weak_agreement_and_print_year_agrees():
    record = record_reference(
        {
            "DOI": "10.5555/a",
            "title": STIM.title and [STIM.title],
            "author": [{"family": "Mahon"}],
            "issued": {"date-parts": [[2010, 10]]},
            "published-print": {"date-parts": [[2011, 1]]},
        }
    )
    assert compare(stim_entry(year="2011", journal=""), record).agreement["year"] is True
    shifted = compare(stim_entry(year="2009", journal=""), record)
    assert shifted.agreement["year"] is False and shifted.near_year
    assert shifted.decision is Decision.ACCEPT  # title + first author + a year one off


def test_author_lists():
    record = record_reference(
        {
            "DOI": "10.5555/b",
            "title": ["A title long enough to match"],
            "author": [{"family": "Jabbour"}, {"family": "Parikh"}, {"family": "Kantarjian"}],
        }
    )
    title = "A title long enough to match"
    assert (
        compare(entry(f"@article{{a, title={{{title}}}, author={{Jabbour, E. and others}}}}"), record).agreement[
            "author"
        ]
        is True
    )
    partial = compare(entry(f"@article{{a, title={{{title}}}, author={{Jabbour, E. and Kantarjian, H.}}}}"), record)
    assert partial.agreement["author"] is False  # a shortened list without "and others"
    swapped = compare(
        entry(f"@article{{a, title={{{title}}}, author={{Parikh, S. and Jabbour, E. and Kantarjian, H.}}}}"), record
    )
    assert swapped.agreement["author"] is False


def test_best_match_prefers_accepted_over_higher_title_similarity():
    other = record_reference(
        {
            "DOI": "10.5555/c",
            "title": [STIM.title],
            "author": [{"family": "Someone"}],
            "issued": {"date-parts": [[1999]]},
        }
    )
    best = best_match(stim_entry(), [other, STIM])
    assert best is not None and best.record.doi == STIM.doi


def test_real_record_with_perturbations():
    """A real record (shared/data/crossref-records) cited correctly, then with a wrong year and pages."""
    for line in shared_file("data", "crossref-records", "works.jsonl").open(encoding="utf-8"):
        record = json.loads(line)
        if record["DOI"] == "10.1007/s12195-021-00671-2":
            break
    real = record_reference(record)
    bib = (
        "@article{f, author={Farnham, Margot S. and Ortved, Kyla F. and Burris, David L. and Price, Christopher},"
        " title={Articular cartilage friction, strain, and viability under physiological to pathological "
        "benchtop sliding conditions}, journal={Cell. Mol. Bioeng.}, year={2021}, volume={14}, pages={349--63}}"
    )
    assert compare(entry(bib), real).disagreements == []
    wrong = compare(entry(bib.replace("2021", "2020").replace("349--63", "394--63")), real)
    assert wrong.decision is Decision.ACCEPT
    assert wrong.disagreements == ["year", "page"]


def test_titles_that_differ_in_a_number_are_siblings_not_the_same_work():
    part_one = record_reference(
        {
            "DOI": "10.5555/part.1",
            "title": ["Imatinib resistance in chronic myeloid leukemia, part 1: mechanisms"],
            "author": [{"family": "Quintás-Cardama", "given": "Alfonso"}],
            "container-title": ["Leukemia"],
            "issued": {"date-parts": [[2009]]},
            "volume": "23",
            "page": "101-109",
        }
    )
    part_two = entry(
        "@article{q, author={Quint{\\'a}s-Cardama, A.}, title={Imatinib resistance in chronic myeloid "
        "leukemia, part 2: mechanisms}, journal={Leukemia}, year={2009}, volume={23}, pages={110--118}}"
    )
    assert title_similarity(part_two.title, part_one.title) <= 0.85
    assert compare(part_two, part_one).decision is Decision.NO_MATCH
    update_2020 = record_reference(
        {
            "DOI": "10.5555/update",
            "title": ["Chronic myeloid leukemia: 2020 update on diagnosis, therapy and monitoring"],
            "author": [{"family": "Jabbour"}],
            "container-title": ["American Journal of Hematology"],
            "issued": {"date-parts": [[2020]]},
        }
    )
    cited = entry(
        "@article{j, author={Jabbour, E.}, title={Chronic myeloid leukemia: 2018 update on diagnosis, "
        "therapy and monitoring}, journal={American Journal of Hematology}, year={2018}}"
    )
    assert compare(cited, update_2020).decision is Decision.NO_MATCH


def test_surnames_split_in_another_place_are_one_person():
    """ "First Last" names without a comma put a second surname among the given names."""
    assert same_name(Name("Miguel", "Baldomero Oliva"), Name("Oliva", "B."))
    assert same_name(Name("Duque", "Jonny E."), Name("Luna", "J. E. Duque"))
    assert not same_name(Name("Miguel", "Baldomero Oliva"), Name("Oliva", "T."))  # another initial
    assert not same_name(Name("Miguel", "Baldomero"), Name("Oliva", "B."))


def test_a_registry_title_with_a_running_head_appended_is_the_same_title():
    """Wiley's Crossref titles end with the running head after the article's own subtitle."""
    record = Reference(
        title="The Effects of SSRIs on Depressive Symptoms in Multiple Sclerosis: A Meta-analysis: SSRIs in MS"
    )
    cited = Reference(title="The effects of SSRIs on depressive symptoms in multiple sclerosis: a meta-analysis")
    assert compare(cited, record).agreement["title"] is True
    assert compare(record, cited).agreement["title"] is True
    other = Reference(title="The effects of SSRIs on depressive symptoms in multiple sclerosis: a cohort study")
    assert compare(other, record).agreement["title"] is False


def test_a_biorxiv_preprint_is_cited_by_the_year_of_any_of_its_versions():
    """Its DOI carries the first version's day; a server describing the latest version gives that year."""
    latest = Reference(title="Brain state and layer mechanisms", doi="10.1101/2021.11.16.468866", year=2023)
    for year, agrees in ((2021, True), (2022, True), (2023, True), (2020, False), (2024, False)):
        assert compare(Reference(title=latest.title, year=year), latest).agreement["year"] is agrees
    old_style = Reference(title=latest.title, doi="10.1101/572156", year=2021)
    assert compare(Reference(title=latest.title, year=2019), old_style).agreement["year"] is False


def test_medline_names_read_by_bibtex_as_given_then_family_are_still_the_person():
    """ "Smith JA" (MEDLINE, Vancouver) is read by BibTeX as given "Smith", family "JA"."""
    cited = entry("@article{a, author = {Rezvani Kakhki B and de Vries PS and Kim DH}, title = {T}}").authors
    recorded = [Name("Rezvani Kakhki", "Behrang"), Name("de Vries", "Paul S."), Name("Kim", "Dong Hyun")]
    assert all(same_name(written, name) for written, name in zip(cited, recorded, strict=True))
    assert not same_name(cited[2], Name("Park", "Dong Hyun"))
