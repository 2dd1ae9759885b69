"""helpers.plot_functions and helpers.evaluate: curves, autograd derivatives, bad input."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import matplotlib

matplotlib.use("Agg")  # unit tests draw off-screen; notebooks keep the inline backend

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402

import helpers  # noqa: E402
from helpers import evaluate, plot_functions  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_evaluate_returns_values_and_autograd_derivative():
    x = torch.linspace(-4, 4, 41)
    y, dy = evaluate(torch.sigmoid, x)
    s = torch.sigmoid(x)
    assert torch.equal(y, s)
    assert torch.allclose(dy, s * (1 - s), atol=1e-7)


def test_evaluate_of_constant_function_has_zero_derivative():
    x = torch.linspace(-1, 1, 5)
    _, dy = evaluate(lambda t: torch.ones_like(t), x)
    assert torch.equal(dy, torch.zeros(5))


def test_evaluate_does_not_modify_or_attach_grad_to_input():
    x = torch.linspace(-1, 1, 5)
    evaluate(torch.tanh, x)
    assert not x.requires_grad and x.grad is None


def test_plot_with_grad_has_function_and_derivative_panels():
    fig = plot_functions({"relu": torch.relu, "tanh": torch.tanh}, grad=True, title="demo")
    ax_f, ax_d = fig.axes
    assert [line.get_label() for line in ax_f.get_lines()] == ["relu", "tanh"]
    assert [line.get_label() for line in ax_d.get_lines()] == ["relu'", "tanh'"]
    assert ax_f.get_title() == "demo" and ax_d.get_title() == "derivatives"
    assert ax_f.get_legend() is not None and ax_d.get_legend() is not None
    assert ax_f.get_xlabel() == "x" and ax_d.get_ylabel() == "derivative (autograd)"


def test_plot_without_grad_has_one_panel_and_uses_given_x():
    x = torch.linspace(0, 1, 11)
    fig = plot_functions([torch.sigmoid], x, ylim=(0, 1))
    (ax,) = fig.axes
    line = ax.get_lines()[0]
    assert line.get_label() == "sigmoid"
    assert list(line.get_xdata()) == pytest.approx(x.tolist())
    assert ax.get_ylim() == (0, 1)


def test_plotted_derivative_is_the_autograd_one():
    fig = plot_functions({"sq": lambda t: t**2}, torch.linspace(-2, 2, 5), grad=True)
    assert list(fig.axes[1].get_lines()[0].get_ydata()) == pytest.approx([-4, -2, 0, 2, 4])


def test_modules_can_be_plotted():
    fig = plot_functions({"PReLU": torch.nn.PReLU()}, grad=True)
    assert len(fig.axes) == 2


@pytest.mark.parametrize(
    ("fns", "kwargs", "error", "message"),
    [
        ({}, {}, ValueError, "fns must contain at least one function"),
        ([], {}, ValueError, "fns must contain at least one function"),
        (42, {}, TypeError, "fns must be a callable, a mapping .* got int"),
        ({"a": 3}, {}, TypeError, r"fns\['a'\] must be callable, got int"),
        ({1: torch.relu}, {}, TypeError, "fns keys must be str names"),
        ([torch.relu], {"x": [0.0, 1.0]}, TypeError, "x must be a torch.Tensor, got list"),
        ([torch.relu], {"x": torch.zeros(2, 2)}, ValueError, r"x must have 1 dimension\(s\), got shape \(2, 2\)"),
        ([torch.relu], {"x": torch.arange(5)}, TypeError, "x must have a floating dtype"),
        ([torch.relu], {"x": torch.zeros(1)}, ValueError, "x must hold at least 2 points, got 1"),
        ([torch.relu], {"grad": "yes"}, TypeError, "grad must be a bool"),
        ([torch.relu], {"ylim": (1, 0)}, ValueError, r"ylim must be a \(low, high\) pair"),
        ({"sum": lambda t: t.sum()}, {}, ValueError, r"sum must map x of shape \(201,\) to the same shape, got \(\)"),
    ],
)
def test_bad_input_raises_a_clear_error(fns, kwargs, error, message):
    with pytest.raises(error, match=message):
        plot_functions(fns, **kwargs)


def test_plot_histories_draws_one_curve_per_label_and_accepts_history_objects():
    from helpers import History, plot_histories

    fig = plot_histories({"a": [3.0, 2.0, 1.0], "b": History([4.0, 1.0])}, logy=True)
    (ax,) = fig.axes
    assert [line.get_label() for line in ax.get_lines()] == ["a", "b"]
    assert list(ax.get_lines()[1].get_ydata()) == [4.0, 1.0]
    assert ax.get_yscale() == "log" and ax.get_xlabel() == "epoch"


@pytest.mark.parametrize(("histories", "message"), [({}, "non-empty mapping"), ([1.0], "non-empty mapping"), ({"a": []}, r"histories\['a'\] is empty")])
def test_plot_histories_bad_input(histories, message):
    from helpers import plot_histories

    with pytest.raises(ValueError, match=message):
        plot_histories(histories)


def test_grid_is_evenly_spaced_float32_from_start_to_stop():
    x = helpers.grid(-3, 3, 241)
    assert x.dtype == torch.float32 and x.shape == (241,)
    assert x[0].item() == -3.0 and x[-1].item() == 3.0
    assert torch.allclose(x, torch.linspace(-3, 3, 241), atol=1e-6)


def test_grid_hits_exact_points_such_as_the_kink_at_0():
    for steps in (61, 121, 161, 201, 241, 601):
        x = helpers.grid(-3, 3, steps)
        assert x[(steps - 1) // 2].item() == 0.0
        assert torch.equal(x, -x.flip(0))  # symmetric, bit for bit


def test_grid_is_the_same_under_every_cpu_kernel_family():
    code = "import helpers, hashlib; print(hashlib.sha256(helpers.grid(-4, 4, 161).numpy().tobytes()).hexdigest())"
    digests = {
        subprocess.run([sys.executable, "-c", code], env={**os.environ, "ATEN_CPU_CAPABILITY": cap},
                       capture_output=True, text=True, check=True).stdout
        for cap in ("default", "")
    }
    assert len(digests) == 1


@pytest.mark.parametrize(
    ("args", "error", "fragment"),
    [
        ((0, 1, 1), ValueError, "steps must be an int >= 2, got 1"),
        ((0, 1, 2.0), ValueError, "steps must be an int >= 2, got 2.0"),
        ((1, 0, 5), ValueError, "start must be below stop"),
        (("0", 1, 5), TypeError, "start must be a finite number, got '0'"),
        ((0, float("inf"), 5), TypeError, "stop must be a finite number, got inf"),
    ],
)
def test_grid_rejects_bad_arguments_naming_them(args, error, fragment):
    with pytest.raises(error, match=re.escape(fragment)):
        helpers.grid(*args)
