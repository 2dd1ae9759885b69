"""The checks behind ``helpers.diagnose_loss`` (notebook 10), used by ``helpers.diagnose``.

Each check returns ``(code, message)`` pairs, which ``helpers.diagnose`` orders and wraps in ``Finding``.
Tensors arrive detached and are only read, under ``torch.no_grad()``. Cost: full passes are ``aminmax`` or
``sum`` over the tensors and ``bincount`` over class targets; row patterns (probabilities, log-probabilities)
are read from at most ``SAMPLE_ROWS`` rows and the loss compared with chance from the first ``SAMPLE_LOSS``
terms; counting and locating run only once something was found.
"""

from __future__ import annotations

import math

import torch

Found = list[tuple[str, str]]
Bounds = tuple[float, float] | None
Counts = torch.Tensor | None

SAMPLE_ROWS = 256  # rows read to recognise probabilities or log-probabilities
SAMPLE_LOSS = 4096  # loss terms (from the first examples) whose mean is compared with chance
MIN_ROWS = 4  # rows before a row pattern counts as evidence (one row of logits may sum to 1)
MIN_ELEMENTS = 32  # elements before "every logit lies in [0, 1]" counts as evidence
MIN_BATCH = 16  # counted targets before the batch's mean loss is compared with chance
MIN_IMBALANCE = 20  # counted targets before class shares are judged
IMBALANCE = 0.95  # share of the (weighted) targets at which one class dominates the loss
MARGIN = 1.0  # nats above chance (ln C) at which a mean loss is "far above"
INDEX_DTYPES = (torch.int64, torch.uint8)


def fmt(value: float) -> str:
    return f"{value:#.3g}".rstrip(".")


def _readable(x: torch.Tensor) -> bool:
    """Whether the values can be read here (a dense real tensor on a device with data)."""
    return x.layout == torch.strided and x.device.type != "meta" and not x.is_complex()


def value_range(x: torch.Tensor) -> Bounds:
    """(min, max) in one pass, NaN if any value is NaN; None for empty or unreadable tensors."""
    if x.numel() == 0 or not _readable(x):
        return None
    low, high = torch.aminmax(x.view(torch.uint8) if x.dtype == torch.bool else x)
    return float(low.item()), float(high.item())


def finite(bounds: Bounds) -> bool:
    return bounds is None or all(math.isfinite(v) for v in bounds)


def broadcast(a: tuple, b: tuple) -> tuple | None:
    """The shape two shapes broadcast to, or None (torch.broadcast_shapes imports sympy on first use, ~1 s)."""
    out = []
    for m, n in zip((1,) * (len(b) - len(a)) + tuple(a), (1,) * (len(a) - len(b)) + tuple(b)):
        if m != n and 1 not in (m, n):
            return None
        out.append(n if m == 1 else m)
    return tuple(out)


def _tol(x: torch.Tensor) -> float:
    return 1e-2 if x.dtype in (torch.float16, torch.bfloat16) else 1e-3


def not_finite(name: str, x: torch.Tensor, what: str, bounds: Bounds = None, hint: str = "") -> Found:
    """NaN or inf in a floating tensor: one ``sum`` (or the given bounds) unless something is found."""
    if not x.is_floating_point() or x.numel() == 0 or not _readable(x):
        return []
    if bounds is None and math.isfinite((x.sum(dtype=torch.float32) if x.element_size() < 4 else x.sum()).item()):
        return []  # a finite sum means finite values (an overflowing sum falls through to the exact count)
    if bounds is not None and finite(bounds):
        return []
    nan, pos, neg = (int(f(x).sum().item()) for f in (torch.isnan, torch.isposinf, torch.isneginf))
    if nan + pos + neg == 0:
        return []
    code = "input_not_finite" if what == "input" else "target_not_finite"
    counts = ", ".join(f"{n:,} {label}" for n, label in ((nan, "NaN"), (pos, "+inf"), (neg, "-inf")) if n)
    return [(code, f"{what} holds {counts} among {x.numel():,} values: {name} returns NaN or inf, and one NaN "
             "reaches every weight it touches. Find where they first appear (log of 0, exp overflow, a diverged "
             "learning rate, a mean over nothing) with torch.isfinite on each step's output." + hint)]


def options(name: str, opts: dict, n_classes: int | None, dtype: torch.dtype | None = None) -> Found:
    """Options the loss accepts at construction but refuses at the call."""
    out: Found = []
    if opts.get("reduction") not in ("none", "mean", "sum"):
        out.append(("invalid_option", f"reduction={opts.get('reduction')!r}: {name} raises ValueError at the "
                    "call ('... is not a valid value for reduction'); use 'mean' (the default), 'sum' or "
                    "'none'."))
    if opts.get("delta", 1.0) <= 0:
        out.append(("invalid_option", f"delta={opts['delta']}: {name} raises RuntimeError (non-positive "
                    "delta); delta must be > 0 (SmoothL1Loss(beta=0) is L1)."))
    if opts.get("beta", 1.0) < 0:
        out.append(("invalid_option", f"beta={opts['beta']}: {name} raises RuntimeError (negative beta); "
                    "use beta >= 0."))
    if not 0.0 <= opts.get("label_smoothing", 0.0) <= 1.0:
        out.append(("invalid_option", f"label_smoothing={opts['label_smoothing']}: must lie in [0, 1]."))
    for key in ("weight", "pos_weight"):
        given = opts.get(key)
        if given is not None and dtype is not None and dtype.is_floating_point and given.dtype != dtype:
            out.append(("invalid_option", f"{key} has dtype {given.dtype}, the input {dtype}: {name} raises "
                        f"RuntimeError ('expected scalar type ...'). Fix: {key}.to(input.dtype)."))
    weight = opts.get("weight")
    if n_classes is not None and weight is not None and weight.numel() != n_classes:
        out.append(("invalid_option", f"weight has {weight.numel()} entries for {n_classes} classes: {name} "
                    "raises RuntimeError; give one weight per class (the input's dimension 1)."))
    return out


def empty(name: str, x: torch.Tensor, opts: dict) -> Found:
    if x.numel() == 0 and opts.get("reduction") == "mean":
        return [("empty_batch", f"the batch is empty (input shape {tuple(x.shape)}): the mean of no losses is "
                 "NaN (0 / 0). Skip empty batches, or sum and divide by max(count, 1).")]
    return []


def _rows(x: torch.Tensor, dim: int) -> torch.Tensor:
    """At most SAMPLE_ROWS rows of class scores, as a (rows, C) float tensor, without copying the batch."""
    if x.ndim <= 2:
        return x[None].float() if x.ndim == 1 else x[:SAMPLE_ROWS].float()
    first = x[: max(1, -(-SAMPLE_ROWS // max(1, x[0].numel() // max(x.shape[1], 1))))]  # examples to read
    return first.movedim(dim, -1).reshape(-1, x.shape[dim])[:SAMPLE_ROWS].float()


def _sums_to_one(rows: torch.Tensor, tol: float) -> bool:
    return rows.numel() > 0 and (rows.sum(dim=1) - 1).abs().max().item() <= tol


def _is_log_probs(rows: torch.Tensor, tol: float) -> tuple[bool, float]:
    worst = rows.logsumexp(dim=1).abs().max().item() if rows.numel() else 0.0
    return worst <= tol, worst


def _one_hot(t: torch.Tensor, dim: int) -> bool:
    bounds = value_range(t)
    if bounds != (0.0, 1.0) or t.ndim == 0:
        return False
    return bool(((t == 0) | (t == 1)).all().item() and (t.sum(dim=dim) == 1).all().item())


def _shape_message(name: str, x: torch.Tensor, t: torch.Tensor, expected: tuple) -> str:
    if t.ndim == len(expected) + 1 and t.shape[1:2] == (1,) and t.shape[:1] + t.shape[2:] == expected:
        why, fix = "an extra dimension of size 1 (a label column, or a mask's channel)", "target.squeeze(1)"
    elif x.ndim >= 3 and t.shape == x.shape[:-1]:
        why = (f"the classes seem to sit in the input's last dimension, but {name} reads dimension 1 "
               f"({x.shape[1]}) as classes")
        fix = "input.movedim(-1, 1) (for (N, L, C) sequences: input.transpose(1, 2))"
    elif expected and t.ndim and t.shape[0] != expected[0]:
        why = f"the input holds {expected[0]} examples, the target {t.shape[0]}"
        fix = "pair each example with its own target"
    else:
        why = "a shape it cannot pair with the input"
        fix = "give the target the input's shape without the class dimension"
    return (f"target has shape {tuple(t.shape)}, {why}; for input {tuple(x.shape)} {name} wants class indices "
            f"of shape {tuple(expected)}, and raises an error. Fix: {fix}.")


def _index_counts(name: str, t: torch.Tensor, n_classes: int, opts: dict) -> tuple[Found, Counts]:
    """Targets outside [0, C-1] (ignore_index aside), else the count of each class among the kept targets."""
    bounds, ignore = value_range(t), opts["ignore_index"]
    flat = t.reshape(-1)
    if bounds is None:
        return [], torch.zeros(n_classes)
    if not (bounds[0] >= 0 and bounds[1] < n_classes):
        kept = flat != ignore
        bad = kept & ((flat < 0) | (flat >= n_classes))
        if bad.any().item():
            values = flat[bad].unique().tolist()
            if bounds[0] >= 1 and values == [n_classes]:
                hint = f"labels numbered from 1 to {n_classes}: subtract 1"
            elif len(values) == 1 and values[0] < 0:
                hint = f"if {values[0]} marks padding, pass ignore_index={values[0]} (the default is -100)"
            else:
                hint = (f"labels must lie in [0, {n_classes - 1}]: a last layer with too few outputs, "
                        "or labels not yet mapped")
            shown = ", ".join(str(v) for v in values[:5]) + (", ..." if len(values) > 5 else "")
            return [("target_out_of_range", f"{int(bad.sum().item()):,} of {flat.numel():,} targets lie "
                     f"outside [0, {n_classes - 1}] (values {shown}) for {n_classes} classes: {name} raises "
                     f"IndexError ('Target {values[0]} is out of bounds.'). Fix: {hint}.")], None
        flat = flat[kept]
    counts = torch.bincount(flat.long() if flat.dtype != torch.int64 else flat, minlength=n_classes)
    if 0 <= ignore < n_classes:
        counts[ignore] = 0
    return [], counts.double()


def index_target(name: str, x: torch.Tensor, t: torch.Tensor, dim: int, opts: dict, nll: bool) -> tuple[Found, Counts]:
    """Findings about a target that is not a probability table, and the class counts when it is usable."""
    unbatched = x.ndim == 1 and t.shape == (1,) and not opts["label_smoothing"]  # (C,) takes () or (1,)
    expected = t.shape if unbatched else x.shape[:dim] + x.shape[dim + 1 :]
    if t.shape == x.shape:
        if _one_hot(t, dim):
            return [("one_hot_target", f"target is one-hot ({tuple(t.shape)}, {t.dtype}) where {name} wants "
                     f"class indices of shape {tuple(expected)}: it raises an error. Fix: "
                     f"target.argmax(dim={dim})"
                     + (", or .float() to mean probabilities with CrossEntropyLoss." if not nll else "."))], None
        if nll:
            return [("target_shape", f"target has the input's shape {tuple(t.shape)}: NLLLoss takes class "
                     "indices only ('multi-target not supported'). For probability targets use "
                     "CrossEntropyLoss on logits, or -(target * log_probs).sum(dim=1).mean().")], None
        return [("target_dtype", f"target has the input's shape but dtype {t.dtype}: {name} reads such a "
                 "target as class probabilities and wants it floating ('Expected floating point type for "
                 "target with class probabilities'). Fix: .float() if the rows are distributions; class "
                 f"indices of shape {tuple(expected)} if they are labels.")], None
    if t.shape != expected:
        return [("target_shape", _shape_message(name, x, t, expected))], None
    if t.dtype not in INDEX_DTYPES:
        whole = t.is_floating_point() and _readable(t) and bool((t == t.round()).all().item())
        what = "whole numbers stored as floats (indices read from a file?)" if whole else "not an index type"
        return [("target_dtype", f"target holds class indices as {t.dtype}, {what}: {name} raises RuntimeError "
                 f"('expected target dtype to be Long or Byte'). Fix: target.long().")], None
    return _index_counts(name, t, x.shape[dim], opts)


def scores_findings(name: str, x: torch.Tensor, dim: int, bounds: Bounds, nll: bool) -> Found:
    """Is the input what the loss expects: logits (CrossEntropyLoss) or log-probabilities (NLLLoss)?"""
    n_classes = x.shape[dim]
    n_rows = x.numel() // max(n_classes, 1)
    if bounds is None or not finite(bounds) or n_classes < 2:
        return []
    (low, high), tol = bounds, _tol(x)
    if nll and high > 0:
        if low >= 0 and high <= 1 and _sums_to_one(_rows(x, dim), tol):
            return [("not_log_probabilities", "NLLLoss got probabilities (rows in [0, 1] that sum to 1): it takes "
                     "no log and returns -p of the target class, in [-1, 0], a negative loss whose gradient does not "
                     "grow with the mistake. Fix: F.log_softmax(logits, dim=1), or CrossEntropyLoss on the logits.")]
        return [("not_log_probabilities", f"NLLLoss got values up to {fmt(high)}, but a log-probability is "
                 "never above 0: logits without log_softmax? NLLLoss only picks -input[i, y_i], so the loss "
                 "is unbounded below. Fix: F.log_softmax(logits, dim=1), or CrossEntropyLoss on the logits.")]
    if nll:
        ok, worst = _is_log_probs(_rows(x, dim), tol) if n_rows >= MIN_ROWS else (True, 0.0)
        return [] if ok else [("not_log_probabilities", "NLLLoss got values <= 0 whose rows are not "
                               "normalised: the logsumexp of a row of log-probabilities is 0, here up to "
                               f"{fmt(worst)} away. Fix: F.log_softmax over the class dimension {dim}.")]
    if n_rows < MIN_ROWS:
        return []
    floor = fmt(math.log(1 + (n_classes - 1) / math.e))
    if low >= 0 and high <= 1:
        rows = _rows(x, dim)
        if _sums_to_one(rows, tol):
            return [("probabilities_as_logits", f"{name} got probabilities, not logits (values in [0, 1], the "
                     f"{len(rows)} rows read sum to 1): softmax runs twice, the loss cannot fall below ln(1 + (C - "
                     f"1)/e) = {floor} for C = {n_classes} and confident mistakes get small gradients. Fix: remove "
                     "the softmax from the model (apply it for reporting only).")]
        if x.numel() >= MIN_ELEMENTS and 0 < low < high < 1:
            return [("probabilities_as_logits", f"every one of the {x.numel():,} inputs lies in (0, 1): "
                     f"outputs of a sigmoid, not logits? {name} wants raw scores of any sign. Fix: remove the "
                     "sigmoid.")]
    if high <= 0 and _is_log_probs(_rows(x, dim), tol)[0]:
        return [("log_probabilities_as_logits", f"{name} got log-probabilities (every row's logsumexp is 0): "
                 "its own log_softmax leaves them unchanged, so the loss is right, but the model's LogSoftmax is "
                 "redundant. Use NLLLoss on log-probabilities, or drop the LogSoftmax.")]
    return []


def soft_target(name: str, t: torch.Tensor, dim: int, opts: dict) -> tuple[Found, bool]:
    """A target of the input's shape, read by CrossEntropyLoss as one distribution per row."""
    if opts["ignore_index"] != -100:
        return [("invalid_option", f"ignore_index={opts['ignore_index']} with a target of the input's shape: "
                 f"{name} reads it as probabilities and raises ('ignore_index is not supported for floating "
                 "point target'). Pass class indices, or leave ignore_index at its default -100.")], False
    bounds = value_range(t)
    if bounds is None or not finite(bounds):
        return not_finite(name, t, "target", bounds), False
    sums = t.sum(dim=dim)
    low, high = (v.item() for v in torch.aminmax(sums))
    tol = _tol(t)
    if bounds[0] < 0 or bounds[1] > 1 or low < 1 - tol or high > 1 + tol:
        multi = bounds[0] >= 0 and high > 1 + tol
        hint = ("several positive entries per row: a multi-label target, which wants BCEWithLogitsLoss on "
                "(N, C) logits" if multi else "normalise each row to sum to 1, or pass class indices")
        return [("soft_target_not_distribution", f"target has the input's shape, so {name} reads each row as "
                 f"class probabilities, but its values lie in [{fmt(bounds[0])}, {fmt(bounds[1])}] and its "
                 f"rows sum to {fmt(low)} to {fmt(high)}: the loss is then no cross-entropy. Fix: {hint}.")], False
    if opts.get("weight") is not None and opts["reduction"] == "mean" and _one_hot(t, dim):
        return [("one_hot_target", "target is float one-hot and weight is set: for probability targets "
                 f"{name}'s mean divides by N, for class indices by the sum of the targets' weights, so the "
                 "same labels give a different loss. For the weighted mean pass class indices: "
                 f"target.argmax(dim={dim}).")], True
    return [], True


def head(x: torch.Tensor, t: torch.Tensor, terms_per_example: int) -> tuple[torch.Tensor, torch.Tensor, bool]:
    """The first examples of the batch, at least SAMPLE_LOSS loss terms (all of them in a smaller batch)."""
    k = -(-SAMPLE_LOSS // max(terms_per_example, 1))
    if x.ndim == 0 or x.shape[0] <= k:
        return x, t, False
    return x[:k], t[:k], True


def chance(name: str, value: float, n_classes: int, count: int, sampled: bool) -> Found:
    level = math.log(n_classes)
    if not value > level + MARGIN:
        return []
    return [("initial_loss_high", f"the mean loss over {'the first ' if sampled else ''}{count:,} targets is "
             f"{fmt(value)}, more than 1 above ln {n_classes} = {fmt(level)}, the loss of equal logits (where "
             "an untrained model should start): the predictions are confidently wrong on average. At "
             "initialisation: logits too large (a badly scaled last layer, inputs not normalised) or labels "
             "that do not belong to the inputs; in training: a learning rate too large.")]


def imbalance(name: str, counts: torch.Tensor, weights: torch.Tensor | None, labels: list[str], fix) -> Found:
    """One class (or label value) carrying at least IMBALANCE of the targets' total weight."""
    total = counts.sum().item()
    if total < MIN_IMBALANCE:
        return []
    mass = counts * weights if weights is not None else counts
    share = mass / mass.sum()
    top = int(share.argmax().item())
    if share[top].item() < IMBALANCE:
        return []
    weighted = "" if weights is None else f", and with the given weights {share[top].item():.1%} of the weight"
    return [("imbalanced_classes", f"{labels[top]} holds {round(counts[top].item()):,} of {round(total):,} "
             f"targets ({counts[top].item() / total:.1%}){weighted}: the loss is dominated by it, and a model "
             "that always predicts it scores low while it misses everything else. If the rest matters: "
             f"{fix()}; judge by per-class recall or average precision, not accuracy.")]
