"""What a reference says about itself, cut into passages a claim can be matched against: its title, the
sentences of its abstract (JATS markup stripped) and its keywords."""

from __future__ import annotations

import re

from refkit.claims.sentences import sentence_spans
from refkit.model import Reference
from refkit.sources.records import strip_markup

_ABSTRACT_LABEL_RE = re.compile(r"^(?:abstract|summary)\s*[:.]?\s*", re.IGNORECASE)


def passages(reference: Reference) -> list[str]:
    """The title first, then each abstract sentence, then the keywords as one passage."""
    found = [reference.title] if reference.title else []
    abstract = _ABSTRACT_LABEL_RE.sub("", strip_markup(reference.abstract)) if reference.abstract else ""
    found += [abstract[start:end] for start, end in sentence_spans(abstract)] if abstract else []
    if reference.keywords:
        found.append(", ".join(reference.keywords))
    return found or [reference.container_title or reference.key]
