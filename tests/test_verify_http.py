"""`refkit validate` end to end over real HTTP: the verification rules against the fake Crossref server
(tests/fakecrossref, the `fake_crossref` fixture of conftest.py), including a server that fails, which must
give "unverified", never "not found"."""

from __future__ import annotations

from refkit.bib import parse_bibliography
from refkit.config import Settings
from refkit.model import Status
from refkit.sources.crossref import CrossrefSource
from refkit.sources.http import HttpClient, RetryPolicy
from refkit.validate import validate_bibliography

BIB = r"""
@article{druker2001,
  author = {Druker, Brian J. and others},
  title = {Efficacy and safety of a specific inhibitor of the {BCR-ABL} tyrosine kinase in chronic myeloid leukemia},
  journal = {N Engl J Med}, year = {2001}, volume = {344}, number = {14}, pages = {1031--7},
  doi = {10.1056/NEJM200104053441401}
}
@article{capdeville2002,
  author = {Capdeville, Renaud and Buchdunger, Elisabeth and Zimmermann, J{\"u}rg and Matter, Alex},
  title = {Glivec ({STI571}, imatinib), a rationally developed, targeted anticancer drug},
  journal = {Nature Reviews Drug Discovery}, year = {2002}, volume = {1}, pages = {493--500},
  doi = {10.1038/nrd839}
}
@inproceedings{he2016,
  author = {He, Kaiming and Zhang, Xiangyu and Ren, Shaoqing and Sun, Jian},
  title = {Deep residual learning for image recognition},
  booktitle = {2016 IEEE Conference on Computer Vision and Pattern Recognition (CVPR)}, year = {2016},
  pages = {770--778}
}
@article{invented2020,
  author = {Quill, Penelope},
  title = {A randomized trial of imatinib holidays in chronic myeloid leukemia},
  journal = {Nature}, year = {2020}, volume = {580}, pages = {101--109}
}
@misc{zenodo,
  author = {Someone, Some}, title = {A dataset deposited with DataCite}, year = {2021},
  doi = {10.5281/zenodo.1234567}
}
"""


def run(fake, tmp_path, **overrides):
    settings = Settings(api_url=fake.url, cache_dir=tmp_path / "cache", mailto="tests@example.org", **overrides)
    source = CrossrefSource(settings, client=HttpClient(settings, retry=RetryPolicy(attempts=2, backoff=0.01)))
    try:
        return validate_bibliography(parse_bibliography(BIB, "refs.bib"), settings, source=source)
    finally:
        source.close()


def test_statuses_and_findings_over_http(fake_crossref, tmp_path):
    report = run(fake_crossref, tmp_path)
    statuses = {item.key: item.status for item in report.evidence}
    assert statuses == {
        "druker2001": Status.VERIFIED,
        "capdeville2002": Status.MISCITED,
        "he2016": Status.VERIFIED,
        "invented2020": Status.NOT_FOUND,
        "zenodo": Status.ELSEWHERE,
    }
    online = {(f.key, f.rule) for f in report.findings if f.rule.startswith("RK6")}
    assert online == {("capdeville2002", "RK616"), ("he2016", "RK620"), ("invented2020", "RK630"), ("zenodo", "RK602")}
    [pages] = [f for f in report.findings if f.rule == "RK616"]
    assert (pages.written, pages.recorded) == ("493–500", "493–502")
    # The DOIs went in one batch request, not one request each.
    batches = [params for path, params in fake_crossref.requests if "filter" in params]
    assert len(batches) == 1 and batches[0]["filter"].count("doi:") == 3


def test_a_failing_server_leaves_entries_unverified(fake_crossref, tmp_path):
    fake_crossref.script(*[503] * 40)
    report = run(fake_crossref, tmp_path)
    assert {item.status for item in report.evidence} == {Status.UNVERIFIED}
    assert not any(f.rule in ("RK601", "RK630") for f in report.findings)
    assert sum(f.rule == "RK690" for f in report.findings) == 5


def test_offline_with_an_empty_cache_is_unverified(fake_crossref, tmp_path):
    report = run(fake_crossref, tmp_path, offline=True)
    assert {item.status for item in report.evidence} == {Status.UNVERIFIED}
    assert fake_crossref.requests == []


def test_progress_moves_while_the_requests_run(fake_crossref, tmp_path):
    fake_crossref.latency = 0.05
    titles = "".join(
        f"@article{{searched{n},\n  author = {{Quill, Penelope}},\n  title = {{Imatinib holidays, part {n}}},\n"
        f"  journal = {{Nature}}, year = {{2020}}\n}}\n"
        for n in range(3)
    )
    seen: list[tuple[int, int, int]] = []  # (done, total, requests the server had received by then)
    settings = Settings(api_url=fake_crossref.url, cache_dir=tmp_path / "cache", mailto="tests@example.org")
    source = CrossrefSource(settings)
    try:
        validate_bibliography(
            parse_bibliography(BIB + titles, "refs.bib"),
            settings,
            lambda done, total: seen.append((done, total, len(fake_crossref.requests))),
            source,
        )
    finally:
        source.close()
    sent = len(fake_crossref.requests)
    moving = [(done, received) for done, total, received in seen if 0 < done < total]
    assert moving and moving[0][1] < sent  # an answer was counted while later requests were still to come
    assert [done for done, _, _ in seen] == sorted(done for done, _, _ in seen)
    assert seen[-1][0] == seen[-1][1] == 3 + 3 + 3  # three DOIs; he2016, invented2020, zenodo and three searched
