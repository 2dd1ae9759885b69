"""Exercise checks of notebook 05 catch wrong solutions a learner would plausibly write (see exercise_harness.py)."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.functional import huber_loss as imported_huber_loss

import helpers
from exercise_harness import load_checks, run_check, wrong_cases

NOTEBOOK = "05_regression_losses.ipynb"


@pytest.fixture(scope="module")
def checks():
    return load_checks(NOTEBOOK)


# Exercise 1: huber(preds, targets, delta), per element, with torch.where and no PyTorch loss.
def huber_library(preds, targets, delta):
    return F.huber_loss(preds, targets, delta=delta, reduction="none")


def huber_module(preds, targets, delta):
    return nn.HuberLoss(reduction="none", delta=delta)(preds, targets)


def huber_imported_by_name(preds, targets, delta):  # `from torch.nn.functional import huber_loss`
    return imported_huber_loss(preds, targets, reduction="none", delta=delta)


def huber_from_smooth_l1_library(preds, targets, delta):  # right values, but a library loss
    return delta * F.smooth_l1_loss(preds, targets, reduction="none", beta=delta)


def huber_smooth_l1_scaling(preds, targets, delta):  # Smooth L1's formula: r^2 / (2 delta), tail |r| - delta/2
    r = (preds - targets).abs()
    return torch.where(r < delta, 0.5 * r**2 / delta, r - 0.5 * delta)


def huber_without_abs(preds, targets, delta):
    r = preds - targets
    return torch.where(r <= delta, 0.5 * r**2, delta * (r - 0.5 * delta))


def huber_tail_offset(preds, targets, delta):  # tail delta * (|r| - delta): not continuous at delta
    r = (preds - targets).abs()
    return torch.where(r <= delta, 0.5 * r**2, delta * (r - delta))


def huber_mean(preds, targets, delta):  # reduced, like the default reduction="mean"
    r = (preds - targets).abs()
    return torch.where(r <= delta, 0.5 * r**2, delta * (r - 0.5 * delta)).mean()


def huber_flattened(preds, targets, delta):  # "flatten everything" to dodge the (N, 1) vs (N,) trap
    r = (preds.reshape(-1) - targets.reshape(-1)).abs()
    return torch.where(r <= delta, 0.5 * r**2, delta * (r - 0.5 * delta))


def huber_detached(preds, targets, delta):
    r = (preds - targets).abs().detach()
    return torch.where(r <= delta, 0.5 * r**2, delta * (r - 0.5 * delta))


# Exercise 3: the constant c minimising the mean HuberLoss(delta=1) against y, by gradient descent.
Y = helpers.load_dataset("regression_outliers").y


def descend(loss_fn, steps=300, lr=1.0):
    c = torch.zeros((), requires_grad=True)
    for _ in range(steps):
        (grad,) = torch.autograd.grad(loss_fn(c.expand_as(Y), Y), c)
        with torch.no_grad():
            c -= lr * grad
    return c.detach()


def c_sum_reduction():  # the same lr with reduction="sum": steps 100 times too large
    return descend(lambda c, y: F.huber_loss(c, y, reduction="sum"))


def c_delta_2():
    return descend(lambda c, y: F.huber_loss(c, y, delta=2.0))


def c_too_few_steps():
    return descend(F.huber_loss, steps=20, lr=0.1)


def c_mse():  # gradient descent on the wrong loss
    return descend(F.mse_loss, lr=0.1)


WRONG = {
    1: {
        "library-function": ((huber_library,), "calls PyTorch's huber_loss"),
        "library-module": ((huber_module,), "calls PyTorch's huber_loss"),
        "library-imported-by-name": ((huber_imported_by_name,), "calls PyTorch's huber_loss"),
        "library-smooth-l1-times-delta": ((huber_from_smooth_l1_library,), "calls PyTorch's smooth_l1_loss"),
        "smooth-l1-scaling": ((huber_smooth_l1_scaling,), "Smooth L1 with beta=delta"),
        "no-abs": ((huber_without_abs,), "below -delta"),
        "tail-offset": ((huber_tail_offset,), "delta * (|r| - delta/2)"),
        "mean-not-per-element": ((huber_mean,), "one loss per element"),
        "flattened": ((huber_flattened,), "no reshaping"),
        "detached": ((huber_detached,), "autograd"),
    },
    2: {
        "default-delta-1": ((1.0,), "linear zone"),
        "second-largest-residual": ((2.0,), "r = 3 have |r| > delta"),
        "just-below-largest": ((2.9,), "linear zone"),
        "zero": ((0.0,), "delta > 0"),
        "signed-residual": ((-3.0,), "delta > 0"),
        "a-tensor-of-residuals": ((torch.tensor([1.0, 1.0, 2.0, 3.0]),), "one number"),
    },
    3: {
        "mean-of-y": ((Y.mean(),), "the mean of y"),
        "median-of-y": ((Y.median(),), "the median of y"),
        "midpoint-of-median-and-mean": (((Y.mean() + Y.median()) / 2,), "still slopes"),
        "sum-reduction-same-lr": ((c_sum_reduction(),), "reduction='sum'"),
        "delta-2": ((c_delta_2(),), "still slopes"),
        "too-few-steps": ((c_too_few_steps(),), "not between"),
        "mse-descent": ((c_mse(),), "the mean of y"),
        "expanded-not-one-number": ((Y.median().expand(100),), "one number"),
    },
}


@pytest.mark.parametrize(("n", "args", "fragment"), wrong_cases(WRONG))
def test_wrong_solution_fails_and_says_why(checks, n, args, fragment):
    out = run_check(checks, n, *args)
    assert out.startswith(f"exercise {n}: fail"), out
    assert fragment in out, out
