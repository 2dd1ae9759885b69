"""Exercise checks of notebook 01 catch wrong solutions a learner would plausibly write (see exercise_harness.py)."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from exercise_harness import load_checks, run_check, wrong_cases

NOTEBOOK = "01_call_styles.ipynb"


@pytest.fixture(scope="module")
def checks():
    return load_checks(NOTEBOOK)


# Exercise 1: leaky(x), a function equal to nn.LeakyReLU(negative_slope=0.2) in values and gradients.
def leaky_default_slope(x):
    return F.leaky_relu(x)  # 0.01, not 0.2


def leaky_module(x):
    return nn.LeakyReLU(negative_slope=0.2)(x)  # the module, not a function


def leaky_inplace(x):
    return F.leaky_relu(x, 0.2, inplace=True)  # overwrites the caller's tensor


def leaky_maximum(x):
    return torch.maximum(x, 0.2 * x)  # right values, but the gradient at x = 0 is 0.6


def leaky_clamps(x):
    return x.clamp(min=0) + 0.2 * x.clamp(max=0)  # right values, but the gradient at x = 0 is 1.2


def leaky_python_if(x):
    return x if x > 0 else 0.2 * x  # a scalar formula: fails on a tensor


def leaky_slopes_swapped(x):
    return torch.where(x > 0, 0.2 * x, x)


def leaky_detached(x):
    return F.leaky_relu(x.detach(), 0.2)


# Exercise 2: nn.Sequential(Linear(3, 8), PReLU(8), Linear(8, 1)) and its parameter count, 49.
def prelu_net(num_parameters=8, bias=True, activation=None):
    act = activation if activation is not None else nn.PReLU(num_parameters=num_parameters)
    return nn.Sequential(nn.Linear(3, 8), act, nn.Linear(8, 1, bias=bias))


# Exercise 3: the mean BCE-with-logits of logits [2, -1, 0.5] and labels [1, 0, 0].
LOGITS, LABELS = torch.tensor([2.0, -1.0, 0.5]), torch.tensor([1.0, 0.0, 0.0])

WRONG = {
    1: {
        "default-slope": ((leaky_default_slope,), "slope"),
        "module": ((leaky_module,), "module nn.LeakyReLU"),
        "inplace": ((leaky_inplace,), "in place"),
        "maximum-gradient-at-0": ((leaky_maximum,), "gradient at x = 0"),
        "clamps-gradient-at-0": ((leaky_clamps,), "gradient at x = 0"),
        "python-if": ((leaky_python_if,), "raised RuntimeError"),
        "slopes-swapped": ((leaky_slopes_swapped,), "slope"),
        "detached": ((leaky_detached,), "detached"),
    },
    2: {
        "one-shared-slope": ((prelu_net(num_parameters=1), 42), "one slope per hidden unit"),
        "no-biases-counted": ((prelu_net(), 40), "biases"),
        "no-slopes-counted": ((prelu_net(), 41), "8 short"),
        "one-slope-counted": ((prelu_net(), 42), "one PReLU slope"),
        "relu-not-prelu": ((prelu_net(activation=nn.ReLU()), 41), "nn.PReLU"),
        "last-layer-without-bias": ((prelu_net(bias=False), 48), "no bias"),
        "count-as-float": ((prelu_net(), 49.0), "int"),
    },
    3: {
        "swapped": ((F.binary_cross_entropy_with_logits(LABELS, LOGITS),), "swapped"),
        "sum": ((F.binary_cross_entropy_with_logits(LOGITS, LABELS, reduction="sum"),), "sum"),
        "none": ((F.binary_cross_entropy_with_logits(LOGITS, LABELS, reduction="none"),), "one number"),
        "sigmoid-twice": ((F.binary_cross_entropy_with_logits(torch.sigmoid(LOGITS), LABELS),), "sigmoid"),
        "labels-flipped": ((F.binary_cross_entropy_with_logits(LOGITS, 1 - LABELS),), "right order"),
    },
}


@pytest.mark.parametrize(("n", "args", "fragment"), wrong_cases(WRONG))
def test_wrong_solution_fails_and_says_why(checks, n, args, fragment):
    out = run_check(checks, n, *args)
    assert out.startswith(f"exercise {n}: fail"), out
    assert fragment in out, out


@pytest.mark.parametrize(
    ("n", "args"),
    [
        (1, (lambda x: torch.where(x > 0, x, 0.2 * x),)),  # other right solutions pass too
        (1, (lambda x: F.leaky_relu(x, 1 / 5),)),
        (3, (nn.BCELoss()(torch.sigmoid(LOGITS), LABELS).item(),)),
    ],
)
def test_other_right_solutions_pass(checks, n, args):
    assert run_check(checks, n, *args) == f"exercise {n}: pass\n"
