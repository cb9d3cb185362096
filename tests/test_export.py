import json
import shutil
import subprocess

import jsonschema
import pytest

from refkit.bib import load_bibliography, parse_bibliography, to_reference
from refkit.config import Settings
from refkit.errors import RefkitError
from refkit.export import export
from refkit.validate import validate_bibliography
from tests.conftest import ROOT, shared_file


def references(path):
    bib = load_bibliography(path)
    return [to_reference(entry) for entry in bib.entries]


@pytest.mark.parametrize("name", ["references.bib", "biblatex-examples.bib", "texbook3.bib"])
def test_csl_json_validates_against_the_official_schema(name):
    schema = json.loads(shared_file("data", "csl", "csl-data.json").read_text(encoding="utf-8"))
    path = ROOT / name if name == "references.bib" else shared_file("data", "bibtex", name)
    items = json.loads(export(references(path), "csl-json"))
    jsonschema.validate(items, schema)
    assert len(items) == len(load_bibliography(path).entries)


def test_csl_json_of_the_sample():
    items = json.loads(export(references(ROOT / "references.bib"), "csl-json"))
    saussele = items[2]
    assert saussele["id"] == "saussele2016discontinuation"
    assert saussele["author"] == [{"family": "Saußele", "given": "S."}, {"literal": "others"}]  # "and others"
    assert saussele["issued"] == {"date-parts": [[2016]]}
    assert saussele["page"] == "685–693"
    assert items[9]["container-title"] == "Pharmacology & Therapeutics"


def test_ris_export():
    text = export(references(ROOT / "references.bib"), "ris")
    first = text.split("ER  - ")[0]
    assert first.splitlines()[:4] == [
        "TY  - JOUR",
        "AU  - Druker, B. J.",
        "AU  - et al.",
        "TI  - Five-year follow-up of patients receiving imatinib for chronic myeloid leukemia",
    ]
    assert "SP  - 2408\nEP  - 2417\n" in first
    assert text.count("ER  - ") == 10


def test_bibtex_export_reads_back_the_same():
    refs = references(ROOT / "references.bib")
    again = [to_reference(e) for e in parse_bibliography(export(refs, "bibtex")).entries]
    for before, after in zip(refs, again, strict=True):
        before.location = after.location = None
        assert before == after


def test_bibtex_export_writes_braces_in_values_so_bibtex_still_balances_them():
    text = "@article{set2020, title = {The set \\{x\\} and a lone \\textbraceright{} brace}, year = {2020}}\n"
    [reference] = [to_reference(e) for e in parse_bibliography(text).entries]
    assert reference.title == "The set {x} and a lone } brace"
    written = parse_bibliography(export([reference], "bibtex"))
    assert validate_bibliography(written, Settings(select=["RK1"])).findings == []  # no RK101, no RK104
    assert to_reference(written.entries[0]).title == reference.title


def test_an_unknown_format_is_a_refkit_error():
    with pytest.raises(RefkitError, match=r"unknown export format 'csv' .*csl-json"):
        export(references(ROOT / "references.bib"), "csv")


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed")
def test_pandoc_reads_our_csl_json(tmp_path):
    """pandoc's citeproc renders a citation from our CSL-JSON (a real consumer, not only the schema)."""
    (tmp_path / "refs.json").write_text(export(references(ROOT / "references.bib"), "csl-json"), encoding="utf-8")
    (tmp_path / "doc.md").write_text("See [@saussele2016discontinuation].\n", encoding="utf-8")
    result = subprocess.run(
        ["pandoc", "doc.md", "--citeproc", "--bibliography", "refs.json", "-t", "plain"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    text = " ".join(result.stdout.split())
    assert text.startswith("See (Saußele et al. 2016).")  # the entry says "Saußele, S. and others"
    assert "The Lancet Oncology 17 (5): 685–93." in text


def test_export_reports_progress_and_takes_references_as_a_stream(tmp_path, monkeypatch):
    """A large export tells how far it is; the exporters take the References as a stream (any iterable)."""
    from contextlib import contextmanager

    from tests.cli import run_cli

    seen: list[tuple[int, int]] = []

    @contextmanager
    def recorded(description):
        yield lambda done, total: seen.append((done, total))

    monkeypatch.setattr("refkit.cli.export.progress_bar", recorded)
    monkeypatch.setattr("refkit.cli.export.PROGRESS_STEP", 2)
    path = tmp_path / "five.bib"
    path.write_text("".join(f"@misc{{k{n}, title = {{T{n}}}, year = 2020}}\n" for n in range(5)), encoding="utf-8")
    result = run_cli("export", str(path), "-o", str(tmp_path / "five.json"))
    assert result.returncode == 0, result.stderr
    assert seen == [(2, 5), (4, 5), (5, 5)]
    assert [item["id"] for item in json.loads((tmp_path / "five.json").read_text())] == [f"k{n}" for n in range(5)]
    references = [to_reference(entry) for entry in load_bibliography(path).entries]
    for name in ("csl-json", "ris", "bibtex"):
        assert export(iter(references), name) == export(references, name)
