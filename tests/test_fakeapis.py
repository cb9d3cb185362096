"""The fakes speak the real dialects: the clients' parsers read the recorded real answers
(../shared/data/api-responses, or the vendored excerpt) and the fakes' answers alike, to the same values."""

from __future__ import annotations

import json
from dataclasses import replace

import requests

from refkit.config import Settings
from refkit.sources import arxiv, datacite, dblp
from refkit.sources.base import LookupStatus
from refkit.sources.http import Limits
from tests.conftest import shared_file
from tests.fakeapis import FakeArxiv, FakeDataCite, FakeDblp
from tests.fakeapis.arxiv import Entry
from tests.fakeapis.datacite import attributes
from tests.fakeapis.recordings import arxiv_fixture, datacite_records, folder, interactions


def test_recorded_datacite_records_read_as_references() -> None:
    records = datacite_records()
    assert set(records) == {"10.48550/arxiv.2311.16162", "10.5281/zenodo.48440", "10.6084/m9.figshare.1449060"}
    preprint = datacite.to_reference(records["10.48550/arxiv.2311.16162"])
    assert preprint.title.startswith("Leveraging Artificial Intelligence Technology for Mapping Research")
    assert [name.family for name in preprint.authors[:3]] == ["Yin", "Aryani", "Lambert"]
    assert preprint.authors[0].given == "Hui"
    assert (preprint.year, preprint.type, preprint.arxiv, preprint.publisher) == (
        2023,
        "article",
        "2311.16162",
        "arXiv",
    )
    for record in records.values():
        reference = datacite.to_reference(record)
        assert reference.title and reference.authors and reference.year and reference.doi


def test_the_fake_datacite_answers_as_datacite_does() -> None:
    records = datacite_records()
    [(_, status, body)] = interactions(folder("datacite") / "bolognese_dois_not_found_404.yml")
    with FakeDataCite(records) as fake:
        found = requests.get(f"{fake.url}/dois/10.48550/arxiv.2311.16162?include=media,client", timeout=5)
        missing = requests.get(f"{fake.url}/dois/10.4124/no-such-doi", timeout=5)
    assert found.status_code == 200 and "json" in found.headers["Content-Type"]
    assert datacite.decode(found.content) == records["10.48550/arxiv.2311.16162"]
    data = found.json()["data"]
    assert (data["id"], data["type"]) == ("10.48550/arxiv.2311.16162", "dois")
    assert (missing.status_code, missing.json()) == (status, json.loads(body)) == (404, missing.json())


def test_datacites_recorded_list_answer_and_the_fakes_search_read_alike() -> None:
    [(_, status, body)] = interactions(
        shared_file("data", "api-responses", "datacite", "rdatacite_dois_list_page_size_5.yml")
    )
    listed = datacite.decode_list(body)
    assert status == 200 and listed is not None and len(listed) == 5
    assert all(datacite.to_reference(attributes).title for attributes in listed)
    records = datacite_records()
    with FakeDataCite(records) as fake:
        query = datacite.title_query("Leveraging artificial intelligence technology, for mapping research!")
        words = "leveraging AND artificial AND intelligence AND technology AND for AND mapping AND research"
        assert query == f"titles.title:({words})"  # words only: nothing read as query syntax
        answer = requests.get(f"{fake.url}/dois", params={"query": query, "page[size]": "5"}, timeout=5)
    assert set(answer.json()) == set(json.loads(body)) - {"included"}  # data, meta, links
    assert [a["doi"] for a in datacite.decode_list(answer.content) or []] == ["10.48550/arxiv.2311.16162"]


def test_recorded_arxiv_feeds_read_as_references() -> None:
    _, status, body = arxiv_fixture("id_1605.08386_s0_m100_199195aa31ad.json")
    [entry] = arxiv.parse_feed(body.encode("latin-1")) or []
    assert status == 200 and entry.title == "Heat-bath random walks with Markov bases"
    assert [(n.given, n.family) for n in entry.authors] == [("Caprice", "Stanley"), ("Tobias", "Windisch")]
    assert (entry.arxiv, entry.year, entry.doi) == ("1605.08386v1", 2016, "10.48550/arXiv.1605.08386")
    _, _, old = arxiv_fixture("id_astro-ph_0601001_s0_m100_3150dca9dc76.json")
    assert [e.arxiv for e in arxiv.parse_feed(old.encode("latin-1")) or []] == ["astro-ph/0601001v1"]
    _, _, both = arxiv_fixture("id_0808.05394_1707.08567_s0_m100_42e5aa0ec3af.json")
    assert [arxiv.base_id(e.arxiv) for e in arxiv.parse_feed(both.encode("latin-1")) or []] == ["1707.08567"]
    _, _, none = arxiv_fixture("id_0000.0000_s0_m100_8b51d9633a68.json")
    assert arxiv.parse_feed(none.encode("latin-1")) == []
    _, _, search = arxiv_fixture("q_testing_s0_m10_bc5a6c384fe9.json")
    assert len(arxiv.parse_feed(search.encode("latin-1")) or []) == 10


def test_the_fake_arxiv_answers_as_arxiv_does() -> None:
    _, recorded_status, recorded_error = arxiv_fixture("id_abc_s0_m100_b79c8dcf6bc3.json")
    _, _, recorded = arxiv_fixture("id_1605.08386_s0_m100_199195aa31ad.json")
    [real] = arxiv.parse_feed(recorded.encode("latin-1")) or []
    entry = Entry(
        "1605.08386v1", real.title, ["Caprice Stanley", "Tobias Windisch"], "2016-05-26T17:59:46Z", real.abstract
    )
    with FakeArxiv([entry]) as fake:
        found = requests.get(f"{fake.url}/api/query", {"id_list": "1605.08386", "max_results": "100"}, timeout=5)
        absent = requests.get(f"{fake.url}/api/query", {"id_list": "0000.0000"}, timeout=5)
        malformed = requests.get(f"{fake.url}/api/query", {"id_list": "abc"}, timeout=5)
        searched = requests.get(f"{fake.url}/api/query", {"search_query": "ti:markov AND ti:heat"}, timeout=5)
    [served] = arxiv.parse_feed(found.content) or []
    assert (served.title, served.authors, served.year, served.arxiv, served.abstract) == (
        real.title, real.authors, real.year, real.arxiv, real.abstract
    )  # fmt: skip
    assert absent.status_code == 200 and arxiv.parse_feed(absent.content) == []
    assert malformed.status_code == recorded_status == 400
    assert "incorrect_id_format_for_abc" in malformed.text and "incorrect_id_format_for_abc" in recorded_error
    assert [e.arxiv for e in arxiv.parse_feed(searched.content) or []] == ["1605.08386v1"]


def test_the_recorded_dblp_answer_reads_as_references() -> None:
    body = (folder("dblp") / "zotero-validate_dblp_publ_search_attention.json").read_bytes()
    [hit] = dblp.parse_hits(body) or []
    reference = dblp.to_reference(hit)
    assert reference.title == "Attentional Transfer is All You Need: Technology-aware Layout Pattern Generation"
    assert [str(name) for name in reference.authors] == ["Zhang, Xiaopeng", "Yang, Haoyu", "Young, Evangeline F. Y."]
    assert (reference.type, reference.container_title, reference.year, reference.page) == (
        "paper-conference", "DAC", 2021, "169–174"
    )  # fmt: skip


def test_the_fake_dblp_answers_as_dblp_does() -> None:
    body = (folder("dblp") / "zotero-validate_dblp_publ_search_attention.json").read_bytes()
    [real] = dblp.parse_hits(body) or []
    with FakeDblp([real]) as fake:
        answer = requests.get(
            f"{fake.url}/search/publ/api", {"q": "attention is all you need", "format": "json"}, timeout=5
        )
        nothing = requests.get(f"{fake.url}/search/publ/api", {"q": "no such words", "format": "json"}, timeout=5)
    assert answer.text.startswith('{\n"result":{\n"query":"attention* is* all* you* need*"')  # DBLP's layout
    assert dblp.parse_hits(answer.content) == [real]
    hits = answer.json()["result"]["hits"]
    assert isinstance(hits["hit"], dict)  # one hit is an object, as DBLP's XML-to-JSON writes it
    assert set(hits) == set(json.loads(body)["result"]["hits"])
    assert dblp.parse_hits(nothing.content) == [] and nothing.json()["result"]["hits"]["@total"] == "0"


def test_datacite_looks_dois_up_a_hundred_to_a_request_and_caches_each(tmp_path) -> None:
    """`GET /dois?ids=…` (the list answer of the recorded dialect) for 150 DOIs, a third unknown: two requests;
    then offline, each DOI found or not found from the cache as online, nothing sent."""
    held = {f"10.5281/zenodo.{n}": attributes(f"10.5281/zenodo.{n}", f"Data set {n}", [("Smith", "Ann")], 2020)
            for n in range(100)}  # fmt: skip
    asked = [*held, *(f"10.5281/zenodo.{n}" for n in range(900, 950))]
    fast = Limits(single=1000, list=1000, interval=1.0, concurrency=2)
    with FakeDataCite(held) as fake:
        online = Settings(urls={"datacite": fake.url}, cache_dir=tmp_path, mailto="tests@example.org")
        answers = datacite.DataCiteSource(online, limits=fast).works([doi.upper() for doi in asked])
        assert len(fake.requests) == 2 and all(request.path == "/dois" for request in fake.requests)
        offline = datacite.DataCiteSource(replace(online, offline=True), limits=fast).works(asked)
        assert len(fake.requests) == 2
    for found in (answers, {doi.upper(): lookup for doi, lookup in offline.items()}):
        statuses = [found[doi.upper()].status for doi in asked]
        assert statuses == [LookupStatus.FOUND] * 100 + [LookupStatus.NOT_FOUND] * 50
    assert offline["10.5281/zenodo.7"].candidate.reference.title == "Data set 7"  # type: ignore[union-attr]
