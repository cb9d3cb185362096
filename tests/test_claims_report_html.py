"""The HTML report: self-contained, escaped, and rendered as intended by a real browser (headless Chromium)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from refkit.claims import map_claims
from refkit.claims.report_html import render_html
from refkit.model import Reference

HOSTILE = (
    "Imatinib blocks the BCR-ABL kinase in chronic myeloid leukemia cells <script>document.title='pwned'</script>.\n\n"
    "Naps improve alertness <img src=x onerror=\"document.title='img'\"> in adults [1].\n\n"
    "Zolpidem doubles the risk of falls in older people.\n\n"
    "Is this a question?\n"
)
REFERENCES = [
    Reference(key="naps", title="Brief naps improve alertness </q><script>alert(1)</script>"),
    Reference(key="kinase", title="Imatinib inhibits the BCR-ABL kinase in chronic myeloid leukemia cells"),
]


@pytest.fixture(scope="module")
def page() -> str:
    return render_html(map_claims(HOSTILE, REFERENCES, ranker="lexical"), "hostile <doc>.md")


def test_all_document_and_reference_text_is_escaped(page: str) -> None:
    assert "<script" not in page.lower()
    assert "<img" not in page.lower()
    assert "&lt;script&gt;document.title=&#x27;pwned&#x27;&lt;/script&gt;" in page
    assert "&lt;/q&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "hostile &lt;doc&gt;.md" in page


def test_the_page_is_self_contained(page: str) -> None:
    assert "default-src 'none'" in page
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:|//)""", page)
    assert "@import" not in page and "url(" not in page


def test_claims_carry_their_status_and_cards_their_references(page: str) -> None:
    assert page.count('class="s claim cited"') == 1
    assert page.count('class="s claim likely"') + page.count('class="s claim weak"') == 1
    assert page.count('class="s claim none"') == 1
    assert 'class="s question"' in page
    assert 'class="card cited"' in page and 'marker <span class="marker">[1]</span>' in page
    assert "No reference in the list shares anything with it." in page


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    pytest.skip("headless Chromium is not installed (apt-get install chromium)")


def run_chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    command = [
        chromium(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--no-first-run",
        f"--user-data-dir={tmp_path / 'profile'}",
        *args,
    ]
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=90)
    except subprocess.TimeoutExpired:
        pytest.skip("Chromium did not finish within 90 s")


def test_chromium_renders_the_report_without_running_the_documents_script(page: str, tmp_path: Path) -> None:
    report = tmp_path / "report.html"
    report.write_text(page, encoding="utf-8")
    result = run_chromium(tmp_path, "--dump-dom", report.as_uri())
    dom = result.stdout
    assert "<html" in dom, result.stderr[-500:]
    title = re.search(r"<title>(.*?)</title>", dom, re.S).group(1)
    assert title == "Claims and references — hostile &lt;doc&gt;.md"  # neither 'pwned' nor 'img'
    assert "<script" not in dom.lower()
    assert dom.count('class="card ') == 3  # the three claims, each with its card


def test_chromium_screenshot_shows_the_highlighted_claims(page: str, tmp_path: Path) -> None:
    report = tmp_path / "report.html"
    report.write_text(page, encoding="utf-8")
    shot = tmp_path / "report.png"
    result = run_chromium(tmp_path, "--window-size=1200,900", f"--screenshot={shot}", report.as_uri())
    assert shot.exists() and shot.stat().st_size > 10_000, result.stderr[-500:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
