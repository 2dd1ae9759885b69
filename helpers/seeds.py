"""Several seeds (and several variants) of one network, trained side by side as one module.

Used by notebook 02 (activations), whose claims are shown over five seeds: five separate training
runs would cost five times the time budget. ``side_by_side`` builds the network of each seed
(``torch.manual_seed(seed)``, then ``make_model()``) and places the copies side by side in one
module: input ``(N, in)``, output ``(S, N, out)``, copy ``s`` at index ``s`` of the first dimension.
The copies share no parameter and ``fit`` minimises the sum of each copy's own mean loss, so each
copy receives exactly its own gradient: one ``helpers.train`` call trains the S networks as S
separate calls would, with the same arithmetic in a different order (tests/test_seeds.py checks it).
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Callable, Iterable, Sequence

import torch
import torch.nn.functional as F
from torch import nn

from ._checks import _describe, check_int, check_tensor
from .training import train

__all__ = ["PerCopy", "Stacked", "fit", "per_copy_loss", "side_by_side", "spread"]


def _non_empty_list(name: str, values: object, kind: type) -> list:
    """``values`` as a non-empty list whose items are all instances of ``kind``."""
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise TypeError(f"{name} must be a non-empty sequence of {kind.__name__}, got {_describe(values)}")
    values = list(values)
    if not values:
        raise ValueError(f"{name} must be a non-empty sequence of {kind.__name__}, got an empty one")
    for i, value in enumerate(values):
        if not isinstance(value, kind):
            raise TypeError(f"{name}[{i}] must be an instance of {kind.__name__}, got {_describe(value)}")
    return values


class Stacked(nn.Module):
    """The same ``nn.Linear`` of S networks side by side: ``(N, in)`` or ``(S, N, in)`` -> ``(S, N, out)``.

    ``weight`` is ``(S, out, in)`` and ``bias`` ``(S, out)`` (or None), copies of the given layers'
    parameters; an ``(N, in)`` input is shared by all S copies.
    """

    def __init__(self, linears: Sequence[nn.Linear]) -> None:
        super().__init__()
        linears = _non_empty_list("linears", linears, nn.Linear)
        shapes = {tuple(m.weight.shape) for m in linears}
        if len(shapes) > 1:
            raise ValueError(f"linears must all have the same (out, in) weight shape, got {sorted(shapes)}")
        with_bias = {m.bias is not None for m in linears}
        if len(with_bias) > 1:
            raise ValueError("linears must all have a bias or all have none, got a mix")
        self.weight = nn.Parameter(torch.stack([m.weight.detach() for m in linears]))  # (S, out, in)
        if True in with_bias:
            self.bias = nn.Parameter(torch.stack([m.bias.detach() for m in linears]))  # (S, out)
        else:
            self.register_parameter("bias", None)

    def forward(self, h: torch.Tensor) -> torch.Tensor:
        copies, out_features, in_features = self.weight.shape
        if h.ndim not in (2, 3) or h.shape[-1] != in_features or (h.ndim == 3 and h.shape[0] != copies):
            raise ValueError(
                f"Stacked of {copies} copies of Linear({in_features}, {out_features}) expects input of shape"
                f" (N, {in_features}) or ({copies}, N, {in_features}), got {tuple(h.shape)}"
            )
        h = h.expand(copies, *h.shape[-2:])
        if self.bias is None:
            return torch.bmm(h, self.weight.mT)
        return torch.baddbmm(self.bias[:, None], h, self.weight.mT)

    def extra_repr(self) -> str:
        copies, out_features, in_features = self.weight.shape
        return f"copies={copies}, in_features={in_features}, out_features={out_features}, bias={self.bias is not None}"


def _run_key(module: nn.Module) -> object:
    """Equal parameter-free modules (same repr) can act on many copies at once; one with parameters acts alone."""
    return repr(module) if next(module.parameters(), None) is None else id(module)


class PerCopy(nn.Module):
    """Modules side by side, module ``s`` acting on copy ``s`` of an ``(S, ...)`` input: for element-wise layers.

    A run of equal parameter-free modules (same repr) is applied to its copies at once; a module with
    parameters (e.g. ``nn.PReLU``) keeps its own, registered in ``copies``.
    """

    def __init__(self, modules: Sequence[nn.Module]) -> None:
        super().__init__()
        modules = _non_empty_list("modules", modules, nn.Module)
        self.copies = nn.ModuleList(modules)
        self.runs = [list(run) for _, run in itertools.groupby(modules, key=_run_key)]

    def forward(self, h: torch.Tensor) -> torch.Tensor:
        if h.ndim == 0 or h.shape[0] != len(self.copies):
            raise ValueError(
                f"PerCopy of {len(self.copies)} modules expects input of shape ({len(self.copies)}, ...),"
                f" one slice per copy, got {tuple(h.shape)}"
            )
        if len(self.runs) == 1:
            return self.runs[0][0](h)
        parts = h.split([len(run) for run in self.runs])
        return torch.cat([run[0](part) for run, part in zip(self.runs, parts)])


def _stacks_linear_children(module: nn.Module) -> bool:
    """Whether module has nn.Linear children that hold all of its parameters (e.g. a Maxout unit)."""
    linear = [child for child in module.children() if isinstance(child, nn.Linear)]
    owned = sum(p.numel() for child in linear for p in child.parameters())
    return bool(linear) and owned == sum(p.numel() for p in module.parameters())


def _side_by_side_layer(index: int, same: tuple[nn.Module, ...]) -> nn.Module:
    """One layer of the side-by-side module from the same layer of every copy."""

    def kind(m: nn.Module) -> str:
        if isinstance(m, nn.Linear):
            return "Linear"
        return type(m).__name__ if _stacks_linear_children(m) else "element-wise"

    kinds = {kind(m) for m in same}
    if len(kinds) > 1:
        found = ", ".join(f"copy {s}: {type(m).__name__}" for s, m in enumerate(same))
        raise ValueError(f"make_models must build the same architecture; layer {index} differs ({found})")
    try:
        if isinstance(same[0], nn.Linear):
            return Stacked(same)
        if _stacks_linear_children(same[0]):  # e.g. a Maxout: one copy of it, its Linear layers stacked
            layer = copy.deepcopy(same[0])
            for name, child in same[0].named_children():
                if isinstance(child, nn.Linear):
                    setattr(layer, name, Stacked([getattr(m, name) for m in same]))
            return layer
    except ValueError as exc:
        raise ValueError(f"make_models must build the same architecture; layer {index}: {exc}") from None
    return PerCopy(same)  # activations, with or without parameters


def side_by_side(
    make_models: Callable[[], nn.Sequential] | Sequence[Callable[[], nn.Sequential]], seeds: Iterable[int]
) -> nn.Sequential:
    """For each make_model (one callable or a list) and each seed, the ``nn.Sequential`` that
    ``make_model()`` builds after ``torch.manual_seed(seed)``, all as one module ``(N, in) -> (S, N, out)``,
    ``S = len(make_models) * len(seeds)``, copies ordered model by model, then seed by seed.

    ``nn.Linear`` layers become ``Stacked``; a layer whose parameters all sit in ``nn.Linear`` children
    (a Maxout unit) is copied once with those children stacked, and its ``forward`` must accept a leading
    copy dimension; every other layer (activations) becomes ``PerCopy``. The global random state is
    restored afterwards.
    """
    if isinstance(make_models, nn.Module) or callable(make_models):
        if isinstance(make_models, nn.Module):
            raise TypeError(
                f"make_models must build a model when called (e.g. partial(helpers.mlp, ...)),"
                f" not be one: got an instance of {type(make_models).__name__}"
            )
        make_models = [make_models]
    elif isinstance(make_models, (str, bytes)) or not isinstance(make_models, Sequence):
        raise TypeError(
            f"make_models must be a callable or a list of callables, got {_describe(make_models)}"
        )
    if not make_models:
        raise ValueError("make_models must hold at least one callable, got an empty sequence")
    for i, make_model in enumerate(make_models):
        if isinstance(make_model, nn.Module) or not callable(make_model):
            raise TypeError(
                f"make_models[{i}] must be a callable that builds a model, got {_describe(make_model)}"
            )
    if isinstance(seeds, (str, bytes)) or not isinstance(seeds, Iterable):
        raise TypeError(f"seeds must be an iterable of ints (e.g. range(5)), got {_describe(seeds)}")
    seeds = [check_int(f"seeds[{i}]", seed, minimum=0) for i, seed in enumerate(seeds)]
    if not seeds:
        raise ValueError("seeds must hold at least one seed, got an empty iterable")

    copies = []
    with torch.random.fork_rng(devices=[]):
        for i, make_model in enumerate(make_models):
            for seed in seeds:
                _ = torch.manual_seed(seed)
                model = make_model()
                if not isinstance(model, nn.Sequential):
                    raise TypeError(
                        f"make_models[{i}]() must return an nn.Sequential, got {_describe(model)}"
                    )
                copies.append(model)
    lengths = {len(model) for model in copies}
    if len(lengths) > 1:
        raise ValueError(
            f"make_models must build the same architecture; got models of {sorted(lengths)} layers"
        )
    return nn.Sequential(*(_side_by_side_layer(i, same) for i, same in enumerate(zip(*copies))))


def per_copy_loss(logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Mean cross-entropy of each copy: logits ``(S, N, C)``, int64 targets y ``(N,)`` -> ``(S,)``."""
    check_tensor("logits", logits, ndim=3, floating=True)
    check_tensor("y", y, ndim=1)
    if y.dtype != torch.int64:
        raise TypeError(f"y must hold class indices of dtype torch.int64, got {y.dtype}")
    if y.shape[0] != logits.shape[1]:
        raise ValueError(
            f"y must have one target per row of logits (S, N, C), N = {logits.shape[1]}; got {len(y)}"
        )
    losses = F.cross_entropy(logits.flatten(0, 1), y.repeat(len(logits)), reduction="none")
    return losses.view(len(logits), -1).mean(dim=1)


def fit(
    model: nn.Module,
    X: torch.Tensor,
    y: torch.Tensor,
    *,
    epochs: int = 200,
    lr: float = 0.1,
    optimizer: str = "sgd",
    seed: int = 0,
) -> tuple[torch.Tensor, torch.Tensor]:
    """``helpers.train`` of a side-by-side model on the sum of its copies' own cross-entropies.

    X is ``(N, in)``, y ``(N,)`` int64 class indices; ``model(X)`` must be ``(S, N, C)`` logits. Returns
    each copy's loss before every update and after the last, ``(epochs + 1, S)``, and each copy's
    accuracy on X after training, ``(S,)``.
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module (e.g. from side_by_side), got {_describe(model)}")
    curves = []

    def loss_fn(logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        losses = per_copy_loss(logits, y)
        curves.append(losses.detach())
        return losses.sum()

    train(model, X, y, loss_fn, epochs=epochs, lr=lr, optimizer=optimizer, seed=seed)
    with torch.no_grad():
        accuracy = (model(X).argmax(dim=-1) == y).float().mean(dim=1)
    return torch.stack(curves), accuracy


def spread(values: torch.Tensor, fmt: str = ".3f") -> str:
    """``"min to max"`` of values (e.g. one number per seed), each formatted with ``fmt``."""
    check_tensor("values", values)
    if values.numel() == 0:
        raise ValueError("values must hold at least one number, got an empty tensor")
    if not isinstance(fmt, str):
        raise TypeError(f"fmt must be a format spec string such as '.3f', got {_describe(fmt)}")
    return f"{values.min():{fmt}} to {values.max():{fmt}}"
