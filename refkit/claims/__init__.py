"""Claims → supporting references: sentences, markers, rankers (lexical, semantic) and labels."""

from refkit.claims.load import map_document
from refkit.claims.mapping import RANKERS, map_claims
from refkit.claims.model import Block, Claim, ClaimMap, Kind, Label, Marker, Sentence, Support, Target, Thresholds

__all__ = [
    "RANKERS",
    "Block",
    "Claim",
    "ClaimMap",
    "Kind",
    "Label",
    "Marker",
    "Sentence",
    "Support",
    "Target",
    "Thresholds",
    "map_claims",
    "map_document",
]
