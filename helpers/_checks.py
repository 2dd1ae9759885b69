"""Argument checks shared by the public helpers: each raises TypeError/ValueError naming the argument."""

from __future__ import annotations

import math
import numbers
from typing import Any

import torch


def _describe(value: Any) -> str:
    if isinstance(value, torch.Tensor):
        return f"a tensor of shape {tuple(value.shape)} and dtype {value.dtype}"
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{type(value).__name__} {text}"


def check_int(name: str, value: Any, *, minimum: int | None = None) -> int:
    """Return ``value`` if it is an int (not a bool) of at least ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an int, got {_describe(value)}")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return int(value)


def _as_real(name: str, value: Any, type_error: type[Exception]) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise type_error(f"{name} must be a real number, got {_describe(value)}")
    return float(value)


def check_real(
    name: str, value: Any, *, low: float = -math.inf, high: float = math.inf, type_error: type[Exception] = TypeError
) -> float:
    """Return ``value`` as a float if it is a real number (not a bool), finite, in [low, high].

    A value that is not a real number raises ``type_error`` (TypeError unless a public contract,
    such as focal_loss's, asks for ValueError); a non-finite or out-of-range one, ValueError.
    """
    value = _as_real(name, value, type_error)
    if not (math.isfinite(value) and low <= value <= high):
        bounds = "" if (low, high) == (-math.inf, math.inf) else f" in [{low}, {high}]"
        raise ValueError(f"{name} must be a finite number{bounds}, got {value}")
    return value


def check_positive_float(name: str, value: Any) -> float:
    """Return ``value`` as a float if it is a finite real number > 0."""
    value = _as_real(name, value, TypeError)
    if not (value > 0 and math.isfinite(value)):
        raise ValueError(f"{name} must be a finite number > 0, got {value}")
    return value


def check_tensor(name: str, value: Any, *, ndim: int | None = None, floating: bool = False) -> torch.Tensor:
    """Return ``value`` if it is a tensor with ``ndim`` dimensions (and a floating dtype if asked)."""
    if not isinstance(value, torch.Tensor):
        raise TypeError(f"{name} must be a torch.Tensor, got {_describe(value)}")
    if ndim is not None and value.ndim != ndim:
        raise ValueError(f"{name} must have {ndim} dimension(s), got shape {tuple(value.shape)}")
    if floating and not value.is_floating_point():
        raise TypeError(f"{name} must have a floating dtype (e.g. torch.float32), got {value.dtype}")
    return value
