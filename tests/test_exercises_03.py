"""Exercise checks of notebook 03 catch wrong solutions a learner would plausibly write (see exercise_harness.py)."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from exercise_harness import load_checks, run_check, wrong_cases

NOTEBOOK = "03_softmax.ipynb"


@pytest.fixture(scope="module")
def checks():
    return load_checks(NOTEBOOK)


# exercise 1: my_softmax(x, dim)
def softmax_global_max(x, dim):  # one shift for the whole tensor: a row far below the maximum becomes 0 / 0
    exps = torch.exp(x - x.max())
    return exps / exps.sum(dim=dim, keepdim=True)


def softmax_without_shift(x, dim):  # the naive formula: exp overflows for logits near 1000
    exps = torch.exp(x)
    return exps / exps.sum(dim=dim, keepdim=True)


def softmax_sum_without_keepdim(x, dim):  # (N, C) / (N,) does not broadcast (or broadcasts wrongly)
    exps = torch.exp(x - x.amax(dim=dim, keepdim=True))
    return exps / exps.sum(dim=dim)


def softmax_max_over_last_dim(x, dim):  # right only when dim is the last dimension
    exps = torch.exp(x - x.amax(dim=-1, keepdim=True))
    return exps / exps.sum(dim=dim, keepdim=True)


def softmax_sum_over_dim_1(x, dim):  # dim hard-coded to 1, the (N, C) case
    exps = torch.exp(x - x.amax(dim=1, keepdim=True))
    return exps / exps.sum(dim=1, keepdim=True)


def softmax_library(x, dim):  # the function the exercise asks to write
    return F.softmax(x, dim=dim)


def softmax_via_log_softmax(x, dim):  # the library again, through its log
    return torch.exp(torch.log_softmax(x, dim=dim))


def softmax_detached_sum(x, dim):  # treats the normaliser as a constant: right values, wrong gradient
    exps = torch.exp(x - x.amax(dim=dim, keepdim=True))
    return exps / exps.sum(dim=dim, keepdim=True).detach()


# exercise 2: my_log_softmax(logits), (N, C)
def log_of_softmax(logits):  # the form section 6d warns about, written out
    exps = torch.exp(logits - logits.amax(dim=1, keepdim=True))
    return torch.log(exps / exps.sum(dim=1, keepdim=True))


def log_sum_exp_naive(logits):  # log(sum(exp)) without the shift overflows at 200
    return logits - torch.log(torch.exp(logits).sum(dim=1, keepdim=True))


def logsumexp_over_dim_0(logits):  # normalises over the batch instead of the classes
    return logits - torch.logsumexp(logits, dim=0, keepdim=True)


def logsumexp_without_keepdim(logits):  # (N, C) - (N,) fails, or broadcasts along the wrong axis when N == C
    return logits - torch.logsumexp(logits, dim=1)


def log_softmax_library(logits):  # the function the exercise asks to write
    return F.log_softmax(logits, dim=1)


# exercise 3: two_class_logits(z), (N,) -> (N, 2)
def logits_swapped(z):  # [z, 0]: column 0 gets sigmoid(z), column 1 sigmoid(-z)
    return torch.stack([z, torch.zeros_like(z)], dim=1)


def logits_same_in_both_columns(z):  # [z, z]: always 0.5
    return torch.stack([z, z], dim=1)


def logits_symmetric(z):  # [-z, z]: a difference of 2z gives sigmoid(2z)
    return torch.stack([-z, z], dim=1)


def logits_stacked_along_dim_0(z):  # shape (2, N)
    return torch.stack([torch.zeros_like(z), z])


def logits_from_python_numbers(z):  # right values, but torch.tensor(...) cuts the graph
    return torch.tensor([[0.0, v] for v in z.tolist()])


def logits_probabilities(z):  # puts the probability where the logit belongs
    return torch.stack([1 - torch.sigmoid(z), torch.sigmoid(z)], dim=1)


# {exercise number: {short description: (arguments passed to check_exercise_N, a piece of the failure message)}}
WRONG = {
    1: {
        "global-max": ((softmax_global_max,), "own maximum"),
        "no-shift": ((softmax_without_shift,), "subtract the maximum"),
        "sum-without-keepdim": ((softmax_sum_without_keepdim,), "keepdim"),
        "max-over-last-dim": ((softmax_max_over_last_dim,), "differs from F.softmax"),
        "dim-hard-coded": ((softmax_sum_over_dim_1,), "differs from F.softmax"),
        "library-softmax": ((softmax_library,), "calls F.softmax"),
        "library-log-softmax": ((softmax_via_log_softmax,), "calls torch.log_softmax"),
        "detached-sum": ((softmax_detached_sum,), "gradient"),
    },
    2: {
        "log-of-softmax": ((log_of_softmax,), "log(softmax(x))"),
        "naive-log-sum-exp": ((log_sum_exp_naive,), "-inf or nan"),
        "dim-0": ((logsumexp_over_dim_0,), "dim=1"),
        "without-keepdim": ((logsumexp_without_keepdim,), "keepdim"),
        "library": ((log_softmax_library,), "calls F.log_softmax"),
    },
    3: {
        "swapped-columns": ((logits_swapped,), "swapped"),
        "same-columns": ((logits_same_in_both_columns,), "sigmoid(z)"),
        "symmetric": ((logits_symmetric,), "sigmoid(z)"),
        "stacked-along-dim-0": ((logits_stacked_along_dim_0,), "shape"),
        "python-numbers": ((logits_from_python_numbers,), "gradient"),
        "probabilities-as-logits": ((logits_probabilities,), "sigmoid(z)"),
    },
}


@pytest.mark.parametrize(("n", "args", "fragment"), wrong_cases(WRONG))
def test_wrong_solution_fails_and_says_why(checks, n, args, fragment):
    out = run_check(checks, n, *args)
    assert out.startswith(f"exercise {n}: fail"), out
    assert fragment in out, out
