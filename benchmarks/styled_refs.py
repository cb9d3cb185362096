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
        people[: (1 if style in ("mla", "apa-etal") else 3 if style in ("vancouver", "aas") else limit)]
        if truncated
        else people
    )
    names = []
    for index, person in enumerate(shown):
        family, given = person["family"], person.get("given", "")
        if style in ("apa", "apa-etal", "harvard", "nature", "aas", "lncs"):
            names.append(f"{family}, {_initials(given)}" if given else family)
        elif style == "elsarticle":
            names.append(f"{family}, {_initials(given, spaced=False)}" if given else family)
        elif style == "acm":
            names.append(f"{given} {family}".strip())
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
    if style == "lncs":
        return ", ".join(names)
    if style == "acm" and len(names) == 2:
        return " and ".join(names)
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
        "acm": ", and ",
        "aas": ", & ",
        "elsarticle": " & ",
    }[style]
    return ", ".join(names[:-1]) + joiner + names[-1]


def _text(value: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", value)).split())


# What a record is, as the styles that print more than journal articles (the BibTeX styles of PDFs) see it.
KINDS = {"journal-article": "article", "proceedings-article": "inproceedings", "book-chapter": "incollection"}


def _fields(record: dict) -> dict[str, str] | None:
    title = _text((record.get("title") or [""])[0])
    journal = _text((record.get("container-title") or [""])[0])
    short = _text((record.get("short-container-title") or [""])[0]) or journal
    parts = (record.get("issued") or {}).get("date-parts") or [[None]]
    year = parts[0][0] if parts and parts[0] else None
    people = [a for a in record.get("author") or [] if a.get("family")]
    if not (title and journal and year and people and record.get("type") in KINDS):
        return None
    month = parts[0][1] if len(parts[0]) > 1 else None
    digest = int(hashlib.sha1(record.get("DOI", "").encode()).hexdigest()[:8], 16)
    editors = [a for a in record.get("editor") or [] if a.get("family")] or people[::-1]
    return {
        "kind": KINDS[record["type"]],
        "publisher": _text(record.get("publisher", "")),
        "editors": " & ".join(f"{a['family']}, {_initials(a.get('given', ''), spaced=False)}" for a in editors[:3]),
        # an e-print number as AASTeX prints one, for one record in four; the tagger never sees it (an identifier)
        "eprint": f"{year % 100:02d}{(month or 1):02d}.{digest % 100000:05d}" if digest % 4 == 0 else "",
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


def _in_book(f: dict, lead: str) -> list[Piece]:
    """ "In Proceedings of X" / "In: Book": the proceedings or book of a paper or chapter."""
    return [("other", "", lead), ("container", "container-title", f["journal"])]


def _acm(f: dict, authors: str) -> list[Piece]:
    """ACM-Reference-Format: "Year. Title. Journal 18, 3 (2016), 410–428." or "In Proceedings …. Publisher,
    410–428." """
    pieces: list[Piece] = [
        ("author", "author", authors),
        ("other", "", ". "),
        ("date", "date", f["year"]),
        ("other", "", ". "),
        ("title", "title", f["title"]),
        ("other", "", ". "),
    ]
    if f["kind"] != "article":
        pieces += _in_book(f, "In ")
        pieces += [("other", "", ". "), ("publisher", "", f["publisher"])] if f["publisher"] else []
    else:
        pieces += [("container", "journal", f["journal"])]
        pieces += [("other", "", " "), ("volume", "volume", f["volume"])] if f["volume"] else []
        pieces += [("other", "", ", "), ("volume", "issue", f["issue"])] if f["issue"] else []
        date = f"{f['month'].rstrip('.')} {f['year']}".strip()
        pieces += [("other", "", " ("), ("date", "date", date), ("other", "", ")")]
    pieces += [("other", "", ", "), ("pages", "pages", f["pages"])] if f["pages"] else []
    return [*pieces, ("other", "", f". https://doi.org/{f['doi']}")]


def _plainnat(f: dict, authors: str) -> list[Piece]:
    """plainnat/abbrvnat (and juliacon, plain): "Journal, 12(4):1845–1852, 2016. doi:…" or "In Proceedings
    …, pages 1–10. Publisher, 2016." """
    pieces: list[Piece] = [
        ("author", "author", authors),
        ("other", "", ". "),
        ("title", "title", f["title"]),
        ("other", "", ". "),
    ]
    if f["kind"] != "article":
        pieces += _in_book(f, "In ")
        pieces += [("other", "", ", pages "), ("pages", "pages", f["pages"])] if f["pages"] else []
        pieces += [("other", "", ". "), ("publisher", "", f["publisher"])] if f["publisher"] else []
    else:
        pieces += [("container", "journal", f["journal"])]
        pieces += [("other", "", ", "), ("volume", "volume", f["volume"])] if f["volume"] else []
        pieces += [("other", "", "("), ("volume", "issue", f["issue"]), ("other", "", ")")] if f["issue"] else []
        pieces += [("other", "", ":" if f["volume"] else ", "), ("pages", "pages", f["pages"])] if f["pages"] else []
    date = f"{f['month'].rstrip('.').lower()} {f['year']}".strip() if len(f["title"]) % 2 else f["year"]
    return [*pieces, ("other", "", ", "), ("date", "date", date), ("other", "", f". doi:{f['doi']}.")]


def _aas(f: dict, authors: str) -> list[Piece]:
    """AASTeX (and MNRAS): "Family, I., & Family, I. 2018, ApJ, 156, 123", the first page only."""
    pieces: list[Piece] = [
        ("author", "author", authors),
        ("other", "", " "),
        ("date", "date", f["year"]),
        ("other", "", ", "),
    ]
    if f["eprint"]:
        return [*pieces, ("container", "journal", "arXiv e-prints"), ("other", "", f", arXiv:{f['eprint']}")]
    pieces += [("container", "journal", f["short"])]
    pieces += [("other", "", ", "), ("volume", "volume", f["volume"])] if f["volume"] else []
    first = f["pages"].split("–")[0]
    pieces += [("other", "", ", "), ("pages", "pages", first)] if first else []
    return [*pieces, ("other", "", f", doi: {f['doi']}")]


def _lncs(f: dict, authors: str) -> list[Piece]:
    """splncs04: "Family, I., Family, I.: Title. Journal 12(4), 1845–1852 (2016)" or "In: Proceedings …. pp.
    1–10. Publisher (2016)"."""
    pieces: list[Piece] = [("author", "author", authors), ("other", "", ": "), ("title", "title", f["title"])]
    if f["kind"] != "article":
        pieces += _in_book(f, ". In: ")
        pieces += [("other", "", ". pp. "), ("pages", "pages", f["pages"])] if f["pages"] else []
        pieces += [("other", "", ". "), ("publisher", "", f["publisher"])] if f["publisher"] else []
    else:
        pieces += [("other", "", ". "), ("container", "journal", f["journal"])]
        pieces += [("other", "", " "), ("volume", "volume", f["volume"])] if f["volume"] else []
        pieces += [("other", "", "("), ("volume", "issue", f["issue"]), ("other", "", ")")] if f["issue"] else []
        pieces += [("other", "", ", "), ("pages", "pages", f["pages"])] if f["pages"] else []
    return [*pieces, ("other", "", " ("), ("date", "date", f["year"]), ("other", "", f"). https://doi.org/{f['doi']}")]


def _elsarticle(f: dict, authors: str) -> list[Piece]:
    """Elsevier's Harvard (elsarticle-harv, rticles): "(2001). Title. Journal, 293, 638–643." or "In: Book
    (eds. Family, I. & Family, I.). Publisher, pp. 1–10." """
    pieces: list[Piece] = [
        ("author", "author", authors),
        ("other", "", " ("),
        ("date", "date", f["year"]),
        ("other", "", "). "),
        ("title", "title", f["title"]),
    ]
    if f["kind"] != "article":
        pieces += _in_book(f, ". In: ")
        pieces += [("other", "", " (eds. "), ("editor", "", f["editors"]), ("other", "", ")")] if f["editors"] else []
        pieces += [("other", "", ". "), ("publisher", "", f["publisher"])] if f["publisher"] else []
        pieces += [("other", "", ", pp. "), ("pages", "pages", f["pages"])] if f["pages"] else []
    else:
        pieces += [("other", "", ". "), ("container", "journal", f["journal"])]
        pieces += [("other", "", ", "), ("volume", "volume", f["volume"])] if f["volume"] else []
        pieces += [("other", "", ", "), ("pages", "pages", f["pages"])] if f["pages"] else []
    return [*pieces, ("other", "", ".")]


# The styles that print proceedings papers and book chapters as well as articles.
BOOK_STYLES = ("acm", "plainnat", "lncs", "elsarticle")
STYLES: dict[str, tuple[Callable[[dict, str], list[Piece]], str, int]] = {
    "apa": (_apa, "apa", 20), "apa-etal": (_apa, "apa-etal", 2), "vancouver": (_vancouver, "vancouver", 6),
    "ieee": (_ieee, "ieee", 6), "harvard": (_harvard, "harvard", 4), "chicago-ad": (_chicago, "chicago", 10),
    "chicago-nb": (_chicago_nb, "chicago-nb", 10), "mla": (_mla, "mla", 2), "nature": (_nature, "nature", 5),
    "science": (_science, "science", 5), "acm": (_acm, "acm", 20), "plainnat": (_plainnat, "acm", 20),
    "aas": (_aas, "aas", 5), "lncs": (_lncs, "lncs", 20), "elsarticle": (_elsarticle, "elsarticle", 6),
}  # fmt: skip


def render(record: dict, style: str) -> TaggedRef | None:
    fields = _fields(record)
    if fields is None or (fields["kind"] != "article" and style not in BOOK_STYLES):
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
        pool, step = (names, 3) if record.get("type") == "journal-article" else (BOOK_STYLES, 1)
        for offset in range(per_record):
            ref = render(record, pool[(seed + offset * step) % len(pool)])
            if ref is not None:
                refs.append(ref)
    return refs
