"""A .docx is a zip archive: its XML parts are inflated a chunk at a time and refused past a cap, whatever size
the archive's directory claims (issue 15, item 6: a 472 KB file with 99 MB of XML ran past 300 s, and a forged
size had 2 MB inflated to 2.1 GB before rejection)."""

from __future__ import annotations

import struct
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from refkit.documents.docx import MAX_XML_BYTES, docx_blocks
from refkit.errors import RefkitError
from tests.cli import run_cli

HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
)
PARAGRAPH = b"<w:p><w:r><w:t>Smith J. (2001) A paragraph that repeats.</w:t></w:r></w:p>"
TAIL = b"</w:body></w:document>"


def bomb(path: Path, xml_bytes: int) -> Path:
    """A well-formed .docx whose document.xml inflates to about `xml_bytes`, written a MB at a time (no
    zip64 extras, so the 4-byte size fields are the ones zipfile reads)."""
    block = PARAGRAPH * (1024 * 1024 // len(PARAGRAPH))
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
        archive.open("word/document.xml", "w") as part,
    ):
        part.write(HEAD)
        for _ in range(xml_bytes // len(block)):
            part.write(block)
        part.write(TAIL)
    return path


def forge_size(path: Path, claimed: int) -> None:
    """Write `claimed` as the uncompressed size in both the local header and the central directory."""
    data = bytearray(path.read_bytes())
    local = data.find(b"PK\x03\x04")
    central = data.find(b"PK\x01\x02")
    assert local >= 0 and central >= 0
    for offset in (local + 22, central + 24):
        struct.pack_into("<I", data, offset, claimed)
    path.write_bytes(bytes(data))


def test_99_mb_of_xml_in_a_small_docx_is_one_line_of_error(tmp_path):
    path = bomb(tmp_path / "bomb.docx", 99 * 1024 * 1024)
    assert path.stat().st_size < 1024 * 1024  # a small file on disk
    with pytest.raises(RefkitError, match="the document text is larger than the 16 MB limit"):
        docx_blocks(path)
    result = run_cli("extract", str(path))
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "16 MB limit" in result.stderr


@pytest.mark.parametrize("claimed", [1000, MAX_XML_BYTES - 1])
def test_a_forged_size_is_not_believed_and_memory_stays_bounded(tmp_path, claimed):
    path = bomb(tmp_path / "forged.docx", 64 * 1024 * 1024)
    forge_size(path, claimed)
    assert zipfile.ZipFile(path).getinfo("word/document.xml").file_size == claimed
    tracemalloc.start()
    try:
        with pytest.raises(RefkitError) as raised:
            docx_blocks(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "\n" not in str(raised.value)
    assert peak < 24 * 1024 * 1024  # all 64 MB were inflated at once before: now the 16 MB cap and a chunk


def test_a_docx_just_under_the_cap_is_read(tmp_path):
    path = bomb(tmp_path / "long.docx", 2 * 1024 * 1024)
    blocks = docx_blocks(path)
    assert len(blocks) > 20_000 and blocks[0].text.startswith("Smith J. (2001)")
