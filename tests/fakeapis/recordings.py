"""The recorded real answers (../shared/data/api-responses, or the vendored excerpt): read as the fakes need
them, so a fake serves real records and the tests compare its answers with real ones."""

from __future__ import annotations

import base64
import gzip
import json
from pathlib import Path
from typing import Any

import yaml

from tests.conftest import shared_folder


def folder(api: str) -> Path:
    return shared_folder() / "data" / "api-responses" / api


class _Loader(yaml.SafeLoader):
    """vcrpy/VCR cassettes: `!binary` / `!!binary` bodies are base64 (often of gzip)."""


def _binary(loader: yaml.SafeLoader, node: yaml.Node) -> bytes:
    return base64.b64decode(loader.construct_scalar(node))  # type: ignore[arg-type]


_Loader.add_constructor("!binary", _binary)
_Loader.add_constructor("tag:yaml.org,2002:binary", _binary)


def _body(value: Any) -> bytes:
    if isinstance(value, dict) and value.get("encoding") == "ASCII-8BIT" and isinstance(value.get("string"), str):
        return _body(base64.b64decode(value["string"]))  # R vcr keeps binary bodies as plain base64 text
    if isinstance(value, dict):
        value = value.get("string", value.get("base64_string", ""))
    data = value if isinstance(value, bytes) else str(value).encode("utf-8")
    return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data


def interactions(path: Path) -> list[tuple[str, int, bytes]]:
    """(request URL, status, body) of every interaction in a vcrpy or Ruby/R VCR cassette."""
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    found = []
    for item in data.get("interactions") or data.get("http_interactions") or []:
        request, response = item["request"], item["response"]
        status = response["status"]
        code = (status.get("code") or status.get("status_code")) if isinstance(status, dict) else status  # R vcr
        found.append((request["uri"], int(code), _body(response.get("body", ""))))
    return found


def datacite_records() -> dict[str, dict[str, Any]]:
    """DOI → `data.attributes` of every recorded DataCite single-DOI answer."""
    records = {}
    for path in sorted(folder("datacite").glob("commonmeta_*.yaml")):
        for url, status, body in interactions(path):
            if status == 200 and "/dois/" in url:
                attributes = json.loads(body)["data"]["attributes"]
                records[attributes["doi"].lower()] = attributes
    return records


def arxiv_fixture(name: str) -> tuple[str, int, str]:
    """(URL, status, Atom body) of one arxiv.py fixture."""
    data = json.loads((folder("arxiv") / name).read_text(encoding="utf-8"))
    return data["url"], int(data["status_code"]), data["body"]
