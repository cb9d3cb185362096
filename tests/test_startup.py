"""Start-up stays cheap: what `import refkit`, `refkit --version` and an offline validate load, in a fresh
interpreter each (this one has imported everything already). A set of modules, not a time: how long the
imports take is measured by benchmarks/startup.py."""

from __future__ import annotations

import importlib
import importlib.metadata
import json
import subprocess
import sys
import types
from pathlib import Path

import refkit
from refkit.cli.app import COMMAND_MODULES
from tests.records import STIM_RECORD

# What a command pays for only when it uses it: HTTP and its cache, BibTeX parsing, fuzzy matching, the
# terminal UI, schema checks, LaTeX encoding, the extraction model, and typer's pydantic-based coercion.
HEAVY = {
    "requests",
    "requests_cache",
    "urllib3",
    "bibtexparser",
    "rapidfuzz",
    "rich",
    "jsonschema",
    "pylatexenc",
    "pycrfsuite",
    "pydantic",
}


def _loaded(code: str, *args: str) -> set[str]:
    """The top-level names of the modules loaded once `code` has run with `args` as sys.argv[1:]."""
    script = (
        "import json, sys\n"
        f"sys.argv[1:] = {list(args)!r}\n"
        "try:\n" + "".join(f"    {line}\n" for line in code.splitlines()) + "except SystemExit as exit:\n"
        "    assert exit.code in (None, 0), exit.code\n"
        "sys.stderr.write(json.dumps(sorted(sys.modules)))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return set(json.loads(result.stderr.splitlines()[-1]))


def test_import_refkit_loads_only_the_package_and_its_version():
    loaded = _loaded("import refkit")
    assert {name for name in loaded if name.startswith("refkit")} == {"refkit", "refkit.version"}
    assert not HEAVY & {name.split(".")[0] for name in loaded}


# What only a document needs: the readers of each format (the PDF one loads ctypes, the docx one zipfile and
# XML) and the reference extractor with its model.
DOCUMENT_ONLY = {"refkit.documents", "refkit.extract", "zipfile", "xml", "ctypes", "statistics", "html.parser"}


def _commands(loaded: set[str]) -> set[str]:
    """The command modules of refkit.cli among `loaded`."""
    return {name for name in loaded if name.startswith("refkit.cli.") and name != "refkit.cli.app"}


def test_refkit_version_loads_no_heavy_module_and_no_command():
    loaded = _loaded("from refkit.cli import main\nmain()", "--version")
    assert not HEAVY & {name.split(".")[0] for name in loaded}
    assert "refkit.validate" not in loaded and "refkit.claims" not in loaded and "refkit.model" not in loaded
    assert _commands(loaded) == set()


def test_a_command_loads_its_own_module_only_and_help_lists_them_all():
    assert _commands(_loaded("from refkit.cli import main\nmain()", "rules")) == {"refkit.cli.rules"}
    every = _commands(_loaded("from refkit.cli import main\nmain()", "--help"))
    assert every >= set(COMMAND_MODULES.values())


def test_an_offline_validate_the_snapshot_answers_never_loads_the_http_stack(tmp_path: Path):
    bib = tmp_path / "refs.bib"
    bib.write_text(
        "@article{mahon2010,\n  author = {Mahon, François-Xavier and Réa, Delphine},\n"
        f"  title = {{{STIM_RECORD['title'][0]}}},\n  journal = {{The Lancet Oncology}},\n  year = {{2010}},\n"
        f"  volume = {{11}},\n  number = {{11}},\n  pages = {{1029--1035}},\n  doi = {{{STIM_RECORD['DOI']}}}\n}}\n",
        encoding="utf-8",
    )
    snapshot = tmp_path / "records.jsonl"
    snapshot.write_text(json.dumps(STIM_RECORD) + "\n", encoding="utf-8")
    args = ("validate", str(bib), "--offline", "--snapshot", str(snapshot), "--snapshot-complete", "-f", "json")
    loaded = _loaded("from refkit.cli import main\nmain()", *args, "-o", str(tmp_path / "report.json"))
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert [entry["status"] for entry in report["entries"]] == ["verified"]
    assert not {"requests", "requests_cache", "urllib3"} & {name.split(".")[0] for name in loaded}
    assert not {name for name in loaded if name in DOCUMENT_ONLY or name.startswith("refkit.documents.")}
    assert _commands(loaded) == {"refkit.cli.validate", "refkit.cli.sources"}


def test_refkit_version_is_the_installed_distributions():
    result = subprocess.run(
        [sys.executable, "-m", "refkit", "--version"], capture_output=True, text=True, timeout=120, check=True
    )
    assert result.stdout == f"refkit {importlib.metadata.version('refkit-check')}\n"
    assert refkit.__version__ == importlib.metadata.version("refkit-check")


def test_every_public_name_is_there_when_asked_for():
    for name in refkit.__all__:
        assert getattr(refkit, name) is not None, name
    assert set(refkit.__all__) <= set(dir(refkit))


def test_validate_export_and_enrich_stay_the_functions_once_their_modules_are_imported():
    for name in ("validate", "export", "enrich"):
        module = importlib.import_module(f"refkit.{name}")
        assert isinstance(module, types.ModuleType)
        assert getattr(refkit, name) is getattr(module, name) and callable(getattr(refkit, name))
