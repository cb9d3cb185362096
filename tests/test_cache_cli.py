"""`refkit cache info|clear` on a cache filled over HTTP from the fake Crossref."""

from __future__ import annotations

from refkit.config import Settings
from refkit.sources.crossref import CrossrefSource
from refkit.sources.http import CACHE_FILE
from refkit.sources.store import STORE_FILE, AnswerStore
from tests.cli import run_cli


def fill(fake, cache_dir) -> None:
    source = CrossrefSource(Settings(api_url=fake.url, mailto="dev@example.org", cache_dir=cache_dir))
    source.works(["10.1038/nrd839", "10.1038/nature14539", "10.1038/not-a-work"])
    source.close()


def test_info_counts_what_a_run_cached_and_clear_empties_it(fake_crossref, tmp_path):
    fill(fake_crossref, tmp_path)
    info = run_cli("cache", "info", "--cache-dir", str(tmp_path))
    assert info.returncode == 0
    assert f"path:      {tmp_path / CACHE_FILE}\n" in info.stdout
    assert "backend:   sqlite (requests-cache)" in info.stdout
    assert f"store:     {tmp_path / STORE_FILE}\n" in info.stdout
    assert "responses: 4\n" in info.stdout  # two records, a 404 and its agency answer
    # the batch's records in the store alone; the 404 and the agency answer, fetched one by one, in both
    assert "held:      4 in the answer store, 2 in requests-cache\n" in info.stdout
    cleared = run_cli("cache", "clear", "--cache-dir", str(tmp_path))
    assert cleared.stdout.startswith("removed 4 cached responses from ")
    assert "responses: 0\n" in run_cli("cache", "info", "--cache-dir", str(tmp_path)).stdout
    assert AnswerStore(tmp_path / STORE_FILE).keys() == set()


def test_info_on_a_cache_not_made_yet(tmp_path):
    result = run_cli("cache", "info", "--cache-dir", str(tmp_path / "none"))
    assert result.returncode == 0 and "(not created yet)" in result.stdout and "size:      0 bytes" in result.stdout
    assert not (tmp_path / "none").exists()


def test_the_cache_folder_comes_from_the_environment(fake_crossref, tmp_path, monkeypatch):
    monkeypatch.setenv("REFKIT_CACHE_DIR", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    assert str(tmp_path / CACHE_FILE) in run_cli("cache", "info").stdout


def test_a_damaged_cache_is_one_line_of_error_and_clear_removes_it(tmp_path):
    (tmp_path / CACHE_FILE).write_bytes(b"this is not an SQLite database" * 100)
    info = run_cli("cache", "info", "--cache-dir", str(tmp_path))
    assert info.returncode == 2 and info.stdout == ""
    assert info.stderr.count("\n") == 1 and "cannot use the HTTP cache" in info.stderr
    cleared = run_cli("cache", "clear", "--cache-dir", str(tmp_path))
    assert cleared.returncode == 0 and not (tmp_path / CACHE_FILE).exists()


def test_a_damaged_answer_store_is_one_line_of_error_and_clear_removes_it(fake_crossref, tmp_path):
    fill(fake_crossref, tmp_path)
    (tmp_path / STORE_FILE).write_bytes(b"this is not an SQLite database" * 100)
    info = run_cli("cache", "info", "--cache-dir", str(tmp_path))
    assert info.returncode == 2 and info.stdout == ""
    assert info.stderr.count("\n") == 1 and "cannot use the answer store" in info.stderr
    cleared = run_cli("cache", "clear", "--cache-dir", str(tmp_path))
    assert cleared.returncode == 0 and cleared.stdout.startswith("removed 2 cached responses from ")
    assert not (tmp_path / STORE_FILE).exists()


def test_a_folder_where_the_cache_file_should_be_is_one_line_of_error(tmp_path):
    (tmp_path / CACHE_FILE).mkdir()
    for command in ("info", "clear"):
        result = run_cli("cache", command, "--cache-dir", str(tmp_path))
        assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
        assert result.stderr.startswith(f"refkit: error: {tmp_path / CACHE_FILE}: cannot ")
        assert "cache clear" not in result.stderr  # which could not fix this
    assert (tmp_path / CACHE_FILE).is_dir()
