"""Reference strings parsed per second on one core, by `refkit extract`'s parser and by refextract.

    python benchmarks/extract_speed.py [--repeat N] [--no-peer]

Strings: the tagged real reference strings of ../shared/data/tagged-refs (all 5,184; AnyStyle gold and
GROBID/CORA), or, without ../shared, the ten APA strings of a built-in list. Times are CPU seconds of this
process (time.process_time), so other load on the machine does not count; the wall-clock figure is printed
too. The word-feature cache is cleared before every timed pass, so each pays for its features as a cold run
would (words repeated across strings are computed once, as in a real run).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable

from tagged_refs import real_refs

from refkit.extract import extract_references, parse_reference
from refkit.extract.features import _word

FALLBACK = [
    "Abara, T., & Brunn, K. (2015). Sand budgets of gravel beaches. Coastal Science, 4(2), 10-20.",
    "Lindqvist K, Aho M. Sediment grain size and organic carbon in eelgrass beds. Mar Ecol Prog Ser. 2019;612:37-49.",
    "A. Kowalczyk and B. Tanaka, “Low-latency scheduling,” IEEE Trans. Parallel Distrib. Syst., vol. 33, no. 7, "
    "pp. 1654–1667, Jul. 2022.",
    "Ferreira, Lucas. “The Afterlife of Colonial Maps.” Imago Mundi 71, no. 2 (2019): 160–75.",
    "Brandt, J. K., Osei, A. & Lindgren, M. Coherent control of a nuclear spin ensemble. Nature 598, 451–455 (2021).",
]


def _clear_caches() -> None:
    _word.cache_clear()


def measure(function: Callable[[str], object], items: list[str], repeat: int) -> tuple[float, float]:
    """Best-of-`repeat` (cpu seconds, wall seconds) for calling `function` on every item."""
    best_cpu = best_wall = float("inf")
    for _ in range(repeat):
        _clear_caches()
        cpu, wall = time.process_time(), time.perf_counter()
        for item in items:
            function(item)
        best_cpu = min(best_cpu, time.process_time() - cpu)
        best_wall = min(best_wall, time.perf_counter() - wall)
    return best_cpu, best_wall


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-peer", action="store_true", help="skip refextract")
    parser.add_argument("--peer-sample", type=int, default=300, help="strings given to refextract (it is slow)")
    args = parser.parse_args()
    strings = [ref.text for ref in real_refs()] or FALLBACK * 200
    parse_reference(strings[0])  # load the model
    cpu, wall = measure(parse_reference, strings, args.repeat)
    print(
        f"refkit parse_reference: {len(strings)} strings, {len(strings) / cpu:,.0f} refs/s on one core "
        f"(CPU {cpu:.2f} s, wall {wall:.2f} s, mean {sum(map(len, strings)) / len(strings):.0f} chars)"
    )
    listing = "References\n" + " ".join(f"[{n}] {text}" for n, text in enumerate(strings, start=1))
    cpu, wall = measure(extract_references, [listing], args.repeat)
    print(
        f"refkit extract_references on one {len(listing) / 1e6:.2f} MB line of {len(strings)} numbered "
        f"references: CPU {cpu:.2f} s ({len(strings) / cpu:,.0f} refs/s), wall {wall:.2f} s"
    )
    if args.no_peer:
        return 0
    try:
        from refextract import extract_references_from_string
    except Exception as error:  # the peer is optional
        print(f"refextract: cannot be imported ({type(error).__name__}: {error})")
        return 0
    sample = strings[: args.peer_sample]
    extract_references_from_string(sample[0], is_only_references=True)  # load its knowledge bases
    cpu, _ = measure(lambda text: extract_references_from_string(text, is_only_references=True), sample, 1)
    ours, _ = measure(parse_reference, sample, args.repeat)
    print(
        f"refextract: {len(sample) / cpu:,.0f} refs/s on the first {len(sample)} strings "
        f"(refkit on the same: {len(sample) / ours:,.0f} refs/s, {cpu / ours:.0f}× faster)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
