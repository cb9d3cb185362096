"""Build cache/crossref-snapshot.jsonl, the offline Crossref snapshot for the sample references.bib.

These machines cannot reach Crossref, so the snapshot is made from the bibliographic facts collected in
../shared/samples/imatinib-works.json: each work becomes a Crossref-schema `message` (the shape the REST API
returns under /works/{doi}), its condensed abstract wrapped in JATS the way Crossref delivers abstracts.

    python cache/build_snapshot.py [--works PATH] [--out PATH]
"""

from __future__ import annotations

import argparse
import html
import json
from pathlib import Path
from typing import Any

from refkit.files import write_atomic

HERE = Path(__file__).resolve().parent
DEFAULT_WORKS = HERE.parent.parent / "shared" / "samples" / "imatinib-works.json"
DEFAULT_OUT = HERE / "crossref-snapshot.jsonl"


def to_message(work: dict[str, Any]) -> dict[str, Any]:
    """One collected work → a Crossref `message` (only fields the facts support; nothing invented)."""
    authors = [
        {
            "given": person.get("given", ""),
            "family": person["family"],
            "sequence": "first" if index == 0 else "additional",
            "affiliation": [],
        }
        for index, person in enumerate(work.get("authors", []))
    ]
    message: dict[str, Any] = {
        "DOI": work["doi"],
        "type": work.get("type", "journal-article"),
        "title": [work["title"]],
        "author": authors,
        "container-title": [work["container_title"]] if work.get("container_title") else [],
        "short-container-title": [work["short_container_title"]] if work.get("short_container_title") else [],
        "issued": {"date-parts": [[work["year"]]]},
        "published": {"date-parts": [[work["year"]]]},
        "volume": work.get("volume") or None,
        "issue": work.get("issue") or None,
        "page": work.get("pages") or None,
        "URL": f"https://doi.org/{work['doi'].lower()}",
        "source": "refkit sample snapshot (built from shared/samples/imatinib-works.json)",
    }
    if work.get("abstract"):
        message["abstract"] = f"<jats:p>{html.escape(work['abstract'], quote=False)}</jats:p>"
    return {name: value for name, value in message.items() if value not in (None, [])}


def build(works_path: Path, out: Path) -> int:
    works = json.loads(works_path.read_text(encoding="utf-8"))["works"]
    lines = [json.dumps(to_message(work), ensure_ascii=False, sort_keys=True) for work in works]
    write_atomic(out, "\n".join(lines) + "\n")
    return len(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--works", type=Path, default=DEFAULT_WORKS)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    count = build(args.works, args.out)
    print(f"wrote {count} records to {args.out}")


if __name__ == "__main__":
    main()
