"""`refkit extract` end to end: the sample document, output formats, --section, --resolve, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from refkit.bib import load_bibliography, parse_bibliography
from tests.cli import run_cli
from tests.conftest import ROOT, shared_file
from tests.test_extract_parse import ARTICLES

DOCUMENT = """\
# Seagrass and carbon

Seagrass meadows store carbon in their sediments.

## Works Cited

1. Ortiz, R., & Hale, P. (2016). Carbon burial in seagrass meadows of the western Mediterranean. Estuarine,
   Coastal and Shelf Science, 181, 145-153.
2. Lindqvist K, Aho M. Sediment grain size and organic carbon in eelgrass beds. Mar Ecol Prog Ser.
   2019;612:37-49.
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_sample_gives_references_bib_field_for_field(tmp_path: Path) -> None:
    out = tmp_path / "out.bib"
    result = run_cli("extract", str(shared_file("samples", "imatinib-blog.txt")), "-o", str(out))
    assert result.returncode == 0, result.stderr
    got = load_bibliography(out).entries
    want = load_bibliography(ROOT / "references.bib").entries
    assert [(e.key, e.entry_type, e.fields) for e in got] == [(e.key, e.entry_type, e.fields) for e in want]


def test_bibtex_to_stdout_with_keys_and_types(tmp_path: Path) -> None:
    result = run_cli("extract", str(_write(tmp_path, "paper.md", DOCUMENT)))
    assert result.returncode == 0, result.stderr
    entries = parse_bibliography(result.stdout).entries
    assert [(entry.key, entry.entry_type) for entry in entries] == [
        ("ortiz2016carbon", "article"),
        ("lindqvist2019sediment", "article"),
    ]
    assert entries[0].fields["journal"] == "Estuarine, Coastal and Shelf Science"
    assert entries[1].fields["pages"] == "37--49" and entries[1].fields["author"] == "Lindqvist, K. and Aho, M."


def test_json_keeps_raw_string_and_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "paper.md", DOCUMENT)
    result = run_cli("extract", str(path), "--format", "json")
    items = json.loads(result.stdout)
    assert items[1]["raw"].startswith("Lindqvist K, Aho M. Sediment grain size")
    assert items[1]["location"] == {"file": str(path), "line": 9, "key": "lindqvist2019sediment"}
    assert (items[1]["volume"], items[1]["page"], "issue" in items[1]) == ("612", "37–49", False)
    assert items[0]["authors"] == [{"family": "Ortiz", "given": "R."}, {"family": "Hale", "given": "P."}]


def test_csl_json_and_key_pattern(tmp_path: Path) -> None:
    path = _write(tmp_path, "paper.md", DOCUMENT)
    result = run_cli("extract", str(path), "-f", "csl-json", "--key-pattern", "{auth}:{year}")
    items = json.loads(result.stdout)
    assert [item["id"] for item in items] == ["ortiz:2016", "lindqvist:2019"]
    assert items[0]["container-title"] == "Estuarine, Coastal and Shelf Science"


def test_csl_json_of_every_style_validates_against_the_schema(tmp_path: Path) -> None:
    schema = json.loads(shared_file("data", "csl", "csl-data.json").read_text(encoding="utf-8"))
    listing = "References\n\n" + "\n\n".join(entry[0] for entry in ARTICLES.values())
    result = run_cli("extract", str(_write(tmp_path, "all.txt", listing)), "-f", "csl-json")
    items = json.loads(result.stdout)
    assert len(items) == len(ARTICLES)
    jsonschema.validate(items, schema)


def test_key_pattern_from_pyproject(tmp_path: Path) -> None:
    _write(tmp_path, "pyproject.toml", '[tool.refkit]\nkey-pattern = "{auth}{year}"\n')
    result = run_cli("extract", str(_write(tmp_path, "paper.md", DOCUMENT)), "-f", "json")
    assert [item["key"] for item in json.loads(result.stdout)] == ["ortiz2016", "lindqvist2019"]


def test_section_option(tmp_path: Path) -> None:
    text = DOCUMENT.replace("## Works Cited", "## Reading")
    path = _write(tmp_path, "paper.md", text)
    assert run_cli("extract", str(path)).returncode == 1
    result = run_cli("extract", str(path), "--section", "Reading", "-f", "json")
    assert result.returncode == 0 and len(json.loads(result.stdout)) == 2


def test_no_reference_section_exits_1_with_a_hint(tmp_path: Path) -> None:
    result = run_cli("extract", str(_write(tmp_path, "notes.txt", "Only prose.\nNo list here.\n")))
    assert result.returncode == 1 and result.stdout == ""
    assert "no reference section found" in result.stderr and "--section" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_input_is_one_line_exit_2(tmp_path: Path) -> None:
    binary = tmp_path / "scan.txt"
    binary.write_bytes(b"\x00\x01\x02" * 1000)
    for args in (
        ["extract", str(binary)],
        ["extract", str(tmp_path / "missing.md")],
        ["extract", str(_write(tmp_path, "refs.bib", "@article{a, title={T}}\n"))],
        ["extract", str(_write(tmp_path, "a.md", DOCUMENT)), "--key-pattern", "{nope}"],
    ):
        result = run_cli(*args)
        assert result.returncode == 2 and "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1


def test_failed_write_leaves_no_file(tmp_path: Path) -> None:
    result = run_cli("extract", str(_write(tmp_path, "a.md", DOCUMENT)), "-o", str(tmp_path / "no" / "out.bib"))
    assert result.returncode == 2 and not (tmp_path / "no").exists()


def test_resolve_fills_doi_for_confident_matches_only(tmp_path: Path) -> None:
    record = {
        "DOI": "10.1016/j.ecss.2016.08.021",
        "type": "journal-article",
        "title": ["Carbon burial in seagrass meadows of the western Mediterranean"],
        "author": [{"family": "Ortiz", "given": "Rosa"}, {"family": "Hale", "given": "Peter"}],
        "container-title": ["Estuarine, Coastal and Shelf Science"],
        "volume": "181",
        "issue": "4",
        "page": "145-153",
        "issued": {"date-parts": [[2016, 11]]},
    }
    snapshot = _write(tmp_path, "records.jsonl", json.dumps(record) + "\n")
    path = _write(tmp_path, "paper.md", DOCUMENT)
    result = run_cli(
        "extract",
        str(path),
        "-f",
        "json",
        "--resolve",
        "--offline",
        "--snapshot",
        str(snapshot),
        "--cache-dir",
        str(tmp_path / "cache"),
    )
    assert result.returncode == 0, result.stderr
    items = json.loads(result.stdout)
    assert items[0]["doi"] == "10.1016/j.ecss.2016.08.021" and items[0]["issue"] == "4"
    assert "doi" not in items[1]
    assert "resolved 1 of 2" in result.stderr and "lindqvist2019sediment" in result.stderr


REFERENCES = [
    "Ortiz, R., & Hale, P. (2016). Carbon burial in seagrass meadows of the western Mediterranean. Estuarine, "
    "Coastal and Shelf Science, 181, 145-153.",
    "Lindqvist K, Aho M. Sediment grain size and organic carbon in eelgrass beds. Mar Ecol Prog Ser. 2019;612:37-49.",
    "A. Kowalczyk and B. Tanaka, “Low-latency scheduling for edge inference,” IEEE Trans. Parallel Distrib. "
    "Syst., vol. 33, no. 7, pp. 1654–1667, Jul. 2022.",
]


def _in_every_format(tmp_path: Path) -> list[Path]:
    html_items = "".join(f"<li>{text}</li>" for text in REFERENCES)
    tex_items = "".join(
        "\\bibitem{k" + str(n) + "} " + text.replace("&", "\\&") + "\n" for n, text in enumerate(REFERENCES)
    )
    return [
        _write(
            tmp_path,
            "doc.md",
            "# Title\n\nProse.\n\n## References\n\n"
            + "\n".join(f"{n}. {text}" for n, text in enumerate(REFERENCES, start=1))
            + "\n",
        ),
        _write(tmp_path, "doc.txt", "Prose.\n\nBibliography\n\n" + "\n\n".join(REFERENCES) + "\n"),
        _write(tmp_path, "doc.html", f"<h1>T</h1><p>Prose.</p><h2>Works Cited</h2><ol>{html_items}</ol>"),
        _write(
            tmp_path,
            "doc.tex",
            "\\section{Intro}\nProse.\n\\begin{thebibliography}{9}\n" + tex_items + "\\end{thebibliography}\n",
        ),
    ]


def test_the_same_list_in_every_format_gives_the_same_references(tmp_path: Path) -> None:
    results = []
    for path in _in_every_format(tmp_path):
        result = run_cli("extract", str(path), "-f", "json", "--renew-keys")
        assert result.returncode == 0, (path.name, result.stderr)
        results.append(
            [{k: v for k, v in item.items() if k not in ("location", "raw")} for item in json.loads(result.stdout)]
        )
    assert [item["key"] for item in results[0]] == ["ortiz2016carbon", "lindqvist2019sediment", "kowalczyk2022low"]
    assert all(result == results[0] for result in results[1:])


def test_latex_keeps_its_bibitem_keys_so_its_cites_still_resolve(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "paper.tex",
        "As shown \\cite{ortiz}.\n\\begin{thebibliography}{9}\n"
        "\\bibitem{ortiz} Ortiz, A. (2016). Carbon budgets of small lakes. Limnology, 12(3), 45-67.\n"
        "\\end{thebibliography}\n",
    )
    kept = json.loads(run_cli("extract", str(path), "-f", "json").stdout)
    renewed = json.loads(run_cli("extract", str(path), "-f", "json", "--renew-keys").stdout)
    assert [item["key"] for item in kept] == ["ortiz"]
    assert [item["key"] for item in renewed] == ["ortiz2016carbon"]


def test_resolve_the_sample_against_the_repository_snapshot(tmp_path: Path) -> None:
    result = run_cli(
        "extract",
        str(shared_file("samples", "imatinib-blog.txt")),
        "-f",
        "json",
        "--resolve",
        "--offline",
        "--snapshot",
        str(ROOT / "cache" / "crossref-snapshot.jsonl"),
        "--cache-dir",
        str(tmp_path / "cache"),
    )
    assert result.returncode == 0, result.stderr
    dois = {item["key"]: item.get("doi", "") for item in json.loads(result.stdout)}
    assert dois["druker2006five"] == "10.1056/NEJMoa062867"
    assert sum(1 for doi in dois.values() if doi) == 8
    assert dois["cortes2019imatinib"] == dois["patel2017chronic"] == ""
    assert "cortes2019imatinib: not-found" in result.stderr and "patel2017chronic: doubtful" in result.stderr


def test_latex_with_a_bib_file_points_to_it(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "paper.tex",
        "\\begin{document}\nText \\cite{a}.\n% \\bibliography{old}\n\\bibliography{refs,more}\n\\end{document}\n",
    )
    result = run_cli("extract", str(path))
    assert result.returncode == 1 and "refs.bib, more.bib" in result.stderr and "old" not in result.stderr
