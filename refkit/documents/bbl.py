"""LaTeX reference lists as BibTeX and biber write them (`.bbl`): one item per `\\bibitem` or `\\entry`,
with the structure the file itself carries read as fields rather than guessed.

* biblatex/biber `\\entry{key}{type}` … `\\endentry`: every field is written out (`\\field{title}{…}`,
  `\\name{author}…`, `\\list{publisher}…`, `\\verb{doi}`), so the item's `fields` are the whole entry in
  BibTeX terms (with `entrytype`), and nothing needs tagging.
* BibTeX `thebibliography`: `\\bibitem[label]{key}` keys are kept (the label may span lines); `\\bibinfo{f}{v}`
  (REVTeX, ACM, Elsevier CAS) and BMC's `\\bauthor`, `\\batitle`, … give fields directly; where a style marks
  nothing, its `\\newblock`s do: the first block is the authors, the next the title, and the first
  emphasised group after it the container. The item's text is the decoded reference string, which the
  tagger reads for whatever the markup left out. Hint values are decoded text in Reference terms
  (author, title, container, volume, issue, pages, year, doi, publisher).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from refkit.documents.blocks import Block
from refkit.documents.latex import decode_line, latex_blocks
from refkit.text import latex_to_unicode

Fields = list[tuple[str, str]]

_COMMENT_RE = re.compile(r"(?<!\\)%[^\n]*\n?[ \t]*")
_BIBITEM_RE = re.compile(r"\\bibitem(?![A-Za-z@])\s*")
_BEGIN_BIBLIOGRAPHY_RE = re.compile(r"\\begin\s*\{thebibliography\}(?:\s*\{[^{}]*\})?")
_END_RE = re.compile(r"\\end\s*\{thebibliography\}")
_ENTRY_RE = re.compile(r"\\entry\s*\{([^{}]*)\}\s*\{([^{}]*)\}")
# What biber computes for biblatex's own use (sorting, labels, hashes), not fields of the work.
_BIBER_INTERNAL_RE = re.compile(r"^(?:sort|label|extra|unique|hash|fullhash|namehash|singletitle|crossrefsource)")
_NEWBLOCK_RE = re.compile(r"\\newblock\b\s*")
_EMPHASIS_RE = re.compile(r"\\(?:emph|textit|textsl)\s*\{|\{\\(?:em|it|sl)\b\s*")
_BOLD_NUMBER_RE = re.compile(r"(?:\\textbf\s*\{|\{\\bf\s+)\s*(\d[\w.–-]*)\s*\}")
_BYSAME_RE = re.compile(r"\s*\\bysame\b")
_QUOTED_RE = re.compile(r"``(.+?)''", re.DOTALL)
_IN_BOOK_RE = re.compile(r"[.,]\s+In:?\s*$")  # "…Title. In \emph{Book}"
_YEAR_TAIL_RE = re.compile(r"[\s,.]*(?:\(\s*\d{4}[a-z]?\s*\)|\d{4}[a-z]?)[\s.,]*$")
# Markup with no text of its own in the printed list.
_NOISE_RE = re.compile(
    r"\\(?:BIBentryALTinterwordspacing|BIBentrySTDinterwordspacing|BibitemOpen|EOS|bibAnnoteFile|"
    r"hskip\s*[\d.]+em(?:\s*plus\s*[\d.]+em)?(?:\s*minus\s*[\d.]+em)?|natexlab\s*\{[^{}]*\}|penalty0|urldef\\tempurl|showURL\s*\{\\tempurl\}|showDOI\s*\{\\tempurl\}|tempurl|"
    r"BibitemShut\s*\{[^{}]*\}|endbibitem|(?:begin|end)\s*\{b\w+\}|color\s*\{[^{}]*\}|protect|"
    r"href@noop\s*\{\}|newline|relax|unskip|bibAnnote\s*\{[^{}]*\}\s*\{[^{}]*\})"
)
# Macros whose argument is the printed text: REVTeX's name and field wrappers, BMC's, ACM's.
_WRAPPERS = (
    "bibnamefont", "bibfnamefont", "citenamefont", "showarticletitle", "showISBNx", "showISSN",
    "showeprint", "detokenize", "path", "bsnm", "binits", "bparticle", "bsuffix", "bauthor", "beditor", "bfnm",
    "bbtitle", "batitle", "bjtitle", "bctitle", "btitle", "bvolume", "bissue", "bfpage", "blpage", "byear",
    "bpublisher", "blocation", "bedition", "bseries", "bcomment", "bhowpublished", "binstitution", "bschool",
    "bnote", "bisbn", "bissn", "bmonth", "bnumber", "bchapter", "bpages", "bsertitle", "bconftitle",
)  # fmt: skip
# The journal macros of AASTeX and MNRAS (`\apj`), as those classes print them.
_JOURNAL_MACROS = {
    "aj": "AJ", "actaa": "Acta Astron.", "araa": "ARA&A", "apj": "ApJ", "apjl": "ApJL", "apjs": "ApJS",
    "ao": "Appl. Opt.", "apss": "Ap&SS", "aap": "A&A", "aapr": "A&A Rv", "aaps": "A&AS", "azh": "AZh",
    "baas": "BAAS", "icarus": "Icarus", "jcap": "JCAP", "jrasc": "JRASC", "memras": "MmRAS", "mnras": "MNRAS",
    "na": "New A", "nar": "New A Rev.", "pra": "Phys. Rev. A", "prb": "Phys. Rev. B", "prc": "Phys. Rev. C",
    "prd": "Phys. Rev. D", "pre": "Phys. Rev. E", "prl": "Phys. Rev. Lett.", "pasa": "PASA", "pasp": "PASP",
    "pasj": "PASJ", "qjras": "QJRAS", "skytel": "S&T", "solphys": "Sol. Phys.", "sovast": "Soviet Ast.",
    "ssr": "Space Sci. Rev.", "zap": "ZAp", "nat": "Nature", "iaucirc": "IAU Circ.", "aplett": "Astrophys. Lett.",
    "gca": "Geochim. Cosmochim. Acta", "grl": "Geophys. Res. Lett.", "jcp": "J. Chem. Phys.",
    "jgr": "J. Geophys. Res.", "jqsrt": "JQSRT", "memsai": "Mem. Soc. Astron. Italiana", "physrep": "Phys. Rep.",
    "physscr": "Phys. Scr", "planss": "Planet. Space Sci.", "procspie": "Proc. SPIE", "psj": "PSJ",
    "rnaas": "RNAAS", "apjss": "ApJS",
}  # fmt: skip
_JOURNAL_MACRO_RE = re.compile(r"\\(" + "|".join(sorted(_JOURNAL_MACROS, key=len, reverse=True)) + r")(?![A-Za-z@])")
# AAS and MNRAS print each family in braces before its initials: "{van der Marel}, N." / "{Ansdell} M.,"
_BRACED_FAMILY_RE = re.compile(r"\{((?:[^{}]|\{[^{}]*\})+)\},?\s*((?:[A-Z][a-z]?\.[~\s-]*)+)")
# … and end with "2016, ApJ, 595, A36": the year, the journal, its volume and the first page.
_YEAR_START_RE = re.compile(r"(?<![\w{])(?:1[5-9]|20)\d\d[a-z]?\s*,")
_ASTRONOMY_TAIL_RE = re.compile(
    r"\b(\d{4})[a-z]?\s*,\s+([A-Z][^,\d]{0,60}?),\s+(?:10\.\d{4,9}/\S+,\s+)?"
    r"(?:(\d{1,5}),\s+([A-Z]?\d{1,7}[A-Z]?)|arXiv:\S+)\s*\.?(?:\s+https?://\S+)*\s*$"
)
_ELSEVIER_TAIL_RE = re.compile(
    r",\s+([A-Z][^,()]{1,120}?)\s+(\d{1,5})\s+(?:\(([\w–-]{1,12})\)\s+)?\((\d{4})\)\s*([A-Za-z]?\d[\w–-]*)?"
    r"\s*\.?\s*(?:doi:\S+|https?://\S+|\s)*$"
)
_ELSEVIER_NAME_RE = re.compile(r"\\xfnm\s*\[\s*([^\]]*)\]")  # elsarticle's "Adede\xfnm[ C.]": "Adede, C."
# amsplain after the title: ", Math. Ann. 145 (1961/1962), no. 2, 429–439"
_AMS_VENUE_RE = re.compile(
    r"^\s*,\s*([^,]{2,120}?)\s+(\d{1,5})\s+\((\d{4})(?:/\d{2,4})?\),\s*(?:no\.\s*([\w–-]{1,12}),\s*)?"
    r"([A-Za-z]?\d+(?:–[A-Za-z]?\d+)?)"
)
_NATBIB_LOCATION_RE = re.compile(
    r",\s*(\d[\w.]{0,8})\s*(?:\(([\w–/-]{1,12})\))?\s*:\s*([A-Za-z]?\d+(?:–[A-Za-z]?\d+)?)\b"
)
# LNCS (splncs04): "Anand, L.: Title. Journal \textbf{48}(6), 962 -- 971 (2011)"
_LNCS_HEAD_RE = re.compile(r"^\s*([^:]{2,600}?[A-Z]\.(?:-[A-Z]\.)?):\s+(.+?[^A-Z\s])\.\s+(?=[A-Z\\{])", re.DOTALL)
_LNCS_VENUE_RE = re.compile(
    r"^(?P<container>[^\\]{2,200}?)\s*\\textbf\s*\{(?P<volume>[^{}]{1,20})\}\s*(?:\((?P<issue>[^()]{1,20})\))?,\s*"
    r"(?P<pages>\w+(?:\s*-{1,2}\s*\w+)?)\s*\((?:[^()]{0,20}\s)?(?P<year>\d{4})\)",
    re.DOTALL,
)
# REVTeX's prsty after the title: ", Annu. Rev. Fluid Mech. 54, 191 (2022)."
_PHYSICS_VENUE_RE = re.compile(r"^\s*,\s*([^,]{2,120}?)\s+(\d{1,5}),\s*([A-Za-z]?\d[\w–-]*)\s*\((\d{4})\)")
# MDPI: "Obels, P.; Lakens, D.;~et~al. Title. \emph{Journal} \textbf{2020}, \emph{3}, 229--237." The title may
# italicise a word ("of the \emph{t} and U Tests"): it ends at the emphasised journal before the bold year.
_MDPI_RE = re.compile(
    r"^\s*(?P<authors>[^\\]{2,800}?(?:[A-Z]|\bet[\s~]+al)\.)\s+(?P<title>.{2,400}?)[.?!]?\s*"
    r"\\emph\s*\{(?P<container>[^{}]{1,200})\}\s*\\textbf\s*\{(?P<year>\d{4})\}\s*"
    r"(?:,\s*\\emph\s*\{(?P<volume>[^{}]{1,20})\})?\s*(?:,\s*(?P<pages>\w+(?:\s*(?:-{1,2}|–)\s*\w+)?))?",
    re.DOTALL,
)
_BMC_FIELDS = {
    "batitle": "title", "bbtitle": "booktitle", "bctitle": "title", "bjtitle": "container", "bvolume": "volume",
    "bissue": "issue", "byear": "year", "bpublisher": "publisher", "bdoi": "doi", "doiurl": "doi",
}  # fmt: skip
_BIBINFO_FIELDS = {
    "author": "author", "person": "author", "title": "title", "journal": "container", "booktitle": "booktitle",
    "volume": "volume", "number": "issue", "pages": "pages", "year": "year", "doi": "doi",
    "publisher": "publisher",
}  # fmt: skip


def group_end(text: str, start: int, opening: str = "{", closing: str = "}") -> int:
    """The index just past the group that opens at `start`; the text's end when it never closes."""
    depth = 0
    for index in range(start, len(text)):
        char = text[index]
        if char == "\\":
            continue
        if char == opening and text[index - 1 : index] != "\\":
            depth += 1
        elif char == closing and text[index - 1 : index] != "\\":
            depth -= 1
            if depth == 0:
                return index + 1
    return len(text)


def _arguments(text: str, position: int, count: int) -> tuple[list[str], int] | None:
    """`count` brace groups from `position` (spaces between them allowed): their contents and the end."""
    found = []
    for _ in range(count):
        while position < len(text) and text[position] in " \t\n":
            position += 1
        if position >= len(text) or text[position] != "{":
            return None
        end = group_end(text, position)
        found.append(text[position + 1 : end - 1])
        position = end
    return found, position


def _replace_macro(text: str, name: str, count: int, replace: Callable[[list[str]], str]) -> str:
    """Every `\\name{a}…` with `count` arguments replaced by `replace(arguments)`."""
    pattern = re.compile(rf"\\{name}(?![A-Za-z@])\s*")
    out, position = [], 0
    while match := pattern.search(text, position):
        parsed = _arguments(text, match.end(), count)
        if parsed is None:
            out.append(text[position : match.end()])
            position = match.end()
            continue
        arguments, end = parsed
        out.append(text[position : match.start()] + replace(arguments))
        position = end
    return "".join(out) + text[position:]


def _macro_arguments(text: str, name: str) -> list[str]:
    """The argument of every `\\name{…}` in the text, in order."""
    found: list[str] = []

    def keep(arguments: list[str]) -> str:
        found.append(arguments[0])
        return ""

    _replace_macro(text, name, 1, keep)
    return found


def _plain(latex: str) -> str:
    """A piece of item LaTeX as text."""
    return " ".join(decode_line(" ".join(latex.split())).split())


def _strip_wrappers(latex: str) -> str:
    latex = _NOISE_RE.sub(" ", latex)
    latex = _replace_macro(latex, "mn@doi", 1, lambda args: "")  # mnras: "\mn@doi [\aj] {doi}", journal first
    latex = re.sub(r"\\mn@doi\s*\[([^\]]*)\]", r"\1,", latex)
    latex = _replace_macro(latex, "href", 2, lambda args: args[1] if args[0] in args[1] else f"{args[1]} {args[0]}")
    latex = _replace_macro(latex, "bibfield", 2, lambda args: args[1])
    latex = _replace_macro(latex, "doi", 1, lambda args: f"doi:{args[0]}")
    latex = _replace_macro(latex, "doiurl", 1, lambda args: f"doi:{args[0]}")
    latex = _replace_macro(latex, "bdoi", 1, lambda args: f"doi:{args[0]}")
    latex = _replace_macro(latex, "enquote", 1, lambda args: f"“{args[0]}”")
    latex = _replace_macro(latex, "bibinfo", 2, lambda args: "{" + args[1] + "}")
    for name in _WRAPPERS:
        latex = _replace_macro(latex, name, 1, lambda args: "{" + args[0] + "}")
    return latex


def _marked_fields(latex: str) -> Fields:
    """The fields an item marks itself: `\\bibinfo{field}{value}` and BMC's `\\bjtitle{…}` and kin."""
    found: Fields = []

    def keep(name: str) -> Callable[[list[str]], str]:
        def record(arguments: list[str]) -> str:
            value = arguments[-1]
            field = _BIBINFO_FIELDS.get(arguments[0]) if name == "bibinfo" else _BMC_FIELDS.get(name)
            if field:
                found.append((field, _plain(_strip_wrappers(value))))
            return ""

        return record

    _replace_macro(latex, "bibinfo", 2, keep("bibinfo"))
    found.extend(("title", _plain(_strip_wrappers(title))) for title in _macro_arguments(latex, "showarticletitle"))
    for name in _BMC_FIELDS:
        _replace_macro(latex, name, 1, keep(name))
    found.extend(("author", _plain(_strip_wrappers(person))) for person in _macro_arguments(latex, "bauthor"))
    first = re.search(r"\\bfpage\s*\{([^{}]*)\}", latex)
    last = re.search(r"\\blpage\s*\{([^{}]*)\}", latex)
    if first:
        found.append(("pages", first.group(1) + (f"–{last.group(1)}" if last else "")))
    return found


def _emphasised(latex: str) -> str:
    """The first emphasised group of a piece of LaTeX (`\\emph{…}`, `{\\em …}`), as text."""
    match = _EMPHASIS_RE.search(latex)
    if not match:
        return ""
    start = match.end() - 1 if latex[match.end() - 1] == "{" else match.start()
    end = group_end(latex, start)
    return _plain(latex[start:end])


def _is_emphasised(latex: str) -> bool:
    """Whether a block is one emphasised group and its punctuation ("\\emph{Book title}.")."""
    stripped = latex.strip().rstrip(".,; ")
    match = _EMPHASIS_RE.match(stripped)
    if not match:
        return False
    start = match.end() - 1 if stripped[match.end() - 1] == "{" else match.start()
    return group_end(stripped, start) >= len(stripped.rstrip("}")) - 1


def _block_fields(latex: str) -> Fields:
    """Fields read off the layout where the style marks none: `\\newblock` blocks and emphasis."""
    blocks = [block for block in _NEWBLOCK_RE.split(latex) if block.strip()]
    found: Fields = []
    mdpi = _MDPI_RE.match(latex) if len(blocks) == 1 else None
    if mdpi:
        return [(name, _plain(value)) for name, value in mdpi.groupdict().items() if value]
    head = _LNCS_HEAD_RE.match(latex) if len(blocks) == 1 else None
    if head:
        found = [("authors", _plain(head.group(1))), ("title", _plain(head.group(2)))]
        venue = _LNCS_VENUE_RE.match(latex[head.end() :])
        return found + [(name, _plain(value)) for name, value in (venue.groupdict() if venue else {}).items() if value]
    quoted, emphasis = _QUOTED_RE.search(latex), _EMPHASIS_RE.search(latex)
    if len(blocks) == 2 and not _plain(blocks[1]).startswith("("):
        pass  # spmpsci: "Authors: Title." then the venue; the tagger reads that better than the layout does
    elif len(blocks) >= 2:
        authors = _plain(blocks[0])
        authors = _YEAR_TAIL_RE.sub("", authors) if not _plain(blocks[1]).startswith("(") else authors
        found.append(("authors", authors.rstrip(". ")))
        title_block = blocks[1]
        if _plain(title_block).startswith("("):  # pnas: "(2009) {\em Nature} …" has no title
            later = blocks[1:]
        else:
            title = _plain(title_block).strip().rstrip(".,")
            found.append(("title", title.strip('“”"').rstrip(",.")))
            later = [] if _is_emphasised(title_block) else blocks[2:]
        venue_block = next((block for block in later if _emphasised(block)), "")
        if venue_block:
            found.append(("container", _emphasised(venue_block).rstrip(".,")))
            located = _NATBIB_LOCATION_RE.search(_plain(venue_block))  # "Journal, 31 (29): 3946–3958, 2012."
            if located:
                volume, issue, pages = located.groups()
                found.extend((("volume", volume), ("pages", pages)))
                found.extend([("issue", issue)] * bool(issue))
    elif quoted and (not emphasis or quoted.start() < emphasis.start()):
        # IEEEtran: A. Author, ``Title,'' \emph{Journal}, vol. 1, … (a quote after the emphasised title is the venue's)
        found.append(("title", _plain(quoted.group(1)).rstrip(".,;:")))
        if _emphasised(latex[quoted.end() :]):
            found.append(("container", _emphasised(latex[quoted.end() :]).rstrip(".,")))
    elif emphasis and _IN_BOOK_RE.search(latex[: emphasis.start()]):
        # MDPI's chapters: "Authors. Title. In \emph{Book}, …": the book, the rest is the tagger's
        start = emphasis.end() - 1 if latex[emphasis.end() - 1] == "{" else emphasis.start()
        found.append(("container", _plain(latex[start : group_end(latex, start)]).rstrip(".,")))
    elif emphasis:  # amsplain, prsty: "A. Author, \emph{Title}, Journal …"
        start = emphasis.end() - 1 if latex[emphasis.end() - 1] == "{" else emphasis.start()
        end = group_end(latex, start)
        found.append(("title", _plain(latex[start:end]).rstrip(".,")))
        authors = _plain(latex[: emphasis.start()]).rstrip(", ")
        if authors:
            found.append(("authors", authors))
        venue = _AMS_VENUE_RE.match(_plain(latex[end:]))
        physics = _PHYSICS_VENUE_RE.match(_plain(latex[end:]))
        if venue:
            container, volume, year, issue, pages = venue.groups()
            found.extend((("container", container), ("volume", volume), ("year", year), ("pages", pages)))
            found.extend([("issue", issue)] * bool(issue))
        elif physics:
            container, volume, pages, year = physics.groups()
            found.extend((("container", container), ("volume", volume), ("pages", pages), ("year", year)))
    volume = _BOLD_NUMBER_RE.search(latex)
    if volume:
        found.append(("volume", volume.group(1)))
    return found


def _astronomy_fields(latex: str, text: str) -> Fields:
    """AAS and MNRAS lists: braced family names, and the "year, journal, volume, page" they end with."""
    found: Fields = []
    names = _YEAR_START_RE.split(latex.split("\\newblock")[0], maxsplit=1)[0]  # editors come after the year
    families = _BRACED_FAMILY_RE.findall(names)
    if len(families) >= 1 and latex.lstrip().startswith("{"):
        found.extend(("author", f"{_plain(family)}, {_plain(initials)}") for family, initials in families)
    if found and re.search(r"\bet[~\s]al\b", latex.split("\\newblock")[0]):
        found.append(("truncated", "et al."))
    tail = _ASTRONOMY_TAIL_RE.search(text)
    if tail and found:
        found.append(("container", tail.group(2)))
        if tail.group(3):
            found.extend((("volume", tail.group(3)), ("pages", tail.group(4))))
    return found


def _elsevier_fields(text: str) -> Fields:
    """elsarticle-num ends "…, Journal 214 (3) (2021) 112113.": journal, volume, issue, year, pages."""
    tail = _ELSEVIER_TAIL_RE.search(text)
    if not tail:
        return []
    journal, volume, issue, year, pages = tail.groups()
    found = [("container", journal), ("volume", volume), ("year", year)]
    return found + [("issue", issue)] * bool(issue) + [("pages", pages)] * bool(pages)


def _item_block(latex: str, line: int, key: str) -> Block:
    latex = _COMMENT_RE.sub(" ", latex)
    latex = _ELSEVIER_NAME_RE.sub(r", \1", latex)
    latex = _JOURNAL_MACRO_RE.sub(lambda macro: "{" + _JOURNAL_MACROS[macro.group(1)] + "}", latex)
    marked = _marked_fields(latex)
    latex = _strip_wrappers(latex)
    text = _plain(_NEWBLOCK_RE.sub(" ", latex))
    if marked:  # \bibinfo lists mark every author there is, and a book's title as its booktitle
        titled = any(name == "title" for name, _ in marked)
        marked = [
            ("container" if titled else "title", value) if name == "booktitle" else (name, value)
            for name, value in marked
        ]
        if not any(name == "author" for name, _ in marked):
            marked.append(("author", ""))
    else:
        marked = _astronomy_fields(latex, text) or _elsevier_fields(text)
    fields = marked if any(name in ("title", "author") for name, _ in marked) else _block_fields(latex) + marked
    return Block(line, text, "item", key=key, fields=tuple(fields))


def _label_end(text: str, position: int) -> int:
    """Past the optional `[label]` of a `\\bibitem` (its brackets may hold braces and span lines)."""
    if position < len(text) and text[position] == "[":
        depth, index = 0, position
        while index < len(text):
            char = text[index]
            if char == "{":
                index = group_end(text, index)
                continue
            if char == "[":
                depth += 1
            elif char == "]":
                depth -= 1
                if depth == 0:
                    return index + 1
            index += 1
    return position


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def bibitem_blocks(text: str, first_line: int = 1) -> list[Block]:
    """The `\\bibitem`s of a BibTeX-made list (the whole of a .bbl, or a `thebibliography` body)."""
    end = _END_RE.search(text)
    body = text[: end.start()] if end else text
    starts = list(_BIBITEM_RE.finditer(body))
    blocks: list[Block] = []
    for index, match in enumerate(starts):
        position = _label_end(body, match.end())
        while position < len(body) and body[position] in " \t\n%":
            position = body.find("\n", position) + 1 if body[position] == "%" else position + 1
        key = ""
        if position < len(body) and body[position] == "{":
            close = group_end(body, position)
            key, position = body[position + 1 : close - 1].strip(), close
        stop = starts[index + 1].start() if index + 1 < len(starts) else len(body)
        block = _item_block(body[position:stop], first_line + _line_of(body, match.start()) - 1, key)
        if _BYSAME_RE.match(body, position) and blocks:  # amsplain's "———, Title": the authors of the item before
            before = [field for field in blocks[-1].fields if field[0] in ("author", "authors")]
            block = replace(block, fields=(*before, *(f for f in block.fields if f[0] not in ("author", "authors"))))
        blocks.append(block)
    return blocks


def _names(latex: str) -> str:
    """A biber `\\name{…}` list as a BibTeX name list ("von Family, Jr, Given and …")."""
    people = []
    position = 0
    while (start := latex.find("{{", position)) >= 0:
        end = group_end(latex, start)
        person = latex[start + 1 : end - 1]
        parts = dict(re.findall(r"\b(family|given|prefix|suffix)=\{((?:[^{}]|\{[^{}]*\})*)\}", person))
        if not parts:  # biblatex 1.x: {hash}{family}{f.}{given}{g.}{prefix}{p.}{suffix}{s.}
            groups = re.findall(r"\{((?:[^{}]|\{[^{}]*\})*)\}", person)[1:]
            if len(groups) >= 8:
                parts = {"family": groups[0], "given": groups[2], "prefix": groups[4], "suffix": groups[6]}
        family = " ".join(filter(None, (parts.get("prefix", ""), parts.get("family", ""))))
        pieces = [family, parts.get("suffix", ""), parts.get("given", "")]
        people.append(", ".join(piece for piece in pieces if piece) if family else parts.get("given", ""))
        position = end
    return " and ".join(person.replace("\\bibnamedelima", " ").replace("\\bibnamedelimb", " ") for person in people)


def _entry_fields(latex: str) -> Fields:
    fields: Fields = []
    for kind, pattern in (("name", r"\\name\s*\{"), ("list", r"\\list\s*\{"), ("field", r"\\field\s*\{")):
        for match in re.finditer(pattern, latex):
            parsed = _arguments(latex, match.end() - 1, {"name": 4, "list": 3, "field": 2}[kind])
            if parsed is None:
                continue
            arguments = parsed[0]
            name, value = arguments[0], arguments[-1]
            if kind == "name":
                value = _names(value)
            elif kind == "list":
                value = " and ".join(re.findall(r"\{((?:[^{}]|\{[^{}]*\})*)\}", value))
            if not _BIBER_INTERNAL_RE.match(name):
                fields.append((name, value.replace("\\bibrangedash", "--").replace("\\bibrangessep", ", ")))
    for name, value in re.findall(r"\\verb\s*\{(\w+)\}\s*\n\s*\\verb\s?(.*?)\n\s*\\endverb", latex, re.DOTALL):
        fields.append((name, value.strip()))
    return fields


def entry_blocks(text: str) -> list[Block]:
    """The `\\entry`s of a biber-made .bbl, each with its whole entry as fields. With several sort lists
    (`\\datalist`), the first one's entries are read and the repeats of later lists skipped."""
    blocks, seen = [], set()
    for match in _ENTRY_RE.finditer(text):
        key, entry_type = match.group(1).strip(), match.group(2).strip()
        end = text.find("\\endentry", match.end())
        if key in seen:
            continue
        seen.add(key)
        fields = [("entrytype", entry_type), *_entry_fields(text[match.end() : end if end >= 0 else len(text)])]
        values = dict(fields)
        shown = ". ".join(
            latex_to_unicode(values[name].replace(" and ", ", "))
            for name in ("author", "editor", "title", "journaltitle", "journal", "booktitle", "year", "date")
            if values.get(name)
        )
        blocks.append(Block(_line_of(text, match.start()), shown, "item", key=key, fields=tuple(fields)))
    return blocks


def tex_blocks(text: str) -> list[Block]:
    """A LaTeX document: its `thebibliography` environments read as a .bbl is, the rest by the LaTeX reader."""
    begin = _BEGIN_BIBLIOGRAPHY_RE.search(text)
    if not begin:
        return latex_blocks(text)
    end = _END_RE.search(text, begin.end())
    stop = end.end() if end else len(text)
    line = _line_of(text, begin.start())
    blank = "\n" * text.count("\n", begin.start(), stop)  # the environment's lines, kept as blank lines
    blocks = latex_blocks(text[: begin.start()] + blank + text[stop:])
    items = bibitem_blocks(text[begin.end() : end.start() if end else len(text)], _line_of(text, begin.end()))
    last = _line_of(text, stop)
    before = [block for block in blocks if block.line < line]
    after = [block for block in blocks if block.line > last or (block.line == last and block.kind != "blank")]
    return [*before, Block(line, "References", "heading", 2), *items, *after]


def bbl_blocks(text: str) -> list[Block]:
    """A .bbl file as a reference section: a heading, then one item a reference."""
    if _ENTRY_RE.search(text):
        items = entry_blocks(text)
    else:
        begin = _BEGIN_BIBLIOGRAPHY_RE.search(text)
        offset = begin.end() if begin else 0
        items = bibitem_blocks(text[offset:], _line_of(text, offset))
    return [Block(1, "References", "heading", 2), *items]
