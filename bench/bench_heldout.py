"""Measures the tagger on an unseen catalogue: train on one, suggest for the other, score.

    python bench/bench_heldout.py TRAIN.txt HELDOUT.txt [--model DIR]

Trains with `fiches train` (as an operator would), strips the held-out fiches of their keywords
and dimension, asks `load_suggester` for suggestions and prints keyword micro-F1 (the model's own
threshold and limit), P@1 and P@3 (full ranking) and dimension accuracy against the training
set's majority class. Only the public surface is used, so the same script measures any version
of the tagger. Used to measure, never to tune.
"""

from __future__ import annotations

import argparse
import dataclasses
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The project root, not bench/ (whose catalogue.py would shadow spaCy's `catalogue`).
sys.path[0] = str(ROOT)


def _fold(label: str) -> str:
    from pipeline.tagging.text import fold

    return fold(label).strip()


def measure(train: Path, heldout: Path, model: Path) -> dict[str, float]:
    """Scores of the model in `model` on `heldout`; trains it from `train` first if absent."""
    from pipeline.reading.parse import read_fiches
    from pipeline.running.stages import Settings, load_suggester

    if not (model / "card.json").exists():
        subprocess.run([sys.executable, "-m", "pipeline", "train", str(train), "--out",
                        str(model)], check=True, cwd=ROOT)
    fiches = [f for f in read_fiches(str(heldout)) if f.duplicate_of is None]
    bare = [dataclasses.replace(f, keywords=[], dimension=None) for f in fiches]
    chosen = load_suggester(Settings(model=model)).suggest_records(bare)
    ranked = load_suggester(Settings(model=model, threshold=0.0, limit=50)).suggest_records(bare)
    tp = fp = fn = 0
    p1: list[float] = []
    p3: list[float] = []
    for fiche, sug, full in zip(fiches, chosen, ranked, strict=True):
        truth = {_fold(k) for k in fiche.keywords}
        if not truth:
            continue
        got = {_fold(k["label"]) for k in sug["keywords"]}
        tp, fp, fn = tp + len(got & truth), fp + len(got - truth), fn + len(truth - got)
        order = [_fold(k["label"]) for k in full["keywords"]]
        p1.append(float(order[:1] != [] and order[0] in truth))
        p3.append(sum(o in truth for o in order[:3]) / 3)
    train_dims = Counter(_fold(f.dimension) for f in read_fiches(str(train))
                         if f.dimension and f.duplicate_of is None)
    majority = train_dims.most_common(1)[0][0]
    dims = [(f, s) for f, s in zip(fiches, ranked, strict=True) if f.dimension]
    right = sum(s["dimension"] is not None and _fold(s["dimension"]["label"]) == _fold(f.dimension)
                for f, s in dims)
    return {"fiches_with_keywords": len(p1), "micro_f1": 2 * tp / max(2 * tp + fp + fn, 1),
            "precision@1": sum(p1) / max(len(p1), 1), "precision@3": sum(p3) / max(len(p3), 1),
            "fiches_with_dimension": len(dims),
            "dimension_accuracy": right / max(len(dims), 1),
            "majority_class_accuracy": sum(_fold(f.dimension) == majority for f, _ in dims)
            / max(len(dims), 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("train", type=Path)
    parser.add_argument("heldout", type=Path)
    parser.add_argument("--model", type=Path, help="model folder (trained there if absent)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        model = args.model or Path(tmp) / "tagger"
        for name, value in measure(args.train, args.heldout, model).items():
            print(f"{name:<26}{value:.3f}" if isinstance(value, float) else f"{name:<26}{value}")


if __name__ == "__main__":
    main()
