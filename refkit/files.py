"""Reading user files defensively and writing files atomically: the only file I/O helpers in refkit."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
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


def write_atomic(path: str | Path, text: str, *, backup: bool = False) -> None:
    """Write through a temporary file in the same folder and rename it over the target, so a crash or a
    full disk never leaves a half-written file; optionally keep the old file as `<name>.bak`."""
    path = Path(path)
    if path.is_symlink():  # write through the link, as an editor does, rather than replace it with a file
        path = Path(os.path.realpath(path))
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise RefkitError(f"{path}: folder {folder} does not exist")
    temporary: str | None = None
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
        os.chmod(temporary, path.stat().st_mode & 0o7777 if path.exists() else _new_file_mode())
        if backup and path.exists():
            shutil.copy2(path, path.with_name(path.name + ".bak"))
        os.replace(temporary, path)
    except OSError as error:
        raise RefkitError(f"{path}: cannot write ({error.strerror or error})") from error
    finally:  # whatever went wrong (an unencodable character, Ctrl-C), no temporary file stays behind
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
