"""`python -m tests.fakecrossref --records PATH --port N --latency S [--enforce-limits]`"""

from __future__ import annotations

import argparse
from pathlib import Path

from refkit.errors import RefkitError
from tests.fakecrossref.records import RecordStore
from tests.fakecrossref.server import DEFAULT_AGENCIES, LIMITS, FakeCrossref, PoolLimits


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.fakecrossref", description=__doc__)
    parser.add_argument(
        "--records", type=Path, required=True, help="a JSON-lines file or a folder of Crossref `message` objects"
    )
    parser.add_argument("--port", type=int, default=8099, help="port on 127.0.0.1 (0: any free port)")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to every answer")
    parser.add_argument(
        "--enforce-limits", action="store_true", help="answer 429 with Retry-After past Crossref's published limits"
    )
    parser.add_argument(
        "--agency",
        action="append",
        default=[],
        metavar="PREFIX=AGENCY",
        help="register a DOI prefix with another agency, e.g. 10.5281/=datacite (repeatable)",
    )
    parser.add_argument(
        "--limits",
        action="append",
        default=[],
        metavar="POOL=SINGLE,LIST,CONCURRENT",
        help="other limits for a pool, e.g. polite=50,10,5 (repeatable)",
    )
    parser.add_argument(
        "--no-rate-headers",
        action="store_true",
        help="leave out the x-rate-limit-*, x-concurrency-limit and x-api-pool headers",
    )
    args = parser.parse_args(argv)
    try:
        agencies = {**DEFAULT_AGENCIES, **dict(item.split("=", 1) for item in args.agency)}
        limits = {
            **LIMITS,
            **{
                pool: PoolLimits(*map(int, numbers.split(",")))
                for pool, numbers in (item.split("=", 1) for item in args.limits)
            },
        }
    except (TypeError, ValueError):
        parser.error("--agency takes PREFIX=AGENCY and --limits POOL=SINGLE,LIST,CONCURRENT")
    try:
        store = RecordStore.load(args.records)
    except RefkitError as error:
        parser.error(str(error))
    fake = FakeCrossref(
        store,
        port=args.port,
        latency=args.latency,
        enforce_limits=args.enforce_limits,
        agencies=agencies,
        limits=limits,
        send_rate_headers=not args.no_rate_headers,
    )
    print(f"fake Crossref with {len(fake.store)} records at {fake.url} (Ctrl-C stops it)", flush=True)
    try:
        fake.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        fake.stop()


if __name__ == "__main__":
    main()
