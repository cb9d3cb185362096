"""write_atomic: the old file or the new one, never half of either, and never a stray temporary file."""

import contextlib
import os
import sys
import threading

import pytest

from refkit.errors import RefkitError
from refkit.files import read_text, write_atomic


def test_a_symlink_is_written_through_not_replaced(tmp_path):
    real = tmp_path / "shared" / "references.bib"
    real.parent.mkdir()
    real.write_text("@misc{old}\n", encoding="utf-8")
    link = tmp_path / "references.bib"
    link.symlink_to(real)
    write_atomic(link, "@misc{new}\n", backup=True)
    assert link.is_symlink() and real.read_text(encoding="utf-8") == "@misc{new}\n"
    assert (real.parent / "references.bib.bak").read_text(encoding="utf-8") == "@misc{old}\n"


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_a_new_file_gets_the_usual_permissions_and_an_old_one_keeps_its_own(tmp_path):
    umask = os.umask(0o022)
    try:
        write_atomic(tmp_path / "new.json", "{}")
        old = tmp_path / "old.bib"
        old.write_text("", encoding="utf-8")
        old.chmod(0o640)
        write_atomic(old, "@misc{a}\n")
    finally:
        os.umask(umask)
    assert (tmp_path / "new.json").stat().st_mode & 0o777 == 0o644
    assert old.stat().st_mode & 0o777 == 0o640


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "report.json"
    target.write_text("precious", encoding="utf-8")
    with pytest.raises(UnicodeEncodeError):
        write_atomic(target, "a lone surrogate \ud800 cannot be UTF-8")
    assert target.read_text(encoding="utf-8") == "precious"
    assert os.listdir(tmp_path) == ["report.json"]


def test_a_folder_that_cannot_take_files_is_a_refkit_error(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    with pytest.raises(RefkitError, match="does not exist"):
        write_atomic(blocker / "out.json", "{}")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs /proc, where no one can create files")
def test_a_folder_that_refuses_files_is_a_refkit_error():
    with pytest.raises(RefkitError, match="cannot write"):
        write_atomic("/proc/refkit-cannot-write-here.json", "{}")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs a named pipe")
def test_input_without_a_size_is_held_to_the_limit_too(tmp_path, monkeypatch):
    """A pipe or device reports size 0 (and /dev/zero never ends): the read itself must stop at the limit."""
    monkeypatch.setattr("refkit.files.MAX_INPUT_BYTES", 1024)
    pipe = tmp_path / "refs.bib"
    os.mkfifo(pipe)

    def feed() -> None:
        with contextlib.suppress(BrokenPipeError), open(pipe, "wb") as stream:
            stream.write(b"@misc{a, title = {T}}\n" * 200)

    writer = threading.Thread(target=feed)
    writer.start()
    try:
        with pytest.raises(RefkitError, match="input limit"):
            read_text(pipe)
    finally:
        writer.join(timeout=5)
