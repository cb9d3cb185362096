"""Build the test PDFs of this folder with TeX Live (pdflatex, bibtex) and write their gold lists.

    cd tests/data/pdf && python make.py [NAME ...]

Each document cites the entries of maize.bib (RILAB/beissinger_ms `Reference.bib`, CC-BY-4.0; see
tests/data/SOURCES.md) in a text written for these tests. superscript-cite: cite.sty's superscript numbers
(`\\usepackage[super]{cite}`, unsrt), one column, markers after the full stop; superscript-natbib: natbib's
superscripts with compressed ranges (`super,sort&compress`, unsrtnat), two columns, markers before it;
two-column: bracketed numbers (plain.bst, alphabetical), two columns; line-numbers: bracketed numbers (unsrt),
two columns, lineno's numbers in the outer margins and a footnote (a raised number) in each paragraph. All have
a running header with the page number. `NAME.gold.json` holds the list in printed order (from the .bbl), each
entry's fields from the .bib, and the cited keys (from the .aux).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))

from refkit.bib import load_bibliography  # noqa: E402
from refkit.text import latex_to_unicode  # noqa: E402

KEYS = [
    "purugganan2009", "ross2007", "hufford2012", "chia2012", "schnable2009", "gutenkunst2009", "korneliussen2014",
    "R2014", "durinck2009", "durinck2005", "mclaren2010", "hernandez2011", "sattath2011", "charlesworth1993",
    "fu1993", "he2011", "luikart2003", "li2012", "sella2009", "slotte2014", "gazave2014", "elshire2011",
    "beissinger2013",
]  # fmt: skip
SENTENCES = [
    "Domestication reshaped the genomes of crop plants over a few thousand generations, and maize is among the "
    "best studied examples",
    "Selective sweeps leave a characteristic footprint of reduced diversity around the selected site",
    "Population size changes during domestication complicate the interpretation of such signals",
    "Genotyping by sequencing made it affordable to survey thousands of individuals at many loci",
    "Simulation under demographic models calibrates how often neutral processes mimic selection",
    "Background selection removes linked neutral variation and lowers diversity across whole chromosomal regions",
    "Annotation resources connect candidate regions with the genes and pathways they contain",
    "Comparisons among landraces and improved lines reveal where breeding narrowed the available variation",
    "Statistical tests based on the site frequency spectrum detect departures from neutral expectations",
    "Hitchhiking of linked variants extends the effect of a single favourable mutation over large distances",
    "Effective population size determines the efficiency of selection relative to genetic drift",
    "Reference genomes anchor the resequencing data on which these analyses depend",
]
PREAMBLE = r"""\pdfobjcompresslevel=2
\pdfcompresslevel=9
\documentclass[%s]{article}
%s
\makeatletter
\def\@oddhead{\rmfamily Signals of selection in maize (a test document)\hfil\thepage}
\let\@evenhead\@oddhead
\let\@oddfoot\@empty
\let\@evenfoot\@empty
\makeatother
\begin{document}
\begin{center}\textbf{\Large %s}\end{center}
"""


NOTE = r"\footnote{{A remark of note {number} set at the foot of the page, as authors add them.}}"


def body(pattern: str, paragraphs: int, start: int, notes: bool = False) -> str:
    """Paragraphs of sentences, each citing one key or (every third) a run of three; with `notes`, the first
    sentence of each paragraph has a footnote."""
    out, number = [], start
    for paragraph in range(paragraphs):
        sentences = []
        for index in range(4):
            sentence = SENTENCES[(paragraph * 4 + index + start) % len(SENTENCES)]
            keys = [KEYS[(number + offset) % len(KEYS)] for offset in range(3 if number % 3 == 0 else 1)]
            note = NOTE.format(number=paragraph + start) if notes and index == 0 else ""
            sentences.append(pattern.format(sentence=sentence, keys=",".join(keys)) + note)
            number += 1
        out.append(" ".join(sentences))
    return "\n\n".join(out)


def document(options: str, packages: str, title: str, style: str, pattern: str, notes: bool = False) -> str:
    return (
        PREAMBLE % (options, packages, title)
        + "\\section{Introduction}\n"
        + body(pattern, 3, 0, notes)
        + "\n\n\\section{Results and discussion}\n"
        + body(pattern, 3, 12, notes)
        + f"\n\n\\bibliographystyle{{{style}}}\n\\bibliography{{maize}}\n\\end{{document}}\n"
    )


DOCUMENTS = {
    "superscript-cite": document(
        "11pt", r"\usepackage[super]{cite}", "Signals of selection during maize domestication", "unsrt",
        r"{sentence}.\cite{{{keys}}}",
    ),
    "superscript-natbib": document(
        "10pt,twocolumn", r"\usepackage[super,sort&compress]{natbib}", "Demography and selection in a grass",
        "unsrtnat", r"{sentence}\cite{{{keys}}}.",
    ),
    "two-column": document(
        "10pt,twocolumn", "", "Selective sweeps and background selection in maize", "plain",
        r"{sentence}~\cite{{{keys}}}.",
    ),
    "line-numbers": document(
        "10pt,twocolumn", r"\usepackage[switch]{lineno}\linenumbers", "Footnotes and line numbers beside a maize study",
        "unsrt", r"{sentence}~\cite{{{keys}}}.", notes=True,
    ),
}  # fmt: skip


def gold(name: str) -> dict:
    entries = {entry.key: entry for entry in load_bibliography(HERE / "maize.bib").entries}
    order = re.findall(r"\\bibitem(?:\[[^\]]*\])?\{([^}]+)\}", (HERE / f"{name}.bbl").read_text(encoding="utf-8"))
    cited = re.findall(r"\\citation\{([^}]+)\}", (HERE / f"{name}.aux").read_text(encoding="utf-8"))
    references = []
    for number, key in enumerate(order, 1):
        fields = {k: latex_to_unicode(v) for k, v in entries[key].fields.items()}
        authors = [name.strip() for name in fields.get("author", "").split(" and ") if name.strip() != "others"]
        references.append({
            "n": number, "key": key, "type": entries[key].entry_type, "authors": authors,
            "title": fields.get("title"), "container": fields.get("journal") or fields.get("booktitle"),
            "year": fields.get("year"), "volume": fields.get("volume"), "issue": fields.get("number"),
            "pages": fields.get("pages"), "doi": fields.get("doi"),
        })  # fmt: skip
    keys = list(dict.fromkeys(key for group in cited for key in group.split(",")))
    return {"pdf": f"{name}.pdf", "references": references, "cited": keys}


def main() -> None:
    for name, text in DOCUMENTS.items():
        if sys.argv[1:] and name not in sys.argv[1:]:
            continue
        (HERE / f"{name}.tex").write_text(text, encoding="utf-8")
        for command in (["pdflatex"], ["bibtex"], ["pdflatex"], ["pdflatex"]):
            arguments = [*command, "-interaction=nonstopmode", name] if command[0] == "pdflatex" else [*command, name]
            subprocess.run(arguments, cwd=HERE, check=True, capture_output=True)
        (HERE / f"{name}.gold.json").write_text(json.dumps(gold(name), indent=1) + "\n", encoding="utf-8")
        for suffix in (".aux", ".bbl", ".blg", ".log"):
            (HERE / f"{name}{suffix}").unlink(missing_ok=True)
        print(name, (HERE / f"{name}.pdf").stat().st_size, "bytes")


if __name__ == "__main__":
    main()
