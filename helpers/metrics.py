"""Classification metrics for the notebooks that train classifiers (02, 06, 07, 09).

Small, explicit implementations on tensors (no scikit-learn dependency), tested against
hand-computed values in tests/test_metrics.py.
"""

from __future__ import annotations

import torch

from ._checks import check_int, check_tensor


def _check_labels(name: str, value: torch.Tensor, num_classes: int) -> torch.Tensor:
    check_tensor(name, value, ndim=1)
    if value.is_floating_point() or value.dtype == torch.bool:
        raise TypeError(f"{name} must hold integer class indices (int64), got dtype {value.dtype}")
    if value.numel() and (value.min() < 0 or value.max() >= num_classes):
        raise ValueError(
            f"{name} must hold class indices in [0, {num_classes - 1}], got values in "
            f"[{value.min().item()}, {value.max().item()}]"
        )
    return value


def confusion_matrix(preds: torch.Tensor, targets: torch.Tensor, num_classes: int) -> torch.Tensor:
    """(C, C) int64 matrix whose entry [i, j] counts examples of true class i predicted as j."""
    num_classes = check_int("num_classes", num_classes, minimum=2)
    _check_labels("preds", preds, num_classes)
    _check_labels("targets", targets, num_classes)
    if preds.shape != targets.shape:
        raise ValueError(f"preds and targets must have the same shape, got {tuple(preds.shape)} and {tuple(targets.shape)}")
    index = targets.to(torch.int64) * num_classes + preds.to(torch.int64)
    return torch.bincount(index, minlength=num_classes**2).reshape(num_classes, num_classes)


def per_class_recall(preds: torch.Tensor, targets: torch.Tensor, num_classes: int) -> torch.Tensor:
    """(C,) float tensor: for each class, the fraction of its examples predicted correctly (nan if absent)."""
    cm = confusion_matrix(preds, targets, num_classes).to(torch.float64)
    return (cm.diagonal() / cm.sum(dim=1)).to(torch.float32)


def precision_recall(preds: torch.Tensor, targets: torch.Tensor) -> tuple[float, float]:
    """Precision and recall of the positive class (1) for binary 0/1 predictions and targets.

    Precision is 0.0 when nothing is predicted positive (the convention scikit-learn warns about).
    """
    cm = confusion_matrix(preds, targets, 2)
    tp, fp, fn = cm[1, 1].item(), cm[0, 1].item(), cm[1, 0].item()
    if tp + fn == 0:
        raise ValueError("targets must contain at least one positive (1) example")
    precision = tp / (tp + fp) if tp + fp else 0.0
    return precision, tp / (tp + fn)


def average_precision(scores: torch.Tensor, targets: torch.Tensor) -> float:
    """Average precision (area under the precision-recall curve, step-wise, as scikit-learn computes it).

    ``scores``: (N,) real numbers, higher meaning more likely positive (logits or probabilities).
    ``targets``: (N,) 0/1 labels. Tied scores are treated as one threshold.
    """
    check_tensor("scores", scores, ndim=1, floating=True)
    _check_labels("targets", targets, 2)
    if scores.shape != targets.shape:
        raise ValueError(f"scores and targets must have the same shape, got {tuple(scores.shape)} and {tuple(targets.shape)}")
    if not torch.isfinite(scores).all():
        raise ValueError("scores must be finite")
    n_pos = int(targets.sum())
    if n_pos == 0:
        raise ValueError("targets must contain at least one positive (1) example")
    order = torch.argsort(scores.to(torch.float64), descending=True, stable=True)
    s, t = scores.to(torch.float64)[order], targets[order].to(torch.float64)
    tp, fp = torch.cumsum(t, 0), torch.cumsum(1 - t, 0)
    last_of_tie = torch.ones_like(s, dtype=torch.bool)
    last_of_tie[:-1] = s[1:] != s[:-1]
    tp, fp = tp[last_of_tie], fp[last_of_tie]
    precision, recall = tp / (tp + fp), tp / n_pos
    recall_steps = torch.diff(recall, prepend=torch.zeros(1, dtype=torch.float64))
    return float((recall_steps * precision).sum())
