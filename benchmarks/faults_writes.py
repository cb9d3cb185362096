"""Faults on the write path, run as a user meets them (`python -m refkit` subprocesses on generated files):

- kills: `enrich --in-place` and `export -o` on a ~3 MB .bib, SIGKILLed at spread points of the write (from
  the temporary's first byte to after the rename); broken when the target is neither the old nor the new
  complete file, the .bak is incomplete, or a temporary survives the next clean run (which sweeps);
- hostile records: `enrich -o` with a snapshot record whose values do not fit their fields (a `}` in a
  volume, pages as a list, a year of 5 digits, a DOI that is not one, control characters, …) or are awkward
  text; broken when the output gains, loses or changes a field or entry it should not, a value that does not
  fit is written, `validate --select RK1` finds a problem, or the run ends in a traceback;
- edits during a run: the file is appended to at spread points while `enrich --in-place` runs; broken when
  the edit is not in the file afterwards (a lost edit) or the run ends in a traceback.

Prints cases tried and broken per area and kind of breakage. Target: 0 broken.

    python benchmarks/faults_writes.py [--cases 30]
"""

from __future__ import annotations

import argparse
import copy
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # for the tests' fixtures when run as a script

import bibtexparser  # noqa: E402

from refkit.bib import parse_bibliography  # noqa: E402
from refkit.config import Settings  # noqa: E402
from refkit.validate import validate_bibliography  # noqa: E402
from tests.records import STIM_RECORD  # noqa: E402
from tests.test_crash_safety import (  # noqa: E402
    TARGETS,
    big_bibliography,
    environment,
    expected_outputs,
    hidden,
    kill_while_writing,
    refkit,
)
from tests.test_enrich_hostile import ADDED, AWKWARD_TEXT, BIB, DATED, HOSTILE, HOSTILE_JOURNALS  # noqa: E402

KINDS = ("damaged file", "lost edit", "leftover temp", "traceback")


def kill_cases(folder: Path, cases: int) -> list[set[str]]:
    text = big_bibliography(3000)
    old = text.encode("utf-8")
    (folder / "records.jsonl").write_text(json.dumps(STIM_RECORD) + "\n", encoding="utf-8")
    new = expected_outputs(text)
    broken: list[set[str]] = []
    left: list[set[str]] = []
    previous_export = b"@misc{previous, note = {the last export}}\n"
    for case in range(cases):
        kind = "export" if case % 3 == 2 else "enrich"
        (folder / "refs.bib").write_bytes(old)
        (folder / "out.bib").write_bytes(previous_export)
        target = folder / TARGETS[kind]
        previous = target.read_bytes()
        before = set(hidden(folder))
        kill_while_writing(folder, kind, delay=(case % 8) * 0.005)
        backup = folder / "refs.bib.bak"
        damaged = target.read_bytes() not in (previous, new[kind]) or (backup.exists() and backup.read_bytes() != old)
        broken.append({"damaged file"} if damaged else set())
        left.append(set(hidden(folder)) - before)
    (folder / "refs.bib").write_bytes(old)
    final = subprocess.run(refkit("enrich"), cwd=folder, env=environment(), capture_output=True, text=True)
    remaining = set(hidden(folder))  # after the clean run, which sweeps
    for kinds, names in zip(broken, left, strict=True):
        kinds |= {"leftover temp"} if names & remaining else set()
        kinds |= {"traceback"} if "Traceback" in final.stderr else set()
    return broken


def hostile_cases() -> list[tuple[str, dict, str, set[str], set[str]]]:
    """(name, record, .bib text, fields that must not be written, fields that may change)."""
    cases = []
    for name, (changes, refused) in HOSTILE.items():
        cases.append((name, {**copy.deepcopy(STIM_RECORD), **changes}, BIB, refused, ADDED - refused))
    for name, journal in HOSTILE_JOURNALS.items():
        record = {**copy.deepcopy(STIM_RECORD), "container-title": journal, "short-container-title": []}
        cases.append((f"journal with {name}", record, DATED, {"journal"}, ADDED - {"year"}))
    for journal in AWKWARD_TEXT:
        record = {**copy.deepcopy(STIM_RECORD), "container-title": [journal], "short-container-title": []}
        cases.append((f"journal {journal!r}", record, DATED, set(), ADDED | {"journal"}))
    return cases


def _fields(text: str) -> dict[str, dict[str, str]] | None:
    library = bibtexparser.parse_string(text)
    if library.failed_blocks:
        return None
    return {entry.key: {f.key.lower(): f.value for f in entry.fields} for entry in library.entries}


def _damaged(before_text: str, after_text: str, refused: set[str], allowed: set[str]) -> bool:
    before, after = _fields(before_text), _fields(after_text)
    if before is None or after is None or list(before) != list(after):
        return True
    if any(after[key] != before[key] for key in before if key != "mahon"):
        return True
    names = before["mahon"].keys() | after["mahon"].keys()
    changed = {name for name in names if before["mahon"].get(name) != after["mahon"].get(name)}
    if not changed <= allowed or refused & after["mahon"].keys():
        return True
    report = validate_bibliography(parse_bibliography(after_text, "out.bib"), Settings(select=["RK1"], offline=True))
    return bool(report.findings)


def record_cases(folder: Path, cases: int) -> list[set[str]]:
    broken: list[set[str]] = []
    catalogue = hostile_cases()
    for case in range(cases):
        _, record, text, refused, allowed = catalogue[case % len(catalogue)]
        (folder / "refs.bib").write_text(text, encoding="utf-8")
        (folder / "records.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
        (folder / "out.bib").unlink(missing_ok=True)
        command = [sys.executable, "-m", "refkit", "enrich", "refs.bib", "-o", "out.bib", "--offline"]
        run = subprocess.run(
            [*command, "--snapshot", "records.jsonl"], cwd=folder, env=environment(), capture_output=True, text=True
        )
        output = folder / "out.bib"
        written = output.read_text(encoding="utf-8") if output.exists() else ""
        kinds = {"traceback"} if "Traceback" in run.stderr else set()
        kinds |= {"damaged file"} if run.returncode != 0 or _damaged(text, written, refused, allowed) else set()
        broken.append(kinds)
    return broken


def edit_cases(folder: Path, cases: int) -> list[set[str]]:
    """Append an entry to the file at spread points of an `enrich --in-place` run (about 0.3 s to 3 s in)."""
    text = big_bibliography(3000)
    (folder / "records.jsonl").write_text(json.dumps(STIM_RECORD) + "\n", encoding="utf-8")
    broken: list[set[str]] = []
    for case in range(cases):
        bib = folder / "refs.bib"
        bib.write_text(text, encoding="utf-8")
        edit = f"\n@misc{{typed{case}, note = {{typed while enrich ran}}}}\n"
        process = subprocess.Popen(
            refkit("enrich"), cwd=folder, env=environment(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        time.sleep(0.3 + case * 2.7 / max(cases - 1, 1))
        with bib.open("a", encoding="utf-8") as stream:
            stream.write(edit)
        _, error = process.communicate(timeout=120)
        kinds = {"traceback"} if b"Traceback" in error else set()
        kinds |= {"lost edit"} if edit not in bib.read_text(encoding="utf-8") else set()
        broken.append(kinds)
    return broken


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=30, help="cases per area (30 covers every hostile record)")
    arguments = parser.parse_args()
    if sys.platform == "win32":
        print("faults_writes: needs SIGKILL and POSIX renames; skipped")
        return
    areas = {"kills": kill_cases, "hostile records": record_cases, "edits during a run": edit_cases}
    print(f"{'area':<20}{'tried':>6}{'broken':>8}" + "".join(f"{kind:>15}" for kind in KINDS))
    total = 0
    for area, run in areas.items():
        with tempfile.TemporaryDirectory() as folder:
            broken = run(Path(folder), arguments.cases)
        counts = Counter(kind for kinds in broken for kind in kinds)
        total += sum(1 for kinds in broken if kinds)
        columns = "".join(f"{counts[kind]:>15}" for kind in KINDS)
        print(f"{area:<20}{len(broken):>6}{sum(1 for kinds in broken if kinds):>8}{columns}", flush=True)
    print(f"broken in all: {total} of {3 * arguments.cases}")


if __name__ == "__main__":
    main()
