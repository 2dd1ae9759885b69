"""helpers.widgets.activations (notebook 02): the explorer's callback, its functions, bad input."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # unit tests draw off-screen; notebooks keep the inline backend

import ipywidgets  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from torch import nn  # noqa: E402

from helpers.widgets.activations import (  # noqa: E402
    ACTIVATIONS,
    activation_explorer,
    activation_figure,
    activation_function,
    activation_spec,
)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


X = torch.linspace(-4.0, 4.0, 81)


def test_every_default_lies_in_its_range():
    for spec in ACTIVATIONS.values():
        assert spec.low <= spec.default <= spec.high


@pytest.mark.parametrize(
    ("name", "param", "reference"),
    [
        ("sigmoid", 2.0, lambda x: torch.sigmoid(2.0 * x)),
        ("tanh", 0.5, lambda x: torch.tanh(0.5 * x)),
        ("LeakyReLU", 0.2, nn.LeakyReLU(0.2)),
        ("ELU", 1.5, nn.ELU(alpha=1.5)),
        ("Softplus", 3.0, nn.Softplus(beta=3.0)),
        ("Swish", 1.0, nn.SiLU()),
    ],
)
def test_activation_function_matches_pytorch(name, param, reference):
    assert torch.allclose(activation_function(name, param)(X), reference(X), atol=1e-6)


def test_activation_function_without_param_uses_the_default():
    assert torch.equal(activation_function("LeakyReLU")(X), F.leaky_relu(X, 0.01))


def test_figure_title_names_activation_and_parameter_value():
    fig = activation_figure("ELU", 0.5, -3.0, 2.0)
    ax_f, ax_d = fig.axes
    assert ax_f.get_title() == "ELU, alpha = 0.50"
    assert ax_d.get_title() == "derivatives"


def test_figure_changes_with_the_parameter():
    low = activation_figure("LeakyReLU", 0.1).axes[0]
    high = activation_figure("LeakyReLU", 0.5).axes[0]
    assert low.get_title() != high.get_title()
    assert low.get_lines()[0].get_ydata()[0] != high.get_lines()[0].get_ydata()[0]


def test_figure_draws_function_and_autograd_derivative_over_the_x_range():
    fig = activation_figure("sigmoid", 1.0, -2.0, 3.0)
    ax_f, ax_d = fig.axes
    xs = ax_f.get_lines()[0].get_xdata()
    assert xs[0] == pytest.approx(-2.0) and xs[-1] == pytest.approx(3.0)
    x = torch.as_tensor(xs)
    s = torch.sigmoid(x)
    assert torch.allclose(torch.as_tensor(ax_f.get_lines()[0].get_ydata()), s, atol=1e-6)
    assert torch.allclose(torch.as_tensor(ax_d.get_lines()[0].get_ydata()), s * (1 - s), atol=1e-6)
    assert ax_f.get_legend() is not None and ax_f.get_xlabel() == "x"


def test_default_figure_uses_default_parameter():
    assert activation_figure("Softplus").axes[0].get_title() == "Softplus, beta = 1.00"


@pytest.mark.parametrize("name", ["relu", "GELU", ""])
def test_unknown_name_is_a_value_error_listing_the_choices(name):
    with pytest.raises(ValueError, match="name must be one of"):
        activation_figure(name)


@pytest.mark.parametrize("name", [None, 3, ["ELU"]])
def test_non_string_name_is_a_type_error(name):
    with pytest.raises(TypeError, match="name must be a str"):
        activation_spec(name)


@pytest.mark.parametrize("param", ["0.1", True, torch.tensor(0.1), [0.1]])
def test_non_numeric_param_is_a_type_error(param):
    with pytest.raises(TypeError, match="param must be a real number"):
        activation_figure("ELU", param)


@pytest.mark.parametrize("param", [-0.1, 3.5, float("nan"), float("inf")])
def test_param_outside_its_range_is_a_value_error(param):
    with pytest.raises(ValueError, match="param"):
        activation_figure("ELU", param)


def test_param_range_error_names_the_parameter_and_range():
    with pytest.raises(ValueError, match=r"alpha of ELU\) must lie in \[0.0, 3.0\], got 4.0"):
        activation_function("ELU", 4.0)


@pytest.mark.parametrize(("x_min", "x_max"), [(1.0, 1.0), (2.0, -2.0)])
def test_empty_x_range_is_a_value_error(x_min, x_max):
    with pytest.raises(ValueError, match="x_min must be smaller than x_max"):
        activation_figure("tanh", 1.0, x_min, x_max)


@pytest.mark.parametrize(("x_min", "x_max"), [("a", 1.0), (-1.0, None)])
def test_non_numeric_x_bounds_are_type_errors(x_min, x_max):
    with pytest.raises(TypeError, match="x_m(in|ax) must be a real number"):
        activation_figure("tanh", 1.0, x_min, x_max)


def test_infinite_x_bound_is_a_value_error():
    with pytest.raises(ValueError, match="x_max must be a finite number"):
        activation_figure("tanh", 1.0, -1.0, float("inf"))


def _controls(explorer):
    return {getattr(w, "description", "") or type(w).__name__: w for w in explorer.children}


def test_explorer_has_a_float_slider_called_param_and_shows_a_png():
    controls = _controls(activation_explorer())
    assert isinstance(controls["param"], ipywidgets.FloatSlider)
    assert isinstance(controls["activation"], ipywidgets.Dropdown)
    assert isinstance(controls["x range"], ipywidgets.FloatRangeSlider)
    assert controls["activation"].value == "LeakyReLU" and controls["param"].value == 0.01
    assert bytes(controls["Image"].value).startswith(b"\x89PNG")


def test_moving_the_param_slider_redraws_the_image():
    controls = _controls(activation_explorer("ELU"))
    before = controls["Image"].value
    controls["param"].value = 2.5
    assert controls["Image"].value != before
    assert not plt.get_fignums(), "the explorer must close the figures it renders"


def test_moving_the_x_range_redraws_the_image():
    controls = _controls(activation_explorer("tanh"))
    before = controls["Image"].value
    controls["x range"].value = (-2.0, 2.0)
    assert controls["Image"].value != before


def test_empty_x_range_keeps_the_last_image():
    controls = _controls(activation_explorer("tanh"))
    before = controls["Image"].value
    controls["x range"].value = (1.0, 1.0)
    assert controls["Image"].value == before


def test_choosing_an_activation_resets_the_slider_and_redraws():
    controls = _controls(activation_explorer("Softplus"))
    slider = controls["param"]
    slider.value = 9.0
    before = controls["Image"].value
    controls["activation"].value = "LeakyReLU"
    spec = ACTIVATIONS["LeakyReLU"]
    assert (slider.min, slider.max, slider.value) == (spec.low, spec.high, spec.default)
    assert controls["Image"].value != before
    controls["activation"].value = "Softplus"
    assert (slider.min, slider.max, slider.value) == (0.1, 10.0, 1.0)


def test_explorer_rejects_an_unknown_initial_activation():
    with pytest.raises(ValueError, match="name must be one of"):
        activation_explorer("Maxout")
