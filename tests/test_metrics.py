"""helpers.metrics: hand-computed values and bad input."""

from __future__ import annotations

import pytest
import torch

from helpers.metrics import average_precision, confusion_matrix, per_class_recall, precision_recall


def test_confusion_matrix_counts_true_rows_and_predicted_columns():
    targets = torch.tensor([0, 0, 1, 2, 2, 2])
    preds = torch.tensor([0, 1, 1, 2, 0, 2])
    assert confusion_matrix(preds, targets, 3).tolist() == [[1, 1, 0], [0, 1, 0], [1, 0, 2]]


def test_per_class_recall_is_diagonal_over_row_sums():
    targets = torch.tensor([0, 0, 1, 2, 2, 2])
    preds = torch.tensor([0, 1, 1, 2, 0, 2])
    assert per_class_recall(preds, targets, 3).tolist() == pytest.approx([0.5, 1.0, 2 / 3])


def test_precision_recall_of_the_positive_class():
    targets = torch.tensor([1, 1, 1, 0, 0, 0, 0])
    preds = torch.tensor([1, 0, 0, 1, 0, 0, 0])
    assert precision_recall(preds, targets) == pytest.approx((0.5, 1 / 3))


def test_precision_is_zero_when_nothing_is_predicted_positive():
    assert precision_recall(torch.zeros(4, dtype=torch.int64), torch.tensor([1, 0, 0, 0])) == (0.0, 0.0)


def test_average_precision_matches_a_hand_computed_example():
    # ranking: 1 (pos), 0.8 (neg), 0.6 (pos), 0.2 (neg) -> AP = 1/2 * 1 + 1/2 * 2/3
    scores = torch.tensor([0.2, 0.6, 1.0, 0.8])
    targets = torch.tensor([0, 1, 1, 0])
    assert average_precision(scores, targets) == pytest.approx(0.5 + 1 / 3)


def test_average_precision_is_one_for_a_perfect_ranking_and_invariant_to_monotone_maps():
    scores = torch.tensor([-3.0, 2.0, 0.5, 4.0])
    targets = torch.tensor([0, 1, 0, 1])
    assert average_precision(scores, targets) == 1.0
    assert average_precision(torch.sigmoid(scores), targets) == 1.0


def test_average_precision_treats_ties_as_one_threshold():
    assert average_precision(torch.zeros(4), torch.tensor([1, 0, 0, 1])) == pytest.approx(0.5)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: confusion_matrix(torch.tensor([0, 3]), torch.tensor([0, 1]), 3), ValueError, r"preds must hold class indices in \[0, 2\]"),
        (lambda: confusion_matrix(torch.tensor([0.0, 1.0]), torch.tensor([0, 1]), 2), TypeError, "preds must hold integer class indices"),
        (lambda: confusion_matrix(torch.tensor([0, 1]), torch.tensor([0, 1, 1]), 2), ValueError, "same shape"),
        (lambda: confusion_matrix(torch.tensor([0]), torch.tensor([0]), 1), ValueError, "num_classes must be >= 2"),
        (lambda: precision_recall(torch.tensor([1, 0]), torch.tensor([0, 0])), ValueError, "at least one positive"),
        (lambda: average_precision(torch.tensor([1, 0]), torch.tensor([1, 0])), TypeError, "scores must have a floating dtype"),
        (lambda: average_precision(torch.tensor([0.5, float("nan")]), torch.tensor([1, 0])), ValueError, "scores must be finite"),
        (lambda: average_precision(torch.tensor([0.5]), torch.tensor([2])), ValueError, r"targets must hold class indices in \[0, 1\]"),
    ],
)
def test_bad_input_raises_a_clear_error(call, error, message):
    with pytest.raises(error, match=message):
        call()
