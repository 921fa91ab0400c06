"""Pure metric functions for label suggestions: precision@k, F1, NDCG@k, per-label P/R."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

# Conventions: `truth` and `predicted` are 0/1 matrices (documents x labels); `scores` is a float
# matrix of the same shape. Ranking ties are broken by label order (stable sort), so results are
# deterministic.

Matrix = NDArray[np.floating] | NDArray[np.integer] | NDArray[np.bool_]


def _ranking(scores: Matrix) -> NDArray[np.intp]:
    """Label indices of each row, best first (stable)."""
    return np.argsort(-np.asarray(scores, dtype=float), axis=1, kind="stable")


def _with_labels(truth: Matrix) -> NDArray[np.bool_]:
    return np.asarray(truth).sum(axis=1) > 0


def _hits_at_k(truth: Matrix, scores: Matrix,
               k: int) -> tuple[NDArray[np.int_], NDArray[np.int_]] | None:
    """Per document with a true label: how many of its top `k` labels are true, and how many
    true labels it has; None when no document has one or `k` < 1."""
    truth = np.asarray(truth, dtype=bool)
    rows = _with_labels(truth)
    if not rows.any() or k < 1:
        return None
    top = _ranking(scores)[rows, :k]
    hits = np.take_along_axis(truth[rows], top, axis=1).sum(axis=1)
    return hits, truth[rows].sum(axis=1)


def precision_at_k(truth: Matrix, scores: Matrix, k: int) -> float:
    """Mean share of the top `k` labels that are true, over documents with a true label.

    Returns:
        A value in [0, 1]; 0.0 when no document has a true label.
    """
    found = _hits_at_k(truth, scores, k)
    return 0.0 if found is None else float(np.mean(found[0] / k))


def predict(scores: Matrix, threshold: float, limit: int) -> NDArray[np.bool_]:
    """The labels kept: at most `limit` per row, best first, each scoring at least `threshold`."""
    scores = np.asarray(scores, dtype=float)
    kept = np.zeros(scores.shape, dtype=bool)
    if limit < 1 or scores.size == 0:
        return kept
    top = _ranking(scores)[:, :limit]
    np.put_along_axis(kept, top, True, axis=1)
    return kept & (scores >= threshold)


def _counts(truth: Matrix, predicted: Matrix) -> tuple[NDArray[np.int_], ...]:
    t = np.asarray(truth, dtype=bool)
    p = np.asarray(predicted, dtype=bool)
    tp = (t & p).sum(axis=0)
    return tp, (p & ~t).sum(axis=0), (t & ~p).sum(axis=0)


def _f1(tp: float, fp: float, fn: float) -> float:
    return 0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn)


def micro_f1(truth: Matrix, predicted: Matrix) -> float:
    """F1 over all (document, label) decisions pooled."""
    tp, fp, fn = (float(c.sum()) for c in _counts(truth, predicted))
    return _f1(tp, fp, fn)


def macro_f1(truth: Matrix, predicted: Matrix, labels: NDArray[np.bool_] | None = None) -> float:
    """Mean of per-label F1, over the labels that are true or predicted at least once.

    Args:
        truth: 0/1 matrix of true labels.
        predicted: 0/1 matrix of predicted labels.
        labels: optional mask of the labels to average over instead.
    """
    tp, fp, fn = _counts(truth, predicted)
    mask = (tp + fp + fn) > 0 if labels is None else np.asarray(labels, dtype=bool)
    if not mask.any():
        return 0.0
    return float(np.mean([_f1(*c) for c in zip(tp[mask], fp[mask], fn[mask], strict=True)]))


def ndcg_at_k(truth: Matrix, scores: Matrix, k: int) -> float:
    """Normalised discounted cumulative gain of the top `k`, binary relevance, mean over
    documents with a true label."""
    truth = np.asarray(truth, dtype=bool)
    rows = _with_labels(truth)
    if not rows.any() or k < 1:
        return 0.0
    discounts = 1.0 / np.log2(np.arange(2, k + 2))
    top = _ranking(scores)[rows, :k]
    gains = np.take_along_axis(truth[rows], top, axis=1).astype(float)
    dcg = (gains * discounts[: gains.shape[1]]).sum(axis=1)
    ideal_n = np.minimum(truth[rows].sum(axis=1), k)
    idcg = np.array([discounts[:n].sum() for n in ideal_n])
    return float(np.mean(dcg / idcg))


def per_label(truth: Matrix, predicted: Matrix) -> list[dict[str, float | int]]:
    """Per label: support (true count), predicted count, precision, recall, F1.

    Precision is 0.0 for a label never predicted, recall 0.0 for a label never true.
    """
    tp, fp, fn = _counts(truth, predicted)
    rows: list[dict[str, float | int]] = []
    for t, f_p, f_n in zip(tp.tolist(), fp.tolist(), fn.tolist(), strict=True):
        rows.append({"support": t + f_n, "predicted": t + f_p,
                     "precision": t / (t + f_p) if t + f_p else 0.0,
                     "recall": t / (t + f_n) if t + f_n else 0.0,
                     "f1": _f1(t, f_p, f_n)})
    return rows


def recall_at_k(truth: Matrix, scores: Matrix, k: int) -> float:
    """Mean share of each document's true labels found in its top `k`, over documents with a
    true label."""
    found = _hits_at_k(truth, scores, k)
    return 0.0 if found is None else float(np.mean(found[0] / found[1]))


def accuracy(truth: list[int], predicted: list[int]) -> float:
    """Share of single-label decisions that are right (0.0 for no decision)."""
    if not truth:
        return 0.0
    return float(np.mean(np.asarray(truth) == np.asarray(predicted)))


def summary(truth: Matrix, scores: Matrix, predicted: Matrix) -> dict[str, float]:
    """The headline metrics of one system (Annif's): P@1, P@3, P@5, R@5, micro and macro F1,
    NDCG@5."""
    return {"precision@1": precision_at_k(truth, scores, 1),
            "precision@3": precision_at_k(truth, scores, 3),
            "precision@5": precision_at_k(truth, scores, 5),
            "recall@5": recall_at_k(truth, scores, 5),
            "micro_f1": micro_f1(truth, predicted),
            "macro_f1": macro_f1(truth, predicted),
            "ndcg@5": ndcg_at_k(truth, scores, 5)}


HEADLINE = ("precision@1", "precision@3", "precision@5", "recall@5", "micro_f1", "macro_f1",
            "ndcg@5")


def format_report(result: dict) -> str:
    """The plain-text tables of a `crossval.cross_evaluate` result."""
    systems = list(result["keywords"])
    lines = [f"Keywords: {result['fiches']} distinct tagged fiches, cross-validation: "
             f"{result['folds']} (nested: each system tunes itself on its training folds)", ""]
    lines.append(f"{'system':<18}" + "".join(f"{h:>13}" for h in HEADLINE))
    for name in systems:
        row = result["keywords"][name]
        lines.append(f"{name:<18}" + "".join(f"{row[h]:>13.3f}" for h in HEADLINE))
    lines += ["", "Per label (support; precision / recall):",
              f"{'label':<46}{'n':>4}" + "".join(f"{s[:16]:>18}" for s in systems)]
    for j, label in enumerate(result["labels"]):
        cells = [result["keywords"][s]["per_label"][j] for s in systems]
        lines.append(f"{label[:45]:<46}{cells[0]['support']:>4}"
                     + "".join(f"{c['precision']:>10.2f} / {c['recall']:.2f}" for c in cells))
    lines += _format_dimension(result.get("dimension") or {})
    lines += _format_curve(result.get("learning_curve") or [])
    return "\n".join(lines)


def _format_dimension(dim: dict) -> list[str]:
    if not dim:
        return []
    systems = [s for s in dim if isinstance(dim[s], dict)]
    lines = ["", f"Dimension: {dim['fiches']} fiches", f"{'system':<18}{'accuracy':>13}"
             f"{'macro_f1':>13}"]
    for name in systems:
        lines.append(f"{name:<18}{dim[name]['accuracy']:>13.3f}{dim[name]['macro_f1']:>13.3f}")
    lines += ["", "Per dimension (support; precision / recall):",
              f"{'dimension':<30}{'n':>4}" + "".join(f"{s[:16]:>18}" for s in systems)]
    for j, label in enumerate(dim["labels"]):
        cells = [dim[s]["per_label"][j] for s in systems]
        lines.append(f"{label[:29]:<30}{cells[0]['support']:>4}"
                     + "".join(f"{c['precision']:>10.2f} / {c['recall']:.2f}" for c in cells))
    return lines


def _format_curve(curve: list) -> list[str]:
    if not curve:
        return []
    lines = ["", "Learning curve (5 folds; the tagger trained on part of each training fold):",
             f"{'trained on':<12}{'micro_f1':>10}{'P@1':>8}{'dimension':>11}"]
    for row in curve:
        acc = row["dimension_accuracy"]
        lines.append(f"{row['trained_on']!s:<12}{row['micro_f1']:>10.3f}"
                     f"{row['precision@1']:>8.3f}" + (f"{acc:>11.3f}" if acc is not None
                                                      else f"{'-':>11}"))
    return lines
