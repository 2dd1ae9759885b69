"""helpers.focal (notebook 09): the focal loss equals the paper's formula, is exact at extreme logits
with finite gradients, and refuses every bad argument with a ValueError naming it."""

from __future__ import annotations

import math

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.focal import FocalLoss, focal_loss

# --- independent references ---------------------------------------------------------------------


def paper_formula(logits, targets, alpha=0.25, gamma=2.0):
    """FL = -alpha_t (1 - p_t)^gamma [t log p + (1 - t) log(1 - p)], p = sigmoid, per element (float64)."""
    x, t = logits.double(), targets.double()
    p = torch.sigmoid(x)
    log_p, log_1mp = F.logsigmoid(x), F.logsigmoid(-x)
    p_t = t * p + (1 - t) * (1 - p)
    weight = 1.0 if alpha is None else t * alpha + (1 - t) * (1 - alpha)
    return -weight * (1 - p_t) ** gamma * (t * log_p + (1 - t) * log_1mp)


def hard_label_reference(logits, targets, alpha, gamma):
    """Loss and d loss / d logit for 0/1 targets, in float64 log space: exact for any logit.

    With the margin z = (2t - 1) x: q = 1 - p_t = sigmoid(-z), ce = softplus(-z), q^gamma =
    exp(gamma * logsigmoid(-z)), and dL/dz = -alpha_t q^gamma (gamma (1 - q) ce + q).
    """
    x, t = logits.double(), targets.double()
    sign = 2 * t - 1
    z = sign * x
    q = torch.sigmoid(-z)
    ce = F.softplus(-z)
    q_gamma = torch.exp(gamma * F.logsigmoid(-z)) if gamma else torch.ones_like(z)
    weight = t * alpha + (1 - t) * (1 - alpha)
    loss = weight * q_gamma * ce
    grad = sign * (-weight * q_gamma * (gamma * (1 - q) * ce + q))
    return loss, grad


# --- behaviour ------------------------------------------------------------------------------------

# In float32 the loss is built on binary_cross_entropy_with_logits, whose value for t = 0 (computed as
# log(1 + exp(x)) for x < 0) and whose gradient sigmoid(x) - t carry an absolute error of about float32
# epsilon times q**gamma, with q = 1 - p_t: negligible next to any loss that matters, but not relative
# accuracy for losses below ~1e-3 (gamma = 0: plain BCE, 0 instead of 1.5e-9 at x = -20). Hence an absolute tolerance next to the relative one.
ATOL = 1e-8
finite_logits = st.floats(min_value=-30, max_value=30, allow_nan=False, width=32)
unit = st.floats(min_value=0, max_value=1, allow_nan=False, width=32)


@settings(max_examples=60, deadline=None)
@given(
    pairs=st.lists(st.tuples(finite_logits, unit), min_size=1, max_size=20),
    alpha=st.one_of(st.none(), st.floats(0, 1)),
    gamma=st.floats(0, 5),
)
def test_equals_the_paper_formula_for_random_inputs_and_soft_targets(pairs, alpha, gamma):
    logits = torch.tensor([p[0] for p in pairs], dtype=torch.float64, requires_grad=True)
    targets = torch.tensor([p[1] for p in pairs], dtype=torch.float64)
    got = focal_loss(logits, targets, alpha=alpha, gamma=gamma, reduction="none")
    want = paper_formula(logits, targets, alpha, gamma)
    torch.testing.assert_close(got, want, rtol=1e-9, atol=1e-12)
    (g_got,) = torch.autograd.grad(got.sum(), logits)
    (g_want,) = torch.autograd.grad(want.sum(), logits)
    torch.testing.assert_close(g_got, g_want, rtol=1e-7, atol=1e-10)


@settings(max_examples=40, deadline=None)
@given(pairs=st.lists(st.tuples(finite_logits, st.booleans()), min_size=1, max_size=20))
def test_float32_matches_the_float64_reference_for_hard_labels(pairs):
    logits = torch.tensor([p[0] for p in pairs], requires_grad=True)
    targets = torch.tensor([float(p[1]) for p in pairs])
    got = focal_loss(logits, targets, reduction="none")
    (grad,) = torch.autograd.grad(got.sum(), logits)
    want, want_grad = hard_label_reference(logits.detach(), targets, 0.25, 2.0)
    torch.testing.assert_close(got.double(), want, rtol=2e-5, atol=ATOL)
    torch.testing.assert_close(grad.double(), want_grad, rtol=2e-5, atol=ATOL)


def test_gamma_zero_without_alpha_is_binary_cross_entropy():
    _ = torch.manual_seed(0)
    logits, targets = torch.randn(100), torch.rand(100)
    want = F.binary_cross_entropy_with_logits(logits, targets)
    torch.testing.assert_close(focal_loss(logits, targets, alpha=None, gamma=0.0), want)


def test_alpha_one_half_halves_the_unweighted_loss():
    _ = torch.manual_seed(0)
    logits, targets = torch.randn(100), (torch.rand(100) < 0.3).float()
    half = focal_loss(logits, targets, alpha=0.5)
    torch.testing.assert_close(half, 0.5 * focal_loss(logits, targets, alpha=None))


def test_alpha_weights_the_positive_class():
    logits = torch.tensor([0.0, 0.0])
    pos = focal_loss(logits[:1], torch.ones(1), alpha=0.9, reduction="sum")
    neg = focal_loss(logits[1:], torch.zeros(1), alpha=0.9, reduction="sum")
    torch.testing.assert_close(pos / neg, torch.tensor(9.0))


@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
def test_reductions_match_pytorch_conventions(reduction):
    _ = torch.manual_seed(0)
    logits, targets = torch.randn(4, 5), torch.rand(4, 5)
    per_element = focal_loss(logits, targets, reduction="none")
    assert per_element.shape == (4, 5)
    expected = {"none": per_element, "mean": per_element.mean(), "sum": per_element.sum()}[reduction]
    torch.testing.assert_close(focal_loss(logits, targets, reduction=reduction), expected)


def test_mean_is_the_default_reduction():
    _ = torch.manual_seed(0)
    logits, targets = torch.randn(10), torch.rand(10)
    assert focal_loss(logits, targets).ndim == 0
    torch.testing.assert_close(focal_loss(logits, targets), focal_loss(logits, targets, reduction="mean"))


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("gamma", [0.0, 0.25, 0.5, 1.0, 2.0, 5.0])
def test_extreme_logits_give_exact_losses_and_finite_gradients(dtype, gamma):
    logits = torch.tensor([-1e4, -200.0, -90.0, -20.0, 20.0, 90.0, 200.0, 1e4] * 2, dtype=dtype)
    targets = torch.tensor([0.0] * 8 + [1.0] * 8, dtype=dtype)
    x = logits.clone().requires_grad_(True)
    got = focal_loss(x, targets, alpha=0.25, gamma=gamma, reduction="none")
    (grad,) = torch.autograd.grad(got.sum(), x)
    want, want_grad = hard_label_reference(logits, targets, 0.25, gamma)
    assert torch.isfinite(got).all() and torch.isfinite(grad).all()
    torch.testing.assert_close(got.double(), want, rtol=1e-5, atol=ATOL)
    torch.testing.assert_close(grad.double(), want_grad, rtol=1e-5, atol=ATOL)


def test_confidently_wrong_examples_keep_their_loss_and_gradient():
    x = torch.tensor([1e4], requires_grad=True)
    loss = focal_loss(x, torch.zeros(1), alpha=0.25, gamma=2.0)
    loss.backward()
    assert loss.item() == pytest.approx(0.75 * 1e4)
    assert x.grad.item() == pytest.approx(0.75)


@pytest.mark.parametrize("gamma", [0.1, 0.5, 0.9])
def test_gamma_below_one_has_finite_gradients_where_sigmoid_underflows(gamma):
    x = torch.tensor([150.0, -150.0, 1e4, -1e4], requires_grad=True)
    targets = torch.tensor([1.0, 0.0, 1.0, 0.0])
    focal_loss(x, targets, gamma=gamma).backward()
    assert torch.isfinite(x.grad).all()
    assert (x.grad.abs() < 1e-30).all()


def test_gradcheck_in_float64():
    _ = torch.manual_seed(0)
    logits = torch.randn(6, dtype=torch.float64, requires_grad=True)
    targets = torch.tensor([0.0, 1.0, 0.3, 1.0, 0.0, 0.7], dtype=torch.float64)
    assert torch.autograd.gradcheck(lambda x: focal_loss(x, targets, gamma=0.5), (logits,))


def test_module_equals_function_and_shows_its_settings():
    _ = torch.manual_seed(0)
    logits, targets = torch.randn(8), torch.rand(8)
    loss_fn = FocalLoss(alpha=0.75, gamma=1.5, reduction="sum")
    assert torch.equal(loss_fn(logits, targets), focal_loss(logits, targets, 0.75, 1.5, "sum"))
    assert repr(loss_fn) == "FocalLoss(alpha=0.75, gamma=1.5, reduction='sum')"
    assert FocalLoss().alpha == 0.25 and FocalLoss().gamma == 2.0 and FocalLoss().reduction == "mean"


def test_empty_input_follows_pytorch():
    empty = torch.zeros(0)
    assert focal_loss(empty, empty, reduction="sum").item() == 0.0
    assert focal_loss(empty, empty, reduction="none").shape == (0,)


# --- bad input ------------------------------------------------------------------------------------

LOGITS, TARGETS = torch.zeros(3), torch.ones(3)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"alpha": -0.1}, "alpha must be a finite number in [0.0, 1.0], got -0.1"),
        ({"alpha": 1.5}, "alpha must be a finite number in [0.0, 1.0], got 1.5"),
        ({"alpha": math.nan}, "alpha must be a finite number in [0.0, 1.0], got nan"),
        ({"alpha": "0.25"}, "alpha must be a real number, got str '0.25'"),
        ({"alpha": True}, "alpha must be a real number, got bool True"),
        ({"gamma": -1.0}, "gamma must be a finite number in [0.0, inf], got -1.0"),
        ({"gamma": math.nan}, "gamma must be a finite number in [0.0, inf], got nan"),
        ({"gamma": math.inf}, "gamma must be a finite number in [0.0, inf], got inf"),
        ({"gamma": None}, "gamma must be a real number, got NoneType None"),
        ({"reduction": "avg"}, "reduction must be one of ('none', 'mean', 'sum'), got 'avg'"),
        ({"reduction": None}, "reduction must be one of ('none', 'mean', 'sum'), got None"),
    ],
)
def test_bad_parameters_raise_value_error_naming_them(kwargs, message):
    with pytest.raises(ValueError) as info:
        focal_loss(LOGITS, TARGETS, **kwargs)
    assert str(info.value) == message
    with pytest.raises(ValueError) as info:
        FocalLoss(**kwargs)
    assert str(info.value) == message


@pytest.mark.parametrize(
    ("logits", "targets", "message"),
    [
        ([0.0, 1.0], TARGETS, "logits must be a torch.Tensor, got list"),
        (LOGITS, [1.0, 0.0, 1.0], "targets must be a torch.Tensor, got list"),
        (torch.zeros(3, dtype=torch.int64), TARGETS, "logits must have a floating dtype"),
        (LOGITS, torch.ones(3, dtype=torch.int64), "targets must have the dtype of logits (torch.float32), got torch.int64"),
        (LOGITS, torch.ones(3, dtype=torch.float64), "targets must have the dtype of logits (torch.float32), got torch.float64"),
        (LOGITS, torch.ones(3, dtype=torch.bool), "targets must have the dtype of logits"),
        (LOGITS, torch.ones(3, 1), "targets must have the shape of logits (3,), got (3, 1)"),
        (torch.zeros(4, 1), torch.ones(4), "targets must have the shape of logits (4, 1), got (4,)"),
        (LOGITS, torch.tensor([0.0, 1.0, 2.0]), "targets must hold values in [0, 1], got values in [0.0, 2.0]"),
        (LOGITS, torch.tensor([-1.0, 1.0, 0.0]), "targets must hold values in [0, 1], got values in [-1.0, 1.0]"),
        (LOGITS, torch.tensor([0.0, math.nan, 1.0]), "targets must hold values in [0, 1], got values in [nan, nan]"),
    ],
)
def test_bad_tensors_raise_value_error_naming_them(logits, targets, message):
    with pytest.raises(ValueError) as info:
        focal_loss(logits, targets)
    assert str(info.value).startswith(message)
    with pytest.raises(ValueError):
        FocalLoss()(logits, targets)
