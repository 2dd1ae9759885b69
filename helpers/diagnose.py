"""``diagnose_loss``: what looks wrong in one batch for one loss, and why (notebook 10).

``diagnose_loss(loss_fn, input, target)`` takes a loss module or a ``torch.nn.functional`` loss (its
options as keywords, or in a ``functools.partial``) and returns a list of :class:`Finding`, most serious
first (the order of ``CODES``), empty when nothing looks wrong. It reads the options that matter, never
modifies its arguments, never raises for tensors (a batch PyTorch rejects gets a finding that says why)
and costs a small multiple of the loss's forward (``scripts/bench_diagnose.py``). One function per
family of losses here; the checks they share are in ``helpers._diagnose_rules``.
"""

from __future__ import annotations

import functools
import inspect
import math
from dataclasses import dataclass
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from . import _diagnose_rules as rules
from ._checks import _describe
from .focal import FocalLoss, focal_loss

CODES = (  # most serious first: values that poison everything, calls that raise, silent mistakes, then hints
    "input_not_finite", "target_not_finite", "loss_not_finite", "invalid_option", "swapped_arguments", "input_dtype",
    "target_dtype", "target_shape", "one_hot_target", "target_out_of_range", "logits_as_probabilities", "empty_batch",
    "all_targets_ignored", "broadcast_shapes", "probabilities_as_logits", "not_log_probabilities",
    "saturated_probabilities", "soft_target_not_distribution", "initial_loss_high", "imbalanced_classes",
    "log_probabilities_as_logits")
_FUNCTIONS = {"cross_entropy": "cross_entropy", "nll_loss": "nll", "binary_cross_entropy": "bce",
              "binary_cross_entropy_with_logits": "bce_logits", "mse_loss": "regression", "l1_loss": "regression",
              "smooth_l1_loss": "regression", "huber_loss": "regression"}
_MODULES = ((nn.CrossEntropyLoss, "cross_entropy"), (nn.NLLLoss, "nll"), (nn.BCEWithLogitsLoss, "bce_logits"),
            (nn.BCELoss, "bce"), (nn.MSELoss, "regression"), (nn.L1Loss, "regression"),
            (nn.SmoothL1Loss, "regression"), (nn.HuberLoss, "regression"))
_ELEMENTWISE = {"KLDivLoss", "kl_div", "PoissonNLLLoss", "poisson_nll_loss", "SoftMarginLoss", "soft_margin_loss",
                "MultiLabelSoftMarginLoss", "multilabel_soft_margin_loss"}
_DEFAULTS = {"weight": None, "ignore_index": -100, "reduction": "mean", "label_smoothing": 0.0, "pos_weight": None,
             "delta": 1.0, "beta": 1.0}


@dataclass(frozen=True)
class Finding:
    """One thing that looks wrong: ``code``, a short stable identifier; ``message``, what was seen, why it
    matters and the fix. ``str(finding)`` is the message."""

    code: str
    message: str

    def __str__(self) -> str:
        return self.message


def _not_a_loss(loss_fn: Any) -> TypeError:
    return TypeError("loss_fn must be a PyTorch loss module (e.g. nn.CrossEntropyLoss()) or a "
                     f"torch.nn.functional loss (e.g. F.cross_entropy), got {_describe(loss_fn)}")


def _resolve(loss_fn: Any, given: dict) -> tuple[str, str, dict]:
    """(family, name, options) of a loss module, a functional loss or a partial of one."""
    if isinstance(loss_fn, type):
        if not issubclass(loss_fn, nn.Module):
            raise _not_a_loss(loss_fn)
        raise TypeError(f"loss_fn must be a loss, got the class {loss_fn.__name__}: pass an instance, "
                        f"{loss_fn.__name__}()")
    if isinstance(loss_fn, functools.partial):
        if loss_fn.args:
            raise TypeError("loss_fn: a functools.partial may bind options by keyword only, not positional arguments")
        given, loss_fn = {**loss_fn.keywords, **given}, loss_fn.func
    if isinstance(loss_fn, nn.Module):
        if given:
            raise TypeError(f"options {sorted(given)} apply to functional losses; "
                            f"{type(loss_fn).__name__} carries its own")
        opts = {key: getattr(loss_fn, key, default) for key, default in _DEFAULTS.items()}
        focal = "focal" if isinstance(loss_fn, FocalLoss) else None
        family = next((f for cls, f in _MODULES if isinstance(loss_fn, cls)), focal)
        if family is None and not isinstance(loss_fn, nn.modules.loss._Loss):
            raise _not_a_loss(loss_fn)
        return family or "generic", type(loss_fn).__name__, opts
    name = getattr(loss_fn, "__name__", "")
    functional = getattr(loss_fn, "__module__", "") == "torch.nn.functional" and (
        name in _FUNCTIONS or name.endswith("_loss") or name == "kl_div")
    if not callable(loss_fn) or not (functional or loss_fn is focal_loss):
        raise _not_a_loss(loss_fn)
    parameters = inspect.signature(loss_fn).parameters
    unknown = sorted(set(given) - set(parameters))
    if unknown:
        raise TypeError(f"{name}() takes no option {unknown[0]!r}")
    defaults = {key: parameters[key].default if key in parameters else value for key, value in _DEFAULTS.items()}
    if loss_fn is focal_loss:
        return "focal", name, {**defaults, **given}
    return _FUNCTIONS.get(name, "generic"), f"F.{name}", {**defaults, **given}


def _classification(name: str, x: torch.Tensor, t: torch.Tensor, opts: dict, nll: bool) -> rules.Found:
    """CrossEntropyLoss (nll=False) and NLLLoss (nll=True)."""
    if not x.is_floating_point() or x.ndim == 0:
        swapped = t.is_floating_point() and t.ndim == x.ndim + 1
        found = f"input has dtype {x.dtype} and shape {tuple(x.shape)}"
        if swapped:
            return [("swapped_arguments", f"{found}, target {t.dtype} {tuple(t.shape)}: the arguments are "
                     f"swapped; call {name}(scores, targets).")]
        return [("input_dtype", f"{found}: {name} wants floating scores of shape (N, C) or (C,).")]
    dim = 1 if x.ndim >= 2 else 0
    n_classes = x.shape[dim]
    out = rules.options(name, opts, n_classes, x.dtype)
    bounds = rules.value_range(x)
    if not rules.finite(bounds) and (nll or math.isnan(bounds[0] + bounds[1]) or bounds[1] == math.inf):
        hint = ""
        if nll and bounds[0] == -math.inf:
            hint = (" A -inf log-probability is what torch.log(torch.softmax(z)) gives once a probability "
                    "underflows to 0, and its gradient is NaN: use F.log_softmax(z).")
        out += rules.not_finite(name, x, "input", bounds, hint)  # -inf logits are masks for CrossEntropyLoss
    soft = not nll and t.shape == x.shape and t.is_floating_point()
    if soft:
        found, usable = rules.soft_target(name, t, dim, opts)
        counts, count = None, t.numel() // max(n_classes, 1) if usable else 0
    else:
        found, counts = rules.index_target(name, x, t, dim, opts, nll)
        usable, count = counts is not None, int(counts.sum().item()) if counts is not None else 0
    scores = rules.scores_findings(name, x, dim, bounds, nll)
    out += found + scores
    if usable and count == 0 and opts["reduction"] == "mean":
        what = f"every target equals ignore_index={opts['ignore_index']}" if t.numel() else "the batch is empty"
        out.append(("all_targets_ignored", f"{what}: the mean over no targets is NaN (0 / 0). Skip such "
                    "batches, or sum and divide by the number of kept targets clamped to at least 1."))
    clean = rules.finite(bounds) or not (nll or math.isnan(bounds[0] + bounds[1]) or bounds[1] == math.inf)
    if usable and clean and not scores and count >= rules.MIN_BATCH and n_classes >= 2:
        ignore = opts["ignore_index"]
        xs, ts, sampled = rules.head(x, t, x.numel() // max(x.shape[0] * n_classes, 1) if x.ndim > 1 else 1)
        try:
            loss = F.cross_entropy(xs, ts) if soft else F.nll_loss(xs, ts, ignore_index=ignore) if nll else \
                F.cross_entropy(xs, ts, ignore_index=ignore)
            value = loss.item()
        except (RuntimeError, ValueError, IndexError, NotImplementedError):
            value = 0.0
        kept = ts.numel() // n_classes if soft else int((ts != ignore).sum().item()) if sampled else count
        if not math.isfinite(value):
            out.append(("input_not_finite", f"the loss is {value}: the score of a target class is -inf (a "
                        "masked class used as a label?). Find the example with torch.isfinite on the loss "
                        "with reduction='none'."))
        elif kept >= rules.MIN_BATCH:
            out += rules.chance(name, value, n_classes, kept, sampled)
    if counts is not None and count >= rules.MIN_IMBALANCE:
        weight = opts.get("weight")
        weights = (None if weight is None or weight.numel() != n_classes
                   else weight.detach().to("cpu", torch.float64).reshape(-1))

        def fix() -> str:
            inverse = ", ".join(rules.fmt(count / (n_classes * c)) for c in counts[counts > 0].tolist())
            listed = f" ([{inverse}] for the classes present)" if n_classes <= 10 else ""
            return f"weight=N / (C * count) per class{listed}, or sample balanced batches"

        out += rules.imbalance(name, counts, weights, [f"class {c}" for c in range(n_classes)], fix)
    return out


def _binary(name: str, family: str, x: torch.Tensor, t: torch.Tensor, opts: dict) -> rules.Found:
    """BCELoss (probabilities), BCEWithLogitsLoss and helpers' focal loss (logits)."""
    out, g = rules.options(name, opts, None, x.dtype), rules.fmt
    wants = "probabilities" if family == "bce" else "logits"
    what = {"pos_weight": "one value per class, along the last dimension", "weight": "a weight of the input shape"}
    for key in ("weight", "pos_weight"):
        given = opts.get(key)
        if given is not None and rules.broadcast(given.shape, x.shape) != tuple(x.shape):
            out.append(("invalid_option", f"{key} has shape {tuple(given.shape)}, which does not broadcast to "
                        f"the input's {tuple(x.shape)}: {name} raises RuntimeError. Give {what[key]}."))
    if not x.is_floating_point():
        return out + [("input_dtype", f"input has dtype {x.dtype}: {name} wants floating {wants}.")]
    if not t.is_floating_point():
        said = {"bce": f"'Found dtype {str(t.dtype)[6:].capitalize()} but expected Float'", "focal": "ValueError",
                "bce_logits": "'result type Float can't be cast to the desired output type ...'"}
        out.append(("target_dtype", f"target has dtype {t.dtype}: {name} wants float targets and raises an "
                    f"error ({said[family]}). Fix: target.float(), or target.to(input.dtype)."))
    elif t.dtype != x.dtype and family != "bce_logits":
        out.append(("target_dtype", f"target has dtype {t.dtype}, input {x.dtype}: {name} wants one dtype for "
                    "both and raises an error. Fix: target.to(input.dtype)."))
    if t.shape != x.shape:
        fix = ("input.squeeze(-1), or target.unsqueeze(-1)" if x.shape == t.shape + (1,) else "target.squeeze(-1)"
               if t.shape == x.shape + (1,) else "reshape so that each prediction meets its own target")
        out.append(("target_shape", f"input {tuple(x.shape)} and target {tuple(t.shape)} differ: {name} raises "
                    f"ValueError instead of broadcasting. Fix: {fix}."))
    bx = rules.value_range(x)
    bt = rules.value_range(t) if t.is_floating_point() else None
    out += rules.not_finite(name, x, "input", bx) + rules.not_finite(name, t, "target", bt)
    if bx is None or not rules.finite(bx) or not rules.finite(bt) or out:
        return out + rules.empty(name, x, opts)
    (low, high), (t_low, t_high) = bx, bt or (0.0, 1.0)
    if family == "bce" and (low < 0 or high > 1):
        outside = int(((x < 0) | (x > 1)).sum().item())
        out.append(("logits_as_probabilities", f"{outside:,} of {x.numel():,} inputs lie outside [0, 1] (from "
                    f"{g(low)} to {g(high)}): BCELoss wants probabilities and raises an error. These look like "
                    "logits: give them to BCEWithLogitsLoss, which is exact at any logit."))
    if family != "bce" and 0 < low < high < 1 and x.numel() >= rules.MIN_ELEMENTS:  # 0: a fresh layer's logits
        out.append(("probabilities_as_logits", f"all {x.numel():,} inputs lie in (0, 1): probabilities, not "
                    f"logits? {name} applies a sigmoid itself, and a second one keeps every prediction in [0.5, "
                    "0.731], the loss above 0.313. Fix: remove the sigmoid from the model."))
    if t_low < 0 or t_high > 1:
        hint = ("labels in {-1, 1}: (target + 1) / 2" if (t_low, t_high) == (-1, 1) else "a 0/255 mask: target / 255"
                if t_high == 255 else "labels 1 and 2: target - 1" if (t_low, t_high) == (1, 2) else
                "a target is the probability of the positive class, in [0, 1]")
        effect = ("accepts them silently, and the loss can turn negative" if family == "bce_logits"
                  else "raises an error ('all elements of target should be between 0 and 1')" if family == "bce"
                  else "raises ValueError")
        out.append(("target_out_of_range", f"targets range from {g(t_low)} to {g(t_high)}, outside [0, 1]: "
                    f"{name} {effect}. Fix: {hint}."))
        return out
    if family == "bce" and low >= 0 and high <= 1 and (low == 0 or high == 1):
        wrong = int((((x == 1) & (t < 1)) | ((x == 0) & (t > 0))).sum().item())
        if wrong:
            out.append(("saturated_probabilities", f"{wrong:,} of {x.numel():,} probabilities are exactly 0 or 1 "
                        "against their target: BCELoss counts each as 100 (log 0 clamped at -100), with a gradient "
                        "of 0 at its logit, so the worst mistakes stop training. Fix: logits to BCEWithLogitsLoss."))
    if out or family == "focal":
        return out
    if x.numel() >= rules.MIN_BATCH:
        xs, ts, sampled = rules.head(x, t, x[0].numel() if x.ndim else 1)
        loss = F.binary_cross_entropy if family == "bce" else F.binary_cross_entropy_with_logits
        value = loss(xs, ts.to(x.dtype) if family == "bce" else ts).item()
        out += rules.chance(name, value, 2, xs.numel(), sampled) if math.isfinite(value) else []
    if opts.get("weight") is None and x.numel() >= rules.MIN_IMBALANCE:
        columns = t.ndim == 2 and t.shape[1] > 1
        positives = (t.sum(dim=0) if columns else t.sum().reshape(1)).double()
        n = t.shape[0] if columns else t.numel()
        pos_weight = opts.get("pos_weight")
        pw = (torch.ones_like(positives) if pos_weight is None or pos_weight.numel() not in (1, len(positives))
              else pos_weight.detach().to("cpu", torch.float64).reshape(-1).expand_as(positives))
        share = (pw * positives / (pw * positives + n - positives)).nan_to_num(0.5)
        j = int((share - 0.5).abs().argmax().item())
        where, counts = f" in column {j}" if columns else "", torch.stack([n - positives[j], positives[j]])
        ratio = f" = {g(counts[0].item() / counts[1].item())}" if counts[1].item() > 0 else ""
        labels = [f"the negative label (0){where}", f"the positive label (1){where}"]
        weights = None if pos_weight is None else torch.stack([torch.ones((), dtype=torch.float64), pw[j]])
        out += rules.imbalance(name, counts, weights, labels, lambda: f"pos_weight = negatives / positives{ratio}")
    return out


def _regression(name: str, x: torch.Tensor, t: torch.Tensor, opts: dict) -> rules.Found:
    """MSELoss, L1Loss, SmoothL1Loss, HuberLoss: shapes, dtype, finiteness."""
    out = rules.options(name, opts, None)
    if opts.get("weight") is not None and opts["weight"].shape != x.shape:
        out.append(("invalid_option", f"weight has shape {tuple(opts['weight'].shape)}, the input "
                    f"{tuple(x.shape)}: {name} raises ValueError; give one weight per element."))
    if not x.is_floating_point():
        out.append(("input_dtype", f"input has dtype {x.dtype}: {name} needs floating predictions (.float())."))
    if t.dtype == torch.bool:
        out.append(("target_dtype", f"target has dtype torch.bool: {name} may refuse it (L1Loss subtracts, "
                    "which bool does not support) and treats True as 1. Fix: target.float()."))
    if t.shape != x.shape:
        shape = rules.broadcast(x.shape, t.shape)
        if shape is None:
            out.append(("target_shape", f"input {tuple(x.shape)} and target {tuple(t.shape)} do not broadcast: "
                        f"{name} raises RuntimeError. Give them the same shape, one target per prediction."))
        else:
            fix = ("target.unsqueeze(-1), or input.squeeze(-1)" if x.shape == t.shape + (1,) else
                   "input.unsqueeze(-1), or target.squeeze(-1)" if t.shape == x.shape + (1,) else
                   "reshape one to the other's shape (or expand_as, if one target is meant for all)")
            out.append(("broadcast_shapes", f"input {tuple(x.shape)} and target {tuple(t.shape)} broadcast to "
                        f"{shape}: {name} compares {math.prod(shape):,} pairs of predictions and targets that are "
                        "not theirs, and PyTorch only warns; trained on it, a model predicts the mean of the "
                        f"targets whatever its input. Fix: {fix}, so that the shapes are equal."))
    out += rules.not_finite(name, x, "input") + rules.not_finite(name, t, "target") + rules.empty(name, x, opts)
    if not out and name in ("MSELoss", "F.mse_loss") and x.numel():
        xs, ts, sampled = rules.head(x, t, x[0].numel() if x.ndim else 1)
        if not math.isfinite(F.mse_loss(xs, ts).item()):  # finite values whose squares overflow float32
            out.append(("loss_not_finite", "the loss is inf although input and target are finite: predictions "
                        f"up to {rules.fmt(xs.abs().max().item())} square beyond float32's largest number, "
                        "3.4e+38. Training has diverged: a learning rate too large (with reduction='sum', N "
                        "times too large)."))
    return out


def _generic(name: str, x: torch.Tensor, t: torch.Tensor, opts: dict) -> rules.Found:
    """Any other loss: what holds for every loss; shapes for the elementwise ones (KLDivLoss, ...)."""
    out = rules.options(name, {**opts, "reduction": "mean"} if opts["reduction"] == "batchmean" else opts, None)
    if not x.is_floating_point():
        out.append(("input_dtype", f"input has dtype {x.dtype}: {name} wants floating predictions (.float())."))
    if name in ("KLDivLoss", "F.kl_div") and not t.is_floating_point():
        out.append(("target_dtype", f"target has dtype {t.dtype}: {name} wants probabilities (.float())."))
    if name.removeprefix("F.") in _ELEMENTWISE and rules.broadcast(x.shape, t.shape) is None:
        out.append(("target_shape", f"input {tuple(x.shape)} and target {tuple(t.shape)} do not broadcast: "
                    f"{name} raises RuntimeError. Give them the same shape."))
    return out + rules.not_finite(name, x, "input") + rules.not_finite(name, t, "target") + rules.empty(name, x, opts)


def diagnose_loss(loss_fn: Any, input: torch.Tensor, target: torch.Tensor, **options: Any) -> list[Finding]:
    """What looks wrong in ``loss_fn(input, target)`` for this one batch, most serious first; ``[]`` if nothing.

    ``loss_fn`` is a loss module or a ``torch.nn.functional`` loss; ``options`` are a functional loss's
    keyword arguments (``weight=``, ``ignore_index=``, ...), as you would pass them to it. Each
    :class:`Finding` names what it saw in this batch, with numbers, why it matters and the fix.
    Raises TypeError for a ``loss_fn`` that is not a loss or arguments that are not tensors; never for
    tensors, nor modifies them. Used in notebook 10; the codes are in ``helpers.diagnose.CODES``.
    """
    family, name, opts = _resolve(loss_fn, options)
    for arg, value in (("input", input), ("target", target)):
        if not isinstance(value, torch.Tensor):
            raise TypeError(f"{arg} must be a torch.Tensor, got {_describe(value)}")
    for key in ("weight", "pos_weight"):
        if opts.get(key) is not None and not isinstance(opts[key], torch.Tensor):
            raise TypeError(f"{key} must be a torch.Tensor or None, got {_describe(opts[key])}")
    x, t = input.detach(), target.detach()
    with torch.no_grad():
        if family in ("cross_entropy", "nll"):
            found = _classification(name, x, t, opts, nll=family == "nll")
        elif family in ("bce", "bce_logits", "focal"):
            found = _binary(name, family, x, t, opts)
        elif family == "regression":
            found = _regression(name, x, t, opts)
        else:
            found = _generic(name, x, t, opts)
    unique = list(dict.fromkeys(found))
    return [Finding(code, message) for code, message in sorted(unique, key=lambda item: CODES.index(item[0]))]
