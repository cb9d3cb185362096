"""Venue aliases: the names one venue goes by, so "NeurIPS", "NIPS" and "Advances in Neural Information
Processing Systems" agree, "ICML" and "Proceedings of Machine Learning Research", "arXiv" and "CoRR".

`venue_key` reduces a written venue to the alias group it names (or "" for none): edition numbers,
ordinals, years and "Proceedings of the" do not matter. The groups are the machine-learning and
computer-science venues most cited without a DOI, whose records (DBLP, arXiv, PMLR) use the short name
while bibliographies use the long one, or the reverse.
"""

from __future__ import annotations

import functools
import re

from refkit.text import fold

ALIASES: dict[str, tuple[str, ...]] = {
    "neurips": ("neurips", "nips", "advances in neural information processing systems",
                "neural information processing systems", "conference on neural information processing systems"),
    "icml": ("icml", "international conference on machine learning", "proceedings of machine learning research",
             "pmlr"),
    "iclr": ("iclr", "international conference on learning representations"),
    "arxiv": ("arxiv", "corr", "computing research repository", "arxiv preprint"),
    "cvpr": ("cvpr", "conference on computer vision and pattern recognition",
             "ieee cvf conference on computer vision and pattern recognition",
             "ieee conference on computer vision and pattern recognition"),
    "iccv": ("iccv", "international conference on computer vision",
             "ieee cvf international conference on computer vision"),
    "eccv": ("eccv", "european conference on computer vision"),
    "aaai": ("aaai", "aaai conference on artificial intelligence"),
    "ijcai": ("ijcai", "international joint conference on artificial intelligence"),
    "acl": ("acl", "annual meeting of the association for computational linguistics",
            "meeting of the association for computational linguistics"),
    "emnlp": ("emnlp", "conference on empirical methods in natural language processing",
              "empirical methods in natural language processing"),
    "naacl": ("naacl", "naacl hlt", "north american chapter of the association for computational linguistics"),
    "aistats": ("aistats", "international conference on artificial intelligence and statistics"),
    "uai": ("uai", "conference on uncertainty in artificial intelligence", "uncertainty in artificial intelligence"),
    "colt": ("colt", "conference on learning theory"),
    "kdd": ("kdd", "acm sigkdd international conference on knowledge discovery and data mining",
            "knowledge discovery and data mining"),
    "tmlr": ("tmlr", "transactions on machine learning research"),
    "jmlr": ("jmlr", "journal of machine learning research"),
    "tpami": ("tpami", "ieee transactions on pattern analysis and machine intelligence",
              "transactions on pattern analysis and machine intelligence"),
}  # fmt: skip

_NOISE = re.compile(
    r"\b(?:\d+(?:st|nd|rd|th)?|first|second|third|proceedings|proc|of|the|in|annual|on|volume|vol|part)\b"
)
_SHORT = {alias: key for key, names in ALIASES.items() for alias in names if " " not in alias}
_LONG = sorted(
    ((alias, key) for key, names in ALIASES.items() for alias in names if " " in alias), key=lambda p: -len(p[0])
)


def _cleaned(name: str) -> str:
    return " ".join(_NOISE.sub(" ", fold(name).replace("'", " ")).split())


_LONG_CLEANED = [(alias, _cleaned(alias), key) for alias, key in _LONG]


@functools.lru_cache(maxsize=65536)
def venue_key(name: str) -> str:
    """The alias group a venue name belongs to ("Proceedings of the 38th ICML" → "icml"), or "". Kept per
    name: the matcher asks it for every candidate, and a batch ranks thousands (benchmarks/batch.py)."""
    folded = " ".join(fold(name).replace("'", " ").split())
    if not folded:
        return ""
    cleaned = _cleaned(name)
    for alias, cleaned_alias, key in _LONG_CLEANED:
        if alias in folded or cleaned_alias in cleaned:
            return key
    for word in folded.split():
        if word in _SHORT:
            return _SHORT[word]
    return ""


_CS_WORDS = (
    "comput", "informati", "machine learning", "artificial intelligence", "neural", "robot", "software",
    "learning representations", "ieee", "acm", "lecture notes in computer science", "data mining",
    "language processing", "computational linguistics", "vision", "sigplan", "sigmod", "vldb", "usenix",
)  # fmt: skip


@functools.lru_cache(maxsize=65536)
def computer_science(name: str) -> bool:
    """A venue DBLP indexes: a known alias group, or a name with computer-science words in it. Kept per name:
    DBLP's chain asks it twice for every entry, and a file names the same few venues again and again."""
    folded = fold(name)
    return bool(venue_key(name)) or any(word in folded for word in _CS_WORDS)
