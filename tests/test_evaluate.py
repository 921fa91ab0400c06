"""Tests of the metric functions on hand-computed cases."""

import numpy as np
import pytest

from pipeline.tagging import metrics as ev

TRUTH = np.array([[1, 0, 1, 0], [0, 1, 0, 0], [0, 0, 0, 0]])
SCORES = np.array([[0.9, 0.8, 0.1, 0.0], [0.2, 0.1, 0.3, 0.9], [0.5, 0.4, 0.3, 0.2]])


def test_precision_at_k_skips_rows_without_labels():
    assert ev.precision_at_k(TRUTH, SCORES, 1) == pytest.approx(0.5)
    assert ev.precision_at_k(TRUTH, SCORES, 3) == pytest.approx((2 / 3 + 0) / 2)


def test_recall_at_k_is_the_share_of_each_fiche_s_labels_found():
    assert ev.recall_at_k(TRUTH, SCORES, 1) == pytest.approx((1 / 2 + 0) / 2)
    assert ev.recall_at_k(TRUTH, SCORES, 3) == pytest.approx((1 + 0) / 2)
    assert ev.recall_at_k(TRUTH, SCORES, 4) == pytest.approx(1.0)
    assert ev.recall_at_k(TRUTH, SCORES, 0) == 0.0
    assert ev.recall_at_k(np.zeros((2, 4)), SCORES[:2], 3) == 0.0


def test_predict_threshold_and_limit():
    kept = ev.predict(SCORES, threshold=0.5, limit=1)
    assert kept.tolist() == [[True, False, False, False], [False, False, False, True],
                             [True, False, False, False]]
    assert not ev.predict(SCORES, 0.5, 0).any()


def test_micro_and_macro_f1():
    predicted = np.array([[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 0, 0]])
    assert ev.micro_f1(TRUTH, predicted) == pytest.approx(2 * 2 / (2 * 2 + 0 + 1))
    # labels 0, 1 perfect, label 2 missed; label 3 never true nor predicted: not averaged
    assert ev.macro_f1(TRUTH, predicted) == pytest.approx(2 / 3)
    assert ev.micro_f1(TRUTH, np.zeros_like(TRUTH)) == 0.0


def test_ndcg_perfect_and_worst():
    assert ev.ndcg_at_k(TRUTH, TRUTH.astype(float), 5) == pytest.approx(1.0)
    assert ev.ndcg_at_k(np.array([[0, 1]]), np.array([[1.0, 0.0]]), 1) == 0.0
    assert 0 < ev.ndcg_at_k(TRUTH, SCORES, 5) < 1


def test_per_label_and_accuracy():
    rows = ev.per_label(TRUTH, ev.predict(SCORES, 0.5, 2))
    assert rows[0] == {"support": 1, "predicted": 2, "precision": 0.5, "recall": 1.0,
                       "f1": pytest.approx(2 / 3)}
    assert rows[2]["recall"] == 0.0 and rows[2]["precision"] == 0.0
    assert ev.accuracy([0, 1, 2], [0, 1, 1]) == pytest.approx(2 / 3)
    assert ev.accuracy([], []) == 0.0
