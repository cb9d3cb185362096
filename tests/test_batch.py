"""`refkit batch`: the same verdicts as `refkit validate`, one JSON line per file, resumable, and no result
lost or repeated when a worker of the Dask cluster is killed mid-batch."""

from __future__ import annotations

import json
import os
import shutil
import signal
from pathlib import Path
from typing import Any

import pytest

from refkit.batch import finished_paths, local_cluster, run_batch
from refkit.mirrors.store import build
from tests.cli import run_cli
from tests.test_mirror_source import BIB

SAMPLES = Path(__file__).parent / "data" / "mirrors"
OTHER_BIB = r"""
@article{chapter,
  author = {Blum, L. K. and Mills, A. L.}, title = {Estuarine Microbial Ecology},
  booktitle = {Estuarine Ecology}, year = {2012}, pages = {235--261}, doi = {10.1002/9781118412787.ch9}}
"""


@pytest.fixture
def mirror(tmp_path: Path) -> Path:
    shutil.copytree(SAMPLES, tmp_path / "bulk")
    path = tmp_path / "m.db"
    build([tmp_path / "bulk"], path, complete=True)
    return path


def _bibliographies(folder: Path, count: int) -> list[Path]:
    folder.mkdir()
    paths = []
    for number in range(count):
        path = folder / f"paper{number:03d}.bib"
        path.write_text(BIB if number % 2 else OTHER_BIB)
        paths.append(path)
    return paths


def _lines(output: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in output.read_text().splitlines()]


def _verdicts(report: dict[str, Any]) -> dict[str, str]:
    return {entry["key"]: entry["status"] for entry in report["entries"]}


def test_verdicts_and_findings_are_those_of_validate(tmp_path: Path, mirror: Path) -> None:
    paths = _bibliographies(tmp_path / "bibs", 2)
    output = tmp_path / "results.jsonl"
    stats = run_batch(paths, output, {"mirror": [mirror], "offline": True}, engine="processes", workers=2)
    assert (stats.done, stats.skipped, stats.references) == (2, 0, 8)
    for line in _lines(output):
        single = run_cli("validate", line["path"], "--offline", "--mirror", str(mirror), "--format", "json",
                         cwd=tmp_path)  # fmt: skip
        expected = json.loads(single.stdout)
        assert line["exit_code"] == single.returncode
        assert _verdicts(line) == _verdicts(expected) and line["findings"] == expected["findings"]


def test_a_rerun_skips_finished_files_and_a_cut_last_line_is_redone(tmp_path: Path, mirror: Path) -> None:
    paths = _bibliographies(tmp_path / "bibs", 4)
    output = tmp_path / "results.jsonl"
    overrides = {"mirror": [mirror], "offline": True}
    run_batch(paths[:2], output, overrides, engine="processes", workers=1)
    output.write_bytes(output.read_bytes() + b'{"path": "' + str(paths[2]).encode())  # a crash mid-write
    again = run_batch(paths, output, overrides, engine="processes", workers=1)
    assert (again.done, again.skipped) == (2, 2)
    assert sorted(line["path"] for line in _lines(output)) == sorted(map(str, paths))


def test_an_unreadable_file_is_a_line_with_its_error(tmp_path: Path, mirror: Path) -> None:
    bad = tmp_path / "broken.docx"
    bad.write_text("not a docx")
    output = tmp_path / "results.jsonl"
    run_batch([bad], output, {"mirror": [mirror], "offline": True}, engine="processes", workers=1)
    (line,) = _lines(output)
    assert line["exit_code"] == 2 and "broken.docx" in line["error"]


def test_an_output_that_is_not_a_batch_report_is_refused(tmp_path: Path) -> None:
    output = tmp_path / "results.jsonl"
    output.write_text("hello\n")
    with pytest.raises(Exception, match="not a refkit batch result"):
        finished_paths(output)


def test_cli_batch_with_the_process_pool(tmp_path: Path, mirror: Path) -> None:
    paths = _bibliographies(tmp_path / "bibs", 3)
    result = run_cli("batch", *map(str, paths), "--mirror", str(mirror), "-o", "out.jsonl", "--engine",
                     "processes", "--workers", "1", cwd=tmp_path)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "checked 3 files (9 references" in result.stdout and len(_lines(tmp_path / "out.jsonl")) == 3
    missing = run_cli("batch", "nowhere.bib", "-o", "out.jsonl", "--engine", "processes", cwd=tmp_path)
    assert missing.returncode == 2 and "nowhere.bib: no such file" in missing.stderr


@pytest.mark.timeout(600)
def test_a_worker_killed_mid_batch_loses_and_repeats_nothing(tmp_path: Path, mirror: Path) -> None:
    distributed = pytest.importorskip("distributed")
    paths = _bibliographies(tmp_path / "bibs", 24)
    output = tmp_path / "results.jsonl"
    killed: list[int] = []
    with local_cluster(2) as address:

        def kill_a_busy_worker(result: dict[str, Any]) -> None:
            if killed:
                return
            with distributed.Client(address) as client:
                busy = [worker for worker, keys in client.processing().items() if keys]
                if busy:
                    pid = client.run(os.getpid, workers=[busy[0]])[busy[0]]
                    os.kill(pid, signal.SIGKILL)
                    killed.append(pid)

        stats = run_batch(paths, output, {"mirror": [mirror], "offline": True}, scheduler=address,
                          on_result=kill_a_busy_worker)  # fmt: skip
    assert killed, "no worker was busy when the first result came back"
    written = [line["path"] for line in _lines(output)]
    assert sorted(written) == sorted(map(str, paths)) and stats.done == 24  # every file once, none twice
    statuses = {_verdicts(line)["cited_with_doi"] for line in _lines(output) if "cited_with_doi" in _verdicts(line)}
    assert statuses == {"verified"}
