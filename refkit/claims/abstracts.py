"""Abstracts for references that lack one, from local Crossref records (a snapshot): a claim matched
against a title alone has a dozen words to go on, against an abstract a few hundred.

Only records that are the same work are used: found by DOI, or accepted by the matcher (title, first author
and year or venue agree). Nothing here touches the network.
"""

from __future__ import annotations

import dataclasses

from refkit.model import Reference
from refkit.sources.identify import Sources, identify_many


def add_abstracts(references: list[Reference], sources: Sources) -> tuple[list[Reference], int]:
    """The references, those without an abstract given the record's one where the source has it; and how many."""
    wanted = [reference for reference in references if not reference.abstract]
    same = {
        id(reference): found.candidate for reference, found in zip(wanted, identify_many(wanted, sources), strict=True)
    }
    enriched, added = [], 0
    for reference in references:
        candidate = same.get(id(reference))
        record = candidate.reference if candidate is not None else None
        if record is not None and record.abstract:
            reference = dataclasses.replace(reference, abstract=record.abstract)
            added += 1
        enriched.append(reference)
    return enriched, added
