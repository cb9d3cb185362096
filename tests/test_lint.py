import datetime

import pytest

from refkit.bib import parse_bibliography, to_reference
from refkit.checks import catalogue_markdown
from refkit.checks.lint import lint
from refkit.checks.registry import RULES, rule_selected
from tests.conftest import ROOT

TODAY = datetime.date(2026, 11, 25)
GOOD = """@article{good2020,
  author = {Nguyen, Thi and M{\\"u}ller, Hans},
  title = {A perfectly ordinary article},
  journal = {Journal of Things},
  year = {2020}, month = mar,
  volume = {12}, number = {3}, pages = {101--109},
  doi = {10.1234/jot.2020.101},
  issn = {0028-4793},
  isbn = {978-0-306-40615-7},
  url = {https://example.org/a}
}
"""


def findings_for(text: str) -> list[tuple[str, str | None, int | None]]:
    bib = parse_bibliography(text, "t.bib")
    found = lint(bib, [to_reference(e, "t.bib") for e in bib.entries], today=TODAY)
    return [(f.rule, f.key, f.line) for f in found]


def rules_for(text: str) -> set[str]:
    return {rule for rule, _, _ in findings_for(text)}


def test_a_clean_entry_has_no_findings():
    assert findings_for(GOOD) == []


def test_the_sample_bibliography_has_only_truncation_notes():
    text = (ROOT / "references.bib").read_text(encoding="utf-8")
    assert rules_for(text) == {"RK403"}


@pytest.mark.parametrize(
    ("change", "rule", "line"),
    [
        (("doi = {10.1234/jot.2020.101}", "doi = {10.12/x y}"), "RK203", 7),
        (("issn = {0028-4793}", "issn = {0028-4794}"), "RK204", 8),
        (("isbn = {978-0-306-40615-7}", "isbn = {978-0-306-40615-8}"), "RK205", 9),
        (("url = {https://example.org/a}", "url = {example.org/a}"), "RK206", 10),
        (("year = {2020}", "year = {2031}"), "RK301", 5),
        (("year = {2020}", "year = {1066}"), "RK302", 5),
        (("year = {2020}", "year = {20}"), "RK303", 5),
        (("month = mar", "month = {Spring}"), "RK304", 5),
        (("pages = {101--109}", "pages = {101 to 109}"), "RK305", 6),
        (("pages = {101--109}", "pages = {109--101}"), "RK306", 6),
        (('M{\\"u}ller, Hans}', 'M{\\"u}ller, Hans and et al.}'), "RK401", 2),
        (("Nguyen, Thi and", "Nguyen, Thi and others and"), "RK402", 2),
        (('M{\\"u}ller, Hans}', 'M{\\"u}ller, Hans and others}'), "RK403", 2),
        (("journal = {Journal of Things},\n", ""), "RK201", 1),
        (("volume = {12}", "volume = {}"), "RK202", 6),
        (("title = {A perfectly ordinary article}", 'title = "A {broken article"'), "RK104", 3),
        (("journal = {Journal of Things}", "journal = jot"), "RK105", 4),
        (("@article{", "@artikel{"), "RK106", 1),
    ],
)
def test_each_rule_fires_on_its_problem(change, rule, line):
    old, new = change
    assert old in GOOD
    found = findings_for(GOOD.replace(old, new))
    assert (rule, "good2020", line) in found


def test_a_biblatex_date_is_checked_for_its_year():
    dated = GOOD.replace("year = {2020}, month = mar,", "date = {2031-03},")
    assert ("RK301", "good2020", 5) in findings_for(dated)
    assert ("RK302", "good2020", 5) in findings_for(dated.replace("2031-03", "1066"))
    for fine in ["2020-03-14", "2020-05/2021-01", "2021~", "{2020}"]:
        assert rules_for(dated.replace("2031-03", fine)) == set(), fine


def test_pages_forms_that_are_fine():
    for pages in ["e1234", "S12--S19", "12, 15--17", "xi--xiv", "123", "99--101", "1029--35"]:
        assert "RK305" not in rules_for(GOOD.replace("101--109", pages)), pages
        assert "RK306" not in rules_for(GOOD.replace("101--109", pages)), pages


def test_parse_problems_and_duplicates():
    text = (
        GOOD
        + GOOD
        + GOOD.replace("good2020", "copy").replace("doi = {10.1234/jot.2020.101}", "note = {no DOI}")
        + "@article{broken, title = {x}\n"
    )
    found = findings_for(text)
    assert ("RK102", "good2020", 12) in found
    assert ("RK502", "copy", 23) in found
    assert any(rule == "RK101" for rule, _, _ in found)


def test_duplicate_doi_is_reported_once_on_the_later_entry():
    found = findings_for(GOOD + GOOD.replace("good2020", "again").replace("ordinary", "different"))
    assert [f for f in found if f[0] == "RK501"] == [("RK501", "again", 12)]


def test_selection_follows_ruff_semantics():
    assert rule_selected("RK301", [], [])
    assert not rule_selected("RK301", ["RK1"], [])
    assert rule_selected("RK301", ["RK3"], ["RK30"]) is False
    assert rule_selected("RK301", ["RK301"], ["RK3"])
    assert not rule_selected("RK403", [], ["RK403"])


def test_every_rule_has_a_unique_name_and_docs_rules_md_is_current():
    names = [rule.name for rule in RULES.values()]
    assert len(names) == len(set(names))
    assert (ROOT / "docs" / "rules.md").read_text(encoding="utf-8") == catalogue_markdown(), (
        "regenerate with: refkit rules --format markdown > docs/rules.md"
    )


def test_an_arxiv_preprint_needs_no_journal():
    preprint = GOOD.replace("journal = {Journal of Things},\n", "").replace(
        "doi = {10.1234/jot.2020.101}", "doi = {10.48550/arXiv.2602.12275}"
    )
    assert "RK201" not in rules_for(preprint)
    assert "RK201" in rules_for(GOOD.replace("journal = {Journal of Things},\n", ""))
