"""helpers.widgets.softmax: the temperature figure (plain callback) and the slider that drives it."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # unit tests draw off-screen; notebooks keep the inline backend

import ipywidgets as widgets  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402

from helpers.widgets import softmax as module  # noqa: E402
from helpers.widgets.softmax import temperature_explorer, temperature_figure  # noqa: E402

LOGITS = torch.tensor([2.0, 1.0, 0.1])


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def _bar_heights(fig) -> tuple[list[float], list[float]]:
    ax = fig.axes[0]
    n = len(LOGITS)
    heights = [patch.get_height() for patch in ax.patches]
    return heights[:n], heights[n:]


def test_figure_bars_are_softmax_of_logits_over_temperature_and_plain_softmax():
    fig = temperature_figure(LOGITS, 0.5)
    scaled, plain = _bar_heights(fig)
    assert scaled == pytest.approx(torch.softmax(LOGITS / 0.5, dim=0).tolist())
    assert plain == pytest.approx(torch.softmax(LOGITS, dim=0).tolist())


def test_figure_title_names_the_temperature_so_the_plot_changes_with_it():
    titles = {temperature_figure(LOGITS, t).axes[0].get_title() for t in (0.25, 1.0, 3.0)}
    assert len(titles) == 3
    assert "T = 0.25" in temperature_figure(LOGITS, 0.25).axes[0].get_title()


def test_figure_has_axis_labels_legend_and_probability_range():
    ax = temperature_figure(LOGITS, 2.0).axes[0]
    assert ax.get_xlabel() == "class" and ax.get_ylabel() == "probability"
    assert ax.get_legend() is not None
    assert ax.get_ylim() == (0, 1)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert sorted(labels) == ["T = 1 (plain softmax)", "T = 2.00", "uniform 1/C"]


def test_figure_accepts_integer_temperature_and_logits_that_require_grad():
    logits = LOGITS.clone().requires_grad_(True)
    scaled, _ = _bar_heights(temperature_figure(logits, 1))
    assert scaled == pytest.approx(torch.softmax(LOGITS, dim=0).tolist())


def test_low_temperature_concentrates_on_the_argmax_and_high_temperature_flattens():
    low, _ = _bar_heights(temperature_figure(LOGITS, 0.05))
    high, _ = _bar_heights(temperature_figure(LOGITS, 1000.0))
    assert low[0] == pytest.approx(1.0, abs=1e-6)
    assert high == pytest.approx([1 / 3] * 3, abs=1e-3)


@pytest.mark.parametrize(
    ("logits", "error", "message"),
    [
        ([2.0, 1.0], TypeError, "logits must be a torch.Tensor"),
        (torch.tensor([2, 1, 0]), TypeError, "logits must have a floating dtype"),
        (torch.ones(2, 3), ValueError, "logits must have 1 dimension"),
        (torch.tensor([1.0]), ValueError, "at least 2 classes, got 1"),
        (torch.tensor([1.0, float("nan")]), ValueError, "logits must be finite"),
        (torch.tensor([1.0, float("inf")]), ValueError, "logits must be finite"),
    ],
)
def test_figure_rejects_bad_logits(logits, error, message):
    with pytest.raises(error, match=message):
        temperature_figure(logits, 1.0)


@pytest.mark.parametrize(
    ("temperature", "error", "message"),
    [
        ("1.0", TypeError, "temperature must be a real number"),
        (True, TypeError, "temperature must be a real number"),
        (None, TypeError, "temperature must be a real number"),
        (0.0, ValueError, "temperature must be a finite number > 0, got 0.0"),
        (-1.0, ValueError, "temperature must be a finite number > 0"),
        (float("inf"), ValueError, "temperature must be a finite number > 0"),
        (float("nan"), ValueError, "temperature must be a finite number > 0"),
    ],
)
def test_figure_rejects_bad_temperature(temperature, error, message):
    with pytest.raises(error, match=message):
        temperature_figure(LOGITS, temperature)


def test_explorer_has_a_temperature_slider_above_a_png_image():
    box = temperature_explorer(LOGITS)
    assert isinstance(box, widgets.VBox)
    slider, image = box.children
    assert isinstance(slider, widgets.FloatSlider) and isinstance(image, widgets.Image)
    assert slider.description == "temperature"
    assert (slider.min, slider.max, slider.value) == (0.05, 5.0, 1.0)
    assert image.format == "png" and bytes(image.value).startswith(b"\x89PNG")


def test_moving_the_slider_changes_the_image():
    box = temperature_explorer(LOGITS)
    slider, image = box.children
    before = bytes(image.value)
    slider.value = 0.25
    after = bytes(image.value)
    assert after.startswith(b"\x89PNG") and after != before


def test_explorer_draws_once_and_redraws_with_the_slider_value(monkeypatch):
    calls = []
    real = module.temperature_figure

    def recording(logits, temperature):
        calls.append(temperature)
        return real(logits, temperature)

    monkeypatch.setattr(module, "temperature_figure", recording)
    box = temperature_explorer(LOGITS, temperature=0.5)
    assert calls == [0.5]
    box.children[0].value = 2.0
    assert calls == [0.5, 2.0]


def test_explorer_closes_its_figures():
    box = temperature_explorer(LOGITS)
    box.children[0].value = 3.0
    assert plt.get_fignums() == []


def test_explorer_rejects_bad_logits_and_temperatures():
    with pytest.raises(TypeError, match="logits must be a torch.Tensor"):
        temperature_explorer([1.0, 2.0])
    with pytest.raises(ValueError, match="logits must have 1 dimension"):
        temperature_explorer(torch.ones(2, 2))
    with pytest.raises(ValueError, match=r"temperature must lie in \[0.05, 5.0\].*got 7.5"):
        temperature_explorer(LOGITS, temperature=7.5)
    with pytest.raises(ValueError, match="temperature must be a finite number > 0"):
        temperature_explorer(LOGITS, temperature=0.0)
    with pytest.raises(TypeError, match="temperature must be a real number"):
        temperature_explorer(LOGITS, temperature="1")
