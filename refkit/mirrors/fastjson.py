"""JSON for bulk files: orjson when installed (`pip install refkit-check[mirror]`; it parses Crossref's data
file about 1.5-3 times as fast, measured in benchmarks/mirror_build.py), else the standard library."""

from __future__ import annotations

import json
from typing import Any

JSONDecodeError: type[json.JSONDecodeError]
try:
    import orjson
except ImportError:  # pragma: no cover - the standard library's, just slower
    JSONDecodeError = json.JSONDecodeError

    def loads(data: bytes | str) -> Any:
        return json.loads(data)

    def dumps(value: Any) -> bytes:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

else:
    JSONDecodeError = orjson.JSONDecodeError

    def loads(data: bytes | str) -> Any:
        return orjson.loads(data)

    def dumps(value: Any) -> bytes:
        return orjson.dumps(value)
