"""`refkit cache info|clear` on a cache filled over HTTP from the fake Crossref."""

from __future__ import annotations

import subprocess
import sys

from typer.testing import CliRunner

from refkit.cli.app import app
from refkit.config import Settings
from refkit.sources.crossref import CrossrefSource
from refkit.sources.http import CACHE_FILE

runner = CliRunner()


def fill(fake, cache_dir) -> None:
    source = CrossrefSource(Settings(api_url=fake.url, mailto="dev@example.org", cache_dir=cache_dir))
    source.works(["10.1038/nrd839", "10.1038/nature14539", "10.1038/not-a-work"])
    source.close()


def test_info_counts_what_a_run_cached_and_clear_empties_it(fake_crossref, tmp_path):
    fill(fake_crossref, tmp_path)
    info = runner.invoke(app, ["cache", "info", "--cache-dir", str(tmp_path)])
    assert info.exit_code == 0
    assert f"path:      {tmp_path / CACHE_FILE}\n" in info.output
    assert "backend:   sqlite (requests-cache)" in info.output
    assert "responses: 4\n" in info.output  # two records, a 404 and its agency answer
    cleared = runner.invoke(app, ["cache", "clear", "--cache-dir", str(tmp_path)])
    assert cleared.output.startswith("removed 4 cached responses from ")
    assert "responses: 0\n" in runner.invoke(app, ["cache", "info", "--cache-dir", str(tmp_path)]).output


def test_info_on_a_cache_not_made_yet(tmp_path):
    result = runner.invoke(app, ["cache", "info", "--cache-dir", str(tmp_path / "none")])
    assert result.exit_code == 0 and "(not created yet)" in result.output and "size:      0 bytes" in result.output
    assert not (tmp_path / "none").exists()


def test_the_cache_folder_comes_from_the_environment(fake_crossref, tmp_path, monkeypatch):
    monkeypatch.setenv("REFKIT_CACHE_DIR", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    assert str(tmp_path / CACHE_FILE) in runner.invoke(app, ["cache", "info"]).output


def test_a_damaged_cache_is_one_line_of_error_and_clear_removes_it(tmp_path):
    (tmp_path / CACHE_FILE).write_bytes(b"this is not an SQLite database" * 100)
    info = subprocess.run(
        [sys.executable, "-m", "refkit", "cache", "info", "--cache-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert info.returncode == 2 and info.stdout == ""
    assert info.stderr.count("\n") == 1 and "cannot use the HTTP cache" in info.stderr
    cleared = runner.invoke(app, ["cache", "clear", "--cache-dir", str(tmp_path)])
    assert cleared.exit_code == 0 and not (tmp_path / CACHE_FILE).exists()


def test_a_folder_where_the_cache_file_should_be_is_one_line_of_error(tmp_path):
    (tmp_path / CACHE_FILE).mkdir()
    for command in ("info", "clear"):
        result = subprocess.run(
            [sys.executable, "-m", "refkit", "cache", command, "--cache-dir", str(tmp_path)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
        assert result.stderr.startswith(f"refkit: error: {tmp_path / CACHE_FILE}: cannot ")
        assert "cache clear" not in result.stderr  # which could not fix this
    assert (tmp_path / CACHE_FILE).is_dir()
