"""``train`` and ``mlp``: a tiny deterministic full-batch training loop for demonstrations.

Used by notebooks that compare how a model trains under different activations or losses (01, 02,
06, 07, 09). The loss itself is always chosen and shown in the notebook; this only hides the
zero_grad / backward / step boilerplate.

The SGD and Adam updates are written out here instead of calling ``torch.optim``: the first
``step()`` of any ``torch.optim`` optimizer imports ``torch._dynamo``, which costs about a second
per kernel, a tenth of a notebook's time budget. tests/test_training.py checks that the updates
match ``torch.optim.SGD`` and ``torch.optim.Adam``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import torch
from torch import nn

from ._checks import check_int, check_positive_float, check_tensor

OPTIMIZERS = ("sgd", "adam")


@dataclass
class History:
    """Training losses: ``losses[i]`` is the loss before update ``i``, ``losses[-1]`` after the last.

    A run of ``epochs`` updates records ``epochs + 1`` losses.
    """

    losses: list[float] = field(default_factory=list)

    @property
    def final(self) -> float:
        """The loss of the trained model, after the last update."""
        return self.losses[-1]

    def __len__(self) -> int:
        return len(self.losses)


def mlp(
    in_features: int,
    hidden: Sequence[int],
    out_features: int,
    activation: Callable[[], nn.Module] | None = nn.ReLU,
) -> nn.Sequential:
    """A multilayer perceptron: Linear layers of the given widths with ``activation()`` between them.

    ``activation=None`` builds a purely linear stack (used to show why non-linearity matters).
    """
    check_int("in_features", in_features, minimum=1)
    check_int("out_features", out_features, minimum=1)
    if isinstance(hidden, (str, bytes)) or not isinstance(hidden, Sequence):
        raise TypeError(f"hidden must be a sequence of ints, got {type(hidden).__name__}")
    for i, width in enumerate(hidden):
        check_int(f"hidden[{i}]", width, minimum=1)
    if activation is not None and not callable(activation):
        raise TypeError(f"activation must be a callable returning an nn.Module, or None, got {activation!r}")
    layers: list[nn.Module] = []
    widths = [in_features, *hidden]
    for a, b in zip(widths, widths[1:]):
        layers.append(nn.Linear(a, b))
        if activation is not None:
            act = activation()
            if not isinstance(act, nn.Module):
                raise TypeError(f"activation() must return an nn.Module, got {type(act).__name__}")
            layers.append(act)
    layers.append(nn.Linear(widths[-1], out_features))
    return nn.Sequential(*layers)


def _sgd(params: list[torch.Tensor], lr: float) -> Callable[[], None]:
    """Plain gradient descent, as torch.optim.SGD(params, lr) without momentum."""

    def step() -> None:
        for p in params:
            if p.grad is not None:
                p.add_(p.grad, alpha=-lr)

    return step


def _adam(
    params: list[torch.Tensor], lr: float, betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8
) -> Callable[[], None]:
    """Adam, as torch.optim.Adam(params, lr) with its default betas and eps."""
    beta1, beta2 = betas
    exp_avg = [torch.zeros_like(p) for p in params]
    exp_avg_sq = [torch.zeros_like(p) for p in params]
    t = 0

    def step() -> None:
        nonlocal t
        t += 1
        bias_correction1 = 1 - beta1**t
        bias_correction2_sqrt = (1 - beta2**t) ** 0.5
        for p, m, v in zip(params, exp_avg, exp_avg_sq):
            if p.grad is None:
                continue
            m.lerp_(p.grad, 1 - beta1)
            v.mul_(beta2).addcmul_(p.grad, p.grad, value=1 - beta2)
            denom = (v.sqrt() / bias_correction2_sqrt).add_(eps)
            p.addcdiv_(m, denom, value=-lr / bias_correction1)

    return step


def train(
    model: nn.Module,
    X: torch.Tensor,
    y: torch.Tensor,
    loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
    *,
    epochs: int = 200,
    lr: float = 0.1,
    optimizer: str = "sgd",
    seed: int = 0,
) -> History:
    """Full-batch training: ``epochs`` updates of ``loss_fn(model(X), y)``; returns the History.

    ``optimizer`` is ``"sgd"`` or ``"adam"``. ``seed`` seeds torch before training (dropout and
    the like), so two calls with a freshly built identical model give identical histories.
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    check_tensor("X", X, floating=True)
    check_tensor("y", y)
    if X.ndim == 0 or y.ndim == 0 or X.shape[0] != y.shape[0]:
        raise ValueError(
            f"X and y must have the same number of rows, got shapes {tuple(X.shape)} and {tuple(y.shape)}"
        )
    if not callable(loss_fn):
        raise TypeError(f"loss_fn must be callable as loss_fn(output, y), got {type(loss_fn).__name__}")
    epochs = check_int("epochs", epochs, minimum=1)
    lr = check_positive_float("lr", lr)
    check_int("seed", seed, minimum=0)
    if optimizer not in OPTIMIZERS:
        raise ValueError(f"optimizer must be one of {OPTIMIZERS}, got {optimizer!r}")
    params = [p for p in model.parameters() if p.requires_grad]
    if not params:
        raise ValueError("model has no trainable parameters")

    torch.manual_seed(seed)
    step = _sgd(params, lr) if optimizer == "sgd" else _adam(params, lr)
    history = History()
    model.train()
    for _ in range(epochs):
        for p in params:
            p.grad = None
        loss = loss_fn(model(X), y)
        if not isinstance(loss, torch.Tensor) or loss.ndim != 0:
            got = tuple(loss.shape) if isinstance(loss, torch.Tensor) else type(loss).__name__
            raise ValueError(f"loss_fn must return a scalar tensor (use reduction='mean'), got {got}")
        loss.backward()
        with torch.no_grad():
            step()
        history.losses.append(loss.item())
    model.eval()
    with torch.no_grad():
        history.losses.append(loss_fn(model(X), y).item())
    return history
