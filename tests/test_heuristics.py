"""Offline signs of invented references (RK8xx), on entries written here."""

from __future__ import annotations

from refkit.bib import parse_bibliography, to_reference
from refkit.checks.heuristics import heuristics


def findings(bibtex: str):
    bibliography = parse_bibliography(bibtex, "refs.bib")
    return heuristics([(entry, to_reference(entry, "refs.bib")) for entry in bibliography.entries])


def test_year_before_the_arxiv_identifier():
    [finding] = findings(
        "@inproceedings{a, title={T}, author={Wu, Yuxin}, booktitle={ICLR}, year={2022},\n"
        "  doi={10.48550/arXiv.2310.01362}}"
    )
    assert (finding.rule, finding.written, finding.recorded, finding.line) == ("RK801", "2022", "2023", 1)
    assert "2310.01362" in finding.message
    # Published the year of the preprint or later: fine; URL and eprint forms are read too.
    assert findings("@article{b, title={T}, year={2023}, doi={10.48550/arXiv.2310.01362}}") == []
    assert findings("@misc{c, title={T}, year={2025}, url={https://arxiv.org/abs/2310.01362v2}}") == []
    [late] = findings("@misc{d, title={T}, year={2019}, eprint={2104.01404}, archiveprefix={arXiv}}")
    assert late.recorded == "2021"


def test_a_biblatex_date_is_pointed_at_where_it_is_written():
    [finding] = findings("@online{a, title={T},\n  date={2021-05},\n  eprint={2310.01362}, eprinttype={arxiv}}")
    assert (finding.rule, finding.field, finding.line) == ("RK801", "date", 2)


def test_old_style_and_non_arxiv_numbers_are_ignored():
    assert findings("@misc{a, title={T}, year={1999}, eprint={hep-th/9901001}, archiveprefix={arXiv}}") == []
    assert findings("@article{b, title={T}, year={2001}, doi={10.1103/PhysRevB.2310.01362}}") == []


def test_placeholder_identifiers_and_authors():
    result = findings(
        "@article{a, title={T}, year={2023}, author={Doe, John and Smith, Alice and Author One},\n"
        "  doi={10.48550/arXiv.2310.xxxx}}"
    )
    assert sorted((f.rule, f.written) for f in result) == [
        ("RK802", "10.48550/arXiv.2310.xxxx"),
        ("RK803", "Doe, John"),
        ("RK803", "One, Author"),
    ]
    assert findings("@article{b, title={T}, year={2023}, author={Doe, Mary Ann and Smith, John}}") == []


def test_doi_that_spells_out_another_venue_or_year():
    result = findings(
        "@inproceedings{a, title={T}, author={Wu, Xueyang}, booktitle={ICML}, year={2023},\n"
        "  doi={10.1609/AAAI.V37I9.26237}}"
    )
    assert [(f.rule, f.written, f.recorded) for f in result] == [("RK804", "ICML", "AAAI")]
    [year] = findings(
        "@inproceedings{b, title={T}, booktitle={Proceedings of the IEEE/CVF Conference on Computer "
        "Vision and Pattern Recognition}, year={2020}, doi={10.1109/CVPR52729.2023.00373}}"
    )
    assert (year.rule, year.written, year.recorded) == ("RK805", "2020", "2023")
    acl = findings(
        "@inproceedings{c, title={T}, booktitle={Findings of EMNLP}, year={2020},\n"
        "  doi={10.18653/v1/2020.acl-main.123}}"
    )
    assert [f.rule for f in acl] == ["RK804"]


def test_doi_venue_and_year_that_agree_or_say_nothing():
    assert findings("@inproceedings{a, title={T}, booktitle={AAAI}, year={2023}, doi={10.1609/aaai.v37i9.26237}}") == []
    # Preprint and proceedings a year apart are common: not flagged here (RK617 reports it when records agree).
    assert findings("@inproceedings{b, title={T}, booktitle={CVPR}, year={2022}, doi={10.1109/CVPR52729.2023.1}}") == []
    assert findings("@article{c, title={T}, journal={Nature}, year={2015}, doi={10.1038/nature14539}}") == []


def test_proceedings_years_after_the_preprint():
    [finding] = findings(
        "@inproceedings{a, title={Sparse Sinkhorn Attention}, booktitle={ICML}, year={2023},\n"
        "  doi={10.48550/arXiv.2002.11296}}"
    )
    assert (finding.rule, finding.written, finding.recorded) == ("RK806", "2023", "2020")
    assert "3 years after" in finding.message
    # A year or two is the usual review delay; journals take longer, so only proceedings are checked.
    assert (
        findings(
            "@inproceedings{b, title={T}, booktitle={ICML}, year={2022}, eprint={2002.11296}, archiveprefix={arXiv}}"
        )
        == []
    )
    assert (
        findings(
            "@article{c, title={T}, journal={Annals of Statistics}, year={2024},\n  doi={10.48550/arXiv.2002.11296}}"
        )
        == []
    )
