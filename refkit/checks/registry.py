"""The rule catalogue: every check, offline or online, reports through a registered Rule.

Rule ids are stable (ruff-style): RK1xx syntax and structure, RK2xx fields and identifiers,
RK3xx dates and pages, RK4xx names, RK5xx duplicates, RK6xx/RK7xx verification against external records.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypedDict

from refkit.model import Finding, Severity


class Where(TypedDict, total=False):
    """Where a finding points: the keyword arguments of `Rule.finding` that locate it."""

    key: str | None
    file: str | None
    line: int | None
    field: str | None


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    name: str  # kebab-case, as in `refkit rules`
    severity: Severity
    summary: str  # one line, for `refkit rules` and the docs index
    template: str  # message template; `{key}` and rule-specific names are filled in
    explanation: str = ""  # a few sentences for docs/rules.md: why it matters and how to fix it
    online: bool = False

    def finding(
        self,
        *,
        key: str | None,
        file: str | None,
        line: int | None,
        field: str | None = None,
        written: str | None = None,
        recorded: str | None = None,
        **values: Any,
    ) -> Finding:
        message = self.template.format(key=key, line=line, field=field, written=written, recorded=recorded, **values)
        return Finding(self.id, self.severity, message, key, file, line, field, written, recorded)


RULES: dict[str, Rule] = {}


def register(rule: Rule) -> Rule:
    if rule.id in RULES:
        raise ValueError(f"rule id {rule.id} is registered twice")
    RULES[rule.id] = rule
    return rule


def rule_selected(rule_id: str, select: list[str], ignore: list[str]) -> bool:
    """ruff semantics: a rule runs when some `select` prefix matches it and no longer `ignore` prefix does."""
    chosen = max((len(p) for p in select if rule_id.startswith(p)), default=-1) if select else 0
    dropped = max((len(p) for p in ignore if rule_id.startswith(p)), default=-1)
    return chosen >= 0 and chosen > dropped
