"""`refkit rules`: the rule catalogue, as a table, JSON or the Markdown of docs/rules.md."""

from __future__ import annotations

import json
from enum import StrEnum

import typer

from refkit.cli.app import app, emit


class RulesFormat(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"


@app.command("rules")
def rules_command(
    format: RulesFormat = typer.Option(RulesFormat.text, "--format", "-f", help="Output format."),
) -> None:
    """List every rule id with its name, severity and summary."""
    from refkit.checks import RULES, catalogue_markdown

    ordered = sorted(RULES.values(), key=lambda rule: rule.id)
    if format is RulesFormat.markdown:
        emit(catalogue_markdown(), None)
    elif format is RulesFormat.json:
        emit(
            json.dumps(
                [
                    {"id": r.id, "name": r.name, "severity": r.severity.value, "summary": r.summary, "online": r.online}
                    for r in ordered
                ],
                indent=2,
            ),
            None,
        )
    else:
        emit("\n".join(f"{r.id}  {r.severity.value:<8} {r.name:<28} {r.summary}" for r in ordered), None)
