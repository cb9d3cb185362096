"""Abstracts for references that lack one, from local Crossref records (a snapshot): a claim matched
against a title alone has a dozen words to go on, against an abstract a few hundred.

Only records that are the same work are used: found by DOI, or accepted by the matcher (title, first author
and year or venue agree). Nothing here touches the network.
"""

from __future__ import annotations

import dataclasses

from refkit.match import Decision, best_match
from refkit.model import Reference
from refkit.sources.base import LookupStatus, Source
from refkit.sources.records import to_reference


def _same_work(reference: Reference, source: Source) -> Reference | None:
    if reference.doi:
        lookup = source.works([reference.doi]).get(reference.doi)
        if lookup is not None and lookup.status is LookupStatus.FOUND and lookup.record:
            return to_reference(lookup.record)
    result = source.search(reference, rows=3)
    match = best_match(reference, [to_reference(record) for record in result.records])
    return match.record if match is not None and match.decision is Decision.ACCEPT else None


def add_abstracts(references: list[Reference], source: Source) -> tuple[list[Reference], int]:
    """The references, those without an abstract given the record's one where the source has it; and how many."""
    enriched, added = [], 0
    for reference in references:
        record = None if reference.abstract else _same_work(reference, source)
        if record is not None and record.abstract:
            reference = dataclasses.replace(reference, abstract=record.abstract)
            added += 1
        enriched.append(reference)
    return enriched, added
