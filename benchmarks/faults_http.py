"""Every HTTP fault case through the real CLI (`python -m refkit validate`, a subprocess) against the fault
server (tests/faultserver.py, 127.0.0.1), and a damaged cache; prints cases tried and broken per area.

Broken means any of: a traceback; a wrong verdict (an entry not "unverified", or a finding other than RK690,
from a fault that gives no answer; or not the healthy verdicts where the fault is harmless); garbage cached
(a healthy rerun over the same cache does not give the healthy verdicts); the mailto sent to another server;
time unbounded (still running at the guard, then killed); memory unbounded (peak RSS past 500 MB, or the
2 GiB address-space limit the child runs under).

    python benchmarks/faults_http.py                # this checkout
    python benchmarks/faults_http.py --code ../main # another checkout's refkit (e.g. main, for "before")
    python benchmarks/faults_http.py --area garbage --area redirects   # one area at a time: ~1–2 min each

REFKIT_DEADLINE=15 is set for every run (a checkout without the setting ignores it).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.faultserver import AREAS, FaultServer, gzip_bomb  # noqa: E402
from tests.test_faults_http import BIB, damage  # noqa: E402

GUARD = 45.0  # seconds before a run counts as unbounded and is killed
MEMORY_LIMIT = 2 * 1024**3
RSS_LIMIT_KB = 500 * 1024
MAILTO = "bench@example.org"


@dataclass
class Run:
    code: int | None  # None: killed at the guard
    stdout: str
    stderr: str
    seconds: float
    rss_kb: int

    def statuses(self) -> dict[str, str]:
        try:
            return {entry["key"]: entry["status"] for entry in json.loads(self.stdout)["entries"]}
        except (ValueError, KeyError, TypeError):
            return {}

    def rules(self) -> set[str]:
        try:
            return {finding["rule"] for finding in json.loads(self.stdout)["findings"]}
        except (ValueError, KeyError, TypeError):
            return set()


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def refkit(code: Path, *args: str) -> Run:
    env = {**os.environ, "PYTHONPATH": str(code), "REFKIT_DEADLINE": "15", "NO_COLOR": "1"}
    env.pop("REFKIT_MAILTO", None)
    started = time.monotonic()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        child = subprocess.Popen(
            [sys.executable, "-m", "refkit", *args],
            stdout=out,
            stderr=err,
            env=env,
            cwd=code,  # `-m` puts the working folder first on the path: it must be the checkout measured
            preexec_fn=_limit_memory,
        )
        code_: int | None = None
        rss = 0
        while time.monotonic() - started < GUARD:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                code_, rss = os.waitstatus_to_exitcode(status), usage.ru_maxrss
                break
            time.sleep(0.05)
        else:
            child.kill()
            rss = os.wait4(child.pid, 0)[2].ru_maxrss
        child.returncode = code_ if code_ is not None else -9
        out.seek(0)
        err.seek(0)
        return Run(code_, out.read(), err.read(), time.monotonic() - started, rss)


def validate(code: Path, server: FaultServer, workdir: Path, *extra: str) -> Run:
    bib = workdir / "refs.bib"
    bib.write_text(BIB, encoding="utf-8")
    return refkit(
        code, "validate", str(bib), "-f", "json", "--api-url", server.url, "--cache-dir", str(workdir / "cache"),
        "--mailto", MAILTO, *extra,
    )  # fmt: skip


def problems(run: Run) -> list[str]:
    """What went wrong in any run, whatever was expected of it."""
    found = []
    if "Traceback" in run.stderr or "Error:" in run.stderr.split("refkit: error:")[0]:
        found.append("traceback")
    if run.code is None:
        found.append(f"time unbounded (killed at {GUARD:.0f} s)")
    if run.rss_kb > RSS_LIMIT_KB or "MemoryError" in run.stderr:
        found.append(f"memory unbounded ({run.rss_kb // 1024} MB peak)")
    return found


def unanswered(run: Run) -> list[str]:
    """A fault that gives no answer: every entry "could not check", nothing else claimed."""
    statuses, rules = run.statuses(), run.rules()
    wrong = {key: status for key, status in statuses.items() if status != "unverified"}
    found = [f"wrong verdict {wrong}"] if wrong or not statuses else []
    if rules - {"RK690"}:
        found.append(f"findings from garbage {sorted(rules - {'RK690'})}")
    return found


def http_case(code: Path, server: FaultServer, fault: str, healthy: dict[str, str]) -> list[str]:
    with tempfile.TemporaryDirectory() as folder:
        workdir = Path(folder)
        server.mode, server.elsewhere_requests = fault, []
        run = validate(code, server, workdir)
        found = problems(run)
        if fault == "redirect-home":
            if run.statuses() != healthy:
                found.append(f"wrong verdict {run.statuses()}")
        else:
            found += unanswered(run)
        if any(MAILTO.replace("@", "%40") in path or MAILTO in agent for path, agent in server.elsewhere_requests):
            found.append("mailto sent to another server")
        server.mode = None
        rerun = validate(code, server, workdir)
        if rerun.statuses() != healthy:
            found.append(f"garbage cached: healthy rerun gave {rerun.statuses()}")
        print(f"  {fault:20} {run.seconds:5.1f} s {run.rss_kb // 1024:5d} MB  {'; '.join(found) or 'ok'}")
        return found


def cache_cases(code: Path, server: FaultServer, healthy: dict[str, str]) -> dict[str, list[str]]:
    """A partly damaged cache: online, offline, `cache clear`; and a file that is no cache at all."""

    def damaged(workdir: Path) -> None:
        server.mode = None
        validate(code, server, workdir)
        damage(workdir / "cache" / "http.sqlite")

    def online(workdir: Path) -> list[str]:
        run = validate(code, server, workdir)
        return problems(run) + ([] if run.statuses() == healthy else [f"no fall-back to the network {run.stderr!r}"])

    def offline(workdir: Path) -> list[str]:
        run = validate(code, server, workdir, "--offline")
        said = " ".join(json.loads(run.stdout)["findings"][0]["message"] for _ in [0]) if run.rules() else ""
        return problems(run) + unanswered(run) + ([] if "unreadable" in said else [f"says {said!r}"])

    def clear(workdir: Path) -> list[str]:
        run = refkit(code, "cache", "clear", "--cache-dir", str(workdir / "cache"))
        lines = (run.stdout + run.stderr).strip().splitlines()
        return problems(run) + ([] if run.code == 0 and len(lines) == 1 else [f"cache clear: {lines[-1:]}"])

    def not_a_cache(workdir: Path) -> list[str]:
        (workdir / "cache").mkdir()
        (workdir / "cache" / "http.sqlite").write_bytes(b"not an SQLite database" * 100)
        run = validate(code, server, workdir)
        return problems(run) + ([] if run.statuses() == healthy else [f"no run without the cache: {run.stderr!r}"])

    cases: dict[str, tuple[Callable[[Path], None] | None, Callable[[Path], list[str]]]] = {
        "corrupt-online": (damaged, online),
        "corrupt-offline": (damaged, offline),
        "corrupt-clear": (damaged, clear),
        "not-a-cache": (None, not_a_cache),
    }
    results = {}
    for name, (prepare, check) in cases.items():
        with tempfile.TemporaryDirectory() as folder:
            if prepare:
                prepare(Path(folder))
            started = time.monotonic()
            try:
                found = check(Path(folder))
            except (ValueError, KeyError, IndexError) as error:  # no JSON report at all
                found = [f"no report ({type(error).__name__})"]
            print(f"  {name:20} {time.monotonic() - started:5.1f} s         {'; '.join(found) or 'ok'}")
            results[name] = found
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--code", type=Path, default=ROOT, help="the checkout whose refkit is run")
    parser.add_argument("--area", action="append", help="only these areas (garbage, redirects, bounds, time, cache)")
    options = parser.parse_args()
    code = options.code.resolve()
    tried: Counter[str] = Counter()
    broken: Counter[str] = Counter()
    gzip_bomb()  # built before any run is timed
    with FaultServer() as server, tempfile.TemporaryDirectory() as folder:
        healthy = validate(code, server, Path(folder)).statuses()
        print(f"refkit from {code}; healthy verdicts: {healthy}")
        for area, faults in AREAS.items():
            if options.area and area not in options.area:
                continue
            print(area)
            for fault in faults:
                tried[area] += 1
                broken[area] += bool(http_case(code, server, fault, healthy))
        if not options.area or "cache" in options.area:
            print("cache")
            for found in cache_cases(code, server, healthy).values():
                tried["cache"] += 1
                broken["cache"] += bool(found)
    print()
    print(f"{'area':10} {'tried':>5} {'broken':>6}")
    for area in tried:
        print(f"{area:10} {tried[area]:5d} {broken[area]:6d}")
    print(f"{'total':10} {sum(tried.values()):5d} {sum(broken.values()):6d}")


if __name__ == "__main__":
    main()
