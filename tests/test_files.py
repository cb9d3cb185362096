"""write_atomic: the old file or the new one, never half of either, and never a stray temporary file."""

import contextlib
import os
import signal
import stat
import subprocess
import sys
import threading
import time

import pytest

from refkit.errors import RefkitError
from refkit.files import file_state, read_text, sweep_temporaries, write_atomic


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


def leftovers(folder) -> list[str]:
    """Everything in a folder that is not a file a user asked for: temporaries of any naming."""
    return sorted(name for name in os.listdir(folder) if name.startswith("."))


def test_the_backup_is_the_old_file_and_a_second_write_updates_it(tmp_path):
    target = tmp_path / "refs.bib"
    target.write_text("@misc{one}\n", encoding="utf-8")
    write_atomic(target, "@misc{two}\n", backup=True)
    write_atomic(target, "@misc{three}\n", backup=True)
    assert target.read_text(encoding="utf-8") == "@misc{three}\n"
    assert (tmp_path / "refs.bib.bak").read_text(encoding="utf-8") == "@misc{two}\n"
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("failing", ["replace", "fsync", "link"])
def test_an_interrupt_at_any_step_keeps_the_old_file_and_leaves_no_temporary(tmp_path, monkeypatch, failing):
    target = tmp_path / "refs.bib"
    target.write_text("@misc{old}\n", encoding="utf-8")

    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, failing, interrupt)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, "@misc{new}\n", backup=True)
    assert target.read_text(encoding="utf-8") == "@misc{old}\n"
    assert sorted(os.listdir(tmp_path)) == ["refs.bib"]


@pytest.mark.skipif(not hasattr(signal, "SIGTERM") or sys.platform == "win32", reason="POSIX signals")
def test_sigterm_during_a_write_removes_the_temporaries(tmp_path, monkeypatch):
    """By default SIGTERM ends Python without running `finally`: during a write it must not."""
    target = tmp_path / "refs.bib"
    target.write_text("@misc{old}\n", encoding="utf-8")
    real_fsync = os.fsync

    def terminated(handle):
        real_fsync(handle)
        os.kill(os.getpid(), signal.SIGTERM)

    monkeypatch.setattr(os, "fsync", terminated)
    previous = signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        with pytest.raises(SystemExit) as stopped:
            write_atomic(target, "@misc{new}\n", backup=True)
        assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL  # the default is back afterwards
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert stopped.value.code == 128 + signal.SIGTERM
    assert target.read_text(encoding="utf-8") == "@misc{old}\n"
    assert sorted(os.listdir(tmp_path)) == ["refs.bib"]


def test_the_file_and_its_folder_are_flushed_before_and_after_the_rename(tmp_path, monkeypatch):
    synced: list[str] = []
    real_fsync = os.fsync

    def recording(handle):
        synced.append("folder" if stat.S_ISDIR(os.fstat(handle).st_mode) else "file")
        real_fsync(handle)

    monkeypatch.setattr(os, "fsync", recording)
    write_atomic(tmp_path / "out.json", "{}")
    assert synced == ["file", "folder"]


def test_a_file_changed_since_it_was_read_is_not_replaced(tmp_path):
    target = tmp_path / "refs.bib"
    target.write_text("@misc{old}\n", encoding="utf-8")
    state = file_state(target)
    target.write_text("@misc{old}\n@misc{added, note = {the user's edit}}\n", encoding="utf-8")
    with pytest.raises(RefkitError, match="changed since refkit read it; nothing written"):
        write_atomic(target, "@misc{new}\n", backup=True, unchanged_since=state)
    assert "the user's edit" in target.read_text(encoding="utf-8")
    assert sorted(os.listdir(tmp_path)) == ["refs.bib"]  # no backup either


def test_a_file_touched_but_not_changed_counts_as_changed(tmp_path):
    """Same bytes, new mtime: someone saved it; refkit cannot know the save was empty, so it refuses."""
    target = tmp_path / "refs.bib"
    target.write_text("@misc{old}\n", encoding="utf-8")
    state = file_state(target)
    os.utime(target, ns=(state.mtime_ns + 10**9, state.mtime_ns + 10**9))
    with pytest.raises(RefkitError, match="changed since"):
        write_atomic(target, "@misc{new}\n", unchanged_since=state)
    write_atomic(target, "@misc{new}\n", unchanged_since=file_state(target))
    assert target.read_text(encoding="utf-8") == "@misc{new}\n"


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_only_stale_temporaries_of_dead_runs_are_swept(tmp_path, monkeypatch):
    monkeypatch.setattr("refkit.files._RUN_START_NS", time.time_ns())  # as if this run had just started
    old = time.time() - 60
    stale = tmp_path / f".refs.bib.refkit-tmp-{dead_pid()}-0a1b2c"
    stale_backup = tmp_path / f".refs.bib.bak.refkit-tmp-{dead_pid()}-3d4e5f"
    live = tmp_path / f".refs.bib.refkit-tmp-{os.getppid()}-0a1b2c"  # a running process (pytest's parent)
    new = tmp_path / f".refs.bib.refkit-tmp-{dead_pid()}-ffffff"  # made after this run started
    other = tmp_path / ".refs.bib.swp"  # an editor's, not refkit's
    for path in (stale, stale_backup, live, new, other):
        path.write_text("partial", encoding="utf-8")
    for path in (stale, stale_backup, live, other):
        os.utime(path, (old, old))
    assert sorted(sweep_temporaries(tmp_path)) == sorted([stale, stale_backup])
    assert leftovers(tmp_path) == sorted(p.name for p in (live, new, other))
    write_atomic(tmp_path / "refs.bib", "@misc{a}\n")  # every write sweeps its folder
    assert leftovers(tmp_path) == sorted(p.name for p in (live, new, other))
