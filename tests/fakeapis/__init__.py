"""Fake DataCite, arXiv, DBLP, OpenAlex, PubMed, Europe PMC, Semantic Scholar and Open Library APIs on
127.0.0.1 for tests and benchmarks, each speaking its real dialect (checked against the recorded answers in
../shared/data/api-responses by tests/test_fakeapis.py and tests/test_fakeapis_services.py; Open Library's and
Europe PMC's, which have no recording, as their APIs' documentation describes them)."""

from tests.fakeapis.arxiv import FakeArxiv
from tests.fakeapis.base import FakeApi, Reply
from tests.fakeapis.datacite import FakeDataCite
from tests.fakeapis.dblp import FakeDblp

__all__ = ["FakeApi", "FakeArxiv", "FakeDataCite", "FakeDblp", "Reply"]
