"""helpers.widgets: what every explorer (02, 03, 09) shares. Its figure has the size of the notebook's
static figures with twice the pixels, every readout can show every value of its slider, and its
output carries a PNG for renderers without a kernel."""

from __future__ import annotations

import base64

import matplotlib

matplotlib.use("Agg")  # unit tests draw off-screen; notebooks keep the inline backend

import ipywidgets  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402
from IPython.core.pylabtools import print_figure  # noqa: E402

from helpers.notebook import DPI, FIGSIZE  # noqa: E402
from helpers.widgets import (  # noqa: E402
    DESCRIPTION_WIDTH,
    PLACEHOLDER,
    SCALE,
    SLIDER_WIDTH,
    Explorer,
    png_size,
    render_figure,
    show_figure,
)
from helpers.widgets.activations import activation_explorer, activation_figure  # noqa: E402
from helpers.widgets.focal import focal_explorer, focal_figure  # noqa: E402
from helpers.widgets.softmax import temperature_explorer, temperature_figure  # noqa: E402

LOGITS = torch.tensor([2.0, 1.0, 0.1])
EXPLORERS = {
    "activation": (lambda: activation_explorer("LeakyReLU"), lambda: activation_figure("LeakyReLU", 0.01)),
    "temperature": (lambda: temperature_explorer(LOGITS), lambda: temperature_figure(LOGITS, 1.0)),
    "focal": (lambda: focal_explorer(2.0, 0.25), lambda: focal_figure(2.0, 0.25)),
}
# The notebooks' settings (helpers.setup_notebook), without its seeds and threads.
NOTEBOOK_RC = {"figure.figsize": FIGSIZE, "figure.dpi": DPI, "savefig.dpi": DPI, "font.size": 10, "legend.fontsize": 9}


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture(params=list(EXPLORERS))
def case(request):
    return EXPLORERS[request.param]


def _inline_size(fig) -> tuple[int, int]:
    """The size of ``fig`` as the inline backend shows it: IPython's print_figure, one pixel per CSS pixel."""
    return png_size(print_figure(fig, "png", bbox_inches="tight"))


def _css_px(value: str) -> int:
    assert value.endswith("px"), value
    return int(value[:-2])


@pytest.mark.parametrize("rc", [{}, NOTEBOOK_RC], ids=["matplotlib defaults", "notebook settings"])
def test_render_figure_has_the_inline_size_and_twice_its_pixels(case, rc):
    _, make_figure = case
    with matplotlib.rc_context(rc):
        expected = _inline_size(make_figure())
        picture = render_figure(make_figure())
    assert (picture.width, picture.height) == expected
    assert png_size(picture.png) == (SCALE * picture.width, SCALE * picture.height) == (2 * expected[0], 2 * expected[1])


def test_render_figure_closes_the_figure():
    render_figure(focal_figure(1.0, 0.5))
    assert plt.get_fignums() == []


def test_explorer_image_is_laid_out_at_the_natural_size_never_stretched(case):
    make_explorer, make_figure = case
    with matplotlib.rc_context(NOTEBOOK_RC):
        image = make_explorer().children[-1]
        width, height = _inline_size(make_figure())
    assert isinstance(image, ipywidgets.Image) and image.format == "png"
    assert _css_px(image.layout.width) == width and image.layout.height == "auto"
    assert (image.width, image.height) == (str(width), str(height))  # the <img>'s aspect ratio before it loads
    assert png_size(image.value) == (2 * width, 2 * height)
    assert image.layout.max_width == "100%" and image.layout.align_self == "flex-start"


def test_show_figure_follows_a_figure_of_another_size():
    image = ipywidgets.Image(format="png")
    with matplotlib.rc_context({"figure.figsize": (4.0, 3.0), "figure.dpi": 50}):
        show_figure(image, focal_figure(2.0, 0.25))
    small = (_css_px(image.layout.width), int(image.height))
    show_figure(image, focal_figure(2.0, 0.25))
    large = (_css_px(image.layout.width), int(image.height))
    assert small[0] < large[0] and small[1] < large[1]
    assert png_size(image.value) == (2 * large[0], 2 * large[1])


def test_output_carries_the_live_widget_the_png_at_its_natural_size_and_a_note(case):
    make_explorer, _ = case
    explorer = make_explorer()
    image = explorer.children[-1]
    data, metadata = explorer._repr_mimebundle_()
    assert isinstance(explorer, Explorer) and isinstance(explorer, ipywidgets.VBox)
    assert set(data) == {"application/vnd.jupyter.widget-view+json", "image/png", "text/plain"}
    assert data["application/vnd.jupyter.widget-view+json"]["model_id"] == explorer.model_id
    assert base64.b64decode(data["image/png"]) == bytes(image.value)
    assert data["text/plain"] == PLACEHOLDER == (
        "interactive explorer: run this notebook in JupyterLab to move the sliders")
    assert metadata == {"image/png": {"width": _css_px(image.layout.width), "height": int(image.height)}}


def test_output_png_is_the_figure_shown_when_displayed():
    explorer = focal_explorer(2.0, 0.25)
    explorer.children[0].value = 3.0
    data, _ = explorer._repr_mimebundle_()
    assert base64.b64decode(data["image/png"]) == render_figure(focal_figure(3.0, 0.25)).png


def _sliders(explorer) -> list:
    return [w for w in explorer.children if isinstance(w, (ipywidgets.FloatSlider, ipywidgets.FloatRangeSlider))]


def test_every_readout_shows_every_value_of_its_slider_exactly(case):
    make_explorer, _ = case
    for slider in _sliders(make_explorer()):
        fmt = slider.readout_format
        steps = round((slider.max - slider.min) / slider.step)
        for k in range(steps + 1):
            value = slider.min + k * slider.step
            assert float(format(value, fmt)) == pytest.approx(value, abs=1e-9), (
                f"{slider.description!r}: readout_format {fmt!r} shows {value} as {format(value, fmt)}")


def test_every_control_shares_one_description_width_and_row_width(case):
    """The rows line up and none is cut; that the readouts fit, tests/test_browser.py measures."""
    make_explorer, _ = case
    controls = make_explorer().children[:-1]
    assert controls and all(c.style.description_width == DESCRIPTION_WIDTH for c in controls)
    assert all(c.layout.width == SLIDER_WIDTH and c.layout.max_width == "100%" for c in controls)


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        (None, TypeError, "fig must be a matplotlib Figure, got NoneType None"),
        (b"\x89PNG", TypeError, "fig must be a matplotlib Figure, got bytes"),
    ],
)
def test_render_figure_rejects_what_is_not_a_figure(value, error, message):
    with pytest.raises(error, match=message):
        render_figure(value)


def test_render_figure_rejects_axes_naming_the_figure():
    fig, ax = plt.subplots()
    with pytest.raises(TypeError, match="fig must be a matplotlib Figure, got Axes"):
        render_figure(ax)


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        ("iVBORw0KGgo=", TypeError, "png must be bytes, got str"),
        (None, TypeError, "png must be bytes, got NoneType None"),
        (b"GIF89a" + bytes(20), ValueError, "png must start with a PNG signature and IHDR header, got b'GIF89a"),
        (b"\x89PNG\r\n\x1a\n", ValueError, "png must start with a PNG signature and IHDR header"),
    ],
)
def test_png_size_rejects_what_is_not_a_png(value, error, message):
    with pytest.raises(error, match=message.replace("(", r"\(").replace(")", r"\)")):
        png_size(value)


def test_show_figure_rejects_what_is_not_a_figure_and_keeps_the_image():
    image = ipywidgets.Image(format="png")
    show_figure(image, focal_figure(2.0, 0.25))
    before = bytes(image.value)
    with pytest.raises(TypeError, match="fig must be a matplotlib Figure"):
        show_figure(image, "figure")
    assert bytes(image.value) == before


def test_show_figure_rejects_what_is_not_an_image_widget():
    with pytest.raises(TypeError, match="image must be an ipywidgets.Image, got Output"):
        show_figure(ipywidgets.Output(), focal_figure(2.0, 0.25))
