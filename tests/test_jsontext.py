"""refkit.jsontext writes what json.dumps(value, indent=2, ensure_ascii=False) writes, on the reports and
exports of a real bibliography and on every shape of value json accepts."""

from __future__ import annotations

import enum
import json
import math
from pathlib import Path

import pytest

from refkit.bib import load_bibliography, to_reference
from refkit.config import Settings
from refkit.export.csl_json import to_csl
from refkit.jsontext import dumps_indented
from refkit.reports import json_report, sarif
from refkit.validate import validate_bibliography

BIB = Path(__file__).resolve().parent / "data" / "real_world_lint.bib"


def _same(value: object) -> None:
    assert dumps_indented(value) == json.dumps(value, indent=2, ensure_ascii=False)


def test_the_reports_and_csl_items_of_a_real_bibliography(tmp_path: Path):
    bibliography = load_bibliography(BIB)
    report = validate_bibliography(bibliography, Settings(offline=True, cache_dir=tmp_path))
    assert report.findings and report.evidence
    _same(json_report.to_dict(report))
    _same(sarif.to_dict(report))
    for entry in bibliography.entries:
        _same(to_csl(to_reference(entry, bibliography.path)))


class Colour(enum.StrEnum):
    RED = "red"


class Rank(enum.IntEnum):
    HIGH = 3


@pytest.mark.parametrize(
    "value",
    [
        {},
        [],
        "",
        'é " \\ \n \t \u2028 \x7f \U0001f600',
        {"a": [], "b": {}, "c": [1, -2.5, 1e300, None, True, False, {"x": [[], [{}]]}]},
        {1: "int key", None: "null key", 2.5: "float key", False: "bool key", "s": Colour.RED, "r": Rank.HIGH},
        [math.nan, math.inf, -math.inf, 0.1, 10**30],
        ("a tuple", ("nested",)),
    ],
)
def test_every_shape_json_writes(value: object):
    _same(value)


def test_what_json_refuses_is_refused():
    with pytest.raises(TypeError):
        dumps_indented({"path": Path("x")})
    with pytest.raises(TypeError):
        dumps_indented({("tuple", "key"): 1})
