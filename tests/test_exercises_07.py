"""Exercise checks of notebook 07 catch wrong solutions a learner would plausibly write (see exercise_harness.py)."""

from __future__ import annotations

import math

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from exercise_harness import load_checks, run_check, wrong_cases

NOTEBOOK = "07_multiclass_losses.ipynb"


@pytest.fixture(scope="module")
def checks():
    return load_checks(NOTEBOOK)


# Exercise 1: floor_fn(C), the smallest loss of a model that ends in a softmax.
def floor_ln_c(C):  # the loss of equal logits, not the floor
    return math.log(C)


def floor_counts_target_among_others(C):  # C terms of exp(-1) instead of C - 1
    return math.log(1 + C / math.e)


def floor_without_target_term(C):  # forgets the target's own exp(0) = 1
    return math.log((C - 1) / math.e)


def floor_zero(C):  # "a perfect prediction has loss 0"
    return 0.0


def floor_exp_plus_one(C):  # sign slip: exp(+1) instead of exp(-1)
    return math.log(1 + (C - 1) * math.e)


def floor_torch_log_of_float(C):  # torch.log needs a tensor, not a Python float
    return torch.log(1 + (C - 1) / math.e)


# Exercise 2: to_class_indices(raw), (N, 1) float 1-based labels -> (N,) int64 0-based.
def indices_keep_column(raw):
    return raw.long() - 1


def indices_squeeze_all(raw):  # squeeze() also drops N when N = 1
    return raw.squeeze().long() - 1


def indices_no_shift(raw):
    return raw.squeeze(1).long()


def indices_float(raw):
    return raw.squeeze(1) - 1


def indices_int32(raw):
    return raw.squeeze(1).int() - 1


def indices_shift_by_min(raw):  # 0-based "relative to the batch"
    return (raw - raw.min()).squeeze(1).long()


def indices_argmax(raw):  # treats the column as one-hot
    return raw.argmax(dim=1)


# Exercise 3: weighted_ce(logits, targets, weight) from log_softmax, with -100 padding ignored.
def _pieces(logits, targets, weight, dim=1):
    kept = targets != -100
    t = targets.clamp(min=0)
    per_sample = -torch.log_softmax(logits, dim=dim)[torch.arange(len(t)), t] * kept
    return per_sample, weight[t] * kept, kept


def ce_mean_over_n(logits, targets, weight):
    losses, w, _ = _pieces(logits, targets, weight)
    return (w * losses).sum() / len(targets)


def ce_per_class_mean(logits, targets, weight):
    losses, _, kept = _pieces(logits, targets, weight)
    present = [c for c in range(len(weight)) if (kept & (targets == c)).any()]
    return torch.stack([losses[targets == c].mean() for c in present]).mean()


def ce_denominator_for_balanced_classes(logits, targets, weight):
    losses, w, kept = _pieces(logits, targets, weight)
    return (w * losses).sum() / (weight.sum() * kept.sum() / len(weight))


def ce_sum_of_all_class_weights(logits, targets, weight):
    losses, w, _ = _pieces(logits, targets, weight)
    return (w * losses).sum() / weight.sum()


def ce_unweighted(logits, targets, weight):
    losses, _, kept = _pieces(logits, targets, weight)
    return losses.sum() / kept.sum()


def ce_library(logits, targets, weight):
    return F.cross_entropy(logits, targets, weight=weight)


def ce_nll_loss(logits, targets, weight):
    return F.nll_loss(torch.log_softmax(logits, dim=1), targets, weight=weight)


def ce_module(logits, targets, weight):
    return nn.CrossEntropyLoss(weight=weight)(logits, targets)


def ce_log_of_softmax(logits, targets, weight):  # -inf once a target's probability underflows
    kept = targets != -100
    t = targets[kept]
    per_sample = -torch.log(torch.softmax(logits[kept], dim=1))[torch.arange(len(t)), t]
    return (weight[t] * per_sample).sum() / weight[t].sum()


def ce_softmax_first(logits, targets, weight):
    return ce_reference(torch.softmax(logits, dim=1), targets, weight)


def ce_wrong_dim(logits, targets, weight):
    losses, w, _ = _pieces(logits, targets, weight, dim=0)
    return (w * losses).sum() / w.sum()


def ce_item(logits, targets, weight):
    return ce_reference(logits, targets, weight).item()


def ce_rewrapped(logits, targets, weight):  # torch.tensor(...) of the value: no gradient
    return torch.tensor(ce_reference(logits, targets, weight).item())


def ce_detached_normaliser(logits, targets, weight):  # logsumexp treated as a constant
    kept = targets != -100
    t, z = targets[kept], logits[kept]
    per_sample = torch.logsumexp(z, dim=1).detach() - z[torch.arange(len(t)), t]
    return (weight[t] * per_sample).sum() / weight[t].sum()


def ce_padding_not_handled(logits, targets, weight):  # right without padding, IndexError with it
    per_sample = -torch.log_softmax(logits, dim=1)[torch.arange(len(targets)), targets]
    return (weight[targets] * per_sample).sum() / weight[targets].sum()


def ce_padding_in_denominator(logits, targets, weight):  # zeroes the padding's loss, keeps its weight
    losses, _, _ = _pieces(logits, targets, weight)
    w = weight[targets.clamp(min=0)]
    return (w * losses).sum() / w.sum()


def ce_reference(logits, targets, weight):
    kept = targets != -100
    t = targets[kept]
    per_sample = -torch.log_softmax(logits[kept], dim=1)[torch.arange(len(t)), t]
    return (weight[t] * per_sample).sum() / weight[t].sum()


# {exercise number: {short description: (arguments passed to check_exercise_N, a piece of the failure message)}}
WRONG = {
    1: {
        "ln-C": ((floor_ln_c,), "ln C is the loss of equal logits"),
        "C-terms-of-exp(-1)": ((floor_counts_target_among_others,), "C - 1 other classes"),
        "no-target-term": ((floor_without_target_term,), "C - 1 other classes"),
        "zero": ((floor_zero,), "cannot reach 0"),
        "exp(+1)": ((floor_exp_plus_one,), "the loss of perfect probabilities is"),
        "torch.log-of-a-float": ((floor_torch_log_of_float,), "raised TypeError"),
    },
    2: {
        "keeps-the-column": ((indices_keep_column,), "squeeze(1)"),
        "squeeze()-drops-N=1": ((indices_squeeze_all,), "squeeze() also drops N = 1"),
        "not-shifted": ((indices_no_shift,), "subtract 1 from every label"),
        "float-dtype": ((indices_float,), "expected an int64 tensor"),
        "int32": ((indices_int32,), "expected an int64 tensor, got torch.int32"),
        "shift-by-batch-min": ((indices_shift_by_min,), "not the smallest label of the batch"),
        "argmax-of-the-column": ((indices_argmax,), "expected the 0-based labels"),
    },
    3: {
        "divides-by-N": ((ce_mean_over_n,), "you divide by N"),
        "per-class-mean": ((ce_per_class_mean,), "you average per class first"),
        "denominator-right-only-for-balanced-classes": ((ce_denominator_for_balanced_classes,), "equally frequent"),
        "sum-of-all-class-weights": ((ce_sum_of_all_class_weights,), "a sum over classes"),
        "unweighted": ((ce_unweighted,), "the weights are missing"),
        "F.cross_entropy": ((ce_library,), "calls F.cross_entropy or F.nll_loss"),
        "F.nll_loss": ((ce_nll_loss,), "calls F.cross_entropy or F.nll_loss"),
        "nn.CrossEntropyLoss": ((ce_module,), "calls F.cross_entropy or F.nll_loss"),
        "log-of-softmax": ((ce_log_of_softmax,), "use torch.log_softmax"),
        "softmax-before-log_softmax": ((ce_softmax_first,), "softmax is applied before log_softmax"),
        "log_softmax-over-dim-0": ((ce_wrong_dim,), "dim=0"),
        "returns-.item()": ((ce_item,), "expected a one-element tensor, got float"),
        "rewrapped-value": ((ce_rewrapped,), "has no gradient"),
        "detached-normaliser": ((ce_detached_normaliser,), "the gradient with respect to logits is not"),
        "padding-not-handled": ((ce_padding_not_handled,), "-100 marks padding: leave it out"),
        "padding-in-denominator": ((ce_padding_in_denominator,), "padding positions still count in the denominator"),
    },
}


@pytest.mark.parametrize(("n", "args", "fragment"), wrong_cases(WRONG))
def test_wrong_solution_fails_and_says_why(checks, n, args, fragment):
    out = run_check(checks, n, *args)
    assert out.startswith(f"exercise {n}: fail"), out
    assert fragment in out, out


def test_a_differently_written_right_solution_passes(checks):
    assert run_check(checks, 3, ce_reference) == "exercise 3: pass\n"
