"""Writes that survive being killed: `enrich --in-place` and `export -o` SIGKILLed while they write leave the
old file or the new one (never part of either), a complete `.bak`, and temporaries that the next run sweeps;
an edit the user makes while enrich runs is never overwritten."""

from __future__ import annotations

import importlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from refkit.bib import parse_bibliography, to_reference
from refkit.enrich import enrich_bibliography
from refkit.export import export
from refkit.sources.snapshot import SnapshotSource
from tests.conftest import ROOT
from tests.records import STIM_RECORD

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL and POSIX renames")

MAHON = """@article{mahon,
  author = {Mahon, F.-X. and others},
  title = {Discontinuation of imatinib in patients with chronic myeloid leukaemia who have maintained complete
    molecular remission for at least 2 years: the prospective, multicentre Stop Imatinib (STIM) trial},
  journal = {Lancet Oncol},
}
"""
# 300 entries of 11 KB: the 3.3 MB that 3,000 of 1.1 KB made, so each write takes as long (20-50 ms here, the
# span the kills are spread over), but a quarter less to parse before it (the cost is in the entries' count).
FILLER = "lorem ipsum dolor sit amet " * 400


def big_bibliography(entries: int) -> str:
    """One entry a record fixes, then `entries` padded ones (about 11 KB each) no record describes."""
    return MAHON + "".join(f"\n@misc{{k{i}, note = {{{FILLER}{i}}}}}\n" for i in range(entries))


COMMANDS = {
    "enrich": ["enrich", "refs.bib", "--in-place", "--offline", "--snapshot", "records.jsonl"],
    "export": ["export", "refs.bib", "-f", "bibtex", "-o", "out.bib"],
}
TARGETS = {"enrich": "refs.bib", "export": "out.bib"}


def refkit(kind: str) -> list[str]:
    return [sys.executable, "-m", "refkit", *COMMANDS[kind]]


def environment() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def expected_outputs(old: str) -> dict[str, bytes]:
    """What an uninterrupted run of each command writes (computed in-process: one start-up less each)."""
    bibliography = parse_bibliography(old, "refs.bib")
    enriched = enrich_bibliography(bibliography, SnapshotSource(records=[STIM_RECORD], name="t")).new_text
    exported = export([to_reference(entry, "refs.bib") for entry in bibliography.entries], "bibtex")
    return {"enrich": enriched.encode("utf-8"), "export": exported.encode("utf-8")}


def hidden(folder: Path) -> list[str]:
    """Files no user asked for: anything hidden (every temporary naming refkit has used starts with '.')."""
    return sorted(name for name in os.listdir(folder) if name.startswith("."))


def kill_while_writing(folder: Path, kind: str, delay: float, deadline: float = 60.0) -> None:
    """Start the command, wait (bounded) until its first temporary file appears, then SIGKILL it after
    `delay` seconds; a run that ends first is simply a run that finished."""
    before = set(os.listdir(folder))
    process = subprocess.Popen(refkit(kind), cwd=folder, env=environment(), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)  # fmt: skip
    give_up = time.monotonic() + deadline
    while process.poll() is None and time.monotonic() < give_up:
        if any(name.startswith(".") for name in set(os.listdir(folder)) - before):
            break
        time.sleep(0.0005)
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.wait()


def entry_count(data: bytes) -> int:
    return len(parse_bibliography(data.decode("utf-8"), "refs.bib").entries)


@pytest.mark.timeout(300)
def test_a_write_killed_at_any_point_leaves_a_whole_file_and_no_temporaries(tmp_path):
    """10 kills (7 of `enrich --in-place`, 3 of `export -o`) spread over the write, from the temporary's
    first byte to after the rename; then one clean run, which sweeps what the killed ones left."""
    text = big_bibliography(300)
    old = text.encode("utf-8")
    (tmp_path / "records.jsonl").write_text(json.dumps(STIM_RECORD) + "\n", encoding="utf-8")
    new = expected_outputs(text)
    assert new["enrich"] != old and entry_count(new["enrich"]) == entry_count(old)
    previous_export = b"@misc{previous, note = {the last export}}\n"
    for case, kind in enumerate(["enrich"] * 7 + ["export"] * 3):
        (tmp_path / "refs.bib").write_bytes(old)
        (tmp_path / "out.bib").write_bytes(previous_export)
        target = tmp_path / TARGETS[kind]
        previous = target.read_bytes()
        kill_while_writing(tmp_path, kind, delay=(case % 7) * 0.005)
        assert target.read_bytes() in (previous, new[kind]), f"kill {case} ({kind}): {target.name} is damaged"
        backup = tmp_path / "refs.bib.bak"
        assert not backup.exists() or backup.read_bytes() == old, f"kill {case}: the backup is incomplete"
    (tmp_path / "refs.bib").write_bytes(old)
    # a process of its own: a run sweeps only what was made before it started
    result = subprocess.run(refkit("enrich"), cwd=tmp_path, env=environment(), capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "refs.bib").read_bytes() == new["enrich"]
    assert (tmp_path / "refs.bib.bak").read_bytes() == old
    assert hidden(tmp_path) == []


def test_an_edit_made_during_enrich_is_not_overwritten(tmp_path, monkeypatch, capsys):
    """The user saves the file while enrich is looking records up: the run refuses to replace it."""
    from refkit.cli import main

    library = importlib.import_module("refkit.enrich")  # the module: `refkit.enrich` is its function

    bib = tmp_path / "refs.bib"
    bib.write_text(MAHON, encoding="utf-8")
    snapshot = tmp_path / "records.jsonl"
    snapshot.write_text(json.dumps(STIM_RECORD) + "\n", encoding="utf-8")
    edited = MAHON + "\n@misc{added, note = {typed while enrich ran}}\n"
    real_enrich = library.enrich

    def slow_enrich(*args, **kwargs):
        bib.write_text(edited, encoding="utf-8")
        return real_enrich(*args, **kwargs)

    monkeypatch.setattr(library, "enrich", slow_enrich)  # the command imports it when it runs
    monkeypatch.setattr(sys, "argv", ["refkit", "enrich", str(bib), "-i", "--offline", "--snapshot", str(snapshot)])
    with pytest.raises(SystemExit) as exited:
        main()
    assert exited.value.code == 2
    error = capsys.readouterr().err
    assert error.startswith("refkit: error: ") and "changed since refkit read it" in error
    assert len(error.strip().splitlines()) == 1
    assert bib.read_text(encoding="utf-8") == edited
    assert sorted(os.listdir(tmp_path)) == ["records.jsonl", "refs.bib"]
