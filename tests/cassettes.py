"""Recorded HTTP interactions from vcrpy cassettes (../shared/data/api-responses), whatever their vintage:
`response.body.string` (text, or gzip bytes) with `status.code`, or the older httpx `content`/`status_code`."""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from pathlib import Path

import yaml


@dataclass(frozen=True, slots=True)
class Interaction:
    method: str
    uri: str
    status: int
    headers: dict[str, str]
    body: bytes


def _bytes(value: str | bytes | None) -> bytes:
    if value is None:
        return b""
    if isinstance(value, str):
        return value.encode("utf-8")
    return gzip.decompress(value) if value[:2] == b"\x1f\x8b" else value


def interactions(path: Path, host: str = "") -> list[Interaction]:
    """The cassette's interactions, those with `host` in their address when given."""
    found = []
    for item in yaml.safe_load(path.read_text(encoding="utf-8"))["interactions"]:
        request, response = item["request"], item["response"]
        if host not in request["uri"]:
            continue
        status = response["status"]["code"] if "status" in response else response["status_code"]
        body = response["body"]["string"] if "body" in response else response.get("content")
        headers = {name: value[0] if isinstance(value, list) else value for name, value in response["headers"].items()}
        found.append(Interaction(request["method"], request["uri"], int(status), headers, _bytes(body)))
    return found
