"""Works to fill the fakes with, spread over them as the real services hold them: journal articles with DOIs
in OpenAlex and Semantic Scholar, the biomedical ones also in PubMed, conference papers and arXiv preprints
in Semantic Scholar and OpenAlex, books with ISBNs in Open Library. Made up from a seed, so runs repeat."""

from __future__ import annotations

import random
from dataclasses import replace

from refkit.model import Name, Reference
from refkit.sources.openlibrary import isbn13
from tests.fakeapis.openalex import work_of
from tests.fakeapis.openlibrary import book_of
from tests.fakeapis.semanticscholar import paper_of

WORDS = [
    "adaptive",
    "bayesian",
    "cellular",
    "deep",
    "dynamic",
    "efficient",
    "gene",
    "graph",
    "hierarchical",
    "immune",
    "kernel",
    "latent",
    "molecular",
    "neural",
    "optimal",
    "protein",
    "quantum",
    "robust",
    "sparse",
    "stochastic",
    "temporal",
    "tumour",
    "variational",
    "wavelet",
    "inference",
    "learning",
    "networks",
    "signalling",
    "expression",
    "regression",
    "transport",
    "sampling",
    "clustering",
    "embedding",
    "attention",
    "retrieval",
    "memory",
    "control",
    "estimation",
    "imaging",
    "sequencing",
    "therapy",
    "trials",
    "cohort",
]
FAMILIES = [
    "Smith",
    "Müller",
    "García",
    "Nakamura",
    "Okafor",
    "Rossi",
    "Novak",
    "Kowalski",
    "Chen",
    "Silva",
    "Haddad",
    "Johansson",
    "Dubois",
]
GIVEN = ["Anna", "Ben", "Chiara", "David", "Elif", "Farid", "Grace", "Hiro", "Ines", "Jon", "Kavya", "Lena", "Marek"]


def _isbn10(rng: random.Random) -> str:
    body = [rng.randrange(10) for _ in range(9)]
    check = (11 - sum((10 - i) * d for i, d in enumerate(body)) % 11) % 11
    return "".join(map(str, body)) + ("X" if check == 10 else str(check))


def works(count: int, seed: int = 7) -> list[Reference]:
    """`count` distinct works: a quarter of each kind (biomedical article, other article, conference paper,
    book), arXiv ids on half the conference papers."""
    rng = random.Random(seed)
    made = []
    for number in range(count):
        kind = ("biomedical", "article", "conference", "book")[number % 4]
        title = " ".join(rng.sample(WORDS, 7)).capitalize() + f" {number}"
        authors = [Name(family=rng.choice(FAMILIES), given=rng.choice(GIVEN)) for _ in range(rng.randint(1, 4))]
        reference = Reference(
            key=f"w{number}",
            type={"conference": "paper-conference", "book": "book"}.get(kind, "article-journal"),
            title=title,
            authors=authors,
            year=rng.randint(1990, 2025),
            abstract=f"We study {title.lower()} and report what we found.",
        )
        if kind in ("biomedical", "article"):
            reference = replace(
                reference,
                container_title="Journal of " + rng.choice(WORDS).capitalize(),
                volume=str(rng.randint(1, 80)),
                issue=str(rng.randint(1, 12)),
                page=f"{(first := rng.randint(1, 900))}–{first + rng.randint(3, 20)}",
                doi=f"10.{rng.randint(1000, 9999)}/fake.{number}",
            )
        if kind == "biomedical":
            reference = replace(reference, pmid=str(30000000 + number), pmcid=f"PMC{9000000 + number}")
        if kind == "conference":
            reference = replace(reference, container_title="Proceedings of the Conference on " + rng.choice(WORDS))
            if number % 8 == 2:
                reference = replace(reference, arxiv=f"{rng.randint(15, 25)}{rng.randint(1, 12):02d}.{number:05d}")
        if kind == "book":
            isbn = _isbn10(rng)
            reference = replace(reference, isbn=isbn if number % 8 == 3 else isbn13(isbn), publisher="MIT Press")
        made.append(reference)
    return made


def openalex_works(references: list[Reference]) -> list[dict]:
    return [work_of(r, 1000 + i) for i, r in enumerate(references) if r.type != "book"]


def semanticscholar_papers(references: list[Reference]) -> list[dict]:
    return [paper_of(r, 1000 + i) for i, r in enumerate(references) if r.type != "book"]


def openlibrary_books(references: list[Reference]) -> list[dict]:
    return [book_of(r, 1000 + i) for i, r in enumerate(references) if r.isbn]


def pubmed_references(references: list[Reference]) -> list[Reference]:
    return [r for r in references if r.pmid]
