"""A registry of functions named at start-up and imported when first used.

The command line lists every export and report format among its choices, so the names must be known at
once; the modules behind them (jsonschema, XML writers, bibtexparser's writer) load only for the one used."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping
from typing import Any


class LazyFunctions(Mapping[str, Callable[..., Any]]):
    """Maps each name to the function at "module:attribute", importing the module on first look-up."""

    def __init__(self, targets: dict[str, str]) -> None:
        self._targets = targets

    def __getitem__(self, name: str) -> Callable[..., Any]:
        module, _, attribute = self._targets[name].partition(":")
        function: Callable[..., Any] = getattr(importlib.import_module(module), attribute)
        return function

    def __iter__(self) -> Iterator[str]:
        return iter(self._targets)

    def __len__(self) -> int:
        return len(self._targets)
