"""What refkit prints is safe to print: outside data (records, entries, documents, file names) brings no
control character into any report, the Markdown map loads nothing when viewed, and a report that cannot be
written in full is an error (exit 2), never a report silently cut short; a reader that stops reading
(`| head`) ends the run quietly with 141."""

from __future__ import annotations

import json
import os
import re
import resource
import signal
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from markdown_it import MarkdownIt

from refkit.claims import map_document
from refkit.claims.render import render_json, render_markdown, render_text
from refkit.claims.report_html import render_html
from refkit.config import Settings
from refkit.model import Finding, Severity
from refkit.reports import RENDERERS
from refkit.reports.text import render_rich
from refkit.text import escape_controls
from refkit.validate import ValidationReport, validate
from tests.cli import run_cli

# Clear the screen, set the window title (OSC, ended by BEL), a NUL, an 8-bit CSI, a right-to-left override.
HOSTILE = "\x1b[2J\x1b]0;pwned\x07\x00\x9b31m\u202e"
IN_TEXT = HOSTILE.replace("\x00", "")  # what a text file can hold: refkit reads a file with NUL as binary
# What no report may contain raw: C0 controls but tab and line feed, DEL, C1, bidi controls, line separators.
RAW_CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")
ROOT = Path(__file__).resolve().parent.parent


def test_escape_controls_makes_every_control_visible_and_leaves_text_alone():
    assert escape_controls(HOSTILE) == "\\u001b[2J\\u001b]0;pwned\\u0007\\u0000\\u009b31m\\u202e"
    assert escape_controls("line\nforged\r") == "line\\u000aforged\\u000d"
    text = "Réa, D. — “Stop Imatinib” (STIM)\t100 % ≥ 2 years, 東京"
    assert escape_controls(text) == text
    assert escape_controls("a\nb\x1b", keep="\n") == "a\nb\\u001b"
    assert escape_controls("lone \ud800 surrogate") == "lone \\ud800 surrogate"  # would fail the UTF-8 writer


def test_escaped_json_is_the_same_json():
    data = {"title": "x\x7f\x85\u2028\u202ey", "n": [1, "\x1b"]}
    text = escape_controls(json.dumps(data, indent=2, ensure_ascii=False), keep="\n")
    assert not RAW_CONTROL_RE.search(text)
    assert json.loads(text) == data


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory) -> ValidationReport:
    """A record whose title, author and journal carry the hostile sequences (served by a complete snapshot),
    cited by an entry that names another work, and an entry whose key and DOI carry them."""
    folder = tmp_path_factory.mktemp("hostile")
    record = {
        "DOI": "10.5555/hostile.1",
        "type": "journal-article",
        "title": [f"Sea level rise{HOSTILE} and coasts"],
        "author": [{"family": f"Evil{HOSTILE}", "given": "Eve"}],
        "container-title": [f"Journal of {HOSTILE} Coasts"],
        "issued": {"date-parts": [[2019]]},
    }
    snapshot = folder / "records.jsonl"
    snapshot.write_text(json.dumps(record) + "\n", encoding="utf-8")
    bib = folder / "refs.bib"
    bib.write_text(
        "@article{kulp2019,\n  author = {Kulp, Scott},\n"
        "  title = {New elevation data triple estimates of global vulnerability},\n"
        "  journal = {Nature Communications},\n  year = {2019},\n  doi = {10.5555/hostile.1}\n}\n"
        f"@article{{bad{IN_TEXT},\n  author = {{Ito, Ken}},\n  title = {{A title}},\n  journal = {{J}},\n"
        f"  year = {{2020}},\n  doi = {{10.12/x{IN_TEXT}}}\n}}\n",
        encoding="utf-8",
    )
    settings = Settings(snapshot=[snapshot], snapshot_complete=True, offline=True, cache_dir=folder / "cache")
    report = validate(bib, settings)
    assert any(IN_TEXT in finding.message for finding in report.findings)  # the data did reach the findings
    assert any(finding.rule == "RK603" and "Sea level rise" in finding.message for finding in report.findings)
    return report


@pytest.mark.parametrize("format", sorted(RENDERERS))
def test_no_report_format_passes_a_control_character_through(hostile_report, format):
    output = RENDERERS[format](hostile_report)
    assert not RAW_CONTROL_RE.search(output), format
    assert "Sea level rise" in output and "pwned" in output  # shown, as escapes, not dropped


def test_json_keeps_the_values_exactly(hostile_report):
    data = json.loads(RENDERERS["json"](hostile_report))
    assert any(HOSTILE in finding["message"] for finding in data["findings"])


def test_sarif_and_junit_stay_well_formed_and_show_the_escapes(hostile_report):
    sarif = json.loads(RENDERERS["sarif"](hostile_report))
    messages = [result["message"]["text"] for result in sarif["runs"][0]["results"]]
    assert any("\\u001b[2J" in message for message in messages)
    junit = ET.fromstring(RENDERERS["junit"](hostile_report))  # XML 1.0 has no NUL or ESC, even escaped
    failures = [case.find("failure") for case in junit.iter("testcase")]
    assert any("\\u0000" in failure.get("message", "") for failure in failures if failure is not None)


def test_rich_terminal_report_has_only_its_own_styling(hostile_report):
    output = render_rich(hostile_report, width=200)
    for sequence in ("\x1b[2J", "\x1b]0;", "\x07", "\x00", "\x9b", "\u202e"):
        assert sequence not in output
    assert "\\u001b[2J" in output


def test_rich_markup_in_a_file_name_is_text(tmp_path):
    finding = Finding("RK301", Severity.ERROR, "a: year 2931 is in the future", "a", "[link=http://x]a.bib", 1)
    output = render_rich(ValidationReport("[link=http://x]a.bib", [("a", 1)], [finding]), width=200)
    assert "\x1b]8;" not in output  # no OSC 8 hyperlink
    assert "[link=http://x]a.bib" in re.sub("\x1b\\[[0-9;]*m", "", output)  # rich's own styling taken off


def test_github_commands_cannot_be_forged_by_a_message():
    finding = Finding("RK203", Severity.ERROR, "a: bad\r\n::add-mask::secret\n::error::forged", "a", "x.bib", 3)
    lines = RENDERERS["github"](ValidationReport("x.bib", [("a", 3)], [finding])).splitlines()
    assert len(lines) == 1 and lines[0].startswith("::error file=x.bib,line=3,")
    assert lines[0].endswith("a: bad%0D%0A::add-mask::secret%0A::error::forged")


def test_integrity_problems_on_stderr_are_escaped_too(tmp_path):
    bib = tmp_path / "refs.bib"
    bib.write_text(f"@article{{k{IN_TEXT}, title = {{A}}}}\n@article{{k{IN_TEXT}, title = {{B}}}}\n", encoding="utf-8")
    result = run_cli("export", str(bib), "-f", "ris")
    assert result.returncode == 1
    assert "RK102" in result.stderr and not RAW_CONTROL_RE.search(result.stderr)


# -- refkit map --------------------------------------------------------------------------------------------

DOCUMENT = f"""# Results

Sea levels rose by 3 mm a year ![](http://tracker.example/pixel.png) since 1993 [1].
Coastal floods <img src="http://tracker.example/i.png"> doubled [click](javascript:alert(1)) in ports.
Erosion follows{IN_TEXT} storms <script>alert(1)</script> everywhere &lt;b&gt; [2].

# References

1. Church, J. A. and White, N. J. (2011) Sea-level rise from the late 19th to the early 21st century.
   Surveys in Geophysics 32, 585-602.
2. Vousdoukas, M. I. (2020) Sandy coastlines under threat of erosion. Nature Climate Change 10, 260-263.
"""


@pytest.fixture(scope="module")
def hostile_map(tmp_path_factory):
    document = tmp_path_factory.mktemp("map") / "paper.md"
    document.write_text(DOCUMENT, encoding="utf-8")
    claim_map = map_document(document, ranker="lexical")
    assert any("tracker.example" in claim.sentence.text for claim in claim_map.claims)
    return claim_map


def test_markdown_map_is_inert_when_viewed(hostile_map):
    markdown = render_markdown(hostile_map, "paper.md")
    html = MarkdownIt("commonmark").enable("table").render(markdown)
    assert "<table>" in html and "tracker.example/pixel.png" in html  # the claim is there, as text
    assert "<img" not in html and "<a " not in html and "<script" not in html
    assert "&lt;img src=" in html and "![](http://tracker.example/pixel.png)" in html  # shown as written
    assert not RAW_CONTROL_RE.search(markdown)


@pytest.mark.parametrize("render", [render_text, render_json, render_markdown, render_html])
def test_no_map_format_passes_a_control_character_through(hostile_map, render):
    output = render(hostile_map, "paper.md")
    assert not RAW_CONTROL_RE.search(output)
    assert "Erosion follows" in output


# -- failed writes, end to end (only a real process shows what reaches a file descriptor) -----------------


def _big_bib(path: Path, entries: int) -> Path:
    """Entries with a year in the future: one finding line (~60 bytes) each in the text report."""
    path.write_text(
        "".join(f"@article{{e{n},\n  title = {{Title {n}}},\n  year = {{2931}}\n}}\n" for n in range(entries)),
        encoding="utf-8",
    )
    return path


def _refkit(*args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "refkit", *args], stderr=subprocess.PIPE, text=True, **kwargs)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full on this system")
@pytest.mark.parametrize("args", [("validate", "{bib}", "--select", "RK3"), ("--version",)])
def test_a_full_disk_is_a_one_line_error_and_exit_2(tmp_path, args):
    bib = _big_bib(tmp_path / "refs.bib", 10)
    with open("/dev/full", "w") as full:
        process = _refkit(*(arg.format(bib=bib) for arg in args), stdout=full)
        _, stderr = process.communicate(timeout=120)
    assert process.returncode == 2
    assert stderr == "refkit: error: cannot write the report: No space left on device\n"


def test_a_file_size_limit_is_an_error_not_a_report_cut_short(tmp_path):
    """`ulimit -f 8`: Python ignores SIGXFSZ, so writes past the limit fail with EFBIG after a short write."""
    bib = _big_bib(tmp_path / "refs.bib", 1000)
    limit = 8192

    def limit_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    with open(tmp_path / "report.txt", "w") as report:
        process = _refkit("validate", str(bib), "--select", "RK3", stdout=report, preexec_fn=limit_files)
        _, stderr = process.communicate(timeout=120)
    assert (tmp_path / "report.txt").stat().st_size == limit
    assert process.returncode == 2, stderr
    assert stderr == "refkit: error: cannot write the report: File too large\n"


def test_a_reader_that_stops_reading_ends_the_run_quietly_with_141(tmp_path):
    """`refkit validate big.bib | head -1`: no traceback, no "Exception ignored", exit 128 + SIGPIPE."""
    bib = _big_bib(tmp_path / "refs.bib", 2000)  # ~120 KB of report: more than a pipe holds
    process = _refkit("validate", str(bib), "--select", "RK3", stdout=subprocess.PIPE)
    assert process.stdout is not None
    first = process.stdout.readline()
    process.stdout.close()
    _, stderr = process.communicate(timeout=120)
    assert first.startswith(f"{bib}:3: RK301 [error] e0: year 2931 is in the future")
    assert process.returncode == 128 + signal.SIGPIPE == 141
    assert stderr == ""


def test_a_closed_pipe_in_a_shell_pipeline_gives_141(tmp_path):
    bib = _big_bib(tmp_path / "refs.bib", 2000)
    command = f"{sys.executable} -m refkit validate {bib} --select RK3 | head -1; echo ${{PIPESTATUS[0]}} >&2"
    result = subprocess.run(["bash", "-c", command], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert result.stdout.count("\n") == 1
    assert result.stderr == "141\n"


def test_the_enrich_diff_and_summary_show_outside_text_as_escapes(tmp_path):
    """The diff's context lines and the summary's keys come from the file: a key and a field carrying escape
    sequences are shown escaped."""
    record = {
        "DOI": "10.5555/kulp.1",
        "type": "journal-article",
        "title": ["New elevation data triple estimates of global vulnerability to sea-level rise"],
        "author": [{"family": "Kulp", "given": "Scott A."}, {"family": "Strauss", "given": "Benjamin H."}],
        "container-title": ["Nature Communications"],
        "issued": {"date-parts": [[2019]]},
        "volume": "10",
    }
    snapshot = tmp_path / "records.jsonl"
    snapshot.write_text(json.dumps(record) + "\n", encoding="utf-8")
    bib = tmp_path / "refs.bib"
    bib.write_text(
        f"@article{{kulp{IN_TEXT},\n  author = {{Kulp, Scott A. and Strauss, Benjamin H.}},\n"
        "  title = {New elevation data triple estimates of global vulnerability to sea-level rise},\n"
        f"  journal = {{Nature Communications}},\n  note = {{seen{IN_TEXT}}},\n  year = {{2019}}\n}}\n",
        encoding="utf-8",
    )
    result = run_cli(
        "enrich",
        str(bib),
        "--dry-run",
        "--offline",
        "--snapshot",
        str(snapshot),
        "--cache-dir",
        str(tmp_path / "cache"),
    )
    assert "10.5555/kulp.1" in result.stdout  # the DOI the match adds
    assert "\\u001b[2J" in result.stdout + result.stderr
    assert not RAW_CONTROL_RE.search(result.stdout) and not RAW_CONTROL_RE.search(result.stderr)
