"""Exercise checks of notebook 09 catch wrong solutions a learner would plausibly write (see exercise_harness.py)."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from exercise_harness import load_checks, run_check, wrong_cases

NOTEBOOK = "09_custom_losses_focal.ipynb"


@pytest.fixture(scope="module")
def checks():
    return load_checks(NOTEBOOK)


# Exercise 1: softmax_focal(logits, targets, gamma), the multiclass focal loss.


def _log_p_t(logits, targets):
    return F.log_softmax(logits, dim=1).gather(1, targets[:, None]).squeeze(1)


def focal_detached_p_t(logits, targets, gamma=2.0):  # right values, but p_t is cut from the graph
    log_p_t = _log_p_t(logits, targets)
    return (-(1 - log_p_t.exp().detach()) ** gamma * log_p_t).mean()


def focal_log_of_softmax(logits, targets, gamma=2.0):  # log(softmax): -inf once a probability underflows
    p_t = F.softmax(logits, dim=1).gather(1, targets[:, None]).squeeze(1)
    return (-(1 - p_t) ** gamma * torch.log(p_t)).mean()


def focal_clamped_probability(logits, targets, gamma=2.0):  # finite, but wrong at large logits
    p_t = F.softmax(logits, dim=1).gather(1, targets[:, None]).squeeze(1).clamp_min(1e-7)
    return (-(1 - p_t) ** gamma * torch.log(p_t)).mean()


def focal_sum(logits, targets, gamma=2.0):  # sum instead of the mean over the batch
    log_p_t = _log_p_t(logits, targets)
    return (-(1 - log_p_t.exp()) ** gamma * log_p_t).sum()


def focal_softmax_over_batch(logits, targets, gamma=2.0):  # log_softmax over dim 0, the batch
    log_p_t = F.log_softmax(logits, dim=0).gather(1, targets[:, None]).squeeze(1)
    return (-(1 - log_p_t.exp()) ** gamma * log_p_t).mean()


def focal_factor_p_t(logits, targets, gamma=2.0):  # p_t ** gamma instead of (1 - p_t) ** gamma
    log_p_t = _log_p_t(logits, targets)
    return (-log_p_t.exp() ** gamma * log_p_t).mean()


def focal_per_example(logits, targets, gamma=2.0):  # forgets the reduction
    log_p_t = _log_p_t(logits, targets)
    return -(1 - log_p_t.exp()) ** gamma * log_p_t


def focal_gamma_ignored(logits, targets, gamma=2.0):  # hard-codes gamma = 2
    log_p_t = _log_p_t(logits, targets)
    return (-(1 - log_p_t.exp()) ** 2.0 * log_p_t).mean()


def focal_raises(logits, targets, gamma=2.0):  # a half-written solution
    raise NotImplementedError("todo")


# Exercise 2: alpha with alpha * n_pos = (1 - alpha) * n_neg on imbalanced_binary (120 of 2000 positive).

WRONG = {
    1: {
        "detached-p_t": ((focal_detached_p_t,), "gradient is wrong"),
        "log-of-softmax": ((focal_log_of_softmax,), "log_softmax"),
        "clamped-probability": ((focal_clamped_probability,), "loss must be 200"),
        "sum-not-mean": ((focal_sum,), "F.cross_entropy"),
        "softmax-over-batch": ((focal_softmax_over_batch,), "F.cross_entropy"),
        "factor-p_t": ((focal_factor_p_t,), "(1 - p_t) ** gamma"),
        "no-reduction": ((focal_per_example,), "0-dim"),
        "gamma-ignored": ((focal_gamma_ignored,), "gamma = 0"),
        "raises": ((focal_raises,), "NotImplementedError"),
    },
    2: {
        "inverted": ((120 / 2000,), "rare positives need the larger weight"),
        "pos_weight-ratio": ((1880 / 120,), "in [0, 1]"),
        "article-0.75": ((0.75,), "whole data set"),
        "training-half-only": ((933 / 1000,), "whole data set"),
        "not-a-number": ((None,), "one number"),
    },
}


@pytest.mark.parametrize(("n", "args", "fragment"), wrong_cases(WRONG))
def test_wrong_solution_fails_and_says_why(checks, n, args, fragment):
    out = run_check(checks, n, *args)
    assert out.startswith(f"exercise {n}: fail"), out
    assert fragment in out, out


@pytest.mark.parametrize("alpha", [torch.tensor(1880 / 2000), torch.tensor(0.94, dtype=torch.float32), 0.94])
def test_exercise_2_accepts_the_right_alpha_as_a_float_or_a_tensor(checks, alpha):
    assert run_check(checks, 2, alpha) == "exercise 2: pass\n"
