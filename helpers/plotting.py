"""``plot_functions``: curves of element-wise functions and their autograd derivatives; ``grid``:
the points to draw them at, the same on every CPU.

Used by the activation notebooks (02, 03) and the loss notebooks (05, 06, 09) for loss and
gradient curves. The derivative is computed by autograd, not by a hand-written formula, so the
plot shows what ``backward()`` really returns.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import torch

from ._checks import check_tensor

Fn = Callable[[torch.Tensor], torch.Tensor]


def grid(start: float, stop: float, steps: int) -> torch.Tensor:
    """``steps`` evenly spaced float32 points from ``start`` to ``stop``, the same bits on every CPU.

    ``torch.linspace`` computes its points one way in its vectorised kernel and another way without
    SIMD, so the point that should be 0 of ``torch.linspace(-3, 3, 241)`` is 0.0 on one CPU and
    -4.5e-08 on another: a derivative drawn at a kink (ReLU, L1) then differs between machines. Here
    each point is ``start + (stop - start) * i / (steps - 1)`` in float64, every operation correctly
    rounded, then rounded once to float32: exact wherever the exact point is a float32 number.
    Used by the notebooks for the x axis of function and loss curves.
    """
    for name, value in (("start", start), ("stop", stop)):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not torch.isfinite(torch.tensor(value)):
            raise TypeError(f"{name} must be a finite number, got {value!r}")
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 2:
        raise ValueError(f"steps must be an int >= 2, got {steps!r}")
    if not start < stop:
        raise ValueError(f"start must be below stop, got start={start!r}, stop={stop!r}")
    i = torch.arange(steps, dtype=torch.float64)
    return (start + (stop - start) * i / (steps - 1)).float()


def _named(fns: Mapping[str, Fn] | Sequence[Fn]) -> list[tuple[str, Fn]]:
    if isinstance(fns, Mapping):
        items = list(fns.items())
    elif isinstance(fns, Sequence) and not isinstance(fns, (str, bytes)):
        items = [(getattr(f, "__name__", type(f).__name__), f) for f in fns]
    elif callable(fns):
        items = [(getattr(fns, "__name__", type(fns).__name__), fns)]
    else:
        raise TypeError(f"fns must be a callable, a mapping of name to callable or a sequence of callables, got {type(fns).__name__}")
    if not items:
        raise ValueError("fns must contain at least one function, got none")
    for name, f in items:
        if not isinstance(name, str):
            raise TypeError(f"fns keys must be str names, got {type(name).__name__}")
        if not callable(f):
            raise TypeError(f"fns[{name!r}] must be callable, got {type(f).__name__}")
    return items


def evaluate(fn: Fn, x: torch.Tensor, name: str = "fn") -> tuple[torch.Tensor, torch.Tensor]:
    """Return ``(fn(x), dfn/dx)`` for an element-wise ``fn``, the derivative from autograd."""
    x = x.detach().clone().requires_grad_(True)
    y = fn(x)
    if not isinstance(y, torch.Tensor) or y.shape != x.shape:
        got = tuple(y.shape) if isinstance(y, torch.Tensor) else type(y).__name__
        raise ValueError(f"{name} must map x of shape {tuple(x.shape)} to the same shape, got {got}")
    if not y.requires_grad:  # the output does not depend on x at all
        return y.detach(), torch.zeros_like(x)
    (dy,) = torch.autograd.grad(y.sum(), x, allow_unused=True)
    if dy is None:
        dy = torch.zeros_like(x)
    return y.detach(), dy.detach()


def plot_functions(
    fns: Mapping[str, Fn] | Sequence[Fn] | Fn,
    x: torch.Tensor | None = None,
    *,
    grad: bool = False,
    title: str | None = None,
    xlabel: str = "x",
    ylabel: str = "f(x)",
    ylim: tuple[float, float] | None = None,
    grad_ylim: tuple[float, float] | None = None,
):
    """Plot each function of ``fns`` over ``x`` (1-D float tensor, default 201 points on [-5, 5]).

    With ``grad=True`` a second panel shows each derivative computed by autograd. Returns the
    matplotlib Figure; end the cell with ``plt.show()``.
    """
    import matplotlib.pyplot as plt

    items = _named(fns)
    if x is None:
        x = grid(-5.0, 5.0, 201)
    check_tensor("x", x, ndim=1, floating=True)
    if x.numel() < 2:
        raise ValueError(f"x must hold at least 2 points, got {x.numel()}")
    if not isinstance(grad, bool):
        raise TypeError(f"grad must be a bool, got {type(grad).__name__}")
    for label, lim in (("ylim", ylim), ("grad_ylim", grad_ylim)):
        if lim is not None and (not isinstance(lim, (tuple, list)) or len(lim) != 2 or lim[0] >= lim[1]):
            raise ValueError(f"{label} must be a (low, high) pair with low < high, got {lim!r}")

    ncols = 2 if grad else 1
    fig, axes = plt.subplots(1, ncols, figsize=(10.0 if grad else 6.0, 3.6), squeeze=False)
    ax_f = axes[0][0]
    xs = x.detach().numpy()
    for name, f in items:
        y, dy = evaluate(f, x, name)
        line = ax_f.plot(xs, y.numpy(), label=name)[0]
        if grad:
            axes[0][1].plot(xs, dy.numpy(), label=f"{name}'", color=line.get_color())
    ax_f.set(xlabel=xlabel, ylabel=ylabel, title=title or "functions")
    if ylim is not None:
        ax_f.set_ylim(*ylim)
    ax_f.legend(loc="best")
    if grad:
        ax_d = axes[0][1]
        ax_d.set(xlabel=xlabel, ylabel="derivative (autograd)", title="derivatives")
        if grad_ylim is not None:
            ax_d.set_ylim(*grad_ylim)
        ax_d.legend(loc="best")
    fig.tight_layout()
    return fig


def plot_histories(
    histories: Mapping[str, Sequence[float]],
    *,
    title: str = "training loss",
    ylabel: str = "loss",
    logy: bool = False,
):
    """Plot several loss curves (``{label: losses}``, e.g. ``History.losses``) against the epoch.

    Returns the matplotlib Figure; end the cell with ``plt.show()``.
    """
    import matplotlib.pyplot as plt

    if not isinstance(histories, Mapping) or not histories:
        raise ValueError(f"histories must be a non-empty mapping of label to losses, got {histories!r:.60}")
    fig, ax = plt.subplots()
    for label, losses in histories.items():
        values = list(getattr(losses, "losses", losses))
        if not values:
            raise ValueError(f"histories[{label!r}] is empty")
        ax.plot(range(len(values)), values, label=str(label))
    ax.set(xlabel="epoch", ylabel=ylabel, title=title)
    if logy:
        ax.set_yscale("log")
    ax.legend(loc="best")
    fig.tight_layout()
    return fig
