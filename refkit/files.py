"""Reading user files defensively and writing files atomically: the only file I/O helpers in refkit."""

from __future__ import annotations

import os
import re
import shutil
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from refkit.errors import RefkitError

MAX_INPUT_BYTES = 200 * 1024 * 1024


def read_text(path: str | Path, *, what: str = "file") -> str:
    """Read a text file as UTF-8 (BOM tolerated), else Windows-1252 or Latin-1; refuse binaries and folders."""
    path = Path(path)
    if str(path) == "-":  # decoded as a file is, so a Latin-1 or binary pipe gets the same treatment
        data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
        _check_size(len(data), "standard input")
        return decode(data, "standard input")
    if not path.exists():
        raise RefkitError(f"{path}: no such {what}")
    if path.is_dir():
        raise RefkitError(f"{path}: is a directory, expected a {what}")
    try:
        _check_size(path.stat().st_size, str(path))
        with path.open("rb") as stream:  # bounded: a pipe or device (/dev/zero) has no size to check first
            data = stream.read(MAX_INPUT_BYTES + 1)
        _check_size(len(data), str(path))
    except OSError as error:
        raise RefkitError(f"{path}: cannot read ({error.strerror or error})") from error
    return decode(data, str(path))


def _check_size(size: int, name: str) -> None:
    if size > MAX_INPUT_BYTES:
        raise RefkitError(f"{name}: larger than the {MAX_INPUT_BYTES >> 20} MB input limit")


def decode(data: bytes, name: str) -> str:
    """Bytes → text: UTF-8 first, then Windows-1252, then Latin-1 (which never fails), unless the bytes look
    binary."""
    if b"\x00" in data[:65536]:
        raise RefkitError(f"{name}: looks like a binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:  # Windows editors write cp1252: Latin-1 would turn its dashes and quotes into control characters
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    control = sum(1 for ch in text[:65536] if ord(ch) < 32 and ch not in "\t\n\r\f")
    if control > 0.01 * min(len(text), 65536):
        raise RefkitError(f"{name}: looks like a binary file, not text")
    return text


def _new_file_mode() -> int:
    """The mode open() would give a new file (0666 less the umask); mkstemp's own 0600 would hide a report
    from the group and from CI artifact uploaders."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


@dataclass(frozen=True, slots=True)
class FileState:
    """A file as it was read: replacing it is refused when any of this differs at write time, so an edit
    made while a long run was going on is never silently overwritten."""

    size: int
    mtime_ns: int
    digest: str  # SHA-256 of the bytes


def file_state(path: str | Path) -> FileState:
    """The state of a file now (taken before it is read, so a change during the read is caught too)."""
    import hashlib  # only for a command that writes back (enrich): reading a file needs no digest

    try:
        with Path(path).open("rb") as stream:
            stat = os.fstat(stream.fileno())
            digest = hashlib.file_digest(stream, "sha256").hexdigest()
    except OSError as error:
        raise RefkitError(f"{path}: cannot read ({error.strerror or error})") from error
    return FileState(stat.st_size, stat.st_mtime_ns, digest)


def _changed(path: Path, state: FileState) -> bool:
    try:
        return file_state(path) != state
    except RefkitError:  # gone or unreadable: not the file that was read
        return True


# Temporary files are named `.<target name>.refkit-tmp-<pid>-<random>` in the target's folder, so that
# a run killed mid-write (SIGKILL, power loss) can be recognised and swept by a later one.
_TEMPORARY_MARK = ".refkit-tmp-"
_TEMPORARY_RE = re.compile(r"^\..+\.refkit-tmp-(\d+)-[0-9a-f]+$")
_RUN_START_NS = time.time_ns()


def _temporary_name(folder: Path, name: str) -> Path:
    import secrets  # only when a file is written

    return folder / f".{name}{_TEMPORARY_MARK}{os.getpid()}-{secrets.token_hex(6)}"


def _process_alive(pid: int) -> bool:
    if pid == os.getpid() or sys.platform == "win32":  # Windows' os.kill would end the process: assume alive
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True  # someone else's process (or a pid no system has): leave its files alone
    return True


def sweep_temporaries(folder: str | Path) -> list[Path]:
    """Delete the temporaries that killed runs left in a folder: refkit's own (by name) only, made before
    this run started, by a process that no longer exists. Returns what was deleted."""
    folder = Path(folder)
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    swept = []
    for name in names:
        match = _TEMPORARY_RE.match(name)
        if not match:
            continue
        candidate = folder / name
        try:
            if candidate.lstat().st_mtime_ns < _RUN_START_NS and not _process_alive(int(match.group(1))):
                candidate.unlink()
                swept.append(candidate)
        except OSError:
            continue  # gone already, or not ours to delete
    return swept


@contextmanager
def _termination_as_exit() -> Iterator[None]:
    """SIGTERM and SIGHUP raise SystemExit while a write is under way (in the main thread), so the
    `finally` that removes temporaries runs; by default they end the process on the spot."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    names = [name for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]
    previous = {name: signal.getsignal(getattr(signal, name)) for name in names}

    def leave(number: int, _frame: object) -> None:
        raise SystemExit(128 + number)

    for name in names:
        if previous[name] == signal.SIG_DFL:
            signal.signal(getattr(signal, name), leave)
    try:
        yield
    finally:
        for name, handler in previous.items():
            signal.signal(getattr(signal, name), handler)


def _write_temporary(folder: Path, name: str, data: bytes, mode: int, made: list[Path]) -> Path:
    """The data in a new temporary file, flushed to disk (so a rename never publishes an empty file)."""
    temporary = _temporary_name(folder, name)
    handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    made.append(temporary)
    with os.fdopen(handle, "wb") as stream:
        stream.write(data)
        stream.flush()
        if hasattr(os, "fchmod"):
            os.fchmod(stream.fileno(), mode)
        os.fsync(stream.fileno())
    if not hasattr(os, "fchmod"):
        os.chmod(temporary, mode)
    return temporary


def _backup_temporary(path: Path, made: list[Path]) -> Path:
    """A complete copy of the current file under a temporary name: a hard link (instant, and exactly the
    old bytes), else a copy flushed to disk."""
    temporary = _temporary_name(path.parent, path.name + ".bak")
    try:
        os.link(path, temporary)
        made.append(temporary)
    except OSError:  # a file system without hard links
        made.append(temporary)
        shutil.copy2(path, temporary)
        with open(temporary, "rb+") as stream:
            os.fsync(stream.fileno())
    return temporary


def _sync_folder(folder: Path) -> None:
    """Flush the folder's entries, so the renames survive a power loss too."""
    if os.name != "posix":
        return
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    except OSError:
        pass  # some file systems cannot sync a folder; the renames are atomic all the same
    finally:
        os.close(handle)


def write_atomic(
    path: str | Path, text: str, *, backup: bool = False, unchanged_since: FileState | None = None
) -> None:
    """Write through a temporary file in the same folder, flushed and renamed over the target, so a crash,
    a kill or a full disk leaves the old file or the new one, never part of either. `backup` keeps the old
    file as `<name>.bak`, made the same way. `unchanged_since` refuses (RefkitError, nothing written) when
    the file is no longer what was read. Temporaries are removed on every exit path, and those of killed
    runs are swept."""
    path = Path(path)
    if path.is_symlink():  # write through the link, as an editor does, rather than replace it with a file
        path = Path(os.path.realpath(path))
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise RefkitError(f"{path}: folder {folder} does not exist")
    data = text.encode("utf-8")  # first: an unencodable text must fail before anything is created
    made: list[Path] = []
    with _termination_as_exit():
        try:
            sweep_temporaries(folder)
            mode = path.stat().st_mode & 0o7777 if path.exists() else _new_file_mode()
            temporary = _write_temporary(folder, path.name, data, mode, made)
            old = _backup_temporary(path, made) if backup and path.exists() else None
            if unchanged_since is not None and _changed(path, unchanged_since):
                raise RefkitError(f"{path}: changed since refkit read it; nothing written (run again)")
            if old is not None:
                os.replace(old, path.with_name(path.name + ".bak"))
            os.replace(temporary, path)
            _sync_folder(folder)
        except OSError as error:
            raise RefkitError(f"{path}: cannot write ({error.strerror or error})") from error
        finally:  # whatever went wrong (a full disk, Ctrl-C, SIGTERM), no temporary file stays behind
            for leftover in made:
                leftover.unlink(missing_ok=True)
