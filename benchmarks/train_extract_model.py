"""Train the reference-string tagger shipped as refkit/extract/reference.crfsuite.

    python benchmarks/train_extract_model.py [--output PATH]

Trains on the 80% of the tagged strings that `TaggedRef.held_out` does not set aside (real strings from
../shared/data/tagged-refs, plus real Crossref records rendered in each supported style); the accuracy
benchmark reports on the held-out 20% only. Needs ../shared; prints the sizes and the training time.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pycrfsuite
from styled_refs import styled_refs
from tagged_refs import TaggedRef, real_refs

from refkit.extract.features import sequence_features
from refkit.extract.tagger import LABELS, MODEL_FILE, prepare

MODEL_PATH = Path(__file__).resolve().parents[1] / "refkit" / "extract" / MODEL_FILE


def token_labels(ref: TaggedRef) -> tuple[list[list[str]], list[str]]:
    """Features and gold labels of the tokens the tagger sees (identifiers removed as at run time)."""
    prepared = prepare(ref.text)
    labels = []
    for start, end in prepared.spans:
        token = ref.text[start:end]
        offset = next((i for i, ch in enumerate(token) if ch.isalnum()), 0)
        labels.append(ref.labels[start + offset])
    return sequence_features(ref.text, prepared.spans), labels


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=MODEL_PATH)
    parser.add_argument("--iterations", type=int, default=150)
    args = parser.parse_args()
    refs = real_refs()
    if not refs:
        print("../shared/data/tagged-refs is absent: nothing to train on")
        return 1
    refs += styled_refs()
    training = [ref for ref in refs if not ref.held_out]
    trainer = pycrfsuite.Trainer(verbose=False)
    for ref in training:
        features, labels = token_labels(ref)
        unknown = set(labels) - set(LABELS)
        if unknown:
            raise SystemExit(f"labels outside refkit.extract.tagger.LABELS: {sorted(unknown)} in {ref.text!r}")
        if labels:
            trainer.append(features, labels)
    trainer.set_params(
        {"c1": 0.05, "c2": 0.01, "max_iterations": args.iterations, "feature.possible_transitions": True}
    )
    started = time.perf_counter()
    trainer.train(str(args.output))
    print(
        f"trained on {len(training)} strings ({len(refs) - len(training)} held out) in "
        f"{time.perf_counter() - started:.1f} s → {args.output} ({args.output.stat().st_size // 1024} KB)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
