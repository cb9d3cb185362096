"""`refkit extract DOC`: a document's reference list → BibTeX, CSL-JSON or JSON; exit 1 when it has none."""

from __future__ import annotations

import dataclasses
import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from refkit.cli.app import EXIT_FINDINGS, app, emit, progress_bar
from refkit.cli.sources import API_URL, CACHE_DIR, DEADLINE, MAILTO, OFFLINE, SNAPSHOT, SOURCES, source_overrides
from refkit.errors import RefkitError

if TYPE_CHECKING:
    from refkit.config import Settings
    from refkit.model import Reference


class ExtractFormat(StrEnum):
    bibtex = "bibtex"
    csl_json = "csl-json"
    json = "json"


def references_json(references: list[Reference]) -> str:
    """Every parsed field of every reference (empty ones left out), with the raw string and its line."""

    def compact(value: object) -> object:
        if isinstance(value, dict):
            return {k: compact(v) for k, v in value.items() if v not in ("", None, [], (), {}, False)}
        if isinstance(value, list | tuple):
            return [compact(item) for item in value]
        return value

    return (
        json.dumps([compact(dataclasses.asdict(reference)) for reference in references], ensure_ascii=False, indent=2)
        + "\n"
    )


@app.command("extract")
def extract_command(
    document: Path = typer.Argument(
        ...,
        help="A .txt, .md, .tex, .html or .docx document with a reference list ('-': plain text on standard input).",
    ),
    output: str | None = typer.Option(None, "--output", "-o", help="Write to this file instead of stdout."),
    format: ExtractFormat = typer.Option(ExtractFormat.bibtex, "--format", "-f", help="Output format."),
    section: str | None = typer.Option(
        None,
        "--section",
        help="The heading of the reference section, when it "
        "is not one of the usual names (References, Bibliography, …).",
    ),
    key_pattern: str | None = typer.Option(
        None, "--key-pattern", help="Citation key pattern, e.g. '{auth}{year}{title}' (the default) or '{auth}_{year}'."
    ),
    keep_keys: bool = typer.Option(
        True,
        "--keep-keys/--renew-keys",
        help="Keep the keys a LaTeX list gives "
        "its items (\\bibitem{key}), so the document's \\cite commands still "
        "resolve; --renew-keys applies the key pattern to them too.",
    ),
    resolve: bool = typer.Option(
        False,
        "--resolve",
        help="Look each reference up on Crossref and add the DOI and missing fields for confident matches.",
    ),
    offline: bool | None = OFFLINE,
    snapshot: list[Path] = SNAPSHOT,
    api_url: str | None = API_URL,
    mailto: str | None = MAILTO,
    cache_dir: Path | None = CACHE_DIR,
    deadline: float | None = DEADLINE,
    sources: list[str] = SOURCES,
) -> None:
    """Turn a document's reference list into structured references (offline unless --resolve)."""
    from refkit.config import load_settings
    from refkit.export import export
    from refkit.extract import NoReferenceSection, extract_document

    if document.suffix.lower() in (".bib", ".bibtex"):
        raise RefkitError(f"{document} is already BibTeX: `refkit validate` checks it, `refkit export` converts it")
    settings = load_settings(
        document,
        {
            "key_pattern": key_pattern,
            **source_overrides(snapshot, offline, api_url, mailto, cache_dir, deadline, sources),
        },
    )
    try:
        references = extract_document(
            document, section=section, key_pattern=settings.key_pattern, document_keys=keep_keys
        )
    except NoReferenceSection as error:
        print(f"refkit: {error}", file=sys.stderr)
        raise typer.Exit(EXIT_FINDINGS) from None
    if not references:
        print(f"refkit: {document}: the reference section holds no references", file=sys.stderr)
        raise typer.Exit(EXIT_FINDINGS)
    if resolve:
        _resolve(references, settings)
    text = references_json(references) if format is ExtractFormat.json else export(references, format.value)
    emit(text, output)


def _resolve(references: list[Reference], settings: Settings) -> None:
    """Resolve in place and tell on stderr what could not be resolved and why."""
    from refkit.extract.resolve import Outcome, resolve_references
    from refkit.sources.registry import build_sources

    sources = build_sources(settings)
    with progress_bar("Looking references up") as on_progress:
        resolutions = resolve_references(references, sources, on_progress)
    resolved = sum(1 for item in resolutions if item.outcome is Outcome.RESOLVED)
    print(f"refkit: resolved {resolved} of {len(resolutions)} references", file=sys.stderr)
    for item in resolutions:
        if item.outcome not in (Outcome.RESOLVED, Outcome.KEPT):
            print(f"  {item.key}: {item.outcome.value}" + (f" ({item.reason})" if item.reason else ""), file=sys.stderr)
