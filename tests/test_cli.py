"""The command line as a user meets it: exit codes, one-line errors, no tracebacks, no half-written files."""

import json
import subprocess

import pytest

from refkit.bib import load_bibliography, to_reference
from refkit.cli.export import ExportFormat
from refkit.cli.validate import ReportFormat
from refkit.config import Settings
from refkit.export import EXPORTERS, export
from refkit.reports import RENDERERS
from refkit.validate import validate
from tests.cli import CliResult, run_cli, run_process
from tests.conftest import ROOT

GOOD = "@article{a2020, author = {Roe, Jo}, title = {Title}, journal = {J}, year = {2020}}\n"
LINT_ONLY = ["--select", "RK1,RK2,RK3,RK4,RK5"]


def assert_one_line_error(result: CliResult | subprocess.CompletedProcess[str], text: str) -> None:
    assert result.returncode == 2, result
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("refkit: error: ")
    assert len(result.stderr.strip().splitlines()) == 1
    assert text in result.stderr


def test_version_and_help():
    assert run_cli("--version").stdout.startswith("refkit ")
    result = run_cli("--help")
    assert result.returncode == 0
    for command in ("validate", "export", "rules"):
        assert command in result.stdout


# End to end: a few runs as real processes, for what only a process shows (the console entry point through
# `python -m refkit`, the interpreter's own exit code and stderr, no traceback printed by Python itself).


def test_version_as_a_process():
    result = run_process("--version")
    assert result.returncode == 0 and result.stdout.startswith("refkit ") and result.stderr == ""


def test_validate_the_sample_as_a_process():
    result = run_process("validate", "references.bib", "--format", "json", cwd=ROOT)
    assert result.returncode == 1, result.stderr  # the likely mis-citation is an error
    assert json.loads(result.stdout)["summary"]["statuses"]["not-found"] == 1


def test_a_missing_file_as_a_process(tmp_path):
    assert_one_line_error(run_process("validate", str(tmp_path / "nope.bib")), "no such BibTeX file")


def test_format_options_offer_every_renderer_and_exporter():
    assert {choice.value for choice in ReportFormat} == set(RENDERERS)
    assert {choice.value for choice in ExportFormat} == set(EXPORTERS)


@pytest.mark.parametrize("command", ["validate", "export"])
def test_missing_file(command, tmp_path):
    assert_one_line_error(run_cli(command, str(tmp_path / "nope.bib")), "no such BibTeX file")


def test_a_bib_file_named_by_a_document_but_built_at_render_time(tmp_path):
    # As in a real R Markdown tutorial: `bibliography: temp.bib`, made at render time from the committed .bib.
    (tmp_path / "references.bib").write_text("@misc{a, title = {A}}\n")
    paper = tmp_path / "paper.Rmd"
    paper.write_text("---\ntitle: A paper\nbibliography: temp.bib\n---\n\nText [@a].\n")
    error = f"temp.bib: no such BibTeX file (named by {paper}; if it is made when the document is rendered, give"
    assert_one_line_error(run_cli("validate", "--offline", str(paper)), error)


def test_directory(tmp_path):
    assert_one_line_error(run_cli("validate", str(tmp_path)), "is a directory")


def test_binary_file(tmp_path):
    path = tmp_path / "refs.bib"
    path.write_bytes(bytes(range(256)) * 100)
    assert_one_line_error(run_cli("validate", str(path)), "binary")


def test_latin1_file_is_read(tmp_path):
    path = tmp_path / "refs.bib"
    path.write_bytes(GOOD.replace("Roe", "Müller").encode("latin-1"))
    result = run_cli("export", str(path))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)[0]["author"] == [{"family": "Müller", "given": "Jo"}]


def test_a_windows_1252_file_keeps_its_dashes_and_quotes(tmp_path):
    path = tmp_path / "refs.bib"
    path.write_bytes(GOOD.replace("Roe", "Müller").replace("{Title}", "{“Quoted” – title}").encode("cp1252"))
    result = run_cli("export", str(path))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)[0]["title"] == "“Quoted” – title"


def test_standard_input_is_decoded_as_a_file_is():
    latin1 = run_cli("export", "-", input=GOOD.replace("Roe", "Müller").encode("latin-1"))
    assert latin1.returncode == 0, latin1.stderr
    assert json.loads(latin1.stdout)[0]["author"] == [{"family": "Müller", "given": "Jo"}]
    binary = run_cli("export", "-", input=bytes(range(256)) * 100)
    assert binary.returncode == 2
    assert binary.stderr == "refkit: error: standard input: looks like a binary file, not text\n"


def test_empty_file(tmp_path):
    path = tmp_path / "refs.bib"
    path.write_text("")
    result = run_cli("validate", str(path), *LINT_ONLY)
    assert result.returncode == 0
    assert "0 entries checked" in result.stdout


def test_exit_codes_and_fail_on(tmp_path):
    path = tmp_path / "refs.bib"
    path.write_text(GOOD.replace("2020}", "2020}, pages = {9--1}").replace("Roe, Jo", "Roe, Jo and others"))
    assert run_cli("validate", str(path), *LINT_ONLY).returncode == 1  # RK306 is an error
    assert run_cli("validate", str(path), *LINT_ONLY, "--ignore", "RK306").returncode == 0  # RK403 is info
    assert run_cli("validate", str(path), *LINT_ONLY, "--ignore", "RK306", "--fail-on", "info").returncode == 1
    assert run_cli("validate", str(path), "--fail-on", "sometimes").returncode == 2


def test_settings_from_pyproject(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.refkit]\nignore = ["RK306"]\nselect = ["RK3"]\n')
    (tmp_path / "refs.bib").write_text(GOOD.replace("2020}", "2020}, pages = {9--1}"))
    result = run_cli("validate", "refs.bib", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout)["findings"] == []
    (tmp_path / "pyproject.toml").write_text('[tool.refkit]\nfail_on = "warning"\nnonsense = 1\n')
    assert_one_line_error(run_cli("validate", "refs.bib", cwd=tmp_path), "unknown setting 'nonsense'")


def test_output_file_is_not_created_or_damaged_on_error(tmp_path):
    out = tmp_path / "out.json"
    assert run_cli("export", str(tmp_path / "missing.bib"), "-o", str(out)).returncode == 2
    assert not out.exists()
    out.write_text("precious")
    assert run_cli("export", str(tmp_path / "missing.bib"), "-o", str(out)).returncode == 2
    assert out.read_text() == "precious"
    assert list(tmp_path.iterdir()) == [out]  # no temporary files left behind


def test_enrich_in_place_refuses_standard_input(tmp_path):
    result = run_cli("enrich", "-", "--in-place", "--offline", cwd=tmp_path)
    assert_one_line_error(result, "standard input cannot be rewritten")
    assert list(tmp_path.iterdir()) == []  # no file called "-"


def test_export_to_file_and_formats(tmp_path):
    out = tmp_path / "refs.ris"
    result = run_cli("export", str(ROOT / "references.bib"), "--format", "ris", "-o", str(out))
    assert result.returncode == 0 and result.stdout == ""
    assert out.read_text(encoding="utf-8").count("ER  - ") == 10


def test_syntax_error_is_a_finding_not_a_crash(tmp_path):
    path = tmp_path / "refs.bib"
    path.write_text(GOOD + "@article{broken, title = {unclosed\n")
    result = run_cli("validate", str(path), *LINT_ONLY)
    assert result.returncode == 1
    assert "RK101" in result.stdout and "Traceback" not in result.stderr


def test_known_tricky_files_never_crash(shared):
    """bibtexparser's own tricky inputs (BOM, no braces, one line, comma first, crossref cycles, empty file),
    through the library calls behind `validate` and `export` (in-process: 26 files × 2 CLI starts is slow)."""
    for path in sorted((shared / "data" / "bibtex" / "tricky-bibtexparser-v1").glob("*.bib")):
        report = validate(path, Settings(select=["RK1", "RK2", "RK3", "RK4", "RK5"]))
        assert len(report.keys) == len(load_bibliography(path).entries), path.name
        references = [to_reference(entry) for entry in load_bibliography(path).entries]
        assert isinstance(json.loads(export(references, "csl-json")), list), path.name


def test_a_50_megabyte_file_is_handled(tmp_path):
    path = tmp_path / "huge.bib"
    line = "Notes that are not BibTeX at all, with {braces} and an @ sign, repeated to fill fifty megabytes.\n"
    path.write_text(line * (50 * 1024 * 1024 // len(line)), encoding="utf-8")
    result = run_cli("validate", str(path), *LINT_ONLY)
    assert result.returncode == 2, result.stderr  # handled: text with no @entries is not BibTeX
    assert "not a BibTeX file" in result.stderr and "Traceback" not in result.stderr
