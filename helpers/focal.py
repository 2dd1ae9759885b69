"""``focal_loss`` and ``FocalLoss``: the binary focal loss on logits, stable for any logit (notebook 09).

Lin et al. (2017), "Focal Loss for Dense Object Detection": with ``p = sigmoid(logits)``,

    p_t     = t * p + (1 - t) * (1 - p)          (the probability given to the true label)
    alpha_t = t * alpha + (1 - t) * (1 - alpha)  (alpha weights the positive class)
    FL      = -alpha_t * (1 - p_t) ** gamma * [t * log(p) + (1 - t) * log(1 - p)]

for targets ``t`` in [0, 1] (soft labels allowed). Computed from logits: the cross-entropy comes
from ``binary_cross_entropy_with_logits`` (exact at any magnitude) and ``1 - p_t`` from two sigmoids
blended by ``torch.lerp``, which returns ``sigmoid(-x)`` exactly for t = 1 and ``sigmoid(x)`` for
t = 0, so no ``1 - p`` cancellation occurs. For 0 < gamma < 1 the derivative of ``q ** gamma`` is
infinite at q = 0 (reached when sigmoid saturates); ``q`` is then clamped at the dtype's smallest
normal number, which keeps every gradient finite and changes only losses that are already below that number.
tests/test_focal.py compares it with an independent formula and a float64 reference.
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from ._checks import _describe, check_real

REDUCTIONS = ("none", "mean", "sum")
FLOAT_DTYPES = (torch.float16, torch.bfloat16, torch.float32, torch.float64)


def _check_params(alpha: Any, gamma: Any, reduction: Any) -> tuple[float | None, float, str]:
    if alpha is not None:
        alpha = check_real("alpha", alpha, low=0.0, high=1.0, type_error=ValueError)
    gamma = check_real("gamma", gamma, low=0.0, type_error=ValueError)
    if not isinstance(reduction, str) or reduction not in REDUCTIONS:
        raise ValueError(f"reduction must be one of {REDUCTIONS}, got {reduction!r}")
    return alpha, gamma, reduction


def _check_tensors(logits: Any, targets: Any) -> None:
    for name, value in (("logits", logits), ("targets", targets)):
        if not isinstance(value, torch.Tensor):
            raise ValueError(f"{name} must be a torch.Tensor, got {_describe(value)}")
    if logits.dtype not in FLOAT_DTYPES:
        raise ValueError(f"logits must have a floating dtype {FLOAT_DTYPES}, got {logits.dtype}")
    if targets.dtype != logits.dtype:
        raise ValueError(
            f"targets must have the dtype of logits ({logits.dtype}), got {targets.dtype}; "
            f"convert with targets.to(logits.dtype)"
        )
    if targets.shape != logits.shape:
        raise ValueError(
            f"targets must have the shape of logits {tuple(logits.shape)}, got {tuple(targets.shape)}"
        )
    if targets.numel():
        low, high = torch.aminmax(targets.detach())  # one pass; NaN makes both comparisons fail
        if not (low.item() >= 0.0 and high.item() <= 1.0):
            raise ValueError(
                f"targets must hold values in [0, 1], got values in [{low.item()}, {high.item()}]"
            )


def focal_loss(
    logits: torch.Tensor,
    targets: torch.Tensor,
    alpha: float | None = 0.25,
    gamma: float = 2.0,
    reduction: str = "mean",
) -> torch.Tensor:
    """Binary focal loss of ``logits`` (any shape) against ``targets`` in [0, 1] of the same shape and dtype.

    ``alpha`` weights the positive class (``1 - alpha`` the negative one); ``None`` disables weighting.
    ``gamma >= 0`` is the focusing parameter (0 gives binary cross-entropy). ``reduction`` is
    ``'none'`` (loss per element), ``'mean'`` (default) or ``'sum'``, as in PyTorch's losses.
    Bad arguments raise ValueError naming the argument.
    """
    alpha, gamma, reduction = _check_params(alpha, gamma, reduction)
    _check_tensors(logits, targets)
    loss = F.binary_cross_entropy_with_logits(logits, targets, reduction="none")
    if gamma != 0.0:
        # 1 - p_t: exactly sigmoid(-x) where t = 1 and sigmoid(x) where t = 0 (lerp's end points)
        q = torch.lerp(torch.sigmoid(logits), torch.sigmoid(-logits), targets)
        if gamma < 1.0:  # d(q**gamma)/dq = inf at q = 0: keep q >= the smallest normal number
            q = q.clamp_min(torch.finfo(q.dtype).tiny)
        loss = loss * q.pow(gamma)
    if alpha is not None:
        loss = loss * (targets * (2.0 * alpha - 1.0) + (1.0 - alpha))  # alpha if t = 1, 1 - alpha if t = 0
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss


class FocalLoss(nn.Module):
    """``nn.Module`` form of :func:`focal_loss`: ``FocalLoss(alpha, gamma, reduction)(logits, targets)``."""

    def __init__(self, alpha: float | None = 0.25, gamma: float = 2.0, reduction: str = "mean") -> None:
        super().__init__()
        self.alpha, self.gamma, self.reduction = _check_params(alpha, gamma, reduction)

    def forward(self, logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
        return focal_loss(logits, targets, alpha=self.alpha, gamma=self.gamma, reduction=self.reduction)

    def extra_repr(self) -> str:
        return f"alpha={self.alpha}, gamma={self.gamma}, reduction={self.reduction!r}"
