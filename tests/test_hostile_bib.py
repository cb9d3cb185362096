"""Hostile bibliographies (issue 15) and entry integrity (issue 9): macro bombs, cycles, files that are not
BibTeX, duplicate and empty keys, broken blocks. Every command reports them; no entry's fields reach
another entry; nothing ends in a traceback, a hang or exhausted memory."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest

from refkit.bib import parse_bibliography, to_reference
from refkit.checks.lint import check_problems
from refkit.config import Settings
from refkit.enrich import enrich_bibliography
from refkit.sources.crossref import CrossrefSource
from tests.cli import CliResult, run_cli

LINT_ONLY = ["--select", "RK1,RK2,RK3,RK4,RK5"]
GOOD = "@article{fine, author = {Roe, Jo}, title = {A Fine Title}, journal = {J}, year = {2020}}\n"
DRUKER = (
    "author = {Druker, Brian J. and Talpaz, Moshe}, year = 2001, title = {Efficacy and Safety of a Specific "
    "Inhibitor of the BCR-ABL Tyrosine Kinase in Chronic Myeloid Leukemia}"
)
GLIVEC = (
    "author = {Capdeville, Renaud}, year = 2002, "
    "title = {Glivec (STI571, imatinib), a rationally developed, targeted anticancer drug}"
)


def refkit(*args: str) -> CliResult:
    """The command as a user runs it, in-process (tests/cli.py): exit code, stdout and stderr apart."""
    return run_cli(*args)


def refkit_process(*args: str, memory_limit: int) -> subprocess.CompletedProcess:
    """The command as a process of its own (end-to-end): `memory_limit` (bytes of address space) keeps a
    runaway run bounded, which only a process of its own can be."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))

    return subprocess.run(
        [sys.executable, "-m", "refkit", *args], capture_output=True, text=True, preexec_fn=limit, timeout=120
    )


def offline(command: str, tmp_path: Path) -> list[str]:
    """enrich's options for a run that asks no one and caches in the test's own folder."""
    return ["--offline", "--cache-dir", str(tmp_path / "cache")] if command == "enrich" else []


def bomb(levels: int) -> str:
    """@string macros that double at each level: a0 is 2 characters, a{levels} 2^(levels+1)."""
    lines = ['@string{a0 = "xx"}', *(f"@string{{a{i} = a{i - 1} # a{i - 1}}}" for i in range(1, levels + 1))]
    lines.append(f"@article{{bomb, author = {{Doe, Jane}}, title = {{Boom}}, journal = a{levels}, year = 2020}}")
    return "\n".join(lines) + "\n" + GOOD


def rules(text: str) -> list[str]:
    return [finding.rule for finding in check_problems(parse_bibliography(text, "hostile.bib"))]


# --- @string expansion bombs --------------------------------------------------------------------------------


def test_a_macro_bomb_is_a_finding_and_its_memory_stays_small():
    tracemalloc.start()
    bibliography = parse_bibliography(bomb(24), "bomb.bib")  # 32 MB of "x" if read in full
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 8 * 2**20
    by_key = bibliography.by_key()
    assert "journal" not in by_key["bomb"].fields  # left out, not truncated
    assert by_key["bomb"].fields["title"] == "Boom" and by_key["fine"].fields["journal"] == "J"
    findings = list(check_problems(bibliography))
    assert [(f.rule, f.key, f.field) for f in findings] == [("RK108", None, None), ("RK108", "bomb", "journal")]
    assert findings[0].line == 17  # a16 is the first macro past 100,000 characters


@pytest.mark.timeout(120)
@pytest.mark.parametrize("command", [["validate", "--offline"], ["export", "-f", "bibtex"], ["enrich", "-n"]])
def test_a_forty_level_bomb_under_a_memory_limit(tmp_path, command):
    path = tmp_path / "bomb.bib"
    path.write_text(bomb(40))
    result = refkit_process(*command, str(path), *offline(command[0], tmp_path), memory_limit=2**31)
    assert "Traceback" not in result.stderr and "MemoryError" not in result.stderr
    assert result.returncode == 1
    assert "RK108" in result.stdout + result.stderr


def test_many_values_just_under_the_cap_exhaust_the_file_budget_not_memory():
    # Each title is 98,304 characters; 400 of them would be 39 million, past the file's budget of 16 million.
    macros = bomb(15).split("@article")[0]
    entries = "".join(f"@misc{{k{i}, title = a15 # a14}}\n" for i in range(400))
    tracemalloc.start()
    bibliography = parse_bibliography(macros + entries)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 32 * 2**20
    read = [entry for entry in bibliography.entries if "title" in entry.fields]
    assert 100 < len(read) < 200 and len(read[0].fields["title"]) == 98_304
    assert rules(macros + entries).count("RK108") == 400 - len(read)


def test_a_long_literal_macro_used_once_is_not_a_bomb():
    text = f"@string{{abstract = {{{'word ' * 40_000}}}}}\n@misc{{k, title = {{T}}, abstract = abstract}}\n"
    bibliography = parse_bibliography(text)
    assert len(bibliography.entries[0].fields["abstract"]) == 200_000
    assert bibliography.problems == []


# --- cycles ---------------------------------------------------------------------------------------------------


def test_a_string_cycle_is_an_error_and_each_member_is_read_once():
    text = '@string{x = y # " and"}\n@string{y = x}\n@article{s, title = {T}, journal = x, year = 2020}\n'
    bibliography = parse_bibliography(text)
    findings = list(check_problems(bibliography))
    assert [(f.rule, f.line, f.message) for f in findings] == [("RK107", 1, "@string cycle: x → y → x")]
    assert bibliography.entries[0].fields["journal"] == "y and"


def test_a_macro_defined_through_itself_is_a_cycle_but_a_forward_reference_is_not():
    assert rules('@string{x = x # "a"}\n@misc{k, title = x}\n') == ["RK107"]
    forward = parse_bibliography(
        '@string{full = short # " Letters"}\n@string{short = "Phys. Rev."}\n@misc{k, title = full}\n'
    )
    assert forward.problems == []
    assert forward.entries[0].fields["title"] == "Phys. Rev. Letters"


def test_a_crossref_cycle_is_an_error_and_members_inherit_nothing_from_each_other():
    text = (
        "@inproceedings{a, author = {A, B}, title = {Ta}, crossref = {b}}\n"
        "@proceedings{b, title = {Tb}, crossref = {a}, year = 2020, publisher = {P}}\n"
        "@inproceedings{c, author = {C, D}, title = {Tc}, crossref = {A}}\n"
        "@misc{self, title = {Ts}, crossref = {self}}\n"
    )
    bibliography = parse_bibliography(text)
    findings = list(check_problems(bibliography))
    assert [(f.rule, f.key, f.message) for f in findings] == [
        ("RK107", "a", "crossref cycle: a → b → a"),
        ("RK107", "self", "crossref cycle: self → self"),
    ]
    entries = bibliography.by_key()
    assert entries["a"].inherited == {} and entries["b"].inherited == {}
    assert entries["c"].inherited == {"booktitle": "Ta"}  # from a, whose key is written in another case


@pytest.mark.timeout(60)
def test_validate_exits_1_on_cycles(tmp_path):
    path = tmp_path / "cycles.bib"
    path.write_text("@string{x = y}\n@string{y = x}\n@misc{a, title = x, crossref = {b}}\n@misc{b, crossref = {a}}\n")
    result = refkit("validate", str(path), *LINT_ONLY)
    assert result.returncode == 1 and result.stdout.count("RK107") == 2


@pytest.mark.timeout(60)
def test_enrich_on_a_crossref_cycle_ends_and_edits_each_entry_once(fake_crossref, tmp_path):
    text = f"@article{{druker, {DRUKER}, crossref = {{glivec}}}}\n@article{{glivec, {GLIVEC}, crossref = {{druker}}}}\n"
    result = _enrich(fake_crossref, text, tmp_path)
    edited = parse_bibliography(result.new_text).by_key()
    assert edited["druker"].fields["doi"] == "10.1056/NEJM200104053441401"
    assert edited["glivec"].fields["doi"] == "10.1038/nrd839"


def test_long_crossref_chains_do_not_exhaust_the_stack():
    chain = "".join(f"@misc{{k{i}, title = {{T{i}}}, crossref = {{k{i + 1}}}}}\n" for i in range(5000))
    bibliography = parse_bibliography(chain + "@misc{k5000, title = {Last}, crossref = {k0}}\n")
    findings = list(check_problems(bibliography))
    assert [f.rule for f in findings] == ["RK107"] and "(4996 more)" in findings[0].message


# --- files that are not BibTeX --------------------------------------------------------------------------------

CSL_JSON = [{"id": "k1", "type": "article-journal", "title": "Hello", "DOI": "10.1000/xyz", "URL": "mailto:a@b.c"}]


@pytest.mark.parametrize(
    "command",
    [["validate", "--offline"], ["export"], ["enrich", "-n"], ["map", "DOC", "--bib"]],
)
def test_csl_json_passed_as_bib_is_refused_in_one_line(tmp_path, command):
    path = tmp_path / "refs.bib"
    path.write_text(json.dumps(CSL_JSON))
    document = tmp_path / "paper.md"
    document.write_text("Imatinib works [1].\n")
    args = [str(document) if arg == "DOC" else arg for arg in command]
    result = refkit(*args, str(path), *offline(command[0], tmp_path))
    assert result.returncode == 2, result
    assert result.stderr.strip().splitlines() == [
        f"refkit: error: {path}: is CSL-JSON, not BibTeX; refkit reads .bib files (convert it first, e.g. "
        "`pandoc FILE -f csljson -t biblatex -s -o FILE.bib`)"
    ]


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ('{"not": "a bibliography"}', "is JSON, not BibTeX"),
        ("Just some notes.\nNothing @ here is {BibTeX}.\n", "not a BibTeX file"),
    ],
)
def test_text_without_any_entry_is_not_bibtex(tmp_path, text, says):
    path = tmp_path / "refs.bib"
    path.write_text(text)
    result = refkit("validate", str(path), *LINT_ONLY)
    assert result.returncode == 2 and says in result.stderr and len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize("text", ["", "\n\n", "% only a comment\n@comment{nothing yet}\n"])
def test_an_empty_bibliography_is_still_bibtex(tmp_path, text):
    path = tmp_path / "refs.bib"
    path.write_text(text)
    result = refkit("validate", str(path), *LINT_ONLY)
    assert result.returncode == 0 and "0 entries checked" in result.stdout


def test_a_header_of_prose_before_entries_is_bibtex(tmp_path):
    path = tmp_path / "refs.bib"
    path.write_text("Automatically generated by Mendeley Desktop 1.19.8\nAny changes will be lost.\n\n" + GOOD)
    result = refkit("export", str(path))
    assert result.returncode == 0 and json.loads(result.stdout)[0]["id"] == "fine"


# --- duplicate keys ---------------------------------------------------------------------------------------------


@pytest.mark.timeout(120)
def test_export_bibtex_keeps_ten_thousand_duplicate_keys_and_reports_them(tmp_path):
    path = tmp_path / "dups.bib"
    path.write_text(
        "".join(f"@article{{same, title = {{T{i}}}, journal = {{J}}, year = 2000}}\n" for i in range(10_000))
    )
    result = refkit("export", "-f", "bibtex", str(path))
    assert "Traceback" not in result.stderr
    assert result.returncode == 1
    assert result.stdout.count("@article{same,") == 10_000 and "title = {T9999}" in result.stdout
    assert "RK102" in result.stderr and "9999 problem(s)" in result.stderr
    assert len(result.stderr.splitlines()) < 30  # a summary, not 10,000 lines


def test_enrich_never_gives_one_entry_the_record_of_another_with_the_same_key(fake_crossref, tmp_path):
    text = f"@article{{druker, {DRUKER}}}\n@article{{druker, {GLIVEC}}}\n@article{{, {GLIVEC}}}\n"
    result = _enrich(fake_crossref, text, tmp_path)
    assert result.new_text == text and result.changes == []


def _enrich(fake, text: str, cache_dir: Path):
    source = CrossrefSource(Settings(api_url=fake.url, mailto="dev@example.org", cache_dir=cache_dir))
    try:
        return enrich_bibliography(parse_bibliography(text), source)
    finally:
        source.close()


# --- empty keys and broken blocks --------------------------------------------------------------------------------

EMPTY_KEY = (
    "@article{first, author = {One, A.}, title = {First}, journal = {J1}, year = 2001}\n\n"
    "@article{, author = {Two, B.}, title = {Middle}, journal = {J2}, year = 2002,\n"
    "  doi = {10.1000/mid}, volume = {42}}\n\n"
    "@article{last, author = {Three, C.}, title = {Last}, journal = {J3}, year = 2003}\n"
)


def test_an_empty_key_gives_its_fields_to_nobody():
    references = [to_reference(entry) for entry in parse_bibliography(EMPTY_KEY).entries]
    assert [(r.key, r.doi, r.volume) for r in references] == [
        ("first", "", ""),
        ("", "10.1000/mid", "42"),
        ("last", "", ""),
    ]
    assert rules(EMPTY_KEY) == ["RK109"]


@pytest.mark.parametrize("format", ["csl-json", "bibtex", "ris"])
def test_export_of_an_empty_key_reports_it_and_keeps_neighbours_intact(tmp_path, format):
    path = tmp_path / "refs.bib"
    path.write_text(EMPTY_KEY)
    result = refkit("export", "-f", format, str(path))
    assert result.returncode == 1
    assert f"{path}:3: RK109 [error] entry at line 3 has no citation key" in result.stderr
    assert result.stdout.count("10.1000/mid") == 1 and result.stdout.count("42") == 1


def test_validate_reports_the_empty_key_and_no_false_duplicate(tmp_path):
    path = tmp_path / "refs.bib"
    path.write_text(EMPTY_KEY)
    result = refkit("validate", str(path), *LINT_ONLY)
    assert result.returncode == 1 and "RK109" in result.stdout and "RK501" not in result.stdout


def test_export_reports_broken_blocks_instead_of_dropping_them_silently(tmp_path):
    path = tmp_path / "refs.bib"
    path.write_text(GOOD + "@article{broken, title = {Unclosed\n")
    result = refkit("export", str(path))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"{path}:2: RK101" in result.stderr and "not in the output" in result.stderr
    assert [item["id"] for item in json.loads(result.stdout)] == ["fine"]


def test_enrich_reports_the_problems_it_leaves_alone(tmp_path):
    path = tmp_path / "refs.bib"
    path.write_text(EMPTY_KEY)
    result = refkit("enrich", "-n", str(path), *offline("enrich", tmp_path))
    assert result.returncode == 1 and "RK109" in result.stderr and "left alone" in result.stderr
