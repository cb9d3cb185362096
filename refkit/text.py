"""Text normalisation shared by BibTeX conversion, parsing and matching.

LaTeX decoding is done here with a small table-driven decoder instead of pylatexenc's full parser: it is
~50× faster on bibliography fields (which use a tiny subset of LaTeX) and keeps unknown macros readable
(`\\TeX` → "TeX") where pylatexenc drops them. Encoding back goes through pylatexenc, which is only on the
write path.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_ACCENTS = {
    '"': "\u0308", "'": "\u0301", "`": "\u0300", "^": "\u0302", "~": "\u0303", "=": "\u0304",
    ".": "\u0307", "u": "\u0306", "v": "\u030c", "H": "\u030b", "c": "\u0327", "k": "\u0328",
    "r": "\u030a", "d": "\u0323", "b": "\u0331", "t": "\u0361",
}  # fmt: skip
_SYMBOLS = {
    "ss": "ß", "SS": "SS", "o": "ø", "O": "Ø", "l": "ł", "L": "Ł", "aa": "å", "AA": "Å", "ae": "æ",
    "AE": "Æ", "oe": "œ", "OE": "Œ", "i": "ı", "j": "ȷ", "dh": "ð", "DH": "Ð", "th": "þ", "TH": "Þ",
    "textendash": "–", "textemdash": "—", "textquoteright": "’", "textquoteleft": "‘", "ldots": "…",
    "dots": "…", "textellipsis": "…", "copyright": "©", "textregistered": "®", "texttrademark": "™",
    "S": "§", "P": "¶", "dag": "†", "ddag": "‡", "pounds": "£", "euro": "€", "textdegree": "°",
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "kappa": "κ", "lambda": "λ",
    "mu": "μ", "pi": "π", "sigma": "σ", "tau": "τ", "omega": "ω", "Delta": "Δ", "Omega": "Ω",
    "em": "", "it": "", "bf": "", "sc": "", "tt": "", "rm": "", "sf": "", "sl": "", "itshape": "",
    "bfseries": "", "scshape": "", "ttfamily": "", "upshape": "", "normalfont": "", "relax": "", "smc": "",
    "thinspace": "", "nobreak": "", "allowbreak": "", "break": "",
    "hyphen": "-", "slash": "/", "emdash": "—", "endash": "–", "Dash": "—",
    "textquotedblleft": "“", "textquotedblright": "”", "guillemotleft": "«", "guillemotright": "»",
    "textbullet": "•", "textperiodcentered": "·", "textless": "<", "textgreater": ">",
    "times": "×", "pm": "±", "leq": "≤", "geq": "≥", "infty": "∞",
    # Characters that decoding itself consumes stand in as private-use ones until the end (see _LITERAL).
    "textbraceleft": "\ue000", "textbraceright": "\ue001", "textasciitilde": "\ue002", "textbackslash": "\ue003",
}  # fmt: skip
_SORT_ONLY = {"noopsort", "SortNoop", "sortnoop", "NOOPSORT", "noop"}  # `{\\noopsort{1985a}}1985` → 1985
_QUOTING = {"mkbibquote", "enquote", "textquote"}
# Escaped braces stand in as private-use characters until the grouping braces are gone; other escapes are
# the character itself, and `\ ` and `\,` are spaces.
_ESCAPED = {"{": "\ue000", "}": "\ue001", " ": " ", ",": " "}
_LITERAL = str.maketrans({"\ue000": "{", "\ue001": "}", "\ue002": "~", "\ue003": "\\"})

# \"u  \"{u}  {\"u}  \c{c}  \c c  \'{\i}
_ACCENT_RE = re.compile(
    r"\\([\"'`^~=.]|[uvHckrdbt](?![A-Za-z]))"  # \" or \c, but not the \t of \textit
    r"\s*(?:\{\})?(?:\{\\?([A-Za-z])\}|\\([ij])(?![A-Za-z])|([A-Za-z]))"
)
_DANGLING_ACCENT_RE = re.compile(r"\\[\"'`^~=.](?:\{\})?")
_CONTROL_SPACE_RE = re.compile(r"\\(?=\s|$)")
_SYMBOL_RE = re.compile(r"\\([A-Za-z]+)\b *(\{\})?")
_ESCAPE_RE = re.compile(r"\\([&%$#_{} ,])")
_MACRO_ARG_RE = re.compile(r"(?:\\([A-Za-z]+)\*?\s*)?\{([^{}]*)\}")  # \\name{arg}, or a bare {group}
_SPACES_RE = re.compile(r"\s+")


# BibTeX's predefined month macros: `month = jun` means 6.
MONTH_MACROS = {
    name: str(number)
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1
    )
}
# The words for each month as reference lists write them, lower case: English (the macros, "sept", full
# names) first, then the French and German forms that differ from them.
_MONTH_WORDS = (
    (("jan", "january"), ("janvier", "januar")),
    (("feb", "february"), ("février", "februar")),
    (("mar", "march"), ("mars", "märz")),
    (("apr", "april"), ("avril",)),
    (("may",), ("mai",)),
    (("jun", "june"), ("juin", "juni")),
    (("jul", "july"), ("juillet", "juli")),
    (("aug", "august"), ("août",)),
    (("sep", "sept", "september"), ("septembre",)),
    (("oct", "october"), ("octobre", "oktober")),
    (("nov", "november"), ("novembre",)),
    (("dec", "december"), ("décembre", "dezember")),
)
MONTH_NAMES = frozenset(word for english, _ in _MONTH_WORDS for word in english)
# Every month word, English or not, with its number: "juin" → 6.
MONTH_NUMBERS = {
    word: number for number, (english, other) in enumerate(_MONTH_WORDS, start=1) for word in (*english, *other)
}


def _accent(match: re.Match[str]) -> str:
    letter = match.group(2) or match.group(3) or match.group(4)  # dotless \i and \j take it as i and j
    return unicodedata.normalize("NFC", letter + _ACCENTS[match.group(1)])


def _macro_argument(match: re.Match[str]) -> str:
    """`\\emph{x}` → x; an empty argument marks a word macro (`\\AmSTeX{}`), which keeps its name.
    A bare `{group}` gives its content, so macros around it can be matched next."""
    name, argument = match.groups()
    if "\\" in argument:  # macros inside the group end with it: {\\ss}ele is "ßele", not \\ssele
        argument = _SYMBOL_RE.sub(_symbol, argument)
    if name is None:
        return argument
    if name in _SORT_ONLY:
        return ""
    if name in _QUOTING:
        return f"“{argument}”"
    if not argument:
        return _SYMBOLS.get(name, name)
    return _SYMBOLS.get(name, "") + argument


def _symbol(match: re.Match[str]) -> str:
    name = match.group(1)
    return _SYMBOLS.get(name, name)


@lru_cache(maxsize=65536)
def latex_to_unicode(value: str) -> str:
    """Decode the LaTeX found in bibliography fields into plain Unicode text.

    Accents, special letters, escaped characters, dashes, ties and formatting macros (`\\emph{x}` → x) are
    handled; protective braces are removed; unknown macros keep their name ("\\TeX" → "TeX").
    """
    if "\\" not in value and "{" not in value and "-" not in value and "~" not in value:
        return _SPACES_RE.sub(" ", value).strip()
    text = value
    if "\\" in text:
        text = text.replace("\\\\", " ")  # a line break; read first, or its second backslash starts a macro
        text = _ACCENT_RE.sub(_accent, text)
        text = _DANGLING_ACCENT_RE.sub("", text)  # an accent with nothing to sit on (`\\'{}`) is dropped
        text = _ESCAPE_RE.sub(lambda m: _ESCAPED.get(m.group(1), m.group(1)), text)
        text = _CONTROL_SPACE_RE.sub(" ", text.replace("\\-", "").replace("\\/", ""))
        # Formatting macros with one argument: keep the argument, innermost first.
        previous = None
        while previous != text:
            previous = text
            text = _MACRO_ARG_RE.sub(_macro_argument, text)
        text = _SYMBOL_RE.sub(_symbol, text)
    text = text.replace("---", "—").replace("--", "–").replace("~", " ")
    text = text.replace("{", "").replace("}", "")
    text = text.translate(_LITERAL)
    text = text.replace("``", "“").replace("''", "”")
    return _SPACES_RE.sub(" ", text).strip()


def balanced_braces(text: str) -> bool:
    """Whether every `{` in the text is closed and no `}` closes more than was opened: BibTeX reads past
    the end of a value whose braces do not balance."""
    if text.count("{") != text.count("}"):
        return False
    depth = 0
    for match in _BRACE_RE.finditer(text):
        depth += 1 if match.group() == "{" else -1
        if depth < 0:
            return False
    return True


_BRACE_RE = re.compile(r"[{}]")


_LATEX_SPECIALS = {
    "&": r"\&",
    "%": r"\%",
    "#": r"\#",
    "_": r"\_",
    "$": r"\$",
    "~": r"\textasciitilde{}",
    "\\": r"\textbackslash{}",
}
_SPECIALS_RE = re.compile(r"[&%#_${}~\\]")
# BibTeX counts braces even when escaped: \{ and \} only keep a value readable when they pair up.
_PAIRED_BRACES = {"{": r"\{", "}": r"\}"}
_LONE_BRACES = {"{": r"\textbraceleft{}", "}": r"\textbraceright{}"}


@lru_cache(maxsize=1)
def _encoder():  # pragma: no cover - trivial factory
    from pylatexenc.latexencode import UnicodeToLatexEncoder

    return UnicodeToLatexEncoder(
        non_ascii_only=True,
        replacement_latex_protection="braces-all",
        unknown_char_policy="keep",
        unknown_char_warning=False,
    )


def unicode_to_latex(value: str) -> str:
    """Encode text for a BibTeX field that classic BibTeX (not only biber) reads correctly."""
    specials = {**_LATEX_SPECIALS, **(_PAIRED_BRACES if balanced_braces(value) else _LONE_BRACES)}
    text = _SPECIALS_RE.sub(lambda m: specials[m.group(0)], value)
    text = text.replace("—", "---").replace("–", "--")
    if text.isascii():
        return text
    return _encoder().unicode_to_latex(text)


_FOLD_TABLE = str.maketrans(
    {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i", "&": " and "}
)
_NON_WORD_RE = re.compile(r"[\W_]+", re.UNICODE)


@lru_cache(maxsize=65536)
def fold(value: str) -> str:
    """Lower-case ASCII-ish words for comparison: accents removed, ß→ss, markup and punctuation gone."""
    text = latex_to_unicode(value) if ("\\" in value or "{" in value) else value
    text = re.sub(r"<[^>]+>", " ", text)  # JATS / HTML tags in Crossref titles
    text = text.casefold()
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text.translate(_FOLD_TABLE))
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _NON_WORD_RE.sub(" ", text).strip()


def ascii_word(value: str) -> str:
    """A token safe for citation keys: folded to ASCII letters and digits only."""
    return re.sub(r"[^a-z0-9]", "", fold(value))


_DASHES_RE = re.compile(r"\s*(?:-{1,3}|[‐‑‒–—―−])\s*")
_PAGE_RANGE_RE = re.compile(r"^([A-Za-z]*)(\d+)([A-Za-z]*)–([A-Za-z]*)(\d+)([A-Za-z]*)$")


def normalize_pages(value: str) -> str:
    """Write a page range with an en dash: "2408--2417" and "2408 - 2417" become "2408–2417"."""
    return _DASHES_RE.sub("–", value.strip())


def expand_pages(value: str) -> str:
    """Expand abbreviated ranges ("2408-17" → "2408–2417"); leave anything else normalised as is."""
    pages = normalize_pages(value)
    match = _PAGE_RANGE_RE.match(pages)
    if not match:
        return pages
    prefix, first, suffix, prefix2, last, suffix2 = match.groups()
    if len(last) < len(first) and not prefix2:
        last = first[: len(first) - len(last)] + last
        prefix2 = prefix
    return f"{prefix}{first}{suffix}–{prefix2}{last}{suffix2}"


def page_bounds(value: str) -> tuple[str, str]:
    """First and last page of a (normalised, expanded) range; a single page gives it twice."""
    pages = expand_pages(value)
    first, _, last = pages.partition("–")
    return first, (last or first)


def unbrace(value: str) -> str:
    """The value without grouping braces. Exporters wrap whole values in a second pair (Web of Science and
    Zotero write `doi = {{10.1111/x}}`, `isbn = {{069107156X}}`) or protect parts (`1474-{760X}`); in an
    identifier, a year or a page range braces carry no meaning, so the rules read what is inside."""
    return value.replace("{", "").replace("}", "").strip() if "{" in value or "}" in value else value.strip()


# doi.org and its older names, and the resolvers ACM, IEEE Computer Society and Wiley ran under their own hosts
_DOI_PREFIX_RE = re.compile(
    r"^(?:(?:https?://)?(?:dx\.|www\.)?(?:doi\.org|doi\.acm\.org|doi\.ieeecomputersociety\.org|doi\.wiley\.com)/"
    r"|doi:\s*|urn:doi:)",
    re.IGNORECASE,
)


@lru_cache(maxsize=65536)
def normalize_doi(value: str) -> str:
    """The bare DOI in lower case ("https://doi.org/10.1/X" → "10.1/x"); DOIs are case-insensitive. An
    underscore escaped for LaTeX (`…-8\\_13`, as some exporters write it) is a plain underscore, and
    braces around it (`{{10.1/x}}`) are only BibTeX's."""
    value = unbrace(value)
    return _DOI_PREFIX_RE.sub("", value.strip()).strip().rstrip(".").replace("\\_", "_").lower()


# An arXiv identifier: new style (2007 on, 2104.12255) or old style (archive[.SUBJECT]/number, hep-th/9901001,
# math.AG/0309136), each with an optional version. Bounded repeats: linear on any text.
ARXIV_ID = r"\d{4}\.\d{4,5}(?:v\d+)?|[a-z][a-z\-]{1,19}(?:\.[A-Z]{2})?/\d{7}(?:v\d+)?"

# What outside data (records, documents, file names) must not bring into a report: C0 controls (ESC starts
# terminal sequences, BEL, NUL, CR and LF forge lines), DEL and C1 controls (8-bit CSI and OSC), the bidi
# controls that reorder what a reader sees (Trojan Source), Unicode line separators, and what is no text at
# all and fails the UTF-8 writer or an XML parser (lone surrogates, U+FFFE, U+FFFF).
_CONTROLS = "\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff"


@lru_cache(maxsize=8)
def _controls_re(keep: str) -> re.Pattern[str]:
    kept = "".join(f"\\x{ord(char):02x}" for char in keep)
    return re.compile(f"(?![{kept}])[{_CONTROLS}]" if kept else f"[{_CONTROLS}]")


def escape_controls(text: str, keep: str = "\t") -> str:
    """The text with every control character written as a visible `\\uXXXX` escape, so that printing
    outside data cannot clear a terminal, set its title, ring its bell, forge report lines or reorder them.
    `keep` lists the (C0) characters the caller's format needs itself: a writer that escapes a whole JSON or
    XML document keeps its line breaks. The escapes are valid JSON string escapes, so JSON stays JSON."""
    if text.isprintable():
        return text
    return _controls_re(keep).sub(lambda match: f"\\u{ord(match.group()):04x}", text)
