"""Settings from [tool.refkit], REFKIT_* variables and flags: a bad value is one clear RefkitError, never a crash."""

from dataclasses import fields
from pathlib import Path

import pytest

from refkit.bib import parse_bibliography
from refkit.config import _READERS, Settings, load_settings
from refkit.errors import RefkitError
from refkit.model import Severity
from refkit.validate import validate_bibliography


def _project(tmp_path: Path, table: str) -> Path:
    (tmp_path / "pyproject.toml").write_text(f"[tool.refkit]\n{table}\n", encoding="utf-8")
    return tmp_path / "refs.bib"


def test_every_setting_can_be_configured():
    assert set(_READERS) == {f.name for f in fields(Settings)} - {"config_file"}


def test_values_are_read_in_the_types_settings_hold(tmp_path):
    start = _project(
        tmp_path,
        'select = "rk1, RK3"\nignore = ["rk306"]\nfail-on = "Warning"\noffline = true\n'
        'timeout = 5\nsnapshot = "records.jsonl"\ncache-dir = "cache"',
    )
    settings = load_settings(start)
    assert settings.select == ["RK1", "RK3"] and settings.ignore == ["RK306"]
    assert settings.fail_on is Severity.WARNING and settings.offline is True and settings.timeout == 5.0
    assert settings.snapshot == [(tmp_path / "records.jsonl").resolve()]
    assert settings.cache_dir == (tmp_path / "cache").resolve()
    assert settings.config_file == tmp_path / "pyproject.toml"


def test_flags_override_the_file_and_split_selectors(tmp_path):
    start = _project(tmp_path, 'select = ["RK1"]\ntimeout = 5')
    settings = load_settings(start, {"select": ["rk2,RK3", "rk501"], "timeout": None, "snapshot": []})
    assert settings.select == ["RK2", "RK3", "RK501"] and settings.timeout == 5.0


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('timeout = "soon"', "timeout in [tool.refkit] of"),
        ("timeout = 0", "must be a positive number of seconds"),
        ("select = 5", "select in [tool.refkit] of"),
        ("snapshot = 5", "must be a path or a list of paths"),
        ('offline = "maybe"', "offline in [tool.refkit] of"),
        ('fail-on = "sometimes"', "must be error, warning or info, not 'sometimes'"),
        ("mailto = 5", "mailto in [tool.refkit] of"),
        ("colour = 1", "unknown setting 'colour'"),
    ],
)
def test_bad_values_in_pyproject_are_one_clear_error(tmp_path, table, message):
    with pytest.raises(RefkitError) as raised:
        load_settings(_project(tmp_path, table))
    assert message in str(raised.value)
    assert str(tmp_path / "pyproject.toml") in str(raised.value)


def test_a_refkit_key_that_is_not_a_table_is_an_error(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool]\nrefkit = 5\n", encoding="utf-8")
    with pytest.raises(RefkitError, match=r"\[tool.refkit\] must be a table"):
        load_settings(tmp_path / "refs.bib")


def test_a_pyproject_without_a_refkit_table_is_skipped(tmp_path):
    (tmp_path / "pyproject.toml").write_text("tool = 5\n", encoding="utf-8")
    assert load_settings(tmp_path / "refs.bib").config_file is None


def test_environment_flags_must_be_flags(tmp_path, monkeypatch):
    monkeypatch.setenv("REFKIT_OFFLINE", "no")
    assert load_settings(tmp_path).offline is False
    monkeypatch.setenv("REFKIT_OFFLINE", "maybe")
    with pytest.raises(RefkitError, match="offline in REFKIT_OFFLINE must be true or false"):
        load_settings(tmp_path)


def test_a_selector_that_matches_no_rule_is_refused():
    bibliography = parse_bibliography("@misc{a, title = {T}}\n")
    with pytest.raises(RefkitError, match="unknown rule selector 'RK9'"):
        validate_bibliography(bibliography, Settings(select=["RK1", "RK9"]))
    report = validate_bibliography(bibliography, Settings(select=["RK1"], ignore=["RK9"]))
    assert report.findings == []
