"""Exercise checks of notebook 08 catch wrong solutions a learner would plausibly write (see exercise_harness.py)."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from exercise_harness import load_checks, run_check, wrong_cases

NOTEBOOK = "08_nll_equivalence.ipynb"


@pytest.fixture(scope="module")
def checks():
    return load_checks(NOTEBOOK)


# Exercise 1: my_nll_loss(log_probs, targets, weight=None), the mean of NLLLoss with weights and ignore_index.
def _kept(log_probs, targets, weight):
    kept = targets != -100
    rows, classes = torch.arange(len(targets))[kept], targets[kept]
    w = torch.ones(log_probs.shape[1]) if weight is None else weight
    return -log_probs[rows, classes], classes, w


def nll_divides_by_all_n(log_probs, targets, weight=None):
    picked, classes, w = _kept(log_probs, targets, weight)
    return (w[classes] * picked).sum() / len(targets)


def nll_divides_by_kept_count(log_probs, targets, weight=None):
    picked, classes, w = _kept(log_probs, targets, weight)
    return (w[classes] * picked).mean()


def nll_average_weight_times_count(log_probs, targets, weight=None):
    picked, classes, w = _kept(log_probs, targets, weight)
    return (w[classes] * picked).sum() / (w.sum() * len(picked) / len(w))


def nll_divides_by_sum_of_class_weights(log_probs, targets, weight=None):
    picked, classes, w = _kept(log_probs, targets, weight)
    return (w[classes] * picked).sum() / w.sum()


def nll_mean_of_class_means(log_probs, targets, weight=None):
    picked, classes, w = _kept(log_probs, targets, weight)
    present = classes.unique()
    means = torch.stack([picked[classes == c].mean() for c in present])
    return (w[present] * means).sum() / w[present].sum()


def nll_ignores_weight(log_probs, targets, weight=None):
    picked, _, _ = _kept(log_probs, targets, weight)
    return picked.mean()


def nll_wrong_sign(log_probs, targets, weight=None):
    picked, classes, w = _kept(log_probs, targets, weight)
    return -(w[classes] * picked).sum() / w[classes].sum()


def nll_indexes_with_ignored_targets(log_probs, targets, weight=None):
    w = torch.ones(log_probs.shape[1]) if weight is None else weight
    picked = -log_probs[torch.arange(len(targets)), targets]
    return (w[targets] * picked).sum() / w[targets].sum()


def nll_detached(log_probs, targets, weight=None):
    picked, classes, w = _kept(log_probs, targets, weight)
    return torch.tensor((w[classes] * picked).sum().item() / w[classes].sum().item())


def nll_calls_the_library(log_probs, targets, weight=None):
    return F.nll_loss(log_probs, targets, weight=weight)


def nll_via_the_module(log_probs, targets, weight=None):
    return torch.nn.NLLLoss(weight=weight)(log_probs, targets)


# Exercise 2: ce_grad(logits, targets), the gradient of the mean cross-entropy without autograd.
def grad_without_dividing_by_n(logits, targets):
    return torch.softmax(logits, dim=1) - F.one_hot(targets, logits.shape[1]).float()


def grad_wrong_sign(logits, targets):
    return (F.one_hot(targets, logits.shape[1]).float() - torch.softmax(logits, dim=1)) / len(targets)


def grad_softmax_over_batch(logits, targets):
    return (torch.softmax(logits, dim=0) - F.one_hot(targets, logits.shape[1]).float()) / len(targets)


def grad_naive_softmax(logits, targets):
    probs = logits.exp() / logits.exp().sum(dim=1, keepdim=True)
    return (probs - F.one_hot(targets, logits.shape[1]).float()) / len(targets)


def grad_subtracts_whole_columns(logits, targets):
    grad = torch.softmax(logits, dim=1)
    grad[:, targets] -= 1  # every row loses 1 in every target column
    return grad / len(targets)


def grad_log_softmax(logits, targets):
    return (F.log_softmax(logits, dim=1) - F.one_hot(targets, logits.shape[1]).float()) / len(targets)


def grad_by_autograd(logits, targets):
    z = logits.clone().requires_grad_(True)
    F.cross_entropy(z, targets).backward()
    return z.grad


def grad_by_autograd_grad(logits, targets):
    z = logits.clone().requires_grad_(True)
    return torch.autograd.grad(F.cross_entropy(z, targets), z)[0]


LN5 = 1.6094379124341003

# {exercise number: {short description: (arguments passed to check_exercise_N, a piece of the failure message)}}
WRONG = {
    1: {
        "divides-by-all-n": ((nll_divides_by_all_n,), "leave the denominator"),
        "divides-by-kept-count": ((nll_divides_by_kept_count,), "not by their count"),
        "average-weight-times-count": ((nll_average_weight_times_count,), "w.sum() * n_kept / C"),
        "divides-by-sum-of-class-weights": ((nll_divides_by_sum_of_class_weights,), "not a sum over the classes"),
        "mean-of-class-means": ((nll_mean_of_class_means,), "per-class means"),
        "ignores-weight": ((nll_ignores_weight,), "weights are not applied"),
        "wrong-sign": ((nll_wrong_sign,), "sign"),
        "indexes-with-ignored-targets": ((nll_indexes_with_ignored_targets,), "raised IndexError"),
        "detached": ((nll_detached,), "no gradient"),
        "calls-the-library": ((nll_calls_the_library,), "calls F.nll_loss"),
        "via-the-module": ((nll_via_the_module,), "calls F.nll_loss"),
    },
    2: {
        "without-dividing-by-n": ((grad_without_dividing_by_n,), "divides each row by N"),
        "wrong-sign": ((grad_wrong_sign,), "wrong sign"),
        "softmax-over-batch": ((grad_softmax_over_batch,), "(dim=1)"),
        "naive-softmax": ((grad_naive_softmax,), "large logits"),
        "subtracts-whole-columns": ((grad_subtracts_whole_columns,), "differs from autograd"),
        "log-softmax": ((grad_log_softmax,), "differs from autograd"),
        "autograd-backward": ((grad_by_autograd,), "uses autograd"),
        "autograd-grad": ((grad_by_autograd_grad,), "uses autograd"),
    },
    3: {
        "swapped": ((-0.2, LN5), "swapped"),
        "negative-cross-entropy": ((-LN5, -0.2), "never negative"),
        "log2": ((2.321928094887362, -0.2), "natural log"),
        "nll-takes-a-log": ((LN5, LN5), "takes no log"),
        "nll-positive": ((LN5, 0.2), "negates"),
        "probability-as-loss": ((0.2, -0.2), "-ln(1/5) = ln 5"),
    },
}


@pytest.mark.parametrize(("n", "args", "fragment"), wrong_cases(WRONG))
def test_wrong_solution_fails_and_says_why(checks, n, args, fragment):
    out = run_check(checks, n, *args)
    assert out.startswith(f"exercise {n}: fail"), out
    assert fragment in out, out
