"""Real Crossref records (../shared/data/crossref-records/works.jsonl, MIT) rendered as reference strings in
the styles refkit reads, with every character labelled: training material for the tagger and a per-style
accuracy check. Each record is rendered in three styles picked by a hash of its DOI, and the held-out
split follows the record, so no work is seen in training in one style and tested in another.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from collections.abc import Callable

from tagged_refs import SHARED, TaggedRef

RECORDS = SHARED / "data" / "crossref-records" / "works.jsonl"
MONTHS = ("Jan.", "Feb.", "Mar.", "Apr.", "May", "Jun.", "Jul.", "Aug.", "Sep.", "Oct.", "Nov.", "Dec.")
Piece = tuple[str, str, str]  # (coarse label, fine tag or "", text)


def _initials(given: str, *, dots: bool = True, spaced: bool = True) -> str:
    parts = [part for part in re.split(r"[\s.]+", given) if part]
    letters = []
    for part in parts:
        hyphenated = [p[0] for p in part.split("-") if p]
        letters.append("-".join(h + "." for h in hyphenated) if dots else "".join(hyphenated))
    return (" " if spaced and dots else "").join(letters)


def _names(record: dict, style: str, limit: int) -> str:
    """The author list as the style writes it; more than `limit` authors are cut to the style's "et al." form."""
    people = [a for a in record["author"] if a.get("family")]
    truncated = len(people) > limit
    shown = (
        people[: (1 if style in ("mla", "apa-etal") else 3 if style == "vancouver" else limit)] if truncated else people
    )
    names = []
    for index, person in enumerate(shown):
        family, given = person["family"], person.get("given", "")
        if style in ("apa", "apa-etal", "harvard", "nature"):
            names.append(f"{family}, {_initials(given)}" if given else family)
        elif style == "vancouver":
            names.append(f"{family} {_initials(given, dots=False)}".strip())
        elif style in ("ieee", "science"):
            names.append(f"{_initials(given)} {family}".strip())
        else:  # chicago, mla: first inverted, others natural
            names.append(f"{family}, {given}" if index == 0 and given else f"{given} {family}".strip())
    if style == "vancouver":
        return ", ".join(names) + (", et al." if truncated else ".")
    if truncated:
        return ", ".join(names) + ", et al."
    if len(names) == 1:
        return names[0]
    joiner = {
        "apa": ", & ",
        "apa-etal": ", & ",
        "nature": " & ",
        "harvard": " and ",
        "ieee": ", and ",
        "science": ", ",
        "chicago": ", and ",
        "chicago-nb": ", and ",
        "mla": ", and ",
    }[style]
    return ", ".join(names[:-1]) + joiner + names[-1]


def _text(value: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", value)).split())


def _fields(record: dict) -> dict[str, str] | None:
    title = _text((record.get("title") or [""])[0])
    journal = _text((record.get("container-title") or [""])[0])
    short = _text((record.get("short-container-title") or [""])[0]) or journal
    parts = (record.get("issued") or {}).get("date-parts") or [[None]]
    year = parts[0][0] if parts and parts[0] else None
    people = [a for a in record.get("author") or [] if a.get("family")]
    if not (title and journal and year and people and record.get("type") == "journal-article"):
        return None
    month = parts[0][1] if len(parts[0]) > 1 else None
    return {
        "title": title.rstrip("."),
        "journal": journal,
        "short": short,
        "year": str(year),
        "month": MONTHS[month - 1] if month else "",
        "volume": record.get("volume", ""),
        "issue": record.get("issue", ""),
        "pages": record.get("page", "").replace("-", "–"),
        "doi": record.get("DOI", ""),
    }


def _apa(f: dict, authors: str) -> list[Piece]:
    pieces: list[Piece] = [
        ("author", "author", authors),
        ("other", "", " ("),
        ("date", "date", f["year"]),
        ("other", "", "). "),
        ("title", "title", f["title"]),
        ("other", "", ". "),
        ("container", "journal", f["journal"]),
    ]
    if f["volume"]:
        pieces += [("other", "", ", "), ("volume", "volume", f["volume"])]
    if f["issue"]:
        pieces += [("other", "", "("), ("volume", "issue", f["issue"]), ("other", "", ")")]
    if f["pages"]:
        pieces += [("other", "", ", "), ("pages", "pages", f["pages"])]
    return [*pieces, ("other", "", f". https://doi.org/{f['doi']}")]


def _vancouver(f: dict, authors: str) -> list[Piece]:
    pieces: list[Piece] = [
        ("author", "author", authors),
        ("other", "", " "),
        ("title", "title", f["title"]),
        ("other", "", ". "),
        ("container", "journal", f["short"].replace(".", "")),
        ("other", "", ". "),
        ("date", "date", f["year"]),
        ("other", "", ";"),
    ]
    pieces += [("volume", "volume", f["volume"])] if f["volume"] else []
    pieces += [("other", "", "("), ("volume", "issue", f["issue"]), ("other", "", ")")] if f["issue"] else []
    pieces += [("other", "", ":"), ("pages", "pages", f["pages"].replace("–", "-"))] if f["pages"] else []
    return [*pieces, ("other", "", ".")]


def _ieee(f: dict, authors: str) -> list[Piece]:
    pieces: list[Piece] = [
        ("author", "author", authors),
        ("other", "", ", “"),
        ("title", "title", f["title"]),
        ("other", "", ",” "),
        ("container", "journal", f["short"]),
    ]
    pieces += [("other", "", ", vol. "), ("volume", "volume", f["volume"])] if f["volume"] else []
    pieces += [("other", "", ", no. "), ("volume", "issue", f["issue"])] if f["issue"] else []
    pieces += [("other", "", ", pp. "), ("pages", "pages", f["pages"])] if f["pages"] else []
    date = f"{f['month']} {f['year']}".strip()
    return [*pieces, ("other", "", ", "), ("date", "date", date), ("other", "", f", doi: {f['doi']}.")]


def _harvard(f: dict, authors: str) -> list[Piece]:
    pieces: list[Piece] = [
        ("author", "author", authors),
        ("other", "", " ("),
        ("date", "date", f["year"]),
        ("other", "", ") ‘"),
        ("title", "title", f["title"]),
        ("other", "", "’, "),
        ("container", "journal", f["journal"]),
    ]
    pieces += [("other", "", ", "), ("volume", "volume", f["volume"])] if f["volume"] else []
    pieces += [("other", "", "("), ("volume", "issue", f["issue"]), ("other", "", ")")] if f["issue"] else []
    pieces += [("other", "", ", pp. "), ("pages", "pages", f["pages"])] if f["pages"] else []
    return [*pieces, ("other", "", ".")]


def _chicago(f: dict, authors: str) -> list[Piece]:
    pieces: list[Piece] = [
        ("author", "author", authors),
        ("other", "", ". "),
        ("date", "date", f["year"]),
        ("other", "", ". “"),
        ("title", "title", f["title"]),
        ("other", "", ".” "),
        ("container", "journal", f["journal"]),
    ]
    pieces += [("other", "", " "), ("volume", "volume", f["volume"])] if f["volume"] else []
    pieces += [("other", "", " ("), ("volume", "issue", f["issue"]), ("other", "", ")")] if f["issue"] else []
    pieces += [("other", "", ": "), ("pages", "pages", f["pages"])] if f["pages"] else []
    return [*pieces, ("other", "", f". https://doi.org/{f['doi']}.")]


def _chicago_nb(f: dict, authors: str) -> list[Piece]:
    pieces: list[Piece] = [
        ("author", "author", authors),
        ("other", "", ". “"),
        ("title", "title", f["title"]),
        ("other", "", ".” "),
        ("container", "journal", f["journal"]),
    ]
    pieces += [("other", "", " "), ("volume", "volume", f["volume"])] if f["volume"] else []
    pieces += [("other", "", ", no. "), ("volume", "issue", f["issue"])] if f["issue"] else []
    pieces += [("other", "", " ("), ("date", "date", f"{f['month']} {f['year']}".strip()), ("other", "", ")")]
    pieces += [("other", "", ": "), ("pages", "pages", f["pages"])] if f["pages"] else []
    return [*pieces, ("other", "", ".")]


def _mla(f: dict, authors: str) -> list[Piece]:
    pieces: list[Piece] = [
        ("author", "author", authors),
        ("other", "", ". “"),
        ("title", "title", f["title"]),
        ("other", "", ".” "),
        ("container", "journal", f["journal"]),
    ]
    pieces += [("other", "", ", vol. "), ("volume", "volume", f["volume"])] if f["volume"] else []
    pieces += [("other", "", ", no. "), ("volume", "issue", f["issue"])] if f["issue"] else []
    pieces += [("other", "", ", "), ("date", "date", f["year"])]
    pieces += [("other", "", ", pp. "), ("pages", "pages", f["pages"])] if f["pages"] else []
    return [*pieces, ("other", "", ".")]


def _nature(f: dict, authors: str, separator: str = " ") -> list[Piece]:
    pieces: list[Piece] = [
        ("author", "author", authors),
        ("other", "", separator),
        ("title", "title", f["title"]),
        ("other", "", ". "),
        ("container", "journal", f["short"]),
    ]
    pieces += [("other", "", " "), ("volume", "volume", f["volume"])] if f["volume"] else []
    pieces += [("other", "", ", "), ("pages", "pages", f["pages"])] if f["pages"] else []
    return [*pieces, ("other", "", " ("), ("date", "date", f["year"]), ("other", "", ").")]


def _science(f: dict, authors: str) -> list[Piece]:
    """Science: like Nature, but the author list (given names first) ends with a comma."""
    return _nature(f, authors, ", ")


STYLES: dict[str, tuple[Callable[[dict, str], list[Piece]], str, int]] = {
    "apa": (_apa, "apa", 20), "apa-etal": (_apa, "apa-etal", 2), "vancouver": (_vancouver, "vancouver", 6),
    "ieee": (_ieee, "ieee", 6), "harvard": (_harvard, "harvard", 4), "chicago-ad": (_chicago, "chicago", 10),
    "chicago-nb": (_chicago_nb, "chicago-nb", 10), "mla": (_mla, "mla", 2), "nature": (_nature, "nature", 5),
    "science": (_science, "science", 5),
}  # fmt: skip


def render(record: dict, style: str) -> TaggedRef | None:
    fields = _fields(record)
    if fields is None:
        return None
    build, name_style, limit = STYLES[style]
    pieces = build(fields, _names(record, name_style, limit))
    text, labels, spans = "", [], []
    for coarse, fine, piece in pieces:
        if text.endswith(".") and piece.startswith("."):
            piece = piece[1:]
        text += piece
        labels += [coarse] * len(piece)
        if fine:
            spans.append((fine, piece))
    return TaggedRef(f"style:{style}", text, labels, spans, group=fields["doi"])


def styled_refs(per_record: int = 3) -> list[TaggedRef]:
    """Each usable record in `per_record` styles chosen by its DOI's hash; empty when ../shared is absent."""
    if not RECORDS.is_file():
        return []
    names = list(STYLES)
    refs = []
    for line in RECORDS.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        seed = int(hashlib.sha1(("style " + record.get("DOI", "")).encode()).hexdigest()[:8], 16)
        for offset in range(per_record):
            ref = render(record, names[(seed + offset * 3) % len(names)])
            if ref is not None:
                refs.append(ref)
    return refs
