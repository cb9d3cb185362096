"""Sources by name, and the chain a run asks: `sources = [...]` in [tool.refkit], `--sources` on the command line.

Each entry of `SOURCES` builds one source from the settings (its base URL from `<name>-url` in [tool.refkit]
or `REFKIT_<NAME>_URL`, offline or not, the shared cache). A source is built when it is first asked
(`LazySource`): behind a snapshot that answers every entry, no HTTP client (nor requests-cache) is ever
imported. Configured snapshots always come first: they answer for what they hold, the rest of the chain for
what they lack.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any, cast

from refkit.config import Settings
from refkit.errors import RefkitError
from refkit.sources.base import Source
from refkit.sources.snapshot import SnapshotSource

Factory = Callable[[Settings], Source]

# name → "module:class"; the class is built as Class(settings). Another source registers here (or calls
# `register`) and becomes choosable in `sources = [...]`.
SOURCES: dict[str, str] = {
    "crossref": "refkit.sources.crossref:CrossrefSource",
    "datacite": "refkit.sources.datacite:DataCiteSource",
    "arxiv": "refkit.sources.arxiv:ArxivSource",
    "dblp": "refkit.sources.dblp:DblpSource",
    "openalex": "refkit.sources.openalex:OpenAlexSource",
    "pubmed": "refkit.sources.pubmed:PubMedSource",
    "europepmc": "refkit.sources.europepmc:EuropePmcSource",
    "semanticscholar": "refkit.sources.semanticscholar:SemanticScholarSource",
    "openlibrary": "refkit.sources.openlibrary:OpenLibrarySource",
}
DEFAULT_SOURCES = ("crossref", "datacite", "arxiv", "dblp")


def register(name: str, target: str) -> None:
    """Make a source choosable by `name`: `target` is "package.module:Class", built as Class(settings)."""
    SOURCES[name] = target


def _check(name: str) -> None:
    if name not in SOURCES:
        known = ", ".join(sorted(SOURCES))
        raise RefkitError(f"unknown source '{name}' in sources (known: {known})")


def factory(name: str) -> Factory:
    _check(name)
    module, _, attribute = SOURCES[name].partition(":")
    made: Factory = getattr(importlib.import_module(module), attribute)
    return made


def build_sources(settings: Settings) -> list[Source]:
    """The chain the settings name: mirrors, then snapshots (each in the order given), then `settings.sources`
    in order."""
    names = list(dict.fromkeys(settings.sources or DEFAULT_SOURCES))
    for name in names:  # every name checked before anything is opened
        _check(name)
    chain: list[Source] = []
    if settings.mirror:
        from refkit.mirrors.source import MirrorSource  # only runs that name a mirror open SQLite

        chain.extend(MirrorSource(path) for path in settings.mirror)
    if settings.snapshot:
        chain.append(SnapshotSource(settings.snapshot, complete=settings.snapshot_complete))
    chain.extend(cast(Source, LazySource(name, settings)) for name in names)
    return chain


class LazySource:
    """A registered source, built on first use: its name is known at once, everything else (and the import
    of its module) waits until the chain asks it something."""

    def __init__(self, name: str, settings: Settings) -> None:
        self.name = name
        self._settings = settings
        self._source: Source | None = None

    def __getattr__(self, attribute: str) -> Any:
        if attribute.startswith("_"):
            raise AttributeError(attribute)
        if self._source is None:
            self._source = factory(self.name)(self._settings)
        value = getattr(self._source, attribute)
        setattr(self, attribute, value)  # asked once per entry and source: later asks skip this method
        return value

    def close(self) -> None:
        if self._source is not None:
            self._source.close()


def close_all(sources: list[Source]) -> None:
    for source in sources:
        source.close()
