"""A mirror as a source: `refkit validate --offline --mirror M` answers from the local index, with no network;
a complete mirror's silence is an answer (not found), an incomplete one's is "could not check"."""

from __future__ import annotations

import json
import shutil
import socket
from pathlib import Path

import pytest

from refkit.mirrors.source import MirrorSource
from refkit.mirrors.store import build
from refkit.model import Reference
from refkit.sources.base import LookupStatus
from tests.cli import run_cli

SAMPLES = Path(__file__).parent / "data" / "mirrors"

BIB = r"""
@article{cited_with_doi,
  author = {Glass, P.}, title = {Another Look at Long-term Visual Effects of Binocular Occlusion in Neonates},
  journal = {Archives of Ophthalmology}, year = {1984}, volume = {102}, pages = {968--970},
  doi = {10.1001/archopht.1984.01040030776010}}
@article{cited_without_doi,
  author = {Glass, P.}, title = {Another look at long-term visual effects of binocular occlusion in neonates},
  journal = {Arch. Ophthalmol.}, year = {1984}, volume = {102}, pages = {968--970}}
@article{invented_doi,
  author = {Glass, P.}, title = {Long-term Effects of Occlusion on Lunar Vision},
  journal = {Archives of Ophthalmology}, year = {1984}, doi = {10.1001/archopht.1984.99999999999999}}
@article{invented_title,
  author = {Quill, Zara}, title = {Quantum Hedgehog Migration in Subterranean Bakeries},
  journal = {Journal of Improbable Zoology}, year = {2019}, volume = {3}, pages = {1--9}}
@misc{arxiv_by_id,
  author = {Stanley, Caprice and Windisch, Tobias}, title = {Heat-bath random walks with Markov bases},
  year = {2016}, eprint = {1605.08386}, archiveprefix = {arXiv}}
@misc{arxiv_doi,
  author = {Stanley, Caprice and Windisch, Tobias}, title = {Heat-bath random walks with Markov bases},
  year = {2016}, doi = {10.48550/arXiv.1605.08386}}
@article{pmid_only,
  author = {Taddei, A. R. and Barbato, F. and Abelli, L. and Canese, S. and Moretti, F. and Rana, K. J. and
            Fausto, A. M. and Mazzini, M.}, year = {2001}, journal = {Cryobiology}, volume = {42}, pages = {244--255},
  title = {Is cryopreservation a homogeneous process? Ultrastructure and motility of untreated, prefreezing, and
           postthawed spermatozoa of Diplodus puntazzo (Cetti)}, pmid = {11748933}}
"""


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a mirror run opened a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def _mirror(tmp_path: Path, complete: bool) -> Path:
    bulk = tmp_path / "bulk"
    shutil.copytree(SAMPLES, bulk)
    mirror = tmp_path / "m.db"
    build([bulk], mirror, complete=complete)
    return mirror


def _statuses(tmp_path: Path, *args: str) -> dict[str, str]:
    (tmp_path / "refs.bib").write_text(BIB)
    result = run_cli("validate", "refs.bib", "--format", "json", "--cache-dir", str(tmp_path / "cache"), *args,
                     cwd=tmp_path)  # fmt: skip
    assert result.returncode in (0, 1, 3), result.stderr
    return {entry["key"]: entry["status"] for entry in json.loads(result.stdout)["entries"]}


def test_offline_with_a_complete_mirror_every_entry_gets_an_answer(tmp_path: Path, no_network: None) -> None:
    mirror = _mirror(tmp_path, complete=True)
    assert _statuses(tmp_path, "--offline", "--mirror", str(mirror)) == {
        "cited_with_doi": "verified",
        "cited_without_doi": "verified",
        "invented_doi": "not-found",
        "invented_title": "not-found",
        "arxiv_by_id": "verified",
        "arxiv_doi": "verified",
        "pmid_only": "verified",
    }


def test_an_incomplete_mirror_silence_is_could_not_check(tmp_path: Path, no_network: None) -> None:
    mirror = _mirror(tmp_path, complete=False)
    statuses = _statuses(tmp_path, "--offline", "--mirror", str(mirror))
    assert statuses["invented_doi"] == statuses["invented_title"] == "unverified"
    assert statuses["cited_with_doi"] == statuses["arxiv_by_id"] == "verified"


def test_the_mirror_is_named_in_tool_refkit(tmp_path: Path, no_network: None) -> None:
    mirror = _mirror(tmp_path, complete=True)
    (tmp_path / "pyproject.toml").write_text(f'[tool.refkit]\nmirror = "{mirror.name}"\noffline = true\n')
    assert _statuses(tmp_path)["invented_title"] == "not-found"


def test_a_missing_mirror_is_a_one_line_error(tmp_path: Path) -> None:
    (tmp_path / "refs.bib").write_text(BIB)
    result = run_cli("validate", "refs.bib", "--offline", "--mirror", "nowhere.db", cwd=tmp_path)
    assert result.returncode == 2 and "nowhere.db: no such mirror" in result.stderr


def test_lookups_by_doi(tmp_path: Path) -> None:
    source = MirrorSource(_mirror(tmp_path, complete=True))
    answers = source.works(["10.1145/2534860", "10.1145/0000000"])
    assert answers["10.1145/2534860"].status is LookupStatus.FOUND
    assert answers["10.1145/0000000"].status is LookupStatus.NOT_FOUND
    assert "complete" in answers["10.1145/0000000"].reason


def test_lookups_by_pmid_from_pubmed_and_openalex(tmp_path: Path) -> None:
    source = MirrorSource(_mirror(tmp_path, complete=True))
    answers = source.works(["29915538", "17183658", "99999999"])
    assert answers["29915538"].candidate is not None and answers["29915538"].candidate.reference.pmid == "29915538"
    assert answers["17183658"].candidate.reference.doi == "10.1371/journal.pone.0000030"  # OpenAlex's ids.pmid
    assert answers["99999999"].status is LookupStatus.NOT_FOUND


def test_a_pmid_whose_doi_the_mirror_holds_already_is_added_to_that_record(tmp_path: Path) -> None:
    crossref = tmp_path / "bulk" / "0.json"
    crossref.parent.mkdir()
    held = {"DOI": "10.1006/CRYO.2001.2328", "type": "journal-article", "title": ["Is cryopreservation a process?"]}
    crossref.write_text(json.dumps({"items": [held]}))
    shutil.copy(SAMPLES / "pubmed25n0001.xml.gz", crossref.parent)
    build([crossref.parent], tmp_path / "m.db")
    found = MirrorSource(tmp_path / "m.db").works(["11748933"])["11748933"].candidate
    assert found is not None and found.reference.title == "Is cryopreservation a process?"  # the first copy wins
    assert found.reference.pmid == "11748933"


def test_a_title_searched_again_is_answered_without_the_title_index(tmp_path: Path) -> None:
    """A batch's papers cite the same works: the second search for a title reuses the first one's hits, and
    ranks them as the first search did."""
    source = MirrorSource(_mirror(tmp_path, complete=True))
    queries: list[str] = []
    source.mirror.connection.set_trace_callback(queries.append)
    first = source.search(Reference(title="Heat-bath random walks with Markov bases", year=2016))
    searched = sum("MATCH" in query for query in queries)
    again = source.search(Reference(title="Heat-bath random walks with Markov bases", year=2015))
    assert searched >= 1 and sum("MATCH" in query for query in queries) == searched
    assert first.candidates and [c.id for c in again.candidates] == [c.id for c in first.candidates]
