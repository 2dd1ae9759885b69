"""Exercise checks of notebook 04 catch wrong solutions a learner would plausibly write (see exercise_harness.py)."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from exercise_harness import load_checks, run_check, wrong_cases

NOTEBOOK = "04_reduction.ipynb"


@pytest.fixture(scope="module")
def checks():
    return load_checks(NOTEBOOK)


# Exercise 1: to_reduction(size_average, reduce) -> 'none' | 'mean' | 'sum', without asking torch.
def reduction_none_counts_as_false(size_average, reduce):
    if not reduce:  # None is falsy, but reduce=None means "not given", i.e. True
        return "none"
    if not size_average:
        return "sum"
    return "mean"


def reduction_size_average_first(size_average, reduce):
    if size_average is False:
        return "sum"
    if reduce is False:
        return "none"
    return "mean"


def reduction_meanings_swapped(size_average, reduce):
    if reduce is False:  # "do not reduce" read as "do not average"
        return "sum"
    if size_average is False:
        return "none"
    return "mean"


def reduction_from_a_loss(size_average, reduce):
    return nn.MSELoss(size_average=size_average, reduce=reduce).reduction


def reduction_from_torch(size_average, reduce):
    return torch.nn._reduction.legacy_get_string(size_average, reduce, emit_warning=False)


# Exercise 2: weighted_ce_mean(logits, targets, weight) equal to F.cross_entropy(..., weight=weight).
def _none(logits, targets, weight):
    return F.cross_entropy(logits, targets, weight=weight, reduction="none")


def ce_divided_by_n(logits, targets, weight):
    return _none(logits, targets, weight).mean()


def ce_divided_by_kept_count(logits, targets, weight):
    return _none(logits, targets, weight).sum() / (targets != -100).sum()


def ce_divided_by_class_weights(logits, targets, weight):
    return _none(logits, targets, weight).sum() / weight.sum()


def ce_ignored_weights_counted(logits, targets, weight):
    return _none(logits, targets, weight).sum() / weight[targets.clamp(min=0)].sum()


def ce_index_with_ignored(logits, targets, weight):
    return _none(logits, targets, weight).sum() / weight[targets].sum()  # weight[-100]: IndexError


def ce_library_mean(logits, targets, weight):
    return F.cross_entropy(logits, targets, weight=weight)


def ce_module_mean(logits, targets, weight):
    return nn.CrossEntropyLoss(weight=weight)(logits, targets)


def ce_item(logits, targets, weight):
    kept = targets != -100
    return (_none(logits, targets, weight).sum() / weight[targets[kept]].sum()).item()


# Exercise 3: masked_mean(losses, mask), 0 for an all-False mask, blind to values at False positions.
def masked_plain_mean(losses, mask):
    return (losses * mask).mean()


def masked_index_mean(losses, mask):
    return losses[mask].mean()  # nan for an all-False mask


def masked_multiply(losses, mask):
    return (losses * mask).sum() / mask.sum().clamp(min=1)  # inf * 0 = nan at padded positions


def masked_row_means(losses, mask):
    return ((losses * mask).sum(1) / mask.sum(1)).mean()


def masked_per_row(losses, mask):
    return torch.where(mask, losses, 0.0).sum(1) / mask.sum(1).clamp(min=1)


def masked_unmasked_sum(losses, mask):
    return losses.sum() / mask.sum().clamp(min=1)


def masked_item(losses, mask):
    return (torch.where(mask, losses, 0.0).sum() / mask.sum().clamp(min=1)).item()


WRONG = {
    1: {
        "none-counts-as-false": ((reduction_none_counts_as_false,), "None means"),
        "size-average-first": ((reduction_size_average_first,), "whatever size_average says"),
        "meanings-swapped": ((reduction_meanings_swapped,), "reduce=False gives 'none'"),
        "constructs-a-loss": ((reduction_from_a_loss,), "constructed a loss"),
        "calls-torch": ((reduction_from_torch,), "legacy_get_string"),
    },
    2: {
        "divided-by-n": ((ce_divided_by_n,), "batch size"),
        "divided-by-kept-count": ((ce_divided_by_kept_count,), "number of kept targets"),
        "divided-by-class-weights": ((ce_divided_by_class_weights,), "class weights"),
        "ignored-weights-counted": ((ce_ignored_weights_counted,), "ignored"),
        "index-with-ignored": ((ce_index_with_ignored,), "-100"),
        "library-mean": ((ce_library_mean,), "reduction='none'"),
        "module-mean": ((ce_module_mean,), "reduction='none'"),
        "item": ((ce_item,), "tensor"),
    },
    3: {
        "plain-mean": ((masked_plain_mean,), "number of True"),
        "index-mean-nan": ((masked_index_mean,), "all-False"),
        "multiply-inf": ((masked_multiply,), "inf * 0"),
        "row-means": ((masked_row_means,), "row means"),
        "per-row": ((masked_per_row,), "one number"),
        "unmasked-sum": ((masked_unmasked_sum,), "number of True"),
        "item": ((masked_item,), "detached"),
    },
}


@pytest.mark.parametrize(("n", "args", "fragment"), wrong_cases(WRONG))
def test_wrong_solution_fails_and_says_why(checks, n, args, fragment):
    out = run_check(checks, n, *args)
    assert out.startswith(f"exercise {n}: fail"), out
    assert fragment in out, out


def masked_nan_to_num(losses, mask):
    return torch.nan_to_num(torch.where(mask, losses, 0.0)[mask].mean(), nan=0.0)


def ce_nll(logits, targets, weight):
    losses = F.nll_loss(F.log_softmax(logits, dim=1), targets, weight=weight, reduction="none")
    return losses.sum() / weight[targets[targets != -100]].sum()


@pytest.mark.parametrize(
    ("n", "args"),
    [
        (1, (lambda s, r: "none" if r is False else "sum" if s is False else "mean",)),
        (2, (ce_nll,)),
        (3, (masked_nan_to_num,)),
    ],
)
def test_other_right_solutions_pass(checks, n, args):
    assert run_check(checks, n, *args) == f"exercise {n}: pass\n"
