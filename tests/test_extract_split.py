"""Cutting a reference section into reference strings (refkit.extract.split)."""

from __future__ import annotations

from refkit.documents.blocks import Block, text_blocks
from refkit.extract.split import split_items


def _items(text: str) -> list[tuple[int, str, str]]:
    return [(item.line, item.text, item.label) for item in split_items(text_blocks(text.splitlines()))]


def test_numbered_with_dots_and_wrapped_lines() -> None:
    text = (
        "1. Abara, T. (2015). Sand budgets of gravel\n   beaches. Coastal Science, 4, 10-20.\n"
        "2. Brunn, K. (2018). Dune loss. Marine\nGeology, 402, 1-9.\n"
    )
    assert _items(text) == [
        (1, "Abara, T. (2015). Sand budgets of gravel beaches. Coastal Science, 4, 10-20.", "1"),
        (3, "Brunn, K. (2018). Dune loss. Marine Geology, 402, 1-9.", "2"),
    ]


def test_bracketed_and_parenthesised_numbers_with_blank_lines() -> None:
    assert [label for _, _, label in _items("[1] A. Abara, Sand.\n\n[2] K. Brunn, Dunes.\n")] == ["1", "2"]
    assert [text for _, text, _ in _items("1) A. Abara, Sand.\n2) K. Brunn, Dunes.\n")] == [
        "A. Abara, Sand.",
        "K. Brunn, Dunes.",
    ]


def test_bullets() -> None:
    text = "- Abara, T. Sand.\n- Brunn, K. Dunes.\n  continued here.\n* Chen, L. Pools.\n• Dube, S. Limpets.\n"
    assert [text for _, text, _ in _items(text)] == [
        "Abara, T. Sand.",
        "Brunn, K. Dunes. continued here.",
        "Chen, L. Pools.",
        "Dube, S. Limpets.",
    ]


def test_blank_line_paragraphs() -> None:
    text = "Abara, T. (2015). Sand budgets\nof gravel beaches.\n\nBrunn, K. (2018).\nDune loss.\n"
    assert [text for _, text, _ in _items(text)] == [
        "Abara, T. (2015). Sand budgets of gravel beaches.",
        "Brunn, K. (2018). Dune loss.",
    ]


def test_hanging_indent() -> None:
    text = (
        "Abara, T. (2015). Sand budgets of gravel beaches.\n    Coastal Science, 4, 10-20.\n"
        "Brunn, K. (2018). Dune loss.\n    Marine Geology, 402, 1-9.\n"
    )
    assert _items(text) == [
        (1, "Abara, T. (2015). Sand budgets of gravel beaches. Coastal Science, 4, 10-20.", ""),
        (3, "Brunn, K. (2018). Dune loss. Marine Geology, 402, 1-9.", ""),
    ]


def test_first_line_indent() -> None:
    text = (
        "    Abara, T. (2015). Sand budgets of gravel beaches.\nCoastal Science, 4, 10-20.\n"
        "    Brunn, K. (2018). Dune loss.\nMarine Geology, 402, 1-9.\n"
    )
    assert _items(text) == [
        (1, "Abara, T. (2015). Sand budgets of gravel beaches. Coastal Science, 4, 10-20.", ""),
        (3, "Brunn, K. (2018). Dune loss. Marine Geology, 402, 1-9.", ""),
    ]


def test_one_reference_a_line() -> None:
    assert len(_items("Abara, T. Sand. 2015.\nBrunn, K. Dunes. 2018.\nChen, L. Pools. 2012.\n")) == 3


def test_hyphen_at_line_end_joins_without_space() -> None:
    text = "1. Abara, T. https://example.org/sand-\n   budgets.html\n2. Brunn, K.\n"
    assert _items(text)[0][1] == "Abara, T. https://example.org/sand-budgets.html"


def test_whole_numbered_list_on_one_line() -> None:
    line = "[1] Abara, T. Sand. 2015. [2] Brunn, K. Dunes [3D survey]. 2018. [3] Chen, L. Pools. 2012."
    assert _items(line) == [
        (1, "Abara, T. Sand. 2015.", "1"),
        (1, "Brunn, K. Dunes [3D survey]. 2018.", "2"),
        (1, "Chen, L. Pools. 2012.", "3"),
    ]


def test_delimited_items_are_taken_as_they_are() -> None:
    blocks = [
        Block(4, "Chen, L. (2012). Rock pools.", "item"),
        Block(5, "a note between items", "text"),
        Block(6, "2. Dube, S. (2020). Limpets.", "item"),
    ]
    assert [(item.line, item.text, item.label) for item in split_items(blocks)] == [
        (4, "Chen, L. (2012). Rock pools.", ""),
        (6, "Dube, S. (2020). Limpets.", "2"),
    ]


def test_bare_numbers_that_count_up() -> None:
    text = "1 Abara T. Sand budgets. Coast Sci 2015;4:10-20.\n2 Brunn K. Dune loss. Mar Geol\n2018;402:1-9.\n"
    assert _items(text) == [
        (1, "Abara T. Sand budgets. Coast Sci 2015;4:10-20.", "1"),
        (2, "Brunn K. Dune loss. Mar Geol 2018;402:1-9.", "2"),
    ]
    wrapped = "Abara T. Sand budgets. Coast Sci 2015;4:\n12 pages.\nBrunn K. Dunes.\n"
    assert [text for _, text, _ in _items(wrapped)] == [
        "Abara T. Sand budgets. Coast Sci 2015;4:",
        "12 pages.",
        "Brunn K. Dunes.",
    ]
