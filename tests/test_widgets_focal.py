"""helpers.widgets.focal (notebook 09): the callback draws the right curves and the sliders redraw it."""

from __future__ import annotations

import math

import matplotlib
import pytest
import torch

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from helpers.widgets import render_figure
from helpers.widgets.focal import focal_curves, focal_explorer, focal_figure  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_curves_follow_the_focal_formula():
    curves = focal_curves(2.0, 0.25)
    (p_t, ce), (_, pos), (_, neg) = curves.values()
    torch.testing.assert_close(ce, -torch.log(p_t))
    torch.testing.assert_close(pos, 0.25 * (1 - p_t) ** 2 * ce)
    torch.testing.assert_close(neg, 0.75 * (1 - p_t) ** 2 * ce)
    assert 0 < p_t.min() and p_t.max() < 1


def test_gamma_zero_and_alpha_one_gives_cross_entropy_for_positives():
    (_, ce), (_, pos), (_, neg) = focal_curves(0.0, 1.0).values()
    torch.testing.assert_close(pos, ce)
    assert neg.abs().max() == 0


def test_figure_has_title_with_both_values_labels_and_legend():
    fig = focal_figure(1.5, 0.6)
    ax = fig.axes[0]
    assert ax.get_title() == "focal loss, gamma = 1.50, alpha = 0.60"
    assert ax.get_xlabel() and ax.get_ylabel()
    assert len(ax.get_legend().get_texts()) == 3


def test_a_larger_gamma_lowers_the_focal_curves():
    low = focal_figure(0.5, 0.25).axes[0].lines[1].get_ydata()
    high = focal_figure(3.0, 0.25).axes[0].lines[1].get_ydata()
    assert (high <= low).all() and (high < low).any()


def _parts(ui):
    sliders = {w.description: w for w in ui.children if getattr(w, "description", "")}
    images = [w for w in ui.children if type(w).__name__ == "Image"]
    return sliders, images[0]


def test_explorer_has_gamma_and_alpha_sliders_and_an_image():
    sliders, image = _parts(focal_explorer())
    assert set(sliders) == {"gamma", "alpha"}
    assert all(type(s).__name__ == "FloatSlider" for s in sliders.values())
    assert sliders["gamma"].value == 2.0 and sliders["alpha"].value == 0.25
    assert image.value == render_figure(focal_figure(2.0, 0.25)).png


def test_moving_a_slider_redraws_the_figure_with_the_new_value():
    ui = focal_explorer()
    sliders, image = _parts(ui)
    before = image.value
    sliders["gamma"].value = 0.5
    assert image.value != before
    assert image.value == render_figure(focal_figure(0.5, 0.25)).png
    sliders["alpha"].value = 0.75
    assert image.value == render_figure(focal_figure(0.5, 0.75)).png
    assert plt.get_fignums() == [], "the explorer keeps no figure open"


@pytest.mark.parametrize(
    ("gamma", "alpha", "error", "message"),
    [
        (-0.5, 0.25, ValueError, "gamma must be a finite number in [0.0, 5.0], got -0.5"),
        (6.0, 0.25, ValueError, "gamma must be a finite number in [0.0, 5.0], got 6.0"),
        (math.nan, 0.25, ValueError, "gamma must be a finite number in [0.0, 5.0], got nan"),
        (2.0, 1.5, ValueError, "alpha must be a finite number in [0.0, 1.0], got 1.5"),
        (2.0, -0.1, ValueError, "alpha must be a finite number in [0.0, 1.0], got -0.1"),
        ("2", 0.25, TypeError, "gamma must be a real number, got str '2'"),
        (2.0, None, TypeError, "alpha must be a real number, got NoneType None"),
        (True, 0.25, TypeError, "gamma must be a real number, got bool True"),
    ],
)
def test_bad_arguments_raise_naming_the_argument(gamma, alpha, error, message):
    for fn in (focal_curves, focal_figure, focal_explorer):
        with pytest.raises(error) as info:
            fn(gamma, alpha)
        assert str(info.value) == message
