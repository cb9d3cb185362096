"""Every registered rule fires on an example of what it is for: offline rules on a small .bib, the verification
rules (RK6xx) against records served over HTTP by the fake Crossref. A rule added without an example here fails
`test_every_rule_has_an_example`: add one (a rule no test makes fire is a rule nobody knows works)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from refkit.bib import parse_bibliography
from refkit.checks.registry import RULES
from refkit.config import Settings
from refkit.sources.crossref import CrossrefSource
from refkit.sources.http import HttpClient, RetryPolicy
from refkit.validate import validate_bibliography
from tests.fakecrossref.server import FakeCrossref

OFFLINE_RULES = ["RK1", "RK2", "RK3", "RK4", "RK5", "RK8"]
ARTICLE = "author = {Roe, Jo}, title = {Tidal mixing in shallow estuaries}, journal = {Estuaries}, year = {2020}"

# Rule id → a file in which it fires (the other rules may fire too).
OFFLINE = {
    "RK101": "@article{a, title = {unclosed\n",
    "RK102": f"@article{{a, {ARTICLE}}}\n@article{{a, {ARTICLE.replace('Tidal', 'Wind')}}}\n",
    "RK103": f"@article{{a, {ARTICLE}, title = {{Second title}}}}\n",
    "RK104": f'@article{{a, {ARTICLE}, note = "an unbalanced {{brace"}}\n',
    "RK105": "@article{a, author = {Roe, Jo}, title = {T}, journal = jestuar, year = {2020}}\n",
    "RK106": "@weird{a, author = {Roe, Jo}, title = {T}, year = {2020}}\n",
    "RK107": f"@article{{a, {ARTICLE}, crossref = {{b}}}}\n@article{{b, {ARTICLE}, crossref = {{a}}}}\n",
    "RK108": "".join(f"@string{{s{i} = s{i - 1} # s{i - 1}}}\n" for i in range(1, 24)).replace("s0 # s0", '"xx" # "xx"')
    + f"@article{{a, {ARTICLE}, note = s23}}\n",
    "RK109": f"@article{{, {ARTICLE}}}\n",
    "RK207": "@book{a, author = {Roe, Jo}, title = {Tides}, publisher = {P}, year = {2020}, isbn = {0378-5955}}\n",
    "RK307": "@article{a, author = {Roe, Jo}, title = {Tides}, journal = {Estuaries}, year = {in press}}\n",
    "RK201": "@article{a, author = {Roe, Jo}, title = {Tidal mixing}, year = {2020}}\n",
    "RK202": f"@article{{a, {ARTICLE}, note = {{}}}}\n",
    "RK203": f"@article{{a, {ARTICLE}, doi = {{11.1234/tidal}}}}\n",
    "RK204": f"@article{{a, {ARTICLE}, issn = {{1234-5678}}}}\n",  # the check digit is 9
    "RK205": "@book{a, author = {Roe, Jo}, title = {Tides}, publisher = {Estuary Press}, year = {2020},"
    " isbn = {978-3-16-148410-1}}\n",  # the check digit is 0
    "RK206": f"@article{{a, {ARTICLE}, url = {{www.example.org/tidal.pdf}}}}\n",
    "RK301": f"@article{{a, {ARTICLE.replace('2020', '2999')}}}\n",
    "RK302": f"@article{{a, {ARTICLE.replace('2020', '1200')}}}\n",
    "RK303": f"@article{{a, {ARTICLE.replace('2020', '20x0')}}}\n",
    "RK304": f"@article{{a, {ARTICLE}, month = {{13}}}}\n",
    "RK305": f"@article{{a, {ARTICLE}, pages = {{see text}}}}\n",
    "RK306": f"@article{{a, {ARTICLE}, pages = {{9--1}}}}\n",
    "RK401": f"@article{{a, {ARTICLE.replace('Roe, Jo', 'Roe, Jo and et al.')}}}\n",
    "RK402": f"@article{{a, {ARTICLE.replace('Roe, Jo', 'others and Roe, Jo')}}}\n",
    "RK403": f"@article{{a, {ARTICLE.replace('Roe, Jo', 'Roe, Jo and others')}}}\n",
    "RK501": f"@article{{a, {ARTICLE}, doi = {{10.5555/tidal}}}}\n"
    f"@article{{b, {ARTICLE.replace('Tidal', 'Wind')}, doi = {{10.5555/TIDAL}}}}\n",
    "RK502": f"@article{{a, {ARTICLE}}}\n@article{{b, {ARTICLE.replace('Roe, Jo', 'Poe, Al')}}}\n",
    "RK801": f"@article{{a, {ARTICLE.replace('2020', '2019')}, eprint = {{2310.01362}}, archiveprefix = {{arXiv}}}}\n",
    "RK802": f"@article{{a, {ARTICLE}, doi = {{10.48550/arXiv.2310.xxxx}}}}\n",
    "RK803": f"@article{{a, {ARTICLE.replace('Roe, Jo', 'Doe, John')}}}\n",
    "RK804": "@inproceedings{a, title = {T}, author = {Wu, Xueyang}, booktitle = {ICML}, year = {2023},"
    " doi = {10.1609/AAAI.V37I9.26237}}\n",
    "RK805": "@inproceedings{a, title = {T}, author = {Wu, Xueyang}, booktitle = {Proceedings of the IEEE/CVF"
    " Conference on Computer Vision and Pattern Recognition}, year = {2020}, doi = {10.1109/CVPR52729.2023.00373}}\n",
    "RK806": "@inproceedings{a, title = {Sparse Sinkhorn Attention}, author = {Tay, Yi}, booktitle = {ICML},"
    " year = {2023}, doi = {10.48550/arXiv.2002.11296}}\n",
}

# Records the fake Crossref serves (written for this test, in Crossref's shape; 10.5555 is a test prefix).
TITLE = "Sediment grain size and organic carbon in eelgrass beds of the northern Kattegat"
WORK = {
    "DOI": "10.5555/rules.work",
    "type": "journal-article",
    "title": [TITLE],
    "author": [{"family": "Lindqvist", "given": "Karin"}, {"family": "Aho", "given": "Mikko"}],
    "container-title": ["Marine Ecology Progress Series"],
    "volume": "612",
    "issue": "3",
    "page": "37-49",
    "issued": {"date-parts": [[2019, 3]]},
}


def updated_work(suffix: str, title: str, kind: str) -> dict:
    """A work with a notice of `kind` (retraction, correction, …) recorded against it."""
    return dict(
        WORK,
        DOI=f"10.5555/rules.{suffix}",
        title=[title],
        **{"updated-by": [{"type": kind, "DOI": f"10.5555/rules.{suffix}-notice", "label": kind.title()}]},
    )


RETRACTED = updated_work("retracted", "Seagrass loss and sediment carbon release along the Baltic coast", "retraction")
CONCERN = updated_work("concern", "Eelgrass recovery after dredging in a Danish fjord", "expression_of_concern")
CORRECTED = updated_work("corrected", "Carbon burial rates in Kattegat seagrass meadows", "correction")
NOTICE = {
    "DOI": "10.5555/rules.notice",
    "type": "journal-article",
    "title": ["Retraction notice to: Nitrogen uptake by eelgrass roots in winter"],
    "container-title": ["Marine Ecology Progress Series"],
    "issued": {"date-parts": [[2021, 5]]},
    "update-to": [{"type": "retraction", "DOI": "10.5555/rules.nitrogen", "label": "Retraction"}],
}
VERSION_TITLE = "Wave exposure shapes eelgrass patch dynamics in the Kattegat"
PREPRINT = {  # a preprint (Crossref posted-content) and the article it became
    "DOI": "10.5555/rules.preprint",
    "type": "posted-content",
    "title": [VERSION_TITLE],
    "author": WORK["author"],
    "issued": {"date-parts": [[2018, 11]]},
}
PUBLISHED = dict(WORK, DOI="10.5555/rules.published", title=[VERSION_TITLE], volume="630", page="1-12")
RECORDS = [WORK, RETRACTED, CONCERN, CORRECTED, NOTICE, PREPRINT, PUBLISHED]


def cited(key: str, record: dict = WORK, doi: str | None = "", **fields: str) -> str:
    """The record as an entry cites it (with its DOI unless `doi` is None), with `fields` written instead."""
    values = {
        "author": " and ".join(f"{a['family']}, {a['given']}" for a in record.get("author", WORK["author"])),
        "title": record["title"][0],
        "journal": record["container-title"][0],
        "year": str(record["issued"]["date-parts"][0][0]),
        "volume": record.get("volume", ""),
        "number": record.get("issue", ""),
        "pages": record.get("page", "").replace("-", "--"),
        "doi": record["DOI"] if doi == "" else (doi or ""),
    }
    values.update(fields)
    body = ",\n  ".join(f"{name} = {{{value}}}" for name, value in values.items() if value)
    return f"@article{{{key},\n  {body}\n}}\n"


# Rule id → an entry (keyed by the rule id) on which it fires when verified against RECORDS.
ONLINE = {
    "RK601": cited("rk601", doi="10.5555/rules.unregistered"),
    "RK602": cited("rk602", doi="10.5281/zenodo.7654321", title="Grain size counts of Kattegat sediment cores"),
    "RK603": cited(
        "rk603",
        author="Kowalczyk, A. and Tanaka, B.",
        title="Low-latency scheduling for edge inference on heterogeneous accelerators",
        journal="IEEE Transactions on Parallel and Distributed Systems",
        year="2022",
        volume="33",
        number="7",
        pages="1654--1667",
    ),
    "RK610": cited("rk610", title="Organic matter and grain size in the sediments of northern Kattegat eelgrass"),
    "RK611": cited("rk611", author="Berg, Anna and Holm, Per"),
    "RK612": cited("rk612", year="2015"),
    "RK613": cited("rk613", journal="Estuarine, Coastal and Shelf Science"),
    "RK614": cited("rk614", volume="599"),
    "RK615": cited("rk615", number="7"),
    "RK616": cited("rk616", pages="101--113"),
    "RK617": cited("rk617", year="2018"),
    "RK618": cited("rk618", PUBLISHED, doi=PREPRINT["DOI"]),  # the published article, with the preprint's DOI
    "RK620": cited("rk620", doi=None),
    "RK630": cited(
        "rk630",
        doi=None,
        author="Quill, Penelope",
        title="A randomized trial of imatinib holidays in chronic myeloid leukemia",
        journal="Nature",
        year="2020",
    ),
    "RK631": cited("rk631", doi=None, author="Quill, Penelope", journal="Nature", year="2005", volume="", pages=""),
    "RK640": cited("rk640", RETRACTED),
    "RK641": cited("rk641", CONCERN),
    "RK642": cited("rk642", CORRECTED),
    "RK643": cited("rk643", NOTICE, author="Lindqvist, Karin"),
}

# Rule id → an entry on which it fires when validated offline with neither a snapshot nor a cache to answer.
UNANSWERED = {"RK690": cited("rk690")}


def fired(text: str, settings: Settings, source: CrossrefSource | None = None) -> dict[str, set[str]]:
    """The rules that fired, by entry key (None for findings outside an entry)."""
    report = validate_bibliography(parse_bibliography(text, "rules.bib"), settings, source=source)
    by_key: dict[str, set[str]] = {}
    for finding in report.findings:
        by_key.setdefault(finding.key or "", set()).add(finding.rule)
    return by_key


def test_every_rule_has_an_example() -> None:
    missing = sorted(set(RULES) - set(OFFLINE) - set(ONLINE) - set(UNANSWERED))
    assert missing == [], f"rules with no example that makes them fire: {missing}"
    assert not (set(OFFLINE) | set(ONLINE) | set(UNANSWERED)) - set(RULES), "an example names no registered rule"


@pytest.mark.parametrize("rule_id", sorted(OFFLINE))
def test_offline_rule_fires(rule_id: str) -> None:
    assert not RULES[rule_id].online
    rules = set().union(*fired(OFFLINE[rule_id], Settings(select=OFFLINE_RULES)).values())
    assert rule_id in rules, rules


@pytest.fixture(scope="module")
def online_findings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, set[str]]]:
    """All ONLINE entries verified in one run against the fake Crossref serving RECORDS."""
    with FakeCrossref(RECORDS) as fake:
        settings = Settings(
            api_url=fake.url, cache_dir=tmp_path_factory.mktemp("cache"), mailto="tests@example.org", select=["RK6"]
        )
        source = CrossrefSource(settings, client=HttpClient(settings, retry=RetryPolicy(attempts=2, backoff=0.01)))
        try:
            yield fired("".join(ONLINE.values()), settings, source)
        finally:
            source.close()


@pytest.mark.parametrize("rule_id", sorted(ONLINE))
def test_online_rule_fires(rule_id: str, online_findings: dict[str, set[str]]) -> None:
    assert RULES[rule_id].online
    assert rule_id in online_findings.get(rule_id.lower(), set()), online_findings.get(rule_id.lower())


@pytest.mark.parametrize("rule_id", sorted(UNANSWERED))
def test_unanswered_rule_fires(rule_id: str, tmp_path: Path) -> None:
    settings = Settings(offline=True, snapshot=[], cache_dir=tmp_path / "cache", select=["RK6"])
    assert rule_id in fired(UNANSWERED[rule_id], settings).get(rule_id.lower(), set())
