"""Activation explorer of notebook 02: pick an activation, move its parameter and the x range.

``activation_figure`` is the plain callback (arguments in, matplotlib Figure out) that
tests/test_widgets_activations.py calls directly; ``activation_explorer`` only wires ipywidgets
controls to it and shows each figure as a PNG in an ``Image`` widget, at the size of the notebook's
static figures. The slider of the parameter has the description ``"param"`` and the figure title
names the activation and the parameter value, so a browser test can move the slider and see the
plot change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import torch
import torch.nn.functional as F

from .._checks import _describe, check_real
from ..plotting import grid, plot_functions
from . import Explorer, control_layout, figure_image, show_figure

Fn = Callable[[torch.Tensor], torch.Tensor]
N_POINTS = 401


@dataclass(frozen=True)
class ActivationSpec:
    """One explorer entry: the parameter's name, default and allowed range, and the function."""

    formula: str
    param_name: str
    default: float
    low: float
    high: float
    make: Callable[[float], Fn]


ACTIVATIONS: dict[str, ActivationSpec] = {
    "sigmoid": ActivationSpec("sigmoid(k·x)", "k", 1.0, 0.1, 5.0, lambda k: lambda x: torch.sigmoid(k * x)),
    "tanh": ActivationSpec("tanh(k·x)", "k", 1.0, 0.1, 5.0, lambda k: lambda x: torch.tanh(k * x)),
    "LeakyReLU": ActivationSpec(
        "max(0, x) + a·min(0, x)", "negative_slope", 0.01, 0.0, 1.0, lambda a: lambda x: F.leaky_relu(x, a)
    ),
    "ELU": ActivationSpec(
        "x if x > 0 else alpha·(exp(x) − 1)", "alpha", 1.0, 0.0, 3.0, lambda a: lambda x: F.elu(x, alpha=a)
    ),
    "Softplus": ActivationSpec(
        "log(1 + exp(beta·x)) / beta", "beta", 1.0, 0.1, 10.0, lambda b: lambda x: F.softplus(x, beta=b)
    ),
    "Swish": ActivationSpec(
        "x·sigmoid(beta·x)", "beta", 1.0, 0.0, 10.0, lambda b: lambda x: x * torch.sigmoid(b * x)
    ),
}


def activation_spec(name: str) -> ActivationSpec:
    """The :class:`ActivationSpec` of ``name`` (one of ``ACTIVATIONS``)."""
    if not isinstance(name, str):
        raise TypeError(f"name must be a str, one of {sorted(ACTIVATIONS)}, got {_describe(name)}")
    if name not in ACTIVATIONS:
        raise ValueError(f"name must be one of {sorted(ACTIVATIONS)}, got {name!r}")
    return ACTIVATIONS[name]


def activation_function(name: str, param: float | None = None) -> Fn:
    """The element-wise function ``name`` with its parameter set to ``param`` (default if None)."""
    spec = activation_spec(name)
    if param is None:
        return spec.make(spec.default)
    value = check_real("param", param)
    if not spec.low <= value <= spec.high:
        raise ValueError(
            f"param ({spec.param_name} of {name}) must lie in [{spec.low}, {spec.high}], got {value}"
        )
    return spec.make(value)


def activation_figure(name: str, param: float | None = None, x_min: float = -5.0, x_max: float = 5.0):
    """The explorer's callback: ``name`` and its autograd derivative over ``[x_min, x_max]``.

    The title reads e.g. ``"ELU, alpha = 1.00"``. Returns the matplotlib Figure (two panels).
    """
    fn = activation_function(name, param)
    spec = ACTIVATIONS[name]
    value = spec.default if param is None else float(param)
    low, high = check_real("x_min", x_min), check_real("x_max", x_max)
    if not low < high:
        raise ValueError(f"x_min must be smaller than x_max, got x_min={low} and x_max={high}")
    x = grid(low, high, N_POINTS)
    title = f"{name}, {spec.param_name} = {value:.2f}"
    return plot_functions({f"{name}: {spec.formula}": fn}, x, grad=True, title=title)


def _reset_slider(slider: Any, spec: ActivationSpec) -> None:
    """Give ``slider`` the range and default of ``spec``, never passing through min > max."""
    slider.min = min(slider.min, spec.low)
    slider.max = max(slider.max, spec.high)
    slider.value = spec.default
    slider.min, slider.max = spec.low, spec.high


def activation_explorer(name: str = "LeakyReLU") -> Explorer:
    """The explorer of notebook 02: controls above an ``Image`` of :func:`activation_figure`.

    Controls: a Dropdown ``activation``, a FloatSlider ``param`` (its range and default follow the
    chosen activation) and a FloatRangeSlider ``x range``; every change redraws the figure. The
    figure is rendered to PNG bytes rather than captured in an ``Output`` widget, so nothing leaks
    into the cell's outputs and notebook executors that do not store widget state cope with it.
    Returns the :class:`~helpers.widgets.Explorer` (a VBox); display it as the last expression of a cell.
    """
    import ipywidgets

    spec = activation_spec(name)
    dropdown = ipywidgets.Dropdown(options=list(ACTIVATIONS), value=name, description="activation", **control_layout())
    slider = ipywidgets.FloatSlider(
        value=spec.default, min=spec.low, max=spec.high, step=0.01, description="param",
        readout_format=".2f", continuous_update=False, **control_layout(),
    )
    x_range = ipywidgets.FloatRangeSlider(  # steps of 0.5: one decimal shows every value exactly
        value=(-5.0, 5.0), min=-20.0, max=20.0, step=0.5, description="x range", readout_format=".1f",
        continuous_update=False, **control_layout(),
    )
    image = figure_image()
    resetting = False

    def redraw(change: object = None) -> None:
        low, high = x_range.value
        if resetting or not low < high:  # mid-reset, or an empty range: keep the last picture
            return
        show_figure(image, activation_figure(dropdown.value, slider.value, low, high))

    def choose(change: dict) -> None:
        nonlocal resetting
        resetting = True
        try:
            _reset_slider(slider, ACTIVATIONS[change["new"]])
        finally:
            resetting = False
        redraw()

    dropdown.observe(choose, names="value")
    slider.observe(redraw, names="value")
    x_range.observe(redraw, names="value")
    redraw()
    return Explorer([dropdown, slider, x_range, image])
