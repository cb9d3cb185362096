"""`refkit mirror build|info|verify` on the samples in each real format: resumable, incremental, checked."""

from __future__ import annotations

import gzip
import json
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from refkit.errors import RefkitError
from refkit.mirrors.store import Mirror, build, info, verify
from tests.cli import run_cli

SAMPLES = Path(__file__).parent / "data" / "mirrors"


@pytest.fixture
def bulk(tmp_path: Path) -> Path:
    folder = tmp_path / "bulk"
    shutil.copytree(SAMPLES, folder)
    return folder


@pytest.mark.parametrize("processes", [1, 2])
def test_build_indexes_every_format_and_the_first_copy_of_a_doi_wins(
    bulk: Path, tmp_path: Path, processes: int
) -> None:
    mirror = tmp_path / "m.db"
    stats = build([bulk], mirror, complete=True, processes=processes)
    assert {Path(s.path).name: s.records for s in stats} == {
        "arxiv-metadata-oai-snapshot.json": 74,
        "0.json.gz": 60,
        "1.json.gz": 60,
        "dblp.xml.gz": 8,  # its other 40 publications carry DOIs the Crossref files gave first
        "part_000.gz": 13,
        "pubmed25n0001.xml.gz": 4,
    }
    held = info(mirror)
    formats = {"arxiv": 74, "crossref": 120, "dblp": 8, "openalex": 13, "pubmed": 4}
    assert (held.records, held.complete, held.formats) == (219, True, formats)
    opened = Mirror(mirror)
    assert opened.by_doi(["10.1145/2534860"])["10.1145/2534860"]["title"] == ["Computer Science Curricula 2013"]
    assert opened.by_arxiv("1605.08386v1")["title"] == ["Heat-bath random walks with Markov bases"]


def test_a_second_build_skips_what_is_indexed_and_adds_new_files(bulk: Path, tmp_path: Path) -> None:
    mirror = tmp_path / "m.db"
    build([bulk / "crossref"], mirror)
    again = build([bulk], mirror)
    assert [Path(s.path).name for s in again if s.skipped] == ["0.json.gz", "1.json.gz"]
    assert info(mirror).records == 219


def test_a_changed_file_has_its_records_replaced(bulk: Path, tmp_path: Path) -> None:
    mirror = tmp_path / "m.db"
    build([bulk / "crossref"], mirror)
    path = bulk / "crossref" / "1.json.gz"
    items = json.loads(gzip.decompress(path.read_bytes()))["items"][:10]
    path.write_bytes(gzip.compress(json.dumps({"items": items}).encode()))
    assert verify(mirror) == [f"{path.resolve()}: changed since it was indexed (build again to update)"]
    build([bulk / "crossref"], mirror)
    assert info(mirror).records == 70
    assert verify(mirror) == []
    dropped = json.loads(gzip.decompress((SAMPLES / "crossref" / "1.json.gz").read_bytes()))["items"][20]
    assert not Mirror(mirror).by_doi([dropped["DOI"]])
    assert not any(r["DOI"] == dropped["DOI"] for r in Mirror(mirror).candidates(dropped["title"][0]))


@pytest.mark.parametrize("processes", [1, 2])
def test_a_build_stopped_mid_file_keeps_the_files_before_it_and_resumes(
    bulk: Path, tmp_path: Path, processes: int
) -> None:
    mirror = tmp_path / "m.db"

    def stop_in_second_file(name: str, done: int) -> None:
        if name.endswith("1.json.gz"):
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        build([bulk / "crossref"], mirror, on_progress=stop_in_second_file, processes=processes)
    assert info(mirror).records == 60 and verify(mirror) == []
    resumed = build([bulk / "crossref"], mirror)
    assert [s.skipped for s in resumed] == [True, False] and info(mirror).records == 120


def test_title_search_finds_the_record_first(bulk: Path, tmp_path: Path) -> None:
    mirror = tmp_path / "m.db"
    build([bulk], mirror)
    record = json.loads(gzip.decompress((bulk / "crossref" / "0.json.gz").read_bytes()))["items"][7]
    found = Mirror(mirror).candidates(record["title"][0].lower())
    assert found[0]["DOI"] == record["DOI"]


def test_cli_build_info_verify(bulk: Path, tmp_path: Path) -> None:
    mirror = tmp_path / "m.db"
    built = run_cli("mirror", "build", str(bulk), "--into", str(mirror), "--complete")
    assert built.returncode == 0 and "indexed 219 records from 6 files" in built.stdout
    again = run_cli("mirror", "build", str(bulk), "--into", str(mirror))
    assert "indexed 0 records from 0 files; 6 already indexed" in again.stdout
    shown = run_cli("mirror", "info", str(mirror))
    assert "records:   219 (209 with a DOI)" in shown.stdout and "complete:  yes" in shown.stdout
    assert "abstracts: not kept" in shown.stdout
    assert run_cli("mirror", "verify", str(mirror)).returncode == 0
    (bulk / "dblp.xml.gz").unlink()
    checked = run_cli("mirror", "verify", str(mirror))
    assert checked.returncode == 1 and "dblp.xml.gz: indexed, since removed" in checked.stdout


@pytest.mark.parametrize("args", [("info", "missing.db"), ("build", "README.md", "--into", "x.db")])
def test_cli_bad_input_is_one_line_and_exit_2(tmp_path: Path, args: tuple[str, ...]) -> None:
    (tmp_path / "README.md").write_text("# not a bulk file\n")
    result = run_cli("mirror", *args, cwd=tmp_path)
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "refkit: error:" in result.stderr
    assert not (tmp_path / "x.db").exists()


def test_a_file_that_is_not_a_mirror_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "m.db"
    path.write_text("hello")
    with pytest.raises(RefkitError, match="not a refkit mirror"):
        Mirror(path)


def test_cli_build_reports_progress_through_the_shared_bar(bulk: Path, tmp_path: Path, monkeypatch) -> None:
    """The shared progress bar (REFKIT_PROGRESS honoured, as for every command) counts the records indexed."""
    seen: list[tuple[int, int | None]] = []

    @contextmanager
    def recorded(description: str) -> Iterator[Callable[[int, int | None], None]]:
        yield lambda done, total: seen.append((done, total))

    monkeypatch.setattr("refkit.cli.mirror.progress_bar", recorded)
    assert run_cli("mirror", "build", str(bulk), "--into", str(tmp_path / "m.db")).returncode == 0
    assert seen[-1] == (219, None) and [done for done, _ in seen] == sorted(done for done, _ in seen)


def test_a_damaged_file_read_by_a_worker_stops_the_build_with_one_error(bulk: Path, tmp_path: Path) -> None:
    damaged = bulk / "crossref" / "1.json.gz"
    damaged.write_bytes(gzip.compress(b'{"items": [{"DOI": "10.1/x", "title": ["A"]}, {"DOI": '))
    mirror = tmp_path / "m.db"
    with pytest.raises(RefkitError, match=r"1\.json\.gz: not a Crossref data file"):
        build([bulk / "crossref", bulk / "pubmed25n0001.xml.gz"], mirror, processes=2)
    assert info(mirror).records == 60 and verify(mirror) == []


def test_a_file_too_short_to_tell_its_format_is_one_error(tmp_path: Path) -> None:
    cut = tmp_path / "0.json.gz"
    cut.write_bytes(gzip.compress(b'{"items": []}')[:-8])  # its length and checksum cut off
    with pytest.raises(RefkitError, match=r"0\.json\.gz: cannot be read"):
        build([cut], tmp_path / "m.db")


def _pubmed_update(path: Path, *deleted: str) -> Path:
    """A PubMed update file that only withdraws citations (DeleteCitation), as NLM's daily files do."""
    pmids = "".join(f'<PMID Version="1">{pmid}</PMID>' for pmid in deleted)
    body = (
        f'<?xml version="1.0" ?>\n<PubmedArticleSet>\n<DeleteCitation>{pmids}</DeleteCitation>\n</PubmedArticleSet>\n'
    )
    path.write_bytes(gzip.compress(body.encode()))
    return path


def test_pubmed_update_files_delete_the_citations_they_withdraw(bulk: Path, tmp_path: Path) -> None:
    mirror = tmp_path / "m.db"
    build([bulk / "pubmed25n0001.xml.gz"], mirror)
    title = Mirror(mirror).by_pmid("11748933")["title"][0]
    # the baseline's last article goes too: the ids it had are not given to the next file's records
    build([_pubmed_update(tmp_path / "pubmed25n1300.xml.gz", "11748933", "29915538")], mirror)
    build([bulk / "crossref"], mirror)
    opened = Mirror(mirror)
    assert opened.by_pmid("11748933") is None and opened.by_pmid("29915538") is None
    assert opened.by_pmid("11700088") is not None
    assert not any(r.get("pmid") == "11748933" for r in opened.candidates(title))
    assert info(mirror).formats == {"crossref": 120, "pubmed": 2} and verify(mirror) == []


def test_a_withdrawn_pmid_leaves_the_record_another_dump_gave(bulk: Path, tmp_path: Path) -> None:
    mirror = tmp_path / "m.db"
    article = {
        "DOI": "10.1006/cryo.2001.2328",
        "type": "journal-article",
        "title": ["Is cryopreservation a homogeneous process?"],
    }
    (tmp_path / "crossref").mkdir()
    (tmp_path / "crossref" / "0.json.gz").write_bytes(gzip.compress(json.dumps({"items": [article]}).encode()))
    build([tmp_path / "crossref", bulk / "pubmed25n0001.xml.gz"], mirror)
    assert Mirror(mirror).by_pmid("11748933")["DOI"] == "10.1006/cryo.2001.2328"  # the PMID joined the record
    build([_pubmed_update(tmp_path / "pubmed25n1300.xml.gz", "11748933")], mirror)
    opened = Mirror(mirror)
    assert opened.by_pmid("11748933") is None
    assert opened.by_doi(["10.1006/cryo.2001.2328"])["10.1006/cryo.2001.2328"]["title"] == article["title"]
    assert verify(mirror) == []


def test_a_mirror_built_with_abstracts_keeps_them_for_later_files_too(tmp_path: Path) -> None:
    from refkit.sources.records import to_reference

    def crossref_file(name: str, doi: str) -> Path:
        item = {"DOI": doi, "title": [f"Work {name}"], "abstract": "<jats:p>What the <i>work</i> found.</jats:p>"}
        path = tmp_path / "crossref" / f"{name}.json.gz"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(gzip.compress(json.dumps({"items": [item]}).encode()))
        return path

    mirror = tmp_path / "m.db"
    build([crossref_file("0", "10.5555/a")], mirror, abstracts=True)
    build([crossref_file("1", "10.5555/b")], mirror)  # the mirror's setting holds
    held = Mirror(mirror).by_doi(["10.5555/a", "10.5555/b"])
    assert [to_reference(held[doi]).abstract for doi in ("10.5555/a", "10.5555/b")] == ["What the work found."] * 2
    assert info(mirror).abstracts
    plain = tmp_path / "plain.db"
    build([tmp_path / "crossref"], plain)
    assert not info(plain).abstracts and "abstract" not in Mirror(plain).by_doi(["10.5555/a"])["10.5555/a"]
