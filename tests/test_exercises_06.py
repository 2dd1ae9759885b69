"""Exercise checks of notebook 06 catch wrong solutions a learner would plausibly write (see exercise_harness.py)."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from exercise_harness import load_checks, run_check, wrong_cases

NOTEBOOK = "06_binary_losses.ipynb"


@pytest.fixture(scope="module")
def checks():
    return load_checks(NOTEBOOK)


# exercise 1: bce_logits(logits, targets), per element, targets anywhere in [0, 1]
def bce_signed_labels(logits, targets):  # softplus(-s x) with s = 2y - 1: the +-1-label form, right only for 0/1
    sign = 2 * targets - 1
    return torch.clamp(-sign * logits, min=0) + torch.log1p(torch.exp(-logits.abs()))


def bce_where_on_target(logits, targets):  # picks the positive or the negative term by the label
    positive = torch.clamp(-logits, min=0) + torch.log1p(torch.exp(-logits.abs()))
    negative = torch.clamp(logits, min=0) + torch.log1p(torch.exp(-logits.abs()))
    return torch.where(targets == 1, positive, negative)


def bce_exp_of_minus_x(logits, targets):  # algebraically right, but exp(200) overflows for the logit -200
    return (1 - targets) * logits + torch.log1p(torch.exp(-logits))


def bce_where_on_sign(logits, targets):  # finite values, but the unused branch's exp(200) makes the gradient nan
    return torch.where(
        logits >= 0,
        (1 - targets) * logits + torch.log1p(torch.exp(-logits)),
        -targets * logits + torch.log1p(torch.exp(logits)),
    )


def bce_log_instead_of_log1p(logits, targets):  # log(1 + t) rounds 1 + 1e-13 to 1: tiny losses become 0
    return torch.clamp(logits, min=0) - logits * targets + torch.log(1 + torch.exp(-logits.abs()))


def bce_library(logits, targets):  # the library function the exercise asks to write
    return F.binary_cross_entropy_with_logits(logits, targets, reduction="none")


def bce_module(logits, targets):  # the library again, through the module
    return nn.BCEWithLogitsLoss(reduction="none")(logits, targets)


def bce_through_sigmoid(logits, targets):  # the BCELoss formula on probabilities: forbidden sigmoid, log 0 at +-200
    probs = torch.sigmoid(logits)
    return -(targets * torch.log(probs) + (1 - targets) * torch.log(1 - probs))


def bce_softplus(logits, targets):  # exact, but F.softplus is outside the allowed operations
    return targets * F.softplus(-logits) + (1 - targets) * F.softplus(logits)


def bce_mean(logits, targets):  # reduces to one number
    return (torch.clamp(logits, min=0) - logits * targets + torch.log1p(torch.exp(-logits.abs()))).mean()


def bce_sign_error(logits, targets):  # + x y instead of - x y
    return torch.clamp(logits, min=0) + logits * targets + torch.log1p(torch.exp(-logits.abs()))


def bce_detached(logits, targets):  # values only: built outside autograd
    with torch.no_grad():
        return torch.clamp(logits, min=0) - logits * targets + torch.log1p(torch.exp(-logits.abs()))


# exercise 2: class_pos_weight(labels), (N, C) -> (C,)
def pos_weight_wrong_dim(labels):  # counts per example instead of per class
    positives = labels.sum(dim=1)
    return (labels.shape[1] - positives) / positives


def pos_weight_inverted(labels):  # positives / negatives
    positives = labels.sum(dim=0)
    return positives / (labels.shape[0] - positives)


def pos_weight_all_over_positives(labels):  # N / positives: the positives counted among the negatives
    return labels.shape[0] / labels.sum(dim=0)


def pos_weight_one_number(labels):  # one ratio for the whole matrix, as in the binary case
    return (labels == 0).sum() / labels.sum()


def pos_weight_integer_division(labels):  # int64 counts and floor division
    positives = labels.long().sum(dim=0)
    return (labels.shape[0] - positives) // positives


def pos_weight_list(labels):  # a Python list, not a tensor
    positives = labels.sum(dim=0).tolist()
    return [(len(labels) - p) / p for p in positives]


# exercise 3: the loss tensor of the seeded model
def _model_and_data(model_first=True):
    _ = torch.manual_seed(2)
    if model_first:
        model = nn.Linear(3, 1)
        X = torch.randn(5, 3)
    else:
        X = torch.randn(5, 3)
        model = nn.Linear(3, 1)
    return model, X, torch.tensor([0, 1, 1, 0, 1])


def loss_sum():  # reduction="sum"
    model, X, labels = _model_and_data()
    return nn.BCEWithLogitsLoss(reduction="sum")(model(X).squeeze(1), labels.float())


def loss_bce_on_probs():  # BCELoss after a sigmoid: the same value here, but not the loss asked for
    model, X, labels = _model_and_data()
    return nn.BCELoss()(torch.sigmoid(model(X)).squeeze(1), labels.float())


def loss_double_sigmoid():  # probabilities given to BCEWithLogitsLoss
    model, X, labels = _model_and_data()
    return nn.BCEWithLogitsLoss()(torch.sigmoid(model(X)).squeeze(1), labels.float())


def loss_data_before_model():  # X drawn before the weights
    model, X, labels = _model_and_data(model_first=False)
    return nn.BCEWithLogitsLoss()(model(X).squeeze(1), labels.float())


def loss_item():  # a Python float
    model, X, labels = _model_and_data()
    return nn.BCEWithLogitsLoss()(model(X).squeeze(1), labels.float()).item()


def loss_per_element():  # reduction="none"
    model, X, labels = _model_and_data()
    return nn.BCEWithLogitsLoss(reduction="none")(model(X).squeeze(1), labels.float())


def loss_unseeded():  # no torch.manual_seed(2)
    _ = torch.manual_seed(0)
    model, X = nn.Linear(3, 1), torch.randn(5, 3)
    return nn.BCEWithLogitsLoss()(model(X).squeeze(1), torch.tensor([0.0, 1.0, 1.0, 0.0, 1.0]))


# {exercise number: {short description: (arguments passed to check_exercise_N, a piece of the failure message)}}
WRONG = {
    1: {
        "signed-labels": ((bce_signed_labels,), "soft targets"),
        "where-on-target": ((bce_where_on_target,), "soft targets"),
        "exp-overflow": ((bce_exp_of_minus_x,), "inf or nan"),
        "where-on-sign-nan-gradient": ((bce_where_on_sign,), "gradient"),
        "log-not-log1p": ((bce_log_instead_of_log1p,), "log1p"),
        "library-function": ((bce_library,), "it calls F.binary_cross_entropy_with_logits"),
        "library-module": ((bce_module,), "it calls F.binary_cross_entropy_with_logits"),
        "sigmoid": ((bce_through_sigmoid,), "it calls torch.sigmoid"),
        "softplus": ((bce_softplus,), "it calls F.softplus"),
        "mean": ((bce_mean,), "one loss per element"),
        "sign-error": ((bce_sign_error,), "wrong for 0/1 targets"),
        "detached": ((bce_detached,), "no gradient"),
    },
    2: {
        "wrong-dim": ((pos_weight_wrong_dim,), "dim=0"),
        "inverted": ((pos_weight_inverted,), "upside down"),
        "all-over-positives": ((pos_weight_all_over_positives,), "count only the negatives"),
        "one-number": ((pos_weight_one_number,), "one weight per column"),
        "integer-division": ((pos_weight_integer_division,), "float tensor"),
        "list": ((pos_weight_list,), "expected a tensor"),
    },
    3: {
        "sum": ((loss_sum(),), "sum"),
        "bce-on-probabilities": ((loss_bce_on_probs(),), "BCELoss on probabilities"),
        "double-sigmoid": ((loss_double_sigmoid(),), "sigmoid is applied twice"),
        "data-before-model": ((loss_data_before_model(),), "X was drawn before the model"),
        "item": ((loss_item(),), "loss tensor itself"),
        "per-element": ((loss_per_element(),), "one number"),
        "unseeded": ((loss_unseeded(),), "manual_seed(2)"),
    },
}


@pytest.mark.parametrize(("n", "args", "fragment"), wrong_cases(WRONG))
def test_wrong_solution_fails_and_says_why(checks, n, args, fragment):
    out = run_check(checks, n, *args)
    assert out.startswith(f"exercise {n}: fail"), out
    assert fragment in out, out
