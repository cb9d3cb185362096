"""Citation keys (refkit.extract.keys)."""

from __future__ import annotations

import pytest

from refkit.errors import RefkitError
from refkit.extract.keys import assign_keys, make_key
from refkit.model import Name, Reference


def _reference(family: str, year: int | None, title: str, **names: str) -> Reference:
    return Reference(authors=[Name(family=family, **names)], year=year, title=title)


@pytest.mark.parametrize(
    ("family", "year", "title", "key"),
    [
        ("Saußele", 2016, "Discontinuation of tyrosine kinase inhibitor therapy", "saussele2016discontinuation"),
        ("Gambacorti-Passerini", 2011, "Multicenter independent assessment", "gambacortipasserini2011multicenter"),
        ("Druker", 2006, "Five-year follow-up of patients", "druker2006five"),
        ("Ødegård", 1999, "The 3 rivers: a study", "odegard1999rivers"),
        ("Müller", None, "On the theory of heat", "muller"),
    ],
)
def test_default_pattern(family: str, year: int | None, title: str, key: str) -> None:
    assert make_key(_reference(family, year, title)) == (key if year else "mullertheory")


def test_particle_left_out_and_organisations_use_their_first_word() -> None:
    assert make_key(_reference("Berg", 2010, "Dunes", particle="van der")) == "berg2010dunes"
    organisation = Reference(authors=[Name(literal="The World Bank")], year=2020, title="Poverty and Shared Prosperity")
    assert make_key(organisation) == "world2020poverty"


def test_unique_with_letter_suffixes_first_key_unchanged() -> None:
    references = [_reference("Hochhaus", 2017, "Long-term outcomes") for _ in range(3)]
    references.append(_reference("Hochhaus", 2017, "Long-term follow-up"))
    assert [r.key for r in assign_keys(references)] == [
        "hochhaus2017long",
        "hochhaus2017longa",
        "hochhaus2017longb",
        "hochhaus2017longc",
    ]
    assert references[1].location.key == "hochhaus2017longa"


def test_custom_patterns() -> None:
    reference = Reference(
        authors=[Name(family="Jabbour"), Name(family="Kantarjian")],
        year=2018,
        title="Chronic myeloid leukemia: 2018 update",
        container_title="American Journal of Hematology",
    )
    assert make_key(reference, "{auth}_{year}") == "jabbour_2018"
    assert make_key(reference, "{authors}{year}") == "jabbourkantarjian2018"
    assert make_key(reference, "{auth}{year}{shorttitle}") == "jabbour2018chronicmyeloidleukemia"
    assert make_key(reference, "{journal}{year}") == "ajh2018"
    assert make_key(Reference(), "{auth}{title}") == "ref"


@pytest.mark.parametrize(
    "pattern", ["{nope}", "{auth", "plain", "{auth}{0}", "{auth:%}", "{year:d}", "{auth!x}", "{auth:{year}}"]
)
def test_bad_patterns_are_refused(pattern: str) -> None:
    with pytest.raises(RefkitError, match="key pattern"):
        assign_keys([Reference()], pattern)
