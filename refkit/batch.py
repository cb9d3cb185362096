"""`refkit batch`: many bibliographies or documents checked against local mirrors, spread over workers.

Each input path is one task: a worker reads it, validates it as `refkit validate` does (the same rules, the
same source chain: mirrors, snapshots, then Crossref's cache, never the network), and returns its JSON
report. The client writes each report as one JSON line as soon as it arrives, flushed to disk, so a batch
that stops (the client, a worker, the cluster) loses only the reports not written yet, and a rerun with the
same output skips every path already in it. A worker that dies mid-task is replaced and its task given to
another worker by the engine; a finished report is never computed again.

Engines: Dask distributed (`pip install refkit-check[batch]`), on a cluster started here (scheduler and
workers as separate processes) or on a running one (`scheduler="tcp://host:8786"`); or a plain process pool
on this machine (`engine="processes"`), which needs nothing installed. docs/mirrors.md has the measurements.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from refkit.config import Settings, load_settings
from refkit.errors import RefkitError
from refkit.sources.base import Source
from refkit.sources.registry import build_sources
from refkit.validate import combine, exit_code, overall_exit_code, read_inputs, validate_input, verification_selected

ENGINES = ("dask", "processes")
_SOURCES: dict[str, list[Source]] = {}  # per worker process: one chain per settings, opened once


@dataclass(slots=True)
class BatchStats:
    done: int  # paths checked in this run
    skipped: int  # paths already in the output
    references: int  # entries checked in this run
    seconds: float


def check_path(path: str, overrides: dict[str, Any]) -> dict[str, Any]:
    """The JSON report of one path, as `refkit validate --format json PATH` writes it, plus the path and the
    exit code; an unreadable path is a line with its error, never a silent drop. Runs on a worker."""
    from refkit.reports.json_report import to_dict

    try:
        settings = load_settings(Path(path), overrides)
        reports = [
            validate_input(read, settings, source=_source(settings) if verification_selected(settings) else None)
            for read in read_inputs(path)
        ]
    except RefkitError as error:
        return {"path": path, "error": str(error), "exit_code": 2}
    report = combine(reports)
    codes = [exit_code(each, settings.fail_on, settings.allow_unverified) for each in reports]
    return {"path": path, "exit_code": overall_exit_code(codes), **to_dict(report)}


def _source(settings: Settings) -> list[Source]:
    key = repr(settings)
    if key not in _SOURCES:
        _SOURCES[key] = build_sources(settings)
    return _SOURCES[key]


def finished_paths(output: Path) -> set[str]:
    """The paths whose reports the output holds; a last line cut off by a crash is removed first."""
    if not output.exists():
        return set()
    data = output.read_bytes()
    if data and not data.endswith(b"\n"):
        with output.open("r+b") as handle:
            handle.truncate(data.rfind(b"\n") + 1)
        data = data[: data.rfind(b"\n") + 1]
    done = set()
    for number, line in enumerate(data.splitlines(), start=1):
        try:
            done.add(json.loads(line)["path"])
        except (ValueError, KeyError, TypeError):
            raise RefkitError(f"{output}: line {number} is not a refkit batch result; name another output") from None
    return done


def run_batch(
    paths: Sequence[str | Path],
    output: Path,
    overrides: dict[str, Any],
    *,
    engine: str = "dask",
    workers: int = 2,
    scheduler: str | None = None,
    on_result: Callable[[dict[str, Any]], None] | None = None,
) -> BatchStats:
    """Check every path not yet in `output`, appending one JSON line per path as each finishes."""
    if engine not in ENGINES:
        raise RefkitError(f"unknown engine '{engine}' (choose {', '.join(ENGINES)})")
    started = time.perf_counter()
    names = list(dict.fromkeys(str(Path(path)) for path in paths))
    missing = [name for name in names if not Path(name).exists()]
    if missing:
        raise RefkitError(f"{missing[0]}: no such file" + (f" (and {len(missing) - 1} more)" if missing[1:] else ""))
    done = finished_paths(output)
    pending = [name for name in names if name not in done]
    references = 0
    output.parent.mkdir(parents=True, exist_ok=True)
    with output.open("ab") as handle:
        results = (
            _dask(pending, overrides, workers, scheduler) if engine == "dask" else _pool(pending, overrides, workers)
        )
        for result in results:
            handle.write(json.dumps(result, ensure_ascii=False).encode("utf-8") + b"\n")
            handle.flush()
            os.fsync(handle.fileno())
            references += len(result.get("entries", []))
            if on_result:
                on_result(result)
    return BatchStats(len(pending), len(names) - len(pending), references, time.perf_counter() - started)


def _pool(paths: list[str], overrides: dict[str, Any], workers: int) -> Iterator[dict[str, Any]]:
    from concurrent.futures import ProcessPoolExecutor, as_completed

    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(check_path, path, overrides) for path in paths]
        for future in as_completed(futures):
            yield future.result()


def _dask(paths: list[str], overrides: dict[str, Any], workers: int, scheduler: str | None) -> Iterator[dict[str, Any]]:
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise RefkitError(
            "the dask engine needs `pip install refkit-check[batch]` (or use --engine processes)"
        ) from None
    with contextlib.ExitStack() as stack:
        if scheduler is None:
            scheduler = stack.enter_context(local_cluster(workers))
        client = stack.enter_context(Client(scheduler, timeout=60))
        # pure=False: a path checked twice (after an edit) is checked again, not taken from the cluster's memory
        futures = client.map(check_path, paths, overrides=overrides, pure=False)
        for future in as_completed(futures):
            yield future.result()
            future.release()


@contextlib.contextmanager
def local_cluster(workers: int) -> Iterator[str]:
    """A Dask cluster on this machine as on a real one: a scheduler process and a worker process per worker
    (one thread each, under a nanny that restarts it if it dies); yields the scheduler's address."""
    with tempfile.TemporaryDirectory(prefix="refkit-dask-") as folder:
        address_file = Path(folder) / "scheduler.json"
        local = ["--host", "127.0.0.1", "--dashboard-address", ":0"]
        scheduler = _start("dask_scheduler", "--port", "0", "--scheduler-file", str(address_file), *local)
        processes = [scheduler]
        try:
            address = _wait_for_address(address_file, scheduler)
            worker_options = ["--nworkers", str(workers), "--nthreads", "1", "--local-directory", folder]
            processes.append(_start("dask_worker", address, *worker_options, *local))
            _wait_for_workers(address, workers)
            yield address
        finally:
            for process in reversed(processes):
                process.terminate()
            for process in reversed(processes):
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()


def _start(command: str, *options: str) -> subprocess.Popen[bytes]:
    """`dask scheduler` / `dask worker` as a process of its own, its chatter discarded."""
    arguments = [sys.executable, "-m", f"distributed.cli.{command}", *options]
    return subprocess.Popen(arguments, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _wait_for_address(path: Path, process: subprocess.Popen[bytes], seconds: float = 60) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RefkitError("the Dask scheduler did not start")
        with contextlib.suppress(OSError, ValueError, KeyError):
            return str(json.loads(path.read_text())["address"])
        time.sleep(0.1)
    raise RefkitError("the Dask scheduler did not start within a minute")


def _wait_for_workers(address: str, workers: int) -> None:
    from distributed import Client

    with Client(address, timeout=60) as client:
        client.wait_for_workers(workers, timeout=120)
