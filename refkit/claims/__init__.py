"""Claims → supporting references: sentences, markers, rankers (lexical, semantic) and labels."""

from refkit.claims.mapping import RANKERS, map_claims
from refkit.claims.model import Block, Claim, ClaimMap, Kind, Label, Marker, Sentence, Support, Target

__all__ = ["RANKERS", "Block", "Claim", "ClaimMap", "Kind", "Label", "Marker", "Sentence", "Support", "Target",
           "map_claims"]
