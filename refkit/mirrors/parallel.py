"""Bulk files read by worker processes while the building process writes the index.

SQLite takes one writer, so the index is written by one process; what can run beside it is the reading
(inflate, decode, projection to the kept fields: most of a Crossref build's CPU). The dumps published as many
files of bounded size (Crossref's public data file: tens of thousands of `.json.gz` files; PubMed's baseline:
some 1,200 files) are read whole, a file per task, by a pool of processes, a few files ahead of the writer,
and handed over in the order given, so the first copy of a DOI is still the first file's. The dumps published
as one large file (DBLP, arXiv's snapshot) and OpenAlex's parts (up to gigabytes each) are streamed by the
writer itself, as they are without workers.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
from collections import deque
from collections.abc import Generator, Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any

from refkit.mirrors.formats import read

READ_WHOLE = frozenset({"crossref", "pubmed"})  # formats of many files, each small enough to hand over whole
AHEAD = 2  # files read ahead per worker: a worker never waits for the writer to take the file before


Rows = Iterable[tuple[Any, ...]]  # Row or the plain tuples of a worker's columns: (doi, arxiv, pmid, title, record)


def read_ahead(
    paths: list[Path], formats: dict[Path, str], processes: int, abstracts: bool = False
) -> Generator[Rows, None, None]:
    """The rows of each path (abstracts kept when asked), in order: read by `processes` workers where the
    format allows and there is more than one such file (and processes can be forked: not on Windows), else
    streamed here when the caller takes them."""
    whole = [path for path in paths if formats[path] in READ_WHOLE]
    if processes <= 1 or len(whole) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        yield from (read(formats[path], path, abstracts) for path in paths)
        return
    # fork, not spawn: a spawned worker imports the caller's main module again (a script without a __main__
    # guard would run twice); a forked one runs only read_whole, which takes no lock a progress thread holds
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(processes, mp_context=context, initializer=_start_worker) as pool:
        queued = iter(whole)
        pending: deque[Future[list[tuple[str | bytes | None, ...]]]] = deque()
        try:
            for path in paths:
                while len(pending) < AHEAD * processes and (ahead := next(queued, None)) is not None:
                    pending.append(pool.submit(read_whole, formats[ahead], ahead, abstracts))
                yield (
                    zip(*pending.popleft().result(), strict=True)
                    if formats[path] in READ_WHOLE
                    else read(formats[path], path, abstracts)
                )
        finally:
            pool.shutdown(cancel_futures=True)


def _start_worker() -> None:
    """A worker reads file after file: the cyclic collector off (a build makes no cycles), and glibc's malloc
    told to keep what a file freed for the next one. By default each file's buffers (the inflated file, tens
    of megabytes) went back to the system and were faulted in again page by page: a quarter of a worker's
    CPU (benchmarks/mirror_build.py). Only workers are set so: they exit with the build."""
    gc.disable()
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (AttributeError, OSError):  # not glibc: the allocator's defaults
        return
    mallopt(_M_MMAP_THRESHOLD, 256 << 20)  # blocks below this come from the heap, not one mapping each
    mallopt(_M_TRIM_THRESHOLD, 512 << 20)  # free heap kept up to this much


_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # glibc's malloc.h


def read_whole(kind: str, path: Path, abstracts: bool = False) -> list[tuple[str | bytes | None, ...]]:
    """A worker's task: every row of one file, as columns (a list of strings pickles in C; a list of named
    tuples, row by row in Python, cost as much as reading the file)."""
    return list(zip(*read(kind, path, abstracts), strict=True))
