"""Labelling each token of a reference string with the field it belongs to, by a linear-chain CRF.

The model (`reference.crfsuite`, ~0.65 MB) ships inside the package; benchmarks/train_extract_model.py
rebuilds it from tagged real reference strings (AnyStyle gold, GROBID/CORA) and styled renderings of real
Crossref records, with a held-out part that the accuracy benchmark reports on. Identifiers are matched by
pattern first and the tagger never sees them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import pycrfsuite

from refkit.errors import RefkitError
from refkit.extract.features import sequence_features, tokenize
from refkit.extract.identifiers import Match, find_identifiers

LABELS = (
    "author",
    "editor",
    "title",
    "container",
    "date",
    "volume",
    "pages",
    "publisher",
    "location",
    "edition",
    "genre",
    "note",
    "number",
    "other",
)
MODEL_FILE = "reference.crfsuite"


@dataclass(frozen=True, slots=True)
class Prepared:
    """A reference string cut into taggable tokens, with the identifiers matched around them."""

    text: str
    identifiers: list[Match]
    spans: list[tuple[int, int]]


def prepare(text: str) -> Prepared:
    """Find identifiers, then tokenize what lies between them."""
    identifiers = find_identifiers(text)
    spans: list[tuple[int, int]] = []
    position = 0
    for match in [*identifiers, None]:
        end = match.start if match else len(text)
        spans.extend((position + start, position + stop) for start, stop in tokenize(text[position:end]))
        position = match.end if match else position
    return Prepared(text, identifiers, spans)


@lru_cache(maxsize=1)
def _tagger() -> pycrfsuite.Tagger:
    tagger = pycrfsuite.Tagger()
    path = resources.files("refkit.extract") / MODEL_FILE
    try:
        with resources.as_file(path) as model:
            tagger.open(str(model))
    except (OSError, ValueError) as error:  # a broken install: the file is missing, or not a model (an LFS pointer)
        raise RefkitError(
            f"the reference model {MODEL_FILE} in the refkit package is missing or damaged ({error}); reinstall refkit"
        ) from error
    return tagger


# Typeset lists (PDFs) print page ranges with an en dash, which the model saw too rarely to read as pages;
# one character for one, so the token offsets hold.
_DASHES = str.maketrans("–—‒−", "----")


def tag(prepared: Prepared) -> list[str]:
    """One label from LABELS for each token."""
    if not prepared.spans:
        return []
    return _tagger().tag(sequence_features(prepared.text.translate(_DASHES), prepared.spans))
